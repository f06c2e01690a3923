//! What a dialect module gives the shared runner. Adding PostgreSQL or MySQL means one more
//! module implementing this trait (fresh database, loader, independent catalog snapshot) and
//! one more `#[test]` in `main.rs`; the checks, the report and the known-failure list are
//! shared.

use schema_e2e::Scratch;

use crate::case::Server;

/// A dialect the conformance runner can drive.
pub trait Engine: Sync {
    /// One database a case creates (a file, a database name, ...).
    type Db;

    /// The dialect's name: its corpus folder, known-failure file and report section.
    fn name(&self) -> &'static str;

    /// The version and flavor the gates compare against.
    fn server(&self) -> Result<Server, String>;

    /// A fresh, empty database for one case; `label` tells a case's databases apart.
    fn fresh(&self, scratch: &Scratch, label: &str) -> Result<Self::Db, String>;

    /// The URL our tool is given for `db`.
    fn url(&self, db: &Self::Db) -> String;

    /// Loads a SQL script as written, with the database's own client; no reordering.
    fn load(&self, db: &Self::Db, sql: &str) -> Result<(), String>;

    /// A catalog snapshot taken independently of our inspector; equal text means the same
    /// structure under the dialect's normalizations.
    fn snapshot(&self, db: &Self::Db) -> Result<String, String>;

    /// Puts one row into every table, every column set to 1, for the rename data check.
    fn seed(&self, db: &Self::Db) -> Result<(), String>;

    /// `count(*)` of a table, or `count(column)`: the column's non-NULL values.
    fn count(&self, db: &Self::Db, table: &str, column: Option<&str>) -> Result<i64, String>;
}
