//! The PostgreSQL driver: catalog reading in a fixed number of queries, replay of desired SQL
//! in a scratch database beside a dev database, and apply in one transaction under an
//! advisory lock.

/// `$oid` (an object of `$catalog`) is not a member of an extension: extension members are
/// not user objects. The members are found from `pg_extension` through `pg_depend`'s index on
/// what is depended on, and hashed once per query: a `NOT EXISTS` on the member's side was an
/// anti-join that scanned all of `pg_depend` (about 10 ms a query at 5,000 tables).
macro_rules! not_extension_member {
    ($catalog:literal, $oid:literal) => {
        concat!(
            $oid,
            " NOT IN (SELECT x.objid FROM pg_extension xe JOIN pg_depend x ON x.refclassid = ",
            "'pg_extension'::regclass AND x.refobjid = xe.oid WHERE x.classid = '",
            $catalog,
            "'::regclass AND x.deptype = 'e')"
        )
    };
}

/// A `LEFT JOIN` of the comment on object `$oid` of catalog `$catalog` (sub-object `$sub`, a
/// column number or 0) as `$d`: `obj_description` and `col_description` run a query of their
/// own for every row, which at thousands of tables cost more than the rest of the read.
macro_rules! description_join {
    ($d:literal, $catalog:literal, $oid:literal, $sub:literal) => {
        concat!(
            " LEFT JOIN pg_description ",
            $d,
            " ON ",
            $d,
            ".objoid = ",
            $oid,
            " AND ",
            $d,
            ".classoid = '",
            $catalog,
            "'::regclass AND ",
            $d,
            ".objsubid = ",
            $sub,
            " "
        )
    };
}

/// The comment on object `$oid` of catalog `$catalog` (sub-object 0) as a scalar lookup through
/// pg_description's index, for queries where a [`description_join!`] would be planned as a
/// nested loop over every comment (the sequences read: 160 ms at 5,000 tables).
macro_rules! description_lookup {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "(SELECT dsc.description FROM pg_description dsc WHERE dsc.objoid = ",
            $oid,
            " AND dsc.classoid = '",
            $catalog,
            "'::regclass AND dsc.objsubid = 0)"
        )
    };
}

/// The name of the collation `$co` (in namespace `$cn`), qualified only outside pg_catalog.
macro_rules! collation_name {
    ($co:literal, $cn:literal) => {
        concat!(
            "CASE WHEN ",
            $cn,
            ".nspname = 'pg_catalog' THEN ",
            $co,
            ".collname::text ELSE ",
            $cn,
            ".nspname || '.' || ",
            $co,
            ".collname END"
        )
    };
}

mod apply;
mod catalog;
mod fk_split;
mod lock_budget;
mod replay;
mod retry;
mod revisions;

use std::str::FromStr;

use async_trait::async_trait;
use schema_model::{quote_ident, Dialect, Realm};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions as _, Connection as _, PgConnection};

pub use apply::LOCK_KEY;
pub use replay::{offline, replay};

use crate::error::db_err;
use crate::{ApplyRequest, DbUrl, Driver, Error, Result, Revision};

/// An open PostgreSQL database, limited to one schema when the URL says `?search_path=NAME`.
pub struct PostgresDriver {
    url: DbUrl,
    conn: PgConnection,
    /// The URL's connection options (for a second connection) and its schemas.
    target: Target,
}

impl PostgresDriver {
    /// The open connection, for the live-data checks.
    pub(crate) fn connection(&mut self) -> &mut sqlx::PgConnection {
        &mut self.conn
    }

    /// Connects to the database a `postgres://` URL names.
    pub async fn connect(url: &DbUrl) -> Result<Self> {
        let target = Target::parse(url)?;
        let mut conn = target.open(url).await?;
        if let Some(names) = &target.scope {
            set_search_path(&mut conn, names).await?;
        }
        Ok(PostgresDriver { url: url.clone(), conn, target })
    }

    /// Closes the connection cleanly.
    pub async fn close(self) -> Result<()> {
        self.conn.close().await.map_err(db_err("closing the connection"))
    }
}

#[async_trait(?Send)]
impl Driver for PostgresDriver {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn url(&self) -> &DbUrl {
        &self.url
    }

    async fn inspect(&mut self) -> Result<Realm> {
        inspect_in_two_lanes(&mut self.conn, &self.target.options, &self.url, self.target.scope.as_deref()).await
    }

    async fn apply(&mut self, request: ApplyRequest<'_>) -> Result<Revision> {
        apply::apply(&mut self.conn, self.target.scope.as_deref(), request).await
    }

