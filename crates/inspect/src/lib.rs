//! Database drivers of `schema`: one module per dialect reads the catalog into the model,
//! replays desired SQL on a dev database, runs plans under a lock and keeps the audit trail.
//! Deciding what to change is not this crate's job.

// Errors carry the source text so reports can underline it; they are rare and returned once.
#![allow(clippy::result_large_err)]

mod ddl_cursor;
mod error;
mod exec;
pub mod mysql;
pub mod postgres;
mod probe;
mod revision;
mod source;
pub mod sqlite;
mod url;

use async_trait::async_trait;
use schema_model::{Dialect, Realm};

pub use error::{Error, Result};
pub use exec::{ApplyRequest, GroupTimeouts, Reporter, RetryPolicy, StatementGroup, Verifier};
pub use revision::Revision;
pub use source::{apply_renames, expand_sources, Source};
pub use url::{is_url, redact_text, DbUrl};

/// The table that holds the audit trail; never reported, diffed or dropped as a user object.
pub const REVISIONS_TABLE: &str = "schema_revisions";

/// One open connection to a database of some dialect.
#[async_trait(?Send)]
pub trait Driver {
    /// The dialect of the connected database.
    fn dialect(&self) -> Dialect;

    /// The URL, for messages (password hidden when printed).
    fn url(&self) -> &DbUrl;

    /// Reads the structure of every user object into the model.
    async fn inspect(&mut self) -> Result<Realm>;

    /// Runs a plan under the dialect's lock: checks the starting point, runs the statements,
    /// verifies the result, and records the revision. On failure nothing is kept and a failed
    /// revision is recorded.
    async fn apply(&mut self, request: ApplyRequest<'_>) -> Result<Revision>;

    /// The recorded revisions, oldest first (empty when none was ever recorded).
    async fn revisions(&mut self) -> Result<Vec<Revision>>;

    /// The same connection as a live-data probe, for the hazards' checks.
    fn data_probe(&mut self) -> &mut dyn schema_diff::DataProbe;
}

/// How to open a connection.
#[derive(Clone, Copy, Debug, Default)]
pub struct ConnectOptions {
    /// Create a missing SQLite file (apply does; reading commands refuse a missing file).
    pub create: bool,
}

/// Opens a connection to `url` with the driver of its dialect.
pub async fn connect(url: &DbUrl, options: ConnectOptions) -> Result<Box<dyn Driver>> {
    match url.dialect {
        Dialect::Sqlite => Ok(Box::new(sqlite::SqliteDriver::connect(url, options).await?)),
        Dialect::Postgres => Ok(Box::new(postgres::PostgresDriver::connect(url).await?)),
        Dialect::Mysql => Ok(Box::new(mysql::MysqlDriver::connect(url).await?)),
    }
}

/// Loads a desired state given as SQL files into the model, through the dialect's exact path
/// (replay on a dev database, which for SQLite is an in-memory one), or for PostgreSQL
/// without `dev_url` through offline parsing, which refuses what it cannot reproduce.
pub async fn load_sql(
    dialect: Dialect,
    files: &[schema_model::sql::SourceFile],
    dev_url: Option<&DbUrl>,
) -> Result<Realm> {
    load_sql_for(dialect, files, dev_url, None).await
}

/// [`load_sql`] for the database at `home`, the one the files describe (a plan's target): on
/// MySQL, names the files qualify with that database's name mean its own objects.
pub async fn load_sql_for(
    dialect: Dialect,
    files: &[schema_model::sql::SourceFile],
    dev_url: Option<&DbUrl>,
    home: Option<&DbUrl>,
) -> Result<Realm> {
    match dialect {
        Dialect::Sqlite => sqlite::replay(files).await,
        Dialect::Postgres => match dev_url {
            Some(dev) => postgres::replay(files, dev).await,
            None => postgres::offline(files),
        },
        Dialect::Mysql => match dev_url {
            Some(dev) => mysql::replay(files, dev, home).await,
            None => Err(Error::Unsupported(
                "reading MySQL SQL files needs --dev-url mysql://…/EMPTY_DB: the files are replayed on a \
                 scratch database on that server (offline parsing is not built yet)"
                    .into(),
            )),
        },
    }
}
