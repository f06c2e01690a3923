//! End-to-end suite on the live MariaDB: load `before` with the client, apply `after` with
//! `schema`, compare with `after` loaded directly using the suite's own information_schema
//! queries (column order included: MySQL keeps it), and re-plan to empty.

mod generated_mysql;
mod harness;
mod objects;
mod partitions_events;
mod rollback;
mod safety;
