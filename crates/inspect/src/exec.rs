//! What a driver is asked to run: statements grouped by whether they may share a transaction.

use schema_model::Realm;

/// A run of statements that execute together: in one transaction when `transactional`.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementGroup {
    /// Whether the group may run inside a transaction.
    pub transactional: bool,
    /// The statements.
    pub statements: Vec<String>,
    /// The timeouts every statement of the group runs under (online plans); `None`: the
    /// server's own settings.
    pub timeouts: Option<GroupTimeouts>,
}

/// How long a group's statements may wait for a lock and run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupTimeouts {
    /// The lock wait after which a statement gives up; it is then retried under [`RetryPolicy`].
    pub lock: std::time::Duration,
    /// How long a statement may run; `None`: no limit.
    pub statement: Option<std::time::Duration>,
}

/// How often a statement that gave up on its lock timeout is tried again, and how long to wait
/// between attempts (doubling after each, at most 30 seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The wait before the second attempt.
    pub backoff: std::time::Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { attempts: 5, backoff: std::time::Duration::from_secs(1) }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `n` (1-based).
    pub fn wait(&self, n: u32) -> std::time::Duration {
        (self.backoff * 2u32.saturating_pow(n.saturating_sub(1))).min(std::time::Duration::from_secs(30))
    }
}

/// Told, as one line each, about what a person watching an apply should know as it happens
/// (a retried attempt, a cleanup).
pub type Reporter<'a> = &'a dyn Fn(&str);

/// Checks the re-inspected model after the statements ran and before commit; an `Err` text
/// describes the mismatch and makes the driver roll back.
pub type Verifier<'a> = &'a (dyn Fn(&Realm) -> Result<(), String> + Send + Sync);

/// Everything an apply needs besides the connection.
pub struct ApplyRequest<'a> {
    /// The statement groups, in order.
    pub groups: Vec<StatementGroup>,
    /// Refuse unless the live schema hashes to this, under the lock.
    pub expected_from_hash: Option<String>,
    /// Compares the result with the desired state before commit.
    pub verify: Verifier<'a>,
    /// The audit row to complete and store; the driver fills id, progress, status and timing.
    pub revision: crate::Revision,
    /// How long to wait for the lock.
    pub lock_timeout: std::time::Duration,
    /// Per statement, in statement order across the groups, the statements that undo it (an
    /// empty entry: not known). Only drivers that cannot roll back DDL use it (MySQL, whose
    /// DDL commits itself, undoes the statements already run when a later one fails); empty
    /// when the caller has none.
    pub undo: Vec<Vec<String>>,
    /// Retries of statements that give up on their lock timeout.
    pub retry: RetryPolicy,
    /// Where progress lines go.
    pub report: Reporter<'a>,
}
