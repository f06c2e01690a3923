//! Columns of tables, in declared order (MySQL can place a column anywhere, so order is kept).

use std::collections::HashMap;

use schema_model::{Column, ColumnType, Dialect, Generated, Table};
use sqlx::MySqlConnection;

use super::normalize::{default_expr, on_update};
use super::Extras;
use crate::error::db_err;
use crate::mysql::Server;
use crate::Result;

/// Every column of every table and view of the database, in table and declared order.
const COLUMNS: &str = concat!(
    "SELECT ",
    texts!(
        "TABLE_NAME",
        "COLUMN_NAME",
        "COLUMN_DEFAULT",
        "IS_NULLABLE",
        "DATA_TYPE",
        "COLLATION_NAME",
        "COLUMN_TYPE",
        "EXTRA",
        "COLUMN_COMMENT",
        "GENERATION_EXPRESSION"
    ),
    " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION"
);

/// One row of [`COLUMNS`].
type ColumnRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Fills the columns of `tables`; what the model has no field for goes to `extras`.
pub(super) async fn read(
    conn: &mut MySqlConnection,
    database: &str,
    server: Server,
    tables: &mut HashMap<String, Table>,
    extras: &mut Extras,
) -> Result<()> {
    let rows: Vec<ColumnRow> =
        sqlx::query_as(COLUMNS).bind(database).fetch_all(&mut *conn).await.map_err(db_err("reading columns"))?;
    for (table_name, name, raw_default, nullable, data_type, collation, column_type, extra, comment, generation) in rows
    {
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let extra = extra.as_deref().unwrap_or_default();
        let upper = extra.to_ascii_uppercase();
        let key = (table_name.clone(), name.clone());
        if let Some(expr) = on_update(extra) {
            extras.on_update.insert(key.clone(), expr);
        }
        if upper.split_whitespace().any(|w| w == "INVISIBLE") {
            extras.invisible_columns.insert(key);
        }
        let stored = upper.contains("STORED GENERATED") || upper.contains("PERSISTENT GENERATED");
        // MySQL 8: the expression carries charset introducers (`_utf8mb4'x'`) and escaped
        // quotes where MariaDB prints plain literals.
        let generated = match generation {
            Some(expr) if stored || upper.contains("VIRTUAL GENERATED") => Some(Generated { expr, stored }),
            _ => None,
        };
        let default = match generated {
            Some(_) => None,
            None => default_expr(server, raw_default.as_deref(), &data_type, extra),
        };
        // MySQL 8: `json` is a type of its own; MariaDB reports `longtext` with collation
        // utf8mb4_bin and a column check `json_valid(col)`, and so does its replay.
        let collation = collation.filter(|c| Some(c) != table.options.collation.as_ref());
        table.columns.push(Column {
            name: name.into(),
            ty: ColumnType::declared(Dialect::Mysql, column_type),
            nullable: nullable == "YES",
            default: default.map(Into::into),
            collation: collation.map(Into::into),
            generated: generated.map(Box::new),
            auto_increment: upper.contains("AUTO_INCREMENT"),
            identity: None,
            comment: comment.filter(|c| !c.is_empty()).map(Into::into),
            renamed_from: None,
            ..Default::default()
        });
    }
    Ok(())
}
