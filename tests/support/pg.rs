//! Throwaway PostgreSQL databases for the suites, driven through `psql` so that loading and
//! checking never go through `schema`'s own code.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::server::{Found, Server};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// PostgreSQL for the suites: `SCHEMA_TEST_POSTGRES_URL`, else the local server, else a
/// `postgres:15` container (see [`crate::server`]). Without TLS: a TLS handshake doubles the
/// server's CPU for a connection, and the suites make tens of thousands; the TLS tests ask for
/// it with `sslmode` themselves.
pub const SERVER: Server = Server {
    name: "PostgreSQL",
    env_var: "SCHEMA_TEST_POSTGRES_URL",
    port: 5432,
    url: |host, port| format!("postgres://postgres@{host}:{port}/postgres?sslmode=disable"),
    image: "postgres:15",
    image_env: ("POSTGRES_HOST_AUTH_METHOD", "trust"),
    // The entrypoint's own initdb server logs to standard output, the real one to standard
    // error: waiting for both is waiting for the real one.
    ready: &[(false, PG_READY), (true, PG_READY)],
};

const PG_READY: &str = "database system is ready to accept connections";

/// The server URL, found once per test process.
pub fn server_url() -> String {
    static FOUND: OnceLock<Found> = OnceLock::new();
    FOUND.get_or_init(|| SERVER.find()).url.clone()
}

/// `url` with the query parameter `key` set to `value` (replaced where it is set already).
pub fn with_param(url: &str, key: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<String> =
        query.split('&').filter(|p| !p.is_empty() && p.split('=').next() != Some(key)).map(str::to_string).collect();
    params.push(format!("{key}={value}"));
    format!("{base}?{}", params.join("&"))
}

/// `url` with its database name replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{root}/{db}{query}")
}

/// The psql binary: `SCHEMA_TEST_PSQL`, else the newest PostgreSQL's own under
/// `/usr/lib/postgresql/*/bin` (Debian's `psql` on the PATH is a Perl wrapper that picks a
/// version on every call and costs far more CPU than the statements it runs), else `psql`.
fn psql_binary() -> &'static str {
    static BINARY: OnceLock<String> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Ok(p) = std::env::var("SCHEMA_TEST_PSQL") {
            return p;
        }
        let versions = std::fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten();
        let newest = versions
            .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path().join("bin").join("psql"))))
            .filter(|(_, p)| p.is_file())
            .max();
        newest.map_or_else(|| "psql".to_string(), |(_, p)| p.display().to_string())
    })
}

