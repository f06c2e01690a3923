//! The MySQL/MariaDB driver against the live server, through the `Driver` API: inspection of a
//! rich database checked against hand-written expectations, dev-database replay, and apply
//! step by step under the lock with undo on failure. Every test makes its own database;
//! loading and checking the result use the mysql client.

mod apply;
mod connect;
mod inspect;
mod replay;

use schema_inspect::mysql::MysqlDriver;
use schema_inspect::{ConnectOptions, DbUrl, Driver};

/// Opens our driver on `url`.
pub async fn driver(url: &str) -> Box<dyn Driver> {
    let url = DbUrl::parse(url).expect("a mysql URL");
    schema_inspect::connect(&url, ConnectOptions::default()).await.unwrap_or_else(|e| panic!("connect: {e}"))
}

/// Opens the MySQL driver itself, for what only it offers.
pub async fn mysql_driver(url: &str) -> MysqlDriver {
    MysqlDriver::connect(&DbUrl::parse(url).expect("a mysql URL")).await.unwrap_or_else(|e| panic!("connect: {e}"))
}

/// The tables and views most tests use: every object kind the model holds.
pub const RICH: &str = include_str!("rich.sql");

/// Triggers on the rich tables, as the mysql client takes them (with `DELIMITER`).
pub const TRIGGERS_CLI: &str = include_str!("triggers.sql");

/// The same triggers as a desired-state file: plain SQL, no client commands.
pub fn triggers_sql() -> String {
    TRIGGERS_CLI.replace("DELIMITER //\n", "").replace("DELIMITER ;\n", "").replace("//\n", ";\n")
}
