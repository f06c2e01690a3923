//! Apply through the `Driver` API with hand-written statements and undo lists: MySQL DDL
//! commits itself, so a failure undoes the statements already run, last first, and the
//! revision row records progress, the failure and whether the way back worked. Checks of the
//! database use the independent catalog snapshot (mysql client), never our inspector.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use schema_e2e::my::MyDb;
use schema_e2e::my_catalog::snapshot;
use schema_inspect::{ApplyRequest, Error, Revision, StatementGroup, Verifier};
use schema_model::{realm_hash, Realm};

use crate::driver;

fn ok(_: &Realm) -> Result<(), String> {
    Ok(())
}

fn revision(statements: &[&str]) -> Revision {
    Revision {
        kind: "apply".into(),
        actor: "tester".into(),
        started_at: "2024-05-01T12:00:00Z".into(),
        tool_version: "0.1.0".into(),
        plan_hash: "plan".into(),
        from_hash: "from".into(),
        to_hash: "to".into(),
        statements: statements.iter().map(|s| s.to_string()).collect(),
        reverse_statements: vec!["DROP TABLE `é`".into()],
        total: statements.len() as i64,
        pre_model: "{\"dialect\":\"mysql\"}".into(),
        ..Default::default()
    }
}

/// A request of `(statement, its undo)` pairs, in one group (MySQL ignores grouping).
fn request<'a>(steps: &[(&str, &[&str])], verify: Verifier<'a>, lock_timeout: Duration) -> ApplyRequest<'a> {
    let statements: Vec<&str> = steps.iter().map(|(s, _)| *s).collect();
    ApplyRequest {
        groups: vec![StatementGroup {
            transactional: false,
            statements: statements.iter().map(|s| s.to_string()).collect(),
            timeouts: None,
        }],
        expected_from_hash: None,
        verify,
        revision: revision(&statements),
        lock_timeout,
        undo: steps.iter().map(|(_, u)| u.iter().map(|s| s.to_string()).collect()).collect(),
        retry: Default::default(),
        report: &|_| {},
    }
}

/// The revision rows as the client reads them: status, applied, total, failed statement.
fn rows(db: &MyDb) -> Vec<String> {
    db.exec("SELECT status, applied, total, coalesce(failed_statement, '-') FROM schema_revisions ORDER BY id")
}

#[tokio::test]
async fn a_failure_on_the_fourth_statement_undoes_the_first_three() {
    let Some(db) = MyDb::create("myd_fail") else { return };
    db.exec("CREATE TABLE t (id int PRIMARY KEY, name varchar(20)); INSERT INTO t VALUES (1, 'a'), (2, 'b');");
    let before = snapshot(&db.url());
    assert!(before.contains("column\tt\t2\tname\tvarchar(20)\tYES\tNULL"), "{before}");
    assert!(before.contains("index\tt\tPRIMARY\t0\t1\tid\tA"), "{before}");
    let steps: &[(&str, &[&str])] = &[
        ("ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT 5 AFTER id", &["ALTER TABLE t DROP COLUMN a"]),
        ("CREATE TABLE u (id int)", &["DROP TABLE u"]),
        ("CREATE INDEX t_name ON t (name)", &["DROP INDEX t_name ON t"]),
        ("ALTER TABLE nope ADD COLUMN z int", &[]),
        ("CREATE TABLE never (x int)", &["DROP TABLE never"]),
    ];
    let mut d = driver(&db.url()).await;
    let err = d.apply(request(steps, &ok, Duration::from_secs(5))).await.unwrap_err();
    match &err {
        Error::Statement { index, total, statement, reason } => {
            assert_eq!((*index, *total), (4, 5));
            assert_eq!(statement, steps[3].0);
            assert_eq!(
                reason,
                &format!("Table '{}.nope' doesn't exist; the 3 statements already applied were undone", db.name)
            );
        }
        other => panic!("expected a statement error, got {other}"),
    }
    // As it was before the first statement, data included.
    assert_eq!(snapshot(&db.url()), before);
    assert_eq!(db.exec("SELECT id, name FROM t ORDER BY id"), ["1\ta", "2\tb"]);
    assert_eq!(rows(&db), [format!("failed\t3\t5\t{}", steps[3].0)]);
    let revs = d.revisions().await.unwrap();
    assert_eq!(revs.len(), 1);
    let error = revs[0].error.as_deref().unwrap();
    assert!(error.starts_with("statement 4 of 5 failed: Table"), "{error}");
    assert!(error.contains("the 3 statements already applied were undone"), "{error}");
    assert_eq!(revs[0].statements.len(), 5);
}

