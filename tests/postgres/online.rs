//! `--online` plans on PostgreSQL: concurrent index builds, NOT VALID + VALIDATE, NOT NULL
//! through a validated check, and the same catalog as the plain plan.

use schema_e2e::pg::PgDb;
use schema_e2e::pg_catalog::snapshot;
use schema_e2e::{schema, Scratch};

use crate::harness::ALLOW_ALL;

#[test]
fn an_online_plan_reaches_the_same_catalog_without_long_locks() {
    let (Some(a), Some(dev), Some(reference)) =
        (PgDb::create("schema_e2e_on"), PgDb::create("schema_e2e_dev"), PgDb::create("schema_e2e_ref"))
    else {
        return;
    };
    a.exec(
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE t (id int PRIMARY KEY, p_id int, email text, n int);
         CREATE INDEX t_n ON t (n);
         INSERT INTO p VALUES (1), (2);
         INSERT INTO t SELECT g, 1 + g % 2, 'u' || g || '@x', g FROM generate_series(1, 1000) g;",
    );
    let after = "CREATE TABLE p (id int PRIMARY KEY);
        CREATE TABLE t (id int PRIMARY KEY, p_id int NOT NULL REFERENCES p (id), email text CONSTRAINT t_email_key UNIQUE,
          n int CONSTRAINT t_n_positive CHECK (n > 0));
        CREATE INDEX t_n ON t (n DESC);
        CREATE INDEX t_email_lower ON t (lower(email));";
    let s = Scratch::new();
    let to = s.write("after.sql", after);
    let url = a.url();
    let run = schema(&[
        "apply",
        "--url",
        &url,
        "--to",
        &to,
        "--dev-url",
        &dev.url(),
        "--online",
        "--auto-approve",
        "--allow",
        ALLOW_ALL,
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let out = &run.stdout;
    for expected in [
        "CREATE INDEX CONCURRENTLY \"t_email_lower\"",
        "CREATE UNIQUE INDEX CONCURRENTLY \"t_email_key\"",
        "ADD CONSTRAINT \"t_email_key\" UNIQUE USING INDEX \"t_email_key\"",
        "REFERENCES \"public\".\"p\" (\"id\") NOT VALID",
        "VALIDATE CONSTRAINT \"t_p_id_fkey\"",
        "CHECK ((n > 0)) NOT VALID",
        "VALIDATE CONSTRAINT \"t_n_positive\"",
        "CHECK (\"p_id\" IS NOT NULL) NOT VALID",
        "ALTER COLUMN \"p_id\" SET NOT NULL",
        "CREATE INDEX CONCURRENTLY \"t_n_schema_new\"",
        "ALTER INDEX \"public\".\"t_n_schema_new\" RENAME TO \"t_n\"",
        "(runs outside the transaction)",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    for lock_hazard in ["LK101", "LK103"] {
        assert!(!out.contains(lock_hazard), "an online plan carries no {lock_hazard}:\n{out}");
    }
    reference.exec(after);
    assert_eq!(snapshot(&url), snapshot(&reference.url()));
    let again = schema(&["plan", "--url", &url, "--to", &to, "--dev-url", &dev.url(), "--online", "--exit-code"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(a.exec("SELECT count(*) FROM t"), ["1000"]);
    let Some(empty) = PgDb::create("schema_e2e_hcl") else { return };
    schema_e2e::hcl_trip::round_trip(&url, &empty.url(), Some(&dev.url()), ALLOW_ALL, &[], &snapshot);
}
