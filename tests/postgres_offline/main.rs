//! Offline PostgreSQL loading: for each input, the model parsed without a database must equal
//! the model of the same files replayed on a dev database, and what offline mode cannot
//! reproduce must be refused at its place in the file with the `--dev-url` hint.

mod cli;
mod constructs;
mod expressions;
mod generated;
mod order;
mod pairs;
mod refusals;
mod rich;

use schema_e2e::pg::PgDb;
use schema_inspect::{load_sql, DbUrl};
use schema_model::sql::offline::DEV_URL_HELP;
use schema_model::sql::SourceFile;
use schema_model::{Dialect, Realm};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The offline model of one file.
pub fn offline(sql: &str) -> Result<Realm, String> {
    runtime()
        .block_on(load_sql(Dialect::Postgres, &[SourceFile::new("desired.sql", sql)], None))
        .map_err(|e| e.to_string())
}

/// Asserts, for each input, that offline parsing gives exactly the dev database's model.
/// Returns without checking when PostgreSQL is unreachable outside CI.
pub fn assert_same(cases: &[&str]) {
    let sets: Vec<Vec<SourceFile>> = cases.iter().map(|sql| vec![SourceFile::new("desired.sql", *sql)]).collect();
    assert_same_files(&sets);
}

/// `realm` without grants and owners, which offline reading does not carry.
fn without_privileges(mut realm: Realm) -> Realm {
    for s in &mut realm.schemas {
        s.grants.clear();
        s.owners.clear();
    }
    realm
}

/// Like [`assert_same`], for sets of files read in order.
pub fn assert_same_files(sets: &[Vec<SourceFile>]) {
    let Some(dev) = PgDb::create("pgo_dev") else { return };
    let url = DbUrl::parse(&dev.url()).unwrap();
    let rt = runtime();
    for files in sets {
        let sql: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
        let sql = sql.join("\n-- next file\n");
        let exact = rt.block_on(load_sql(Dialect::Postgres, files, Some(&url)));
        let exact = exact.unwrap_or_else(|e| panic!("the dev database rejects the case:\n{sql}\n{e}"));
        let guess = rt.block_on(load_sql(Dialect::Postgres, files, None));
        let guess = guess.unwrap_or_else(|e| panic!("offline mode refuses the case:\n{sql}\n{e}"));
        // Privileges and owners come only from a dev database (`--manage-roles` needs one).
        let exact = without_privileges(exact);
        if guess != exact {
            let show = |r: &Realm| serde_json::to_string_pretty(r).unwrap();
            panic!(
                "offline model differs for:\n{sql}\n--- dev database\n{}\n--- offline\n{}",
                show(&exact),
                show(&guess)
            );
        }
    }
}

/// Asserts that offline mode refuses `sql` at `line:col` with a message containing `what`
/// and the `--dev-url` help.
pub fn assert_refused(sql: &str, line_col: &str, what: &str) {
    let err = runtime()
        .block_on(load_sql(Dialect::Postgres, &[SourceFile::new("desired.sql", sql)], None))
        .expect_err(&format!("offline mode accepted:\n{sql}"));
    let schema_inspect::Error::Source(src) = &err else { panic!("not a source error: {err}") };
    let text = src.to_string();
    assert!(text.starts_with(&format!("desired.sql:{line_col}")), "wrong place: {text}\n{sql}");
    assert!(text.contains(what), "{text}");
    let schema_model::sql::SourceError::At { help, .. } = src else { panic!("no place: {text}") };
    assert_eq!(help.as_deref(), Some(DEV_URL_HELP), "{text}");
}
