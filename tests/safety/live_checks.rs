//! The live-data checks with real rows on every dialect: duplicates (MF101), rows (MF103),
//! NULLs (MF104) and values that do not fit (MF105) turn "may fail" into "will fail" or "safe",
//! and a plan whose check says "will fail" is refused before any statement runs, even when
//! its code is allowed.

use crate::db::{hazards, Db};

const USERS: &str = "CREATE TABLE users (id int PRIMARY KEY, email varchar(50), nick varchar(50), n bigint);";
const ROWS: &str = "INSERT INTO users VALUES (1, 'a@x', 'n1', 1), (2, 'a@x', NULL, 2), (3, 'b@x', NULL, 100000), \
                    (4, 'b@x', NULL, 4), (5, 'a-very-long-address@x', 'n2', 5);";

/// The verdict of the first hazard with `code` in the plan to `desired`.
fn verdict(db: &Db, desired: &str, code: &str) -> String {
    let plan = db.plan(desired, &[]);
    let all = hazards(&plan);
    all.iter().find(|(c, _, _)| c == code).map(|(_, _, v)| v.clone()).unwrap_or_else(|| panic!("no {code} in {all:?}"))
}

/// How verdicts name the users table: PostgreSQL qualifies it with its schema.
fn users(db: &Db) -> &'static str {
    match db.target {
        crate::db::Target::Postgres(..) => "public.users",
        _ => "users",
    }
}

fn users_with(extra: &str) -> String {
    USERS.replace(", n bigint)", &format!(", n bigint{extra})"))
}

/// Duplicates, NULLs and rows on a dialect; `fill_not_null` is SQLite's NULLs-take-the-default
/// rebuild, `zero_value` MySQL's zero value for a new NOT NULL column.
fn duplicates_nulls_and_rows(make: fn() -> Option<Db>, mysql: bool, sqlite: bool) {
    let Some(db) = make() else { return };
    db.exec(USERS);
    db.exec(ROWS);
    let unique = |col: &str| users_with(&format!(", UNIQUE (\"{col}\")")).replace('"', if mysql { "`" } else { "\"" });
    assert_eq!(
        verdict(&db, &unique("email"), "MF101"),
        format!("will_fail: 2 duplicate values of email in {u}", u = users(&db))
    );
    assert_eq!(
        verdict(&db, &unique("nick"), "MF101"),
        format!("safe: no duplicate values of nick in {u}", u = users(&db))
    );
    let not_null = USERS.replace("nick varchar(50)", "nick varchar(50) NOT NULL");
    assert_eq!(verdict(&db, &not_null, "MF104"), format!("will_fail: 3 NULLs in {u}.nick", u = users(&db)));
    assert_eq!(
        verdict(&db, &USERS.replace("email varchar(50)", "email varchar(50) NOT NULL"), "MF104"),
        format!("safe: no NULLs in {u}.email", u = users(&db))
    );
    if sqlite {
        let filled = USERS.replace("nick varchar(50)", "nick varchar(50) NOT NULL DEFAULT 'x'");
        assert_eq!(verdict(&db, &filled, "MF104"), format!("changes_data: 3 NULLs in {u}.nick", u = users(&db)));
    }
    let added = users_with(", z int NOT NULL");
    let expected = if mysql {
        format!("changes_data: {u} has rows", u = users(&db))
    } else {
        format!("will_fail: {u} has rows", u = users(&db))
    };
    assert_eq!(verdict(&db, &added, "MF103"), expected);
    db.exec("DELETE FROM users;");
    assert_eq!(verdict(&db, &added, "MF103"), format!("safe: no rows in {u}", u = users(&db)));
}

#[test]
fn sqlite_checks_duplicates_nulls_and_rows() {
    duplicates_nulls_and_rows(Db::sqlite, false, true);
}

#[test]
fn postgres_checks_duplicates_nulls_and_rows() {
    duplicates_nulls_and_rows(Db::postgres, false, false);
}

#[test]
fn mysql_checks_duplicates_nulls_and_rows() {
    duplicates_nulls_and_rows(Db::mysql, true, false);
}

