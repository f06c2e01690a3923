//! Privileges and owners under `--manage-roles`: grants and revokes on every kind of object,
//! grant options, PUBLIC, role names that need quoting, owners, the scope (unmanaged roles and
//! `:no-revoke` rules are left alone), the BC103 policy and the refusals. Catalogs are compared
//! with `snapshot_full` (ACLs as sets, owners) and checked with `has_*_privilege` queries of
//! the suite's own.

use schema_e2e::converge::converge_scoped;
use schema_e2e::pg::{self, PgDb};
use schema_e2e::pg_catalog::snapshot_full;
use schema_e2e::{schema, Scratch};

use crate::harness::ALLOW_ALL;

/// Roles these tests grant to; created cluster-wide, idempotently.
const ROLES: [&str; 5] = ["e2e_app", "e2e user with spaces", "E2eCamelCase", "e2e.with.dot", "e2e_other"];

/// The rules every converging test uses: the suite's roles and PUBLIC, revokes allowed.
const RULES: &str = "e2e_app,e2e user with spaces,E2eCamelCase,e2e.with.dot,PUBLIC";

fn roles() -> bool {
    if PgDb::create("schema_e2e_probe").is_none() {
        return false;
    }
    pg::ensure_roles(&pg::server_url(), &ROLES).unwrap_or_else(|e| panic!("{e}"));
    true
}

fn full(url: &str) -> String {
    snapshot_full(url).unwrap_or_else(|e| panic!("{e}"))
}

/// [`full`] without the privileges of `e2e_other`, the one role of the suite that [`RULES`]
/// leave out: a database made from the HCL of the managed scope has none of them.
fn managed(url: &str) -> String {
    full(url).lines().filter(|l| !l.contains("e2e_other")).collect::<Vec<_>>().join("\n")
}

fn allow() -> String {
    format!("{ALLOW_ALL},BC103")
}

/// `before` → `after` and back, each way converged, compared with a direct load and re-planned
/// to empty.
fn both_ways(before: &str, after: &str) {
    if !roles() {
        return;
    }
    let extra = ["--manage-roles", RULES];
    converge_scoped::<PgDb>(before, after, "", &allow(), &extra, &full, &managed);
    converge_scoped::<PgDb>(after, before, "", &allow(), &extra, &full, &managed);
}

const OBJECTS: &str = r#"
    CREATE SCHEMA app;
    CREATE TABLE app."Users" (id bigint PRIMARY KEY, name text, secret text);
    CREATE TABLE counters (id bigint PRIMARY KEY, n serial);
    CREATE VIEW app.names AS SELECT id, name FROM app."Users";
    CREATE FUNCTION app.touch(x integer) RETURNS integer AS $$ SELECT x $$ LANGUAGE sql;
    CREATE PROCEDURE app.noop() AS $$ SELECT 1 $$ LANGUAGE sql;
"#;

#[test]
fn grants_on_every_kind_of_object_both_ways() {
    let after = format!(
        r#"{OBJECTS}
        GRANT USAGE ON SCHEMA app TO e2e_app, "e2e user with spaces";
        GRANT SELECT, INSERT ON app."Users" TO e2e_app WITH GRANT OPTION;
        GRANT SELECT (id, name), UPDATE (name) ON app."Users" TO "E2eCamelCase";
        GRANT USAGE, SELECT ON SEQUENCE counters_n_seq TO "e2e.with.dot";
        GRANT SELECT ON app.names TO "e2e user with spaces";
        REVOKE EXECUTE ON FUNCTION app.touch(integer) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION app.touch(integer) TO e2e_app;
        GRANT EXECUTE ON PROCEDURE app.noop() TO "E2eCamelCase";
        GRANT SELECT ON counters TO PUBLIC;"#
    );
    both_ways(OBJECTS, &after);
}

