//! The SQLite driver: catalog reading, replay of desired SQL on a scratch database, and apply in one
//! exclusive transaction.

mod apply;
mod catalog;
mod ddl_text;
mod lexer;
mod replay;
mod revisions;

use std::path::Path;
use std::str::FromStr;

use async_trait::async_trait;
use schema_model::{Dialect, Realm};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteLockingMode, SqliteSynchronous};
use sqlx::{ConnectOptions as _, SqliteConnection};

pub use replay::replay;

use crate::{ApplyRequest, ConnectOptions, DbUrl, Driver, Error, Result, Revision};

/// An open SQLite database.
pub struct SqliteDriver {
    url: DbUrl,
    conn: SqliteConnection,
}

impl SqliteDriver {
    /// The open connection, for the live-data checks.
    pub(crate) fn connection(&mut self) -> &mut sqlx::SqliteConnection {
        &mut self.conn
    }

    /// Opens the file a `sqlite:` URL names (or an in-memory database).
    pub async fn connect(url: &DbUrl, options: ConnectOptions) -> Result<Self> {
        let path = url.sqlite_path();
        let memory = path == ":memory:";
        if !memory && !options.create && !Path::new(path).exists() {
            return Err(Error::Connect {
                url: url.redacted().into(),
                reason: format!("the database file {path} does not exist (`schema apply` creates it)"),
            });
        }
        let opts = if memory {
            SqliteConnectOptions::from_str("sqlite::memory:")
                .map_err(|e| Error::BadUrl { url: url.to_string(), reason: e.to_string() })?
        } else {
            SqliteConnectOptions::new().filename(path).create_if_missing(options.create)
        };
        Self::open(url, opts).await
    }

    /// Connects with `opts` (foreign keys off: plans manage them); `url` names the database in
    /// messages.
    async fn open(url: &DbUrl, opts: SqliteConnectOptions) -> Result<Self> {
        let conn = opts
            .foreign_keys(false)
            .connect()
            .await
            .map_err(|e| Error::Connect { url: url.redacted().into(), reason: crate::redact_text(&e.to_string()) })?;
        Ok(SqliteDriver { url: url.clone(), conn })
    }

    /// A scratch database in a file of a temporary directory of its own (removed when the
    /// returned guard drops), for replaying desired SQL. A file leaves its pages to the OS
    /// cache, where `:memory:` would hold them in this process (a page per table and index).
    /// Nothing needs recovering after a crash (no journal, no syncs), one connection holds it,
    /// and pages are read through a memory map rather than copied by a read each, since every
    /// DDL statement scans `sqlite_master`: `schema plan` of 5,000 tables took 7.1 s and
    /// 225 MB so, against 9.1 s and 281 MB in memory.
    pub(crate) async fn scratch() -> Result<(Self, tempfile::TempDir)> {
        let dir = tempfile::Builder::new().prefix("schema-desired-").tempdir().map_err(|e| Error::Connect {
            url: "a scratch SQLite database".into(),
            reason: format!("cannot create a temporary directory: {e}"),
        })?;
        let path = dir.path().join("desired.db");
        let opts = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off)
            .locking_mode(SqliteLockingMode::Exclusive)
            .pragma("mmap_size", "1073741824");
        // The URL only names the file in messages; the path is opened as it is.
        let url = DbUrl::parse(&format!("sqlite://{}", path.display()))?;
        Ok((Self::open(&url, opts).await?, dir))
    }
}

#[async_trait(?Send)]
impl Driver for SqliteDriver {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn url(&self) -> &DbUrl {
        &self.url
    }

    async fn inspect(&mut self) -> Result<Realm> {
        catalog::inspect(&mut self.conn).await
    }

    async fn apply(&mut self, request: ApplyRequest<'_>) -> Result<Revision> {
        apply::apply(&mut self.conn, request).await
    }

    async fn revisions(&mut self) -> Result<Vec<Revision>> {
        revisions::list(&mut self.conn).await
    }

    fn data_probe(&mut self) -> &mut dyn schema_diff::DataProbe {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `.cargo/config.toml` builds the bundled SQLite without its 64-bucket cap on name hash
    /// tables; without it, inspecting thousands of tables walks long chains per pragma.
    #[tokio::test]
    async fn the_bundled_sqlite_has_no_soft_malloc_limit() {
        let url = DbUrl::parse("sqlite::memory:").unwrap();
        let mut db = SqliteDriver::connect(&url, ConnectOptions { create: false }).await.unwrap();
        let options: Vec<(String,)> =
            sqlx::query_as("PRAGMA compile_options").fetch_all(db.connection()).await.unwrap();
        assert!(
            options.iter().any(|(o,)| o == "MALLOC_SOFT_LIMIT=0"),
            "LIBSQLITE3_FLAGS from .cargo/config.toml did not reach the SQLite build: {options:?}"
        );
    }
}
