//! Apply through the `Driver` API with hand-written statement groups: all or nothing, the
//! failed revision, verification, drift, non-transactional groups, and the lock.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use schema_e2e::pg::PgDb;
use schema_inspect::{ApplyRequest, Error, Revision, StatementGroup};
use schema_model::{realm_hash, Realm};

use crate::driver;

fn ok(_: &Realm) -> Result<(), String> {
    Ok(())
}

fn tx(statements: &[&str]) -> StatementGroup {
    StatementGroup {
        transactional: true,
        statements: statements.iter().map(|s| s.to_string()).collect(),
        timeouts: None,
    }
}

fn no_tx(statements: &[&str]) -> StatementGroup {
    StatementGroup { transactional: false, ..tx(statements) }
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
        reverse_statements: vec!["DROP TABLE \"é\"".into()],
        total: statements.len() as i64,
        pre_model: "{\"dialect\":\"postgres\"}".into(),
        ..Default::default()
    }
}

fn request<'a>(
    groups: Vec<StatementGroup>,
    verify: schema_inspect::Verifier<'a>,
    lock_timeout: Duration,
) -> ApplyRequest<'a> {
    let all: Vec<String> = groups.iter().flat_map(|g| g.statements.clone()).collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    ApplyRequest {
        revision: revision(&all),
        groups,
        expected_from_hash: None,
        verify,
        lock_timeout,
        undo: Vec::new(),
        retry: Default::default(),
        report: &|_| {},
    }
}

/// The user tables of a database, by psql.
fn tables(db: &PgDb) -> Vec<String> {
    db.exec(
        "SELECT table_schema || '.' || table_name || ':' || string_agg(column_name, ',' ORDER BY ordinal_position) \
         FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'schema_revisions') \
         GROUP BY table_schema, table_name ORDER BY 1",
    )
}

#[tokio::test]
async fn a_failing_third_statement_changes_nothing_and_is_recorded() {
    let Some(db) = PgDb::create("pgd_fail") else { return };
    db.exec("CREATE TABLE t (id int);");
    let before = tables(&db);
    let mut d = driver(&db.url()).await;
    let statements = ["CREATE TABLE a (x int)", "ALTER TABLE t ADD COLUMN y int", "ALTER TABLE nope ADD COLUMN z int"];
    let err = d.apply(request(vec![tx(&statements)], &ok, Duration::from_secs(5))).await.unwrap_err();
    match &err {
        Error::Statement { index, total, statement, reason } => {
            assert_eq!((*index, *total), (3, 3));
            assert_eq!(statement, statements[2]);
            assert_eq!(reason, "relation \"nope\" does not exist");
        }
        other => panic!("expected a statement error, got {other}"),
    }
    assert_eq!(tables(&db), before);
    let revs = d.revisions().await.unwrap();
    assert_eq!(revs.len(), 1);
    let r = &revs[0];
    assert_eq!(r.status, "failed");
    assert_eq!(r.failed_statement.as_deref(), Some(statements[2]));
    assert!(r.error.as_deref().unwrap().contains("relation \"nope\" does not exist"), "{:?}", r.error);
    assert_eq!((r.applied, r.total), (0, 3));
    // The same row, by psql.
    assert_eq!(
        db.exec("SELECT status, failed_statement, applied FROM schema_revisions.schema_revisions"),
        ["failed|ALTER TABLE nope ADD COLUMN z int|0"]
    );
}

#[tokio::test]
async fn a_verification_failure_rolls_back() {
    let Some(db) = PgDb::create("pgd_verify") else { return };
    let mut d = driver(&db.url()).await;
    let verify = |realm: &Realm| {
        // The statement did run: the re-inspection inside the transaction sees its table.
        match realm.schema("public").and_then(|s| s.table("a")) {
            Some(_) => Err("table a is not what was planned".to_string()),
            None => Ok(()),
        }
    };
    let err = d.apply(request(vec![tx(&["CREATE TABLE a (x int)"])], &verify, Duration::from_secs(5))).await;
    assert!(matches!(&err, Err(Error::Verify(m)) if m == "table a is not what was planned"), "{err:?}");
    assert_eq!(tables(&db), Vec::<String>::new());
    let revs = d.revisions().await.unwrap();
    assert_eq!(revs.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(), ["failed"]);
    assert_eq!(revs[0].failed_statement, None);
}