/// Too-long strings and out-of-range numbers on the server dialects (SQLite enforces neither).
fn values_that_do_not_fit(make: fn() -> Option<Db>, smallint: &str) {
    let Some(db) = make() else { return };
    db.exec(USERS);
    db.exec(ROWS);
    let short = USERS.replace("email varchar(50)", "email varchar(10)");
    assert!(
        verdict(&db, &short, "MF105")
            .starts_with(&format!("will_fail: 1 value of {u}.email does not fit", u = users(&db))),
        "{}",
        verdict(&db, &short, "MF105")
    );
    let wide_enough = USERS.replace("email varchar(50)", "email varchar(30)");
    assert!(verdict(&db, &wide_enough, "MF105")
        .starts_with(&format!("safe: every value of {u}.email fits", u = users(&db))));
    let small = USERS.replace("n bigint", &format!("n {smallint}"));
    assert!(
        verdict(&db, &small, "MF105").starts_with(&format!("will_fail: 1 value of {u}.n does not fit", u = users(&db))),
        "{}",
        verdict(&db, &small, "MF105")
    );
    db.exec("UPDATE users SET n = 3 WHERE id = 3;");
    assert!(verdict(&db, &small, "MF105").starts_with(&format!("safe: every value of {u}.n fits", u = users(&db))));
}

#[test]
fn postgres_checks_values_that_do_not_fit() {
    values_that_do_not_fit(Db::postgres, "smallint");
}

#[test]
fn mysql_checks_values_that_do_not_fit() {
    values_that_do_not_fit(Db::mysql, "smallint");
}

/// An allowed code whose live check says "will fail" is refused with exit 3 before anything
/// runs: the other steps of the plan are not applied either.
fn will_fail_is_refused_before_anything_runs(make: fn() -> Option<Db>, mysql: bool) {
    let Some(db) = make() else { return };
    db.exec(USERS);
    db.exec(ROWS);
    let q = |s: &str| if mysql { s.replace('"', "`") } else { s.to_string() };
    let desired = q(&format!("{} CREATE TABLE other (x int);", users_with(", UNIQUE (\"email\")")));
    let run = db.run("apply", &desired, &["--auto-approve", "--allow", "MF101,LK106"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!("MF101 will fail: 2 duplicate values of email in {u}", u = users(&db))),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("live check: will fail"), "{}", run.stdout);
    let other = match db.target {
        crate::db::Target::Sqlite(_) => db.query("SELECT count(*) FROM sqlite_master WHERE name = 'other'"),
        crate::db::Target::Mysql(..) => db.query(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'other'",
        ),
        crate::db::Target::Postgres(..) => db.query("SELECT count(*) FROM pg_tables WHERE tablename = 'other'"),
    };
    assert_eq!(other.trim(), "0", "nothing may run once a check says the plan will fail");
    db.exec("DELETE FROM users WHERE id IN (2, 4);");
    let run = db.run("apply", &desired, &["--auto-approve", "--allow", "MF101,LK106"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!("live check: safe: no duplicate values of email in {u}", u = users(&db))),
        "{}",
        run.stdout
    );
}

#[test]
fn sqlite_refuses_a_plan_that_will_fail() {
    will_fail_is_refused_before_anything_runs(Db::sqlite, false);
}

#[test]
fn postgres_refuses_a_plan_that_will_fail() {
    will_fail_is_refused_before_anything_runs(Db::postgres, false);
}

#[test]
fn mysql_refuses_a_plan_that_will_fail() {
    will_fail_is_refused_before_anything_runs(Db::mysql, true);
}

#[test]
fn markdown_and_text_show_the_verdicts() {
    let Some(db) = Db::sqlite() else { return };
    db.exec(USERS);
    db.exec(ROWS);
    let desired = users_with(", UNIQUE (\"email\")");
    let md = db.run("plan", &desired, &["--format", "markdown"]);
    assert!(
        md.stdout.contains("| `MF101` |") && md.stdout.contains("**will fail: 2 duplicate values of email in users**"),
        "{}",
        md.stdout
    );
    let sql = db.run("plan", &desired, &["--format", "sql"]);
    assert!(
        sql.stdout.contains(&format!("--   live check: will fail: 2 duplicate values of email in {u}", u = users(&db))),
        "{}",
        sql.stdout
    );
}
