//! Tables, views and materialized views, and the columns of tables.

use std::collections::HashMap;

use schema_model::{Column, ColumnType, Generated, Identity, PartitionOf, Table, TableOptions, View};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::Relations;
use crate::error::db_err;
use crate::{Error, Result};

/// Every table-like relation with what decides whether it is modelled: kind, partition and
/// inheritance flags; views with their query as the server renders it; tables with their
/// row-level security switches, partition key, and parent and bound of a partition.
const RELATIONS: &str = concat!(
    "SELECT c.oid::int8 AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind, ",
    "c.relispartition AS partition, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS child, ",
    "CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS definition, ",
    "dsc.description AS comment, c.relrowsecurity AS row_security, ",
    "c.relforcerowsecurity AS force_row_security, ",
    "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by, ",
    "pn.nspname::text AS parent_schema, pc.relname::text AS parent, ",
    "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_inherits ih ON ih.inhrelid = c.oid AND c.relispartition ",
    "LEFT JOIN pg_class pc ON pc.oid = ih.inhparent LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace",
    description_join!("dsc", "pg_class", "c.oid", "0"),
    "WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY 2, 3"
);

/// Every column of every table, with its number, its default or generation expression, its
/// identity's sequence options, and a collation that differs from its type's; not those of
/// partitions, which are their parent's. Unsorted: the reader puts each table's columns in
/// order, which spares the server sorting every column of the catalog on disk. Their comments
/// come from [`COLUMN_COMMENTS`].
const COLUMNS: &str = concat!(
    "SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, ",
    // A default cannot read a column, so it is printed without its table (relation id 0),
    // which spares the server opening and locking every table; a generated expression can.
    // Looked up only for the columns that have one (a join probed pg_attrdef for every column).
    "CASE WHEN a.atthasdef THEN (SELECT CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) ",
    "ELSE pg_get_expr(ad.adbin, ad.adrelid) END FROM pg_attrdef ad WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum) END, ",
    "a.attgenerated::text, a.attidentity::text, ",
    "CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN ",
    collation_name!("co", "cn"),
    " END, ",
    "ids.seqstart, ids.seqincrement, ids.seqmin, ids.seqmax, ids.seqcache, ids.seqcycle, a.attnum ",
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid ",
    "LEFT JOIN pg_collation co ON co.oid = a.attcollation ",
    "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace ",
    "LEFT JOIN LATERAL (SELECT s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle ",
    "FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid ",
    "WHERE a.attidentity <> '' AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass ",
    "AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i' LIMIT 1) ids ON true ",
    "WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND ",
    not_extension_member!("pg_class", "c.oid")
);

/// The comments on columns: a query of its own on one catalog, joined to the columns by the
/// reader. Joined to them in [`COLUMNS`], the server planned a nested loop over every comment
/// for every column whenever its statistics of pg_description were those of an empty
/// database (a database just loaded, the dev database of a replay): 565 ms instead of 85 ms
/// at 1,000 tables, and quadratic in the size of the schema. Not limited to the managed
/// schemas: the reader keeps only the comments of the columns it read, and limiting it by a
/// subquery on pg_class cost more (2.3 ms against 0.5 ms at 1,000 tables) than it saved.
const COLUMN_COMMENTS: &str = "SELECT d.objoid::int8, d.objsubid::int2, d.description FROM pg_description d \
     WHERE d.classoid = 'pg_class'::regclass AND d.objsubid > 0";

/// A row of [`RELATIONS`].
#[derive(sqlx::FromRow)]
struct RelationRow {
    oid: i64,
    schema: String,
    name: String,
    kind: String,
    partition: bool,
    child: bool,
    definition: Option<String>,
    comment: Option<String>,
    row_security: bool,
    force_row_security: bool,
    partition_by: Option<String>,
    parent_schema: Option<String>,
    parent: Option<String>,
    bound: Option<String>,
}

