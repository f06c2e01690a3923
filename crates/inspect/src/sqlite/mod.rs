//! The SQLite driver: catalog reading, in-memory replay of desired SQL, and apply in one
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
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions as _, SqliteConnection};

pub use catalog::canonical_type;
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
        let conn = opts
            .foreign_keys(false)
            .connect()
            .await
            .map_err(|e| Error::Connect { url: url.redacted().into(), reason: crate::redact_text(&e.to_string()) })?;
        Ok(SqliteDriver { url: url.clone(), conn })
    }

    pub(crate) async fn memory() -> Result<Self> {
        Self::connect(&DbUrl::parse("sqlite::memory:")?, ConnectOptions::default()).await
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
