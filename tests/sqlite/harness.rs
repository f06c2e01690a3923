//! The acceptance loop of every pair: load `before` directly, apply `after` with `schema`,
//! compare with `after` loaded directly, and re-plan to empty.

use schema_e2e::sqlite_catalog::{load, snapshot};
use schema_e2e::{schema, Scratch};

/// Every hazard code, for cases that test convergence rather than policy.
pub const ALLOW_ALL: &str = "DS101,DS102,DS103,DS104,MF101,MF103,MF104,MF105,BC101,BC102,LK106";

/// One applied pair, kept so a test can inspect the database afterwards.
pub struct Applied {
    pub scratch: Scratch,
    pub stdout: String,
}

impl Applied {
    /// Rows of a query against the migrated database, through the sqlite3 shell.
    pub fn rows(&self, sql: &str) -> Vec<String> {
        let out =
            std::process::Command::new("sqlite3").arg(self.scratch.path("a.db")).arg(sql).output().expect("sqlite3");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
    }
}

/// Runs the loop; `seed` runs after `before` is loaded, to put rows in.
pub fn converge(before: &str, after: &str, seed: &str) -> Applied {
    let scratch = Scratch::new();
    let a = scratch.path("a.db");
    if !before.trim().is_empty() {
        load(&a, before);
    }
    if !seed.trim().is_empty() {
        load(&a, seed);
    }
    let to = scratch.write("after.sql", after);
    let url = scratch.sqlite_url("a.db");
    let run = schema(&["apply", "--url", &url, "--to", &to, "--auto-approve", "--allow", ALLOW_ALL]);
    assert_eq!(run.code, 0, "apply failed:\n{}\n{}", run.stdout, run.stderr);
    let b = scratch.path("b.db");
    load(&b, after);
    let (got, want) = (snapshot(&a), snapshot(&b));
    assert_eq!(got, want, "catalog after apply differs from `after` loaded directly\nplan was:\n{}", run.stdout);
    let again = schema(&["plan", "--url", &url, "--to", &to, "--exit-code"]);
    assert_eq!(again.code, 0, "re-plan is not empty:\n{}{}", again.stdout, again.stderr);
    assert!(again.stdout.starts_with("No changes"), "{}", again.stdout);
    let empty = scratch.sqlite_url("hcl.db");
    schema_e2e::hcl_trip::round_trip(&url, &empty, None, ALLOW_ALL, &[], &|u: &str| {
        snapshot(std::path::Path::new(u.trim_start_matches("sqlite://")))
    });
    Applied { scratch, stdout: run.stdout }
}
