//! The acceptance loop for MySQL pairs.

use schema_e2e::converge::converge_with_dev;
use schema_e2e::my::MyDb;

/// Every hazard code, for cases that test convergence rather than policy.
pub const ALLOW_ALL: &str = "DS101,DS102,DS103,DS104,MF101,MF103,MF104,MF105,BC101,BC102,LK105";

/// A migrated database, kept for further checks.
pub type Applied = schema_e2e::converge::Applied<MyDb>;

/// Runs the loop with a dev database; None when MariaDB is unreachable outside CI.
pub fn converge(before: &str, after: &str, seed: &str) -> Option<Applied> {
    converge_with_dev(before, after, seed, ALLOW_ALL)
}

/// Both directions.
pub fn both_ways(before: &str, after: &str) {
    converge(before, after, "");
    converge(after, before, "");
}
