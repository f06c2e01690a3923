//! Transactional apply on PostgreSQL: a failure changes nothing and is recorded; concurrent
//! applies never run twice.

use schema_e2e::pg::PgDb;
use schema_e2e::pg_catalog::snapshot;
use schema_e2e::{schema, Scratch};

use crate::harness::ALLOW_ALL;

#[test]
fn a_failing_statement_mid_plan_changes_nothing_and_is_recorded() {
    let (Some(a), Some(dev)) = (PgDb::create("schema_e2e"), PgDb::create("schema_e2e_dev")) else { return };
    a.exec("CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'not a number');");
    let before = snapshot(&a.url());
    let s = Scratch::new();
    // The type change of b fails on the existing row, after other steps already ran.
    let to =
        s.write("to.sql", "CREATE TABLE t (a int, b int, c text); CREATE TABLE u (x int); CREATE INDEX t_a ON t (a);");
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
    assert!(run.stderr.contains("invalid input syntax for type integer"), "{}", run.stderr);
    assert_eq!(snapshot(&a.url()), before, "nothing may remain of a failed apply");
    let rows =
        a.exec("SELECT status, failed_statement IS NOT NULL, applied < total FROM schema_revisions.schema_revisions");
    assert_eq!(rows, ["failed|t|t"]);
}

#[test]
fn dropping_is_refused_without_allow_destructive() {
    let (Some(a), Some(dev)) = (PgDb::create("schema_e2e"), PgDb::create("schema_e2e_dev")) else { return };
    a.exec("CREATE TABLE t (a int); CREATE TABLE gone (b int);");
    let before = snapshot(&a.url());
    let s = Scratch::new();
    let to = s.write("to.sql", "CREATE TABLE t (a int);");
    let run = schema(&["apply", "--url", &a.url(), "--to", &to, "--dev-url", &dev.url(), "--auto-approve"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("DS102 table public.gone"), "{}", run.stderr);
    assert_eq!(snapshot(&a.url()), before);
}

#[test]
fn concurrent_applies_run_once() {
    let (Some(a), Some(dev1), Some(dev2)) =
        (PgDb::create("schema_e2e"), PgDb::create("schema_e2e_dev"), PgDb::create("schema_e2e_dev"))
    else {
        return;
    };
    let s = Scratch::new();
    let to = s.write("to.sql", "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);");
    let (url, d1, d2) = (a.url(), dev1.url(), dev2.url());
    let runs: Vec<_> = [d1, d2]
        .into_iter()
        .map(|dev| {
            let (url, to) = (url.clone(), to.clone());
            std::thread::spawn(move || {
                schema(&[
                    "apply",
                    "--url",
                    &url,
                    "--to",
                    &to,
                    "--dev-url",
                    &dev,
                    "--auto-approve",
                    "--lock-timeout",
                    "30s",
                ])
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    for r in &runs {
        // The loser either waited and found nothing to do, or failed cleanly on drift.
        assert!(r.code == 0 || r.code == 4, "{}{}", r.stdout, r.stderr);
    }
    assert_eq!(a.exec("SELECT count(*) FROM schema_revisions.schema_revisions WHERE status = 'applied'"), ["1"]);
    assert_eq!(a.exec("SELECT count(*) FROM pg_indexes WHERE indexname = 't_a'"), ["1"]);
}
