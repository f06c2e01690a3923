//! Loading desired SQL the exact way: replay it on the dev database's server, inspect the
//! result, and leave nothing behind, so PostgreSQL itself decides what every statement means
//! and repeated or concurrent runs never share anything.
//!
//! The cheap way is the default: the statements run in the (empty) dev database itself inside
//! one transaction, in batches of one round trip each, or from a batch that fails each under a
//! savepoint; the result is inspected inside that transaction, and the transaction is rolled
//! back. Replays on one dev database take turns under a transaction-level advisory lock, so
//! concurrent runs never see each other's objects. Where a transaction cannot hold the replay
//! (a statement that cannot run in a transaction block or ends the transaction, an enum value
//! used in the transaction that added it, a privilege the role has only as a database's owner,
//! more locks than the server's lock table holds) or the dev database is not pristine (an
//! extension, default privileges or an event trigger would shape the result), the replay runs
//! in a scratch database created beside the dev database and always dropped: the old way, which
//! costs a CREATE and DROP DATABASE (a checkpoint each on PostgreSQL 15).

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

use schema_model::sql::{
    joined_statements, mentioned_names, quoted_name_in, renames_in, split_statements, RoundEnd, Rounds, SourceFile,
    Statement,
};
use schema_model::{quote_ident, Dialect, Realm};
use sqlx::postgres::{PgDatabaseError, PgErrorPosition};
use sqlx::{Connection as _, PgConnection};

use super::fk_split::split_foreign_keys;
use super::lock_budget::LockBudget;
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

/// What makes a pristine dev database's replay differ from one in a new database: extensions
/// (other than plpgsql), default privileges and event triggers. Any of them sends the replay to
/// a scratch database.
const NOT_PRISTINE: &str = "SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql' \
     UNION ALL SELECT 'default privileges' FROM pg_default_acl \
     UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger";

/// The transaction-level advisory lock (`pg_advisory_xact_lock`) under which replays on one
/// dev database take turns ("schema replay" in ASCII, folded into 63 bits).
const REPLAY_LOCK_KEY: i64 = 0x7363_6865_6d61_7270;

/// SQLSTATEs after which a replay in a transaction is abandoned for one in a scratch database:
/// the statement cannot run in a transaction block (25001), ends the transaction (2D000), uses
/// an enum value added in the same transaction (55P04), needs a privilege the role may have
/// as the scratch database's owner but not in the dev database (42501), or the transaction
/// holds more locks than `max_locks_per_transaction` allows (53200: thousands of tables).
const NEEDS_SCRATCH: [&str; 5] = ["25001", "2D000", "55P04", "42501", "53200"];

/// Statements that control the transaction themselves; a file that holds one is replayed in a
/// scratch database, where it means what it says.
const TRANSACTION_CONTROL: [&str; 8] = ["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"];

/// Replays `files` in order on the server of `dev_url` and returns the model they give. A
/// statement PostgreSQL rejects is reported at its place in its file. Nothing of the replay
/// remains: the transaction is rolled back, or the scratch database is dropped.
pub async fn replay(files: &[SourceFile], dev_url: &DbUrl) -> Result<Realm> {
    if dev_url.dialect != Dialect::Postgres {
        return Err(Error::BadUrl {
            url: dev_url.redacted().into(),
            reason: "the dev database for PostgreSQL SQL must be a postgres:// URL".into(),
        });
    }
    let target = Target::parse(dev_url)?;
    let mut dev = target.open(dev_url).await?;
    refuse_non_empty(&mut dev, dev_url).await?;
    let statements = statements_of(files)?;
    if !statements.iter().any(|(_, st)| controls_transaction(&st.text)) && pristine(&mut dev).await? {
        let outcome = in_transaction(&mut dev, &target, dev_url, &statements).await;
        // Rolled back whatever happened; a failure to roll back closes the connection, which
        // makes the server roll back.
        let rolled_back = sqlx::raw_sql("ROLLBACK").execute(&mut dev).await;
        match outcome {
            Ok(mut realm) => {
                let _ = dev.close().await;
                attach_renames(&mut realm, files)?;
                return Ok(realm);
            }
            Err(Stop::Rejected(e)) => {
                let _ = dev.close().await;
                return Err(e);
            }
            Err(Stop::NeedsScratch) if rolled_back.is_ok() => {}
            Err(Stop::NeedsScratch) => {
                let _ = dev.close().await;
                dev = target.open(dev_url).await?;
            }
        }
    }
    let mut realm = in_scratch_database(&mut dev, &target, dev_url, statements).await;
    let _ = dev.close().await;
    if let Ok(realm) = &mut realm {
        attach_renames(realm, files)?;
    }
    realm
}

