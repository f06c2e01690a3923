//! MySQL/MariaDB: every case gets fresh databases on the live server (A for our tool, B and C
//! for references), loaded with `my_load::load_ordered` (statement by statement, `USE`
//! skipped, ordered by retrying, as sqldef loads fixtures) and compared with the suites' own
//! `my_catalog::snapshot` (events and partitions included) plus the routines our tool does
//! not manage, so those cannot pass by being invisible. Our tool gets `--dev-url` (an empty dev database per
//! worker); MySQL has no offline path (`schema plan` without it refuses MySQL SQL).
//!
//! The corpus hard-codes the database name `mysqldef_test` in 13 cases (`FROM
//! mysqldef_test.users` in views). Such a case runs A under that name, one case at a time
//! (a process-wide lock held while A lives); its references load the text with the name
//! replaced by their own. Creating and dropping a database is cheap on MariaDB, so every
//! database is fresh.

use std::sync::{Mutex, MutexGuard};

use schema_e2e::my::{self, MyDb};
use schema_e2e::my_catalog::snapshot_with;
use schema_e2e::my_load::{exec, load_ordered};
use schema_e2e::pg::with_database;
use schema_e2e::{in_ci, Scratch};

use crate::case::{Case, Server, Skip};
use crate::engine::Engine;

/// The database name the corpus assumes (README, "Per-case database setup").
const UPSTREAM_DB: &str = "mysqldef_test";

/// Held while a database named `UPSTREAM_DB` exists.
static UPSTREAM: Mutex<()> = Mutex::new(());

/// What `my_catalog::snapshot` does not read: routines, which our tool does not manage.
const UNMANAGED: [(&str, &str); 1] = [(
    "routine",
    "SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS, \
     SECURITY_TYPE, ROUTINE_COMMENT FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()",
)];

thread_local! {
    /// This worker's empty dev database.
    static DEV: std::cell::RefCell<Option<MyDb>> = const { std::cell::RefCell::new(None) };
}

/// The MySQL family, on the server of `my::server_url()`.
pub struct Mysql {
    version: String,
    mariadb: bool,
}

/// One database of a case.
pub struct Db {
    db: Option<MyDb>,
    /// A database under the upstream name (not dropped by `MyDb`), and the lock that makes it
    /// this case's alone.
    upstream: Option<MutexGuard<'static, ()>>,
    name: String,
}

impl Drop for Db {
    fn drop(&mut self) {
        if self.upstream.is_some() {
            let _ = my::mysql(&my::server_url(), &format!("DROP DATABASE IF EXISTS `{UPSTREAM_DB}`"));
        }
        drop(self.db.take());
    }
}

impl Mysql {
    /// The engine. None (after saying why) when the server is unreachable outside CI; under
    /// `CI=true` that is a failure.
    pub fn connect() -> Option<Mysql> {
        let server = my::server_url();
        let version = match my::mysql(&server, "SELECT version()") {
            Ok(rows) => rows.into_iter().next().unwrap_or_default(),
            Err(e) => {
                let shown = schema_inspect::redact_text(&server);
                assert!(!in_ci(), "CI=true and MySQL/MariaDB is unreachable at {shown}: {e}");
                println!("skipping mysql conformance: MySQL/MariaDB is unreachable at {shown}: {e}");
                return None;
            }
        };
        let mariadb = version.contains("MariaDB");
        Some(Mysql { version, mariadb })
    }

    /// Why offline mode cannot run: `schema plan` without `--dev-url` refuses MySQL SQL
    /// (None once it plans).
    pub fn offline_unsupported(&self) -> Option<String> {
        let db = MyDb::create("conf_my_probe")?;
        let scratch = Scratch::new();
        let to = scratch.write("probe.sql", "CREATE TABLE probe (id int PRIMARY KEY);\n");
        let out = schema_e2e::schema(&["plan", "--url", &db.url(), "--to", &to]);
        if out.code == 0 {
            return None;
        }
        let first = out.stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim().to_string();
        assert!(out.stderr.contains("--dev-url"), "the offline probe failed unexpectedly: {}", out.stderr);
        Some(first)
    }

