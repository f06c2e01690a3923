//! Foreign keys and check constraints.

use std::collections::HashMap;

use schema_model::{Check, ForeignKey, RefAction, Table};
use sqlx::MySqlConnection;

use crate::error::db_err;
use crate::mysql::Server;
use crate::{Error, Result};

/// Every foreign key column of the database's tables, in key order, with the referenced
/// database, table and column. Read apart from the keys' actions: `information_schema` views
/// are built by walking every database unless the schema is a constant of the view's own
/// `WHERE`, which a join condition is not (a join took minutes beside a 5,000-table database).
const FOREIGN_KEY_COLUMNS: &str = concat!(
    "SELECT ",
    texts!(
        "TABLE_NAME",
        "CONSTRAINT_NAME",
        "COLUMN_NAME",
        "REFERENCED_TABLE_SCHEMA",
        "REFERENCED_TABLE_NAME",
        "REFERENCED_COLUMN_NAME"
    ),
    " FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL ",
    "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"
);

type ForeignKeyRow = (String, String, String, String, String, String);

/// Each foreign key's actions as the server states them (MariaDB says RESTRICT where MySQL 8
/// says NO ACTION for an undeclared action; both are kept as said).
const FOREIGN_KEY_RULES: &str = concat!(
    "SELECT ",
    texts!("TABLE_NAME", "CONSTRAINT_NAME", "UPDATE_RULE", "DELETE_RULE"),
    " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
);

/// MariaDB's checks: table-level ones and those declared on a column (`LEVEL = 'Column'`,
/// named after the column), which mean the same and are reported the same way.
const CHECKS_MARIADB: &str = concat!(
    "SELECT ",
    texts!("TABLE_NAME", "CONSTRAINT_NAME", "CHECK_CLAUSE"),
    ", 'YES' FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ",
    "ORDER BY TABLE_NAME, CONSTRAINT_NAME"
);

/// MySQL 8: CHECK_CONSTRAINTS has no table column (check names are unique per database), so
/// the table comes from TABLE_CONSTRAINTS, which also says whether the check is ENFORCED.
/// The clause is printed fully parenthesized (`((`a` > 0) and (`b` < 1))`) where MariaDB
/// prints `` `a` > 0 and `b` < 1 ``, with charset introducers on string literals.
const CHECKS_MYSQL: &str = concat!(
    "SELECT ",
    texts!("tc.TABLE_NAME", "cc.CONSTRAINT_NAME", "cc.CHECK_CLAUSE", "tc.ENFORCED"),
    " FROM information_schema.TABLE_CONSTRAINTS tc JOIN information_schema.CHECK_CONSTRAINTS cc ",
    "ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME ",
    "WHERE tc.CONSTRAINT_TYPE = 'CHECK' AND tc.TABLE_SCHEMA = ? ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME"
);

/// Attaches foreign keys to `tables`.
pub(super) async fn read_foreign_keys(
    conn: &mut MySqlConnection,
    database: &str,
    tables: &mut HashMap<String, Table>,
) -> Result<()> {
    let rows: Vec<ForeignKeyRow> = sqlx::query_as(FOREIGN_KEY_COLUMNS)
        .bind(database)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading foreign keys"))?;
    let rules: Vec<(String, String, String, String)> = sqlx::query_as(FOREIGN_KEY_RULES)
        .bind(database)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading foreign key actions"))?;
    let rules: HashMap<(String, String), (String, String)> =
        rules.into_iter().map(|(t, n, on_update, on_delete)| ((t, n), (on_update, on_delete))).collect();
    let mut found: Vec<(String, ForeignKey)> = Vec::new();
    for (table, name, column, ref_schema, ref_table, ref_column) in rows {
        match found.last_mut() {
            Some((t, fk)) if *t == table && fk.name.as_deref() == Some(name.as_str()) => {
                fk.columns.push(column.into());
                fk.ref_columns.push(ref_column.into());
            }
            _ => {
                let Some((on_update, on_delete)) = rules.get(&(table.clone(), name.clone())) else {
                    return Err(Error::Unsupported(format!(
                        "foreign key `{name}` of table `{table}` has no row in REFERENTIAL_CONSTRAINTS"
                    )));
                };
                let fk = ForeignKey {
                    columns: vec![column.into()],
                    ref_schema: (ref_schema != database).then_some(ref_schema),
                    ref_table: ref_table.into(),
                    ref_columns: vec![ref_column.into()],
                    // MySQL 8: an action that was not declared reads NO ACTION there, RESTRICT on
                    // MariaDB; both mean the same to InnoDB but are kept as said.
                    on_delete: action(&table, &name, on_delete)?,
                    on_update: action(&table, &name, on_update)?,
                    name: Some(name.into()),
                    ..Default::default()
                };
                found.push((table, fk));
            }
        }
    }
    for (table, fk) in found {
        if let Some(t) = tables.get_mut(&table) {
            t.foreign_keys.push(fk);
        }
    }
    Ok(())
}

/// A referential action as the catalog spells it.
fn action(table: &str, name: &str, rule: &str) -> Result<RefAction> {
    RefAction::parse(rule).ok_or_else(|| {
        Error::Unsupported(format!("foreign key `{name}` of table `{table}` has an unknown action {rule}"))
    })
}

/// Attaches check constraints to `tables`, under the names the server reports.
pub(super) async fn read_checks(
    conn: &mut MySqlConnection,
    database: &str,
    server: Server,
    tables: &mut HashMap<String, Table>,
) -> Result<()> {
    let query = if server.mariadb { CHECKS_MARIADB } else { CHECKS_MYSQL };
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as(query).bind(database).fetch_all(&mut *conn).await.map_err(db_err("reading checks"))?;
    for (table, name, clause, enforced) in rows {
        let Some(t) = tables.get_mut(&table) else { continue };
        if enforced != "YES" {
            return Err(Error::Unsupported(format!(
                "check `{name}` of table `{table}` is NOT ENFORCED, which is not modelled yet; \
                 schema cannot manage this database safely"
            )));
        }
        t.checks.push(Check { name: Some(name.into()), expr: clause, ..Default::default() });
    }
    Ok(())
}
