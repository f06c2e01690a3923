//! The write-stall benchmark: on a PostgreSQL table of 1,000,000 rows, `schema apply` adds an
//! index, a foreign key and a NOT NULL, each with and without `--online`, while a second
//! connection keeps inserting and updating. It checks every write succeeded, measures the
//! longest stall between consecutive writes, and writes the table into BENCHMARKS.md.
//!
//! `cargo run --release -p schema-bench -- [--rows N] [--schema PATH] [--out BENCHMARKS.md]`;
//! the server is `SCHEMA_BENCH_POSTGRES_URL`, or else the local one.

mod report;
mod writer;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use report::Row;

/// The server when `SCHEMA_BENCH_POSTGRES_URL` is not set.
const LOCAL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The table every run starts from; `parent` is what the foreign key refers to.
const BASE: &str = "CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE t (id bigserial PRIMARY KEY, parent_id int NOT NULL, n int NOT NULL, note text);";

/// The rows: every `parent_id` has its parent and no `note` is NULL, so each change succeeds.
const SEED: &str = "INSERT INTO parent SELECT g FROM generate_series(1, 1000) g;
INSERT INTO t (parent_id, n, note) SELECT 1 + g % 1000, g, 'row ' || g FROM generate_series(1, {rows}) g;
VACUUM ANALYZE parent; VACUUM ANALYZE t;";

/// The changes measured: a name, and the desired state.
const CASES: [(&str, &str); 3] = [
    (
        "index on t (n)",
        "CREATE TABLE parent (id int PRIMARY KEY);
         CREATE TABLE t (id bigserial PRIMARY KEY, parent_id int NOT NULL, n int NOT NULL, note text);
         CREATE INDEX t_n ON t (n);",
    ),
    (
        "foreign key t (parent_id) → parent",
        "CREATE TABLE parent (id int PRIMARY KEY);
         CREATE TABLE t (id bigserial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), n int NOT NULL, note text);",
    ),
    (
        "NOT NULL on t (note)",
        "CREATE TABLE parent (id int PRIMARY KEY);
         CREATE TABLE t (id bigserial PRIMARY KEY, parent_id int NOT NULL, n int NOT NULL, note text NOT NULL);",
    ),
];

/// The hazards these changes carry; the benchmark measures them, it does not judge them.
const ALLOW: &str = "LK101,LK103,MF101,MF104";

/// Writes before the apply starts and after it ends.
const MARGIN: Duration = Duration::from_millis(500);

struct Options {
    server: String,
    rows: i64,
    schema: PathBuf,
    out: PathBuf,
}

fn options() -> Result<Options, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut o = Options {
        server: std::env::var("SCHEMA_BENCH_POSTGRES_URL").unwrap_or_else(|_| LOCAL.into()),
        rows: 1_000_000,
        schema: ["release", "debug"]
            .iter()
            .map(|p| root.join("target").join(p).join("schema"))
            .find(|p| p.exists())
            .unwrap_or_else(|| PathBuf::from("schema")),
        out: root.join("BENCHMARKS.md"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--rows" => o.rows = value()?.parse().map_err(|e| format!("--rows: {e}"))?,
            "--schema" => o.schema = PathBuf::from(value()?),
            "--out" => o.out = PathBuf::from(value()?),
            other => return Err(format!("unknown argument {other}; see the doc comment of bench/src/main.rs")),
        }
    }
    Ok(o)
}

/// `url` with its database replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, String::new()), |(b, q)| (b, format!("?{q}")));
    let root = base.rfind('/').filter(|&i| i > base.find("://").map_or(0, |s| s + 2)).map_or(base, |i| &base[..i]);
    format!("{root}/{db}{query}")
}

