//! The per-case report on standard output, and the generated `CONFORMANCE.md`: one section
//! per dialect between markers, so each dialect's test rewrites only its own section.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::case::Skip;
use crate::known::Known;
use crate::runner::CaseResult;

/// The counts of one dialect's run.
#[derive(Debug, Default)]
pub struct Totals {
    /// Cases that passed the gates (error cases included).
    pub applicable: usize,
    /// Applicable cases without `error`: the base of the percentages.
    pub migrations: usize,
    /// Migration cases that converged and re-planned to empty.
    pub forward: usize,
    /// Migration cases that also went back to `current`.
    pub reverse: usize,
    /// Error cases, and how many of them were refused properly.
    pub errors: (usize, usize),
    /// Cases skipped by a gate, by reason.
    pub skipped: BTreeMap<Skip, usize>,
}

impl Totals {
    /// Counts the results and the skipped cases.
    pub fn new(results: &[CaseResult], skipped: &[Skip]) -> Self {
        let mut t = Totals { applicable: results.len(), ..Default::default() };
        for r in results {
            if r.error_case {
                t.errors.0 += 1;
                t.errors.1 += usize::from(r.forward);
            } else {
                t.migrations += 1;
                t.forward += usize::from(r.forward);
                t.reverse += usize::from(r.reverse);
            }
        }
        for s in skipped {
            *t.skipped.entry(*s).or_default() += 1;
        }
        t
    }

    fn pct(&self, n: usize) -> String {
        if self.migrations == 0 {
            return "-".into();
        }
        format!("{:.1}%", 100.0 * n as f64 / self.migrations as f64)
    }

    fn skipped_text(&self) -> String {
        let total: usize = self.skipped.values().sum();
        let parts: Vec<String> = self.skipped.iter().map(|(s, n)| format!("{} {n}", s.label())).collect();
        if parts.is_empty() {
            total.to_string()
        } else {
            format!("{total} ({})", parts.join(", "))
        }
    }
}

/// The per-case lines and the totals, for standard output.
pub fn text(dialect: &str, results: &[CaseResult], totals: &Totals) -> String {
    let mut s = String::new();
    for r in results {
        let state = match (&r.failure, r.error_case) {
            (None, true) => "ok (refused)".to_string(),
            (None, false) => "ok".to_string(),
            (Some(f), _) => format!("FAIL [{}]", f.class.label()),
        };
        let notes = if r.notes.is_empty() { String::new() } else { format!("  ({})", r.notes.join("; ")) };
        let _ = writeln!(s, "{dialect} {:<48} {state}{notes}", r.name);
        for line in r.failure.iter().flat_map(|f| &f.detail) {
            let _ = writeln!(s, "      {line}");
        }
    }
    let _ = writeln!(
        s,
        "\n{dialect}: {} applicable; converged+idempotent {}/{} ({}); reverse {}/{} ({}); error cases refused {}/{}; skipped {}",
        totals.applicable,
        totals.forward,
        totals.migrations,
        totals.pct(totals.forward),
        totals.reverse,
        totals.migrations,
        totals.pct(totals.reverse),
        totals.errors.1,
        totals.errors.0,
        totals.skipped_text()
    );
    s
}

/// The dialect's section of `CONFORMANCE.md`: totals and the failures, sorted by case.
fn section(
    dialect: &str,
    mode: &str,
    results: &[CaseResult],
    totals: &Totals,
    known: &BTreeMap<String, Known>,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## {dialect}\n");
    if !mode.is_empty() {
        let _ = writeln!(s, "{mode}\n");
    }
    let _ = writeln!(s, "| measure | count | % of migration cases |\n|---|--:|--:|");
    let rows = [
        ("applicable cases", totals.applicable.to_string(), String::new()),
        ("migration cases (no `error`)", totals.migrations.to_string(), String::new()),
        ("converged + idempotent (Checks 0-2)", totals.forward.to_string(), totals.pct(totals.forward)),
        ("reverse passed (Check 3)", totals.reverse.to_string(), totals.pct(totals.reverse)),
        ("error cases refused", format!("{} of {}", totals.errors.1, totals.errors.0), String::new()),
        ("skipped by gate", totals.skipped_text(), String::new()),
    ];
    for (what, n, pct) in rows {
        let _ = writeln!(s, "| {what} | {n} | {pct} |");
    }
    let failures: Vec<_> = results.iter().filter_map(|r| r.failure.as_ref().map(|f| (r, f))).collect();
    let _ = writeln!(s, "\n### Failures ({})\n", failures.len());
    if failures.is_empty() {
        let _ = writeln!(s, "None.");
        return s;
    }
    let _ = writeln!(s, "| case | class | reason |\n|---|---|---|");
    for (r, f) in failures {
        let reason = match known.get(&r.name) {
            Some(k) => k.reason.clone(),
            None => format!("NOT LISTED: {}", f.detail.first().map(String::as_str).unwrap_or("")),
        };
        let _ = writeln!(s, "| {} | {} | {} |", r.name, f.class.label(), reason.replace('|', "\\|"));
    }
    s
}

const HEADER: &str = "# Conformance

Generated by `SCHEMA_WRITE_CONFORMANCE=1 cargo test -p schema-e2e --test conformance`; do not
edit by hand. The corpus is sqldef's migration cases (`shared/conformance`, see its README);
the runner is `tests/conformance`, its expected failures are listed in
`tests/conformance/known_failures/<dialect>.txt`.

A migration case passes forward (Checks 0-2) when `current` loads as written, our plan toward
`current` is then empty, applying `desired` gives the same catalog as `desired` loaded directly
(for `enable_drop: false` cases: as `current` plus sqldef's `up`), tables and columns renamed
by a hint keep their rows, and the re-plan is empty. It passes reverse (Check 3) when going
back to `current` does the same. Catalogs are compared with an independent snapshot, not our
inspector. sqldef's `-- @renamed from=x` hints on table and column lines are rewritten into our
`-- schema:renamed-from x`; hints on other lines (indexes, enum types) stay comments, since our
directive has no form for them.
";

/// `CONFORMANCE.md` beside the workspace manifest.
pub fn markdown_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../CONFORMANCE.md")
}

/// Rewrites this dialect's section of `CONFORMANCE.md`, keeping the other dialects' sections.
pub fn write_markdown(
    dialect: &str,
    mode: &str,
    results: &[CaseResult],
    totals: &Totals,
    known: &BTreeMap<String, Known>,
) -> std::io::Result<()> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = markdown_path();
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let mut sections: BTreeMap<String, String> = BTreeMap::new();
    for part in old.split("<!-- begin ").skip(1) {
        if let Some((name, rest)) = part.split_once(" -->\n") {
            if let Some((body, _)) = rest.split_once(&format!("<!-- end {name} -->")) {
                sections.insert(name.to_string(), body.to_string());
            }
        }
    }
    sections.insert(dialect.to_string(), section(dialect, mode, results, totals, known));
    let mut out = String::from(HEADER);
    for (name, body) in sections {
        let _ = write!(out, "\n<!-- begin {name} -->\n{body}<!-- end {name} -->\n");
    }
    std::fs::write(path, out)
}
