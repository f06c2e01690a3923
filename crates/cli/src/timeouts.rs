//! Timeouts and retries of a run: the command line's values, filled from `schema.toml`, then
//! from the defaults.

use std::time::Duration;

use schema_diff::TimeoutPolicy;
use schema_inspect::RetryPolicy;

use crate::cli::TimeoutArgs;

/// The apply lock wait, and each online step's `lock_timeout`, when nothing sets them.
const DEFAULT_LOCK: Duration = Duration::from_secs(10);

impl TimeoutArgs {
    /// Each value from `self`, or else from `fallback` (the command line over the file).
    pub fn or(&self, fallback: &TimeoutArgs) -> TimeoutArgs {
        TimeoutArgs {
            lock_timeout: self.lock_timeout.or(fallback.lock_timeout),
            statement_timeout: self.statement_timeout.or(fallback.statement_timeout),
            long_statement_timeout: self.long_statement_timeout.or(fallback.long_statement_timeout),
            lock_attempts: self.lock_attempts.or(fallback.lock_attempts),
        }
    }

    /// How long to wait for the apply lock.
    pub fn lock(&self) -> Duration {
        self.lock_timeout.unwrap_or(DEFAULT_LOCK)
    }

    /// The timeouts online steps are planned with.
    pub fn policy(&self) -> TimeoutPolicy {
        let default = TimeoutPolicy::default();
        TimeoutPolicy {
            lock: self.lock(),
            statement: self.statement_timeout.unwrap_or(default.statement),
            long_statement: self.long_statement_timeout.or(default.long_statement),
        }
    }

    /// How a step that gives up on its lock timeout is retried.
    pub fn retry(&self) -> RetryPolicy {
        let default = RetryPolicy::default();
        RetryPolicy { attempts: self.lock_attempts.unwrap_or(default.attempts), ..default }
    }
}
