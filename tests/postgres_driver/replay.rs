//! Dev-database replay: the same SQL replayed through `load_sql` and loaded by psql gives the
//! same model; errors point into the file; a non-empty dev database is refused; the scratch
//! database never outlives the call.

use std::sync::Mutex;

use schema_e2e::pg::{psql, server_url, PgDb};
use schema_inspect::{load_sql, DbUrl};
use schema_model::sql::SourceFile;
use schema_model::{Dialect, Realm};

use crate::{driver, RICH};

/// Replays run one at a time in this process, so that "no scratch database of this process
/// is left" is a check about the replay that just ran.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `f` on a runtime of its own while holding the replay lock.
fn serial<F: std::future::Future<Output = ()>>(f: F) {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f);
}

/// The scratch databases of this process that still exist.
fn leftover_scratch() -> Vec<String> {
    psql(
        &server_url(),
        &format!("SELECT datname FROM pg_database WHERE datname LIKE 'schema\\_dev\\_{}\\_%'", std::process::id()),
    )
    .unwrap()
}

async fn load(dev: &PgDb, files: &[SourceFile]) -> Result<Realm, String> {
    let result = load_sql(Dialect::Postgres, files, Some(&DbUrl::parse(&dev.url()).unwrap())).await;
    assert_eq!(leftover_scratch(), Vec::<String>::new(), "the scratch database was left behind");
    result.map_err(|e| e.to_string())
}

#[test]
fn replay_gives_the_model_of_a_database_loaded_by_psql() {
    serial(async {
        let (Some(dev), Some(direct)) = (PgDb::create("pgd_dev"), PgDb::create("pgd_direct")) else { return };
        direct.exec(RICH);
        let expected = driver(&direct.url()).await.inspect().await.unwrap();
        // Split in two files, with a session statement in between, as a project would.
        let (first, second) = RICH.split_at(RICH.find("CREATE TABLE app.users").unwrap());
        let files = [
            SourceFile::new("01_types.sql", first),
            SourceFile::new("02_tables.sql", format!("SET search_path = app, public;\n{second}")),
        ];
        let replayed = load(&dev, &files).await.unwrap();
        assert_eq!(replayed, expected);
        // Twice in a row: nothing of the first run is in the way of the second.
        assert_eq!(load(&dev, &files).await.unwrap(), expected);
        // The dev database itself was not touched.
        assert_eq!(dev.exec("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"), ["0"]);
    });
}

#[test]
fn rename_directives_are_attached() {
    serial(async {
        let Some(dev) = PgDb::create("pgd_dev_ren") else { return };
        let file = SourceFile::new(
            "r.sql",
            "CREATE TABLE people ( -- schema:renamed-from users\n  id int,\n  full_name text -- schema:renamed-from name\n);\n",
        );
        let realm = load(&dev, &[file]).await.unwrap();
        let t = realm.schema("public").unwrap().table("people").unwrap();
        assert_eq!(t.renamed_from.as_deref(), Some("users"));
        assert_eq!(t.columns[1].renamed_from.as_deref(), Some("name"));
    });
}

#[test]
fn errors_point_at_file_line_and_column() {
    serial(async {
        let Some(dev) = PgDb::create("pgd_dev_err") else { return };
        let syntax = SourceFile::new("bad.sql", "CREATE TABLE a (x int);\nCREATE TABLE b (y int,, z int);\n");
        let err = load(&dev, &[syntax]).await.unwrap_err();
        assert!(
            err.starts_with("bad.sql:2:23: PostgreSQL rejected this statement: syntax error at or near \",\""),
            "{err}"
        );
        // A semantic error, after a non-ASCII name so that character and byte columns differ.
        let first = SourceFile::new("ok.sql", "CREATE TABLE ok (x int);\n");
        let second = SourceFile::new("types.sql", "-- types\nCREATE TABLE \"Größe\" (\n  id int, v nosuchtype\n);\n");
        let err = load(&dev, &[first, second]).await.unwrap_err();
        assert!(
            err.starts_with("types.sql:3:13: PostgreSQL rejected this statement: type \"nosuchtype\" does not exist"),
            "{err}"
        );
        // An error PostgreSQL gives no position for covers the statement.
        let unplaced =
            SourceFile::new("fk.sql", "CREATE TABLE a (x int);\n\nCREATE TABLE b (x int REFERENCES a (x));\n");
        let err = load(&dev, &[unplaced]).await.unwrap_err();
        assert!(
            err.starts_with("fk.sql:3:1: PostgreSQL rejected this statement: there is no unique constraint"),
            "{err}"
        );
    });
}

