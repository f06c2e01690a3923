//! The audit table on MySQL: `schema_revisions` in the managed database itself, never reported
//! by inspection. Statement lists are kept as JSON text in `longtext` (MySQL's `json` type
//! would reformat them); the row is written when an apply starts and updated as it goes,
//! since every DDL statement commits on its own.

use schema_model::{quote_ident, Dialect};
use sqlx::{Executor as _, MySqlConnection};

use crate::error::db_err;
use crate::revision::{revision_from_row, RevisionValues};
use crate::{Result, Revision, REVISIONS_TABLE};

/// Whether the audit table exists in the database.
const EXISTS: &str = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

/// The table, created only when missing. `{table}` is its qualified name.
const CREATE: &str = r#"CREATE TABLE IF NOT EXISTS {table} (
  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind varchar(32) NOT NULL,
  actor varchar(255) NOT NULL,
  started_at varchar(64) NOT NULL,
  tool_version varchar(64) NOT NULL,
  plan_hash varchar(128) NOT NULL,
  from_hash varchar(128) NOT NULL,
  to_hash varchar(128) NOT NULL,
  statements longtext NOT NULL,
  reverse_statements longtext NOT NULL,
  applied bigint NOT NULL,
  total bigint NOT NULL,
  duration_ms bigint NOT NULL,
  status varchar(32) NOT NULL,
  error longtext,
  failed_statement longtext,
  pre_model longtext NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"#;

/// Stores one revision (values in [`RevisionValues`] order).
const INSERT: &str = r#"INSERT INTO {table} (kind, actor, started_at, tool_version, plan_hash, from_hash, to_hash,
  statements, reverse_statements, applied, total, duration_ms, status, error, failed_statement, pre_model)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#;

/// Records progress after a statement.
const PROGRESS: &str = "UPDATE {table} SET applied = ?, duration_ms = ? WHERE id = ?";

/// Records how the apply ended.
const FINISH: &str =
    "UPDATE {table} SET applied = ?, duration_ms = ?, status = ?, error = ?, failed_statement = ? WHERE id = ?";

/// Every revision, oldest first, columns in table order.
const LIST: &str = r#"SELECT id, kind, actor, started_at, tool_version, plan_hash, from_hash, to_hash, statements,
  reverse_statements, applied, total, duration_ms, status, error, failed_statement, pre_model
  FROM {table} ORDER BY id"#;

/// A query with the audit table's qualified name in it.
fn sql(template: &str, database: &str) -> String {
    let table = format!("{}.{}", quote_ident(Dialect::Mysql, database), quote_ident(Dialect::Mysql, REVISIONS_TABLE));
    template.replace("{table}", &table)
}

async fn exists(conn: &mut MySqlConnection, database: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(EXISTS)
        .bind(database)
        .bind(REVISIONS_TABLE)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err("looking for schema_revisions"))?;
    Ok(n > 0)
}

/// Creates the audit table if it is missing.
pub async fn ensure(conn: &mut MySqlConnection, database: &str) -> Result<()> {
    if !exists(conn, database).await? {
        sqlx::raw_sql(&sql(CREATE, database)).execute(&mut *conn).await.map_err(db_err("creating schema_revisions"))?;
    }
    Ok(())
}

/// Stores a revision (the table must exist) and returns its id.
pub async fn insert(conn: &mut MySqlConnection, database: &str, r: &Revision) -> Result<i64> {
    let query = sql(INSERT, database);
    let values = RevisionValues::new(r);
    let done = conn.execute(values.bind(sqlx::query_scalar(&query))).await.map_err(db_err("recording the revision"))?;
    i64::try_from(done.last_insert_id()).map_err(|_| crate::Error::Database {
        context: "recording the revision".into(),
        reason: "the revision id is out of range".into(),
    })
}

/// Records that `applied` statements have run.
pub async fn progress(conn: &mut MySqlConnection, database: &str, r: &Revision) -> Result<()> {
    sqlx::query(&sql(PROGRESS, database))
        .bind(r.applied)
        .bind(r.duration_ms)
        .bind(r.id)
        .execute(&mut *conn)
        .await
        .map_err(db_err("recording progress"))?;
    Ok(())
}

/// Records the outcome: progress, status, error and failing statement.
pub async fn finish(conn: &mut MySqlConnection, database: &str, r: &Revision) -> Result<()> {
    sqlx::query(&sql(FINISH, database))
        .bind(r.applied)
        .bind(r.duration_ms)
        .bind(&r.status)
        .bind(&r.error)
        .bind(&r.failed_statement)
        .bind(r.id)
        .execute(&mut *conn)
        .await
        .map_err(db_err("recording the outcome"))?;
    Ok(())
}

/// Reads every revision, oldest first; none when the table was never created.
pub async fn list(conn: &mut MySqlConnection, database: &str) -> Result<Vec<Revision>> {
    if !exists(conn, database).await? {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&sql(LIST, database)).fetch_all(&mut *conn).await.map_err(db_err("reading revisions"))?;
    Ok(rows.iter().map(revision_from_row).collect())
}
