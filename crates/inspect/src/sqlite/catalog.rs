//! Reading a SQLite catalog into the model: a fixed number of queries over `sqlite_master`
//! joined with the table-valued pragmas, whatever the number of tables.
//!
//! `pragma_table_list` is never joined: it lists every table of every attached schema on each
//! call, so a join or `NOT IN` over it runs once per row of `sqlite_master` and made inspection
//! quadratic (170 s at 5,000 tables). Virtual tables are told by their stored text instead, and
//! since they are refused, their shadow tables never reach the model.

use std::collections::HashMap;

use schema_model::{
    Column, ColumnType, Dialect, ForeignKey, Generated, Index, IndexKey, IndexPart, PrimaryKey, Realm, RefAction,
    Schema, Table, TableOptions, Trigger, UniqueConstraint, View,
};
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

/// Every user object with its kind and stored text.
const OBJECTS: &str = concat!(
    "SELECT m.type, m.name, m.tbl_name, m.sql FROM main.sqlite_master m WHERE ",
    user_objects!("m"),
    " ORDER BY m.type, m.name"
);

/// Every column of every table, in declared order.
const COLUMNS: &str = concat!(
    "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden ",
    "FROM main.sqlite_master m JOIN pragma_table_xinfo(m.name) p WHERE m.type = 'table' AND ",
    user_objects!("m"),
    " ORDER BY m.name, p.cid"
);

/// Every index of every table with where it came from (`c` CREATE INDEX, `u` UNIQUE, `pk`).
const INDEXES: &str = concat!(
    "SELECT m.name, il.name, il.\"unique\", il.origin, im.sql ",
    "FROM main.sqlite_master m JOIN pragma_index_list(m.name) il ",
    "LEFT JOIN main.sqlite_master im ON im.type = 'index' AND im.name = il.name WHERE m.type = 'table' AND ",
    user_objects!("m"),
    " ORDER BY m.name, il.name"
);

/// The key columns of every index (for unique constraints, whose text is in the table).
const INDEX_COLUMNS: &str = concat!(
    "SELECT il.name, ii.name FROM main.sqlite_master m JOIN pragma_index_list(m.name) il ",
    "JOIN pragma_index_xinfo(il.name) ii WHERE m.type = 'table' AND ii.key = 1 AND il.origin = 'u' AND ",
    user_objects!("m"),
    " ORDER BY il.name, ii.seqno"
);

/// Every foreign key column pair, grouped by key id.
const FOREIGN_KEYS: &str = concat!(
    "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete ",
    "FROM main.sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND ",
    user_objects!("m"),
    " ORDER BY m.name, f.id, f.seq"
);

type ObjectRow = (String, String, String, Option<String>);
type ColumnRow = (String, String, String, i64, Option<String>, i64, i64);
type IndexRow = (String, String, i64, String, Option<String>);
type FkRow = (String, i64, String, String, Option<String>, String, String);

/// The canonical spelling of a declared SQLite type: upper case, single spaces, none
/// inside parentheses.
pub fn canonical_type(raw: &str) -> String {
    schema_model::types::sqlite_canonical(raw)
}