/// Runs SQL with psql against `url`; returns stdout rows (unaligned, `|`-separated) or stderr.
pub fn psql(url: &str, sql: &str) -> Result<Vec<String>, String> {
    let mut child = Command::new(psql_binary())
        .args([url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    child.stdin.take().expect("stdin").write_all(sql.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A database created for one test and dropped when the value is dropped.
pub struct PgDb {
    /// Its name.
    pub name: String,
    server: String,
}

impl PgDb {
    /// Creates a uniquely named empty database. Returns None (after saying why) when the server
    /// cannot be reached outside CI; under `CI=true` an unreachable server is a test failure.
    pub fn create(prefix: &str) -> Option<PgDb> {
        let server = server_url();
        if let Err(e) = exec_sqlx(&server, "SELECT 1") {
            assert!(
                !crate::in_ci(),
                "CI=true and PostgreSQL is unreachable at {}: {e}",
                schema_inspect::redact_text(&server)
            );
            eprintln!("skipping: PostgreSQL is unreachable at {}: {e}", schema_inspect::redact_text(&server));
            return None;
        }
        Some(PgDb::try_create(prefix).unwrap_or_else(|e| panic!("{e}")))
    }

    /// The database's URL.
    pub fn url(&self) -> String {
        with_database(&self.server, &self.name)
    }

    /// Runs SQL in the database, panicking with psql's message on failure.
    pub fn exec(&self, sql: &str) -> Vec<String> {
        psql(&self.url(), sql).unwrap_or_else(|e| panic!("psql failed: {e}\n{sql}"))
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let _ = exec_sqlx(&self.server, &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
    }
}

impl PgDb {
    /// Creates a uniquely named empty database, returning psql's message instead of panicking
    /// or skipping: for suites that manage many databases and report their own failures.
    pub fn try_create(prefix: &str) -> Result<PgDb, String> {
        let server = server_url();
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        exec_sqlx(&server, &format!("CREATE DATABASE \"{name}\" TEMPLATE template0"))
            .map_err(|e| format!("creating database {name}: {e}"))?;
        Ok(PgDb { name, server })
    }
}

/// `url` with its user replaced by `user` (no password): for running as a case's own role.
pub fn with_user(url: &str, user: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &url[scheme_end..];
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let host = authority.rfind('@').map_or(0, |at| at + 1);
    let encoded: String = user
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{}{encoded}@{}", &url[..scheme_end], &rest[host..])
}

/// Runs the future `make` gives on a fresh single-threaded runtime, on a thread of its own
/// when called from inside a runtime (async tests create and drop databases too). The helpers
/// below use sqlx: a connection costs far less than starting psql, which matters to suites
/// that make thousands of calls.
pub fn block_on<T, F>(make: impl FnOnce() -> F + Send) -> T
where
    T: Send,
    F: std::future::Future<Output = T>,
{
    let run = || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime").block_on(make())
    };
    if tokio::runtime::Handle::try_current().is_err() {
        return run();
    }
    std::thread::scope(|s| s.spawn(run).join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
}

/// One sqlx connection to `url`, errors as text.
pub async fn connect(url: &str) -> Result<sqlx::PgConnection, String> {
    use sqlx::Connection as _;
    sqlx::PgConnection::connect(url).await.map_err(|e| format!("cannot connect: {e}"))
}

/// PostgreSQL's own message for a failed statement.
pub fn message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => d.message().to_string(),
        other => other.to_string(),
    }
}

/// Runs one or more statements (simple-query protocol, one implicit transaction) through sqlx.
pub fn exec_sqlx(url: &str, sql: &str) -> Result<(), String> {
    block_on(|| async {
        let mut conn = connect(url).await?;
        sqlx::raw_sql(sql).execute(&mut conn).await.map(drop).map_err(|e| message(&e))
    })
}

/// The first column, as text (NULL as ""), of every row of one query, through sqlx.
pub fn query_text(url: &str, sql: &str) -> Result<Vec<String>, String> {
    block_on(|| async {
        let mut conn = connect(url).await?;
        sqlx::query_scalar::<_, Option<String>>(sql)
            .fetch_all(&mut conn)
            .await
            .map(|rows| rows.into_iter().map(Option::unwrap_or_default).collect())
            .map_err(|e| message(&e))
    })
}

/// Splits a PostgreSQL script into statements at top-level semicolons, honouring quoted
/// strings (`'..'`, `E'..'`), quoted identifiers, dollar quotes (`$$..$$`, `$tag$..$tag$`),
/// line comments and nested block comments. Statements that hold only comments are dropped;
/// the others are returned trimmed, without their semicolon.
pub fn split_statements(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let mut out = Vec::new();
    let (mut start, mut i, mut code) = (0, 0, false);
    let mut push = |from: usize, to: usize, code: bool| {
        if code {
            out.push(sql[from..to].trim().to_string());
        }
    };
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'\'' => {
                let escapes = i > 0 && b[i - 1].eq_ignore_ascii_case(&b'e') && (i < 2 || !word(b[i - 2]));
                i += 1;
                while i < b.len() {
                    let escaped = escapes && b[i] == b'\\';
                    if escaped || (b[i] == b'\'' && b.get(i + 1) == Some(&b'\'')) {
                        i += 2;
                    } else if b[i] == b'\'' {
                        break;
                    } else {
                        i += 1;
                    }
                }
                code = true;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += 1;
                }
                code = true;
            }
            b'$' if i == 0 || !word(b[i - 1]) => {
                code = true;
                let close = sql[i + 1..].find(|c: char| !(c.is_alphanumeric() || c == '_')).map(|n| i + 1 + n);
                if let Some(e) = close.filter(|&e| b[e] == b'$' && !b[i + 1..e].first().is_some_and(u8::is_ascii_digit))
                {
                    let tag = &sql[i..=e];
                    i = sql[e + 1..].find(tag).map_or(b.len(), |n| e + 1 + n + tag.len());
                    continue;
                }
            }
            b';' => {
                push(start, i, code);
                start = i + 1;
                code = false;
            }
            c if !c.is_ascii_whitespace() => code = true,
            _ => {}
        }
        i += 1;
    }
    push(start, b.len(), code);
    out
}

