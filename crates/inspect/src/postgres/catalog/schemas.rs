//! Schemas and the extensions installed in them.

use schema_model::{Extension, Schema};
use sqlx::PgConnection;

use crate::error::db_err;
use crate::Result;

/// Every schema that holds user objects: not the system's, not a temporary one, not ours
/// (`schema_revisions`), not one an extension created; only those of `$1` when it is set.
const SCHEMAS: &str = concat!(
    "SELECT n.nspname::text, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n ",
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'schema_revisions') ",
    "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND ",
    not_extension_member!("pg_namespace", "n.oid"),
    " AND ($1::text[] IS NULL OR n.nspname = ANY($1)) ORDER BY 1"
);

/// Extensions, by the schema they are installed in.
const EXTENSIONS: &str = concat!(
    "SELECT n.nspname::text, e.extname::text, e.extversion::text FROM pg_extension e ",
    "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = ANY($1) ORDER BY 1, 2"
);

/// The managed schemas, empty but for their comments.
pub(super) async fn read(conn: &mut PgConnection, scope: Option<&[String]>) -> Result<Vec<Schema>> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as(SCHEMAS).bind(scope).fetch_all(&mut *conn).await.map_err(db_err("reading schemas"))?;
    Ok(rows.into_iter().map(|(name, comment)| Schema { comment, ..Schema::named(name) }).collect())
}

/// Extensions installed in the managed schemas, with their schema's name.
pub(super) async fn extensions(conn: &mut PgConnection, schemas: &[String]) -> Result<Vec<(String, Extension)>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as(EXTENSIONS).bind(schemas).fetch_all(&mut *conn).await.map_err(db_err("reading extensions"))?;
    Ok(rows.into_iter().map(|(schema, name, version)| (schema, Extension { name, version: Some(version) })).collect())
}
