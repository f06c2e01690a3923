//! Row-level security policies of tables.

use schema_model::Policy;
use sqlx::{PgConnection, Row};

use super::Relations;
use crate::error::db_err;
use crate::Result;

/// Every policy on a table of the managed schemas: command, kind, roles (`PUBLIC` for
/// everyone) and expressions as the server renders them.
const POLICIES: &str = concat!(
    "SELECT p.polrelid::int8, p.polname::text, CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' ",
    "WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, p.polpermissive, ",
    "ARRAY(SELECT CASE WHEN o = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(o)::text END FROM unnest(p.polroles) o ORDER BY 1), ",
    "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), obj_description(p.oid, 'pg_policy') ",
    "FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "WHERE n.nspname = ANY($1) ORDER BY 1, 2"
);

/// Attaches the policies to the tables in `rels`.
pub(super) async fn read(conn: &mut PgConnection, schemas: &[String], rels: &mut Relations) -> Result<()> {
    let rows = sqlx::query(POLICIES).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading policies"))?;
    for r in rows {
        let Some((_, table)) = rels.tables.get_mut(&r.get::<i64, _>(0)) else {
            continue;
        };
        table.policies.push(Policy {
            name: r.get(1),
            command: r.get(2),
            permissive: r.get(3),
            roles: r.get(4),
            using: r.get(5),
            check: r.get(6),
            comment: r.get(7),
        });
    }
    Ok(())
}
