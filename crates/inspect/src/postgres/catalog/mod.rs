//! Reading a PostgreSQL catalog into the model: one query per object kind across all managed
//! schemas, whatever their size, assembled through maps keyed by oid. The session's
//! `search_path` is emptied while reading, so the server qualifies every name outside
//! `pg_catalog` the same way in every database.

mod constraints;
mod indexes;
mod policies;
mod privileges;
mod relations;
mod routines;
mod schemas;
mod types;

use std::collections::HashMap;

use schema_model::{Dialect, Realm, Schema, Table, View};
use sqlx::PgConnection;

use crate::error::db_err;
use crate::Result;

/// The session settings inspection changes and restores, and the server version.
const SESSION: &str =
    "SELECT current_setting('search_path'), current_setting('jit'), current_setting('server_version_num')::int4";

/// Sets `search_path` and `jit` for the session (not only the transaction). JIT compilation
/// of the larger catalog queries costs more than it saves (50 ms at 5,000 tables).
const SET_SESSION: &str = "SELECT set_config('search_path', $1, false), set_config('jit', $2, false)";

/// Tables and views found so far, keyed by their `pg_class` oid, with their schema's name.
#[derive(Default)]
pub(super) struct Relations {
    /// Ordinary tables.
    pub tables: HashMap<i64, (String, Table)>,
    /// Views and materialized views.
    pub views: HashMap<i64, (String, View)>,
    /// The numbers (`attnum`) of each table's columns, in the order of its `columns`, for
    /// naming the columns that constraints list by number.
    pub attnums: HashMap<i64, Vec<i16>>,
}

/// Reads every managed schema (`scope`, or all non-system schemas) into a normalized realm.
pub async fn inspect(conn: &mut PgConnection, scope: Option<&[String]>) -> Result<Realm> {
    let (search_path, jit, version): (String, String, i32) =
        sqlx::query_as(SESSION).fetch_one(&mut *conn).await.map_err(db_err("reading the session settings"))?;
    sqlx::query(SET_SESSION)
        .bind("")
        .bind("off")
        .execute(&mut *conn)
        .await
        .map_err(db_err("clearing search_path for inspection"))?;
    let result = read(conn, scope, version).await;
    // After a failed query inside a transaction this fails too; the rollback that follows
    // restores the setting then.
    let restored = sqlx::query(SET_SESSION).bind(&search_path).bind(&jit).execute(&mut *conn).await;
    let realm = result?;
    restored.map_err(db_err("restoring search_path and jit"))?;
    Ok(realm)
}

async fn read(conn: &mut PgConnection, scope: Option<&[String]>, version: i32) -> Result<Realm> {
    let mut schemas = schemas::read(conn, scope).await?;
    let names: Vec<String> = schemas.iter().map(|s| s.name.clone()).collect();
    types::refuse_unmodelled(conn, &names).await?;
    let mut rels = relations::read(conn, &names).await?;
    relations::read_columns(conn, &names, &mut rels).await?;
    let mut indexes = indexes::read(conn, &names, version).await?;
    constraints::read(conn, &names, version, &mut indexes, &mut rels).await?;
    indexes::attach(indexes, &mut rels);
    policies::read(conn, &names, &mut rels).await?;
    let sequences = types::sequences(conn, &names).await?;
    let enums = types::enums(conn, &names).await?;
    let domains = types::domains(conn, &names).await?;
    let extensions = schemas::extensions(conn, &names).await?;
    let functions = routines::functions(conn, &names).await?;
    let triggers = routines::triggers(conn, &names).await?;
    let (grants, owners) = privileges::read(conn, &names).await?;

    let at: HashMap<String, usize> = schemas.iter().enumerate().map(|(i, s)| (s.name.clone(), i)).collect();
    distribute(&mut schemas, &at, rels.tables.into_values(), |s| &mut s.tables);
    distribute(&mut schemas, &at, rels.views.into_values(), |s| &mut s.views);
    distribute(&mut schemas, &at, sequences, |s| &mut s.sequences);
    distribute(&mut schemas, &at, enums, |s| &mut s.enums);
    distribute(&mut schemas, &at, domains, |s| &mut s.domains);
    distribute(&mut schemas, &at, extensions, |s| &mut s.extensions);
    distribute(&mut schemas, &at, functions, |s| &mut s.functions);
    distribute(&mut schemas, &at, triggers, |s| &mut s.triggers);
    distribute(&mut schemas, &at, grants, |s| &mut s.grants);
    distribute(&mut schemas, &at, owners, |s| &mut s.owners);
    let mut realm = Realm::new(Dialect::Postgres);
    realm.schemas = schemas;
    realm.normalize();
    Ok(realm)
}

/// Moves each `(schema name, item)` into the list `field` picks in the schema of that name.
fn distribute<T>(
    schemas: &mut [Schema],
    at: &HashMap<String, usize>,
    items: impl IntoIterator<Item = (String, T)>,
    field: fn(&mut Schema) -> &mut Vec<T>,
) {
    for (schema, item) in items {
        if let Some(&i) = at.get(&schema) {
            field(&mut schemas[i]).push(item);
        }
    }
}
