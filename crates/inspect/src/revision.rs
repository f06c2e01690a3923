//! The audit record of one apply or rollback, as stored in `schema_revisions`.

use serde::{Deserialize, Serialize};

/// One row of `schema_revisions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Revision {
    /// Increasing id, assigned by the database.
    pub id: i64,
    /// `apply` or `rollback`.
    pub kind: String,
    /// Who ran it (OS user, or `SCHEMA_ACTOR`).
    pub actor: String,
    /// When it started, RFC 3339 UTC.
    pub started_at: String,
    /// The tool version that ran it.
    pub tool_version: String,
    /// Hash of the plan.
    pub plan_hash: String,
    /// Hash of the schema before.
    pub from_hash: String,
    /// Hash of the desired schema.
    pub to_hash: String,
    /// The statements, in order.
    pub statements: Vec<String>,
    /// The statements that undo them, in undo order.
    pub reverse_statements: Vec<String>,
    /// How many statements ran to completion.
    pub applied: i64,
    /// How many statements the plan had.
    pub total: i64,
    /// Wall time in milliseconds.
    pub duration_ms: i64,
    /// `applied`, `failed` or `rolled_back`.
    pub status: String,
    /// The error, if it failed.
    pub error: Option<String>,
    /// The statement that failed.
    pub failed_statement: Option<String>,
    /// The model before the change, as JSON, for rollback.
    pub pre_model: String,
}
