//! Throwaway PostgreSQL databases for the suites, driven through `psql` so that loading and
//! checking never go through `schema`'s own code.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The server URL: `SCHEMA_TEST_POSTGRES_URL`, or the local server.
pub fn server_url() -> String {
    std::env::var("SCHEMA_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
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

/// Runs SQL with psql against `url`; returns stdout rows (unaligned, `|`-separated) or stderr.
pub fn psql(url: &str, sql: &str) -> Result<Vec<String>, String> {
    let mut child = Command::new("psql")
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
        if let Err(e) = psql(&server, "SELECT 1") {
            assert!(
                !crate::in_ci(),
                "CI=true and PostgreSQL is unreachable at {}: {e}",
                schema_inspect::redact_text(&server)
            );
            eprintln!("skipping: PostgreSQL is unreachable at {}: {e}", schema_inspect::redact_text(&server));
            return None;
        }
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        psql(&server, &format!("CREATE DATABASE \"{name}\" TEMPLATE template0")).expect("create the test database");
        Some(PgDb { name, server })
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
        let _ = psql(&self.server, &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(with_database("postgres://u:p@h:1/db?sslmode=disable", "x"), "postgres://u:p@h:1/x?sslmode=disable");
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
