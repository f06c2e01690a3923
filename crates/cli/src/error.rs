//! Errors of the command line and the exit code each one maps to.

use miette::Diagnostic;
use thiserror::Error;

/// A failure of a command, with its exit code.
#[derive(Debug, Error, Diagnostic)]
pub enum CliError {
    /// From a driver or a source file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Inspect(#[from] schema_inspect::Error),
    /// A mistake in schema.toml.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] Box<crate::config::ConfigError>),
    /// The plan could not be made.
    #[error("cannot plan: {0}")]
    #[diagnostic(code(schema::plan))]
    Plan(#[from] schema_diff::DiffError),
    /// The safety policy refused the plan (exit 3).
    #[error("refused: {0}")]
    #[diagnostic(code(schema::policy))]
    Refused(String),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    #[diagnostic(code(schema::io))]
    Io(#[from] std::io::Error),
    /// The database is not the one the plan was made against (exit 4).
    #[error("refused: {0}")]
    #[diagnostic(code(schema::drift))]
    Drift(String),
    /// Bad arguments or a failed write.
    #[error("{0}")]
    #[diagnostic(code(schema::usage))]
    Usage(String),
}

impl CliError {
    /// The process exit code of DESIGN.md.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Refused(_) => 3,
            CliError::Drift(_) => 4,
            CliError::Inspect(schema_inspect::Error::Drift { .. }) => 4,
            _ => 1,
        }
    }
}

/// Shorthand for command results.
pub type CliResult<T> = Result<T, CliError>;
