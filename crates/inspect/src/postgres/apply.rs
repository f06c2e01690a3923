//! Apply on PostgreSQL: a session advisory lock, then one transaction for the drift check,
//! the statements, the verification and the revision row. A non-transactional group commits
//! what is open, runs its statements one by one, and a new transaction follows. Any failure
//! rolls back what is still open and records a failed revision in a transaction of its own.
//! Groups with timeouts (online plans) run under `SET lock_timeout`/`statement_timeout`, and a
//! statement that gives up on its lock timeout is retried (a transactional group from a
//! savepoint), after dropping any INVALID index a failed concurrent build left.

use std::time::{Duration, Instant};

use schema_model::realm_hash;
use sqlx::PgConnection;

use super::{catalog, pg_message, retry, revisions};
use crate::error::db_err;
use crate::{ApplyRequest, Error, Result, Revision};

/// The advisory lock every `schema apply` on a database takes ("schema" in ASCII, then 1).
pub const LOCK_KEY: i64 = 0x7363_6865_6d61_0001;

/// How often a waiting apply tries the lock again.
const LOCK_RETRY: Duration = Duration::from_millis(100);

/// Runs `request` under the lock and returns the stored revision.
pub async fn apply(conn: &mut PgConnection, scope: Option<&[String]>, request: ApplyRequest<'_>) -> Result<Revision> {
    let started = Instant::now();
    lock(conn, request.lock_timeout).await?;
    let mut run = Run { conn: &mut *conn, in_tx: false, kept: 0 };
    let outcome = run.steps(scope, &request, started).await;
    let result = match outcome {
        Ok(rev) => Ok(rev),
        Err((err, failed)) => {
            if run.in_tx {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *run.conn).await;
            }
            let _ = retry::set(run.conn, None).await;
            if !matches!(err, Error::Drift { .. }) {
                let mut rev = request.revision.clone();
                rev.applied = run.kept as i64;
                rev.total = total(&request) as i64;
                rev.status = "failed".into();
                rev.error = Some(err.to_string());
                rev.failed_statement = failed;
                rev.duration_ms = started.elapsed().as_millis() as i64;
                // The apply's own error is what the caller needs; a failure to record it
                // (say, a lost connection) must not hide it.
                let _ = record_alone(run.conn, &rev).await;
            }
            Err(err)
        }
    };
    let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(LOCK_KEY).execute(&mut *conn).await;
    result
}

/// Takes the advisory lock, trying until `timeout` has passed.
async fn lock(conn: &mut PgConnection, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(LOCK_KEY)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err("taking the apply lock"))?;
        if got {
            return Ok(());
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::Locked(format!(
                "another schema apply holds the lock on this database (advisory lock {LOCK_KEY}); \
                 gave up after waiting {:.1}s (--lock-timeout)",
                timeout.as_secs_f64()
            )));
        }
        tokio::time::sleep(LOCK_RETRY.min(deadline - now)).await;
    }
}

fn total(request: &ApplyRequest<'_>) -> usize {
    request.groups.iter().map(|g| g.statements.len()).sum()
}

/// Stores a failed revision in a transaction of its own.
async fn record_alone(conn: &mut PgConnection, rev: &Revision) -> Result<()> {
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await.map_err(db_err("recording the failed revision"))?;
    let stored = async {
        revisions::ensure(conn).await?;
        revisions::insert(conn, rev).await
    }
    .await;
    let end = if stored.is_ok() { "COMMIT" } else { "ROLLBACK" };
    sqlx::raw_sql(end).execute(&mut *conn).await.map_err(db_err("recording the failed revision"))?;
    stored.map(|_| ())
}

/// An error, and the statement that caused it if one did.
type Failure = (Error, Option<String>);

/// The state of one apply on its connection.
struct Run<'c> {
    conn: &'c mut PgConnection,
    /// A transaction is open.
    in_tx: bool,
    /// Statements whose effect is committed (those of non-transactional groups, and of
    /// transactions committed before one).
    kept: usize,
}

/// The error of statement `index` (0-based) that failed on its last attempt.
fn failed(e: &sqlx::Error, index: usize, st: &str, request: &ApplyRequest<'_>, attempts: u32) -> Failure {
    let mut reason = pg_message(e);
    if attempts > 1 {
        reason = format!("{reason} (gave up after {attempts} attempts)");
    }
    (
        Error::Statement { index: index + 1, total: total(request), statement: st.to_string(), reason },
        Some(st.to_string()),
    )
}

/// Tells the person watching that attempt `n` of statement `index` (0-based) gave up on its
/// lock timeout, and sleeps before the next one.
async fn back_off(request: &ApplyRequest<'_>, index: usize, n: u32, e: &sqlx::Error) {
    let wait = request.retry.wait(n);
    (request.report)(&format!(
        "statement {} of {}: attempt {n} of {} gave up on the lock timeout ({}); retrying in {:.1}s",
        index + 1,
        total(request),
        request.retry.attempts,
        pg_message(e),
        wait.as_secs_f64()
    ));
    tokio::time::sleep(wait).await;
}

