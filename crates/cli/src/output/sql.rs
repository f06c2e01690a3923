//! Plans and models as SQL scripts.

use std::fmt::Write;

use schema_diff::{steps_with, DiffError, PlanOptions, Step};
use schema_model::{Dialect, Realm, Schema};

/// A plan's steps as a script, hazards as comments above their statements.
pub fn plan_sql(steps: &[Step]) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        let _ = writeln!(out, "-- {}. {}", i + 1, s.description);
        for h in &s.hazards {
            let _ = writeln!(out, "-- ! {} {}", h.code.id(), h.message);
            if let Some(v) = &h.verdict {
                let _ = writeln!(out, "--   live check: {v}");
            }
        }
        step_notes(&mut out, s);
        for st in &s.sql {
            let _ = writeln!(out, "{st};");
        }
    }
    out
}

/// The comments under a step's title: where it runs, and its timeouts.
pub(super) fn step_notes(out: &mut String, s: &Step) {
    if !s.transactional {
        let _ = writeln!(out, "-- runs outside a transaction");
    }
    if let Some(t) = &s.timeouts {
        let _ = writeln!(out, "-- timeouts: {}", super::plan_text::timeouts(t, s.long_running));
    }
}

/// A model as the CREATE statements that build it, in dependency order, in a database that has
/// only its default schema (on MySQL: the database the URL names, which the script fills).
pub fn realm_sql(realm: &Realm) -> Result<String, DiffError> {
    let mut empty = Realm::new(realm.dialect);
    empty.schemas = realm
        .schemas
        .iter()
        .filter(|s| realm.dialect == Dialect::Mysql || s.name == realm.dialect.default_schema())
        .map(|s| Schema::named(&s.name))
        .collect();
    // Only the statements are wanted: no fingerprints of the two sides, which cost as much as
    // the plan on a large catalog.
    let steps = steps_with(&empty, realm, &PlanOptions::default())?;
    let mut out = String::new();
    for st in steps.iter().flat_map(|s| &s.sql) {
        let _ = writeln!(out, "{st};\n");
    }
    Ok(out)
}
