//! Conformance against sqldef's corpus of migration cases (`shared/conformance`): one test per
//! dialect runs every applicable case through our tool and compares the live catalog with
//! an independently built reference. See `runner.rs` for the checks and the corpus README for
//! why they are what they are.

mod case;
mod engine;
mod guard;
mod hints;
mod known;
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

/// Worker threads per dialect: cases are independent, each with its own files.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
}

/// Runs `cases` on a few named worker threads; results come back in the cases' order.
fn run_all<E: Engine>(engine: &E, cases: &[Case]) -> Vec<CaseResult> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|s| {
        for i in 0..workers() {
            let (next, slots) = (&next, &slots);
            std::thread::Builder::new()
                .name(format!("{}{i}", guard::WORKER))
                .spawn_scoped(s, move || loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(n) else { break };
                    let result = run_case(engine, case);
                    slots.lock().unwrap_or_else(|e| e.into_inner())[n] = Some(result);
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
    let Some(root) = conformance_dir().filter(|d| d.exists()) else {
        assert!(!in_ci(), "the conformance corpus is missing (set SCHEMA_CONFORMANCE_DIR)");
        println!("skipping {dialect} conformance: corpus not found (set SCHEMA_CONFORMANCE_DIR)");
        return;
    };
    let started = Instant::now();
    let server = engine.server().unwrap_or_else(|e| panic!("{dialect}: {e}"));
    let all = load_dir(&root.join("sqldef").join(dialect)).unwrap_or_else(|e| panic!("{e}"));
    let (mut cases, mut skipped) = (Vec::new(), Vec::new());
    for c in all {
        match gate(&c, &server) {
            None => cases.push(c),
            Some(why) => skipped.push(why),
        }
    }
    let results = run_all(engine, &cases);
    let totals = report::Totals::new(&results, &skipped);
    print!("{}", report::text(dialect, &results, &totals));
    println!(
        "{dialect}: {} cases in {:.1} s on {} threads (server {})",
        results.len(),
        started.elapsed().as_secs_f64(),
        workers(),
        server.version
    );
    let list_path = known::path(dialect);
    let list = known::read(&list_path).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var("SCHEMA_WRITE_CONFORMANCE").is_ok_and(|v| v == "1") {
        report::write_markdown(dialect, &results, &totals, &list)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", report::markdown_path().display()));
    }
    let problems = known::mismatches(&results, &list);
    assert!(
        problems.is_empty(),
        "{dialect} conformance disagrees with {}:\n{}",
        list_path.display(),
        problems.join("\n")
    );
}

#[test]
fn sqlite_conformance() {
    conform(&sqlite::Sqlite);
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
