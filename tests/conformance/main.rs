//! Conformance against sqldef's corpus of migration cases (`shared/conformance`): one test per
//! dialect runs every applicable case through our tool and compares the live catalog with
//! an independently built reference. See `runner.rs` for the checks and the corpus README for
//! why they are what they are.

mod case;
mod engine;
mod guard;
mod hints;
mod known;
mod mysql;
mod postgres;
mod report;
mod runner;
mod sqlite;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use schema_e2e::{conformance_dir, in_ci};

use crate::case::{gate, load_dir, Case};
use crate::engine::Engine;
use crate::runner::{run_case, CaseResult};

/// Runs `cases` on a few named worker threads; results come back in the cases' order.
fn run_all<E: Engine>(engine: &E, cases: &[Case]) -> Vec<CaseResult> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|s| {
        for i in 0..engine.workers() {
            let (next, slots) = (&next, &slots);
            std::thread::Builder::new()
                .name(format!("{}{i}", guard::WORKER))
                .spawn_scoped(s, move || {
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = cases.get(n) else { break };
                        let result = run_case(engine, case);
                        slots.lock().unwrap_or_else(|e| e.into_inner())[n] = Some(result);
                    }
                    engine.worker_done();
                })
                .expect("a worker thread");
        }
    });
    let slots = slots.into_inner().unwrap_or_else(|e| e.into_inner());
    slots.into_iter().map(|r| r.expect("every case ran")).collect()
}

/// The whole run of one dialect: gates, cases, report, known-failure comparison.
fn conform<E: Engine>(engine: &E) {
    let dialect = engine.name();
    let label = engine.label();
    let Some(root) = conformance_dir().filter(|d| d.exists()) else {
        assert!(!in_ci(), "the conformance corpus is missing (set SCHEMA_CONFORMANCE_DIR)");
        println!("skipping {dialect} conformance: corpus not found (set SCHEMA_CONFORMANCE_DIR)");
        return;
    };
    let started = Instant::now();
    let server = engine.server().unwrap_or_else(|e| panic!("{dialect}: {e}"));
    let all = load_dir(&root.join("sqldef").join(dialect)).unwrap_or_else(|e| panic!("{e}"));
    // SCHEMA_CONFORMANCE_CASES=A,B runs only those cases (for debugging; nothing is compared
    // with the known-failure list and nothing is written).
    let only: Option<Vec<String>> =
        std::env::var("SCHEMA_CONFORMANCE_CASES").ok().map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let all: Vec<Case> = all.into_iter().filter(|c| only.as_ref().is_none_or(|o| o.contains(&c.name))).collect();
    let (mut cases, mut skipped) = (Vec::new(), Vec::new());
    for c in all {
        match gate(&c, &server).or_else(|| engine.unavailable(&c)) {
            None => cases.push(c),
            Some(why) => skipped.push(why),
        }
    }
    let results = run_all(engine, &cases);
    let totals = report::Totals::new(&results, &skipped);
    print!("{}", report::text(&label, &results, &totals));
    println!(
        "{label}: {} cases in {:.1} s on {} threads (server {})",
        results.len(),
        started.elapsed().as_secs_f64(),
        engine.workers(),
        server.version
    );
    if only.is_some() {
        println!("{label}: SCHEMA_CONFORMANCE_CASES is set; the known-failure list is not compared");
        return;
    }
    let list_path = known::path(&label);
    let list = known::read(&list_path).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var("SCHEMA_WRITE_CONFORMANCE").is_ok_and(|v| v == "1") {
        report::write_markdown(&label, &engine.mode(), &results, &totals, &list)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", report::markdown_path().display()));
    }
    let problems = known::mismatches(&results, &list);
    assert!(
        problems.is_empty(),
        "{label} conformance disagrees with {}:\n{}",
        list_path.display(),
        problems.join("\n")
    );
}

#[test]
fn sqlite_conformance() {
    conform(&sqlite::Sqlite);
}

/// PostgreSQL with a dev database (`--dev-url`), the exact mode. It runs beside the offline run
/// (the replays create no databases any more, so the server is no longer the bottleneck:
/// together they took 694 s where one after the other took 1,059 s). `SCHEMA_CONFORMANCE_MODE=offline`
/// runs this test without one instead (the same as `postgres_offline_conformance`).
#[test]
fn postgres_conformance() {
    let mode = match std::env::var("SCHEMA_CONFORMANCE_MODE").as_deref() {
        Ok("offline") => postgres::Mode::Offline,
        Ok("dev") | Err(_) => postgres::Mode::Dev,
        Ok(other) => panic!("SCHEMA_CONFORMANCE_MODE={other:?}: expected `dev` or `offline`"),
    };
    if let Some(engine) = postgres::Postgres::connect(mode) {
        conform(&engine);
        let created = engine.databases_created();
        println!("postgres: {created} databases created for cases since this run began (any run), the rest reused");
    }
}

/// PostgreSQL without a dev database: desired SQL parsed offline. Skipped, with a message, as
/// long as `schema plan` answers that PostgreSQL SQL needs `--dev-url`.
#[test]
fn postgres_offline_conformance() {
    if std::env::var("SCHEMA_CONFORMANCE_MODE").is_ok_and(|m| m == "offline") {
        println!("skipping postgres-offline: postgres_conformance runs in offline mode already");
        return;
    }
    let Some(engine) = postgres::Postgres::connect(postgres::Mode::Offline) else { return };
    if let Some(why) = engine.offline_unsupported() {
        println!("skipping postgres-offline conformance: {why}");
        return;
    }
    conform(&engine);
}

/// MySQL/MariaDB with a dev database (`--dev-url`). MySQL SQL has no offline path: the run
/// says so (from the tool's own answer) and runs with a dev database only.
#[test]
fn mysql_conformance() {
    let Some(engine) = mysql::Mysql::connect() else { return };
    if let Some(why) = engine.offline_unsupported() {
        println!("mysql: no offline run: `schema plan` without --dev-url answers: {why}");
    }
    conform(&engine);
}

/// The `error` path, which the SQLite corpus does not exercise: a refusal passes, an accepted
/// plan is `not refused`.
#[test]
fn error_cases_need_a_refusal() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let yaml = "Broken:\n  current: 'CREATE TABLE t (a int);'\n  desired: 'CREATE TABLE t (a int'\n  error: x\n\
                Fine:\n  current: 'CREATE TABLE t (a int);'\n  desired: 'CREATE TABLE t (a int, b int);'\n  error: x\n";
    std::fs::write(dir.path().join("tests.yml"), yaml).expect("write");
    let cases = load_dir(dir.path()).expect("cases");
    let results = run_all(&sqlite::Sqlite, &cases);
    let (broken, fine) = (&results[0], &results[1]);
    assert!(broken.forward && broken.failure.is_none(), "{broken:?}");
    let class = fine.failure.as_ref().map(|f| f.class);
    assert_eq!(class, Some(runner::Class::NotRefused), "{fine:?}");
}
