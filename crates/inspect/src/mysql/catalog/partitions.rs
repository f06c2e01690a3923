//! Partitioning, from one `information_schema.PARTITIONS` query: each partitioned table's
//! method and key go to `Table::partition_by`, its partitions to `Table::partitions`.

use std::collections::HashMap;

use schema_model::{Partition, Table};
use sqlx::MySqlConnection;

use crate::error::db_err;
use crate::{Error, Result};

/// One row per partition (and subpartition) of a partitioned table, in partition order.
/// MySQL 8 has the same columns.
const PARTITIONS: &str = concat!(
    "SELECT ",
    texts!(
        "TABLE_NAME",
        "PARTITION_NAME",
        "SUBPARTITION_NAME",
        "PARTITION_METHOD",
        "PARTITION_EXPRESSION",
        "PARTITION_DESCRIPTION"
    ),
    " FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ? AND PARTITION_NAME IS NOT NULL ",
    "ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION"
);

type PartitionRow = (String, String, Option<String>, String, Option<String>, Option<String>);

/// Attaches partitioning to `tables`; refuses subpartitions, which the model does not hold.
pub(super) async fn read(
    conn: &mut MySqlConnection,
    database: &str,
    tables: &mut HashMap<String, Table>,
) -> Result<()> {
    let rows: Vec<PartitionRow> =
        sqlx::query_as(PARTITIONS).bind(database).fetch_all(&mut *conn).await.map_err(db_err("reading partitions"))?;
    for (table, name, sub, method, expression, description) in rows {
        let Some(t) = tables.get_mut(&table) else { continue };
        if sub.is_some() {
            return Err(Error::Unsupported(format!(
                "table `{database}`.`{table}` has subpartitions, which are not modelled yet; schema cannot \
                 manage this database safely"
            )));
        }
        t.partition_by.get_or_insert_with(|| partition_by(&method, expression.as_deref().unwrap_or("")));
        t.partitions.push(Partition { name, bound: bound(&method, description) });
    }
    Ok(())
}

/// `METHOD (key)` as `PARTITION BY` takes it back. MariaDB reports a COLUMNS key as the
/// column list (`` `a`,`b` ``) and an expression as written by the server
/// (`` to_days(`d`) ``); KEY with no columns (the primary key) has an empty key.
fn partition_by(method: &str, expression: &str) -> String {
    format!("{} ({})", method.trim().to_ascii_uppercase(), expression.trim())
}

/// The `VALUES` clause of a RANGE or LIST partition; none for HASH and KEY.
fn bound(method: &str, description: Option<String>) -> Option<String> {
    let description = description.filter(|d| !d.is_empty())?;
    let method = method.to_ascii_uppercase();
    if method.starts_with("RANGE") {
        // MAXVALUE stands bare for RANGE, in parentheses for RANGE COLUMNS; both read back the same.
        Some(format!("VALUES LESS THAN ({description})"))
    } else if method.starts_with("LIST") {
        Some(format!("VALUES IN ({description})"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_clauses_are_rebuilt() {
        assert_eq!(partition_by("LINEAR KEY", "`log_date`"), "LINEAR KEY (`log_date`)");
        assert_eq!(bound("RANGE", Some("2023".into())).as_deref(), Some("VALUES LESS THAN (2023)"));
        assert_eq!(bound("LIST COLUMNS", Some("'US','CA'".into())).as_deref(), Some("VALUES IN ('US','CA')"));
        assert_eq!(bound("HASH", None), None);
    }
}
