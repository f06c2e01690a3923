//! Throwaway MySQL/MariaDB databases for the suites, driven through the `mariadb` (or `mysql`)
//! command-line client so that loading and checking never go through `schema`'s own code.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::server::{Found, Server};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// MySQL/MariaDB for the suites: `SCHEMA_TEST_MYSQL_URL`, else the local server, else a
/// `mariadb:10.11` container (see [`crate::server`]).
pub const SERVER: Server = Server {
    name: "MySQL/MariaDB",
    env_var: "SCHEMA_TEST_MYSQL_URL",
    port: 3306,
    url: |host, port| format!("mysql://root@{host}:{port}/mysql"),
    image: "mariadb:10.11",
    image_env: ("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1"),
    // The entrypoint's own setup server listens on no port ("port: 0").
    ready: &[(true, "mariadbd: ready for connections."), (true, "port: 3306")],
};

/// The server URL, found once per test process.
pub fn server_url() -> String {
    static FOUND: OnceLock<Found> = OnceLock::new();
    FOUND.get_or_init(|| SERVER.find()).url.clone()
}

/// The parts of a `mysql://user:password@host:port/db` URL the client needs.
struct Parts {
    user: String,
    password: Option<String>,
    host: String,
    port: String,
    database: String,
}

fn parts(url: &str) -> Parts {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
    let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
    let (user, password) = match userinfo.split_once(':') {
        Some((u, p)) => (u, Some(decode(p))),
        None => (userinfo, None),
    };
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "3306"));
    Parts {
        user: decode(if user.is_empty() { "root" } else { user }),
        password,
        host: host.to_string(),
        port: port.to_string(),
        database: decode(database),
    }
}

/// Decodes `%XX` escapes.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The client program: `mariadb` where installed, else `mysql`.
fn client() -> &'static str {
    static CLIENT: OnceLock<&'static str> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let works = |p: &str| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success());
        if works("mariadb") {
            "mariadb"
        } else {
            "mysql"
        }
    })
}

/// Runs SQL with the command-line client against `url` (its database, if it names one);
/// returns the rows (tab-separated, special characters escaped as the client does in batch
/// mode) or the client's error. The password goes through the environment, not the command line.
pub fn mysql(url: &str, sql: &str) -> Result<Vec<String>, String> {
    let p = parts(url);
    let mut cmd = Command::new(client());
    cmd.args(["--batch", "--skip-column-names", "--default-character-set=utf8mb4", "--protocol=tcp"])
        .arg(format!("--host={}", p.host))
        .arg(format!("--port={}", p.port))
        .arg(format!("--user={}", p.user));
    if !p.database.is_empty() {
        cmd.arg(format!("--database={}", p.database));
    }
    cmd.env_remove("MYSQL_PWD");
    if let Some(pw) = &p.password {
        cmd.env("MYSQL_PWD", pw);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", client()))?;
    child.stdin.take().expect("stdin").write_all(sql.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The names of the databases on the server of `url` that start with `prefix`.
pub fn databases_like(url: &str, prefix: &str) -> Vec<String> {
    let like = prefix.replace('\\', "\\\\").replace('_', "\\_").replace('%', "\\%").replace('\'', "''");
    mysql(url, &format!("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '{like}%'"))
        .unwrap_or_else(|e| panic!("listing databases failed: {e}"))
}

/// A database created for one test and dropped when the value is dropped.
pub struct MyDb {
    /// Its name.
    pub name: String,
    server: String,
}

impl MyDb {
    /// Creates a uniquely named empty database. Returns None (after saying why) when the server
    /// cannot be reached outside CI; under `CI=true` an unreachable server is a test failure.
    pub fn create(prefix: &str) -> Option<MyDb> {
        let server = server_url();
        if let Err(e) = mysql(&server, "SELECT 1") {
            let shown = schema_inspect::redact_text(&server);
            assert!(!crate::in_ci(), "CI=true and MySQL/MariaDB is unreachable at {shown}: {e}");
            eprintln!("skipping: MySQL/MariaDB is unreachable at {shown}: {e}");
            return None;
        }
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        mysql(&server, &format!("CREATE DATABASE `{name}`")).expect("create the test database");
        Some(MyDb { name, server })
    }

    /// The database's URL.
    pub fn url(&self) -> String {
        crate::pg::with_database(&self.server, &self.name)
    }

    /// Runs SQL in the database, panicking with the client's message on failure.
    pub fn exec(&self, sql: &str) -> Vec<String> {
        mysql(&self.url(), sql).unwrap_or_else(|e| panic!("the mysql client failed: {e}\n{sql}"))
    }
}

impl Drop for MyDb {
    fn drop(&mut self) {
        let _ = mysql(&self.server, &format!("DROP DATABASE IF EXISTS `{}`", self.name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_taken_apart() {
        let p = parts("mariadb://bob:p%40ss@db.local:3307/app%20x?x=1");
        assert_eq!((p.user.as_str(), p.password.as_deref()), ("bob", Some("p@ss")));
        assert_eq!((p.host.as_str(), p.port.as_str(), p.database.as_str()), ("db.local", "3307", "app x"));
        let p = parts("mysql://127.0.0.1");
        assert_eq!((p.user.as_str(), p.port.as_str(), p.database.as_str()), ("root", "3306", ""));
    }
}
