//! The command line's contract: exit codes, refusal, dry runs, formats, history and rollback.

use schema_e2e::sqlite_catalog::{load, snapshot};
use schema_e2e::{schema, Scratch};

#[test]
fn dropping_a_table_or_column_is_refused_with_exit_3_and_changes_nothing() {
    let s = Scratch::new();
    let db = s.path("a.db");
    load(&db, "CREATE TABLE keep (a INTEGER, gone TEXT); CREATE TABLE lost (b INTEGER); INSERT INTO lost VALUES (1);");
    let before = snapshot(&db);
    let url = s.sqlite_url("a.db");
    let to = s.write("to.sql", "CREATE TABLE keep (a INTEGER);");
    let run = schema(&["apply", "--url", &url, "--to", &to, "--auto-approve"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("DS102 table lost and all its rows are deleted"), "{}", run.stderr);
    assert!(run.stderr.contains("DS103 column keep.gone"), "{}", run.stderr);
    assert!(run.stderr.contains("--allow-destructive"), "{}", run.stderr);
    assert_eq!(snapshot(&db), before);
    assert!(schema(&["history", "--url", &url]).stdout.starts_with("No revisions"), "a refusal records nothing");
    let run = schema(&["apply", "--url", &url, "--to", &to, "--auto-approve", "--allow-destructive"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn an_unknown_allowed_code_is_an_error() {
    let s = Scratch::new();
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER);");
    let run = schema(&["apply", "--url", &s.sqlite_url("a.db"), "--to", &to, "--allow", "XX999", "--auto-approve"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown hazard code \"XX999\""), "{}", run.stderr);
}

#[test]
fn dry_run_and_exit_code_change_nothing() {
    let s = Scratch::new();
    let url = s.sqlite_url("a.db");
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER);");
    let run = schema(&["apply", "--url", &url, "--to", &to, "--dry-run"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Dry run: nothing was applied."), "{}", run.stdout);
    assert_eq!(snapshot(&s.path("a.db")), snapshot(&s.path("empty.db")));
    let plan = schema(&["plan", "--url", &url, "--to", &to, "--exit-code"]);
    assert_eq!(plan.code, 2, "{}", plan.stdout);
    assert!(plan.stdout.contains("1. create table \"t\""), "{}", plan.stdout);
    assert!(plan.stdout.contains("Changes: 1 table created"), "{}", plan.stdout);
}

#[test]
fn apply_without_a_terminal_needs_auto_approve() {
    let s = Scratch::new();
    let url = s.sqlite_url("a.db");
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER);");
    let run = schema(&["apply", "--url", &url, "--to", &to]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--auto-approve"), "{}", run.stderr);
}

#[test]
fn plan_formats_and_plan_file() {
    let s = Scratch::new();
    load(&s.path("a.db"), "CREATE TABLE t (a INTEGER, b TEXT);");
    let url = s.sqlite_url("a.db");
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER);");
    let out = s.path("plan.json").display().to_string();
    let json = schema(&["plan", "--url", &url, "--to", &to, "--format", "json", "--out", &out]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["steps"][0]["sql"][0], "ALTER TABLE \"t\" DROP COLUMN \"b\"");
    assert_eq!(v["steps"][0]["reverse"][0], "ALTER TABLE \"t\" ADD COLUMN \"b\" TEXT");
    assert_eq!(v["steps"][0]["hazards"][0]["code"], "DS103");
    assert!(v["steps"][0]["irreversible"].as_str().unwrap().contains("cannot come back"));
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(file["plan"], v, "the plan file holds the same plan");
    assert_eq!(file["desired"]["schemas"][0]["tables"][0]["columns"].as_array().unwrap().len(), 1);
    let sql = schema(&["plan", "--url", &url, "--to", &to, "--format", "sql"]);
    assert_eq!(sql.stdout, "-- 1. drop column \"t\".\"b\"\n-- ! DS103 column t.b and its data are deleted\nALTER TABLE \"t\" DROP COLUMN \"b\";\n");
}

#[test]
fn inspect_prints_sql_that_rebuilds_the_same_catalog_and_json() {
    let s = Scratch::new();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/demo/v2");
    let url = s.sqlite_url("a.db");
    let applied = schema(&["apply", "--url", &url, "--to", demo, "--auto-approve"]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let sql = schema(&["inspect", "--url", &url]);
    assert_eq!(sql.code, 0);
    load(&s.path("copy.db"), &sql.stdout);
    assert_eq!(snapshot(&s.path("copy.db")), snapshot(&s.path("a.db")));
    let json = schema(&["inspect", "--url", &url, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["dialect"], "sqlite");
    assert_eq!(v["schemas"][0]["tables"][0]["name"], "customers");
    let excluded = schema(&["inspect", "--url", &url, "--exclude", "order*"]);
    assert!(
        !excluded.stdout.contains("\"orders\"") && excluded.stdout.contains("\"customers\""),
        "{}",
        excluded.stdout
    );
}

#[test]
fn diff_between_files_and_databases() {
    let s = Scratch::new();
    let v1 = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/demo/v1");
    let v2 = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/demo/v2");
    let files = schema(&["diff", "--from", v1, "--to", v2]);
    assert_eq!(files.code, 0);
    assert!(files.stdout.contains("ALTER TABLE \"customers\" ADD COLUMN \"phone\" TEXT;"), "{}", files.stdout);
    let url = s.sqlite_url("a.db");
    schema(&["apply", "--url", &url, "--to", v1, "--auto-approve"]);
    let live = schema(&["diff", "--from", &url, "--to", v2]);
    assert_eq!(live.stdout, files.stdout);
    assert_eq!(schema(&["diff", "--from", v2, "--to", v2]).stdout, "");
    // JSON carries the same steps, with the fingerprints of both sides the script leaves out.
    let json = |from: &str, to: &str| -> serde_json::Value {
        serde_json::from_str(&schema(&["diff", "--from", from, "--to", to, "--format", "json"]).stdout).expect("JSON")
    };
    let (forward, same) = (json(v1, v2), json(v2, v2));
    let statements: Vec<String> = forward["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .flat_map(|st| st["sql"].as_array().expect("sql").iter().map(|q| format!("{};", q.as_str().expect("text"))))
        .collect();
    let script: Vec<&str> = files.stdout.lines().filter(|l| !l.starts_with("--")).collect();
    assert_eq!(statements.join("\n"), script.join("\n"));
    let hash = |v: &serde_json::Value, side: &str| v[side].as_str().expect("a fingerprint").to_string();
    assert_eq!(hash(&forward, "from_hash").len(), 64);
    assert_ne!(hash(&forward, "from_hash"), hash(&forward, "to_hash"));
    assert_eq!(hash(&forward, "to_hash"), hash(&same, "from_hash"));
    assert_eq!(hash(&same, "from_hash"), hash(&same, "to_hash"));
}

#[test]
fn history_records_every_apply_and_rollback_restores_the_before_state() {
    let s = Scratch::new();
    let db = s.path("a.db");
    let url = s.sqlite_url("a.db");
    load(&db, "CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, '10');");
    let before = snapshot(&db);
    let to = s.write(
        "to.sql",
        "CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX t_a ON t (a); CREATE TABLE extra (x TEXT);",
    );
    let run = schema(&["apply", "--url", &url, "--to", &to, "--auto-approve", "--allow", "LK106,MF105"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_ne!(snapshot(&db), before);
    let history = schema(&["history", "--url", &url, "--format", "json"]);
    let revs: serde_json::Value = serde_json::from_str(&history.stdout).unwrap();
    assert_eq!(revs[0]["kind"], "apply");
    assert_eq!(revs[0]["status"], "applied");
    assert_eq!(revs[0]["applied"], revs[0]["total"]);
    assert!(revs[0]["statements"].as_array().unwrap().iter().any(|s| s == "CREATE INDEX \"t_a\" ON \"t\" (\"a\")"));
    let back = schema(&["rollback", "--url", &url, "--auto-approve", "--allow-destructive", "--allow", "LK106,MF105"]);
    assert_eq!(back.code, 0, "{}{}", back.stdout, back.stderr);
    assert_eq!(snapshot(&db), before, "rollback brings the catalog back");
    let text = schema(&["history", "--url", &url]);
    assert!(text.stdout.contains("rollback  applied"), "{}", text.stdout);
    let rows = std::process::Command::new("sqlite3").arg(&db).arg("SELECT a, b FROM t").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&rows.stdout).trim(), "1|10");
}

#[test]
fn plans_are_byte_identical_across_runs() {
    let s = Scratch::new();
    let v2 = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/demo/v2");
    let url = s.sqlite_url("a.db");
    load(&s.path("a.db"), "CREATE TABLE zz (a INTEGER); CREATE TABLE aa (b INTEGER);");
    let first = schema(&["plan", "--url", &url, "--to", v2, "--format", "json"]).stdout;
    for _ in 0..5 {
        assert_eq!(schema(&["plan", "--url", &url, "--to", v2, "--format", "json"]).stdout, first);
    }
}

#[test]
fn a_rename_directive_whose_old_and_new_names_both_exist_is_refused() {
    let s = Scratch::new();
    let db = s.path("a.db");
    load(&db, "CREATE TABLE users (id INTEGER, username TEXT, user_name VARCHAR(50));");
    let before = snapshot(&db);
    let to = s.write(
        "to.sql",
        "CREATE TABLE users (\n  id INTEGER,\n  username TEXT,\n  user_name VARCHAR(100) -- schema:renamed-from username\n);",
    );
    let run = schema(&["apply", "--url", &s.sqlite_url("a.db"), "--to", &to, "--auto-approve", "--allow-destructive"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("declared renamed from username, but both username and user_name exist"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&db), before);
}

#[test]
fn dropping_a_view_or_trigger_needs_allow_destructive() {
    let s = Scratch::new();
    let db = s.path("a.db");
    load(&db, "CREATE TABLE t (a INTEGER); CREATE VIEW v AS SELECT a FROM t; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;");
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER);");
    let run = schema(&["apply", "--url", &s.sqlite_url("a.db"), "--to", &to, "--auto-approve"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("DS104 view main.v is dropped") && run.stderr.contains("DS104 trigger main.tr is dropped"),
        "{}",
        run.stderr
    );
    // A view that is only recreated carries no hazard.
    let changed = s.write("changed.sql", "CREATE TABLE t (a INTEGER); CREATE VIEW v AS SELECT a, 1 AS b FROM t; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;");
    let plan = schema(&["plan", "--url", &s.sqlite_url("a.db"), "--to", &changed]);
    assert!(plan.stdout.contains("0 hazards"), "{}", plan.stdout);
}

#[test]
fn an_apply_scoped_by_exclude_leaves_the_rest_alone_and_rolls_back_cleanly() {
    let s = Scratch::new();
    let db = s.path("a.db");
    let url = s.sqlite_url("a.db");
    load(&db, "CREATE TABLE app (a INTEGER); CREATE TABLE tmp_cache (k TEXT); INSERT INTO tmp_cache VALUES ('keep');");
    let before = snapshot(&db);
    let to = s.write("to.sql", "CREATE TABLE app (a INTEGER, b TEXT);");
    let run = schema(&["apply", "--url", &url, "--to", &to, "--exclude", "tmp_*", "--auto-approve"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("tmp_cache"), "{}", run.stdout);
    assert!(snapshot(&db).contains("column tmp_cache.k"), "the excluded table stays");
    let back = schema(&["rollback", "--url", &url, "--auto-approve", "--allow-destructive"]);
    assert_eq!(back.code, 0, "{}{}", back.stdout, back.stderr);
    assert!(!back.stdout.contains("tmp_cache"), "rollback leaves the excluded table alone:\n{}", back.stdout);
    assert_eq!(snapshot(&db), before);
}

#[test]
fn a_plan_file_applies_exactly_and_a_stale_one_is_refused_with_exit_4() {
    let s = Scratch::new();
    let db = s.path("a.db");
    let url = s.sqlite_url("a.db");
    load(&db, "CREATE TABLE t (a INTEGER);");
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX t_a ON t (a);");
    let plan_path = s.path("plan.json").display().to_string();
    assert_eq!(schema(&["plan", "--url", &url, "--to", &to, "--out", &plan_path]).code, 0);

    // Someone changes the database after the plan was reviewed.
    load(&db, "CREATE TABLE intruder (x INTEGER);");
    let before = snapshot(&db);
    let stale = schema(&["apply", "--url", &url, "--plan", &plan_path, "--auto-approve"]);
    assert_eq!(stale.code, 4, "{}{}", stale.stdout, stale.stderr);
    assert!(stale.stderr.contains("changed since the plan was made"), "{}", stale.stderr);
    assert!(stale.stderr.contains("+CREATE TABLE \"intruder\""), "the drift is shown as a diff:\n{}", stale.stderr);
    assert_eq!(snapshot(&db), before, "a stale plan changes nothing");

    // A fresh plan file applies exactly its steps.
    load(&db, "DROP TABLE intruder;");
    let fresh = schema(&["apply", "--url", &url, "--plan", &plan_path, "--auto-approve"]);
    assert_eq!(fresh.code, 0, "{}{}", fresh.stdout, fresh.stderr);
    assert!(fresh.stdout.contains("ALTER TABLE \"t\" ADD COLUMN \"b\" TEXT;"), "{}", fresh.stdout);
    assert!(schema(&["plan", "--url", &url, "--to", &to]).stdout.starts_with("No changes"));
    let bad = schema(&["apply", "--url", &url, "--plan", &to, "--auto-approve"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("is not a plan file written by `schema plan --out`"), "{}", bad.stderr);
}

#[test]
fn plan_as_a_pull_request_comment() {
    let s = Scratch::new();
    load(&s.path("a.db"), "CREATE TABLE t (a INTEGER, gone TEXT);");
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER); CREATE TABLE u (x INTEGER);");
    let md = schema(&["plan", "--url", &s.sqlite_url("a.db"), "--to", &to, "--format", "markdown"]).stdout;
    assert!(md.contains("**2 step(s), 2 statement(s), 1 hazard(s)**; **not fully reversible**."), "{md}");
    assert!(md.contains("| create table | 1 |") && md.contains("| drop column | 1 |"), "{md}");
    assert!(md.contains("| 2 | `DS103` | column t.gone and its data are deleted |"), "{md}");
    assert!(md.contains("- step 2: the data of column t.gone cannot come back"), "{md}");
    assert!(md.contains("<details><summary>SQL (2 statements)</summary>"), "{md}");
    assert!(
        md.contains("ALTER TABLE \"t\" ADD COLUMN \"gone\" TEXT;\nDROP TABLE \"u\";"),
        "the reverse, last step first:\n{md}"
    );
}

#[test]
fn inspect_reports_drift_from_the_files_with_exit_2() {
    let s = Scratch::new();
    let url = s.sqlite_url("a.db");
    let to = s.write("to.sql", "CREATE TABLE t (a INTEGER);");
    assert_eq!(schema(&["apply", "--url", &url, "--to", &to, "--auto-approve"]).code, 0);
    let clean = schema(&["inspect", "--url", &url, "--to", &to, "--exit-code"]);
    assert_eq!(clean.code, 0, "{}{}", clean.stdout, clean.stderr);
    assert!(clean.stdout.starts_with("No drift"), "{}", clean.stdout);
    load(&s.path("a.db"), "ALTER TABLE t ADD COLUMN hotfix TEXT;");
    let drift = schema(&["inspect", "--url", &url, "--to", &to, "--exit-code"]);
    assert_eq!(drift.code, 2, "{}{}", drift.stdout, drift.stderr);
    assert!(drift.stdout.contains("table t differs: column hotfix not desired"), "{}", drift.stdout);
    assert!(drift.stdout.contains("+  \"hotfix\" TEXT"), "{}", drift.stdout);
}
