//! Loading desired SQL the exact way: replay it in a scratch database created beside the
//! (empty) dev database, inspect that, and drop it, so PostgreSQL itself decides what every
//! statement means and repeated or concurrent runs never share anything.

use std::hash::{BuildHasher, Hasher};

use schema_model::sql::{renames_in, split_statements, SourceFile, Statement};
use schema_model::{quote_ident, Dialect, Realm};
use sqlx::postgres::{PgDatabaseError, PgErrorPosition};
use sqlx::{Connection as _, PgConnection};

use super::{catalog, set_search_path, Target};
use crate::error::db_err;
use crate::{apply_renames, DbUrl, Error, Result};

/// What a dev database holds besides what every new database has: schemas other than
/// `public`, and relations, types, routines and collations in user schemas (extension members
/// aside).
const DEV_CONTENTS: &str = concat!(
    "WITH user_ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname <> 'information_schema' ",
    "AND nspname NOT LIKE 'pg\\_%') ",
    "SELECT 'schema', quote_ident(n.nspname) FROM user_ns n WHERE n.nspname <> 'public' AND ",
    not_extension_member!("pg_namespace", "n.oid"),
    " UNION ALL SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ",
    "WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'type' ELSE 'table' END, ",
    "quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace ",
    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND ",
    not_extension_member!("pg_class", "c.oid"),
    " UNION ALL SELECT 'type', quote_ident(n.nspname) || '.' || quote_ident(t.typname) FROM pg_type t ",
    "JOIN user_ns n ON n.oid = t.typnamespace WHERE t.typtype <> 'c' AND ",
    not_extension_member!("pg_type", "t.oid"),
    " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid ",
    "AND d.deptype = 'i') ",
    "UNION ALL SELECT 'function', quote_ident(n.nspname) || '.' || quote_ident(p.proname) FROM pg_proc p ",
    "JOIN user_ns n ON n.oid = p.pronamespace WHERE ",
    not_extension_member!("pg_proc", "p.oid"),
    " UNION ALL SELECT 'collation', quote_ident(n.nspname) || '.' || quote_ident(c.collname) FROM pg_collation c ",
    "JOIN user_ns n ON n.oid = c.collnamespace WHERE ",
    not_extension_member!("pg_collation", "c.oid"),
    " ORDER BY 1, 2"
);

/// Replays `files` in order in a scratch database on the server of `dev_url` and returns its
/// model. A statement PostgreSQL rejects is reported at its place in its file. The scratch
/// database is dropped whatever happens.
pub async fn replay(files: &[SourceFile], dev_url: &DbUrl) -> Result<Realm> {
    if dev_url.dialect != Dialect::Postgres {
        return Err(Error::BadUrl {
            url: dev_url.redacted().into(),
            reason: "the dev database for PostgreSQL SQL must be a postgres:// URL".into(),
        });
    }
    let target = Target::parse(dev_url)?;
    let mut admin = target.open(dev_url).await?;
    refuse_non_empty(&mut admin, dev_url).await?;
    let scratch = scratch_name();
    let quoted = quote_ident(Dialect::Postgres, &scratch);
    sqlx::raw_sql(&format!("CREATE DATABASE {quoted} TEMPLATE template0")).execute(&mut admin).await.map_err(
        db_err(format!(
            "creating the scratch database {scratch} on the dev server {dev_url} \
             (the dev URL's role needs CREATEDB)"
        )),
    )?;
    let result = replay_in(&target, dev_url, &scratch, files).await;
    let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int4")
        .fetch_one(&mut admin)
        .await
        .unwrap_or(0);
    let force = if version >= 130000 { " WITH (FORCE)" } else { "" };
    let dropped = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {quoted}{force}")).execute(&mut admin).await.map_err(
        db_err(format!("dropping the scratch database {scratch} on the dev server {dev_url}; drop it by hand")),
    );
    let _ = admin.close().await;
    let realm = result?;
    dropped?;
    Ok(realm)
}

/// Refuses a dev database that holds anything, listing what it holds.
async fn refuse_non_empty(conn: &mut PgConnection, dev_url: &DbUrl) -> Result<()> {
    let found: Vec<(String, String)> = sqlx::query_as(DEV_CONTENTS)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("checking that the dev database is empty"))?;
    if found.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = found.iter().take(10).map(|(kind, name)| format!("{kind} {name}")).collect();
    let more = match found.len() {
        n if n > 10 => format!(" and {} more", n - 10),
        _ => String::new(),
    };
    Err(Error::Unsupported(format!(
        "the dev database {dev_url} is not empty: it holds {}{more}. The desired state is replayed \
         into a scratch database that schema creates and drops on that server, and a dev database \
         must hold nothing of its own, so that no object of it can leak into the desired state and \
         a real database is never mistaken for a dev one; point --dev-url at an empty database \
         (for example one made with CREATE DATABASE schema_dev)",
        shown.join(", ")
    )))
}