/// Why a replay stopped.
enum Stop {
    /// PostgreSQL rejected a statement for good: the error to report.
    Rejected(Error),
    /// The transaction cannot hold this replay; a scratch database can.
    NeedsScratch,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Rejected(e)
    }
}

/// Every statement of `files`, in order, with its file.
fn statements_of(files: &[SourceFile]) -> Result<Vec<(&SourceFile, Statement)>> {
    let mut out = Vec::new();
    for file in files {
        for st in split_statements(Dialect::Postgres, file)? {
            refuse_cascading_revoke(file, &st)?;
            out.push((file, st));
        }
    }
    Ok(out)
}

/// A desired state declares what each role holds; `REVOKE ... CASCADE` would also take what
/// others were granted through it, which the file does not say, so it is refused.
fn refuse_cascading_revoke(file: &SourceFile, st: &Statement) -> Result<()> {
    let words: Vec<String> = code_of(&st.text).split_whitespace().map(str::to_ascii_uppercase).collect();
    if words.first().map(String::as_str) != Some("REVOKE") || words.last().map(String::as_str) != Some("CASCADE") {
        return Ok(());
    }
    let at = st.text.to_ascii_uppercase().rfind("CASCADE").map_or(st.start, |i| st.start + i);
    Err(file
        .error_at(
            (at, "CASCADE".len()),
            "REVOKE ... CASCADE is not supported in a desired state: it also revokes what other roles were granted through this one",
            "CASCADE",
            Some("state each role's privileges with GRANT (and REVOKE without CASCADE)".into()),
        )
        .into())
}

/// A statement's text without `--` comments.
fn code_of(text: &str) -> String {
    text.lines().map(|l| l.split("--").next().unwrap_or_default()).collect::<Vec<_>>().join(" ")
}

/// True when the statement's first word starts, ends or marks a transaction.
fn controls_transaction(text: &str) -> bool {
    let code = code_of(text);
    let code = code.trim_start().trim_start_matches("/*");
    let first: String = code.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    TRANSACTION_CONTROL.contains(&first.to_ascii_uppercase().as_str())
        || (first.eq_ignore_ascii_case("PREPARE") && code.to_ascii_uppercase().contains("TRANSACTION"))
}

/// True when nothing in the dev database would shape a replay in it (see `NOT_PRISTINE`).
async fn pristine(conn: &mut PgConnection) -> Result<bool> {
    let found: Vec<String> = sqlx::query_scalar(NOT_PRISTINE)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("checking what the dev database holds"))?;
    Ok(found.is_empty())
}

/// The replay in one transaction on the dev database, under the replay lock; the caller rolls
/// it back.
async fn in_transaction(
    conn: &mut PgConnection,
    target: &Target,
    dev_url: &DbUrl,
    statements: &[(&SourceFile, Statement)],
) -> std::result::Result<Realm, Stop> {
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await.map_err(db_err("starting the replay transaction"))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(REPLAY_LOCK_KEY)
        .execute(&mut *conn)
        .await
        .map_err(db_err("taking the dev database's replay lock"))?;
    // Another run may have used the database between the first check and the lock.
    refuse_non_empty(conn, dev_url).await?;
    prepare_scope(conn, target.scope.as_deref()).await?;
    // Statements in batches of one round trip each under a savepoint, which is all a file in
    // dependency order needs; from a batch that fails (the savepoint undoes it) the replay goes
    // statement by statement, which reorders, finds the place of a real error, and tells when
    // only a scratch database will do. So does a lock count that will not fit.
    let budget = LockBudget::read(conn).await?;
    let done = run_chunks(conn, statements, Mode::Transaction(budget.as_ref())).await?;
    run_statements(conn, &statements[done..], true).await?;
    // Inside the replay's transaction: one connection sees the replayed objects.
    Ok(catalog::inspect(conn, None, target.scope.as_deref()).await?)
}

