//! Bad input gets a clear error naming the file, line and object, and changes nothing.

use schema_e2e::sqlite_catalog::{load, snapshot};
use schema_e2e::{schema, Scratch};

/// A database with one table and a row, and its snapshot.
fn existing() -> (Scratch, String, String) {
    let s = Scratch::new();
    load(&s.path("a.db"), "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);");
    let snap = snapshot(&s.path("a.db"));
    let url = s.sqlite_url("a.db");
    (s, url, snap)
}

#[test]
fn a_missing_file() {
    let (s, url, snap) = existing();
    let missing = s.path("nope.sql").display().to_string();
    let run = schema(&["apply", "--url", &url, "--to", &missing, "--auto-approve"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot read") && run.stderr.contains("nope.sql"), "{}", run.stderr);
    assert_eq!(snapshot(&s.path("a.db")), snap);
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    let (s, url, snap) = existing();
    let bad = s.write("bad.sql", "CREATE TABLE t (a INTEGER);\nCREATE TABLE u (\n  b INTEGER,,\n  c TEXT\n);\n");
    let run = schema(&["apply", "--url", &url, "--to", &bad, "--auto-approve"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad.sql:3:13"), "{}", run.stderr);
    assert!(run.stderr.contains("near \",\": syntax error"), "{}", run.stderr);
    assert!(run.stderr.contains("3 │   b INTEGER,,"), "the report shows the line:\n{}", run.stderr);
    assert_eq!(snapshot(&s.path("a.db")), snap);
}

#[test]
fn a_statement_sqlite_rejects_names_the_object() {
    let (s, url, snap) = existing();
    let bad = s.write("bad.sql", "CREATE TABLE t (a INTEGER);\nCREATE INDEX i ON missing_table (a);\n");
    let run = schema(&["plan", "--url", &url, "--to", &bad]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("bad.sql:2:1") && run.stderr.contains("no such table: main.missing_table"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&s.path("a.db")), snap);
}

#[test]
fn a_misplaced_rename_directive() {
    let (s, url, _) = existing();
    let bad = s.write("bad.sql", "CREATE TABLE t (\n  a INTEGER,\n  CHECK (a > 0) -- schema:renamed-from x\n);\n");
    let run = schema(&["plan", "--url", &url, "--to", &bad]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad.sql:3:17") && run.stderr.contains("renamed-from directive"), "{}", run.stderr);
}

#[test]
fn malformed_and_unreachable_urls() {
    let s = Scratch::new();
    let to = s.write("a.sql", "CREATE TABLE t (a INTEGER);");
    let run = schema(&["plan", "--url", "oracle://x", "--to", &to]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad database URL oracle://x"), "{}", run.stderr);
    let missing = s.sqlite_url("missing.db");
    let run = schema(&["plan", "--url", &missing, "--to", &to]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!s.path("missing.db").exists(), "planning must not create the file");
    let run = schema(&["apply", "--url", "sqlite:///nonexistent-dir/x.db", "--to", &to, "--auto-approve"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot connect to sqlite:///nonexistent-dir/x.db"), "{}", run.stderr);
}

#[test]
fn passwords_in_urls_are_never_printed() {
    let s = Scratch::new();
    let to = s.write("a.sql", "CREATE TABLE t (a INTEGER);");
    let run = schema(&["diff", "--from", "postgres://admin:hunter2@127.0.0.1:1/db", "--to", &to]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"), "{}", run.stderr);
}

#[test]
fn an_empty_directory_is_an_error() {
    let (s, url, _) = existing();
    std::fs::create_dir_all(s.path("empty")).unwrap();
    let dir = s.path("empty").display().to_string();
    let run = schema(&["plan", "--url", &url, "--to", &dir]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("holds no .sql or .hcl file"), "{}", run.stderr);
}

#[test]
fn a_virtual_table_is_refused_by_name_and_its_shadow_tables_are_not_mentioned() {
    let s = Scratch::new();
    load(&s.path("v.db"), "CREATE TABLE t (a INTEGER); CREATE VIRTUAL TABLE \"Docs\" USING fts5(body);");
    let run = schema(&["inspect", "--url", &s.sqlite_url("v.db")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("table Docs is a virtual table"), "{}", run.stderr);
    assert!(!run.stderr.contains("Docs_config") && !run.stderr.contains("Docs_data"), "{}", run.stderr);
}
