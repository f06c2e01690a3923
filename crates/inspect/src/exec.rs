//! What a driver is asked to run: statements grouped by whether they may share a transaction.

use schema_model::Realm;

/// A run of statements that execute together: in one transaction when `transactional`.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementGroup {
    /// Whether the group may run inside a transaction.
    pub transactional: bool,
    /// The statements.
    pub statements: Vec<String>,
}

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
}