    fn dev_url(&self) -> Result<String, String> {
        DEV.with(|d| {
            let mut d = d.borrow_mut();
            if d.is_none() {
                *d = Some(MyDb::create("conf_my_dev").ok_or("MySQL/MariaDB is unreachable")?);
            }
            Ok(d.as_ref().map(MyDb::url).unwrap_or_default())
        })
    }
}

/// True when a case's SQL names the upstream database.
fn names_upstream(case: &Case) -> bool {
    [&case.current, &case.desired].iter().any(|t| t.contains(UPSTREAM_DB))
}

impl Engine for Mysql {
    type Db = Db;

    fn name(&self) -> &'static str {
        "mysql"
    }

    fn mode(&self) -> String {
        format!(
            "Mode: with a dev database (`--dev-url`) on {}: desired SQL is replayed on a scratch database and \
             inspected (MySQL has no offline path: `schema plan` without `--dev-url` refuses). References are \
             compared with `my_catalog::snapshot` plus routines.",
            if self.mariadb { "MariaDB" } else { "MySQL" }
        )
    }

    fn workers(&self) -> usize {
        std::env::var("SCHEMA_CONFORMANCE_WORKERS").ok().and_then(|w| w.parse().ok()).unwrap_or(2)
    }

    fn exhaustive(&self) -> bool {
        // Every plan replays desired SQL in a scratch database; cheap on MariaDB, but the
        // implied re-plans still double the run. SCHEMA_CONFORMANCE_EXHAUSTIVE=1 makes them.
        std::env::var("SCHEMA_CONFORMANCE_EXHAUSTIVE").is_ok_and(|v| v == "1")
    }

    fn worker_done(&self) {
        drop(DEV.with(|d| d.borrow_mut().take()));
    }

    fn server(&self) -> Result<Server, String> {
        let flavor = if self.mariadb { "mariadb" } else { "mysql" };
        Ok(Server { version: self.version.clone(), flavor: Some(flavor.into()) })
    }

    fn unavailable(&self, case: &Case) -> Option<Skip> {
        // MariaDB's VECTOR type needs 11.7 (corpus README), which no version gate says.
        let vector = [&case.current, &case.desired].iter().any(|t| t.to_ascii_uppercase().contains("VECTOR("));
        let old = crate::case::gate(
            &Case { min_version: Some("11.7".into()), flavor: None, offline: false, ..case.clone() },
            &self.server().ok()?,
        )
        .is_some();
        (vector && self.mariadb && old).then_some(Skip::Environment)
    }

    fn fresh(&self, _scratch: &Scratch, case: &Case, label: &str) -> Result<Db, String> {
        if label.starts_with('A') && names_upstream(case) {
            let guard = UPSTREAM.lock().unwrap_or_else(|e| e.into_inner());
            let server = my::server_url();
            let sql = format!("DROP DATABASE IF EXISTS `{UPSTREAM_DB}`; CREATE DATABASE `{UPSTREAM_DB}`");
            my::mysql(&server, &sql)?;
            return Ok(Db { db: None, upstream: Some(guard), name: UPSTREAM_DB.into() });
        }
        let db = MyDb::create("conf_my").ok_or("MySQL/MariaDB is unreachable")?;
        Ok(Db { name: db.name.clone(), db: Some(db), upstream: None })
    }

    fn url(&self, db: &Db) -> String {
        with_database(&my::server_url(), &db.name)
    }

    fn tool_args(&self, _db: &Db) -> Vec<String> {
        match self.dev_url() {
            Ok(url) => vec!["--dev-url".into(), url],
            Err(e) => panic!("no dev database: {e}"),
        }
    }

    fn load(&self, db: &Db, sql: &str) -> Result<(), String> {
        let sql = if db.name == UPSTREAM_DB { sql.to_string() } else { sql.replace(UPSTREAM_DB, &db.name) };
        load_ordered(&self.url(db), &sql).map(drop)
    }

    fn snapshot(&self, db: &Db) -> Result<String, String> {
        let text = snapshot_with(&self.url(db), &UNMANAGED)?;
        // Routine and event bodies may name their database.
        let text = text.replace(&format!("`{}`.", db.name), "").replace(&db.name, "<db>");
        let mut lines: Vec<String> = text.lines().map(fold_names).collect();
        lines.sort();
        Ok(lines.join("\n"))
    }

    fn seed(&self, db: &Db) -> Result<(), String> {
        let url = self.url(db);
        let rows = my::mysql(&url, SEED_COLUMNS)?;
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for row in rows {
            let (table, column) = row.split_once('\t').ok_or_else(|| format!("bad row {row:?}"))?;
            match tables.last_mut() {
                Some((t, cols)) if t == table => cols.push(quote(column)),
                _ => tables.push((table.to_string(), vec![quote(column)])),
            }
        }
        // Not strict, so `1` becomes whatever each type makes of it (a date, an enum's first
        // value); foreign keys unchecked, as every table gets its row at once.
        let mut script = String::from("SET SESSION sql_mode = ''; SET SESSION foreign_key_checks = 0;\n");
        for (table, cols) in &tables {
            let ones = vec!["1"; cols.len()].join(", ");
            script += &format!("INSERT IGNORE INTO {} ({}) VALUES ({ones});\n", quote(table), cols.join(", "));
        }
        exec(&url, &script)
    }

    fn unseed(&self, db: &Db) -> Result<(), String> {
        let url = self.url(db);
        let tables = my::mysql(&url, TABLES)?;
        let mut script = String::from("SET SESSION foreign_key_checks = 0;\n");
        for t in tables {
            script += &format!("DELETE FROM {};\n", quote(&t));
        }
        exec(&url, &script)
    }

    fn count(&self, db: &Db, table: &str, column: Option<&str>) -> Result<i64, String> {
        let what = column.map_or("*".to_string(), quote);
        let rows = my::mysql(&self.url(db), &format!("SELECT count({what}) FROM {}", quote(table)))?;
        let n = rows.first().cloned().unwrap_or_default();
        n.parse().map_err(|_| format!("count of {table} gave {n:?}"))
    }
}

