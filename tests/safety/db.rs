//! One throwaway database of any dialect, with the `schema` runs the safety tests make on it.

use std::path::PathBuf;

use schema_e2e::my::MyDb;
use schema_e2e::pg::PgDb;
use schema_e2e::{schema, sqlite_catalog, Outcome, Scratch};
use serde_json::Value;

/// The database under test and, for the server dialects, an empty dev database.
pub enum Target {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database and its dev database.
    Postgres(PgDb, PgDb),
    /// A MariaDB database and its dev database.
    Mysql(MyDb, MyDb),
}

/// A database with the scratch directory that holds its desired files.
pub struct Db {
    /// The database.
    pub target: Target,
    scratch: Scratch,
}

impl Db {
    /// A fresh SQLite file.
    pub fn sqlite() -> Option<Db> {
        let scratch = Scratch::new();
        let path = scratch.path("t.db");
        std::fs::write(&path, b"").expect("an empty SQLite file");
        Some(Db { target: Target::Sqlite(path), scratch })
    }

    /// A fresh PostgreSQL database, None when the server is unreachable outside CI.
    pub fn postgres() -> Option<Db> {
        let (a, dev) = (PgDb::create("schema_safety")?, PgDb::create("schema_safety_dev")?);
        Some(Db { target: Target::Postgres(a, dev), scratch: Scratch::new() })
    }

    /// A fresh MariaDB database, None when the server is unreachable outside CI.
    pub fn mysql() -> Option<Db> {
        let (a, dev) = (MyDb::create("schema_safety")?, MyDb::create("schema_safety_dev")?);
        Some(Db { target: Target::Mysql(a, dev), scratch: Scratch::new() })
    }

    /// The database's URL.
    pub fn url(&self) -> String {
        match &self.target {
            Target::Sqlite(p) => format!("sqlite://{}", p.display()),
            Target::Postgres(a, _) => a.url(),
            Target::Mysql(a, _) => a.url(),
        }
    }

    /// Runs SQL with the dialect's own client.
    pub fn exec(&self, sql: &str) -> Vec<String> {
        match &self.target {
            Target::Sqlite(p) => {
                sqlite_catalog::load(p, sql);
                vec![]
            }
            Target::Postgres(a, _) => a.exec(sql),
            Target::Mysql(a, _) => a.exec(sql),
        }
    }

    /// One value read with the dialect's own client.
    pub fn query(&self, sql: &str) -> String {
        match &self.target {
            Target::Sqlite(p) => {
                let out = std::process::Command::new("sqlite3").arg(p).arg(sql).output().expect("sqlite3");
                String::from_utf8_lossy(&out.stdout).trim().to_string()
            }
            _ => self.exec(sql).join("\n"),
        }
    }

    /// `schema COMMAND --url U --to to.sql [--dev-url D] EXTRA...`.
    pub fn run(&self, command: &str, desired: &str, extra: &[&str]) -> Outcome {
        let to = self.scratch.write("to.sql", desired);
        let url = self.url();
        let mut args = vec![command, "--url", &url, "--to", &to];
        let dev = match &self.target {
            Target::Sqlite(_) => None,
            Target::Postgres(_, d) => Some(d.url()),
            Target::Mysql(_, d) => Some(d.url()),
        };
        if let Some(d) = &dev {
            args.extend(["--dev-url", d]);
        }
        args.extend_from_slice(extra);
        schema(&args)
    }

    /// The plan to `desired` as JSON.
    pub fn plan(&self, desired: &str, extra: &[&str]) -> Value {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let run = self.run("plan", desired, &args);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
    }
}

/// Every hazard of a JSON plan, as (code, message, verdict text or "").
pub fn hazards(plan: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for step in plan["steps"].as_array().into_iter().flatten() {
        for h in step["hazards"].as_array().into_iter().flatten() {
            let verdict = match &h["verdict"] {
                Value::Null => String::new(),
                v => format!("{}: {}", v["outcome"].as_str().unwrap_or(""), v["detail"].as_str().unwrap_or("")),
            };
            out.push((h["code"].as_str().unwrap_or("").into(), h["message"].as_str().unwrap_or("").into(), verdict));
        }
    }
    out
}

