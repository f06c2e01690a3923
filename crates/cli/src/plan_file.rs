//! Plan files: a plan made in a pull request and applied, exactly, in a deployment.

use schema_diff::Plan;
use schema_model::{realm_hash, Realm};
use serde::{Deserialize, Serialize};

use crate::cli::Scope;
use crate::error::{CliError, CliResult};
use crate::output::realm_sql;

/// What `plan --out` writes and `apply --plan` reads.
#[derive(Serialize, Deserialize)]
pub struct PlanFile {
    /// The tool version that made it.
    pub tool_version: String,
    /// The steps, hazards and hashes.
    pub plan: Plan,
    /// Hash of the whole database when the plan was made; apply refuses if it changed.
    pub start_hash: String,
    /// The part of the database the plan starts from, to show what drifted.
    pub start: Realm,
    /// The desired state, to verify the result against.
    pub desired: Realm,
    /// Schemas the plan manages (empty: all).
    #[serde(default)]
    pub schemas: Vec<String>,
    /// Globs of objects the plan leaves alone.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The `--manage-roles` rules the plan was made with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manage_roles: Vec<String>,
}

impl PlanFile {
    /// A plan file for `plan`, made against `live` (the whole database) within `scope`.
    pub fn new(plan: Plan, live: &Realm, start: Realm, desired: Realm, scope: &Scope) -> Self {
        PlanFile {
            tool_version: env!("CARGO_PKG_VERSION").into(),
            plan,
            start_hash: realm_hash(live),
            start,
            desired,
            schemas: scope.schemas.clone(),
            exclude: scope.exclude.clone(),
            manage_roles: scope.manage_roles.clone(),
        }
    }

    /// Reads a plan file, with an error that names it.
    pub fn read(path: &std::path::Path) -> CliResult<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("cannot read plan file {}: {e}", path.display())))?;
        serde_json::from_str(&text).map_err(|e| {
            CliError::Usage(format!("{} is not a plan file written by `schema plan --out`: {e}", path.display()))
        })
    }

    /// The scope the plan was made in.
    pub fn scope(&self) -> Scope {
        Scope { schemas: self.schemas.clone(), exclude: self.exclude.clone(), manage_roles: self.manage_roles.clone() }
    }

    /// Refuses (exit 4) when the database is no longer the one the plan was made against,
    /// showing the drift as a diff of the two states.
    pub fn check_start(&self, live: &Realm, scoped_live: &Realm) -> CliResult<()> {
        if realm_hash(live) == self.start_hash {
            return Ok(());
        }
        let was = realm_sql(&self.start).unwrap_or_default();
        let is = realm_sql(scoped_live).unwrap_or_default();
        let diff = similar::TextDiff::from_lines(&was, &is)
            .unified_diff()
            .context_radius(2)
            .header("planned against", "database now")
            .to_string();
        let detail = if diff.trim().is_empty() { "objects outside the plan's scope changed".to_string() } else { diff };
        Err(CliError::Drift(format!("the database changed since the plan was made; make a new plan.\n{detail}")))
    }
}
