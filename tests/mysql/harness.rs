//! The acceptance loop for MySQL pairs.

use schema_e2e::my::MyDb;
use schema_e2e::my_catalog::snapshot;
use schema_e2e::{schema, Scratch};

/// Every hazard code, for cases that test convergence rather than policy.
pub const ALLOW_ALL: &str = "DS101,DS102,DS103,DS104,MF101,MF103,MF104,MF105,BC101,BC102,LK105";

/// A migrated database, kept for further checks.
pub struct Applied {
    pub db: MyDb,
    #[allow(dead_code)]
    pub stdout: String,
    _scratch: Scratch,
}

/// Runs the loop with a dev database; None when MariaDB is unreachable outside CI.
pub fn converge(before: &str, after: &str, seed: &str) -> Option<Applied> {
    let a = MyDb::create("schema_e2e")?;
    let dev = MyDb::create("schema_e2e_dev")?;
    if !before.trim().is_empty() {
        a.exec(before);
    }
    if !seed.trim().is_empty() {
        a.exec(seed);
    }
    let scratch = Scratch::new();
    let to = scratch.write("after.sql", after);
    let (url, dev_url) = (a.url(), dev.url());
    let run =
        schema(&["apply", "--url", &url, "--to", &to, "--dev-url", &dev_url, "--auto-approve", "--allow", ALLOW_ALL]);
    assert_eq!(run.code, 0, "apply failed:\n{}\n{}", run.stdout, run.stderr);
    let b = MyDb::create("schema_e2e_ref")?;
    b.exec(after);
    assert_eq!(
        snapshot(&url),
        snapshot(&b.url()),
        "catalog after apply differs from `after` loaded directly\nplan:\n{}",
        run.stdout
    );
    let again = schema(&["plan", "--url", &url, "--to", &to, "--dev-url", &dev_url, "--exit-code"]);
    assert_eq!(again.code, 0, "re-plan is not empty:\n{}{}", again.stdout, again.stderr);
    Some(Applied { db: a, stdout: run.stdout, _scratch: scratch })
}

/// Both directions.
pub fn both_ways(before: &str, after: &str) {
    converge(before, after, "");
    converge(after, before, "");
}