/// A session statement (`SET ...`, `RESET ...`): sqldef parses and ignores these, so a
/// loader of reference databases skips them too (corpus README, "Non-DDL statements").
pub fn is_session_statement(statement: &str) -> bool {
    let mut text = statement;
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("--") {
            text = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = text.strip_prefix("/*") {
            text = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let first = text.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or_default();
    first.eq_ignore_ascii_case("SET") || first.eq_ignore_ascii_case("RESET")
}

/// Loads a script the way sqldef's test runner loads a fixture: statement by statement, in
/// dependency order, session statements skipped. The order is found by retrying: the
/// statements that fail are tried again after the others, round after round, until a round
/// makes no progress. Returns how many statements ran, or, when some never did, each of them
/// with PostgreSQL's last message. Never panics.
pub fn load_ordered(url: &str, sql: &str) -> Result<usize, String> {
    let pending: Vec<String> = split_statements(sql).into_iter().filter(|s| !is_session_statement(s)).collect();
    if pending.is_empty() {
        return Ok(0);
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let mut conn = rt.block_on(connect(url))?;
    crate::fixpoint::run_until_fixpoint(pending, |st| {
        rt.block_on(sqlx::raw_sql(st).execute(&mut conn)).map(drop).map_err(|e| message(&e))
    })
}

/// Creates each role (NOLOGIN) unless it exists. Roles are cluster-wide, so this is safe to
/// call from concurrent suites: a role another session created meanwhile is not an error.
pub fn ensure_roles(server: &str, roles: &[&str]) -> Result<(), String> {
    for role in roles {
        let quoted = format!("\"{}\"", role.replace('"', "\"\""));
        let lit = role.replace('\'', "''");
        let sql = format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{lit}') THEN CREATE ROLE {quoted}; \
             END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        );
        exec_sqlx(server, &sql).map_err(|e| format!("creating role {role}: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_split_outside_quotes_and_comments() {
        let sql = "CREATE TABLE \"a;b\" (x text DEFAULT 'it''s; fine', y text DEFAULT E'\\'; x');\n\
                   -- a comment; with a semicolon\n\
                   CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   /* outer /* inner; */ still; */ COMMENT ON TABLE t IS $$a;b$$;\n\
                   -- only a comment;\n;;\
                   SELECT $1";
        let got = split_statements(sql);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[0].ends_with("E'\\'; x')"), "{}", got[0]);
        assert!(
            got[1].starts_with("-- a comment; with a semicolon\nCREATE FUNCTION") && got[1].ends_with("LANGUAGE sql")
        );
        assert!(got[2].ends_with("IS $$a;b$$"), "{}", got[2]);
        assert_eq!(got[3], "SELECT $1");
        assert!(is_session_statement("-- x\nSET search_path TO s"));
        assert!(!is_session_statement("ALTER TABLE t ALTER COLUMN c SET DEFAULT 1"));
    }

    #[test]
    fn users_are_replaced() {
        assert_eq!(with_user("postgres://postgres@h:1/db", "a b"), "postgres://a%20b@h:1/db");
        assert_eq!(with_user("postgres://u:p@h/db?x=1", "v"), "postgres://v@h/db?x=1");
        assert_eq!(with_user("postgres://h/db", "v"), "postgres://v@h/db");
    }

    #[test]
    fn parameters_are_added_or_replaced() {
        assert_eq!(with_param("postgres://h/db", "sslmode", "require"), "postgres://h/db?sslmode=require");
        assert_eq!(
            with_param("postgres://h/db?sslmode=disable&x=1", "sslmode", "require"),
            "postgres://h/db?x=1&sslmode=require"
        );
        assert_eq!(with_param("postgres://h/db?a=1", "search_path", "b"), "postgres://h/db?a=1&search_path=b");
    }

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(with_database("postgres://u:p@h:1/db?sslmode=disable", "x"), "postgres://u:p@h:1/x?sslmode=disable");
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