/// The replay in a scratch database created on the dev server (with `admin`, a connection to
/// the dev database) and dropped whatever happens.
async fn in_scratch_database(
    admin: &mut PgConnection,
    target: &Target,
    dev_url: &DbUrl,
    statements: Vec<(&SourceFile, Statement)>,
) -> Result<Realm> {
    let scratch = scratch_name();
    let quoted = quote_ident(Dialect::Postgres, &scratch);
    sqlx::raw_sql(&format!("CREATE DATABASE {quoted} TEMPLATE template0")).execute(&mut *admin).await.map_err(
        db_err(format!(
            "creating the scratch database {scratch} on the dev server {dev_url} \
             (the dev URL's role needs CREATEDB)"
        )),
    )?;
    let result = replay_in(target, dev_url, &scratch, &statements).await;
    let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int4")
        .fetch_one(&mut *admin)
        .await
        .unwrap_or(0);
    let force = if version >= 130000 { " WITH (FORCE)" } else { "" };
    let dropped =
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {quoted}{force}")).execute(&mut *admin).await.map_err(db_err(
            format!("dropping the scratch database {scratch} on the dev server {dev_url}; drop it by hand"),
        ));
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

async fn replay_in(
    target: &Target,
    dev_url: &DbUrl,
    scratch: &str,
    statements: &[(&SourceFile, Statement)],
) -> Result<Realm> {
    let in_scratch = Target { options: target.options.clone().database(scratch), scope: None };
    let mut conn = in_scratch.open(dev_url).await?;
    let result = async {
        prepare_scope(&mut conn, target.scope.as_deref()).await?;
        // Nothing of a scratch database outlives the replay: its commits need not wait for
        // the disk.
        sqlx::raw_sql("SET synchronous_commit = off")
            .execute(&mut conn)
            .await
            .map_err(db_err("setting up the scratch database's session"))?;
        let done = if statements.iter().any(|(_, st)| controls_transaction(&st.text)) {
            0
        } else {
            match run_chunks(&mut conn, statements, Mode::Scratch).await {
                Ok(done) => done,
                Err(Stop::Rejected(e)) => return Err(e),
                // Not asked in a scratch database; statement by statement is always right.
                Err(Stop::NeedsScratch) => 0,
            }
        };
        match run_statements(&mut conn, &statements[done..], false).await {
            // The scratch database is committed, so a second connection reads it too.
            Ok(()) => {
                super::inspect_in_two_lanes(&mut conn, &in_scratch.options, dev_url, target.scope.as_deref()).await
            }
            Err(Stop::Rejected(e)) => Err(e),
            Err(Stop::NeedsScratch) => unreachable!("only a replay under savepoints asks for a scratch database"),
        }
    }
    .await;
    let _ = conn.close().await;
    result
}

/// How many statements a replay sends in one round trip: few enough that one chunk's locks
/// stay far below `max_locks_per_transaction` on a default server.
const CHUNK: usize = 200;

/// Where [`run_chunks`] runs.
enum Mode<'b> {
    /// In a scratch database: each chunk is one simple query and so one implicit transaction,
    /// which a failure undoes whole.
    Scratch,
    /// Inside the replay's transaction: each chunk under a savepoint, and, with the lock table
    /// to fit in, a count of the locks after each.
    Transaction(Option<&'b LockBudget>),
}

/// Runs the statements in chunks of [`CHUNK`], one round trip each. Returns how many statements
/// ran: all of them, or those before the first chunk that failed, from which the caller goes on
/// statement by statement. In a transaction, an error only a scratch database gets past, or a
/// lock count projected past the lock table, stops it for one.
async fn run_chunks(
    conn: &mut PgConnection,
    statements: &[(&SourceFile, Statement)],
    mode: Mode<'_>,
) -> std::result::Result<usize, Stop> {
    let mut done = 0;
    for chunk in statements.chunks(CHUNK) {
        let text = batch_text(chunk);
        match &mode {
            Mode::Scratch => {
                if sqlx::raw_sql(&text).execute(&mut *conn).await.is_err() {
                    break;
                }
            }
            Mode::Transaction(budget) => match run_one(conn, &text, true).await? {
                Ok(()) => {
                    let rest = done + chunk.len() < statements.len();
                    if let Some(budget) = budget.filter(|_| rest) {
                        if budget.overflows(conn, done + chunk.len(), statements.len()).await? {
                            return Err(Stop::NeedsScratch);
                        }
                    }
                }
                Err(e) if needs_scratch(&e) => return Err(Stop::NeedsScratch),
                Err(_) => break,
            },
        }
        done += chunk.len();
    }
    Ok(done)
}

/// The statements as one simple query.
fn batch_text(statements: &[(&SourceFile, Statement)]) -> String {
    joined_statements(statements.iter().map(|(_, st)| st.text.as_str()))
}