#[test]
fn privileges_change_in_place_and_grant_options_move() {
    let before = "CREATE TABLE t (id int, a text, b text);
        GRANT SELECT, INSERT, DELETE ON t TO e2e_app;
        GRANT SELECT ON t TO \"E2eCamelCase\" WITH GRANT OPTION;
        GRANT SELECT (a, b) ON t TO \"e2e.with.dot\";
        GRANT UPDATE ON t TO e2e_other;";
    let after = "CREATE TABLE t (id int, a text, b text);
        GRANT SELECT, UPDATE ON t TO e2e_app WITH GRANT OPTION;
        GRANT SELECT ON t TO \"E2eCamelCase\";
        GRANT SELECT (a) ON t TO \"e2e.with.dot\";
        GRANT UPDATE ON t TO e2e_other;";
    both_ways(before, after);
}

/// Runs `schema` with a desired file and returns the outcome, the file's path and the scratch
/// directory that holds it.
fn run(args: &[&str], desired: &str) -> (schema_e2e::Outcome, Scratch) {
    let scratch = Scratch::new();
    let to = scratch.write("desired.sql", desired);
    let mut argv: Vec<&str> = args.to_vec();
    argv.extend(["--to", &to]);
    (schema(&argv), scratch)
}

/// A database loaded with `before` and an empty dev database, once the roles exist.
fn setup(before: &str) -> Option<(PgDb, PgDb)> {
    if !roles() {
        return None;
    }
    let (a, dev) = (PgDb::create("schema_e2e")?, PgDb::create("schema_e2e_dev")?);
    a.exec(before);
    Some((a, dev))
}

fn has(db: &PgDb, role: &str, privilege: &str) -> bool {
    let sql = format!("SELECT has_table_privilege('{role}', 't', '{privilege}')");
    db.exec(&sql) == ["t"]
}

