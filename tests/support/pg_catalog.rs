//! A PostgreSQL catalog snapshot taken with the suites' own `pg_catalog` queries through psql,
//! independent of `schema`'s inspector. Column order is ignored (PostgreSQL appends added
//! columns); everything is schema-qualified.

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
        ("routine", format!("SELECT p.oid::regprocedure::text, p.prokind, p.proowner::regrole::text, CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_get_functiondef(p.oid) ELSE '' END, coalesce(obj_description(p.oid, 'pg_proc'), '') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {USER_SCHEMAS} AND {}", ne("p.oid"))),
        ("trigger", format!("SELECT t.tgrelid::regclass::text, t.tgname, pg_get_triggerdef(t.oid, true), t.tgenabled, coalesce(obj_description(t.oid, 'pg_trigger'), '') FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND {USER_SCHEMAS}")),
        ("policy", format!("SELECT p.polrelid::regclass::text, p.polname, p.polcmd, p.polpermissive, (SELECT string_agg(r, ',' ORDER BY r) FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC' ELSE o::regrole::text END AS r FROM unnest(p.polroles) o) x), coalesce(pg_get_expr(p.polqual, p.polrelid), ''), coalesce(pg_get_expr(p.polwithcheck, p.polrelid), ''), coalesce(obj_description(p.oid, 'pg_policy'), '') FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS}")),
        ("partition", format!("SELECT c.oid::regclass::text, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) ELSE '' END, coalesce((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid), ''), coalesce(pg_get_expr(c.relpartbound, c.oid), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND (c.relkind = 'p' OR c.relispartition)")),
        ("row-security", format!("SELECT c.oid::regclass::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND c.relkind IN ('r', 'p') AND {}", ne("c.oid"))),
    ]
}

/// The snapshot as sorted lines, one fact each (see [`run`]); panics when a query fails.
pub fn snapshot(url: &str) -> String {
    run(url, queries()).unwrap_or_else(|e| panic!("{e}"))
}

/// Facts the suites' first snapshot leaves out, for suites whose cases use more object kinds:
/// privileges (as sets, a NULL ACL equal
/// to the owner's default one), owners, relation options, partitioning and inheritance,
/// composite types, domain collations and extension versions.
fn more_queries() -> Vec<(&'static str, String)> {
    let ne = |oid: &str| NOT_EXTENSION.replace("{oid}", oid);
    let grantee = "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END || ' ' || a.privilege_type \
                   || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END || ' by ' || a.grantor::regrole::text";
    let user_types = "t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')";
    vec![
        ("relation-detail", format!("SELECT c.oid::regclass::text, c.relowner::regrole::text, c.relpersistence, coalesce(array_to_string(c.reloptions, ','), ''), c.relrowsecurity, c.relforcerowsecurity, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) ELSE '' END, CASE WHEN c.relispartition THEN coalesce((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid), '') || ' ' || coalesce(pg_get_expr(c.relpartbound, c.oid), '') ELSE '' END, coalesce((SELECT string_agg(i.inhparent::regclass::text, ',' ORDER BY i.inhseqno) FROM pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f') AND {}", ne("c.oid"))),
        ("relation-acl", format!("SELECT c.oid::regclass::text, {grantee} FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's'::\"char\" ELSE 'r'::\"char\" END, c.relowner))) a WHERE {USER_SCHEMAS} AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f') AND {}", ne("c.oid"))),
        ("column-acl", format!("SELECT c.oid::regclass::text, at.attname, {grantee} FROM pg_attribute at JOIN pg_class c ON c.oid = at.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(at.attacl) a WHERE {USER_SCHEMAS} AND at.attacl IS NOT NULL AND at.attnum > 0 AND NOT at.attisdropped")),
        ("schema-detail", format!("SELECT n.nspname, n.nspowner::regrole::text FROM pg_namespace n WHERE {USER_SCHEMAS}")),
        ("schema-acl", format!("SELECT n.nspname, {grantee} FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE {USER_SCHEMAS}")),
        ("routine-acl", format!("SELECT p.oid::regprocedure::text, {grantee} FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE {USER_SCHEMAS} AND {}", ne("p.oid"))),
        ("type-detail", format!("SELECT t.oid::regtype::text, t.typtype, t.typowner::regrole::text, coalesce((SELECT co.collname FROM pg_collation co WHERE co.oid = t.typcollation AND t.typcollation <> 100), '') FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {USER_SCHEMAS} AND ({user_types}) AND {}", ne("t.oid"))),
        ("type-acl", format!("SELECT t.oid::regtype::text, {grantee} FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace, aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a WHERE {USER_SCHEMAS} AND ({user_types}) AND {}", ne("t.oid"))),
        ("composite", format!("SELECT t.oid::regtype::text, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum), coalesce(obj_description(t.oid, 'pg_type'), '') FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {USER_SCHEMAS} AND {} GROUP BY t.oid", ne("t.oid"))),
        ("default-acl", "SELECT d.defaclrole::regrole::text, coalesce(d.defaclnamespace::regnamespace::text, ''), d.defaclobjtype, d.defaclacl::text FROM pg_default_acl d".into()),
        ("extension-detail", "SELECT e.extname, e.extversion, e.extowner::regrole::text FROM pg_extension e WHERE e.extname <> 'plpgsql'".into()),
    ]
}

/// Every fact of [`snapshot`] plus those of [`more_queries`], as a `Result` rather than a
/// panic.
pub fn snapshot_full(url: &str) -> Result<String, String> {
    run(url, queries().into_iter().chain(more_queries()).collect())
}

/// Runs catalog queries in one sqlx session (one connection, not one psql process per query)
/// and returns their facts, one a line, sorted: `KIND field|field|...` (fields as JSON text:
/// booleans `true`/`false`), a newline inside a field written as `\n`.
fn run(url: &str, all: Vec<(&'static str, String)>) -> Result<String, String> {
    crate::pg::block_on(|| async {
        let mut conn = crate::pg::connect(url).await?;
        sqlx::raw_sql("SET search_path = ''").execute(&mut conn).await.map_err(|e| crate::pg::message(&e))?;
        let mut lines = Vec::new();
        for (kind, sql) in all {
            // One text per row: its fields in order.
            let wrapped = format!(
                "SELECT (SELECT string_agg(coalesce(replace(j.value, E'\\n', '\\n'), ''), '|' ORDER BY j.n) \
                 FROM json_each_text(row_to_json(q)) WITH ORDINALITY AS j(key, value, n)) FROM ({sql}) q"
            );
            let rows: Vec<Option<String>> = sqlx::query_scalar(&wrapped)
                .fetch_all(&mut conn)
                .await
                .map_err(|e| format!("catalog query `{kind}` failed: {}\n{sql}", crate::pg::message(&e)))?;
            lines.extend(rows.into_iter().map(|r| format!("{kind} {}", r.unwrap_or_default())));
        }
        lines.sort();
        Ok(lines.join("\n"))
    })
}
