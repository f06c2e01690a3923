//! End-to-end suite on real SQLite files: apply through the `schema` command path, then check
//! the database itself.

mod cli;
mod config;
mod errors;
mod generated_sqlite;
mod harness;
mod hcl;
mod names;
mod pairs;
mod rebuild;
mod rollback;
