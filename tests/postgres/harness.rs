//! The acceptance loop for PostgreSQL pairs.

use schema_e2e::pg::PgDb;
use schema_e2e::pg_catalog::snapshot;
use schema_e2e::{schema, Scratch};

/// Every hazard code, for cases that test convergence rather than policy.
pub const ALLOW_ALL: &str = "DS101,DS102,DS103,DS104,MF101,MF103,MF104,MF105,BC101,BC102,LK101,LK102,LK103,LK104,LK107";

/// A migrated database, kept for further checks.
pub type Applied = schema_e2e::converge::Applied<PgDb>;

/// Runs the loop with a dev database and again without one (offline); None when PostgreSQL is
/// unreachable outside CI.
pub fn converge(before: &str, after: &str, seed: &str) -> Option<Applied> {
    let applied = converge_with_dev(before, after, seed)?;
    converge_offline(before, after, seed);
    Some(applied)
}

/// Without a dev database the files are read offline: the result must be the same catalog and
/// an empty re-plan, or a refusal that names the place and asks for --dev-url; never a wrong plan.
fn converge_offline(before: &str, after: &str, seed: &str) {
    let Some(a) = PgDb::create("schema_e2e_off") else { return };
    if !before.trim().is_empty() {
        a.exec(before);
    }
    if !seed.trim().is_empty() {
        a.exec(seed);
    }
    let scratch = Scratch::new();
    let to = scratch.write("after.sql", after);
    let url = a.url();
    let before_apply = snapshot(&url);
    let run = schema(&["apply", "--url", &url, "--to", &to, "--auto-approve", "--allow", ALLOW_ALL]);
    if run.code == 1 && run.stderr.contains("offline mode cannot reproduce") {
        assert!(run.stderr.contains("--dev-url"), "a refusal says what to do:\n{}", run.stderr);
        assert_eq!(snapshot(&url), before_apply, "a refusal changes nothing");
        return;
    }
    assert_eq!(run.code, 0, "offline apply failed:\n{}\n{}", run.stdout, run.stderr);
    let Some(b) = PgDb::create("schema_e2e_offref") else { return };
    b.exec(after);
    assert_eq!(
        snapshot(&url),
        snapshot(&b.url()),
        "offline: catalog after apply differs from `after`\nplan:\n{}",
        run.stdout
    );
    let again = schema(&["plan", "--url", &url, "--to", &to, "--exit-code"]);
    assert_eq!(again.code, 0, "offline re-plan is not empty:\n{}{}", again.stdout, again.stderr);
}

/// The loop with a dev database.
fn converge_with_dev(before: &str, after: &str, seed: &str) -> Option<Applied> {
    schema_e2e::converge::converge_with_dev(before, after, seed, ALLOW_ALL)
}

/// Both directions.
pub fn both_ways(before: &str, after: &str) {
    converge(before, after, "");
    converge(after, before, "");
}
