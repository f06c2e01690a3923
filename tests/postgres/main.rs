//! End-to-end suite on the live PostgreSQL server: load `before` with psql, apply `after` with
//! `schema`, compare with `after` loaded directly using the suite's own catalog queries, and
//! re-plan to empty.

mod constraints_more;
mod harness;
mod keys_and_identity;
mod lock_retry;
mod objects;
mod online;
mod partitions;
mod privileges;
mod rollback;
mod routines;
mod row_security;
mod safety;
