//! The live-data checks of every driver: each runs the bounded query that `schema-diff`
//! renders for its dialect and reads one count. The drivers differ only in their connection
//! type, so one macro writes the three implementations.

use async_trait::async_trait;
use schema_diff::{hazards::probe_sql, DataCheck, DataProbe};
use schema_model::Dialect;

use crate::mysql::MysqlDriver;
use crate::postgres::PostgresDriver;
use crate::sqlite::SqliteDriver;

macro_rules! data_probe {
    ($driver:ty, $dialect:expr) => {
        #[async_trait(?Send)]
        impl DataProbe for $driver {
            async fn probe(&mut self, check: &DataCheck) -> std::result::Result<u64, String> {
                let n: i64 = sqlx::query_scalar(&probe_sql(check, $dialect))
                    .fetch_one(self.connection())
                    .await
                    .map_err(|e| crate::redact_text(&e.to_string()))?;
                Ok(n.max(0) as u64)
            }
        }
    };
}

data_probe!(SqliteDriver, Dialect::Sqlite);
data_probe!(PostgresDriver, Dialect::Postgres);
data_probe!(MysqlDriver, Dialect::Mysql);