#[test]
fn a_dev_database_that_holds_objects_is_refused() {
    serial(async {
        let Some(dev) = PgDb::create("pgd_dev_full") else { return };
        dev.exec("CREATE TABLE leftover (id int); CREATE SCHEMA other; CREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'SELECT 1';");
        let err = load(&dev, &[SourceFile::new("a.sql", "CREATE TABLE a (x int);")]).await.unwrap_err();
        assert!(err.contains("is not empty"), "{err}");
        assert!(err.contains("table public.leftover"), "{err}");
        assert!(err.contains("schema other"), "{err}");
        assert!(err.contains("function other.f"), "{err}");
        assert!(err.contains("leak into the desired state"), "{err}");
        // An installed extension is not content of the database.
        let Some(dev2) = PgDb::create("pgd_dev_ext") else { return };
        dev2.exec("CREATE EXTENSION citext;");
        load(&dev2, &[SourceFile::new("a.sql", "CREATE TABLE a (x int);")]).await.unwrap();
    });
}

#[test]
fn without_a_dev_database_what_offline_mode_cannot_read_asks_for_one() {
    serial(async {
        let files = [SourceFile::new("a.sql", "CREATE TABLE a (x int);\nCREATE VIEW v AS SELECT x FROM a;")];
        let err = load_sql(Dialect::Postgres, &files, None).await.unwrap_err().to_string();
        assert!(err.starts_with("a.sql:2:1:"), "{err}");
        let report = format!("{:?}", miette::Report::new(load_sql(Dialect::Postgres, &files, None).await.unwrap_err()));
        assert!(report.contains("--dev-url"), "{report}");
    });
}

/// A role that owns `dev` but may not create databases: a replay that needs a scratch
/// database fails for it, one in a rolled-back transaction does not.
fn owner_without_createdb(dev: &PgDb) -> String {
    dev.exec("ALTER ROLE pgd_no_createdb LOGIN NOCREATEDB");
    dev.exec(&format!("ALTER DATABASE \"{}\" OWNER TO pgd_no_createdb", dev.name));
    schema_e2e::pg::with_user(&dev.url(), "pgd_no_createdb")
}

#[test]
fn replay_runs_in_a_rolled_back_transaction_and_falls_back_to_a_scratch_database() {
    let Some(dev) = PgDb::create("pgd_dev_tx") else { return };
    // Roles are cluster-wide; this one is made once and kept, like the suites' other roles.
    schema_e2e::pg::ensure_roles(&server_url(), &["pgd_no_createdb"]).unwrap();
    serial(async {
        let url = DbUrl::parse(&owner_without_createdb(&dev)).unwrap();
        let files = [SourceFile::new(
            "a.sql",
            "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';\n\
             CREATE TABLE a (x int PRIMARY KEY, m mood DEFAULT 'sad');\nCREATE INDEX a_m ON a (m);\n",
        )];
        // No CREATEDB, so this replay cannot have used a scratch database.
        let realm = load_sql(Dialect::Postgres, &files, Some(&url)).await.unwrap();
        let table = realm.schema("public").unwrap().table("a").unwrap();
        assert_eq!(table.indexes.len(), 1, "{table:?}");
        assert_eq!(leftover_scratch(), Vec::<String>::new());
        assert_eq!(dev.exec("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"), ["0"]);
        assert_eq!(dev.exec("SELECT count(*) FROM pg_type WHERE typname = 'mood'"), ["0"]);
        // Statements a transaction cannot hold: CONCURRENTLY, an enum value used where it was
        // added, COMMIT. Each asks for a scratch database, which this role may not create.
        for sql in [
            "CREATE TABLE b (x int);\nCREATE INDEX CONCURRENTLY b_x ON b (x);\n",
            "CREATE TABLE c (m text);\nCOMMIT;\nCREATE TABLE d (m text);\n",
        ] {
            let err = load_sql(Dialect::Postgres, &[SourceFile::new("b.sql", sql)], Some(&url)).await.unwrap_err();
            assert!(err.to_string().contains("creating the scratch database"), "{err}");
            assert!(err.to_string().contains("CREATEDB"), "{err}");
        }
        assert_eq!(dev.exec("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"), ["0"]);
        // With CREATEDB the same files replay in a scratch database, which is dropped.
        let sql = "CREATE TABLE b (x int);\nCREATE INDEX CONCURRENTLY b_x ON b (x);\nBEGIN;\nCREATE TABLE c (y int);\nCOMMIT;\n";
        let realm = load(&dev, &[SourceFile::new("b.sql", sql)]).await.unwrap();
        assert_eq!(realm.schema("public").unwrap().table("b").unwrap().indexes.len(), 1);
        assert!(realm.schema("public").unwrap().table("c").is_some());
        assert_eq!(dev.exec("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"), ["0"]);
    });
}