impl Run<'_> {
    /// Runs a transactional group's statements, which start at plan index `first`; with
    /// timeouts, from a savepoint that a lock timeout rolls back to before the next attempt.
    async fn transactional(
        &mut self,
        group: &crate::StatementGroup,
        request: &ApplyRequest<'_>,
        first: usize,
    ) -> Result<usize, Failure> {
        let retrying = group.timeouts.is_some();
        let mut attempt = 1;
        loop {
            if retrying {
                self.exec("SAVEPOINT schema_step", "marking a savepoint").await?;
            }
            let mut at = first;
            let mut failure = None;
            for st in &group.statements {
                if let Err(e) = sqlx::raw_sql(st.as_str()).execute(&mut *self.conn).await {
                    failure = Some((e, st));
                    break;
                }
                at += 1;
            }
            match failure {
                None => {
                    if retrying {
                        self.exec("RELEASE SAVEPOINT schema_step", "releasing a savepoint").await?;
                    }
                    return Ok(at);
                }
                Some((e, _)) if retrying && retry::is_lock_timeout(&e) && attempt < request.retry.attempts => {
                    self.exec("ROLLBACK TO SAVEPOINT schema_step", "rolling back to the savepoint").await?;
                    back_off(request, at, attempt, &e).await;
                    attempt += 1;
                }
                Some((e, st)) => return Err(failed(&e, at, st, request, attempt)),
            }
        }
    }

    /// Runs one statement outside a transaction (plan index `index`); with timeouts, a lock
    /// timeout is retried. Before a retry, and after the last failure, INVALID indexes the
    /// failed attempt left are dropped (a cleanup that itself times out costs an attempt).
    async fn alone(
        &mut self,
        st: &str,
        retrying: bool,
        request: &ApplyRequest<'_>,
        index: usize,
    ) -> Result<(), Failure> {
        let before = retry::invalid_indexes(self.conn).await.map_err(|e| (e, None))?;
        let mut attempt = 1;
        loop {
            if attempt > 1 {
                if let Err(e) = self.clean(&before, request).await {
                    if attempt >= request.retry.attempts {
                        return Err((e, Some(st.to_string())));
                    }
                    (request.report)(&format!("could not clean up before attempt {attempt}: {e}"));
                    tokio::time::sleep(request.retry.wait(attempt)).await;
                    attempt += 1;
                    continue;
                }
            }
            let e = match sqlx::raw_sql(st).execute(&mut *self.conn).await {
                Ok(_) => return Ok(()),
                Err(e) => e,
            };
            if retrying && retry::is_lock_timeout(&e) && attempt < request.retry.attempts {
                back_off(request, index, attempt, &e).await;
                attempt += 1;
                continue;
            }
            if let Err(c) = self.clean(&before, request).await {
                (request.report)(&format!("an invalid index may remain: {c}"));
            }
            return Err(failed(&e, index, st, request, attempt));
        }
    }

    /// Drops the INVALID indexes that are not in `before`, telling the person watching.
    async fn clean(&mut self, before: &[(i64, String)], request: &ApplyRequest<'_>) -> Result<()> {
        for name in retry::drop_new_invalid(self.conn, before).await? {
            (request.report)(&format!("dropped the invalid index {name} that the failed attempt left"));
        }
        Ok(())
    }

    async fn exec(&mut self, sql: &str, what: &str) -> Result<(), Failure> {
        sqlx::raw_sql(sql).execute(&mut *self.conn).await.map_err(|e| (db_err(what)(e), None))?;
        Ok(())
    }

    async fn begin(&mut self) -> Result<(), Failure> {
        self.exec("BEGIN", "opening a transaction").await?;
        self.in_tx = true;
        Ok(())
    }

    async fn commit(&mut self, ran: usize) -> Result<(), Failure> {
        self.exec("COMMIT", "committing").await?;
        self.in_tx = false;
        self.kept = ran;
        Ok(())
    }

    async fn steps(
        &mut self,
        scope: Option<&[String]>,
        request: &ApplyRequest<'_>,
        started: Instant,
    ) -> Result<Revision, Failure> {
        self.begin().await?;
        if let Some(expected) = &request.expected_from_hash {
            let before = catalog::inspect(self.conn, None, scope).await.map_err(|e| (e, None))?;
            let found = realm_hash(&before);
            if &found != expected {
                return Err((Error::Drift { expected: expected.clone(), found }, None));
            }
        }
        revisions::ensure(self.conn).await.map_err(|e| (e, None))?;
        let total = total(request);
        let mut ran = 0;
        for group in &request.groups {
            if !group.transactional && self.in_tx {
                self.commit(ran).await?;
            }
            if group.transactional && !self.in_tx {
                self.begin().await?;
            }
            if group.timeouts.is_some() {
                retry::set(self.conn, group.timeouts).await.map_err(|e| (e, None))?;
            }
            if group.transactional {
                ran = self.transactional(group, request, ran).await?;
            } else {
                for st in &group.statements {
                    self.alone(st, group.timeouts.is_some(), request, ran).await?;
                    ran += 1;
                    self.kept = ran;
                }
            }
        }
        retry::set(self.conn, None).await.map_err(|e| (e, None))?;
        if !self.in_tx {
            self.begin().await?;
        }
        let after = catalog::inspect(self.conn, None, scope).await.map_err(|e| (e, None))?;
        (request.verify)(&after).map_err(|m| (Error::Verify(m), None))?;
        let mut rev = request.revision.clone();
        rev.applied = total as i64;
        rev.total = total as i64;
        rev.status = "applied".into();
        rev.error = None;
        rev.failed_statement = None;
        rev.duration_ms = started.elapsed().as_millis() as i64;
        rev.id = revisions::insert(self.conn, &rev).await.map_err(|e| (e, None))?;
        self.commit(total).await?;
        Ok(rev)
    }
}