    async fn revisions(&mut self) -> Result<Vec<Revision>> {
        revisions::list(&mut self.conn).await
    }

    fn data_probe(&mut self) -> &mut dyn schema_diff::DataProbe {
        self
    }
}

/// What a URL asks for: the connection options sqlx understands, and the schemas to manage.
pub(crate) struct Target {
    /// Options for sqlx; the password comes from the URL or `PGPASSWORD` (sqlx reads both).
    pub options: PgConnectOptions,
    /// The schemas of `?search_path=A,B`, or None for every non-system schema.
    pub scope: Option<Vec<String>>,
}

impl Target {
    /// Splits our `search_path` parameter off the URL and parses the rest with sqlx.
    pub fn parse(url: &DbUrl) -> Result<Self> {
        let bad = |reason: String| Error::BadUrl { url: url.redacted().into(), reason: crate::redact_text(&reason) };
        let mut parsed = url::Url::parse(url.secret()).map_err(|e| bad(e.to_string()))?;
        let mut scope = None;
        let mut rest = Vec::new();
        for (k, v) in parsed.query_pairs() {
            if k == "search_path" {
                let names: Vec<String> =
                    v.split(',').map(|s| s.trim().trim_matches('"').to_string()).filter(|s| !s.is_empty()).collect();
                if names.is_empty() {
                    return Err(bad("search_path names no schema".into()));
                }
                scope = Some(names);
            } else {
                rest.push((k.into_owned(), v.into_owned()));
            }
        }
        if rest.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(rest);
        }
        let mut options = PgConnectOptions::from_str(parsed.as_str()).map_err(|e| bad(e.to_string()))?;
        if options.get_application_name().is_none() {
            options = options.application_name("schema");
        }
        Ok(Target { options, scope })
    }

    /// Opens one connection with these options; errors never show the password.
    pub async fn open(&self, url: &DbUrl) -> Result<PgConnection> {
        self.options.connect().await.map_err(|e| connect_error(url, &e))
    }
}

/// Reads the catalog through `conn` and a second connection opened with `options`, which lets
/// the server run two catalog queries at once; where the server refuses the second (a role or
/// database at its connection limit), the queries run in turn on `conn`. Only for a committed
/// state: a second connection does not see `conn`'s open transaction.
pub(crate) async fn inspect_in_two_lanes(
    conn: &mut PgConnection,
    options: &PgConnectOptions,
    url: &DbUrl,
    scope: Option<&[String]>,
) -> Result<Realm> {
    let mut helper = Target { options: options.clone(), scope: None }.open(url).await.ok();
    let realm = catalog::inspect(conn, helper.as_mut(), scope).await;
    if let Some(h) = helper {
        let _ = h.close().await;
    }
    realm
}

/// A connection failure, password hidden.
pub(crate) fn connect_error(url: &DbUrl, e: &sqlx::Error) -> Error {
    Error::Connect { url: url.redacted().into(), reason: crate::redact_text(&e.to_string()) }
}

/// Points the session's `search_path` at the managed schemas, so unqualified names in plan
/// statements and desired files land there.
pub(crate) async fn set_search_path(conn: &mut PgConnection, names: &[String]) -> Result<()> {
    let path = names.iter().map(|n| quote_ident(Dialect::Postgres, n)).collect::<Vec<_>>().join(", ");
    sqlx::query("SELECT set_config('search_path', $1, false)")
        .bind(path)
        .execute(conn)
        .await
        .map_err(db_err("setting search_path"))?;
    Ok(())
}

/// PostgreSQL's message for a failed statement (without the driver's decoration).
pub(crate) fn pg_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => d.message().to_string(),
        other => crate::redact_text(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_path_is_ours_and_the_rest_goes_to_sqlx() {
        let url = DbUrl::parse("postgres://bob:pw@db:5433/app?sslmode=disable&search_path=billing&application_name=x")
            .unwrap();
        let t = Target::parse(&url).unwrap();
        assert_eq!(t.scope, Some(vec!["billing".to_string()]));
        assert_eq!(t.options.get_port(), 5433);
        assert_eq!(t.options.get_database(), Some("app"));
        let all = Target::parse(&DbUrl::parse("postgres://db/app").unwrap()).unwrap();
        assert_eq!(all.scope, None);
        let err =
            Target::parse(&DbUrl::parse("postgres://u:secret@db/app?search_path=").unwrap()).err().unwrap().to_string();
        assert!(!err.contains("secret"), "{err}");
    }
}
