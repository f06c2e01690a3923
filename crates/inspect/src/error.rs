use miette::Diagnostic;
use schema_model::sql::SourceError;
use thiserror::Error;

/// Everything that can go wrong talking to a database or loading a desired state.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    /// The URL is not one we can use.
    #[error("bad database URL {url}: {reason}")]
    #[diagnostic(code(schema::url))]
    BadUrl {
        /// The URL, password hidden.
        url: String,
        /// Why.
        reason: String,
    },
    /// The database could not be reached or opened.
    #[error("cannot connect to {url}: {reason}")]
    #[diagnostic(code(schema::connect), help("check that the server runs and the URL is right"))]
    Connect {
        /// The URL, password hidden.
        url: String,
        /// What the driver said, passwords hidden.
        reason: String,
    },
    /// A catalog query or statement failed.
    #[error("{context}: {reason}")]
    #[diagnostic(code(schema::database))]
    Database {
        /// What we were doing.
        context: String,
        /// What the database said.
        reason: String,
    },
    /// A desired-state file is wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(#[from] SourceError),
    /// The database holds something the tool does not manage yet; better refuse than guess.
    #[error("{0}")]
    #[diagnostic(code(schema::unsupported))]
    Unsupported(String),
    /// Another apply holds the lock.
    #[error("{0}")]
    #[diagnostic(
        code(schema::lock),
        help("another `schema apply` is running against this database; retry when it ends")
    )]
    Locked(String),
    /// The database changed since the plan was made.
    #[error("the database changed since the plan was made (expected schema {expected}, found {found})")]
    #[diagnostic(code(schema::drift))]
    Drift {
        /// Hash the plan starts from.
        expected: String,
        /// Hash found under the lock.
        found: String,
    },
    /// A statement of the plan failed; nothing was kept.
    #[error("statement {index} of {total} failed: {reason}\n  {statement}")]
    #[diagnostic(code(schema::apply))]
    Statement {
        /// 1-based position in the plan.
        index: usize,
        /// Statements in the plan.
        total: usize,
        /// The statement.
        statement: String,
        /// What the database said.
        reason: String,
    },
    /// After apply the database did not match the desired state; the change was rolled back.
    #[error("after apply the database does not match the desired state; rolled back:\n{0}")]
    #[diagnostic(code(schema::verify))]
    Verify(String),
}

/// Shorthand for this crate's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Wraps a driver error with what we were doing, hiding passwords.
pub(crate) fn db_err(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
    let context = context.into();
    move |e| Error::Database { context, reason: crate::url::redact_text(&e.to_string()) }
}