#[tokio::test]
async fn a_successful_apply_is_recorded_and_reads_back() {
    let Some(db) = PgDb::create("pgd_ok") else { return };
    let mut d = driver(&db.url()).await;
    assert_eq!(d.revisions().await.unwrap(), Vec::<Revision>::new());
    let from = realm_hash(&d.inspect().await.unwrap());
    let mut req =
        request(vec![tx(&["CREATE TABLE \"é\" (x int)", "CREATE INDEX i ON \"é\" (x)"])], &ok, Duration::from_secs(5));
    req.expected_from_hash = Some(from);
    let rev = d.apply(req).await.unwrap();
    assert_eq!(tables(&db), ["public.é:x"]);
    assert_eq!((rev.status.as_str(), rev.applied, rev.total), ("applied", 2, 2));
    let stored = d.revisions().await.unwrap();
    assert_eq!(stored, vec![rev.clone()]);
    assert!(rev.id > 0);
    assert_eq!(db.exec("SELECT jsonb_array_length(statements) FROM schema_revisions.schema_revisions"), ["2"]);

    // The schema moved on: a plan made against the old state is refused, and nothing is recorded.
    let mut stale = request(vec![tx(&["CREATE TABLE b (x int)"])], &ok, Duration::from_secs(5));
    stale.expected_from_hash = Some(rev.from_hash.clone() + "-old");
    assert!(matches!(d.apply(stale).await, Err(Error::Drift { .. })));
    assert_eq!(tables(&db), ["public.é:x"]);
    assert_eq!(d.revisions().await.unwrap().len(), 1);
}

#[tokio::test]
async fn non_transactional_groups_run_outside_the_transaction() {
    let Some(db) = PgDb::create("pgd_notx") else { return };
    db.exec("CREATE TABLE t (id int);");
    let mut d = driver(&db.url()).await;
    let groups = vec![
        tx(&["ALTER TABLE t ADD COLUMN a int"]),
        no_tx(&["CREATE INDEX CONCURRENTLY t_a ON t (a)"]),
        tx(&["ALTER TABLE t ADD COLUMN b int"]),
    ];
    d.apply(request(groups, &ok, Duration::from_secs(5))).await.unwrap();
    assert_eq!(tables(&db), ["public.t:id,a,b"]);
    assert_eq!(db.exec("SELECT indexname FROM pg_indexes WHERE tablename = 't'"), ["t_a"]);

    // A failure after a committed non-transactional group keeps what was committed and says so.
    let groups = vec![
        tx(&["ALTER TABLE t ADD COLUMN c int"]),
        no_tx(&["CREATE INDEX CONCURRENTLY t_c ON t (c)"]),
        tx(&["ALTER TABLE t ADD COLUMN d int", "ALTER TABLE t ADD COLUMN d int"]),
    ];
    let err = d.apply(request(groups, &ok, Duration::from_secs(5))).await.unwrap_err();
    assert!(matches!(err, Error::Statement { index: 4, total: 4, .. }), "{err}");
    assert_eq!(tables(&db), ["public.t:id,a,b,c"]);
    let last = d.revisions().await.unwrap().pop().unwrap();
    assert_eq!((last.status.as_str(), last.applied), ("failed", 2));
}

#[test]
fn a_second_apply_waits_for_the_lock_then_gives_up_cleanly() {
    let Some(db) = PgDb::create("pgd_lock") else { return };
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
                let result =
                    d.apply(request(vec![tx(&["CREATE TABLE first (x int)"])], &verify, Duration::from_secs(5)));
                result.await.map(|_| ()).map_err(|e| e.to_string())
            })
        }
    });
    holding_rx.recv_timeout(Duration::from_secs(30)).expect("the first apply reached verification");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut second = driver(&url).await;
        let started = Instant::now();
        let err = second
            .apply(request(vec![tx(&["CREATE TABLE first (x int)"])], &ok, Duration::from_millis(400)))
            .await
            .unwrap_err();
        let waited = started.elapsed();
        assert!(matches!(&err, Error::Locked(m) if m.contains("another schema apply")), "{err}");
        assert!(waited >= Duration::from_millis(400) && waited < Duration::from_millis(1400), "{waited:?}");
        // A third one with a longer timeout waits for the first to finish, then runs.
        let mut third = driver(&url).await;
        third.apply(request(vec![tx(&["CREATE TABLE third (x int)"])], &ok, Duration::from_secs(20))).await.unwrap();
    });
    first.join().unwrap().unwrap();
    assert_eq!(tables(&db), ["public.first:x", "public.third:x"]);
    assert_eq!(
        db.exec("SELECT status || ':' || (statements->>0) FROM schema_revisions.schema_revisions ORDER BY id"),
        ["applied:CREATE TABLE first (x int)", "applied:CREATE TABLE third (x int)"]
    );
}
