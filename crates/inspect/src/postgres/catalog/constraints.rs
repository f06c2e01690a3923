//! Primary keys, unique constraints, checks, foreign keys and exclusion constraints of tables.

use std::collections::HashMap;

use schema_model::{Check, CompactString, Deferrable, Exclusion, ForeignKey, PrimaryKey, RefAction, UniqueConstraint};
use sqlx::{PgConnection, Row};

use super::indexes::RawIndex;
use super::Relations;
use crate::error::db_err;
use crate::{Error, Result};

/// Every table constraint (inherited copies of partitions aside) with the numbers of its
/// columns in key order, the referenced table and column numbers of a foreign key, its backing
/// index, and the definition of an exclusion constraint. `{setcols}` tells (PostgreSQL 15 and
/// later) whether `ON DELETE SET NULL/DEFAULT` names columns. The reader names the columns
/// from those it has read (a probe of `pg_attribute` per key column took half of this query's
/// time at 5,000 tables), and sorts the rows, which spares the server a sort on disk.
const CONSTRAINTS: &str = concat!(
    "SELECT con.conrelid::int8, con.conname::text, con.contype::text, con.condeferrable, con.condeferred, ",
    "con.convalidated, con.connoinherit, ",
    "CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END, ",
    "coalesce(con.conkey, '{}')::int2[], fn.nspname::text, fc.relname::text, ",
    "coalesce(con.confkey, '{}')::int2[], ",
    "con.confdeltype::text, con.confupdtype::text, con.confmatchtype::text, con.conindid::int8, ",
    "dsc.description, n.nspname::text, c.relname::text, {setcols}, ",
    "CASE WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid) END, con.confrelid::int8 ",
    "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace",
    description_join!("dsc", "pg_constraint", "con.oid", "0"),
    "WHERE n.nspname = ANY($1) AND con.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relkind IN ('r', 'p') ",
    "AND con.conparentid = 0 AND con.conislocal AND ",
    not_extension_member!("pg_class", "c.oid")
);

/// The columns of relations whose columns inspection did not read (a partition's own
/// constraint, a foreign key to a table outside the managed schemas), by number.
const KEY_COLUMNS: &str = "SELECT a.attrelid::int8, a.attnum, a.attname::text FROM pg_attribute a \
     WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0";

/// Column names by relation and number: those of the tables read, and the others fetched.
struct KeyNames<'r> {
    /// The tables read, with their columns' numbers.
    rels: &'r Relations,
    /// Columns of other relations, by relation and number.
    others: HashMap<(i64, i16), String>,
}

impl<'r> KeyNames<'r> {
    /// Reads the columns of the relations among `wanted` whose columns `rels` lacks, in one
    /// query, and only when there are any.
    async fn load(conn: &mut PgConnection, rels: &'r Relations, wanted: impl Iterator<Item = i64>) -> Result<Self> {
        let mut missing: Vec<i64> = wanted.filter(|r| !rels.attnums.contains_key(r)).collect();
        missing.sort_unstable();
        missing.dedup();
        let mut others = HashMap::new();
        if !missing.is_empty() {
            let rows: Vec<(i64, i16, String)> = sqlx::query_as(KEY_COLUMNS)
                .bind(&missing)
                .fetch_all(&mut *conn)
                .await
                .map_err(db_err("reading the columns of constrained relations"))?;
            others.extend(rows.into_iter().map(|(rel, n, name)| ((rel, n), name)));
        }
        Ok(KeyNames { rels, others })
    }

    /// The names of the columns numbered `keys` of relation `rel`, in key order; an
    /// expression's key is 0 and names no column, so it is left out.
    fn names(&self, rel: i64, keys: &[i16]) -> Vec<CompactString> {
        let read = self.rels.attnums.get(&rel).zip(self.rels.tables.get(&rel));
        keys.iter()
            .filter(|&&k| k > 0)
            .filter_map(|&k| match read {
                Some((numbers, (_, table))) => numbers.binary_search(&k).ok().map(|i| table.columns[i].name.clone()),
                None => self.others.get(&(rel, k)).map(|n| n.as_str().into()),
            })
            .collect()
    }
}

