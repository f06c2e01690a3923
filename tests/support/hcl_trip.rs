//! The HCL round trip of a live database: inspect it to HCL, load that HCL (the model must be
//! identical), apply it to an empty database (the catalog must equal the original, by the
//! suites' own catalog queries), and re-plan (empty).

use schema_model::sql::SourceFile;
use schema_model::{hcl, Realm};

use crate::{schema, Scratch};

/// The database's model as `schema inspect --format json` prints it, and its HCL.
fn inspect(url: &str) -> (Realm, String) {
    let json = schema(&["inspect", "--url", url, "--format", "json"]);
    assert_eq!(json.code, 0, "inspect --format json failed:\n{}", json.stderr);
    let mut realm: Realm = serde_json::from_str(&json.stdout).expect("the model parses");
    realm.normalize();
    let text = schema(&["inspect", "--url", url, "--format", "hcl"]);
    assert_eq!(text.code, 0, "inspect --format hcl failed:\n{}", text.stderr);
    (realm, text.stdout)
}

/// Runs the round trip from `url` into the empty database `empty`; `dev` is the dev database
/// of server dialects; `allow` the hazard codes a first apply may need; `snapshot` the
/// suite's catalog snapshot.
pub fn round_trip(url: &str, empty: &str, dev: Option<&str>, allow: &str, snapshot: &dyn Fn(&str) -> String) {
    let json = schema(&["inspect", "--url", url, "--format", "json"]);
    let realm: Realm = serde_json::from_str(&json.stdout).expect("the model parses");
    let lost = hcl::uncovered(&realm);
    if !lost.is_empty() {
        // The HCL form refuses such a model (checked here) rather than write it incompletely.
        let text = schema(&["inspect", "--url", url, "--format", "hcl"]);
        assert_eq!(text.code, 1, "inspect --format hcl wrote a model it cannot carry:\n{}", text.stdout);
        assert!(text.stderr.contains("cannot write"), "{}", text.stderr);
        println!("HCL round trip skipped: the HCL form cannot write {}", lost.join(", "));
        return;
    }
    let (realm, text) = inspect(url);
    let loaded = hcl::load(realm.dialect, &[SourceFile::new("state.hcl", text.clone())])
        .unwrap_or_else(|e| panic!("the written HCL does not load: {e}\n{text}"));
    assert_eq!(loaded, realm, "HCL → model is not the inspected model\nHCL:\n{text}");
    let scratch = Scratch::new();
    let file = scratch.write("state.hcl", &text);
    let mut args = vec!["apply", "--url", empty, "--to", &file, "--auto-approve", "--allow", allow];
    if let Some(d) = dev {
        args.extend(["--dev-url", d]);
    }
    let run = schema(&args);
    assert_eq!(run.code, 0, "applying the HCL failed:\n{}\n{}\nHCL:\n{text}", run.stdout, run.stderr);
    assert_eq!(snapshot(empty), snapshot(url), "catalog from the HCL differs from the original\nHCL:\n{text}");
    let mut args = vec!["plan", "--url", empty, "--to", &file, "--exit-code"];
    if let Some(d) = dev {
        args.extend(["--dev-url", d]);
    }
    let again = schema(&args);
    assert_eq!(again.code, 0, "re-plan from the HCL is not empty:\n{}{}\nHCL:\n{text}", again.stdout, again.stderr);
}
