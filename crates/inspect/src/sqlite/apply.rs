//! Apply on SQLite: foreign keys off (a pragma that only takes effect outside a transaction),
//! one `BEGIN EXCLUSIVE` transaction for the drift check, the statements, `foreign_key_check`,
//! the verification and the revision row, then commit. Any failure rolls everything back and
//! records a failed revision.

use std::time::Instant;

use schema_model::realm_hash;
use sqlx::SqliteConnection;

use super::{catalog, revisions};
use crate::error::db_err;
use crate::{ApplyRequest, Error, Result, Revision};

/// Runs `request` and returns the stored revision.
pub async fn apply(conn: &mut SqliteConnection, request: ApplyRequest<'_>) -> Result<Revision> {
    let started = Instant::now();
    let fk_was_on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err("reading PRAGMA foreign_keys"))?;
    let timeout_ms = request.lock_timeout.as_millis().min(i64::MAX as u128);
    for pragma in ["PRAGMA foreign_keys = OFF".to_string(), format!("PRAGMA busy_timeout = {timeout_ms}")] {
        sqlx::raw_sql(&pragma).execute(&mut *conn).await.map_err(db_err("preparing the connection"))?;
    }
    let outcome = run(conn, &request, started).await;
    let restore = format!("PRAGMA foreign_keys = {}", if fk_was_on != 0 { "ON" } else { "OFF" });
    let _ = sqlx::raw_sql(&restore).execute(&mut *conn).await;
    match outcome {
        Ok(rev) => Ok(rev),
        Err((err, applied, failed)) => {
            // The transaction is gone; record the failure in a transaction of its own.
            if !matches!(err, Error::Locked(_) | Error::Drift { .. }) {
                let mut rev = request.revision.clone();
                rev.applied = applied as i64;
                rev.status = "failed".into();
                rev.error = Some(err.to_string());
                rev.failed_statement = failed;
                rev.duration_ms = started.elapsed().as_millis() as i64;
                revisions::insert(conn, &rev).await?;
            }
            Err(err)
        }
    }
}

type Failure = (Error, usize, Option<String>);

async fn run(conn: &mut SqliteConnection, request: &ApplyRequest<'_>, started: Instant) -> Result<Revision, Failure> {
    sqlx::raw_sql("BEGIN EXCLUSIVE").execute(&mut *conn).await.map_err(|e| {
        (Error::Locked(format!("cannot lock the database: {}", crate::redact_text(&e.to_string()))), 0, None)
    })?;
    let result = steps(conn, request, started).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    if let Err(e) = sqlx::raw_sql(end).execute(&mut *conn).await {
        if result.is_ok() {
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            return Err((db_err("committing")(e), 0, None));
        }
    }
    result
}

async fn steps(conn: &mut SqliteConnection, request: &ApplyRequest<'_>, started: Instant) -> Result<Revision, Failure> {
    let fail0 = |e: Error| (e, 0, None);
    if let Some(expected) = &request.expected_from_hash {
        let found = realm_hash(&catalog::inspect(conn).await.map_err(fail0)?);
        if &found != expected {
            return Err(fail0(Error::Drift { expected: expected.clone(), found }));
        }
    }
    let statements: Vec<String> = request.groups.iter().flat_map(|g| g.statements.iter().cloned()).collect();
    let total = statements.len();
    for (i, st) in statements.iter().enumerate() {
        if let Err(e) = sqlx::raw_sql(st.as_str()).execute(&mut *conn).await {
            let reason = match &e {
                sqlx::Error::Database(d) => d.message().to_string(),
                other => crate::redact_text(&other.to_string()),
            };
            let err = Error::Statement { index: i + 1, total, statement: st.to_string(), reason };
            return Err((err, i, Some(st.to_string())));
        }
    }
    let violations: Vec<(String, Option<i64>, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| (db_err("checking foreign keys")(e), total, None))?;
    if let Some((table, rowid, parent, _)) = violations.first() {
        let msg = format!(
            "{} row(s) would violate foreign keys, e.g. table {table} row {} has no match in {parent}",
            violations.len(),
            rowid.map(|r| r.to_string()).unwrap_or_else(|| "?".into())
        );
        return Err((Error::Verify(msg), total, None));
    }
    let after = catalog::inspect(conn).await.map_err(|e| (e, total, None))?;
    (request.verify)(&after).map_err(|m| (Error::Verify(m), total, None))?;
    let mut rev = request.revision.clone();
    rev.applied = total as i64;
    rev.total = total as i64;
    rev.status = "applied".into();
    rev.duration_ms = started.elapsed().as_millis() as i64;
    rev.id = revisions::insert(conn, &rev).await.map_err(|e| (e, total, None))?;
    Ok(rev)
}
