//! Reading a SQLite catalog into the model in two queries, whatever the number of tables: the
//! objects of `sqlite_master` as one JSON array, then one row per table with its columns,
//! indexes and foreign keys aggregated by SQLite itself into JSON arrays (`json_group_array`
//! over the table-valued pragmas), so the driver copies four values per table instead of one
//! row per column, index column and key column.
//!
//! `pragma_table_list` is never joined: it lists every table of every attached schema on each
//! call, so a join or `NOT IN` over it runs once per row of `sqlite_master` and made inspection
//! quadratic (170 s at 5,000 tables). Virtual tables are told by their stored text instead, and
//! since they are refused, their shadow tables never reach the model. An index's text comes
//! from the objects already read, not from a join back to `sqlite_master` inside the per-table
//! subquery, which would scan it once per index.

use std::collections::HashMap;

use futures_util::TryStreamExt;
use schema_model::{
    Column, ColumnType, Dialect, ForeignKey, Generated, Index, IndexKey, IndexPart, PrimaryKey, Realm, RefAction,
    Schema, Table, TableOptions, Trigger, UniqueConstraint, View,
};
use serde::de::DeserializeOwned;
use sqlx::SqliteConnection;

use super::ddl_text::{parse_create_index, parse_create_table, TableText};
use crate::error::db_err;
use crate::{Error, Result};

/// Which `sqlite_master` rows are user objects: not SQLite's own and not ours.
macro_rules! user_objects {
    ($alias:literal) => {
        concat!($alias, ".name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND ", $alias, ".name <> 'schema_revisions'")
    };
}

/// Every user object with its kind and stored text, as one JSON array (one row to copy
/// instead of one per object).
const OBJECTS: &str = concat!(
    "SELECT json_group_array(json_array(m.type, m.name, m.tbl_name, m.sql)) FROM main.sqlite_master m WHERE ",
    user_objects!("m"),
);

/// One row per table: its name, then JSON arrays of its columns in declared order, its indexes
/// (with the key columns of unique constraints, whose text is in the table) and its foreign
/// key column pairs grouped by key id.
const TABLES: &str = concat!(
    "SELECT m.name, ",
    "(SELECT json_group_array(json_array(p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden) ",
    "ORDER BY p.cid) FROM pragma_table_xinfo(m.name) p), ",
    "(SELECT json_group_array(json_array(il.name, il.\"unique\", il.origin, json(CASE il.origin WHEN 'u' THEN ",
    "(SELECT json_group_array(ii.name ORDER BY ii.seqno) FROM pragma_index_xinfo(il.name) ii WHERE ii.key = 1) ",
    "ELSE '[]' END)) ORDER BY il.name) FROM pragma_index_list(m.name) il), ",
    "(SELECT json_group_array(json_array(f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete) ",
    "ORDER BY f.id, f.seq) FROM pragma_foreign_key_list(m.name) f) ",
    "FROM main.sqlite_master m WHERE m.type = 'table' AND ",
    user_objects!("m"),
    " ORDER BY m.name"
);

type ObjectRow = (String, String, String, Option<String>);
/// A table's name and the JSON arrays of its columns, indexes and foreign keys.
type TableRow = (String, String, String, String);
/// name, type, notnull, default, pk, hidden
type ColumnRow = (String, String, i64, Option<String>, i64, i64);
/// name, unique, origin (`c` CREATE INDEX, `u` UNIQUE, `pk`), key columns of a `u` index
type IndexRow = (String, i64, String, Vec<String>);
/// id, referenced table, from, to, on update, on delete
type FkRow = (i64, String, String, Option<String>, String, String);

