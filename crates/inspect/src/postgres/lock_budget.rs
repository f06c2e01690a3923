//! Whether a replay inside one transaction can finish within the server's lock table. Every
//! table, index, sequence and type a statement creates stays locked until the transaction ends,
//! and the lock table is shared by every session of the server: a replay of thousands of tables
//! ends in "out of shared memory" (53200) after most of its statements ran, and then runs again
//! in a scratch database. Counting the locks after each batch of statements tells early that it
//! would, so the replay goes to the scratch database before spending that time.

use sqlx::PgConnection;

use crate::error::db_err;
use crate::Result;

/// The size the server gives its lock table (`max_locks_per_transaction` times the sessions
/// and prepared transactions it allows), and whether the role may create the scratch database.
const LOCK_TABLE: &str = "SELECT current_setting('max_locks_per_transaction')::int8 \
     * (current_setting('max_connections')::int8 + current_setting('max_prepared_transactions')::int8), \
     COALESCE((SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user), false)";

/// The locks this session holds in the shared lock table (fast-path locks live elsewhere).
const LOCKS_HELD: &str = "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND NOT fastpath";

/// How far past its nominal size the lock table is taken to reach. PostgreSQL sizes it for the
/// nominal count and lets it grow into spare shared memory: on PostgreSQL 15 with the defaults
/// (64 × 100 = 6,400 entries) a replay of 1,000 generated tables held 15,778 locks and
/// finished, one of 5,000 failed near 20,000. Only a replay projected beyond this many times
/// the nominal size is sent away early; between the two, the transaction is still tried.
const SURELY_BEYOND: i64 = 4;

/// The lock table a replay in a transaction must fit in.
pub(super) struct LockBudget {
    /// The nominal number of entries in the server's lock table.
    nominal: i64,
}

impl LockBudget {
    /// The server's lock table, or None when a scratch database is no way out (the role may not
    /// create one), so there is nothing to gain by leaving the transaction early.
    pub(super) async fn read(conn: &mut PgConnection) -> Result<Option<LockBudget>> {
        let (nominal, can_create): (i64, bool) =
            sqlx::query_as(LOCK_TABLE).fetch_one(&mut *conn).await.map_err(db_err("reading the lock table's size"))?;
        Ok(can_create.then_some(LockBudget { nominal }))
    }

    /// True when, after `done` of `total` statements, the locks this session holds project past
    /// what the lock table can hold by the end.
    pub(super) async fn overflows(&self, conn: &mut PgConnection, done: usize, total: usize) -> Result<bool> {
        let held: i64 = sqlx::query_scalar(LOCKS_HELD)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err("counting the replay's locks"))?;
        Ok(self.projects_past(held, done, total))
    }

    /// The projection: `held` locks after `done` statements, at the same rate for all `total`.
    fn projects_past(&self, held: i64, done: usize, total: usize) -> bool {
        if done == 0 {
            return false;
        }
        let projected = i128::from(held) * total as i128 / done as i128;
        projected > i128::from(self.nominal) * i128::from(SURELY_BEYOND)
    }
}

#[cfg(test)]
mod tests {
    use super::LockBudget;

    /// The defaults of PostgreSQL 15: 64 locks per transaction, 100 connections.
    const DEFAULTS: LockBudget = LockBudget { nominal: 6_400 };

    #[test]
    fn a_replay_that_finished_in_a_transaction_stays_there() {
        // 1,000 generated tables: 787 locks after the first 200 of 3,800 statements, 15,778 at
        // the end, and the transaction committed.
        assert!(!DEFAULTS.projects_past(787, 200, 3_800));
        assert!(!DEFAULTS.projects_past(15_778, 3_800, 3_800));
    }

    #[test]
    fn a_replay_that_ran_out_of_locks_leaves_after_its_first_batch() {
        // 5,000 generated tables: 18,858 statements at the same rate, out of shared memory
        // after 4,938 of them.
        assert!(DEFAULTS.projects_past(787, 200, 18_858));
    }

    #[test]
    fn nothing_run_projects_nothing() {
        assert!(!DEFAULTS.projects_past(5, 0, 100_000));
    }

    #[test]
    fn a_larger_lock_table_holds_more() {
        let larger = LockBudget { nominal: 64_000 };
        assert!(!larger.projects_past(787, 200, 18_858));
    }
}
