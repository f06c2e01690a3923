//! Indexes of tables and materialized views, including those that back constraints (whose
//! `INCLUDE` and `NULLS NOT DISTINCT` the constraints take from them).

use std::collections::HashMap;

use schema_model::{Index, IndexKey, IndexPart};
use sqlx::{PgConnection, Row};

use super::Relations;
use crate::error::db_err;
use crate::{Error, Result};

/// One row per index, with its storage parameters; not a partition's copy of its parent's index. `{nnd}` is `indnullsnotdistinct` on PostgreSQL 15 and later.
const INDEXES: &str = concat!(
    "SELECT i.indrelid::int8, i.indexrelid::int8, ic.relname::text, i.indisunique, am.amname::text, ",
    "CASE WHEN i.indpred IS NOT NULL THEN pg_get_expr(i.indpred, i.indrelid) END, {nnd}, ",
    "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid ",
    "AND k.contype IN ('p', 'u', 'x')), dsc.description, i.indisvalid, ",
    "n.nspname::text, coalesce(ic.reloptions, '{}')::text[] ",
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = ic.relam",
    description_join!("dsc", "pg_class", "i.indexrelid", "0"),
    "WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'm', 'p') AND ",
    "NOT EXISTS (SELECT 1 FROM pg_inherits x WHERE x.inhrelid = i.indexrelid) AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY i.indexrelid"
);

/// One row per index column (key and `INCLUDE`), in index order: the column or the
/// expression, the order options, and a collation or operator class only where it is not the
/// default. An expression's default collation is its type's or that of a column it reads.
const INDEX_PARTS: &str = concat!(
    "SELECT i.indexrelid::int8, k.i::int4 <= i.indnkeyatts, ",
    "CASE WHEN k.attnum <> 0 THEN a.attname::text END, ",
    "CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.i::int4, true) END, ",
    "coalesce(k.opt, 0)::int4, ",
    "CASE WHEN k.coll IS NULL OR k.coll = 0 THEN NULL ",
    "WHEN k.attnum <> 0 AND k.coll = a.attcollation THEN NULL ",
    "WHEN k.attnum = 0 AND (k.coll = it.typcollation OR k.coll IN (SELECT ra.attcollation ",
    "FROM pg_depend d JOIN pg_attribute ra ON ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid ",
    "WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid ",
    "AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0)) THEN NULL ELSE ",
    collation_name!("co", "cn"),
    " END, ",
    "CASE WHEN opc.oid IS NULL OR opc.opcdefault THEN NULL ",
    "WHEN ocn.nspname = 'pg_catalog' THEN opc.opcname::text ELSE ocn.nspname || '.' || opc.opcname END ",
    "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[]) ",
    "WITH ORDINALITY AS k(attnum, cls, coll, opt, i) ",
    // A key column by both halves of its key, and an expression's type only for expressions:
    // `OFFSET 0` keeps the planner from flattening these into joins that scan every column of
    // each table, or all of pg_attribute (170 to 110 ms at 5,000 tables).
    "LEFT JOIN LATERAL (SELECT a.attname, a.attcollation FROM pg_attribute a ",
    "WHERE k.attnum > 0 AND a.attrelid = i.indrelid AND a.attnum = k.attnum OFFSET 0) a ON true ",
    "LEFT JOIN LATERAL (SELECT it.typcollation FROM pg_attribute ia JOIN pg_type it ON it.oid = ia.atttypid ",
    "WHERE k.attnum = 0 AND ia.attrelid = i.indexrelid AND ia.attnum = k.i OFFSET 0) it ON true ",
    "LEFT JOIN pg_opclass opc ON opc.oid = k.cls LEFT JOIN pg_namespace ocn ON ocn.oid = opc.opcnamespace ",
    "LEFT JOIN pg_collation co ON co.oid = k.coll LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace ",
    "WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'm', 'p') AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY i.indexrelid, k.i"
);

/// An index as read, before it is placed on its table or view.
pub(super) struct RawIndex {
    /// The oid of the indexed relation.
    pub relid: i64,
    /// The index in model form.
    pub index: Index,
    /// True when a primary key, unique or exclusion constraint owns it.
    pub backs_constraint: bool,
}

/// Every index of the managed tables and materialized views, keyed by index oid.
pub(super) async fn read(conn: &mut PgConnection, schemas: &[String], version: i32) -> Result<HashMap<i64, RawIndex>> {
    let nnd = if version >= 150000 { "i.indnullsnotdistinct" } else { "false" };
    let rows = sqlx::query(&INDEXES.replace("{nnd}", nnd))
        .bind(schemas)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading indexes"))?;
    let mut out = HashMap::new();
    for r in rows {
        if !r.get::<bool, _>(9) {
            return Err(Error::Unsupported(format!(
                "index \"{}\".\"{}\" is invalid (a CREATE INDEX CONCURRENTLY that failed or is still \
                 running); drop it or REINDEX it, then retry",
                r.get::<String, _>(10),
                r.get::<String, _>(2)
            )));
        }
        let method: String = r.get(4);
        let index = Index {
            name: r.get(2),
            unique: r.get(3),
            parts: Vec::new(),
            predicate: r.get(5),
            method: (method != "btree").then_some(method),
            include: Vec::new(),
            nulls_not_distinct: r.get(6),
            storage: r.get(11),
            comment: r.get(8),
        };
        let raw = RawIndex { relid: r.get(0), index, backs_constraint: r.get(7) };
        out.insert(r.get::<i64, _>(1), raw);
    }
    let parts =
        sqlx::query(INDEX_PARTS).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading index columns"))?;
    for r in parts {
        let Some(raw) = out.get_mut(&r.get::<i64, _>(0)) else {
            continue;
        };
        let column: Option<String> = r.get(2);
        if !r.get::<bool, _>(1) {
            raw.index.include.extend(column.map(Into::into));
            continue;
        }
        let option: i32 = r.get(4);
        let desc = option & 1 != 0;
        let nulls_first = option & 2 != 0;
        raw.index.parts.push(IndexPart {
            key: match column {
                Some(c) => IndexKey::Column(c.into()),
                None => IndexKey::Expr(r.get::<Option<String>, _>(3).unwrap_or_default()),
            },
            desc,
            collation: r.get(5),
            nulls_first: (nulls_first != desc).then_some(nulls_first),
            opclass: r.get(6),
            prefix: None,
        });
    }
    Ok(out)
}

/// Puts the indexes that no constraint owns on their tables and materialized views.
pub(super) fn attach(indexes: HashMap<i64, RawIndex>, rels: &mut Relations) {
    for raw in indexes.into_values() {
        if raw.backs_constraint {
            continue;
        }
        if let Some((_, t)) = rels.tables.get_mut(&raw.relid) {
            t.indexes.push(raw.index);
        } else if let Some((_, v)) = rels.views.get_mut(&raw.relid) {
            v.indexes.push(raw.index);
        }
    }
}
