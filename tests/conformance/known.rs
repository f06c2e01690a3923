//! The checked-in known-failure list of a dialect (`known_failures/<dialect>.txt`): one line
//! per case, `CaseName<TAB>class<TAB>one-line reason`; blank lines and `#` comments ignored.
//! The run fails when a case fails that is not listed (or fails with another class), and when
//! a listed case passes or no longer exists, so the list always matches reality.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::runner::{CaseResult, Class};

/// A listed case: the class it is expected to fail with, and why.
#[derive(Clone, Debug)]
pub struct Known {
    /// The expected class.
    pub class: Class,
    /// The one-line reason (a gap in our tool, named).
    pub reason: String,
}

/// Where the list of `dialect` lives.
pub fn path(dialect: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/known_failures").join(format!("{dialect}.txt"))
}

/// Reads a list; a missing file is an empty list.
pub fn read(path: &Path) -> Result<BTreeMap<String, Known>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{}:{}", path.display(), i + 1);
        let f: Vec<&str> = line.split('\t').collect();
        let [name, class, reason] = f[..] else {
            return Err(format!("{}: expected NAME<TAB>CLASS<TAB>REASON", at()));
        };
        let class = Class::ALL
            .into_iter()
            .find(|c| c.label() == class)
            .ok_or_else(|| format!("{}: unknown class {class:?}", at()))?;
        let known = Known { class, reason: reason.trim().to_string() };
        if out.insert(name.to_string(), known).is_some() {
            return Err(format!("{}: {name} is listed twice", at()));
        }
    }
    Ok(out)
}

/// Every disagreement between the results and the list, one line each.
pub fn mismatches(results: &[CaseResult], list: &BTreeMap<String, Known>) -> Vec<String> {
    let mut out = Vec::new();
    for r in results {
        match (&r.failure, list.get(&r.name)) {
            (Some(f), None) => {
                out.push(format!("{}: fails ({}) and is not on the known-failure list", r.name, f.class.label()))
            }
            (Some(f), Some(k)) if k.class != f.class => {
                out.push(format!("{}: listed as `{}` but fails as `{}`", r.name, k.class.label(), f.class.label()))
            }
            (None, Some(_)) => out.push(format!("{}: passes now; remove it from the known-failure list", r.name)),
            _ => {}
        }
    }
    for name in list.keys() {
        if !results.iter().any(|r| &r.name == name) {
            out.push(format!("{name}: listed but not an applicable case of this dialect"));
        }
    }
    out
}
