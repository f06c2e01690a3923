use serde::{Deserialize, Serialize};
use std::fmt;

/// Which database family a model or a connection belongs to; decides quoting and rendering.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// SQLite 3, the embedded default.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
}

impl Dialect {
    /// The name of the schema a dialect uses when none is given (`main` on SQLite).
    pub fn default_schema(self) -> &'static str {
        match self {
            Dialect::Sqlite => "main",
            Dialect::Postgres => "public",
            Dialect::Mysql => "",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
        })
    }
}
