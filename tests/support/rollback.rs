//! The rollback acceptance of issue 6, shared by the server dialects' suites: apply a change
//! that adds a table, changes a column type and adds an index, then `schema rollback`, and
//! compare the catalog with the snapshot taken before the apply by the suite's own queries.

use crate::converge::ServerDb;
use crate::{schema, Scratch};

/// One rollback case: the states, and what the two plans and the rows must show.
pub struct Case<'a> {
    /// The structure before the apply.
    pub before: &'a str,
    /// Rows put in before the apply.
    pub seed: &'a str,
    /// The desired state applied.
    pub after: &'a str,
    /// The hazard codes both runs allow.
    pub allow: &'a str,
    /// Texts the apply plan must contain.
    pub apply_has: &'a [&'a str],
    /// Texts the rollback plan must contain.
    pub rollback_has: &'a [&'a str],
    /// A query over the seeded rows, and its rows after the rollback.
    pub rows: (&'a str, &'a [&'a str]),
}

/// Loads `before` and `seed`, applies `after` (through a dev database), rolls back, and
/// asserts the catalog is the `before` snapshot again, the rows are kept, and history records
/// both runs. Does nothing when the server is unreachable outside CI.
pub fn apply_then_rollback<D: ServerDb>(case: &Case<'_>) {
    let Case { before, seed, after, allow, .. } = *case;
    let (Some(a), Some(dev)) = (D::create("schema_e2e_rb"), D::create("schema_e2e_dev")) else { return };
    a.exec(before);
    a.exec(seed);
    let url = a.url();
    let snapshot_before = D::snapshot(&url);
    let scratch = Scratch::new();
    let to = scratch.write("after.sql", after);
    let run =
        schema(&["apply", "--url", &url, "--to", &to, "--dev-url", &dev.url(), "--auto-approve", "--allow", allow]);
    assert_eq!(run.code, 0, "apply failed:\n{}\n{}", run.stdout, run.stderr);
    assert_ne!(D::snapshot(&url), snapshot_before, "the apply changed the catalog");
    for expected in case.apply_has {
        assert!(run.stdout.contains(expected), "missing {expected:?} in the apply:\n{}", run.stdout);
    }
    let back = schema(&["rollback", "--url", &url, "--auto-approve", "--allow", allow]);
    assert_eq!(back.code, 0, "rollback failed:\n{}\n{}", back.stdout, back.stderr);
    assert_eq!(D::snapshot(&url), snapshot_before, "rollback brings the catalog back\nrollback plan:\n{}", back.stdout);
    for expected in case.rollback_has {
        assert!(back.stdout.contains(expected), "missing {expected:?} in the rollback:\n{}", back.stdout);
    }
    assert_eq!(a.exec(case.rows.0), case.rows.1, "the rows are kept");
    let history = schema(&["history", "--url", &url, "--format", "json"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
    let revs: serde_json::Value = serde_json::from_str(&history.stdout).expect("history is JSON");
    let kinds: Vec<(&str, &str)> = revs
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| (r["kind"].as_str().unwrap_or(""), r["status"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(kinds, [("apply", "applied"), ("rollback", "applied")]);
    let again = schema(&["plan", "--url", &url, "--to", &to, "--dev-url", &dev.url(), "--exit-code"]);
    assert_eq!(again.code, 2, "after rollback the files differ again:\n{}{}", again.stdout, again.stderr);
}