/// The user's base tables.
const TABLES: &str = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
     AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> 'schema_revisions'";

/// Every column a seed row sets: not generated, in declared order.
const SEED_COLUMNS: &str = "SELECT c.TABLE_NAME, c.COLUMN_NAME FROM information_schema.COLUMNS c \
     JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
     WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_NAME <> 'schema_revisions' \
     AND c.EXTRA NOT LIKE '%GENERATED%' AND c.EXTRA NOT IN ('VIRTUAL', 'STORED') \
     ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";

/// Which tab-separated fields of a snapshot line (the kind is field 0) are column, index or
/// constraint names: case-insensitive in MySQL (corpus README), so compared folded.
const CASE_INSENSITIVE: [(&str, &[usize]); 4] =
    [("column", &[3]), ("index", &[2, 5]), ("check", &[2]), ("fk", &[2, 7, 8])];

/// A snapshot line with its case-insensitive names in lower case.
fn fold_names(line: &str) -> String {
    let mut fields: Vec<String> = line.split('\t').map(str::to_string).collect();
    let kind = fields.first().cloned().unwrap_or_default();
    if let Some((_, at)) = CASE_INSENSITIVE.iter().find(|(k, _)| *k == kind) {
        for &i in *at {
            if let Some(f) = fields.get_mut(i) {
                *f = f.to_lowercase();
            }
        }
    }
    fields.join("\t")
}

fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}