/// Creates the scoped schemas (the replay starts from an empty database, and they must exist
/// before anything lands there) and points `search_path` at them.
async fn prepare_scope(conn: &mut PgConnection, scope: Option<&[String]>) -> Result<()> {
    let Some(names) = scope else { return Ok(()) };
    for name in names {
        let create = format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(Dialect::Postgres, name));
        sqlx::raw_sql(&create).execute(&mut *conn).await.map_err(db_err("creating the scoped schema"))?;
    }
    set_search_path(conn, names).await
}

/// Runs every statement; one that fails is tried again after the others (under the
/// `search_path` of its own place), so files may name objects created further down (as a
/// dump's order would not). [`Rounds`] decides when: a statement that missed a relation, type
/// or schema as soon as a statement that mentions that name has run, and every one of them
/// round after round while a round runs one.
/// When no round gets further and tables still miss the tables they refer to, the foreign keys
/// of those `CREATE TABLE`s are taken out and added after the rest ([`split_foreign_keys`]),
/// once, so tables that refer to each other in a circle replay too. Then the first statement
/// that still fails is reported at its place. Under `savepoints` (inside a transaction) each
/// statement runs under a savepoint, so a failed one leaves nothing, and an error a
/// transaction cannot get past asks for a scratch database instead.
async fn run_statements(
    conn: &mut PgConnection,
    statements: &[(&SourceFile, Statement)],
    savepoints: bool,
) -> std::result::Result<(), Stop> {
    let mut rounds = Rounds::in_file_order(statements.iter().map(|(file, st)| Pending {
        file,
        st,
        text: Cow::Borrowed(&st.text),
        search_path: None,
        error: None,
    }));
    // The first error before the foreign keys were split out: it names the place in the
    // statement as written, which a key's own error could not.
    let mut before_split: Option<Error> = None;
    loop {
        while let Some(i) = rounds.next_to_try() {
            let item = rounds.item(i);
            if let Some(path) = &item.search_path {
                sqlx::query("SELECT set_config('search_path', $1, false)")
                    .bind(path)
                    .execute(&mut *conn)
                    .await
                    .map_err(db_err("setting a retried statement's search_path"))?;
            }
            match run_one(conn, &item.text, savepoints).await? {
                Ok(()) => {
                    rounds.ran(i, |item| mentioned_names(Dialect::Postgres, &item.text));
                }
                Err(e) if savepoints && needs_scratch(&e) => return Err(Stop::NeedsScratch),
                Err(e) => {
                    if item.search_path.is_none() {
                        let path = sqlx::query_scalar("SELECT current_setting('search_path')")
                            .fetch_one(&mut *conn)
                            .await
                            .map_err(db_err("reading a failed statement's search_path"))?;
                        item.search_path = Some(path);
                    }
                    let name = missing_name(&e);
                    item.error = Some(e);
                    rounds.wait(i, name);
                }
            }
        }
        match rounds.end_round() {
            RoundEnd::Done => return Ok(()),
            RoundEnd::Progressed => {}
            RoundEnd::Stalled => {
                let failed = rounds.into_waiting();
                // The error to report: the first statement's own text's before a made one's.
                let first = failed.iter().find(|p| p.is_own()).unwrap_or(&failed[0]);
                let (err, made) = (first.rejected(), !first.is_own());
                match before_split {
                    Some(earlier) => return Err(Stop::Rejected(if made { earlier } else { err })),
                    None => match with_foreign_keys_last(failed) {
                        Some(next) => (rounds, before_split) = (Rounds::new(next), Some(err)),
                        None => return Err(Stop::Rejected(err)),
                    },
                }
            }
        }
    }
}

/// A statement to run: its own text, or a text made from it (a table without its foreign keys,
/// or one of those keys), reported at the statement's place if it fails.
struct Pending<'a> {
    file: &'a SourceFile,
    st: &'a Statement,
    text: Cow<'a, str>,
    /// The session's `search_path` at the statement's place, read when it first failed: it
    /// runs under it when it is tried again, after statements that may have changed it.
    search_path: Option<String>,
    /// Why it failed the last time it ran.
    error: Option<sqlx::Error>,
}

impl Pending<'_> {
    /// True when this is the statement's own text, not one made from it.
    fn is_own(&self) -> bool {
        matches!(self.text, Cow::Borrowed(_))
    }

    /// The error of the statement's last failure, at its place.
    fn rejected(&self) -> Error {
        let e = self.error.as_ref().expect("a statement that failed");
        rejected(self.file, self.st, &self.text, e)
    }
}

