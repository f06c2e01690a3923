//! Dev-database replay: the same SQL replayed through `load_sql` and loaded by the mysql client
//! gives the same model (though the databases' names differ); errors point into the file;
//! statements that would leave the scratch database are refused; a non-empty dev database is
//! refused; the scratch database never outlives the call.

use std::sync::Mutex;

use schema_e2e::my::{databases_like, server_url, MyDb};
use schema_inspect::{load_sql, DbUrl};
use schema_model::sql::SourceFile;
use schema_model::{Dialect, Realm};

use crate::{driver, triggers_sql, RICH, TRIGGERS_CLI};

/// Replays run one at a time in this process, so that "no scratch database of this process
/// is left" is a check about the replay that just ran.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `f` on a runtime of its own while holding the replay lock.
fn serial<F: std::future::Future<Output = ()>>(f: F) {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f);
}

async fn load(dev: &MyDb, files: &[SourceFile]) -> Result<Realm, String> {
    let result = load_sql(Dialect::Mysql, files, Some(&DbUrl::parse(&dev.url()).unwrap())).await;
    let left = databases_like(&server_url(), &format!("schema_dev_{}_", std::process::id()));
    assert_eq!(left, Vec::<String>::new(), "the scratch database was left behind");
    result.map_err(|e| e.to_string())
}

#[test]
fn replay_gives_the_model_of_a_database_loaded_by_the_client() {
    serial(async {
        let (Some(dev), Some(direct)) = (MyDb::create("myd_dev"), MyDb::create("myd_direct")) else { return };
        direct.exec(RICH);
        direct.exec(TRIGGERS_CLI);
        let mut expected = driver(&direct.url()).await.inspect().await.unwrap();
        // The desired state's one schema is named after the dev database.
        expected.schemas[0].name = dev.name.clone();
        let (first, second) = RICH.split_at(RICH.find("CREATE TABLE `Größe`").unwrap());
        let files = [
            SourceFile::new("01_base.sql", first),
            SourceFile::new("02_more.sql", format!("SET foreign_key_checks = 0;\n{second}")),
            SourceFile::new("03_triggers.sql", triggers_sql()),
        ];
        let replayed = load(&dev, &files).await.unwrap();
        assert_eq!(replayed, expected);
        // Twice in a row: nothing of the first run is in the way of the second.
        assert_eq!(load(&dev, &files).await.unwrap(), expected);
        // The dev database itself was not touched.
        assert_eq!(dev.exec("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"), ["0"]);
    });
}

#[test]
fn rename_directives_are_attached() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_ren") else { return };
        let file = SourceFile::new(
            "r.sql",
            "CREATE TABLE people ( -- schema:renamed-from users\n  id int,\n  \
             full_name text -- schema:renamed-from name\n);\n",
        );
        let realm = load(&dev, &[file]).await.unwrap();
        let t = realm.schemas[0].table("people").unwrap();
        assert_eq!(t.renamed_from.as_deref(), Some("users"));
        assert_eq!(t.columns[1].renamed_from.as_deref(), Some("name"));
    });
}

