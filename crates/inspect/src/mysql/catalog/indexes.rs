//! Primary keys and indexes, from one `STATISTICS` query. MySQL has no unique constraint
//! apart from its index, so every `UNIQUE KEY` is an index with `unique` set; the indexes
//! MySQL creates for foreign keys are real indexes and are reported as such.

use std::collections::HashMap;

use schema_model::{Index, IndexKey, IndexPart, PrimaryKey, Table};
use sqlx::MySqlConnection;

use super::Extras;
use crate::error::db_err;
use crate::mysql::Server;
use crate::{Error, Result};

/// One row per index part, in index and part order. `{expression}` is the part's expression
/// and `{ignored}` whether the optimizer ignores the index; both depend on the server.
const STATISTICS: &str = concat!(
    "SELECT ",
    texts!("TABLE_NAME", "INDEX_NAME"),
    ", CAST(NON_UNIQUE AS SIGNED), ",
    texts!("COLUMN_NAME", "COLLATION"),
    ", CAST(SUB_PART AS SIGNED), ",
    texts!("INDEX_TYPE", "INDEX_COMMENT"),
    ", {expression}, {ignored} FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ",
    "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
);

type PartRow =
    (String, String, i64, Option<String>, Option<String>, Option<i64>, String, Option<String>, Option<String>, String);

/// The `STATISTICS` query for `server`.
fn statistics(server: Server) -> String {
    let (expression, ignored) = if server.mariadb {
        // MariaDB has no functional key parts; IGNORED came with 10.6.
        let ignored = if server.version >= (10, 6) { "CAST(IGNORED AS CHAR)" } else { "'NO'" };
        ("CAST(NULL AS CHAR)", ignored)
    } else {
        // MySQL 8: functional key parts come as EXPRESSION (with COLUMN_NAME NULL), and
        // invisible indexes as IS_VISIBLE = 'NO'.
        ("CAST(EXPRESSION AS CHAR)", "CASE IS_VISIBLE WHEN 'NO' THEN 'YES' ELSE 'NO' END")
    };
    STATISTICS.replace("{expression}", expression).replace("{ignored}", ignored)
}

/// Attaches primary keys and indexes to `tables`.
pub(super) async fn read(
    conn: &mut MySqlConnection,
    database: &str,
    server: Server,
    tables: &mut HashMap<String, Table>,
    extras: &mut Extras,
) -> Result<()> {
    let rows: Vec<PartRow> = sqlx::query_as(&statistics(server))
        .bind(database)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading indexes"))?;
    let mut found: Vec<(String, Index)> = Vec::new();
    for (table, name, non_unique, column, collation, sub_part, kind, comment, expression, ignored) in rows {
        if !tables.contains_key(&table) {
            continue;
        }
        if ignored == "YES" {
            extras.ignored_indexes.insert((table.clone(), name.clone()));
        }
        let key = match (column, expression) {
            (_, Some(expr)) if !expr.is_empty() => IndexKey::Expr(expr),
            (Some(column), _) => IndexKey::Column(column.into()),
            (None, _) => IndexKey::Expr(String::new()),
        };
        // MariaDB reports a prefix of 32 for a SPATIAL part; it is not one the user declared.
        // MySQL 8: SUB_PART is NULL there. Descending parts read 'D' on MySQL 8 and MariaDB
        // 10.8+; older MariaDB ignores DESC and reads 'A'.
        let spatial = kind == "SPATIAL";
        let part = IndexPart {
            key,
            desc: collation.as_deref() == Some("D"),
            collation: None,
            nulls_first: None,
            opclass: None,
            prefix: sub_part.filter(|_| !spatial).and_then(|n| u32::try_from(n).ok()),
        };
        match found.last_mut() {
            Some((t, index)) if *t == table && index.name == name => index.parts.push(part),
            _ => {
                let method = match kind.as_str() {
                    "BTREE" => None,
                    other => Some(other.to_string()),
                };
                let index = Index {
                    name: name.into(),
                    unique: non_unique == 0,
                    parts: vec![part],
                    method,
                    comment: comment.filter(|c| !c.is_empty()),
                    ..Default::default()
                };
                found.push((table, index));
            }
        }
    }
    for (table_name, index) in found {
        let Some(table) = tables.get_mut(&table_name) else { continue };
        if index.name == "PRIMARY" {
            table.primary_key = Some(primary_key(&table_name, index)?);
        } else {
            table.indexes.push(index);
        }
    }
    Ok(())
}

/// The primary key an index named `PRIMARY` stands for. MySQL gives primary keys no name of
/// their own (`CONSTRAINT x PRIMARY KEY` is accepted and forgotten), so the model keeps none.
fn primary_key(table: &str, index: Index) -> Result<PrimaryKey> {
    let mut columns = Vec::new();
    for part in index.parts {
        match part.key {
            IndexKey::Column(c) if part.prefix.is_none() && !part.desc => columns.push(c),
            _ => {
                return Err(Error::Unsupported(format!(
                    "the primary key of table `{table}` has a prefix, descending or expression part, \
                     which is not modelled yet; schema cannot manage this database safely"
                )))
            }
        }
    }
    Ok(PrimaryKey { name: None, columns, comment: index.comment, ..Default::default() })
}
