//! The plan for a person: numbered steps, hazards marked, the way back, a summary line.

use std::collections::BTreeMap;
use std::fmt::Write;

use schema_diff::{Group, Plan, Timeouts};

/// The kinds of object a step description names in two words (`add foreign key "f" on ...`),
/// so the summary counts foreign keys, not "foreigns".
const TWO_WORD_KINDS: [&str; 7] = [
    "foreign key",
    "primary key",
    "unique constraint",
    "exclusion constraint",
    "check constraint",
    "unique index",
    "materialized view",
];

/// One line that counts what changes: `2 tables created, 1 index dropped`.
pub fn summary(plan: &Plan) -> String {
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for s in &plan.steps {
        let mut words = s.description.split_whitespace();
        let verb = words.next().unwrap_or("").to_string();
        let rest: Vec<&str> = words.take(2).collect();
        // Some kinds take two words (`add foreign key ...`), comments on a part of a table say
        // `comment of index ...`.
        let noun = match rest.as_slice() {
            [a, b] if TWO_WORD_KINDS.contains(&format!("{a} {b}").as_str()) => format!("{a} {b}"),
            ["of", kind] => kind.to_string(),
            [kind, ..] => kind.to_string(),
            [] => String::new(),
        };
        // Privilege steps name what they grant (`grant SELECT, INSERT on ...`) and owner steps
        // start with `owner of`: counted by what they are.
        let key = match verb.as_str() {
            "grant" | "revoke" => ("privilege".to_string(), verb),
            "owner" => ("owner".to_string(), "change".to_string()),
            _ => (noun, verb),
        };
        *counts.entry(key).or_default() += 1;
    }
    let past = |v: &str| match v {
        "drop" => "dropped".to_string(),
        "rebuild" => "rebuilt".to_string(),
        v if v.ends_with('e') => format!("{v}d"),
        other => format!("{other}ed"),
    };
    let parts: Vec<String> = counts
        .iter()
        .map(|((noun, verb), n)| {
            let noun = if *n == 1 || noun.ends_with('s') {
                noun.clone()
            } else if noun.ends_with('x') {
                format!("{noun}es")
            } else {
                format!("{noun}s")
            };
            format!("{n} {noun} {}", past(verb))
        })
        .collect();
    parts.join(", ")
}

/// The line that opens a group of steps when the plan has more than one.
fn group_header(g: &Group, n: usize, of: usize) -> String {
    let steps = if g.steps.len() == 1 {
        format!("step {}", g.steps.start + 1)
    } else {
        format!("steps {}-{}", g.steps.start + 1, g.steps.end)
    };
    let how = if g.transactional { "one transaction" } else { "outside a transaction, committed on its own" };
    format!("  ── group {n} of {of}: {steps}, {how} ──")
}

/// A step's timeouts: `lock_timeout 10s, statement_timeout 1m`.
pub(super) fn timeouts(t: &Timeouts, long_running: bool) -> String {
    let show = |ms: u64| humantime::format_duration(std::time::Duration::from_millis(ms)).to_string();
    let statement = match t.statement_timeout_ms {
        Some(ms) => show(ms),
        None if long_running => "none (long-running; does not block writes)".into(),
        None => "none".into(),
    };
    format!("lock_timeout {} (retried on timeout), statement_timeout {statement}", show(t.lock_timeout_ms))
}

/// The whole plan as text.
pub fn plan_text(plan: &Plan, target: &str) -> String {
    let mut out = String::new();
    if plan.is_empty() {
        let _ = writeln!(out, "No changes: {target} matches the desired state.");
        return out;
    }
    let hazards = plan.hazards().len();
    let _ = writeln!(
        out,
        "Plan for {target}: {} step{}, {} statement{}, {hazards} hazard{}",
        plan.steps.len(),
        if plan.steps.len() == 1 { "" } else { "s" },
        plan.statements().len(),
        if plan.statements().len() == 1 { "" } else { "s" },
        if hazards == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "Changes: {}", summary(plan));
    let groups = plan.groups();
    for (i, s) in plan.steps.iter().enumerate() {
        if groups.len() > 1 {
            if let Some(g) = groups.iter().position(|g| g.steps.start == i) {
                let _ = writeln!(out, "\n{}", group_header(&groups[g], g + 1, groups.len()));
            }
        }
        let codes: Vec<&str> = s.hazards.iter().map(|h| h.code.id()).collect();
        let marks = if codes.is_empty() { String::new() } else { format!("  [! {}]", codes.join(" ")) };
        let outside = if s.transactional { "" } else { "  (runs outside the transaction)" };
        let _ = writeln!(out, "\n{:>3}. {}{marks}{outside}", i + 1, s.description);
        for st in &s.sql {
            for line in format!("{st};").lines() {
                let _ = writeln!(out, "       {line}");
            }
        }
        if let Some(t) = &s.timeouts {
            let _ = writeln!(out, "     timeouts: {}", timeouts(t, s.long_running));
        }
        for h in &s.hazards {
            let _ = writeln!(out, "     ! {} {}", h.code.id(), h.message);
            if let Some(v) = &h.verdict {
                let _ = writeln!(out, "       live check: {v}");
            }
            // Plan files written before hazards carried their help line have none.
            let help = if h.help.is_empty() { h.code.help() } else { &h.help };
            let _ = writeln!(out, "       help: {help}");
        }
        if let Some(why) = &s.irreversible {
            let _ = writeln!(out, "     undo: not fully possible: {why}");
        }
        let undo: Vec<String> = s.reverse.iter().map(|r| format!("{r};")).collect();
        match undo.as_slice() {
            [] => {}
            [one] if !one.contains('\n') => {
                let _ = writeln!(out, "     undo: {one}");
            }
            many => {
                let _ = writeln!(out, "     undo:");
                for l in many.iter().flat_map(|u| u.lines()) {
                    let _ = writeln!(out, "       {l}");
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        if plan.is_reversible() {
            "The plan is fully reversible."
        } else {
            "The plan is NOT fully reversible: see the undo notes above."
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_diff::Step;
    use schema_model::Dialect;

    #[test]
    fn the_summary_counts_steps_by_what_they_do() {
        let step = |d: &str| Step::new(d.to_string(), vec![], vec![]);
        let steps = [
            "create table \"t\"",
            "create table \"u\"",
            "drop index \"i\"",
            "grant SELECT, INSERT on TABLE \"t\" to \"app\"",
            "revoke EXECUTE on FUNCTION \"f\"() to PUBLIC",
            "grant USAGE on SCHEMA \"s\" to PUBLIC",
            "owner of TABLE \"t\" to \"app\"",
            "add foreign key \"f\" on \"t\"",
            "add foreign key \"g\" on \"t\"",
            "create unique index \"u\" on \"t\"",
            "comment index \"i\"",
            "add labels to type \"mood\"",
            "add labels to type \"size\"",
        ];
        let plan = Plan {
            dialect: Dialect::Postgres,
            from_hash: String::new(),
            to_hash: String::new(),
            steps: steps.iter().map(|d| step(d)).collect(),
        };
        assert_eq!(
            summary(&plan),
            "2 foreign keys added, 1 index commented, 1 index dropped, 2 labels added, 1 owner changed, \
             2 privileges granted, 1 privilege revoked, 2 tables created, 1 unique index created"
        );
    }
}