/// Reads the whole `main` schema. The per-table rows are streamed: each is made into its table
/// (its stored `CREATE TABLE` text parsed) while SQLite, on the connection's own thread,
/// computes the next ones.
pub async fn inspect(conn: &mut SqliteConnection) -> Result<Realm> {
    let (objects,): (String,) =
        sqlx::query_as(OBJECTS).fetch_one(&mut *conn).await.map_err(db_err("reading sqlite_master"))?;
    let objects: Vec<ObjectRow> = json("sqlite_master", &objects)?;
    let mut schema = Schema::named("main");
    let mut table_texts = HashMap::new();
    let mut index_texts = HashMap::new();
    for (kind, name, tbl_name, sql) in objects {
        let sql = sql.unwrap_or_default();
        match kind.as_str() {
            "table" if is_virtual(&sql) => {
                return Err(Error::Unsupported(format!(
                    "table {name} is a virtual table ({sql}); schema does not manage virtual tables yet"
                )))
            }
            "table" => {
                table_texts.insert(name, sql);
            }
            "index" => {
                index_texts.insert(name, sql);
            }
            "view" => schema.views.push(View { name, definition: sql, ..Default::default() }),
            "trigger" => schema.triggers.push(Trigger { name, table: tbl_name, definition: sql, comment: None }),
            _ => {}
        }
    }
    schema.tables.reserve(table_texts.len());
    let mut rows = sqlx::query_as::<_, TableRow>(TABLES).fetch(&mut *conn);
    while let Some((name, columns, indexes, fks)) =
        rows.try_next().await.map_err(db_err("reading the tables' pragmas"))?
    {
        let Some(sql) = table_texts.remove(&name) else {
            continue;
        };
        let text = parse_create_table(&sql)
            .map_err(|e| Error::Unsupported(format!("cannot read the definition of table {name}: {e}")))?;
        schema.tables.push(table(name, text, (&columns, &indexes, &fks), &mut index_texts)?);
    }
    let mut realm = Realm::new(Dialect::Sqlite);
    realm.schemas.push(schema);
    realm.normalize();
    Ok(realm)
}

/// The table `name` from its parsed text and the JSON arrays SQLite aggregated for it.
fn table(
    name: String,
    text: TableText,
    (columns, indexes, fks): (&str, &str, &str),
    index_texts: &mut HashMap<String, String>,
) -> Result<Table> {
    let mut table = Table {
        name: name.into(),
        options: TableOptions { without_rowid: text.without_rowid, strict: text.strict, ..Default::default() },
        ..Default::default()
    };
    let (columns, indexes, fks) = (json(&table.name, columns)?, json(&table.name, indexes)?, json(&table.name, fks)?);
    add_columns(&mut table, &text, columns);
    add_indexes(&mut table, &text, indexes, index_texts)?;
    add_foreign_keys(&mut table, &text, fks);
    table.checks = text.checks;
    Ok(table)
}

/// Decodes one of the JSON arrays SQLite aggregated for `table`.
fn json<T: DeserializeOwned>(table: &str, text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text)
        .map_err(|e| Error::Unsupported(format!("cannot read the catalog rows of table {table}: {e}")))
}

/// The columns and the primary key, completed with what only the text holds.
fn add_columns(table: &mut Table, text: &TableText, rows: Vec<ColumnRow>) {
    let mut pk_cols = Vec::new();
    table.columns.reserve(rows.len());
    for (name, ty, notnull, default, pk, hidden) in rows {
        if hidden == 1 {
            continue;
        }
        let from_text = text.columns.iter().find(|c| c.name.eq_ignore_ascii_case(&name));
        let generated = match hidden {
            2 | 3 => Some(Generated {
                expr: from_text.and_then(|c| c.generated.as_ref()).map(|g| g.expr.clone()).unwrap_or_default(),
                stored: hidden == 3,
            }),
            _ => None,
        };
        if pk > 0 {
            pk_cols.push((pk, name.clone()));
        }
        table.columns.push(Column {
            ty: ColumnType::declared(Dialect::Sqlite, ty),
            nullable: notnull == 0,
            default: default.map(Into::into),
            collation: from_text.and_then(|c| c.collation.as_ref()).map(|c| c.to_uppercase().into()),
            generated: generated.map(Box::new),
            auto_increment: from_text.is_some_and(|c| c.autoincrement),
            name: name.into(),
            ..Default::default()
        });
    }
    if !pk_cols.is_empty() {
        pk_cols.sort();
        table.primary_key = Some(PrimaryKey {
            name: text.pk_name.as_deref().map(Into::into),
            columns: pk_cols.into_iter().map(|(_, c)| c.into()).collect(),
            ..Default::default()
        });
    }
}