/// Runs SQL through psql, failing on the first error.
fn psql(url: &str, sql: &str) -> Result<(), String> {
    let out = Command::new("psql")
        .args([url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// One apply of one change, plain or online, with the writer running.
async fn measure(o: &Options, template: &str, dev: &str, case: (&str, &str), online: bool) -> Result<Row, String> {
    let db = format!("schema_bench_run_{}", std::process::id());
    psql(&o.server, &format!("DROP DATABASE IF EXISTS {db}"))?;
    psql(&o.server, &format!("CREATE DATABASE {db} TEMPLATE {template}"))?;
    let url = with_database(&o.server, &db);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let desired = dir.path().join("desired.sql");
    std::fs::write(&desired, case.1).map_err(|e| e.to_string())?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let writer = tokio::spawn(writer::run(url.clone(), o.rows, stopped));
    tokio::time::sleep(MARGIN).await;
    let started = Instant::now();
    let mut cmd = Command::new(&o.schema);
    cmd.args(["apply", "--url", &url, "--to"]).arg(&desired);
    cmd.args(["--dev-url", &with_database(&o.server, dev), "--auto-approve", "--allow", ALLOW]);
    if online {
        cmd.arg("--online");
    }
    let apply = tokio::task::spawn_blocking(move || cmd.output()).await.map_err(|e| e.to_string())?;
    let ended = Instant::now();
    let apply = apply.map_err(|e| format!("cannot run {}: {e}", o.schema.display()))?;
    tokio::time::sleep(MARGIN).await;
    let _ = stop.send(true);
    let writes = writer.await.map_err(|e| e.to_string())??;
    psql(&o.server, &format!("DROP DATABASE IF EXISTS {db}"))?;
    if !apply.status.success() {
        return Err(format!(
            "apply of {} failed:\n{}{}",
            case.0,
            String::from_utf8_lossy(&apply.stdout),
            String::from_utf8_lossy(&apply.stderr)
        ));
    }
    Ok(Row {
        change: case.0.to_string(),
        stall: writes.longest_stall(started, ended),
        apply: ended - started,
        writes: writes.done.iter().filter(|&&t| t >= started && t <= ended).count(),
        failed: writes.failed,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("write_stall: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let o = options()?;
    let pid = std::process::id();
    let (template, dev) = (format!("schema_bench_tpl_{pid}"), format!("schema_bench_dev_{pid}"));
    for db in [&template, &dev] {
        psql(&o.server, &format!("DROP DATABASE IF EXISTS {db}"))?;
        psql(&o.server, &format!("CREATE DATABASE {db}"))?;
    }
    eprintln!("loading {} rows...", o.rows);
    let tpl_url = with_database(&o.server, &template);
    psql(&tpl_url, BASE)?;
    for statement in SEED.replace("{rows}", &o.rows.to_string()).split(';').filter(|s| !s.trim().is_empty()) {
        psql(&tpl_url, statement)?;
    }
    let mut rows = Vec::new();
    let mut outcome = Ok(());
    'cases: for case in CASES {
        for online in [false, true] {
            eprintln!("{} ({})...", case.0, if online { "online" } else { "plain" });
            match measure(&o, &template, &dev, case, online).await {
                Ok(r) => {
                    eprintln!("  longest stall {:?}, {} writes, {} failed", r.stall, r.writes, r.failed.len());
                    rows.push(r)
                }
                Err(e) => {
                    outcome = Err(e);
                    break 'cases;
                }
            }
        }
    }
    for db in [&template, &dev] {
        psql(&o.server, &format!("DROP DATABASE IF EXISTS {db}"))?;
    }
    outcome?;
    let failed: usize = rows.iter().map(|r| r.failed.len()).sum();
    report::write(&o.out, &report::section(&rows, o.rows, &o.schema))?;
    eprintln!("wrote {}", o.out.display());
    if failed > 0 {
        return Err(format!(
            "{failed} writes failed during the changes: {:?}",
            rows.iter().flat_map(|r| &r.failed).collect::<Vec<_>>()
        ));
    }
    Ok(())
}