/// Tables and views of the managed schemas; refuses the kinds the model does not hold.
pub(super) async fn read(conn: &mut PgConnection, schemas: &[String]) -> Result<Relations> {
    let rows: Vec<RelationRow> = sqlx::query_as(RELATIONS)
        .bind(schemas)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading tables and views"))?;
    let mut rels = Relations::default();
    for row in rows {
        let RelationRow { oid, schema, name, kind, partition, child, definition, comment, .. } = row;
        let refuse = |what: &str| {
            Err(Error::Unsupported(format!(
                "{what} \"{schema}\".\"{name}\" is not modelled yet; schema cannot manage this database safely"
            )))
        };
        match kind.as_str() {
            "r" if child && !partition => return refuse("inheritance child table"),
            "f" => return refuse("foreign table"),
            "c" => return refuse("composite type"),
            "r" | "p" => {
                let options = TableOptions {
                    row_security: row.row_security,
                    force_row_security: row.force_row_security,
                    ..Default::default()
                };
                let partition_of = match (row.parent_schema, row.parent, row.bound) {
                    (Some(schema), Some(table), Some(bound)) => Some(PartitionOf { schema, table, bound }),
                    _ => None,
                };
                let table = Table {
                    name: name.into(),
                    comment,
                    options,
                    partition_by: row.partition_by,
                    partition_of,
                    ..Default::default()
                };
                rels.tables.insert(oid, (schema, table));
            }
            _ => {
                let view = View {
                    name,
                    definition: definition.unwrap_or_default(),
                    materialized: kind == "m",
                    indexes: Vec::new(),
                    comment,
                    ..Default::default()
                };
                rels.views.insert(oid, (schema, view));
            }
        }
    }
    Ok(rels)
}

/// The rows of [`COLUMNS`] and the column comments by table and number, fetched apart from the
/// tables they belong to so that the queries can run while the tables are read on another
/// connection.
pub(super) async fn fetch_columns(conn: &mut PgConnection, schemas: &[String]) -> Result<FetchedColumns> {
    let rows = sqlx::query(COLUMNS).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading columns"))?;
    let comments: Vec<(i64, i16, String)> =
        sqlx::query_as(COLUMN_COMMENTS).fetch_all(&mut *conn).await.map_err(db_err("reading column comments"))?;
    Ok((rows, comments.into_iter().map(|(relid, number, text)| ((relid, number), text)).collect()))
}

/// What [`fetch_columns`] reads: the rows of [`COLUMNS`], and the comments by table and number.
pub(super) type FetchedColumns = (Vec<PgRow>, HashMap<(i64, i16), String>);

/// Fills the columns of the tables in `rels` from what [`fetch_columns`] read, in declared
/// order, and their numbers.
pub(super) fn attach_columns((rows, mut comments): FetchedColumns, rels: &mut Relations) {
    for r in rows {
        let relid = r.get::<i64, _>(0);
        let Some((_, table)) = rels.tables.get_mut(&relid) else {
            continue;
        };
        let number: i16 = r.get(14);
        rels.attnums.entry(relid).or_default().push(number);
        let ty: String = r.get(2);
        let expr: Option<String> = r.get(4);
        let generated: String = r.get(5);
        let identity: String = r.get(6);
        let (default, generated) = match generated.as_str() {
            "" => (expr, None),
            kind => (None, Some(Generated { expr: expr.unwrap_or_default(), stored: kind == "s" })),
        };
        let identity = match (identity.as_str(), r.get::<Option<i64>, _>(8)) {
            ("", _) | (_, None) => None,
            (kind, Some(start)) => Some(Identity {
                always: kind == "a",
                start,
                increment: r.get(9),
                min_value: r.get(10),
                max_value: r.get(11),
                cache: r.get(12),
                cycle: r.get(13),
            }),
        };
        table.columns.push(Column {
            name: r.get(1),
            ty: ColumnType::new(ty),
            nullable: !r.get::<bool, _>(3),
            default: if identity.is_some() { None } else { default.map(Into::into) },
            collation: r.get(7),
            generated: generated.map(Box::new),
            auto_increment: false,
            identity: identity.map(Box::new),
            comment: comments.remove(&(relid, number)).map(Into::into),
            renamed_from: None,
            ..Default::default()
        });
    }
    for (relid, numbers) in &mut rels.attnums {
        if let Some((_, table)) = rels.tables.get_mut(relid) {
            in_declared_order(numbers, &mut table.columns);
        }
    }
}

/// Sorts a table's columns, read in any order, and their numbers by number (declared order).
fn in_declared_order(numbers: &mut Vec<i16>, columns: &mut Vec<Column>) {
    if numbers.is_sorted() {
        return;
    }
    let mut numbered: Vec<(i16, Column)> = numbers.drain(..).zip(columns.drain(..)).collect();
    numbered.sort_by_key(|(n, _)| *n);
    (*numbers, *columns) = numbered.into_iter().unzip();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_out_of_order_are_put_in_declared_order() {
        let named = |n: &str| Column { name: n.into(), ..Default::default() };
        let (mut numbers, mut columns) = (vec![3, 1, 4, 2], vec![named("c"), named("a"), named("d"), named("b")]);
        in_declared_order(&mut numbers, &mut columns);
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    }
}
