//! HCL desired state on SQLite: the demo schemas round trip, an HCL state plans exactly as its
//! SQL equivalent, SQL and HCL files mix in one directory, and `schema fmt` formats in place.

use schema_e2e::sqlite_catalog::snapshot;
use schema_e2e::{schema, Scratch};

use crate::harness::ALLOW_ALL;

fn demo(version: &str) -> String {
    format!("{}/../schemas/demo/{version}", env!("CARGO_MANIFEST_DIR"))
}

/// A database at the demo's `version`, applied from its SQL.
fn demo_db(scratch: &Scratch, name: &str, version: &str) -> String {
    let url = scratch.sqlite_url(name);
    let run = schema(&["apply", "--url", &url, "--to", &demo(version), "--auto-approve"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    url
}

#[test]
fn demo_schemas_round_trip_through_hcl() {
    for version in ["v1", "v2"] {
        let scratch = Scratch::new();
        let url = demo_db(&scratch, "a.db", version);
        let empty = scratch.sqlite_url("b.db");
        schema_e2e::hcl_trip::round_trip(&url, &empty, None, ALLOW_ALL, &[], &|u: &str| {
            snapshot(std::path::Path::new(u.trim_start_matches("sqlite://")))
        });
    }
}

#[test]
fn an_hcl_state_plans_exactly_as_its_sql() {
    let scratch = Scratch::new();
    let v2 = demo_db(&scratch, "v2.db", "v2");
    let hcl = schema(&["inspect", "--url", &v2, "--format", "hcl"]);
    let file = scratch.write("v2.hcl", &hcl.stdout);
    let v1 = demo_db(&scratch, "v1.db", "v1");
    let from_sql = schema(&["plan", "--url", &v1, "--to", &demo("v2"), "--format", "sql"]);
    let from_hcl = schema(&["plan", "--url", &v1, "--to", &file, "--format", "sql"]);
    assert_eq!(from_sql.code, 0, "{}", from_sql.stderr);
    assert!(!from_sql.stdout.trim().is_empty());
    assert_eq!(from_hcl.stdout, from_sql.stdout, "{}", from_hcl.stderr);
}

#[test]
fn sql_and_hcl_files_mix_in_one_directory() {
    let scratch = Scratch::new();
    scratch.write(
        "state/a_users.hcl",
        "schema \"main\" {}\n\ntable \"users\" {\n  schema = schema.main\n  column \"id\" {\n    type = integer\n  }\n  column \"name\" {\n    type = text\n    null = true\n    renamed_from = \"full_name\"\n  }\n  primary_key {\n    columns = [column.id]\n  }\n}\n",
    );
    scratch.write("state/b_view.sql", "CREATE VIEW user_names AS SELECT name FROM users;\n");
    let dir = scratch.path("state").display().to_string();
    let url = scratch.sqlite_url("a.db");
    let reference = scratch.path("b.db");
    schema_e2e::sqlite_catalog::load(
        &scratch.path("a.db"),
        "CREATE TABLE users (id integer NOT NULL PRIMARY KEY, full_name text);",
    );
    let run = schema(&["apply", "--url", &url, "--to", &dir, "--auto-approve", "--allow", "BC102"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("RENAME COLUMN"), "renamed_from is a rename, not a drop:\n{}", run.stdout);
    schema_e2e::sqlite_catalog::load(
        &reference,
        "CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name text);\nCREATE VIEW user_names AS SELECT name FROM users;",
    );
    assert_eq!(snapshot(&scratch.path("a.db")), snapshot(&reference));
    let again = schema(&["plan", "--url", &url, "--to", &dir, "--exit-code"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

#[test]
fn an_error_in_an_hcl_file_points_into_it() {
    let scratch = Scratch::new();
    let file =
        scratch.write("bad.hcl", "table \"t\" {\n  column \"a\" {\n    type = integer\n    nul = true\n  }\n}\n");
    schema_e2e::sqlite_catalog::load(&scratch.path("a.db"), "CREATE TABLE x (a);");
    let run = schema(&["plan", "--url", &scratch.sqlite_url("a.db"), "--to", &file]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad.hcl:4:5: unknown attribute `nul` in column \"a\""), "{}", run.stderr);
    assert!(run.stderr.contains("help: column \"a\" takes: type, null"), "{}", run.stderr);
}

#[test]
fn fmt_formats_in_place_and_checks() {
    let scratch = Scratch::new();
    let messy = "# users\ntable \"t\"   {\n      schema=schema.main\ncolumn \"a\" { # the key\ntype=integer\n  }\n}\nschema \"main\" {\n}\n";
    let file = scratch.write("s.hcl", messy);
    let check = schema(&["fmt", "--check", &file]);
    assert_eq!((check.code, check.stdout.trim()), (2, format!("not formatted: {file}").as_str()));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), messy, "--check changes nothing");
    let run = schema(&["fmt", &scratch.path("").display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want = "# users\ntable \"t\" {\n  schema = schema.main\n  column \"a\" { # the key\n    type = integer\n  }\n}\n\nschema \"main\" {}\n";
    assert_eq!(std::fs::read_to_string(&file).unwrap(), want);
    assert_eq!(schema(&["fmt", "--check", &file]).code, 0);
}

#[test]
fn inspect_refuses_a_name_hcl_cannot_write_as_a_label() {
    let scratch = Scratch::new();
    schema_e2e::sqlite_catalog::load(&scratch.path("a.db"), "CREATE TABLE \"${$${\" (a integer);");
    let run = schema(&["inspect", "--url", &scratch.sqlite_url("a.db"), "--format", "hcl"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "nothing is written:\n{}", run.stdout);
    assert!(
        run.stderr.contains(
            "the HCL form cannot write the name of table \"${$${\" (HCL cannot write it as a block label); use --format sql"
        ),
        "{}",
        run.stderr
    );
    let sql = schema(&["inspect", "--url", &scratch.sqlite_url("a.db"), "--format", "sql"]);
    assert!(sql.stdout.contains("${$${"), "SQL still writes it:\n{}", sql.stdout);
}
