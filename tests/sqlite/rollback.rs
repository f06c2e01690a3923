//! Rollback acceptance on SQLite: a new table, a column type change (a table rebuild) and a
//! new index are undone, the catalog equals the snapshot from before, and the rows are kept.

use schema_e2e::sqlite_catalog::{load, snapshot};
use schema_e2e::{schema, Scratch};

use crate::harness::ALLOW_ALL;

#[test]
fn rollback_after_table_type_change_and_index_restores_the_catalog() {
    let s = Scratch::new();
    let db = s.path("a.db");
    let url = s.sqlite_url("a.db");
    load(
        &db,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, note VARCHAR(20));
         WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 50)
         INSERT INTO t SELECT i, i * 10, 'row ' || i FROM g;",
    );
    let before = snapshot(&db);
    let to = s.write(
        "after.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, n BIGINT NOT NULL, note VARCHAR(20));
         CREATE INDEX t_note ON t (note);
         CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, t_id INTEGER REFERENCES t (id));",
    );
    let run = schema(&["apply", "--url", &url, "--to", &to, "--auto-approve", "--allow", ALLOW_ALL]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for expected in ["CREATE TABLE \"audit\"", "\"n\" BIGINT NOT NULL", "CREATE INDEX \"t_note\""] {
        assert!(run.stdout.contains(expected), "missing {expected:?} in the apply:\n{}", run.stdout);
    }
    assert_ne!(snapshot(&db), before);
    let back = schema(&["rollback", "--url", &url, "--auto-approve", "--allow", ALLOW_ALL]);
    assert_eq!(back.code, 0, "{}{}", back.stdout, back.stderr);
    assert_eq!(snapshot(&db), before, "rollback brings the catalog back\nrollback plan:\n{}", back.stdout);
    let history = schema(&["history", "--url", &url, "--format", "json"]);
    let revs: serde_json::Value = serde_json::from_str(&history.stdout).expect("history is JSON");
    assert_eq!(revs[1]["kind"], "rollback");
    assert_eq!(revs[1]["status"], "applied");
    let rows = std::process::Command::new("sqlite3").arg(&db).arg("SELECT count(*), sum(n), max(note) FROM t").output();
    assert_eq!(String::from_utf8_lossy(&rows.expect("sqlite3").stdout).trim(), "50|12750|row 9");
}
