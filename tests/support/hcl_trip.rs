//! The HCL round trip of a live database: inspect it to HCL, load that HCL (the model must be
//! identical), apply it to an empty database (the catalog must equal the original, by the
//! suites' own catalog queries), and re-plan (empty). Every model the suites build must be
//! writable as HCL: nothing is skipped.

use schema_model::sql::SourceFile;
use schema_model::{hcl, Realm};

use crate::{schema, Scratch};

/// `schema ARGS... EXTRA...`, which must succeed.
fn run(args: &[&str], extra: &[&str], what: &str) -> String {
    let mut all = args.to_vec();
    all.extend(extra);
    let out = schema(&all);
    assert_eq!(out.code, 0, "{what} failed:\n{}\n{}", out.stdout, out.stderr);
    out.stdout
}

/// Runs the round trip from `url` into the empty database `empty`; `dev` is the dev database
/// of server dialects; `allow` the hazard codes a first apply may need; `extra` arguments every
/// command gets (a scope such as `--manage-roles`); `snapshot` the suite's catalog snapshot.
pub fn round_trip(
    url: &str,
    empty: &str,
    dev: Option<&str>,
    allow: &str,
    extra: &[&str],
    snapshot: &dyn Fn(&str) -> String,
) {
    let json = run(&["inspect", "--url", url, "--format", "json"], extra, "inspect --format json");
    let mut realm: Realm = serde_json::from_str(&json).expect("the model parses");
    realm.normalize();
    assert_eq!(hcl::uncovered(&realm), Vec::<String>::new(), "the HCL form cannot write this model");
    let text = run(&["inspect", "--url", url, "--format", "hcl"], extra, "inspect --format hcl");
    let loaded = hcl::load(realm.dialect, &[SourceFile::new("state.hcl", text.clone())])
        .unwrap_or_else(|e| panic!("the written HCL does not load: {e}\n{text}"));
    assert_eq!(loaded, realm, "HCL → model is not the inspected model\nHCL:\n{text}");
    let scratch = Scratch::new();
    let file = scratch.write("state.hcl", &text);
    let dev_args: Vec<&str> = dev.map(|d| vec!["--dev-url", d]).unwrap_or_default();
    let mut args = vec!["apply", "--url", empty, "--to", &file, "--auto-approve", "--allow", allow];
    args.extend(&dev_args);
    let applied = run(&args, extra, &format!("applying the HCL\n{text}"));
    assert_eq!(
        snapshot(empty),
        snapshot(url),
        "catalog from the HCL differs from the original\nHCL:\n{text}\nplan:\n{applied}"
    );
    let mut args = vec!["plan", "--url", empty, "--to", &file, "--exit-code"];
    args.extend(&dev_args);
    run(&args, extra, &format!("re-plan from the HCL (not empty)\n{text}"));
}

/// Model → HCL → model, the property the generated-model tests check: the HCL text and the
/// model it loads back, or why the HCL form cannot write `model` or the text does not load.
pub fn model_through_hcl(model: &Realm) -> Result<(String, Realm), String> {
    let uncovered = hcl::uncovered(model);
    if !uncovered.is_empty() {
        return Err(format!("the HCL form cannot write this model: {uncovered:?}"));
    }
    let text = hcl::write(model);
    match hcl::load(model.dialect, &[SourceFile::new("gen.hcl", text.clone())]) {
        Ok(back) => Ok((text, back)),
        Err(e) => Err(format!("{e:?}\n{text}")),
    }
}
