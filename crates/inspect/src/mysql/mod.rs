//! The MySQL and MariaDB driver: catalog reading of one database in a fixed number of
//! `information_schema` queries, replay of desired SQL in a scratch database on a dev server,
//! and apply statement by statement under `GET_LOCK`, undoing the steps already done when one
//! fails (MySQL DDL commits itself, so there is no transaction to roll back).
//!
//! MariaDB is what the suites run against; where MySQL 8 reports the catalog differently the
//! code says so in a `// MySQL 8:` comment.

mod apply;
mod catalog;
mod replay;
mod revisions;
mod undo;

use std::str::FromStr;

use async_trait::async_trait;
use schema_model::{Dialect, Realm};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::{ConnectOptions as _, Connection as _};

pub use catalog::{Extras, ViewOptions};
pub use replay::{replay, replay_with_extras};

use crate::error::db_err;
use crate::{ApplyRequest, DbUrl, Driver, Error, Result, Revision};

/// An open MySQL or MariaDB database: the one the URL's path names.
pub struct MysqlDriver {
    url: DbUrl,
    conn: MySqlConnection,
    database: String,
    server: Server,
}

impl MysqlDriver {
    /// The open connection, for the live-data checks.
    pub(crate) fn connection(&mut self) -> &mut sqlx::MySqlConnection {
        &mut self.conn
    }

    /// Connects to the database a `mysql://` or `mariadb://` URL names.
    pub async fn connect(url: &DbUrl) -> Result<Self> {
        let target = Target::parse(url)?;
        let mut conn = target.open(url, None).await?;
        let server = Server::detect(&mut conn).await?;
        Ok(MysqlDriver { url: url.clone(), conn, database: target.database, server })
    }

    /// The managed database's name.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// Reads the model together with what the model has no field for yet.
    pub async fn inspect_with_extras(&mut self) -> Result<(Realm, Extras)> {
        catalog::inspect(&mut self.conn, &self.database, self.server).await
    }

    /// Closes the connection cleanly.
    pub async fn close(self) -> Result<()> {
        self.conn.close().await.map_err(db_err("closing the connection"))
    }
}

#[async_trait(?Send)]
impl Driver for MysqlDriver {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn url(&self) -> &DbUrl {
        &self.url
    }

    async fn inspect(&mut self) -> Result<Realm> {
        Ok(self.inspect_with_extras().await?.0)
    }

    async fn apply(&mut self, request: ApplyRequest<'_>) -> Result<Revision> {
        apply::apply(&mut self.conn, &self.database, self.server, request).await
    }

    async fn revisions(&mut self) -> Result<Vec<Revision>> {
        revisions::list(&mut self.conn, &self.database).await
    }

    fn data_probe(&mut self) -> &mut dyn schema_diff::DataProbe {
        self
    }
}

/// Which server family and version is on the other end; decides a few catalog columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Server {
    /// MariaDB rather than MySQL.
    pub mariadb: bool,
    /// Major and minor version (`(10, 11)`, `(8, 0)`).
    pub version: (u32, u32),
}

impl Server {
    /// Asks the server what it is.
    pub async fn detect(conn: &mut MySqlConnection) -> Result<Server> {
        let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)")
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err("reading the server version"))?;
        Ok(Server::parse(&version))
    }

    /// Reads a `VERSION()` string such as `10.11.6-MariaDB-0+deb12u1` or `8.0.36`.
    pub fn parse(version: &str) -> Server {
        let version = version.strip_prefix("5.5.5-").unwrap_or(version);
        let mut numbers = version.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse::<u32>().ok());
        let major = numbers.next().unwrap_or(0);
        let minor = numbers.next().unwrap_or(0);
        Server { mariadb: version.to_ascii_lowercase().contains("mariadb"), version: (major, minor) }
    }
}

/// What a URL asks for: sqlx's connection options and the database to manage.
pub(crate) struct Target {
    /// Options for sqlx, with the session settings every connection of ours uses.
    pub options: MySqlConnectOptions,
    /// The database the URL's path names.
    pub database: String,
}

impl Target {
    /// Parses a `mysql://` or `mariadb://` URL; the database name is required.
    pub fn parse(url: &DbUrl) -> Result<Self> {
        let bad = |reason: String| Error::BadUrl { url: url.redacted().into(), reason: crate::redact_text(&reason) };
        let options = MySqlConnectOptions::from_str(url.secret()).map_err(|e| bad(e.to_string()))?;
        let database = options.get_database().unwrap_or_default().to_string();
        if database.is_empty() || database.contains('/') {
            return Err(bad("name one database: mysql://user@host:3306/DATABASE".into()));
        }
        // The server's own SQL mode, as the mysql client has it: `||` stays OR. The session
        // time zone stays UTC (sqlx's choice), so TIMESTAMP defaults read the same in every
        // session that inspects.
        let options = options.pipes_as_concat(false);
        Ok(Target { options, database })
    }

    /// Opens one connection, to `database` instead of the URL's when given; errors never show
    /// the password.
    pub async fn open(&self, url: &DbUrl, database: Option<&str>) -> Result<MySqlConnection> {
        let options = match database {
            Some(db) => self.options.clone().database(db),
            None => self.options.clone(),
        };
        options.connect().await.map_err(|e| connect_error(url, &e))
    }
}

/// A connection failure, password hidden.
pub(crate) fn connect_error(url: &DbUrl, e: &sqlx::Error) -> Error {
    Error::Connect { url: url.redacted().into(), reason: crate::redact_text(&e.to_string()) }
}

/// The server's message for a failed statement, without the driver's decoration.
pub(crate) fn my_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => d.message().to_string(),
        other => crate::redact_text(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_one_database() {
        let t = Target::parse(&DbUrl::parse("mariadb://bob:pw@db:3307/app%20x?sslmode=disabled").unwrap()).unwrap();
        assert_eq!(t.database, "app x");
        assert_eq!(t.options.get_port(), 3307);
        let err = Target::parse(&DbUrl::parse("mysql://u:secret@db:3306").unwrap()).err().unwrap().to_string();
        assert!(err.contains("name one database") && !err.contains("secret"), "{err}");
    }

    #[test]
    fn versions_are_read() {
        assert_eq!(Server::parse("10.11.6-MariaDB-0+deb12u1"), Server { mariadb: true, version: (10, 11) });
        assert_eq!(Server::parse("8.0.36"), Server { mariadb: false, version: (8, 0) });
        assert_eq!(Server::parse("5.5.5-10.6.12-MariaDB"), Server { mariadb: true, version: (10, 6) });
    }
}
