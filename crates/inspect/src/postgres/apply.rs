//! Apply on PostgreSQL: a session advisory lock, then one transaction for the drift check,
//! the statements, the verification and the revision row. A non-transactional group commits
//! what is open, runs its statements one by one, and a new transaction follows. Any failure
//! rolls back what is still open and records a failed revision in a transaction of its own.

use std::time::{Duration, Instant};

use schema_model::realm_hash;
use sqlx::PgConnection;

use super::{catalog, pg_message, revisions};
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

impl Run<'_> {
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
            let before = catalog::inspect(self.conn, scope).await.map_err(|e| (e, None))?;
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
            for st in &group.statements {
                if let Err(e) = sqlx::raw_sql(st.as_str()).execute(&mut *self.conn).await {
                    let err = Error::Statement { index: ran + 1, total, statement: st.clone(), reason: pg_message(&e) };
                    return Err((err, Some(st.clone())));
                }
                ran += 1;
                if !self.in_tx {
                    self.kept = ran;
                }
            }
        }
        if !self.in_tx {
            self.begin().await?;
        }
        let after = catalog::inspect(self.conn, scope).await.map_err(|e| (e, None))?;
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
