//! The PostgreSQL driver against the live server, through the `Driver` API: inspection of a
//! rich database checked against hand-written expectations, dev-database replay, and apply
//! under the lock. Every test makes its own database; checks of the result use psql.

mod apply;
mod connect;
mod inspect;
mod replay;

use schema_inspect::{ConnectOptions, DbUrl, Driver};

/// Opens our driver on `url`.
pub async fn driver(url: &str) -> Box<dyn Driver> {
    let url = DbUrl::parse(url).expect("a postgres URL");
    schema_inspect::connect(&url, ConnectOptions::default()).await.unwrap_or_else(|e| panic!("connect: {e}"))
}

/// The desired state most tests use: every object kind the model holds.
pub const RICH: &str = include_str!("rich.sql");
