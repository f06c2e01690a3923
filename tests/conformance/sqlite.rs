//! SQLite: a fresh database file per case, loaded with the `sqlite3` shell and compared with
//! the suite's independent `sqlite_catalog::snapshot` (column order ignored). Upstream uses
//! `:memory:`; a file is the same engine and lets the shell and our tool share it.

use std::path::PathBuf;
use std::process::Command;

use schema_e2e::sqlite_catalog::{load, snapshot};
use schema_e2e::Scratch;

use crate::case::{Case, Server};
use crate::engine::Engine;
use crate::guard::guarded;

/// The SQLite dialect.
pub struct Sqlite;

impl Engine for Sqlite {
    type Db = PathBuf;

    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn server(&self) -> Result<Server, String> {
        let out = Command::new("sqlite3")
            .arg("--version")
            .output()
            .map_err(|e| format!("the sqlite3 shell is needed: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text.split_whitespace().next().unwrap_or_default();
        if version.is_empty() {
            return Err(format!("cannot read the sqlite3 version from {text:?}"));
        }
        Ok(Server { version: version.into(), flavor: None })
    }

    fn fresh(&self, scratch: &Scratch, _case: &Case, label: &str) -> Result<PathBuf, String> {
        let path = scratch.path(&format!("{label}.db"));
        // A zero-length file is a valid empty database, like upstream's fresh `:memory:` one
        // (`schema plan` refuses a file that does not exist).
        std::fs::File::create_new(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    fn url(&self, db: &PathBuf) -> String {
        format!("sqlite://{}", db.display())
    }

    fn load(&self, db: &PathBuf, sql: &str) -> Result<(), String> {
        if sql.trim().is_empty() {
            return Ok(());
        }
        guarded(|| load(db, sql)).map_err(|e| {
            // `load` panics with the shell's error followed by the whole script.
            e.lines().next().unwrap_or_default().to_string()
        })
    }

    fn snapshot(&self, db: &PathBuf) -> Result<String, String> {
        guarded(|| snapshot(db))
    }

    fn seed(&self, db: &PathBuf) -> Result<(), String> {
        let tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
        let mut script = String::new();
        for table in shell(db, tables)? {
            let lit = table.replace('\'', "''");
            let columns = shell(db, &format!("SELECT name FROM pragma_table_xinfo('{lit}') WHERE hidden = 0"))?;
            let names: Vec<String> = columns.iter().map(|c| quote(c)).collect();
            let ones = vec!["1"; names.len()].join(", ");
            script += &format!("INSERT INTO {} ({}) VALUES ({ones});\n", quote(&table), names.join(", "));
        }
        shell(db, &script).map(drop)
    }

    fn unseed(&self, db: &PathBuf) -> Result<(), String> {
        let tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                      AND name <> 'schema_revisions'";
        let script: String = shell(db, tables)?.iter().map(|t| format!("DELETE FROM {};\n", quote(t))).collect();
        shell(db, &format!("PRAGMA foreign_keys = OFF;\n{script}")).map(drop)
    }

    fn count(&self, db: &PathBuf, table: &str, column: Option<&str>) -> Result<i64, String> {
        let what = column.map_or("*".to_string(), quote);
        let rows = shell(db, &format!("SELECT count({what}) FROM {}", quote(table)))?;
        let n = rows.first().map(String::as_str).unwrap_or_default();
        n.parse().map_err(|_| format!("count of {table} gave {n:?}"))
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Runs SQL with the `sqlite3` shell and returns its output lines, or its error. (The
/// support module's query helper is private, and panics.)
fn shell(db: &PathBuf, sql: &str) -> Result<Vec<String>, String> {
    let out = Command::new("sqlite3")
        .args(["-batch", "-bail"])
        .arg(db)
        .arg(sql)
        .output()
        .map_err(|e| format!("cannot run sqlite3: {e}"))?;
    if !out.status.success() {
        return Err(format!("sqlite3 failed on {sql}: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
}
