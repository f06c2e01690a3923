//! The acceptance loop shared by the server dialects' suites: load `before` with the server's
//! own client, apply `after` with `schema` and a dev database, compare with `after` loaded
//! directly using the suite's own catalog queries, and re-plan to empty.

use crate::my::MyDb;
use crate::pg::PgDb;
use crate::{schema, Scratch};

/// A throwaway database on a server, as the suites use it.
pub trait ServerDb: Sized {
    /// A fresh, uniquely named database; None when the server is unreachable outside CI.
    fn create(prefix: &str) -> Option<Self>;
    /// Its URL.
    fn url(&self) -> String;
    /// Runs SQL with the server's own client.
    fn exec(&self, sql: &str) -> Vec<String>;
    /// The catalog snapshot of the suites' own queries.
    fn snapshot(url: &str) -> String;
}

impl ServerDb for PgDb {
    fn create(prefix: &str) -> Option<Self> {
        PgDb::create(prefix)
    }
    fn url(&self) -> String {
        PgDb::url(self)
    }
    fn exec(&self, sql: &str) -> Vec<String> {
        PgDb::exec(self, sql)
    }
    fn snapshot(url: &str) -> String {
        crate::pg_catalog::snapshot(url)
    }
}

impl ServerDb for MyDb {
    fn create(prefix: &str) -> Option<Self> {
        MyDb::create(prefix)
    }
    fn url(&self) -> String {
        MyDb::url(self)
    }
    fn exec(&self, sql: &str) -> Vec<String> {
        MyDb::exec(self, sql)
    }
    fn snapshot(url: &str) -> String {
        crate::my_catalog::snapshot(url)
    }
}

/// A migrated database, kept for further checks.
pub struct Applied<D> {
    /// The database the plan was applied to.
    pub db: D,
    /// What `schema apply` printed.
    pub stdout: String,
    /// The dev database's URL.
    pub dev_url: String,
    _dev: D,
    _scratch: Scratch,
}

/// Runs the loop with a dev database, allowing the hazard codes `allow`, then the HCL round
/// trip; None when the server is unreachable outside CI.
pub fn converge_with_dev<D: ServerDb>(before: &str, after: &str, seed: &str, allow: &str) -> Option<Applied<D>> {
    converge_scoped::<D>(before, after, seed, allow, &[], &D::snapshot, &D::snapshot)
}

/// The loop with `extra` arguments on every inspect, plan and apply (a scope such as
/// `--manage-roles`), the catalogs compared through `snap`, then the HCL round trip in the same
/// scope, compared through `scoped` (what the scope carries: a database made from the HCL has
/// no privileges of roles the scope leaves out).
pub fn converge_scoped<D: ServerDb>(
    before: &str,
    after: &str,
    seed: &str,
    allow: &str,
    extra: &[&str],
    snap: &dyn Fn(&str) -> String,
    scoped: &dyn Fn(&str) -> String,
) -> Option<Applied<D>> {
    let a = D::create("schema_e2e")?;
    let dev = D::create("schema_e2e_dev")?;
    if !before.trim().is_empty() {
        a.exec(before);
    }
    if !seed.trim().is_empty() {
        a.exec(seed);
    }
    let scratch = Scratch::new();
    let to = scratch.write("after.sql", after);
    let (url, dev_url) = (a.url(), dev.url());
    let mut args = vec!["apply", "--url", &url, "--to", &to, "--dev-url", &dev_url, "--auto-approve", "--allow", allow];
    args.extend(extra);
    let run = schema(&args);
    assert_eq!(run.code, 0, "apply failed:\n{}\n{}", run.stdout, run.stderr);
    let b = D::create("schema_e2e_ref")?;
    b.exec(after);
    assert_eq!(
        snap(&url),
        snap(&b.url()),
        "catalog after apply differs from `after` loaded directly\nplan:\n{}",
        run.stdout
    );
    let mut again = vec!["plan", "--url", &url, "--to", &to, "--dev-url", &dev_url, "--exit-code"];
    again.extend(extra);
    let again = schema(&again);
    assert_eq!(again.code, 0, "re-plan is not empty:\n{}{}", again.stdout, again.stderr);
    let empty = D::create("schema_e2e_hcl")?;
    crate::hcl_trip::round_trip(&url, &empty.url(), Some(&dev_url), allow, extra, scoped);
    Some(Applied { db: a, stdout: run.stdout, dev_url, _dev: dev, _scratch: scratch })
}
