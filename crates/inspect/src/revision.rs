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

/// The values of a revision in the column order every driver's `INSERT` uses (after `id`),
/// with the statement lists as JSON text.
pub(crate) struct RevisionValues<'r> {
    r: &'r Revision,
    statements: String,
    reverse: String,
}

impl<'r> RevisionValues<'r> {
    /// Prepares a revision for binding.
    pub(crate) fn new(r: &'r Revision) -> Self {
        let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        RevisionValues { r, statements: json(&r.statements), reverse: json(&r.reverse_statements) }
    }

    /// Binds every value to an `INSERT ... RETURNING id` query of any driver.
    pub(crate) fn bind<'q, DB>(
        &'q self,
        q: sqlx::query::QueryScalar<'q, DB, i64, <DB as sqlx::Database>::Arguments<'q>>,
    ) -> sqlx::query::QueryScalar<'q, DB, i64, <DB as sqlx::Database>::Arguments<'q>>
    where
        DB: sqlx::Database,
        &'q String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        &'q Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        let r = self.r;
        q.bind(&r.kind)
            .bind(&r.actor)
            .bind(&r.started_at)
            .bind(&r.tool_version)
            .bind(&r.plan_hash)
            .bind(&r.from_hash)
            .bind(&r.to_hash)
            .bind(&self.statements)
            .bind(&self.reverse)
            .bind(r.applied)
            .bind(r.total)
            .bind(r.duration_ms)
            .bind(&r.status)
            .bind(&r.error)
            .bind(&r.failed_statement)
            .bind(&r.pre_model)
    }
}

/// Reads a revision from a row of any driver's listing query (columns in table order, the
/// statement lists as JSON text).
pub(crate) fn revision_from_row<R>(row: &R) -> Revision
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let json = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
    Revision {
        id: row.get(0),
        kind: row.get(1),
        actor: row.get(2),
        started_at: row.get(3),
        tool_version: row.get(4),
        plan_hash: row.get(5),
        from_hash: row.get(6),
        to_hash: row.get(7),
        statements: json(row.get(8)),
        reverse_statements: json(row.get(9)),
        applied: row.get(10),
        total: row.get(11),
        duration_ms: row.get(12),
        status: row.get(13),
        error: row.get(14),
        failed_statement: row.get(15),
        pre_model: row.get(16),
    }
}
