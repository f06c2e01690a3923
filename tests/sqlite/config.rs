//! `schema.toml`: environments give the URL, the sources and the allowed hazards; `${NAME}`
//! comes from the environment; flags win over the file; mistakes point at their line.

use schema_e2e::sqlite_catalog::{load, snapshot};
use schema_e2e::{schema, Scratch};

const PROJECT: &str = r#"# the project's policy
[policy]
allow = ["LK106", "MF105"]

[env.prod]
url = "sqlite://${SCHEMA_E2E_CONFIG_DIR}/prod.db"
to = ["desired"]
allow-destructive = true
lock-timeout = "2s"

[env.strict]
url = "sqlite://${SCHEMA_E2E_CONFIG_DIR}/prod.db"
to = ["desired"]
"#;

#[test]
fn an_environment_gives_url_sources_and_policy() {
    let s = Scratch::new();
    std::env::set_var("SCHEMA_E2E_CONFIG_DIR", s.path("").display().to_string().trim_end_matches('/'));
    let config = s.write("schema.toml", PROJECT);
    s.write("desired/1.sql", "CREATE TABLE t (a TEXT, b INTEGER NOT NULL DEFAULT 0);");
    let db = s.path("prod.db");
    load(&db, "CREATE TABLE t (a INTEGER); CREATE TABLE gone (x TEXT); INSERT INTO t VALUES (1);");
    let before = snapshot(&db);
    // Without the destructive codes (env strict) the drop of `gone` is refused.
    let strict = schema(&["--config", &config, "--env", "strict", "apply", "--auto-approve"]);
    assert_eq!(strict.code, 3, "{}{}", strict.stdout, strict.stderr);
    assert!(strict.stderr.contains("DS102"), "{}", strict.stderr);
    assert!(!strict.stderr.contains("LK106") && !strict.stderr.contains("MF105"), "{}", strict.stderr);
    assert_eq!(snapshot(&db), before);
    // prod allows them, and [policy] allows the rebuild and the type change for every environment.
    let plan = schema(&["--config", &config, "--env", "prod", "plan"]);
    assert_eq!(plan.code, 0, "{}{}", plan.stdout, plan.stderr);
    assert!(plan.stdout.contains(&format!("Plan for sqlite://{}", db.display())), "{}", plan.stdout);
    let run = schema(&["apply", "--env", "prod", "--config", &config, "--auto-approve"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    load(&s.path("want.db"), "CREATE TABLE t (a TEXT, b INTEGER NOT NULL DEFAULT 0);");
    assert_eq!(snapshot(&db), snapshot(&s.path("want.db")));
    // history and rollback take the environment's URL and policy too.
    let history = schema(&["--config", &config, "--env", "prod", "history"]);
    assert!(history.stdout.contains("apply     applied"), "{}{}", history.stdout, history.stderr);
    let back = schema(&["--config", &config, "--env", "prod", "rollback", "--auto-approve"]);
    assert_eq!(back.code, 0, "{}{}", back.stdout, back.stderr);
    assert_eq!(snapshot(&db), before, "rollback under the environment's policy restores the catalog");
    // A flag wins over the file: --url points at another database.
    let other = s.sqlite_url("other.db");
    let flagged = schema(&["--config", &config, "--env", "prod", "apply", "--url", &other, "--auto-approve"]);
    assert_eq!(flagged.code, 0, "{}{}", flagged.stdout, flagged.stderr);
    assert_eq!(snapshot(&s.path("other.db")), snapshot(&s.path("want.db")));
}

#[test]
fn mistakes_in_the_file_point_at_the_line() {
    let s = Scratch::new();
    let bad =
        s.write("schema.toml", "[env.prod]\nurl = \"sqlite://x.db\"\nto = [\"d\"]\nallow = [\"DS102\", \"XX1\"]\n");
    let run = schema(&["--config", &bad, "--env", "prod", "plan"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("schema.toml:4: unknown hazard code \"XX1\""), "{}", run.stderr);
    assert!(run.stderr.contains("4 │ allow = [\"DS102\", \"XX1\"]"), "the line is shown:\n{}", run.stderr);
    let unset = s.write("unset.toml", "[env.prod]\nurl = \"postgres://app:${SCHEMA_E2E_UNSET_PASSWORD}@db/app\"\n");
    let run = schema(&["--config", &unset, "--env", "prod", "plan", "--to", "x.sql"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unset.toml:2: the environment variable SCHEMA_E2E_UNSET_PASSWORD is not set"),
        "{}",
        run.stderr
    );
    let typo = s.write("typo.toml", "[env.prod]\nurl = \"sqlite://x.db\"\nlock-timout = \"2s\"\n");
    let run = schema(&["--config", &typo, "--env", "prod", "plan", "--to", "x.sql"]);
    assert!(run.stderr.contains("typo.toml:3: unknown field `lock-timout`"), "{}", run.stderr);
    let missing = schema(&["--config", &bad, "--env", "staging", "plan"]);
    assert!(missing.stderr.contains("no environment \"staging\""), "{}", missing.stderr);
    assert!(missing.stderr.contains("environments: prod"), "{}", missing.stderr);
}

#[test]
fn a_password_from_the_environment_is_never_printed() {
    let s = Scratch::new();
    std::env::set_var("SCHEMA_E2E_SECRET_PW", "hunter2-secret");
    // Nothing listens on port 1: the connection fails, and the error must not show the password.
    let config = s.write(
        "schema.toml",
        "[env.prod]\nurl = \"postgres://app:${SCHEMA_E2E_SECRET_PW}@127.0.0.1:1/app\"\nto = [\"x.sql\"]\n",
    );
    s.write("x.sql", "CREATE TABLE t (a int);");
    let run = schema(&["--config", &config, "--env", "prod", "plan"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"), "{}{}", run.stdout, run.stderr);
}
