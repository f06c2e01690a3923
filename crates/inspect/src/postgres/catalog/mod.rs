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
/// With `helper`, a second connection to the same database, the catalog queries run in two
/// lanes at once (the server works on both); without one, one after another on `conn`.
pub async fn inspect(
    conn: &mut PgConnection,
    mut helper: Option<&mut PgConnection>,
    scope: Option<&[String]>,
) -> Result<Realm> {
    let (search_path, jit, version): (String, String, i32) =
        sqlx::query_as(SESSION).fetch_one(&mut *conn).await.map_err(db_err("reading the session settings"))?;
    for c in std::iter::once(&mut *conn).chain(helper.as_deref_mut()) {
        sqlx::query(SET_SESSION)
            .bind("")
            .bind("off")
            .execute(c)
            .await
            .map_err(db_err("clearing search_path for inspection"))?;
    }
    let result = read(conn, helper, scope, version).await;
    // After a failed query inside a transaction this fails too; the rollback that follows
    // restores the setting then. The helper is the caller's to close.
    let restored = sqlx::query(SET_SESSION).bind(&search_path).bind(&jit).execute(&mut *conn).await;
    let realm = result?;
    restored.map_err(db_err("restoring search_path and jit"))?;
    Ok(realm)
}

/// Runs `a` on `conn` and `b` on `helper` at the same time, or both on `conn` in turn.
async fn lanes<A, B>(
    conn: &mut PgConnection,
    helper: Option<&mut PgConnection>,
    a: impl AsyncFnOnce(&mut PgConnection) -> Result<A>,
    b: impl AsyncFnOnce(&mut PgConnection) -> Result<B>,
) -> Result<(A, B)> {
    match helper {
        Some(h) => {
            let (x, y) = futures_util::future::join(a(conn), b(h)).await;
            Ok((x?, y?))
        }
        None => {
            let x = a(&mut *conn).await?;
            Ok((x, b(conn).await?))
        }
    }
}

/// What the second lane reads: the objects that are not parts of tables.
struct Others {
    sequences: Vec<(String, schema_model::Sequence)>,
    enums: Vec<(String, schema_model::EnumType)>,
    domains: Vec<(String, schema_model::Domain)>,
    extensions: Vec<(String, schema_model::Extension)>,
    functions: Vec<(String, schema_model::Function)>,
    triggers: Vec<(String, schema_model::Trigger)>,
    grants: Vec<(String, schema_model::Grant)>,
    owners: Vec<(String, schema_model::Owner)>,
}

async fn read(
    conn: &mut PgConnection,
    mut helper: Option<&mut PgConnection>,
    scope: Option<&[String]>,
    version: i32,
) -> Result<Realm> {
    let mut schemas = schemas::read(conn, scope).await?;
    let names: Vec<String> = schemas.iter().map(|s| s.name.clone()).collect();
    let names = names.as_slice();
    // The tables and their indexes in one lane, their columns (the largest read) in the other.
    let ((mut rels, mut indexes), columns) = lanes(
        conn,
        helper.as_deref_mut(),
        async |c| {
            types::refuse_unmodelled(c, names).await?;
            let rels = relations::read(c, names).await?;
            Ok((rels, indexes::read(c, names, version).await?))
        },
        async |c| relations::fetch_columns(c, names).await,
    )
    .await?;
    relations::attach_columns(columns, &mut rels);
    // Constraints name their columns, so they come after them; the other kinds meanwhile.
    let ((), others) = lanes(
        conn,
        helper,
        async |c| {
            constraints::read(c, names, version, &mut indexes, &mut rels).await?;
            policies::read(c, names, &mut rels).await
        },
        async |c| {
            let (grants, owners) = privileges::read(c, names).await?;
            Ok(Others {
                sequences: types::sequences(c, names).await?,
                enums: types::enums(c, names).await?,
                domains: types::domains(c, names).await?,
                extensions: schemas::extensions(c, names).await?,
                functions: routines::functions(c, names).await?,
                triggers: routines::triggers(c, names).await?,
                grants,
                owners,
            })
        },
    )
    .await?;
    indexes::attach(indexes, &mut rels);

    let at: HashMap<String, usize> = schemas.iter().enumerate().map(|(i, s)| (s.name.clone(), i)).collect();
    distribute(&mut schemas, &at, rels.tables.into_values(), |s| &mut s.tables);
    distribute(&mut schemas, &at, rels.views.into_values(), |s| &mut s.views);
    distribute(&mut schemas, &at, others.sequences, |s| &mut s.sequences);
    distribute(&mut schemas, &at, others.enums, |s| &mut s.enums);
    distribute(&mut schemas, &at, others.domains, |s| &mut s.domains);
    distribute(&mut schemas, &at, others.extensions, |s| &mut s.extensions);
    distribute(&mut schemas, &at, others.functions, |s| &mut s.functions);
    distribute(&mut schemas, &at, others.triggers, |s| &mut s.triggers);
    distribute(&mut schemas, &at, others.grants, |s| &mut s.grants);
    distribute(&mut schemas, &at, others.owners, |s| &mut s.owners);
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