/// The codes of a JSON plan's hazards.
pub fn codes(plan: &Value) -> Vec<String> {
    hazards(plan).into_iter().map(|(c, _, _)| c).collect()
}

/// One hazard case: from `before`, planning `after` raises `code` or does not.
pub struct Case {
    /// What the case shows.
    pub name: &'static str,
    /// The live database's starting structure and rows.
    pub before: String,
    /// The desired state.
    pub after: String,
    /// The code looked for.
    pub code: &'static str,
    /// Whether it must be raised.
    pub raised: bool,
    /// Extra flags for `plan` (`--online`).
    pub flags: Vec<&'static str>,
}

/// A case planned without extra flags.
pub fn case(name: &'static str, before: &str, after: &str, code: &'static str, raised: bool) -> Case {
    Case { name, before: before.into(), after: after.into(), code, raised, flags: vec![] }
}

impl Case {
    /// The same case planned with `--online`.
    pub fn online(mut self) -> Case {
        self.flags.push("--online");
        self
    }
}

/// The table most cases start from; every dialect reads these types.
pub const T: &str = "CREATE TABLE t (id int PRIMARY KEY, a varchar(20), n int, e text);";

/// `T` with `columns` in place of its last column.
pub fn t_with(columns: &str) -> String {
    format!("CREATE TABLE t (id int PRIMARY KEY, a varchar(20), n int, {columns});")
}

/// The cases every dialect shares: the data-loss, data and rename codes, each raised and not
/// raised, and not raised on a table the same plan creates.
pub fn common_cases() -> Vec<Case> {
    let index = "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);";
    let renamed_column = t_with("\n e2 text -- schema:renamed-from e\n");
    let renamed_table =
        "CREATE TABLE t2 ( -- schema:renamed-from t\n id int PRIMARY KEY, a varchar(20), n int, e text);";
    vec![
        case("drop table", T, "", "DS102", true),
        case("rename table", T, renamed_table, "DS102", false),
        case("drop column", T, "CREATE TABLE t (id int PRIMARY KEY, a varchar(20), n int);", "DS103", true),
        case("rename column", T, &renamed_column, "DS103", false),
        case("drop index", index, "CREATE TABLE t (a int);", "DS104", true),
        case("keep index", index, index, "DS104", false),
        case("unique index on existing table", T, &format!("{T} CREATE UNIQUE INDEX t_a ON t (a);"), "MF101", true),
        case(
            "unique index on a table the plan creates",
            "",
            "CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a ON t (a);",
            "MF101",
            false,
        ),
        case("not null column without default", T, &t_with("e text, z int NOT NULL"), "MF103", true),
        case("not null column with default", T, &t_with("e text, z int NOT NULL DEFAULT 0"), "MF103", false),
        case(
            "set not null",
            T,
            "CREATE TABLE t (id int PRIMARY KEY, a varchar(20), n int NOT NULL, e text);",
            "MF104",
            true,
        ),
        case("not null on a table the plan creates", "", "CREATE TABLE t (n int NOT NULL);", "MF104", false),
        case("string to number", T, "CREATE TABLE t (id int PRIMARY KEY, a int, n int, e text);", "MF105", true),
        case("longer string", T, "CREATE TABLE t (id int PRIMARY KEY, a varchar(50), n int, e text);", "MF105", false),
        case("rename table", T, renamed_table, "BC101", true),
        case("no rename", T, T, "BC101", false),
        case("rename column", T, &renamed_column, "BC102", true),
        case("add column", T, &t_with("e text, f text"), "BC102", false),
    ]
}

/// Runs every case on a fresh database made by `make`, collecting every mismatch.
pub fn check_cases(make: fn() -> Option<Db>, cases: &[Case]) {
    let mut wrong = Vec::new();
    for c in cases {
        let Some(db) = make() else { return };
        if !c.before.is_empty() {
            db.exec(&c.before);
        }
        let plan = db.plan(&c.after, &c.flags);
        let found = codes(&plan);
        if found.iter().any(|x| x == c.code) != c.raised {
            wrong.push(format!(
                "{}: {} expected {}raised, plan has {found:?}",
                c.name,
                c.code,
                if c.raised { "" } else { "not " }
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
