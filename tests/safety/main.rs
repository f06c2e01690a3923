//! The safety layer against real databases: each hazard code raised where it applies and not
//! where it does not (including on a table the same plan creates), the live-data checks with
//! real rows, the policy that refuses a plan whose check says it will fail, and MySQL's online
//! ALTER algorithms accepted by the server.

mod codes_mysql;
mod codes_postgres;
mod codes_sqlite;
mod db;
mod live_checks;
mod mysql_online;