#[test]
fn errors_point_at_file_line_and_column() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_err") else { return };
        let syntax = SourceFile::new("bad.sql", "CREATE TABLE a (x int);\nCREATE TABLE b (y int,, z int);\n");
        let err = load(&dev, &[syntax]).await.unwrap_err();
        assert!(
            err.starts_with("bad.sql:2:23: MariaDB rejected this statement: You have an error in your SQL syntax"),
            "{err}"
        );
        // On a later line of a statement, after a non-ASCII name.
        let multi = SourceFile::new("multi.sql", "-- x\nCREATE TABLE `Größe` (\n  id int,\n  v int int\n);\n");
        let err = load(&dev, &[multi]).await.unwrap_err();
        assert!(err.starts_with("multi.sql:4:9: MariaDB rejected this statement"), "{err}");
        // A name the message quotes.
        let first = SourceFile::new("ok.sql", "CREATE TABLE ok (x int);\n");
        let second = SourceFile::new("idx.sql", "CREATE TABLE t (\n  id int,\n  KEY k (nope)\n);\n");
        let err = load(&dev, &[first, second]).await.unwrap_err();
        assert!(
            err.starts_with("idx.sql:3:10: MariaDB rejected this statement: Key column 'nope' doesn't exist"),
            "{err}"
        );
        // A message that names the scratch database does not show its name.
        let fk = SourceFile::new(
            "fk.sql",
            "CREATE TABLE a (x int);\n\nCREATE TABLE b (x int, FOREIGN KEY (x) REFERENCES a (x));\n",
        );
        let err = load(&dev, &[fk]).await.unwrap_err();
        assert!(err.starts_with("fk.sql:3:1: MariaDB rejected this statement: Can't create table `b`"), "{err}");
        assert!(!err.contains("schema_dev_"), "{err}");
    });
}

#[test]
fn statements_that_leave_the_scratch_database_are_refused() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_use") else { return };
        for (sql, why) in [
            ("CREATE TABLE a (x int);\n  use mysql;\n", "2:3: this statement is not allowed here: USE would leave"),
            ("CREATE DATABASE other;", "1:1: this statement is not allowed here: desired-state files describe"),
            ("DROP SCHEMA IF EXISTS other;", "1:1: this statement is not allowed here: desired-state files describe"),
            (
                "DELIMITER //\nCREATE TABLE a (x int)//\n",
                "1:1: this statement is not allowed here: DELIMITER is a command",
            ),
        ] {
            let err = load(&dev, &[SourceFile::new("u.sql", sql)]).await.unwrap_err();
            assert!(err.starts_with(&format!("u.sql:{why}")), "{sql}: {err}");
        }
        assert_eq!(databases_like(&server_url(), "other"), Vec::<String>::new());
    });
}

#[test]
fn a_dev_database_that_holds_objects_is_refused() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_full") else { return };
        dev.exec("CREATE TABLE leftover (id int); CREATE VIEW v AS SELECT 1 AS one; CREATE PROCEDURE p() SELECT 1;");
        let err = load(&dev, &[SourceFile::new("a.sql", "CREATE TABLE a (x int);")]).await.unwrap_err();
        assert!(err.contains("is not empty"), "{err}");
        assert!(err.contains("procedure `p`, table `leftover`, view `v`"), "{err}");
        assert!(err.contains("leak into the desired state"), "{err}");
    });
}

#[test]
fn without_a_dev_database_mysql_sql_is_not_read() {
    serial(async {
        let err = load_sql(Dialect::Mysql, &[SourceFile::new("a.sql", "CREATE TABLE a (x int);")], None)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("--dev-url") && err.contains("offline parsing is not built yet"), "{err}");
    });
}

#[test]
fn statements_may_name_objects_created_further_down() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_order") else { return };
        let sql = "CREATE TABLE orders (\n  id int PRIMARY KEY,\n  user_id int,\n  \
                   CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id)\n);\n\
                   CREATE VIEW v AS SELECT id FROM later;\n\
                   CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE later (id int);\n";
        let realm = load(&dev, &[SourceFile::new("order.sql", sql)]).await.unwrap();
        let s = &realm.schemas[0];
        let fk = &s.table("orders").unwrap().foreign_keys[0];
        assert_eq!((fk.ref_table.as_str(), fk.name.as_deref()), ("users", Some("fk_user")));
        assert!(s.views.iter().any(|v| v.name == "v"), "{:?}", s.views);
        // A statement that can never run is still reported at its place.
        let never = "CREATE TABLE a (x int);\nCREATE VIEW w AS SELECT nope FROM a;\n";
        let err = load(&dev, &[SourceFile::new("never.sql", never)]).await.unwrap_err();
        assert!(err.starts_with("never.sql:2:"), "{err}");
    });
}

