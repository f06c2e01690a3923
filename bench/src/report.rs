//! The benchmark's results as a section of BENCHMARKS.md, replacing the previous run's.

use std::path::Path;
use std::time::Duration;

/// The section's heading.
const HEADING: &str = "## Write stall during online changes";

/// One apply measured.
pub struct Row {
    /// What changed.
    pub change: String,
    /// The longest time without a completed write while the apply ran.
    pub stall: Duration,
    /// How long the apply took.
    pub apply: Duration,
    /// Writes completed while the apply ran.
    pub writes: usize,
    /// Writes that failed.
    pub failed: Vec<String>,
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The cores, and the load when the run ended: the figures are only comparable within a run.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").ok();
    let load = load.as_deref().and_then(|l| l.split_whitespace().next()).unwrap_or("unknown");
    format!("{cores} cores, load average {load} at the end of the run")
}

/// The markdown section for `rows` (plain and online of each change, in that order).
pub fn section(rows: &[Row], table_rows: i64, schema: &Path) -> String {
    let mut s = format!(
        "{HEADING}\n\nMeasured by `cargo run -p schema-bench` (bench/src/main.rs) on a PostgreSQL table of \
         {table_rows} rows: `schema apply` makes each change once plain and once with `--online`, while a second \
         connection inserts and updates in a loop (one write per transaction). The stall is the longest time \
         without a completed write while the apply ran; every write must succeed. Binary: `{}`. Machine: {}.\n\n\
         | change | plain: longest stall | online: longest stall | plain / online | plain: apply, writes | online: apply, writes | failed writes |\n\
         |---|---|---|---|---|---|---|\n",
        schema.file_name().map_or_else(|| schema.display().to_string(), |f| {
            let profile = schema.parent().and_then(Path::file_name).map(|p| p.to_string_lossy().into_owned());
            format!("target/{}/{}", profile.unwrap_or_default(), f.to_string_lossy())
        }),
        machine()
    );
    for pair in rows.chunks(2) {
        let [plain, online] = pair else { continue };
        let ratio = plain.stall.as_secs_f64() / online.stall.as_secs_f64().max(1e-6);
        s.push_str(&format!(
            "| {} | {} | {} | {ratio:.1}× | {}, {} | {}, {} | {} |\n",
            plain.change,
            ms(plain.stall),
            ms(online.stall),
            ms(plain.apply),
            plain.writes,
            ms(online.apply),
            online.writes,
            plain.failed.len() + online.failed.len()
        ));
    }
    s
}

/// Puts `section` into the file at `path`, replacing the section of an earlier run.
pub fn write(path: &Path, section: &str) -> Result<(), String> {
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n".into());
    let start = old.find(HEADING);
    let new = match start {
        Some(i) => {
            let end = old[i + HEADING.len()..].find("\n## ").map_or(old.len(), |j| i + HEADING.len() + j + 1);
            format!("{}{section}{}", &old[..i], &old[end..])
        }
        None => format!("{}\n{section}", old.trim_end_matches('\n').to_string() + "\n"),
    };
    std::fs::write(path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
