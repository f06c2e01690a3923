//! PostgreSQL: every case gets its own databases on the live server (A for our tool, B and C
//! for references), loaded with `pg::load_ordered` (statement by statement, ordered by
//! retrying until a fixpoint, `SET` skipped, as sqldef loads fixtures) and compared with
//! `pg_catalog::snapshot_full`, which reads routines, triggers, policies, privileges and
//! owners too: object kinds our tool does not manage cannot pass by being invisible.
//!
//! Setup as upstream's: the roles the cases grant to exist cluster-wide; `user` cases run as
//! `psqldef_user`, a LOGIN role whose `search_path` is `foo, public`, with a schema `foo` of
//! its own and all privileges on the case's databases. Our tool is told so the way its
//! interface says: the role in the URL, and `?search_path=foo` (manage that one schema,
//! unqualified names land there) on both `--url` and `--dev-url`; its dev database is its own.
//! The role also has CREATEDB, which our replay's scratch-database fallback needs and sqldef
//! does not.
//!
//! Speed: CREATE DATABASE costs about 80 ms of WAL on this server and does not get cheaper in
//! parallel (on PostgreSQL 15 every DROP DATABASE forces a checkpoint). Our tool replays
//! desired SQL in a rolled-back transaction on the dev database, so a plan creates none; and
//! the runner reuses its own: each worker keeps empty dev databases for all its cases, and A,
//! B and C go back to a per-worker pool after a cleanup that must leave nothing behind (a
//! residue check decides; a database that is not pristine is dropped instead).

use std::cell::RefCell;

use schema_e2e::pg::{self, PgDb};
use schema_e2e::pg_catalog::snapshot_full;
use schema_e2e::{in_ci, schema, Scratch};

use crate::case::{Case, Server, Skip};
use crate::engine::Engine;

/// With or without a dev database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `--dev-url`: desired SQL is replayed on a scratch database beside an empty one.
    Dev,
    /// No `--dev-url`: desired SQL is parsed offline.
    Offline,
}

/// The roles upstream's test setup creates cluster-wide, which cases grant to.
const ROLES: [&str; 24] = [
    "readonly_user",
    "app_user",
    "admin_role",
    "user-with-dash",
    "user.with.dot",
    "user with spaces",
    "CamelCaseUser",
    "UPPERCASE_USER",
    "user1",
    "user2",
    "user3",
    "user4",
    "My User",
    "reader",
    "writer",
    "admin",
    "reader1",
    "reader2",
    "writer1",
    "writer2",
    "role1",
    "role2",
    "power_user",
    "user@domain.com",
];

/// The role of `user` cases and its default schema.
const USER_SCHEMA: &str = "foo";

/// The six cases whose `desired` PostgreSQL rejects as written (corpus README): reference B
/// is built from this corrected text, the expression parenthesized.
const CORRECTIONS: [(&str, &str, &str); 6] = [
    ("CreateTableWithBareAtTimeZoneDefault", "DEFAULT now() AT TIME ZONE 'utc'", "DEFAULT (now() AT TIME ZONE 'utc')"),
    (
        "CreateTableWithBareCurrentTimestampAtTimeZoneDefault",
        "DEFAULT CURRENT_TIMESTAMP AT TIME ZONE 'utc'",
        "DEFAULT (CURRENT_TIMESTAMP AT TIME ZONE 'utc')",
    ),
    (
        "BareAtTimeZoneDefaultEquivalentToParenthesized",
        "DEFAULT now() AT TIME ZONE 'utc'",
        "DEFAULT (now() AT TIME ZONE 'utc')",
    ),
    (
        "CreateTableWithBareCastedAtTimeZoneDefault",
        "DEFAULT now() AT TIME ZONE 'utc'::text",
        "DEFAULT (now() AT TIME ZONE 'utc'::text)",
    ),
    ("CreateIndexWithBareAtTimeZoneExpression", "(created_at AT TIME ZONE 'utc')", "((created_at AT TIME ZONE 'utc'))"),
    (
        "BareAtTimeZoneIndexEquivalentToParenthesized",
        "(created_at AT TIME ZONE 'utc')",
        "((created_at AT TIME ZONE 'utc'))",
    ),
];