#[test]
fn concurrent_replays_on_one_dev_database_take_turns() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(dev) = PgDb::create("pgd_dev_conc") else { return };
    let url = DbUrl::parse(&dev.url()).unwrap();
    // The same names in every run, with a different column each, so a run that saw another's
    // objects (or collided with them) would fail or read the wrong column.
    let runs: Vec<std::thread::JoinHandle<()>> = (0..4)
        .map(|i| {
            let url = url.clone();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                for round in 0..3 {
                    let sql = format!(
                        "CREATE TABLE t (c{i} int PRIMARY KEY);\nCREATE TABLE u (r{round} int REFERENCES t (c{i}));\n"
                    );
                    let realm = rt.block_on(load_sql(Dialect::Postgres, &[SourceFile::new("t.sql", sql)], Some(&url)));
                    let realm = realm.unwrap_or_else(|e| panic!("run {i}, round {round}: {e}"));
                    let t = realm.schema("public").unwrap().table("t").unwrap();
                    assert_eq!(t.columns.len(), 1);
                    assert_eq!(t.columns[0].name, format!("c{i}"));
                    let u = realm.schema("public").unwrap().table("u").unwrap();
                    assert_eq!(u.columns[0].name, format!("r{round}"));
                }
            })
        })
        .collect();
    for run in runs {
        run.join().expect("a replay thread");
    }
    assert_eq!(leftover_scratch(), Vec::<String>::new());
    assert_eq!(dev.exec("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"), ["0"]);
}

/// A file whose first batch of statements takes enough locks that, at that rate, all of them
/// would not fit in the server's lock table (200 tables with a key and a text column take 8
/// locks each; the comments after them make the file long). The DO block leaves the name of
/// the database the replay ran in as the first table's comment.
fn lock_hungry_file(dev: &PgDb) -> SourceFile {
    let nominal: usize = dev
        .exec("SELECT current_setting('max_locks_per_transaction')::int8 * (current_setting('max_connections')::int8 + current_setting('max_prepared_transactions')::int8)")[0]
        .parse()
        .unwrap();
    let mut sql: String = (0..200).map(|i| format!("CREATE TABLE t{i} (a int PRIMARY KEY, b text);\n")).collect();
    sql.push_str("DO $$ BEGIN EXECUTE format('COMMENT ON TABLE t0 IS %L', current_database()); END $$;\n");
    for i in 0..nominal {
        sql.push_str(&format!("COMMENT ON TABLE t{} IS 'note {i}';\n", 1 + i % 199));
    }
    SourceFile::new("many.sql", sql)
}

#[test]
fn a_replay_whose_locks_would_not_fit_goes_to_a_scratch_database_early() {
    let Some(dev) = PgDb::create("pgd_dev_locks") else { return };
    schema_e2e::pg::ensure_roles(&server_url(), &["pgd_no_createdb"]).unwrap();
    serial(async {
        let files = [lock_hungry_file(&dev)];
        let ran_in = |realm: &Realm| realm.schema("public").unwrap().table("t0").unwrap().comment.clone().unwrap();
        // Projected at 8 locks a statement, the file is far past the lock table: with CREATEDB
        // the replay leaves the transaction after its first batch for a scratch database.
        let realm = load(&dev, &files).await.unwrap();
        assert!(ran_in(&realm).starts_with("schema_dev_"), "ran in {}", ran_in(&realm));
        assert_eq!(realm.schema("public").unwrap().tables.len(), 200);
        // The comments hold no locks of their own, so the transaction does hold it: without
        // CREATEDB the replay has no way out and stays there, with the same result.
        let url = DbUrl::parse(&owner_without_createdb(&dev)).unwrap();
        let in_transaction = load_sql(Dialect::Postgres, &files, Some(&url)).await.unwrap();
        assert_eq!(ran_in(&in_transaction), dev.name);
        let without = |mut r: Realm| {
            r.schemas.iter_mut().flat_map(|s| s.tables.iter_mut()).for_each(|t| {
                if t.name == "t0" {
                    t.comment = None;
                }
            });
            r
        };
        assert_eq!(without(in_transaction), without(realm));
        assert_eq!(dev.exec("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"), ["0"]);
    });
}