/// A name no other run uses: the process id and 64 random bits.
fn scratch_name() -> String {
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    format!("schema_dev_{}_{random:016x}", std::process::id())
}

async fn replay_in(target: &Target, dev_url: &DbUrl, scratch: &str, files: &[SourceFile]) -> Result<Realm> {
    let mut conn = Target { options: target.options.clone().database(scratch), scope: None }.open(dev_url).await?;
    if let Some(names) = &target.scope {
        // The scratch database is new: the scoped schemas must exist before anything lands there.
        for name in names {
            let create = format!("CREATE SCHEMA IF NOT EXISTS {}", schema_model::quote_ident(Dialect::Postgres, name));
            sqlx::raw_sql(&create).execute(&mut conn).await.map_err(db_err("creating the scoped schema"))?;
        }
        set_search_path(&mut conn, names).await?;
    }
    let result = run_files(&mut conn, target.scope.as_deref(), files).await;
    let _ = conn.close().await;
    result
}

/// Runs every statement; one that fails is tried again after the others, until a round makes
/// no progress, so files may name objects created further down (as a dump's order would not).
/// Then the first statement that still fails is reported at its place.
async fn run_files(conn: &mut PgConnection, scope: Option<&[String]>, files: &[SourceFile]) -> Result<Realm> {
    let mut pending: Vec<(&SourceFile, Statement)> = Vec::new();
    for file in files {
        pending.extend(split_statements(Dialect::Postgres, file)?.into_iter().map(|st| (file, st)));
    }
    loop {
        let mut failed = Vec::new();
        let mut first_error = None;
        let before = pending.len();
        for (file, st) in pending {
            if let Err(e) = sqlx::raw_sql(&st.text).execute(&mut *conn).await {
                first_error.get_or_insert_with(|| rejected(file, &st, &e));
                failed.push((file, st));
            }
        }
        match first_error {
            None => break,
            Some(err) if failed.len() == before => return Err(err),
            Some(_) => pending = failed,
        }
    }
    let mut realm = catalog::inspect(conn, scope).await?;
    attach_renames(&mut realm, files)?;
    Ok(realm)
}

/// Loads desired SQL without a dev database: offline parsing (which refuses what it cannot
/// reproduce exactly), then the rename directives, as replay attaches them.
pub fn offline(files: &[SourceFile]) -> Result<Realm> {
    let mut realm = schema_model::sql::offline::parse_postgres(files)?;
    attach_renames(&mut realm, files)?;
    Ok(realm)
}

/// Marks the renames the files' directives declare.
fn attach_renames(realm: &mut Realm, files: &[SourceFile]) -> Result<()> {
    for file in files {
        let directives = renames_in(Dialect::Postgres, file)?;
        apply_renames(realm, file, &directives)?;
    }
    Ok(())
}

/// The error for a statement PostgreSQL rejected: at the character it names when it names
/// one in the statement, else over the whole statement.
fn rejected(file: &SourceFile, st: &Statement, e: &sqlx::Error) -> Error {
    let sqlx::Error::Database(d) = e else {
        return Error::Database {
            context: format!("replaying {}", file.name),
            reason: crate::redact_text(&e.to_string()),
        };
    };
    let reason = d.message().to_string();
    let pg = d.try_downcast_ref::<PgDatabaseError>();
    let span = match pg.and_then(|p| p.position()) {
        Some(PgErrorPosition::Original(chars)) => {
            token_at(&st.text, chars.saturating_sub(1)).map(|(at, len)| (st.start + at, len))
        }
        _ => None,
    }
    .unwrap_or((st.start, st.end - st.start));
    let help = pg.and_then(|p| p.hint()).map(str::to_string);
    file.error_at(span, format!("PostgreSQL rejected this statement: {reason}"), reason, help).into()
}

/// The byte offset and length of the token that starts at character `chars` of `text`.
fn token_at(text: &str, chars: usize) -> Option<(usize, usize)> {
    let (at, first) = text.char_indices().nth(chars)?;
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let len = if word(first) {
        text[at..].char_indices().find(|&(_, c)| !word(c)).map(|(i, _)| i).unwrap_or(text.len() - at)
    } else {
        first.len_utf8()
    };
    Some((at, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_by_character_position() {
        let s = "CREATE TABLE é (x nosuchtype)";
        let (at, len) = token_at(s, 18).unwrap();
        assert_eq!(&s[at..at + len], "nosuchtype");
        let (at, len) = token_at("a ,b", 2).unwrap();
        assert_eq!(&"a ,b"[at..at + len], ",");
        assert_eq!(token_at("ab", 5), None);
    }

    #[test]
    fn scratch_names_differ() {
        assert_ne!(scratch_name(), scratch_name());
        assert!(scratch_name().starts_with("schema_dev_"));
    }
}