/// Cases whose `desired` PostgreSQL cannot run in any order as written (tables whose foreign
/// keys refer to each other in a circle): reference B is `current` then sqldef's `up`, the
/// tables first and the keys after, as pg_dump writes them.
const CIRCULAR: [&str; 1] = ["ForeignKeyDependenciesCircular"];

/// Brings a used database back to what `CREATE DATABASE ... TEMPLATE template0` gives.
const CLEAN: &str = r"DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP EXECUTE format('DROP EVENT TRIGGER %I', r.evtname); END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';";

/// Whatever distinguishes a database from a fresh one; empty after a successful `CLEAN`.
const RESIDUE: &str = r"SELECT 'schema ' || nspname FROM pg_namespace WHERE oid >= 16384 AND nspname <> 'public'
UNION ALL SELECT 'public schema differs' FROM pg_namespace n WHERE n.nspname = 'public'
  AND (n.nspowner <> 'pg_database_owner'::regrole
    OR n.nspacl::text IS DISTINCT FROM '{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}'
    OR obj_description(n.oid, 'pg_namespace') IS DISTINCT FROM 'standard public schema')
UNION ALL SELECT 'no public schema' WHERE NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public')
UNION ALL SELECT 'no plpgsql' WHERE NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'plpgsql')
UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
UNION ALL SELECT 'relation ' || oid::regclass::text FROM pg_class WHERE oid >= 16384
UNION ALL SELECT 'type ' || oid::regtype::text FROM pg_type WHERE oid >= 16384
UNION ALL SELECT 'routine ' || oid::regprocedure::text FROM pg_proc WHERE oid >= 16384
UNION ALL SELECT 'collation ' || collname FROM pg_collation WHERE oid >= 16384
UNION ALL SELECT 'operator ' || oprname FROM pg_operator WHERE oid >= 16384
UNION ALL SELECT 'cast' FROM pg_cast WHERE oid >= 16384
UNION ALL SELECT 'language ' || lanname FROM pg_language WHERE oid >= 16384
UNION ALL SELECT 'access method ' || amname FROM pg_am WHERE oid >= 16384
UNION ALL SELECT 'text search configuration' FROM pg_ts_config WHERE oid >= 16384
UNION ALL SELECT 'text search dictionary' FROM pg_ts_dict WHERE oid >= 16384
UNION ALL SELECT 'conversion' FROM pg_conversion WHERE oid >= 16384
UNION ALL SELECT 'default privileges' FROM pg_default_acl
UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger
UNION ALL SELECT 'publication ' || pubname FROM pg_publication
UNION ALL SELECT 'foreign-data wrapper ' || fdwname FROM pg_foreign_data_wrapper
UNION ALL SELECT 'foreign server ' || srvname FROM pg_foreign_server
UNION ALL SELECT 'extended statistics' FROM pg_statistic_ext
UNION ALL SELECT 'large object' FROM pg_largeobject_metadata
UNION ALL SELECT 'database privileges' FROM pg_database WHERE datname = current_database() AND datacl IS NOT NULL
UNION ALL SELECT 'database settings' FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
  WHERE d.datname = current_database()";

/// Databases this process created for cases (not counting our tool's scratch databases).
static CREATED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    /// This worker's clean databases, ready for the next case.
    static POOL: RefCell<Vec<PgDb>> = const { RefCell::new(Vec::new()) };
    /// This worker's empty dev databases: the superuser's, and the one `user` cases' role owns.
    static DEV: RefCell<(Option<PgDb>, Option<PgDb>)> = const { RefCell::new((None, None)) };
}

