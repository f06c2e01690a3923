//! Apply on MySQL: under `GET_LOCK`, check the starting point, record a `running` revision,
//! run the statements one by one (each DDL statement commits itself) recording progress after
//! each, re-inspect and verify. When a statement or the verification fails, the statements
//! already run are undone last first ([`super::undo`]) and the revision says how that went.
//! Statement groups make no difference here: nothing DDL does can share a transaction.

use std::time::{Duration, Instant};

use schema_model::realm_hash;
use sqlx::MySqlConnection;

use super::undo::{undo, with_note};
use super::{catalog, my_message, revisions, Server};
use crate::error::db_err;
use crate::{ApplyRequest, Error, Result, Revision};

/// Takes the named lock, waiting up to the timeout: 1 got it, 0 timed out, NULL an error.
const GET_LOCK: &str = "SELECT CAST(GET_LOCK(?, ?) AS SIGNED)";

/// Gives the lock back.
const RELEASE_LOCK: &str = "SELECT RELEASE_LOCK(?)";

/// The lock every `schema apply` on `database` takes. Lock names are at most 64 characters;
/// a longer one is cut, so two long database names that share a prefix only wait for each
/// other.
pub fn lock_name(database: &str) -> String {
    format!("schema_apply:{database}").chars().take(64).collect()
}

/// Runs `request` under the lock and returns the stored revision.
pub async fn apply(
    conn: &mut MySqlConnection,
    database: &str,
    server: Server,
    request: ApplyRequest<'_>,
) -> Result<Revision> {
    let started = Instant::now();
    let name = lock_name(database);
    lock(conn, &name, server, request.lock_timeout).await?;
    let result = Run { conn: &mut *conn, database, server, request: &request, started }.run().await;
    let _ = sqlx::query(RELEASE_LOCK).bind(&name).execute(&mut *conn).await;
    result
}

async fn lock(conn: &mut MySqlConnection, name: &str, server: Server, timeout: Duration) -> Result<()> {
    // MySQL 8: the timeout is read as whole seconds, so a fraction is rounded up rather than
    // down to "do not wait"; MariaDB takes fractions.
    let seconds = if server.mariadb { timeout.as_secs_f64() } else { timeout.as_secs_f64().ceil() };
    let got: Option<i64> = sqlx::query_scalar(GET_LOCK)
        .bind(name)
        .bind(seconds)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err("taking the apply lock"))?;
    match got {
        Some(1) => Ok(()),
        Some(_) => Err(Error::Locked(format!(
            "another schema apply holds the lock {name} on this server; gave up after waiting {:.1}s \
             (--lock-timeout)",
            timeout.as_secs_f64()
        ))),
        None => Err(Error::Database {
            context: format!("taking the apply lock {name}"),
            reason: "GET_LOCK returned NULL (the server ran out of memory or the session was killed)".into(),
        }),
    }
}

/// One apply on its connection.
struct Run<'a, 'r> {
    conn: &'a mut MySqlConnection,
    database: &'a str,
    server: Server,
    request: &'a ApplyRequest<'r>,
    started: Instant,
}

impl Run<'_, '_> {
    async fn run(&mut self) -> Result<Revision> {
        if let Some(expected) = &self.request.expected_from_hash {
            let (before, _) = catalog::inspect(self.conn, self.database, self.server).await?;
            let found = realm_hash(&before);
            if &found != expected {
                return Err(Error::Drift { expected: expected.clone(), found });
            }
        }
        let statements: Vec<&String> = self.request.groups.iter().flat_map(|g| &g.statements).collect();
        let total = statements.len();
        let undo = self.request.undo.len();
        if undo != 0 && undo != total {
            return Err(Error::Unsupported(format!(
                "the plan has {total} statements but {undo} undo entries; nothing was run (an entry per \
                 statement is needed to go back after a failure)"
            )));
        }
        revisions::ensure(self.conn, self.database).await?;
        let mut rev = self.request.revision.clone();
        rev.applied = 0;
        rev.total = total as i64;
        rev.status = "running".into();
        rev.error = None;
        rev.failed_statement = None;
        rev.duration_ms = 0;
        rev.id = revisions::insert(self.conn, self.database, &rev).await?;
        for (i, st) in statements.iter().enumerate() {
            if let Err(e) = sqlx::raw_sql(st.as_str()).execute(&mut *self.conn).await {
                let err = Error::Statement { index: i + 1, total, statement: st.to_string(), reason: my_message(&e) };
                return Err(self.fail(rev, i, err, Some(st.to_string())).await);
            }
            rev.applied = i as i64 + 1;
            rev.duration_ms = self.elapsed();
            if let Err(e) = revisions::progress(self.conn, self.database, &rev).await {
                return Err(self.fail(rev, i + 1, e, None).await);
            }
        }
        let verified = match catalog::inspect(self.conn, self.database, self.server).await {
            Ok((after, _)) => (self.request.verify)(&after).map_err(Error::Verify),
            Err(e) => Err(e),
        };
        if let Err(e) = verified {
            return Err(self.fail(rev, total, e, None).await);
        }
        rev.status = "applied".into();
        rev.duration_ms = self.elapsed();
        revisions::finish(self.conn, self.database, &rev).await?;
        Ok(rev)
    }

    /// Undoes the first `done` statements, records the failure, and returns the error with
    /// what undoing did.
    async fn fail(&mut self, mut rev: Revision, done: usize, err: Error, failed: Option<String>) -> Error {
        let undone = undo(self.conn, &self.request.undo, done).await;
        let err = with_note(err, &undone);
        rev.status = if undone.complete { "failed" } else { "failed_undo_incomplete" }.into();
        rev.error = Some(crate::redact_text(&err.to_string()));
        rev.failed_statement = failed;
        rev.duration_ms = self.elapsed();
        // The apply's own error is what the caller needs; a failure to record it (a lost
        // connection, say) must not hide it.
        let _ = revisions::finish(self.conn, self.database, &rev).await;
        err
    }

    fn elapsed(&self) -> i64 {
        self.started.elapsed().as_millis() as i64
    }
}