#[test]
fn a_chain_of_tables_written_backwards_replays_as_written_forwards() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_chain") else { return };
        // Each table refers to the next; MariaDB refuses such a key before its table exists.
        let tables: Vec<String> = (0..40)
            .map(|i| {
                let key = if i < 39 {
                    format!(", FOREIGN KEY (next) REFERENCES `Link {}` (id)", i + 1)
                } else {
                    String::new()
                };
                format!("CREATE TABLE `Link {i}` (id int PRIMARY KEY, next int{key});")
            })
            .collect();
        let forwards = tables.iter().rev().cloned().collect::<Vec<_>>().join("\n");
        let backwards = tables.join("\n");
        let expected = load(&dev, &[SourceFile::new("forwards.sql", forwards)]).await.unwrap();
        assert_eq!(expected.schemas[0].tables.len(), 40);
        assert_eq!(load(&dev, &[SourceFile::new("backwards.sql", backwards)]).await.unwrap(), expected);
        // A statement run again does not overtake the ones after it: the column added after
        // the table comes first, as it would in a file read in order.
        let sql = "ALTER TABLE t ADD COLUMN b int;\nCREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN c int;\n";
        let realm = load(&dev, &[SourceFile::new("late.sql", sql)]).await.unwrap();
        let columns: Vec<&str> = realm.schemas[0].tables[0].columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(columns, ["a", "c", "b"]);
    });
}

#[test]
fn the_first_pass_runs_every_statement_once_whatever_fails_around_it() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_batch") else { return };
        // After seven statements that run, the first pass sends eight together: statements
        // that fail for a table defined further down stand first, in the middle and last of
        // such batches; the columns added between them would fail as duplicates if they ran
        // twice, and come out in another order if they ran late. Comments end statements and
        // files without a newline.
        let first = (1..8).map(|i| format!("CREATE TABLE p{i} (id int);\n")).collect::<String>()
            + "CREATE TABLE a (id int PRIMARY KEY);\n\
               ALTER TABLE a ADD COLUMN x int;\n\
               CREATE VIEW v0 AS SELECT id FROM later;\n\
               ALTER TABLE a ADD COLUMN v int -- no newline before the end of the file";
        let second = "CREATE TABLE b (id int, FOREIGN KEY (id) REFERENCES later (id)); # fails once\n\
                      ALTER TABLE a ADD COLUMN y int # a comment, then the semicolon\n;\n\
                      CREATE INDEX ix ON later (id);\n\
                      ALTER TABLE a ADD COLUMN z int;\n\
                      CREATE TABLE later (id int PRIMARY KEY);\n\
                      ALTER TABLE a ADD COLUMN w int;\n\
                      CREATE VIEW vz AS SELECT id FROM b # no newline";
        let files = [SourceFile::new("first.sql", first), SourceFile::new("second.sql", second)];
        let realm = load(&dev, &files).await.unwrap();
        let s = &realm.schemas[0];
        let columns: Vec<&str> = s.table("a").unwrap().columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(columns, ["id", "x", "v", "y", "z", "w"]);
        assert_eq!(s.tables.len(), 10);
        assert_eq!(s.table("b").unwrap().foreign_keys[0].ref_table, "later");
        assert!(s.table("later").unwrap().indexes.iter().any(|i| i.name == "ix"), "{:?}", s.table("later"));
        let views: Vec<&str> = s.views.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(views, ["v0", "vz"]);
    });
}

