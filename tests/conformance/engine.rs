//! What a dialect module gives the shared runner. Adding PostgreSQL or MySQL means one more
//! module implementing this trait (fresh database, loader, independent catalog snapshot) and
//! one more `#[test]` in `main.rs`; the checks, the report and the known-failure list are
//! shared.

use schema_e2e::Scratch;

use crate::case::{Case, Server, Skip};

/// A dialect the conformance runner can drive.
pub trait Engine: Sync {
    /// One database a case creates (a file, a database name, ...).
    type Db;

    /// The dialect's name: its corpus folder.
    fn name(&self) -> &'static str;

    /// The run's name: its known-failure file and report section (a dialect may be run in
    /// more than one mode, e.g. with and without a dev database).
    fn label(&self) -> String {
        self.name().to_string()
    }

    /// One sentence on how the run uses the tool, for the report.
    fn mode(&self) -> String {
        String::new()
    }

    /// How many cases run at once.
    fn workers(&self) -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
    }

    /// Whether every check makes its own plans even where another check already implies the
    /// outcome. A dialect whose plans are expensive (a replay of desired SQL on a dev
    /// database) may answer false; then the runner relies on two facts. Apply re-inspects
    /// before it commits and rolls back unless the result matches the desired state, which
    /// is the diff a re-plan makes, so Check 2 and the last step of Check 3 re-plan only after
    /// a withheld apply. And when the forward checks and the way back both pass (and the case
    /// is not partial), A went back to exactly its snapshot from right after `current` was
    /// loaded and our tool verified it equal to `current`, which is what Check 0 asks; so
    /// Check 0 runs only when something failed, on a fresh A, and its failure then comes
    /// first as it would have.
    fn exhaustive(&self) -> bool {
        true
    }

    /// Called by each worker thread after its last case: release what the worker kept for
    /// reuse. (Thread-local destructors are not enough: a scope may return, and the process
    /// exit, before they finish.)
    fn worker_done(&self) {}

    /// The version and flavor the gates compare against.
    fn server(&self) -> Result<Server, String>;

    /// A reason the server cannot run a case that the gates admit (a missing collation).
    fn unavailable(&self, _case: &Case) -> Option<Skip> {
        None
    }

    /// A fresh, empty database for one case, set up for it (e.g. its role); `label` tells a
    /// case's databases apart.
    fn fresh(&self, scratch: &Scratch, case: &Case, label: &str) -> Result<Self::Db, String>;

    /// The URL our tool is given for `db`.
    fn url(&self, db: &Self::Db) -> String;

    /// Arguments every `plan`/`apply` against `db` gets besides the URL (e.g. `--dev-url`).
    fn tool_args(&self, _db: &Self::Db) -> Vec<String> {
        Vec::new()
    }

    /// Loads a SQL script into `db` the way sqldef loads a fixture.
    fn load(&self, db: &Self::Db, sql: &str) -> Result<(), String>;

    /// SQL run on reference B before `desired`, from A as loaded from `current`: what sqldef
    /// assumes survives and `desired` does not create itself (PostgreSQL: the schemas, which
    /// sqldef never drops).
    fn carried(&self, _a: &Self::Db, _desired: &str) -> Result<String, String> {
        Ok(String::new())
    }

    /// The `desired` text reference B is built from: the case's own, or a corrected copy
    /// when the corpus README says it is not valid SQL for the server as written.
    fn reference_desired(&self, case: &Case) -> String {
        case.desired.clone()
    }

    /// A catalog snapshot taken independently of our inspector; equal text means the same
    /// structure under the dialect's normalizations.
    fn snapshot(&self, db: &Self::Db) -> Result<String, String>;

    /// Puts one row into every table, every column set to 1, for the rename data check.
    fn seed(&self, db: &Self::Db) -> Result<(), String>;

    /// Deletes every row again, so the way back starts from empty tables as upstream's does.
    fn unseed(&self, db: &Self::Db) -> Result<(), String>;

    /// `count(*)` of a table, or `count(column)`: the column's non-NULL values.
    fn count(&self, db: &Self::Db, table: &str, column: Option<&str>) -> Result<i64, String>;
}