#[test]
fn unmanaged_roles_and_no_revoke_rules_are_left_alone() {
    let Some((a, dev)) =
        setup("CREATE TABLE t (id int); GRANT SELECT ON t TO e2e_other; GRANT SELECT, INSERT ON t TO e2e_app;")
    else {
        return;
    };
    let (url, dev_url) = (a.url(), dev.url());
    let desired = "CREATE TABLE t (id int); GRANT UPDATE ON t TO \"E2eCamelCase\"; GRANT SELECT ON t TO e2e_app;";
    // Without --manage-roles privileges are not compared at all.
    let (plain, _s) = run(&["plan", "--url", &url, "--dev-url", &dev_url, "--exit-code"], desired);
    assert_eq!(plain.code, 0, "{}{}", plain.stdout, plain.stderr);
    let rules = "E2eCamelCase,~e2e_a.*:no-revoke";
    let (applied, _s) =
        run(&["apply", "--url", &url, "--dev-url", &dev_url, "--auto-approve", "--manage-roles", rules], desired);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let revokes = applied.stdout.lines().filter(|l| l.trim_start().starts_with("REVOKE")).count();
    assert_eq!(revokes, 0, "nothing is revoked:\n{}", applied.stdout);
    assert!(has(&a, "E2eCamelCase", "UPDATE"));
    assert!(has(&a, "e2e_other", "SELECT"), "an unmanaged role keeps its grant");
    assert!(has(&a, "e2e_app", "INSERT"), "a :no-revoke role keeps what it has");
    let (again, _s) =
        run(&["plan", "--url", &url, "--dev-url", &dev_url, "--exit-code", "--manage-roles", rules], desired);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

#[test]
fn a_revoke_needs_bc103_and_is_undone_by_a_grant() {
    let Some((a, dev)) = setup("CREATE TABLE t (id int); GRANT SELECT, DELETE ON t TO \"e2e user with spaces\";")
    else {
        return;
    };
    let (url, dev_url) = (a.url(), dev.url());
    let desired = "CREATE TABLE t (id int); GRANT SELECT ON t TO \"e2e user with spaces\";";
    let base = ["apply", "--url", &url, "--dev-url", &dev_url, "--auto-approve", "--manage-roles", RULES];
    let (refused, _s) = run(&base, desired);
    assert_eq!(refused.code, 3, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.stdout.contains("BC103"), "{}", refused.stdout);
    assert!(
        refused.stdout.contains("REVOKE DELETE ON TABLE \"public\".\"t\" FROM \"e2e user with spaces\""),
        "{}",
        refused.stdout
    );
    assert!(refused.stdout.contains("GRANT DELETE ON TABLE \"public\".\"t\" TO \"e2e user with spaces\""), "the undo");
    assert!(has(&a, "e2e user with spaces", "DELETE"), "a refused plan changes nothing");
    let mut allowed = base.to_vec();
    allowed.extend(["--allow", "BC103"]);
    let (ok, _s) = run(&allowed, desired);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(!has(&a, "e2e user with spaces", "DELETE"));
    assert!(has(&a, "e2e user with spaces", "SELECT"));
}

/// PostgreSQL gives PUBLIC EXECUTE on every routine it creates: a desired state that revokes
/// it gets the REVOKE right after the CREATE (no BC103: nothing runs the new routine yet),
/// and without PUBLIC among the rules the server's default is left alone.
#[test]
fn a_new_routine_loses_what_the_server_gave_it_where_desired_says_so() {
    let Some((a, dev)) = setup("") else { return };
    let (url, dev_url) = (a.url(), dev.url());
    let desired = "CREATE FUNCTION f(x integer) RETURNS integer AS $$ SELECT x $$ LANGUAGE sql;
        REVOKE EXECUTE ON FUNCTION f(integer) FROM PUBLIC; GRANT EXECUTE ON FUNCTION f(integer) TO e2e_app;";
    let can = |role: &str| a.exec(&format!("SELECT has_function_privilege('{role}', 'f(integer)', 'EXECUTE')"));
    let unmanaged = ["apply", "--url", &url, "--dev-url", &dev_url, "--auto-approve", "--manage-roles", "e2e_app"];
    let (ok, _s) = run(&unmanaged, desired);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(!ok.stdout.contains("FROM PUBLIC"), "PUBLIC is not managed:\n{}", ok.stdout);
    assert_eq!(can("e2e_other"), ["t"], "PUBLIC keeps the server's default");
    a.exec("DROP FUNCTION f(integer)");
    let managed = ["apply", "--url", &url, "--dev-url", &dev_url, "--auto-approve", "--manage-roles", RULES];
    let (ok, _s) = run(&managed, desired);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let revoke = "REVOKE EXECUTE ON FUNCTION \"public\".\"f\"(x integer) FROM PUBLIC";
    assert!(ok.stdout.contains(revoke), "{}", ok.stdout);
    assert!(!ok.stdout.contains("BC103"), "{}", ok.stdout);
    assert_eq!(can("e2e_other"), ["f"], "PUBLIC's EXECUTE is gone");
    assert_eq!(can("e2e_app"), ["t"]);
    let (again, _s) =
        run(&["plan", "--url", &url, "--dev-url", &dev_url, "--manage-roles", RULES, "--exit-code"], desired);
    assert_eq!(again.code, 0, "re-plan is empty:\n{}{}", again.stdout, again.stderr);
}

#[test]
fn owners_change_only_where_the_desired_state_states_them() {
    if !roles() {
        return;
    }
    let before = "CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t;";
    let after = "CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t;
        ALTER TABLE t OWNER TO e2e_app; ALTER VIEW v OWNER TO \"e2e.with.dot\";";
    let extra = ["--manage-roles", RULES];
    let Some(a) = converge_scoped::<PgDb>(before, after, "", &allow(), &extra, &full, &managed) else { return };
    assert!(a.stdout.contains("ALTER VIEW \"public\".\"v\" OWNER TO \"e2e.with.dot\""), "{}", a.stdout);
    let owners =
        "SELECT relname || ' ' || relowner::regrole::text FROM pg_class WHERE relname IN ('t', 'v') ORDER BY 1";
    assert_eq!(a.db.exec(owners), ["t e2e_app", "v \"e2e.with.dot\""]);
    // A desired state that says nothing about owners keeps them.
    let (url, dev_url) = (a.db.url(), a.dev_url.clone());
    let (same, _s) =
        run(&["plan", "--url", &url, "--dev-url", &dev_url, "--exit-code", "--manage-roles", RULES], before);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
}

#[test]
fn cascading_revokes_missing_roles_and_offline_privileges_are_refused() {
    let Some((a, dev)) = setup("CREATE TABLE t (id int); GRANT SELECT ON t TO e2e_app;") else { return };
    let (url, dev_url) = (a.url(), dev.url());
    let before = full(&url);
    let args = ["apply", "--url", &url, "--dev-url", &dev_url, "--auto-approve", "--manage-roles", RULES];
    let (cascade, _s) = run(&args, "CREATE TABLE t (id int);\nREVOKE SELECT ON t FROM e2e_app CASCADE;\n");
    assert_eq!(cascade.code, 1, "{}{}", cascade.stdout, cascade.stderr);
    assert!(cascade.stderr.contains("desired.sql:2"), "{}", cascade.stderr);
    assert!(cascade.stderr.contains("REVOKE ... CASCADE"), "{}", cascade.stderr);
    let (missing, _s) = run(&args, "CREATE TABLE t (id int);\n\nGRANT SELECT ON t TO e2e_nobody_here;\n");
    assert_eq!(missing.code, 1, "{}{}", missing.stdout, missing.stderr);
    assert!(missing.stderr.contains("desired.sql:3"), "{}", missing.stderr);
    assert!(missing.stderr.contains("role \"e2e_nobody_here\" does not exist"), "{}", missing.stderr);
    let (offline, _s) = run(&["plan", "--url", &url, "--manage-roles", RULES], "CREATE TABLE t (id int);\n");
    assert_eq!(offline.code, 1, "{}{}", offline.stdout, offline.stderr);
    assert!(
        offline.stderr.contains("--manage-roles needs") && offline.stderr.contains("--dev-url"),
        "{}",
        offline.stderr
    );
    assert_eq!(full(&url), before, "nothing changed");
}

#[test]
fn an_hcl_state_states_privileges_exactly_defaults_included() {
    let Some((a, dev)) = setup("CREATE TABLE t (id int); GRANT SELECT ON t TO e2e_app;") else { return };
    let s = Scratch::new();
    let to = s.write(
        "desired.hcl",
        "schema \"public\" {\n  comment = \"standard public schema\"\n}\n\ntable \"t\" {\n  column \"id\" {\n    null = true\n    type = integer\n  }\n}\n\npermission {\n  for        = table.t\n  to         = E2eCamelCase\n  privileges = [SELECT, UPDATE]\n}\n",
    );
    let (url, dev_url) = (a.url(), dev.url());
    let base = ["apply", "--url", &url, "--to", &to, "--dev-url", &dev_url, "--auto-approve", "--manage-roles", RULES];
    let mut args = base.to_vec();
    args.extend(["--allow", "BC103"]);
    let run = schema(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for statement in [
        "GRANT SELECT, UPDATE ON TABLE \"public\".\"t\" TO \"E2eCamelCase\"",
        "REVOKE SELECT ON TABLE \"public\".\"t\" FROM \"e2e_app\"",
        // Not stated in the HCL, so not granted: the server's default goes too.
        "REVOKE USAGE ON SCHEMA \"public\" FROM PUBLIC",
    ] {
        assert!(run.stdout.contains(statement), "missing {statement:?} in:\n{}", run.stdout);
    }
    assert!(has(&a, "E2eCamelCase", "UPDATE") && !has(&a, "e2e_app", "SELECT"));
    assert_eq!(a.exec("SELECT has_schema_privilege('e2e_other', 'public', 'USAGE')"), ["f"]);
    let mut again = vec!["plan", "--url", &url, "--to", &to, "--dev-url", &dev_url, "--exit-code"];
    again.extend(["--manage-roles", RULES]);
    let again = schema(&again);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

#[test]
fn an_owner_carries_to_the_sequences_of_identity_and_serial_columns() {
    if !roles() {
        return;
    }
    // PostgreSQL moves the sequences along with the table; the identity one is not in the model
    // but its owner is reported, and HCL carries it by name.
    let before = "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, n serial);";
    let after = format!("{before} ALTER TABLE t OWNER TO e2e_app;");
    let extra = ["--manage-roles", RULES];
    let Some(a) = converge_scoped::<PgDb>(before, &after, "", &allow(), &extra, &full, &managed) else { return };
    let owners = "SELECT relname || ' ' || relowner::regrole::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1";
    assert_eq!(a.db.exec(owners), ["t e2e_app", "t_id_seq e2e_app", "t_n_seq e2e_app"]);
}
