//! Functions, procedures and triggers, kept in the server's own rendering
//! (`pg_get_functiondef`, `pg_get_triggerdef`) so that both sides compare exactly.

use schema_model::{Function, Trigger};
use sqlx::{PgConnection, Row};

use crate::error::db_err;
use crate::{Error, Result};

/// Every routine of the managed schemas (extension members aside), with its identity and full
/// arguments, its result, its definition (none for aggregates, which are refused) and the
/// types its arguments and result name.
const ROUTINES: &str = concat!(
    "SELECT n.nspname::text, p.proname::text, p.prokind::text, pg_get_function_identity_arguments(p.oid), ",
    "pg_get_function_arguments(p.oid), coalesce(pg_get_function_result(p.oid), ''), ",
    "CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END, obj_description(p.oid, 'pg_proc'), ",
    "ARRAY(SELECT format_type(t.oid, NULL) FROM pg_type t WHERE t.oid = ANY(coalesce(p.proallargtypes, ",
    "p.proargtypes::oid[]) || p.prorettype) ORDER BY 1) ",
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY($1) AND ",
    not_extension_member!("pg_proc", "p.oid"),
    " ORDER BY 1, 2, 4"
);

/// User triggers on the tables and views of the managed schemas, as `CREATE TRIGGER`; not a
/// partition's clone of its parent's trigger.
const TRIGGERS: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid, true), ",
    "obj_description(t.oid, 'pg_trigger') FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = ANY($1) AND ",
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_trigger'::regclass AND d.objid = t.oid ",
    "AND d.deptype = 'P') AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY 1, 2, 3"
);

/// Functions and procedures, with their schema's name; aggregates are refused.
pub(super) async fn functions(conn: &mut PgConnection, schemas: &[String]) -> Result<Vec<(String, Function)>> {
    let rows = sqlx::query(ROUTINES).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading functions"))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (schema, name, kind): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        let Some(definition) = r.get::<Option<String>, _>(6) else {
            return Err(Error::Unsupported(format!(
                "aggregate \"{schema}\".\"{name}\" ({kind}) is not modelled yet; schema cannot manage this database safely"
            )));
        };
        let f = Function {
            name,
            identity_args: r.get(3),
            args: r.get(4),
            result: r.get(5),
            procedure: kind == "p",
            definition,
            types: r.get(8),
            comment: r.get(7),
        };
        out.push((schema, f));
    }
    Ok(out)
}

/// Triggers, with their schema's name.
pub(super) async fn triggers(conn: &mut PgConnection, schemas: &[String]) -> Result<Vec<(String, Trigger)>> {
    let rows: Vec<(String, String, String, String, Option<String>)> =
        sqlx::query_as(TRIGGERS).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading triggers"))?;
    Ok(rows
        .into_iter()
        .map(|(schema, table, name, definition, comment)| (schema, Trigger { name, table, definition, comment }))
        .collect())
}
