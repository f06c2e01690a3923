//! Online steps on PostgreSQL: the timeouts a statement group runs under, and retries of a
//! statement that gave up on `lock_timeout`, after dropping any INVALID index a failed
//! `CREATE INDEX CONCURRENTLY` left behind.

use sqlx::PgConnection;

use crate::error::db_err;
use crate::{GroupTimeouts, Result};

/// SQLSTATE `lock_not_available`: the statement gave up waiting for a lock (`lock_timeout`).
const LOCK_NOT_AVAILABLE: &str = "55P03";

/// The invalid indexes of user schemas, as `(oid, qualified name)`; a failed concurrent build
/// leaves its index invalid, and it must go before the build is tried again.
const INVALID_INDEXES: &str = "SELECT c.oid::int8, quote_ident(n.nspname) || '.' || quote_ident(c.relname) \
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
    WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
    AND n.nspname NOT LIKE 'pg\\_toast%'";

/// True when `e` is a statement that gave up on its lock timeout.
pub(super) fn is_lock_timeout(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some(LOCK_NOT_AVAILABLE))
}

/// The `SET` statements of a group's timeouts; without timeouts, the server's defaults.
pub(super) fn settings(t: Option<GroupTimeouts>) -> String {
    match t {
        Some(t) => format!(
            "SET lock_timeout = '{}ms'; SET statement_timeout = '{}ms'",
            t.lock.as_millis(),
            t.statement.map_or(0, |d| d.as_millis())
        ),
        None => "RESET lock_timeout; RESET statement_timeout".into(),
    }
}

/// Applies `t` to the session.
pub(super) async fn set(conn: &mut PgConnection, t: Option<GroupTimeouts>) -> Result<()> {
    sqlx::raw_sql(&settings(t)).execute(&mut *conn).await.map_err(db_err("setting the step timeouts"))?;
    Ok(())
}

/// The invalid indexes now.
pub(super) async fn invalid_indexes(conn: &mut PgConnection) -> Result<Vec<(i64, String)>> {
    sqlx::query_as(INVALID_INDEXES).fetch_all(&mut *conn).await.map_err(db_err("listing invalid indexes"))
}

/// Drops the invalid indexes that are not in `before` (those a failed statement left), with
/// `DROP INDEX CONCURRENTLY`, and returns their names.
pub(super) async fn drop_new_invalid(conn: &mut PgConnection, before: &[(i64, String)]) -> Result<Vec<String>> {
    let mut dropped = Vec::new();
    for (oid, name) in invalid_indexes(conn).await? {
        if before.iter().any(|(o, _)| *o == oid) {
            continue;
        }
        sqlx::raw_sql(&format!("DROP INDEX CONCURRENTLY IF EXISTS {name}"))
            .execute(&mut *conn)
            .await
            .map_err(db_err("dropping the invalid index a failed concurrent build left"))?;
        dropped.push(name);
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timeouts_become_set_statements() {
        let t = GroupTimeouts { lock: Duration::from_millis(1500), statement: None };
        assert_eq!(settings(Some(t)), "SET lock_timeout = '1500ms'; SET statement_timeout = '0ms'");
        let t = GroupTimeouts { lock: Duration::from_secs(2), statement: Some(Duration::from_secs(60)) };
        assert_eq!(settings(Some(t)), "SET lock_timeout = '2000ms'; SET statement_timeout = '60000ms'");
        assert_eq!(settings(None), "RESET lock_timeout; RESET statement_timeout");
    }
}