/// Attaches the constraints to the tables of `rels`; the unique constraints take `INCLUDE`
/// and `NULLS NOT DISTINCT` from their index in `indexes`.
pub(super) async fn read(
    conn: &mut PgConnection,
    schemas: &[String],
    version: i32,
    indexes: &mut HashMap<i64, RawIndex>,
    rels: &mut Relations,
) -> Result<()> {
    let setcols = if version >= 150000 { "coalesce(cardinality(con.confdelsetcols), 0) > 0" } else { "false" };
    let mut rows = sqlx::query(&CONSTRAINTS.replace("{setcols}", setcols))
        .bind(schemas)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading constraints"))?;
    rows.retain(|r| rels.tables.contains_key(&r.get::<i64, _>(0)));
    // In the order of the tables and names, so that the first refusal is always the same.
    rows.sort_by_cached_key(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)));
    let wanted = rows.iter().flat_map(|r| [r.get::<i64, _>(0), r.get::<i64, _>(21)]).filter(|&rel| rel != 0);
    let keys = KeyNames::load(conn, rels, wanted).await?;
    let named: Vec<(Vec<CompactString>, Vec<CompactString>)> = rows
        .iter()
        .map(|r| {
            let columns = keys.names(r.get(0), &r.get::<Vec<i16>, _>(8));
            (columns, keys.names(r.get(21), &r.get::<Vec<i16>, _>(11)))
        })
        .collect();
    for (r, (columns, ref_columns)) in rows.iter().zip(named) {
        let Some((schema, table)) = rels.tables.get_mut(&r.get::<i64, _>(0)) else {
            continue;
        };
        let name: String = r.get(1);
        let kind: String = r.get(2);
        let deferrable = match (r.get::<bool, _>(3), r.get::<bool, _>(4)) {
            (false, _) => Deferrable::NotDeferrable,
            (true, false) => Deferrable::InitiallyImmediate,
            (true, true) => Deferrable::InitiallyDeferred,
        };
        let not_valid = !r.get::<bool, _>(5);
        let comment: Option<String> = r.get(16);
        let index = indexes.get(&r.get::<i64, _>(15)).map(|i| &i.index);
        let qualified = format!("\"{}\".\"{}\"", r.get::<String, _>(17), r.get::<String, _>(18));
        match kind.as_str() {
            "p" => {
                if index.is_some_and(|i| !i.include.is_empty()) {
                    return Err(Error::Unsupported(format!(
                        "the primary key {name} of table {qualified} has INCLUDE columns, which \
                         are not modelled yet; schema cannot manage this database safely"
                    )));
                }
                table.primary_key = Some(PrimaryKey { name: Some(name.into()), columns, deferrable, comment });
            }
            "u" => table.uniques.push(UniqueConstraint {
                name: Some(name.into()),
                columns,
                nulls_not_distinct: index.is_some_and(|i| i.nulls_not_distinct),
                include: index.map(|i| i.include.clone()).unwrap_or_default(),
                deferrable,
                comment,
            }),
            "c" => table.checks.push(Check {
                name: Some(name.into()),
                expr: r.get::<Option<String>, _>(7).unwrap_or_default(),
                not_valid,
                no_inherit: r.get(6),
                comment,
            }),
            "f" if r.get::<bool, _>(19) => {
                return Err(Error::Unsupported(format!(
                    "foreign key {name} of table {qualified} sets only some columns on delete, \
                     which is not modelled yet; schema cannot manage this database safely"
                )))
            }
            "f" => {
                let ref_schema: String = r.get(9);
                table.foreign_keys.push(ForeignKey {
                    name: Some(name.into()),
                    columns,
                    ref_schema: (ref_schema != *schema).then_some(ref_schema),
                    ref_table: r.get(10),
                    ref_columns,
                    on_delete: action(&r.get::<String, _>(12)),
                    on_update: action(&r.get::<String, _>(13)),
                    deferrable,
                    match_full: r.get::<String, _>(14) == "f",
                    not_valid,
                    comment,
                })
            }
            _ => table.exclusions.push(Exclusion {
                name,
                definition: r.get::<Option<String>, _>(20).unwrap_or_default(),
                comment,
            }),
        }
    }
    Ok(())
}

/// A referential action from its `pg_constraint` letter.
fn action(code: &str) -> RefAction {
    match code {
        "r" => RefAction::Restrict,
        "c" => RefAction::Cascade,
        "n" => RefAction::SetNull,
        "d" => RefAction::SetDefault,
        _ => RefAction::NoAction,
    }
}