/// Reads the whole `main` schema. The stored `CREATE TABLE` texts are parsed on a blocking
/// thread while the pragma queries run on the connection's own.
pub async fn inspect(conn: &mut SqliteConnection) -> Result<Realm> {
    let objects: Vec<ObjectRow> =
        sqlx::query_as(OBJECTS).fetch_all(&mut *conn).await.map_err(db_err("reading sqlite_master"))?;
    let mut schema = Schema::named("main");
    let mut table_texts = Vec::new();
    for (kind, name, tbl_name, sql) in objects {
        let sql = sql.unwrap_or_default();
        match kind.as_str() {
            "table" if is_virtual(&sql) => {
                return Err(Error::Unsupported(format!(
                    "table {name} is a virtual table ({sql}); schema does not manage virtual tables yet"
                )))
            }
            "table" => table_texts.push((name, sql)),
            "view" => schema.views.push(View { name, definition: sql, ..Default::default() }),
            "trigger" => schema.triggers.push(Trigger { name, table: tbl_name, definition: sql, comment: None }),
            _ => {}
        }
    }
    let parsing = tokio::task::spawn_blocking(move || {
        table_texts
            .into_iter()
            .map(|(name, sql)| {
                let text = parse_create_table(&sql)
                    .map_err(|e| Error::Unsupported(format!("cannot read the definition of table {name}: {e}")))?;
                let options =
                    TableOptions { without_rowid: text.without_rowid, strict: text.strict, ..Default::default() };
                Ok((name.clone(), (Table { name, options, ..Default::default() }, text)))
            })
            .collect::<Result<HashMap<String, (Table, TableText)>>>()
    });
    let columns: Vec<ColumnRow> =
        sqlx::query_as(COLUMNS).fetch_all(&mut *conn).await.map_err(db_err("reading columns"))?;
    let indexes: Vec<IndexRow> =
        sqlx::query_as(INDEXES).fetch_all(&mut *conn).await.map_err(db_err("reading indexes"))?;
    let index_columns: Vec<(String, String)> =
        sqlx::query_as(INDEX_COLUMNS).fetch_all(&mut *conn).await.map_err(db_err("reading index columns"))?;
    let fks: Vec<FkRow> =
        sqlx::query_as(FOREIGN_KEYS).fetch_all(&mut *conn).await.map_err(db_err("reading foreign keys"))?;
    let mut tables = parsing
        .await
        .map_err(|e| Error::Unsupported(format!("reading the stored table definitions failed: {e}")))??;

    let mut pk_cols: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (tbl, name, ty, notnull, default, pk, hidden) in columns {
        let Some((table, text)) = tables.get_mut(&tbl) else {
            continue;
        };
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
            pk_cols.entry(tbl.clone()).or_default().push((pk, name.clone()));
        }
        table.columns.push(Column {
            ty: ColumnType { canonical: canonical_type(&ty), raw: ty },
            nullable: notnull == 0,
            default,
            collation: from_text.and_then(|c| c.collation.as_ref()).map(|c| c.to_uppercase()),
            generated,
            auto_increment: from_text.is_some_and(|c| c.autoincrement),
            name,
            ..Default::default()
        });
    }
    for (tbl, mut cols) in pk_cols {
        if let Some((table, text)) = tables.get_mut(&tbl) {
            cols.sort();
            table.primary_key = Some(PrimaryKey {
                name: text.pk_name.clone(),
                columns: cols.into_iter().map(|(_, c)| c).collect(),
                ..Default::default()
            });
        }
    }

    let mut unique_cols: HashMap<String, Vec<String>> = HashMap::new();
    for (idx, col) in index_columns {
        unique_cols.entry(idx).or_default().push(col);
    }
    for (tbl, name, unique, origin, sql) in indexes {
        let Some((table, text)) = tables.get_mut(&tbl) else {
            continue;
        };
        match origin.as_str() {
            "u" => {
                let columns = unique_cols.remove(&name).unwrap_or_default();
                let declared = text.uniques.iter().find(|(_, c)| same_names(c, &columns));
                table.uniques.push(UniqueConstraint {
                    name: declared.and_then(|(n, _)| n.clone()),
                    columns,
                    ..Default::default()
                });
            }
            "c" => {
                let sql = sql.unwrap_or_default();
                let parsed = parse_create_index(&sql)
                    .map_err(|e| Error::Unsupported(format!("cannot read the definition of index {name}: {e}")))?;
                let parts = parsed
                    .parts
                    .into_iter()
                    .map(|p| IndexPart {
                        key: match p.column {
                            Some(c) => IndexKey::Column(c),
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
                    name,
                    unique: unique != 0,
                    parts,
                    predicate: parsed.predicate,
                    ..Default::default()
                });
            }
            _ => {}
        }
    }

    let mut grouped: Vec<(String, i64, ForeignKey)> = Vec::new();
    for (tbl, id, ref_table, from, to, on_update, on_delete) in fks {
        match grouped.last_mut() {
            Some((t, i, fk)) if *t == tbl && *i == id => {
                fk.columns.push(from);
                fk.ref_columns.extend(to);
            }
            _ => grouped.push((
                tbl,
                id,
                ForeignKey {
                    columns: vec![from],
                    ref_table,
                    ref_columns: to.into_iter().collect(),
                    on_delete: RefAction::parse(&on_delete).unwrap_or_default(),
                    on_update: RefAction::parse(&on_update).unwrap_or_default(),
                    ..Default::default()
                },
            )),
        }
    }
    let mut used: HashMap<String, Vec<bool>> = HashMap::new();
    for (tbl, _, mut fk) in grouped {
        let Some((table, text)) = tables.get_mut(&tbl) else {
            continue;
        };
        let taken = used.entry(tbl.clone()).or_insert_with(|| vec![false; text.fks.len()]);
        if let Some(i) = text.fks.iter().enumerate().position(|(i, t)| {
            !taken[i] && same_names(&t.columns, &fk.columns) && t.ref_table.eq_ignore_ascii_case(&fk.ref_table)
        }) {
            taken[i] = true;
            fk.name = text.fks[i].name.clone();
            fk.deferrable = text.fks[i].deferrable;
        }
        table.foreign_keys.push(fk);
    }

    for (_, (mut table, text)) in tables {
        table.checks = text.checks;
        schema.tables.push(table);
    }
    let mut realm = Realm::new(Dialect::Sqlite);
    realm.schemas.push(schema);
    realm.normalize();
    Ok(realm)
}

/// Whether a table's stored text declares a virtual table (`CREATE VIRTUAL TABLE`, in any case
/// and spacing, as SQLite keeps the text the user wrote).
fn is_virtual(sql: &str) -> bool {
    let mut words = sql.split_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("create"))
        && words.next().is_some_and(|w| w.eq_ignore_ascii_case("virtual"))
}

fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

#[cfg(test)]
mod tests {
    use super::canonical_type;

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