/// The failed statements again, with the foreign keys of every `CREATE TABLE` that missed a
/// table taken out and added at the end; None when there was none to take out.
fn with_foreign_keys_last(failed: Vec<Pending<'_>>) -> Option<Vec<Pending<'_>>> {
    let (mut out, mut keys) = (Vec::with_capacity(failed.len()), Vec::new());
    for item in failed {
        let missed_table = item.error.as_ref().is_some_and(is_undefined_table);
        match split_foreign_keys(&item.text).filter(|_| missed_table) {
            Some(split) => {
                let (file, st, path) = (item.file, item.st, item.search_path);
                let made = |text| Pending { file, st, text: Cow::Owned(text), search_path: path.clone(), error: None };
                keys.extend(split.foreign_keys.into_iter().map(made));
                out.push(made(split.create));
            }
            None => out.push(item),
        }
    }
    (!keys.is_empty()).then(|| out.into_iter().chain(keys).collect())
}

/// The own name of the relation, type or schema whose absence `e` reports (SQLSTATE 42P01,
/// 42704 or 3F000), read from the message; None for other errors, or a message in another
/// language.
fn missing_name(e: &sqlx::Error) -> Option<String> {
    let sqlx::Error::Database(d) = e else { return None };
    let missing = matches!(d.code().as_deref(), Some("42P01" | "42704" | "3F000"));
    // A missing array type is reported as `type "name[]" does not exist`.
    let name = missing.then(|| quoted_name_in(d.message(), '"')).flatten()?;
    Some(name.trim_end_matches("[]").to_string())
}

/// True for PostgreSQL's "relation does not exist" (SQLSTATE 42P01).
fn is_undefined_table(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("42P01"))
}

/// One statement, under a savepoint when asked: the outer error is the savepoint's own.
async fn run_one(
    conn: &mut PgConnection,
    text: &str,
    savepoint: bool,
) -> std::result::Result<std::result::Result<(), sqlx::Error>, Stop> {
    if !savepoint {
        return Ok(sqlx::raw_sql(text).execute(&mut *conn).await.map(drop));
    }
    let step = |what: &'static str| db_err(format!("{what} the replay's savepoint"));
    sqlx::raw_sql("SAVEPOINT schema_replay").execute(&mut *conn).await.map_err(step("setting"))?;
    let result = sqlx::raw_sql(text).execute(&mut *conn).await.map(drop);
    let end = if result.is_ok() { "RELEASE SAVEPOINT schema_replay" } else { "ROLLBACK TO SAVEPOINT schema_replay" };
    sqlx::raw_sql(end).execute(&mut *conn).await.map_err(step("ending"))?;
    Ok(result)
}

/// True for an error after which only a scratch database can go on (see `NEEDS_SCRATCH`).
fn needs_scratch(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| NEEDS_SCRATCH.contains(&c.as_ref())))
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

/// The error for a statement PostgreSQL rejected (as `text`, its own text or one made from it):
/// at the character it names when it names one in the statement's own text, else over the
/// whole statement.
fn rejected(file: &SourceFile, st: &Statement, text: &str, e: &sqlx::Error) -> Error {
    let sqlx::Error::Database(d) = e else {
        return Error::Database {
            context: format!("replaying {}", file.name),
            reason: crate::redact_text(&e.to_string()),
        };
    };
    let reason = d.message().to_string();
    let pg = d.try_downcast_ref::<PgDatabaseError>();
    let span = match pg.and_then(|p| p.position()).filter(|_| text == st.text) {
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
    fn cascading_revokes_are_refused_at_their_line() {
        let file = SourceFile::new(
            "d.sql",
            "CREATE TABLE t (a int);\nrevoke select on t from r -- why\n  cascade;\nREVOKE SELECT ON t FROM r;",
        );
        let Err(err) = statements_of(std::slice::from_ref(&file)) else { panic!("REVOKE ... CASCADE was accepted") };
        let err = err.to_string();
        assert!(err.contains("d.sql:3"), "{err}");
        assert!(err.contains("REVOKE ... CASCADE is not supported"), "{err}");
        let fine = SourceFile::new("e.sql", "REVOKE SELECT ON t FROM cascade_role;\nGRANT SELECT ON t TO r;");
        assert_eq!(statements_of(std::slice::from_ref(&fine)).map(|s| s.len()).ok(), Some(2));
    }

    #[test]
    fn scratch_names_differ() {
        assert_ne!(scratch_name(), scratch_name());
        assert!(scratch_name().starts_with("schema_dev_"));
    }
}