/// The PostgreSQL dialect in one mode.
pub struct Postgres {
    mode: Mode,
    version: String,
    pgvector: bool,
    collations: Vec<String>,
    /// `CREATED` when this engine was made, so each run counts its own databases.
    created_before: usize,
}

/// One database of a case; back to the worker's pool when dropped, if it can be cleaned.
pub struct Db {
    db: Option<PgDb>,
    user: Option<String>,
}

impl Db {
    fn inner(&self) -> &PgDb {
        self.db.as_ref().expect("a live database")
    }

    /// As the superuser, who sees everything: for snapshots, seeding and setup.
    fn admin_url(&self) -> String {
        self.inner().url()
    }

    /// As the case's role, with the role's own `search_path`: how sqldef's runner connects.
    fn role_url(&self) -> String {
        match &self.user {
            Some(u) => pg::with_user(&self.admin_url(), u),
            None => self.admin_url(),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let Some(db) = self.db.take() else { return };
        // A database a role was given privileges on is not reused; dropping it is simplest.
        if self.user.is_none() && clean(&db).is_ok() {
            POOL.with(|p| p.borrow_mut().push(db));
        }
    }
}

/// Runs `CLEAN` and requires an empty `RESIDUE`.
fn clean(db: &PgDb) -> Result<(), String> {
    let url = db.url();
    pg::exec_sqlx(&url, CLEAN)?;
    let residue = pg::query_text(&url, RESIDUE)?;
    if residue.is_empty() {
        Ok(())
    } else {
        Err(residue.join(", "))
    }
}

/// `url` with `?search_path=NAME` (our tool's way to manage one schema).
fn scoped(url: &str, schema: &str) -> String {
    pg::with_param(url, "search_path", schema)
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Postgres {
    /// The engine, after the one-time cluster setup. None (after saying why) when the server
    /// is unreachable outside CI; under `CI=true` that is a failure.
    pub fn connect(mode: Mode) -> Option<Postgres> {
        let server = pg::server_url();
        let shown = schema_inspect::redact_text(&server);
        let version = match pg::query_text(&server, "SHOW server_version") {
            Ok(rows) => rows.into_iter().next().unwrap_or_default(),
            Err(e) => {
                assert!(!in_ci(), "CI=true and PostgreSQL is unreachable at {shown}: {e}");
                println!("skipping postgres conformance: PostgreSQL is unreachable at {shown}: {e}");
                return None;
            }
        };
        static SETUP: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
        let setup = SETUP.get_or_init(|| setup(&server));
        if let Err(e) = setup {
            panic!("postgres conformance setup failed: {e}");
        }
        let available = |sql: &str| pg::query_text(&server, sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let pgvector = !available("SELECT name FROM pg_available_extensions WHERE name = 'vector'").is_empty();
        let collations = available("SELECT collname FROM pg_collation");
        let created_before = CREATED.load(std::sync::atomic::Ordering::Relaxed);
        Some(Postgres { mode, version, pgvector, collations, created_before })
    }

    /// How many databases this run created for cases (the other A, B and C were reused).
    pub fn databases_created(&self) -> usize {
        CREATED.load(std::sync::atomic::Ordering::Relaxed) - self.created_before
    }

    /// Why offline mode cannot run yet, while `schema plan` without `--dev-url` refuses
    /// PostgreSQL SQL; None once it plans.
    pub fn offline_unsupported(&self) -> Option<String> {
        let db = PgDb::try_create("conf_pg_probe").unwrap_or_else(|e| panic!("{e}"));
        let scratch = Scratch::new();
        let to = scratch.write("probe.sql", "CREATE TABLE probe (id integer PRIMARY KEY);\n");
        let url = db.url();
        let out = schema(&["plan", "--url", &url, "--to", &to]);
        if out.code == 0 {
            return None;
        }
        let first = out.stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim().to_string();
        if out.stderr.contains("--dev-url") {
            Some(format!("`schema plan` without --dev-url answers: {first}"))
        } else {
            panic!("the offline probe plan failed in an unexpected way (exit {}): {}", out.code, out.stderr)
        }
    }

    /// This worker's dev database for `db`'s role (made on first use), as that role sees it.
    /// A role's own dev database is owned by it: our tool replays desired SQL in a rolled-back
    /// transaction there, which needs the rights a database's owner has in a new database.
    fn dev_url(&self, db: &Db) -> Result<String, String> {
        let url = DEV.with(|d| -> Result<String, String> {
            let mut d = d.borrow_mut();
            let slot = match &db.user {
                None => &mut d.0,
                Some(_) => &mut d.1,
            };
            if slot.is_none() {
                let dev = PgDb::try_create("conf_pg_dev")?;
                if let Some(user) = &db.user {
                    let owner = format!("ALTER DATABASE {} OWNER TO {}", quote(&dev.name), quote(user));
                    pg::exec_sqlx(&dev.url(), &owner)?;
                }
                *slot = Some(dev);
            }
            Ok(slot.as_ref().map(PgDb::url).unwrap_or_default())
        })?;
        Ok(match &db.user {
            Some(u) => scoped(&pg::with_user(&url, u), USER_SCHEMA),
            None => url,
        })
    }
}

/// Roles, once per process: upstream's fixed set, and `psqldef_user` for `user` cases.
fn setup(server: &str) -> Result<(), String> {
    pg::ensure_roles(server, &ROLES)?;
    pg::ensure_roles(server, &["psqldef_user"])?;
    pg::exec_sqlx(
        server,
        "ALTER ROLE psqldef_user LOGIN CREATEDB; ALTER ROLE psqldef_user SET search_path = foo, public",
    )
    .map_err(|e| format!("setting up psqldef_user: {e}"))
}

/// The schemas a script creates (`CREATE SCHEMA [IF NOT EXISTS] name`), as PostgreSQL names
/// them: quoted names exact, bare names folded to lower case.
fn schemas_created(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    for st in pg::split_statements(sql) {
        let code: String = st.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join(" ");
        let words: Vec<&str> = code.split_whitespace().collect();
        let upper: Vec<String> = words.iter().take(5).map(|w| w.to_ascii_uppercase()).collect();
        let at = match upper.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["CREATE", "SCHEMA", "IF", "NOT", "EXISTS", ..] => 5,
            ["CREATE", "SCHEMA", ..] => 2,
            _ => continue,
        };
        let rest = words[at..].join(" ");
        let name = match rest.strip_prefix('"') {
            Some(q) => q.split('"').next().unwrap_or_default().to_string(),
            None => rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .next()
                .unwrap_or_default()
                .to_lowercase(),
        };
        out.push(name);
    }
    out
}

/// The collations a case names with `COLLATE "x"` or `COLLATE x`.
fn collations_named(sql: &str) -> Vec<String> {
    let lower = sql.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("collate") {
        let rest = sql[from + at + "collate".len()..].trim_start();
        from += at + "collate".len();
        let name = match rest.strip_prefix('"') {
            Some(q) => q.split('"').next().unwrap_or_default().to_string(),
            None => rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default().to_lowercase(),
        };
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

impl Engine for Postgres {
    type Db = Db;

    fn name(&self) -> &'static str {
        "postgres"
    }

    fn label(&self) -> String {
        match self.mode {
            Mode::Dev => "postgres".into(),
            Mode::Offline => "postgres-offline".into(),
        }
    }

    fn mode(&self) -> String {
        match self.mode {
            Mode::Dev => "Mode: with a dev database (`--dev-url`): desired SQL is replayed in a rolled-back \
                          transaction on the dev database and inspected, the exact path. References are compared with `snapshot_full`, which also \
                          reads routines, triggers, policies, privileges and owners."
                .into(),
            Mode::Offline => "Mode: offline (no `--dev-url`): desired SQL is parsed by our tool. References are \
                              compared with `snapshot_full`, which also reads routines, triggers, policies, \
                              privileges and owners."
                .into(),
        }
    }

    fn workers(&self) -> usize {
        std::env::var("SCHEMA_CONFORMANCE_WORKERS").ok().and_then(|w| w.parse().ok()).unwrap_or(3)
    }

    fn exhaustive(&self) -> bool {
        // The re-plans other checks imply are skipped with a dev database (see
        // `Engine::exhaustive`); SCHEMA_CONFORMANCE_EXHAUSTIVE=1 makes every plan anyway.
        self.mode == Mode::Offline || std::env::var("SCHEMA_CONFORMANCE_EXHAUSTIVE").is_ok_and(|v| v == "1")
    }

    fn worker_done(&self) {
        // Dropping a PgDb drops its database.
        drop(POOL.with(|p| std::mem::take(&mut *p.borrow_mut())));
        drop(DEV.with(|d| std::mem::take(&mut *d.borrow_mut())));
    }

    fn server(&self) -> Result<Server, String> {
        Ok(Server { version: self.version.clone(), flavor: self.pgvector.then(|| "pgvector".to_string()) })
    }

    fn unavailable(&self, case: &Case) -> Option<Skip> {
        let texts = [&case.current, &case.desired];
        let missing = texts.iter().flat_map(|t| collations_named(t)).any(|c| !self.collations.contains(&c));
        missing.then_some(Skip::Environment)
    }

    fn fresh(&self, _scratch: &Scratch, case: &Case, _label: &str) -> Result<Db, String> {
        let pooled = if case.user.is_none() { POOL.with(|p| p.borrow_mut().pop()) } else { None };
        let db = match pooled {
            Some(db) => db,
            None => {
                CREATED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                PgDb::try_create("conf_pg")?
            }
        };
        let db = Db { db: Some(db), user: case.user.clone() };
        if let Some(user) = &case.user {
            let grant = format!(
                "GRANT ALL ON DATABASE {} TO {u}; CREATE SCHEMA {USER_SCHEMA} AUTHORIZATION {u}",
                quote(&db.inner().name),
                u = quote(user)
            );
            pg::exec_sqlx(&db.admin_url(), &grant).map_err(|e| format!("setting up {user}: {e}"))?;
        }
        Ok(db)
    }

    fn url(&self, db: &Db) -> String {
        match &db.user {
            Some(_) => scoped(&db.role_url(), USER_SCHEMA),
            None => db.admin_url(),
        }
    }

    fn tool_args(&self, db: &Db) -> Vec<String> {
        match self.mode {
            Mode::Offline => Vec::new(),
            Mode::Dev => match self.dev_url(db) {
                Ok(url) => vec!["--dev-url".into(), url],
                // The tool then reports the missing database itself.
                Err(e) => panic!("no dev database: {e}"),
            },
        }
    }

    fn load(&self, db: &Db, sql: &str) -> Result<(), String> {
        pg::load_ordered(&db.role_url(), sql).map(drop)
    }

    fn carried(&self, a: &Db, desired: &str) -> Result<String, String> {
        let created = schemas_created(desired);
        let schemas = pg::query_text(
            &a.admin_url(),
            "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema', 'schema_revisions') \
             AND nspname NOT LIKE 'pg\\_%' ORDER BY 1",
        )?;
        let kept = schemas.iter().filter(|s| !created.contains(s));
        Ok(kept.map(|s| format!("CREATE SCHEMA IF NOT EXISTS {};\n", quote(s))).collect())
    }

    fn reference_desired(&self, case: &Case) -> String {
        if let (true, Some(up)) = (CIRCULAR.contains(&case.name.as_str()), &case.up) {
            return format!("{}\n{up}", case.current);
        }
        match CORRECTIONS.iter().find(|(name, from, _)| *name == case.name && case.desired.contains(from)) {
            Some((_, from, to)) => case.desired.replace(from, to),
            None => case.desired.clone(),
        }
    }

    fn snapshot(&self, db: &Db) -> Result<String, String> {
        snapshot_full(&db.admin_url())
    }

    fn seed(&self, db: &Db) -> Result<(), String> {
        let columns = pg::block_on(|| async {
            let mut conn = pg::connect(&db.admin_url()).await?;
            sqlx::query_as::<_, (String, String, String, String, String, Option<String>)>(SEED_COLUMNS)
                .fetch_all(&mut conn)
                .await
                .map_err(|e| pg::message(&e))
        })?;
        let mut tables: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for (table, column, ty, category, base, label) in columns {
            let value = match (category.as_str(), base.as_str()) {
                ("B", _) => format!("'true'::{ty}"),
                ("N" | "S" | "V", _) | ("U", "json" | "jsonb") => format!("'1'::{ty}"),
                ("D", _) => format!("now()::{ty}"),
                ("T", _) => format!("'1 day'::{ty}"),
                ("E", _) => format!("'{}'::{ty}", label.unwrap_or_default().replace('\'', "''")),
                ("A", _) => format!("'{{}}'::{ty}"),
                ("I", _) => format!("'127.0.0.1'::{ty}"),
                ("R", _) => format!("'empty'::{ty}"),
                ("U", "uuid") => format!("'00000000-0000-0000-0000-000000000001'::{ty}"),
                ("U", "bytea") => format!("'\\x01'::{ty}"),
                _ => "NULL".into(),
            };
            match tables.last_mut() {
                Some((t, cols)) if *t == table => cols.push((column, value)),
                _ => tables.push((table, vec![(column, value)])),
            }
        }
        let script: String = tables
            .iter()
            .map(|(t, cols)| {
                let names: Vec<String> = cols.iter().map(|(c, _)| quote(c)).collect();
                let values: Vec<&str> = cols.iter().map(|(_, v)| v.as_str()).collect();
                format!("INSERT INTO {t} ({}) VALUES ({});\n", names.join(", "), values.join(", "))
            })
            .collect();
        pg::load_ordered(&db.admin_url(), &script).map(drop)
    }

    fn unseed(&self, db: &Db) -> Result<(), String> {
        let tables = pg::query_text(
            &db.admin_url(),
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('information_schema', 'schema_revisions') \
             AND n.nspname NOT LIKE 'pg\\_%'",
        )?;
        if tables.is_empty() {
            return Ok(());
        }
        pg::exec_sqlx(&db.admin_url(), &format!("TRUNCATE {} CASCADE", tables.join(", ")))
    }

    fn count(&self, db: &Db, table: &str, column: Option<&str>) -> Result<i64, String> {
        let mut last = String::new();
        // A hint names an object as written: quoted (exact) or bare (folded to lower case).
        for t in [table.to_string(), table.to_lowercase()] {
            for c in [column.map(str::to_string), column.map(str::to_lowercase)] {
                let what = c.as_deref().map_or("*".to_string(), quote);
                let sql = format!("SELECT count({what})::text FROM {}", quote(&t));
                match pg::query_text(&db.role_url(), &sql) {
                    Ok(rows) => {
                        let n = rows.first().cloned().unwrap_or_default();
                        return n.parse().map_err(|_| format!("count of {table} gave {n:?}"));
                    }
                    Err(e) => last = e,
                }
            }
        }
        Err(last)
    }
}

/// Every column a seed row gives a value: table, column, type, type category, base type name
/// (domains resolved) and the first label of an enum.
const SEED_COLUMNS: &str = r"SELECT c.oid::regclass::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
  coalesce(b.typcategory, t.typcategory)::text, coalesce(b.oid, t.oid)::regtype::text,
  (SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = coalesce(b.oid, t.oid) ORDER BY e.enumsortorder LIMIT 1)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
  AND a.attidentity <> 'a'
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
WHERE n.nspname NOT IN ('information_schema', 'schema_revisions') AND n.nspname NOT LIKE 'pg\_%'
  AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY 1, a.attnum";
