//! Through the `schema` command: a plan made and applied without `--dev-url` converges, and
//! re-planning with or without a dev database finds nothing to do.

use schema_e2e::pg::PgDb;
use schema_e2e::{schema, Scratch};

#[test]
fn apply_without_a_dev_database_converges() {
    let (Some(target), Some(dev)) = (PgDb::create("pgo_target"), PgDb::create("pgo_cli_dev")) else { return };
    let scratch = Scratch::new();
    let to = scratch.write("desired.sql", include_str!("rich.sql").to_string().as_str());
    let to2 = scratch.write("desired2.sql", include_str!("rich2.sql"));
    let url = target.url();
    let run = schema(&["apply", "--url", &url, "--to", &to, "--to", &to2, "--auto-approve"]);
    assert_eq!(run.code, 0, "apply failed:\n{}\n{}", run.stdout, run.stderr);
    let again = schema(&["plan", "--url", &url, "--to", &to, "--to", &to2, "--exit-code"]);
    assert_eq!(again.code, 0, "offline re-plan is not empty:\n{}{}", again.stdout, again.stderr);
    let exact = schema(&["plan", "--url", &url, "--to", &to, "--to", &to2, "--dev-url", &dev.url(), "--exit-code"]);
    assert_eq!(exact.code, 0, "dev-database re-plan is not empty:\n{}{}", exact.stdout, exact.stderr);
}
