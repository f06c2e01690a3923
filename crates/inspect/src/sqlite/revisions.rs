//! The `schema_revisions` table on SQLite: kept in the target database itself.

use sqlx::SqliteConnection;

use crate::error::db_err;
use crate::revision::{revision_from_row, RevisionValues};
use crate::{Result, Revision};

/// Creates the audit table if it is missing.
pub const CREATE: &str = r#"CREATE TABLE IF NOT EXISTS "schema_revisions" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "kind" TEXT NOT NULL,
  "actor" TEXT NOT NULL,
  "started_at" TEXT NOT NULL,
  "tool_version" TEXT NOT NULL,
  "plan_hash" TEXT NOT NULL,
  "from_hash" TEXT NOT NULL,
  "to_hash" TEXT NOT NULL,
  "statements" TEXT NOT NULL,
  "reverse_statements" TEXT NOT NULL,
  "applied" INTEGER NOT NULL,
  "total" INTEGER NOT NULL,
  "duration_ms" INTEGER NOT NULL,
  "status" TEXT NOT NULL,
  "error" TEXT,
  "failed_statement" TEXT,
  "pre_model" TEXT NOT NULL
)"#;

const INSERT: &str = r#"INSERT INTO "schema_revisions" ("kind", "actor", "started_at", "tool_version", "plan_hash",
  "from_hash", "to_hash", "statements", "reverse_statements", "applied", "total", "duration_ms", "status", "error",
  "failed_statement", "pre_model") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id""#;

const EXISTS: &str = "SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = 'schema_revisions'";

const LIST: &str = r#"SELECT "id", "kind", "actor", "started_at", "tool_version", "plan_hash", "from_hash", "to_hash",
  "statements", "reverse_statements", "applied", "total", "duration_ms", "status", "error", "failed_statement",
  "pre_model" FROM "schema_revisions" ORDER BY "id""#;

/// Stores a revision and returns its id.
pub async fn insert(conn: &mut SqliteConnection, r: &Revision) -> Result<i64> {
    sqlx::raw_sql(CREATE).execute(&mut *conn).await.map_err(db_err("creating schema_revisions"))?;
    let id: i64 = RevisionValues::new(r)
        .bind(sqlx::query_scalar(INSERT))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err("recording the revision"))?;
    Ok(id)
}

/// Reads every revision, oldest first.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Revision>> {
    let exists: i64 = sqlx::query_scalar(EXISTS).fetch_one(&mut *conn).await.map_err(db_err("reading revisions"))?;
    if exists == 0 {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(LIST).fetch_all(&mut *conn).await.map_err(db_err("reading revisions"))?;
    Ok(rows.iter().map(revision_from_row).collect())
}
