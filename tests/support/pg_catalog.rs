//! A PostgreSQL catalog snapshot taken with the suites' own `pg_catalog` queries through psql,
//! independent of `schema`'s inspector. Column order is ignored (PostgreSQL appends added
//! columns); everything is schema-qualified.

use crate::pg::psql;

/// Which schemas count: every non-system schema except ours.
const USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'schema_revisions') \
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/// Objects owned by an extension are not user objects.
const NOT_EXTENSION: &str = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')";

fn queries() -> Vec<(&'static str, String)> {
    let ne = |oid: &str| NOT_EXTENSION.replace("{oid}", oid);
    vec![
        ("schema", format!("SELECT n.nspname, coalesce(obj_description(n.oid, 'pg_namespace'), '') FROM pg_namespace n WHERE {USER_SCHEMAS}")),
        ("extension", "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'".into()),
        ("relation", format!("SELECT c.oid::regclass::text, c.relkind, coalesce(obj_description(c.oid, 'pg_class'), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND c.relkind IN ('r', 'v', 'm', 'S', 'p') AND {}", ne("c.oid"))),
        ("column", format!("SELECT c.oid::regclass::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, coalesce(pg_get_expr(ad.adbin, ad.adrelid), ''), a.attidentity, a.attgenerated, coalesce(co.collname, ''), coalesce(col_description(c.oid, a.attnum), '') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> (SELECT typcollation FROM pg_type WHERE oid = a.atttypid) WHERE {USER_SCHEMAS} AND c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {}", ne("c.oid"))),
        ("constraint", format!("SELECT coalesce(c.conrelid::regclass::text, c.contypid::regtype::text), c.conname, pg_get_constraintdef(c.oid, true), coalesce(obj_description(c.oid, 'pg_constraint'), '') FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE {USER_SCHEMAS}")),
        ("index", format!("SELECT pg_get_indexdef(i.indexrelid), coalesce(obj_description(i.indexrelid, 'pg_class'), '') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND {}", ne("i.indrelid"))),
        ("view", format!("SELECT c.oid::regclass::text, pg_get_viewdef(c.oid, true) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND c.relkind IN ('v', 'm')")),
        ("sequence", format!("SELECT s.seqrelid::regclass::text, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, coalesce((SELECT d.refobjid::regclass::text || '.' || a.attname FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.objid = s.seqrelid AND d.deptype IN ('a', 'i') LIMIT 1), '') FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND {}", ne("s.seqrelid"))),
        ("enum", format!("SELECT t.oid::regtype::text, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder), coalesce(obj_description(t.oid, 'pg_type'), '') FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {USER_SCHEMAS} AND {} GROUP BY t.oid", ne("t.oid"))),
        ("domain", format!("SELECT t.oid::regtype::text, format_type(t.typbasetype, t.typtypmod), t.typnotnull, coalesce(t.typdefault, ''), coalesce(obj_description(t.oid, 'pg_type'), '') FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND {USER_SCHEMAS} AND {}", ne("t.oid"))),
    ]
}

/// The snapshot as sorted lines, one fact each.
pub fn snapshot(url: &str) -> String {
    let mut lines = Vec::new();
    for (kind, sql) in queries() {
        let rows = psql(url, &format!("SET search_path = ''; {sql}"))
            .unwrap_or_else(|e| panic!("catalog query failed: {e}\n{sql}"));
        lines.extend(rows.into_iter().map(|r| format!("{kind} {r}")));
    }
    lines.sort();
    lines.join("\n")
}