/// Unique constraints (named from the text) and `CREATE INDEX` indexes (read from theirs,
/// taken out of `index_texts`).
fn add_indexes(
    table: &mut Table,
    text: &TableText,
    rows: Vec<IndexRow>,
    index_texts: &mut HashMap<String, String>,
) -> Result<()> {
    for (name, unique, origin, columns) in rows {
        match origin.as_str() {
            "u" => {
                let declared = text.uniques.iter().find(|(_, c)| same_names(c, &columns));
                table.uniques.push(UniqueConstraint {
                    name: declared.and_then(|(n, _)| n.as_deref().map(Into::into)),
                    columns: schema_model::names(columns),
                    ..Default::default()
                });
            }
            "c" => {
                let sql = index_texts.remove(&name).unwrap_or_default();
                let parsed = parse_create_index(&sql)
                    .map_err(|e| Error::Unsupported(format!("cannot read the definition of index {name}: {e}")))?;
                let parts = parsed
                    .parts
                    .into_iter()
                    .map(|p| IndexPart {
                        key: match p.column {
                            Some(c) => IndexKey::Column(c.into()),
                            None => IndexKey::Expr(p.expr),
                        },
                        desc: p.desc,
                        collation: p.collation.map(|c| c.to_uppercase()),
                        nulls_first: None,
                        opclass: None,
                        prefix: None,
                    })
                    .collect();
                table.indexes.push(Index {
                    name: name.into(),
                    unique: unique != 0,
                    parts,
                    predicate: parsed.predicate,
                    ..Default::default()
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Foreign keys from their column pairs (in key id order), each named and made deferrable by
/// the first clause of the text with the same columns and referenced table not yet taken.
fn add_foreign_keys(table: &mut Table, text: &TableText, rows: Vec<FkRow>) {
    let mut grouped: Vec<(i64, ForeignKey)> = Vec::new();
    for (id, ref_table, from, to, on_update, on_delete) in rows {
        match grouped.last_mut() {
            Some((i, fk)) if *i == id => {
                fk.columns.push(from.into());
                fk.ref_columns.extend(to.map(Into::into));
            }
            _ => grouped.push((
                id,
                ForeignKey {
                    columns: vec![from.into()],
                    ref_table: ref_table.into(),
                    ref_columns: to.into_iter().map(Into::into).collect(),
                    on_delete: RefAction::parse(&on_delete).unwrap_or_default(),
                    on_update: RefAction::parse(&on_update).unwrap_or_default(),
                    ..Default::default()
                },
            )),
        }
    }
    let mut taken = vec![false; text.fks.len()];
    for (_, mut fk) in grouped {
        if let Some(i) = text.fks.iter().enumerate().position(|(i, t)| {
            !taken[i] && same_names(&t.columns, &fk.columns) && t.ref_table.eq_ignore_ascii_case(&fk.ref_table)
        }) {
            taken[i] = true;
            fk.name = text.fks[i].name.as_deref().map(Into::into);
            fk.deferrable = text.fks[i].deferrable;
        }
        table.foreign_keys.push(fk);
    }
}

/// Whether a table's stored text declares a virtual table (`CREATE VIRTUAL TABLE`, in any case
/// and spacing, as SQLite keeps the text the user wrote).
fn is_virtual(sql: &str) -> bool {
    let mut words = sql.split_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("create"))
        && words.next().is_some_and(|w| w.eq_ignore_ascii_case("virtual"))
}

fn same_names(a: &[impl AsRef<str>], b: &[impl AsRef<str>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.as_ref().eq_ignore_ascii_case(y.as_ref()))
}

#[cfg(test)]
mod tests {
    use schema_model::types::sqlite_canonical as canonical_type;

    #[test]
    fn virtual_tables_are_told_by_their_text() {
        assert!(super::is_virtual("CREATE VIRTUAL TABLE docs USING fts5(body)"));
        assert!(super::is_virtual("create\n  virtual table \"x\" using rtree(id, a, b)"));
        assert!(!super::is_virtual("CREATE TABLE virtual (a)"));
        assert!(!super::is_virtual(""));
    }

    #[test]
    fn canonical_types() {
        assert_eq!(canonical_type("varchar ( 10 , 2 )"), "VARCHAR(10,2)");
        assert_eq!(canonical_type("unsigned   big int"), "UNSIGNED BIG INT");
        assert_eq!(canonical_type(""), "");
    }
}
