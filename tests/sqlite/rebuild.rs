//! Table rebuilds keep every row and every value that fits the new definition.

use crate::harness::converge;

#[test]
fn a_rebuild_keeps_rows_through_type_not_null_fk_and_check_changes() {
    let before = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, qty TEXT, note TEXT, parent_id INTEGER);
        CREATE INDEX item_note ON item (note);";
    let seed = "INSERT INTO parent VALUES (1, 'p1'), (2, 'p2');
        INSERT INTO item (qty, note, parent_id) VALUES ('5', 'a', 1), ('7', NULL, 2), ('9', 'c', NULL), ('11', 'gone', 1);
        DELETE FROM item WHERE note = 'gone';";
    let after = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE item (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          qty INTEGER CHECK (qty > 0),
          note TEXT NOT NULL DEFAULT 'none',
          parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE
        );
        CREATE INDEX item_note ON item (note);";
    let a = converge(before, after, seed);
    assert!(a.stdout.contains("rebuild table \"item\""), "{}", a.stdout);
    // Every row survives; the type change converted the text digits to integers; the NULL
    // note took the new default.
    assert_eq!(
        a.rows("SELECT id, qty, typeof(qty), note, coalesce(parent_id, '-') FROM item ORDER BY id"),
        ["1|5|integer|a|1", "2|7|integer|none|2", "3|9|integer|c|-"]
    );
    // The AUTOINCREMENT counter still remembers the deleted row 4.
    assert_eq!(a.rows("SELECT seq FROM sqlite_sequence WHERE name = 'item'"), ["4"]);
    assert_eq!(a.rows("INSERT INTO item (qty) VALUES (1) RETURNING id"), ["5"]);
    // The new FK and CHECK are enforced.
    let fk = std::process::Command::new("sqlite3")
        .arg(a.scratch.path("a.db"))
        .arg("PRAGMA foreign_keys=ON; INSERT INTO item (qty, parent_id) VALUES (1, 99);")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&fk.stderr).contains("FOREIGN KEY constraint failed"));
    let check = std::process::Command::new("sqlite3")
        .arg(a.scratch.path("a.db"))
        .arg("INSERT INTO item (qty) VALUES (0);")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&check.stderr).contains("CHECK constraint failed"));
}

#[test]
fn a_declared_column_rename_inside_a_rebuild_keeps_the_data() {
    let before = "CREATE TABLE t (a INTEGER, b TEXT);";
    let after = "CREATE TABLE t (\n  a INTEGER NOT NULL DEFAULT 0,\n  c TEXT -- schema:renamed-from b\n);";
    let applied = converge(before, after, "INSERT INTO t VALUES (1, 'one'), (NULL, 'two');");
    assert_eq!(applied.rows("SELECT a, c FROM t ORDER BY c"), ["1|one", "0|two"]);
}

#[test]
fn a_rebuild_that_breaks_a_foreign_key_changes_nothing() {
    let scratch = schema_e2e::Scratch::new();
    let db = scratch.path("a.db");
    schema_e2e::sqlite_catalog::load(
        &db,
        "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER); INSERT INTO c VALUES (42);",
    );
    let before = schema_e2e::sqlite_catalog::snapshot(&db);
    let to = scratch.write(
        "after.sql",
        "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p (id));",
    );
    let url = scratch.sqlite_url("a.db");
    let run = schema_e2e::schema(&[
        "apply",
        "--url",
        &url,
        "--to",
        &to,
        "--auto-approve",
        "--allow",
        crate::harness::ALLOW_ALL,
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("violate foreign keys"), "{}", run.stderr);
    assert_eq!(schema_e2e::sqlite_catalog::snapshot(&db), before, "a failed apply must leave the database as it was");
    let history = schema_e2e::schema(&["history", "--url", &url, "--format", "json"]);
    let revs: serde_json::Value = serde_json::from_str(&history.stdout).unwrap();
    assert_eq!(revs[0]["status"], "failed");
    assert_eq!(revs[0]["applied"], revs[0]["total"], "every statement ran before the foreign key check failed");
}
