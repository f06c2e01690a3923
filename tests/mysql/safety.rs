//! Apply on MySQL: DDL commits itself, so a failure undoes the steps already done, in reverse.

use schema_e2e::my::MyDb;
use schema_e2e::my_catalog::snapshot;
use schema_e2e::{schema, Scratch};

use crate::harness::ALLOW_ALL;

#[test]
fn a_failure_on_the_fourth_step_leaves_the_database_as_before_the_first() {
    let (Some(a), Some(dev)) = (MyDb::create("schema_e2e"), MyDb::create("schema_e2e_dev")) else { return };
    a.exec("CREATE TABLE a1 (x int); CREATE TABLE a2 (x int); CREATE TABLE a3 (x int); CREATE TABLE a4 (x int, v varchar(10)); INSERT INTO a4 VALUES (1, 'a'), (2, 'b');");
    let before = snapshot(&a.url());
    let s = Scratch::new();
    // Steps 1-3 alter a1..a3; step 4 adds a check the rows break (no live check predicts a
    // check, so the failure happens while applying).
    let to = s.write("to.sql", "CREATE TABLE a1 (x int, y int); CREATE TABLE a2 (x int, y int); CREATE TABLE a3 (x int, y int); CREATE TABLE a4 (x int, v varchar(10), CONSTRAINT a4_x CHECK (x > 5));");
    let run = schema(&[
        "apply",
        "--url",
        &a.url(),
        "--to",
        &to,
        "--dev-url",
        &dev.url(),
        "--auto-approve",
        "--allow",
        ALLOW_ALL,
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("4. alter table `a4`"), "the failing step is the fourth:\n{}", run.stdout);
    assert!(run.stderr.contains("a4_x"), "{}", run.stderr);
    assert_eq!(snapshot(&a.url()), before, "the first three steps must have been undone");
    let rows = a.exec("SELECT status, applied, total FROM schema_revisions");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].starts_with("failed\t3\t4"), "{rows:?}");
}

#[test]
fn dropping_is_refused_without_allow_destructive() {
    let (Some(a), Some(dev)) = (MyDb::create("schema_e2e"), MyDb::create("schema_e2e_dev")) else { return };
    a.exec("CREATE TABLE t (a int, gone int);");
    let before = snapshot(&a.url());
    let s = Scratch::new();
    let to = s.write("to.sql", "CREATE TABLE t (a int);");
    let run = schema(&["apply", "--url", &a.url(), "--to", &to, "--dev-url", &dev.url(), "--auto-approve"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("DS103 column t.gone"), "{}", run.stderr);
    assert_eq!(snapshot(&a.url()), before);
}