#[tokio::test]
async fn an_undo_that_cannot_finish_says_what_remains() {
    let Some(db) = MyDb::create("myd_undo") else { return };
    let mut d = driver(&db.url()).await;
    // The reverse of the second statement fails: undoing stops there, the first stays too.
    let steps: &[(&str, &[&str])] = &[
        ("CREATE TABLE a (x int)", &["DROP TABLE a"]),
        ("CREATE TABLE b (x int)", &["DROP TABLE not_b"]),
        ("CREATE TABLE a (x int)", &[]),
    ];
    let err = d.apply(request(steps, &ok, Duration::from_secs(5))).await.unwrap_err().to_string();
    assert!(err.contains("Table 'a' already exists; undoing stopped: the reverse of statement 2 failed"), "{err}");
    assert!(err.contains("statements 1 to 2 remain applied"), "{err}");
    assert_eq!(db.exec("SHOW TABLES LIKE '_'"), ["a", "b"]);
    assert_eq!(rows(&db), ["failed_undo_incomplete\t2\t3\tCREATE TABLE a (x int)"]);

    // A statement whose reverse is unknown stops undoing too.
    let steps: &[(&str, &[&str])] = &[
        ("CREATE TABLE c (x int)", &["DROP TABLE c"]),
        ("CREATE TABLE d (x int)", &[]),
        ("CREATE TABLE c (x int)", &[]),
    ];
    let err = d.apply(request(steps, &ok, Duration::from_secs(5))).await.unwrap_err().to_string();
    assert!(err.contains("undoing stopped: statement 2 has no known reverse"), "{err}");
    let revs = d.revisions().await.unwrap();
    assert_eq!(revs.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(), ["failed_undo_incomplete"; 2]);
}

#[tokio::test]
async fn a_verification_failure_undoes_everything() {
    let Some(db) = MyDb::create("myd_verify") else { return };
    let before = snapshot(&db.url());
    let mut d = driver(&db.url()).await;
    let verify = |realm: &Realm| {
        // The statements did run: the re-inspection sees their table.
        match realm.schemas[0].table("a") {
            Some(_) => Err("table a is not what was planned".to_string()),
            None => Ok(()),
        }
    };
    let steps: &[(&str, &[&str])] =
        &[("CREATE TABLE a (x int)", &["DROP TABLE a"]), ("CREATE INDEX ax ON a (x)", &["DROP INDEX ax ON a"])];
    let err = d.apply(request(steps, &verify, Duration::from_secs(5))).await.unwrap_err();
    assert!(
        matches!(&err, Error::Verify(m)
            if m == "table a is not what was planned\n(the 2 statements already applied were undone)"),
        "{err:?}"
    );
    assert_eq!(snapshot(&db.url()), before);
    assert_eq!(rows(&db), ["failed\t2\t2\t-"]);
}