#[test]
fn results_of_routines_and_calls_are_not_counted_as_statements() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_call") else { return };
        // A CALL answers with a result per SELECT of the procedure and one of its own.
        let sql = "CREATE PROCEDURE mk() BEGIN CREATE TABLE made (x int); SELECT 1; SELECT 2; END;\n\
                   CREATE TABLE before_call (x int);\nCALL mk();\nCREATE TABLE after_call (y int);\n\
                   ALTER TABLE after_call ADD COLUMN z int;\nSELECT 'a row' AS r;\nALTER TABLE made ADD COLUMN w int;\n";
        let realm = load(&dev, &[SourceFile::new("call.sql", sql)]).await.unwrap();
        let s = &realm.schemas[0];
        let columns =
            |t: &str| -> Vec<String> { s.table(t).unwrap().columns.iter().map(|c| c.name.to_string()).collect() };
        assert_eq!(columns("made"), ["x", "w"]);
        assert_eq!(columns("after_call"), ["y", "z"]);
        assert_eq!(columns("before_call"), ["x"]);
    });
}

#[test]
fn an_error_amid_statements_sent_together_is_reported_at_its_place() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_batch_err") else { return };
        // A syntax error's message quotes what follows it, which must be its own text only.
        let seven = (1..8).map(|i| format!("CREATE TABLE p{i} (id int);\n")).collect::<String>();
        let sql = format!("{seven}CREATE TABLE a (x int);\nCREATE TABLE b (y int,, z int);\nCREATE TABLE c (z int);\n");
        let err = load(&dev, &[SourceFile::new("mid.sql", sql)]).await.unwrap_err();
        assert!(
            err.starts_with("mid.sql:9:23: MariaDB rejected this statement: You have an error in your SQL syntax"),
            "{err}"
        );
        assert!(err.contains("near ' z int)' at line 1"), "{err}");
        // Nothing runs in the first pass: the error is the first statement's.
        let sql = "CREATE TABLE b (\n  y int,, z int\n);\nCREATE VIEW v AS SELECT 1 FROM nope;\nCREATE TABLE c (z int int);\n";
        let err = load(&dev, &[SourceFile::new("first.sql", sql)]).await.unwrap_err();
        assert!(err.starts_with("first.sql:2:9: MariaDB rejected this statement"), "{err}");
        assert!(err.contains("near ' z int\n)' at line 2"), "{err}");
        // Another error amid statements that run, in the second of three files.
        let files = [
            SourceFile::new("ok.sql", seven),
            SourceFile::new(
                "idx.sql",
                "CREATE TABLE s (id int);\nCREATE TABLE t (\n  id int,\n  KEY k (nope)\n);\nCREATE TABLE u (id int);\n",
            ),
            SourceFile::new("more.sql", "ALTER TABLE u ADD COLUMN v int;\n"),
        ];
        let err = load(&dev, &files).await.unwrap_err();
        assert!(
            err.starts_with("idx.sql:4:10: MariaDB rejected this statement: Key column 'nope' doesn't exist"),
            "{err}"
        );
    });
}

#[test]
fn routines_and_triggers_as_mysqldump_writes_them_replay() {
    serial(async {
        let Some(dev) = MyDb::create("myd_dev_definer") else { return };
        // mysqldump puts a DEFINER clause between CREATE and the kind of object: the body's
        // semicolons still belong to it (procedures are not in the model: this one makes a
        // table when called).
        let sql = "CREATE TABLE a (x int);\n\
                   CREATE DEFINER=CURRENT_USER PROCEDURE p() BEGIN CREATE TABLE made (y int); SELECT 2; END;\n\
                   CALL p();\n\
                   CREATE DEFINER=`root`@`%` TRIGGER a_x BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; SET NEW.x = NEW.x + 1; END;\n\
                   CREATE TABLE b (event int, begin int);\n";
        let realm = load(&dev, &[SourceFile::new("dump.sql", sql)]).await.unwrap();
        let s = &realm.schemas[0];
        assert!(s.table("made").is_some(), "{:?}", s.tables);
        assert_eq!(s.triggers.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["a_x"]);
        assert!(s.triggers[0].definition.contains("NEW.x + 1"), "{:?}", s.triggers[0]);
        assert_eq!(s.table("b").unwrap().columns.len(), 2);
    });
}
