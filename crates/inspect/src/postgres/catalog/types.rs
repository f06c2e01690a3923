//! Standalone sequences, enum types and domains, and the refusal of the type kinds and
//! collations the model does not hold.

use std::collections::HashMap;

use schema_model::{Check, ColumnType, Domain, EnumType, Sequence};
use sqlx::{PgConnection, Row};

use crate::error::db_err;
use crate::{Error, Result};

/// User-defined base, range, multirange and pseudo types (array and multirange companions,
/// which depend internally on their element or range type, left out), and collations.
const UNMODELLED: &str = concat!(
    "SELECT n.nspname::text, t.typname::text, CASE t.typtype WHEN 'b' THEN 'base type' WHEN 'r' THEN 'range type' ",
    "WHEN 'm' THEN 'multirange type' ELSE 'pseudo type' END FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "WHERE n.nspname = ANY($1) AND t.typtype IN ('b', 'r', 'm', 'p') AND ",
    not_extension_member!("pg_type", "t.oid"),
    " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass ",
    "AND d.objid = t.oid AND d.deptype = 'i') ",
    "UNION ALL SELECT n.nspname::text, c.collname::text, 'collation' FROM pg_collation c ",
    "JOIN pg_namespace n ON n.oid = c.collnamespace WHERE n.nspname = ANY($1) AND ",
    not_extension_member!("pg_collation", "c.oid"),
    " ORDER BY 1, 2"
);

/// Sequences that are not an identity column's, with their options and the column that owns
/// them (`OWNED BY`, as `serial` sets it).
const SEQUENCES: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, ",
    "s.seqmin, s.seqmax, s.seqcache, s.seqcycle, own.sch, own.tbl, own.col, ",
    description_lookup!("pg_class", "c.oid"),
    " FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN LATERAL (SELECT tn.nspname::text AS sch, t.relname::text AS tbl, a.attname::text AS col ",
    "FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace ",
    "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid ",
    "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass ",
    "AND d.deptype = 'a' AND d.refobjsubid > 0 LIMIT 1) own ON true ",
    "WHERE n.nspname = ANY($1) AND ",
    not_extension_member!("pg_class", "c.oid"),
    " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass ",
    "AND d.objid = c.oid AND d.deptype = 'i') ORDER BY 1, 2"
);

/// Enum types with their labels in sort order.
const ENUMS: &str = concat!(
    "SELECT n.nspname::text, t.typname::text, ",
    "ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), ",
    "obj_description(t.oid, 'pg_type') FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "WHERE n.nspname = ANY($1) AND t.typtype = 'e' AND ",
    not_extension_member!("pg_type", "t.oid"),
    " ORDER BY 1, 2"
);

/// Domains: base type, nullability, default (rendered like column defaults, not the text
/// stored at creation, which depends on the `search_path` of that time) and a collation that
/// differs from the base type's.
const DOMAINS: &str = concat!(
    "SELECT t.oid::int8, n.nspname::text, t.typname::text, format_type(t.typbasetype, t.typtypmod), ",
    "t.typnotnull, coalesce(pg_get_expr(t.typdefaultbin, 0), t.typdefault), ",
    "CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN ",
    collation_name!("co", "cn"),
    " END, obj_description(t.oid, 'pg_type') ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type bt ON bt.oid = t.typbasetype ",
    "LEFT JOIN pg_collation co ON co.oid = t.typcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace ",
    "WHERE n.nspname = ANY($1) AND t.typtype = 'd' AND ",
    not_extension_member!("pg_type", "t.oid"),
    " ORDER BY 2, 3"
);

/// The check constraints of domains.
const DOMAIN_CHECKS: &str = concat!(
    "SELECT con.contypid::int8, con.conname::text, pg_get_expr(con.conbin, 0), con.convalidated, ",
    "obj_description(con.oid, 'pg_constraint') FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid ",
    "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ANY($1) AND con.contype = 'c' ",
    "ORDER BY 1, 2"
);

/// Refuses a database that holds types or collations the model cannot describe.
pub(super) async fn refuse_unmodelled(conn: &mut PgConnection, schemas: &[String]) -> Result<()> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(UNMODELLED)
        .bind(schemas)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading user-defined types and collations"))?;
    if rows.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = rows.iter().map(|(s, t, kind)| format!("\"{s}\".\"{t}\" ({kind})")).collect();
    Err(Error::Unsupported(format!(
        "the database holds objects that are not modelled yet: {}; schema cannot manage it safely",
        list.join(", ")
    )))
}

/// Standalone and `serial` sequences, with their schema's name.
pub(super) async fn sequences(conn: &mut PgConnection, schemas: &[String]) -> Result<Vec<(String, Sequence)>> {
    let rows = sqlx::query(SEQUENCES).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading sequences"))?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let owned_by = match (r.get(9), r.get(10), r.get(11)) {
                (Some(s), Some(t), Some(c)) => Some((s, t, c)),
                _ => None,
            };
            let seq = Sequence {
                name: r.get(1),
                data_type: r.get(2),
                start: r.get(3),
                increment: r.get(4),
                min_value: r.get(5),
                max_value: r.get(6),
                cache: r.get(7),
                cycle: r.get(8),
                owned_by,
                comment: r.get(12),
            };
            (r.get(0), seq)
        })
        .collect())
}

/// Enum types, with their schema's name.
pub(super) async fn enums(conn: &mut PgConnection, schemas: &[String]) -> Result<Vec<(String, EnumType)>> {
    let rows: Vec<(String, String, Vec<String>, Option<String>)> =
        sqlx::query_as(ENUMS).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading enum types"))?;
    Ok(rows
        .into_iter()
        .map(|(schema, name, values, comment)| {
            let e = EnumType { name, values, comment };
            (schema, e)
        })
        .collect())
}

/// Domains with their checks, with their schema's name.
pub(super) async fn domains(conn: &mut PgConnection, schemas: &[String]) -> Result<Vec<(String, Domain)>> {
    let rows = sqlx::query(DOMAINS).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading domains"))?;
    let checks = sqlx::query(DOMAIN_CHECKS)
        .bind(schemas)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading domain checks"))?;
    let mut by_domain: HashMap<i64, Vec<Check>> = HashMap::new();
    for r in checks {
        by_domain.entry(r.get(0)).or_default().push(Check {
            name: Some(r.get(1)),
            expr: r.get::<Option<String>, _>(2).unwrap_or_default(),
            not_valid: !r.get::<bool, _>(3),
            no_inherit: false,
            comment: r.get(4),
        });
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let d = Domain {
                name: r.get(2),
                ty: ColumnType::new(r.get::<String, _>(3)),
                nullable: !r.get::<bool, _>(4),
                default: r.get(5),
                collation: r.get(6),
                checks: by_domain.remove(&r.get::<i64, _>(0)).unwrap_or_default(),
                comment: r.get(7),
            };
            (r.get(1), d)
        })
        .collect())
}
