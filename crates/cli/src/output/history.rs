//! Revisions as a table for a person.

use std::fmt::Write;

use schema_inspect::Revision;

/// The revisions, newest last, one line each.
pub fn history_text(revisions: &[Revision]) -> String {
    if revisions.is_empty() {
        return "No revisions recorded: schema never applied a change to this database.\n".into();
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>4}  {:<9} {:<11} {:<20} {:<12} {:<12} {:>7} {:>8}  who",
        "id", "kind", "status", "when (UTC)", "from", "to", "steps", "ms"
    );
    for r in revisions {
        let _ = writeln!(
            out,
            "{:>4}  {:<9} {:<11} {:<20} {:<12} {:<12} {:>7} {:>8}  {}",
            r.id,
            r.kind,
            r.status,
            r.started_at.trim_end_matches('Z').replace('T', " "),
            &r.from_hash[..r.from_hash.len().min(12)],
            &r.to_hash[..r.to_hash.len().min(12)],
            format!("{}/{}", r.applied, r.total),
            r.duration_ms,
            r.actor
        );
        if let Some(e) = &r.error {
            let _ = writeln!(out, "      error: {}", e.lines().next().unwrap_or(""));
        }
    }
    out
}
