//! Online steps under contention on the live server: a second connection holds a lock the
//! plan needs, every step runs with `lock_timeout`, and a step that gives up is retried; a
//! concurrent index build that gave up leaves an INVALID index, which is dropped before the
//! retry. With the lock never released the apply fails cleanly and records the failure.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use schema_e2e::pg::{block_on, connect, PgDb};
use schema_e2e::pg_catalog::snapshot;
use schema_e2e::{schema, Scratch};

use crate::harness::ALLOW_ALL;

/// Sessions of this database other than the asking one that wait for a lock.
const WAITING: &str = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
    AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()";

/// A second connection that holds a lock in an open transaction.
struct Holder {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<Result<bool, String>>,
}

impl Holder {
    /// Runs `BEGIN; hold` and keeps the transaction open. With `after_first_timeout`, commits
    /// as soon as another session was seen waiting for a lock and then no longer waiting (its
    /// first attempt gave up); otherwise only when stopped. Returns once the lock is held.
    fn start(url: &str, hold: &str, after_first_timeout: bool) -> Holder {
        let (url, hold) = (url.to_string(), hold.to_string());
        let (stop, stopped) = mpsc::channel::<()>();
        let (ready, held) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            block_on(|| async move {
                let mut c = connect(&url).await?;
                sqlx::raw_sql(&format!("BEGIN; {hold}")).execute(&mut c).await.map_err(|e| e.to_string())?;
                let _ = ready.send(());
                let (mut seen, deadline) = (false, Instant::now() + Duration::from_secs(60));
                while stopped.try_recv().is_err() && Instant::now() < deadline {
                    // Statistics views are a snapshot per transaction unless cleared.
                    sqlx::raw_sql("SELECT pg_stat_clear_snapshot()")
                        .execute(&mut c)
                        .await
                        .map_err(|e| e.to_string())?;
                    let waiting: i64 =
                        sqlx::query_scalar(WAITING).fetch_one(&mut c).await.map_err(|e| e.to_string())?;
                    if after_first_timeout && seen && waiting == 0 {
                        break;
                    }
                    seen |= waiting > 0;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                sqlx::raw_sql("COMMIT").execute(&mut c).await.map_err(|e| e.to_string())?;
                Ok(seen)
            })
        });
        held.recv_timeout(Duration::from_secs(10)).expect("the holder takes its lock");
        Holder { stop, thread }
    }

    /// Releases the lock (if still held) and says whether a waiter was ever seen.
    fn finish(self) -> bool {
        let _ = self.stop.send(());
        self.thread.join().expect("the holder thread").expect("the holder's statements")
    }
}

fn apply_online(url: &str, dev: &str, to: &str, extra: &[&str]) -> schema_e2e::Outcome {
    let mut args = vec!["apply", "--url", url, "--to", to, "--dev-url", dev, "--online", "--auto-approve"];
    args.extend_from_slice(&["--allow", ALLOW_ALL]);
    args.extend_from_slice(extra);
    schema(&args)
}

/// The database to change and a dev database; None when PostgreSQL is unreachable outside CI.
fn databases() -> Option<(PgDb, PgDb)> {
    Some((PgDb::create("schema_e2e_lk")?, PgDb::create("schema_e2e_dev")?))
}

#[test]
fn a_concurrent_build_that_times_out_is_cleaned_up_and_retried() {
    let Some((a, dev)) = databases() else { return };
    let before = "CREATE TABLE t (id int PRIMARY KEY, n int);";
    a.exec(&format!("{before} INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g;"));
    let after = "CREATE TABLE t (id int PRIMARY KEY, n int); CREATE INDEX t_n ON t (n);";
    let s = Scratch::new();
    let to = s.write("after.sql", after);
    // An open writing transaction: the build creates its index, then waits for the writer to
    // finish, gives up on the lock timeout and leaves the index INVALID.
    let holder = Holder::start(&a.url(), "INSERT INTO t VALUES (1001, 1001);", true);
    let run = apply_online(&a.url(), &dev.url(), &to, &["--lock-timeout", "1s"]);
    assert!(holder.finish(), "the build was seen waiting for the writer:\n{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.assert_printed(&[
        "timeouts: lock_timeout 1s (retried on timeout), statement_timeout none (long-running",
        "statement 1 of 1: attempt 1 of 5 gave up on the lock timeout (canceling statement due to lock timeout)",
        "dropped the invalid index public.t_n that the failed attempt left",
    ]);
    assert!(!run.stdout.contains("attempt 2 of 5"), "the second attempt succeeds:\n{}", run.stdout);
    assert_eq!(a.exec("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), ["0"]);
    let reference = PgDb::create("schema_e2e_ref").expect("the server answered a moment ago");
    reference.exec(after);
    assert_eq!(snapshot(&a.url()), snapshot(&reference.url()));
    assert_eq!(a.exec("SELECT count(*) FROM t"), ["1001"], "the writer's row is kept");
    assert_eq!(a.exec("SELECT status, applied, total FROM schema_revisions.schema_revisions"), ["applied|1|1"]);
}

#[test]
fn a_lock_that_is_never_released_fails_cleanly_after_the_attempts() {
    let Some((a, dev)) = databases() else { return };
    a.exec("CREATE TABLE t (id int PRIMARY KEY, n int); INSERT INTO t SELECT g, g FROM generate_series(1, 100) g;");
    let before = snapshot(&a.url());
    let s = Scratch::new();
    let to = s.write("after.sql", "CREATE TABLE t (id int PRIMARY KEY, n int, note text); CREATE INDEX t_n ON t (n);");
    let (url, dev_url) = (a.url(), dev.url());
    let script = schema(&["plan", "--url", &url, "--to", &to, "--dev-url", &dev_url, "--online", "--format", "sql"]);
    script.assert_printed(&[
        "-- timeouts: lock_timeout 10s (retried on timeout), statement_timeout 1m\nALTER TABLE",
        "-- runs outside a transaction\n-- timeouts: lock_timeout 10s (retried on timeout), statement_timeout none",
    ]);
    let holder = Holder::start(&a.url(), "LOCK TABLE t IN ACCESS EXCLUSIVE MODE;", false);
    let started = Instant::now();
    let run = apply_online(&a.url(), &dev.url(), &to, &["--lock-timeout", "300ms", "--lock-attempts", "3"]);
    let took = started.elapsed();
    assert!(holder.finish(), "the apply was seen waiting for the lock:\n{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    run.assert_printed(&[
        "attempt 1 of 3 gave up on the lock timeout",
        "retrying in 1.0s",
        "attempt 2 of 3",
        "retrying in 2.0s",
    ]);
    assert!(run.stderr.contains("lock timeout (gave up after 3 attempts)"), "{}", run.stderr);
    assert!(took >= Duration::from_secs(3), "two back-offs of 1s and 2s: took {took:?}");
    assert_eq!(snapshot(&a.url()), before, "nothing of the failed apply remains");
    assert_eq!(
        a.exec("SELECT status, applied, total, failed_statement LIKE 'ALTER TABLE%' FROM schema_revisions.schema_revisions"),
        ["failed|0|2|t"]
    );
}
