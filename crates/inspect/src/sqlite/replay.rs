//! Loading desired SQL the exact way: run it on an empty scratch database and inspect that,
//! so SQLite itself decides what every statement means.

use schema_model::sql::{renames_in, split_statements, SourceFile};
use schema_model::{Dialect, Realm};

use super::SqliteDriver;
use crate::{apply_renames, Driver, Result};

/// Replays `files` in order on a fresh scratch database and returns its model. A statement
/// SQLite rejects is reported at its place in its file.
pub async fn replay(files: &[SourceFile]) -> Result<Realm> {
    let (mut db, _scratch) = SqliteDriver::scratch().await?;
    for file in files {
        for st in split_statements(Dialect::Sqlite, file)? {
            if let Err(e) = sqlx::raw_sql(&st.text).execute(&mut db.conn).await {
                let reason = match &e {
                    sqlx::Error::Database(d) => d.message().to_string(),
                    other => other.to_string(),
                };
                let span = syntax_error_at(&reason, &st.text)
                    .map(|(at, len)| (st.start + at, len))
                    .unwrap_or((st.start, st.end - st.start));
                return Err(file
                    .error_at(span, format!("SQLite rejected this statement: {reason}"), reason.clone(), None)
                    .into());
            }
        }
    }
    let mut realm = db.inspect().await?;
    for file in files {
        let directives = renames_in(Dialect::Sqlite, file)?;
        apply_renames(&mut realm, file, &directives)?;
    }
    Ok(realm)
}

/// Where in `stmt` a syntax error sits. SQLite names the token (`near ",": syntax error`) but
/// not which occurrence, so ask `sqlparser` for the exact place when it fails too, and fall
/// back to the first occurrence of the named token.
fn syntax_error_at(reason: &str, stmt: &str) -> Option<(usize, usize)> {
    let rest = reason.strip_prefix("near \"")?;
    let token = &rest[..rest.find("\":")?];
    let dialect = sqlparser::dialect::SQLiteDialect {};
    if let Err(e) = sqlparser::parser::Parser::parse_sql(&dialect, stmt) {
        if let Some((line, col)) = parser_location(&e.to_string()) {
            let file = SourceFile::new("", stmt);
            let at = file.offset_of(line, col);
            if stmt[at..].starts_with(token) {
                return Some((at, token.len()));
            }
        }
    }
    stmt.find(token).map(|at| (at, token.len()))
}

/// Reads `at Line: L, Column: C` from a `sqlparser` error message.
fn parser_location(msg: &str) -> Option<(u64, u64)> {
    let rest = &msg[msg.rfind("Line: ")? + 6..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn syntax_errors_point_at_file_line_and_token() {
        let f = SourceFile::new("bad.sql", "CREATE TABLE a (x int);\nCREATE TABLE b (y int,, z int);\n");
        let err = replay(&[f]).await.unwrap_err().to_string();
        assert!(err.starts_with("bad.sql:2:23: SQLite rejected this statement: near \",\": syntax error"), "{err}");
    }

    #[tokio::test]
    async fn renames_are_attached() {
        let f = SourceFile::new(
            "r.sql",
            "CREATE TABLE people ( -- schema:renamed-from users\n id int, full text -- schema:renamed-from name\n);",
        );
        let realm = replay(&[f]).await.unwrap();
        let t = &realm.schemas[0].tables[0];
        assert_eq!(t.renamed_from.as_deref(), Some("users"));
        assert_eq!(t.columns[1].renamed_from.as_deref(), Some("name"));
    }

    #[tokio::test]
    async fn the_scratch_database_is_a_file_of_its_own_removed_afterwards() {
        let (mut db, dir) = SqliteDriver::scratch().await.unwrap();
        let file = dir.path().join("desired.db");
        sqlx::raw_sql("CREATE TABLE t (x int)").execute(&mut db.conn).await.unwrap();
        assert!(file.exists(), "the replay writes a file, not process memory");
        let (journal,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut db.conn).await.unwrap();
        let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(&mut db.conn).await.unwrap();
        let (mmap,): (i64,) = sqlx::query_as("PRAGMA mmap_size").fetch_one(&mut db.conn).await.unwrap();
        assert_eq!((journal.as_str(), sync), ("off", 0), "nothing to recover: no journal, no syncs");
        assert!(mmap > 0, "pages are read through a memory map");
        drop(db);
        let path = dir.path().to_path_buf();
        drop(dir);
        assert!(!path.exists(), "the scratch directory goes with its guard");
    }
}
