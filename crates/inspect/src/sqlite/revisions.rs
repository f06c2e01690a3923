//! The `schema_revisions` table on SQLite: kept in the target database itself.

use sqlx::{Row, SqliteConnection};

use crate::error::db_err;
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
    let id: i64 = sqlx::query_scalar(INSERT)
        .bind(&r.kind)
        .bind(&r.actor)
        .bind(&r.started_at)
        .bind(&r.tool_version)
        .bind(&r.plan_hash)
        .bind(&r.from_hash)
        .bind(&r.to_hash)
        .bind(serde_json::to_string(&r.statements).unwrap_or_default())
        .bind(serde_json::to_string(&r.reverse_statements).unwrap_or_default())
        .bind(r.applied)
        .bind(r.total)
        .bind(r.duration_ms)
        .bind(&r.status)
        .bind(&r.error)
        .bind(&r.failed_statement)
        .bind(&r.pre_model)
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
    let json = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|r| Revision {
            id: r.get(0),
            kind: r.get(1),
            actor: r.get(2),
            started_at: r.get(3),
            tool_version: r.get(4),
            plan_hash: r.get(5),
            from_hash: r.get(6),
            to_hash: r.get(7),
            statements: json(r.get(8)),
            reverse_statements: json(r.get(9)),
            applied: r.get(10),
            total: r.get(11),
            duration_ms: r.get(12),
            status: r.get(13),
            error: r.get(14),
            failed_statement: r.get(15),
            pre_model: r.get(16),
        })
        .collect())
}