#[tokio::test]
async fn a_successful_apply_records_its_progress_and_reads_back() {
    let Some(db) = MyDb::create("myd_ok") else { return };
    let mut d = driver(&db.url()).await;
    assert_eq!(d.revisions().await.unwrap(), Vec::<Revision>::new());
    let from = realm_hash(&d.inspect().await.unwrap());
    // While verifying, the row says how far the apply got.
    let verify = |_: &Realm| match rows(&db).as_slice() {
        [row] if row == "running\t2\t2\t-" => Ok(()),
        other => Err(format!("progress not recorded: {other:?}")),
    };
    let steps: &[(&str, &[&str])] =
        &[("CREATE TABLE `é` (x int)", &["DROP TABLE `é`"]), ("CREATE INDEX i ON `é` (x)", &["DROP INDEX i ON `é`"])];
    let mut req = request(steps, &verify, Duration::from_secs(5));
    req.expected_from_hash = Some(from);
    let rev = d.apply(req).await.unwrap();
    assert_eq!((rev.status.as_str(), rev.applied, rev.total), ("applied", 2, 2));
    assert!(rev.id > 0);
    assert_eq!(d.revisions().await.unwrap(), vec![rev.clone()]);
    assert_eq!(rows(&db), ["applied\t2\t2\t-"]);
    assert_eq!(db.exec("SELECT JSON_LENGTH(statements) FROM schema_revisions"), ["2"]);
    // The audit table is never reported.
    let realm = d.inspect().await.unwrap();
    let tables: Vec<&str> = realm.schemas[0].tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tables, ["é"]);

    // The schema moved on: a plan made against the old state is refused, and nothing is recorded.
    let mut stale = request(&[("CREATE TABLE b (x int)", &["DROP TABLE b"])], &ok, Duration::from_secs(5));
    stale.expected_from_hash = Some(rev.from_hash.clone() + "-old");
    assert!(matches!(d.apply(stale).await, Err(Error::Drift { .. })));
    assert_eq!(db.exec("SHOW TABLES LIKE 'b'"), Vec::<String>::new());
    assert_eq!(d.revisions().await.unwrap().len(), 1);
}

#[test]
fn a_second_apply_waits_for_the_lock_then_gives_up_cleanly() {
    let Some(db) = MyDb::create("myd_lock") else { return };
    let url = db.url();
    let (holding_tx, holding_rx) = mpsc::channel();
    // The first apply holds the lock while its verification sleeps, on a thread of its own.
    let first = std::thread::spawn({
        let url = url.clone();
        move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let verify = move |_: &Realm| {
                    holding_tx.send(()).unwrap();
                    std::thread::sleep(Duration::from_millis(1500));
                    Ok(())
                };
                let mut d = driver(&url).await;
                let steps: &[(&str, &[&str])] = &[("CREATE TABLE first (x int)", &["DROP TABLE first"])];
                d.apply(request(steps, &verify, Duration::from_secs(5))).await.map(|_| ()).map_err(|e| e.to_string())
            })
        }
    });
    holding_rx.recv_timeout(Duration::from_secs(30)).expect("the first apply reached verification");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut second = driver(&url).await;
        let started = Instant::now();
        let steps: &[(&str, &[&str])] = &[("CREATE TABLE second (x int)", &["DROP TABLE second"])];
        let err = second.apply(request(steps, &ok, Duration::from_millis(400))).await.unwrap_err();
        let waited = started.elapsed();
        assert!(matches!(&err, Error::Locked(m) if m.contains("another schema apply")), "{err}");
        assert!(waited >= Duration::from_millis(400) && waited < Duration::from_millis(1400), "{waited:?}");
        // A third one with a longer timeout waits for the first to finish, then runs.
        let mut third = driver(&url).await;
        let steps: &[(&str, &[&str])] = &[("CREATE TABLE third (x int)", &["DROP TABLE third"])];
        third.apply(request(steps, &ok, Duration::from_secs(20))).await.unwrap();
    });
    first.join().unwrap().unwrap();
    assert_eq!(db.exec("SHOW TABLES LIKE '%ir%'"), ["first", "third"]);
    assert_eq!(
        db.exec("SELECT concat(status, ':', JSON_VALUE(statements, '$[0]')) FROM schema_revisions ORDER BY id"),
        ["applied:CREATE TABLE first (x int)", "applied:CREATE TABLE third (x int)"]
    );
}
