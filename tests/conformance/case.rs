//! One corpus case: read from sqldef's YAML with the corpus README's defaults, and gated on
//! the server the dialect runs against.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// A case exactly as written in the YAML; every field upstream's strict decoder accepts.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCase {
    current: Option<String>,
    desired: Option<String>,
    up: Option<String>,
    down: Option<String>,
    output: Option<String>,
    error: Option<String>,
    enable_drop: Option<bool>,
    min_version: Option<String>,
    max_version: Option<String>,
    flavor: Option<String>,
    offline: Option<bool>,
    user: Option<String>,
    // Read but not used: it changes the text of sqldef's output, which we do not compare.
    #[allow(dead_code)]
    legacy_ignore_quotes: Option<bool>,
    config: Option<serde_yaml::Value>,
    manage: Option<serde_yaml::Value>,
    managed_roles: Option<Vec<String>>,
}

/// A case with the defaults applied (absent SQL is `""`, `enable_drop` is true).
#[derive(Clone, Debug)]
pub struct Case {
    /// The YAML file it came from, relative to the dialect's folder.
    pub file: String,
    /// The case name, unique within a dialect.
    pub name: String,
    /// The schema before the migration.
    pub current: String,
    /// The schema the tool is asked to reach.
    pub desired: String,
    /// sqldef's expected forward DDL, used only to build the partial-convergence reference.
    pub up: Option<String>,
    /// sqldef's expected reverse DDL, likewise.
    pub down: Option<String>,
    /// Set when the case expects the plan to be refused.
    pub error: Option<String>,
    /// Whether destructive changes may run.
    pub enable_drop: bool,
    /// Lowest server version the case applies to.
    pub min_version: Option<String>,
    /// Highest server version the case applies to.
    pub max_version: Option<String>,
    /// Server flavor requirement (`mariadb`, `!tidb`, ...).
    pub flavor: Option<String>,
    /// A text-only case with no live-database meaning.
    pub offline: bool,
    /// `manage` or `managed_roles` scopes what is managed (a partial-convergence case).
    pub scoped: bool,
    /// Run as this non-superuser role (PostgreSQL: `psqldef_user`, default schema `foo`).
    pub user: Option<String>,
    /// `config.create_index_concurrently` (PostgreSQL).
    pub create_index_concurrently: bool,
    /// Our `--manage-roles` rules for the case's `managed_roles` or `manage.privilege`.
    pub manage_roles: Vec<String>,
}

impl Case {
    /// True when the case must not reach `desired` by design: drops disabled, management
    /// scoped, or sqldef's own plan withholds statements (`-- Skipped:`).
    pub fn partial(&self) -> bool {
        !self.enable_drop || self.scoped || self.up.as_deref().is_some_and(|u| u.contains("-- Skipped:"))
    }
}

/// What a dialect run is executed against, for the gates.
#[derive(Clone, Debug)]
pub struct Server {
    /// The raw version string (`3.40.1`, `15.4`, `11.8.2-MariaDB`).
    pub version: String,
    /// The flavor (`mysql`, `mariadb`, `tidb`, `pgvector`), if the dialect has flavors.
    pub flavor: Option<String>,
}

/// Why an otherwise well-formed case is not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// `offline: true`: no live-database meaning.
    Offline,
    /// Outside `min_version`..`max_version`.
    Version,
    /// The flavor does not match.
    Flavor,
    /// The server lacks something the case needs that the suite cannot provide (a collation).
    Environment,
}

impl Skip {
    /// The reason as a word for reports.
    pub fn label(self) -> &'static str {
        match self {
            Skip::Offline => "offline",
            Skip::Version => "version",
            Skip::Flavor => "flavor",
            Skip::Environment => "environment",
        }
    }
}

/// Upstream's version rule: compare as many `.` segments as the shorter has, each by its
/// leading digits.
fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let digits = |s: &str| -> u64 {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        d.parse().unwrap_or(0)
    };
    a.split('.')
        .zip(b.split('.'))
        .map(|(x, y)| digits(x).cmp(&digits(y)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// The gate: `None` when the case runs against `server`, else why not.
pub fn gate(case: &Case, server: &Server) -> Option<Skip> {
    if case.offline {
        return Some(Skip::Offline);
    }
    let v = server.version.as_str();
    if case.min_version.as_deref().is_some_and(|m| compare_versions(v, m).is_lt())
        || case.max_version.as_deref().is_some_and(|m| compare_versions(v, m).is_gt())
    {
        return Some(Skip::Version);
    }
    let ours = server.flavor.as_deref();
    let fits = match case.flavor.as_deref() {
        None => true,
        Some(f) => match f.strip_prefix('!') {
            Some(not) => ours != Some(not),
            None => ours == Some(f),
        },
    };
    (!fits).then_some(Skip::Flavor)
}

/// The `--manage-roles` rules that mean what the case's privilege scope means to sqldef:
/// `managed_roles` names roles exactly and revokes from them as `enable_drop` allows (an empty
/// list manages nothing); each `manage.privilege` rule is an anchored regexp whose own `drop`
/// decides about revokes (an empty target matches every role; an empty list manages every role
/// without revokes).
fn role_rules(r: &RawCase) -> Vec<String> {
    let enable_drop = r.enable_drop.unwrap_or(true);
    let suffix = |drop: bool| if drop { "" } else { ":no-revoke" };
    if let Some(roles) = &r.managed_roles {
        return roles.iter().map(|role| format!("{role}{}", suffix(enable_drop))).collect();
    }
    let Some(rules) = r.manage.as_ref().and_then(|m| m.get("privilege")).and_then(|p| p.as_sequence()) else {
        return Vec::new();
    };
    if rules.is_empty() {
        return vec!["~.*:no-revoke".into()];
    }
    rules
        .iter()
        .map(|rule| {
            let target = rule.get("target").and_then(serde_yaml::Value::as_str).filter(|t| !t.is_empty());
            let drop = rule.get("drop").and_then(serde_yaml::Value::as_bool).unwrap_or(false);
            format!("~{}{}", target.unwrap_or(".*"), suffix(drop))
        })
        .collect()
}

/// Reads every `*.yml` case file of a dialect's folder, sorted by case name.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    let mut by_name: BTreeMap<String, Case> = BTreeMap::new();
    for path in files {
        let file = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
        let raw: BTreeMap<String, RawCase> = serde_yaml::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
        for (name, r) in raw {
            if r.output.is_some() {
                return Err(format!("{file}: {name} uses the legacy `output` field"));
            }
            let manage_roles = role_rules(&r);
            let case = Case {
                file: file.clone(),
                name: name.clone(),
                current: r.current.unwrap_or_default(),
                desired: r.desired.unwrap_or_default(),
                up: r.up,
                down: r.down,
                error: r.error,
                enable_drop: r.enable_drop.unwrap_or(true),
                min_version: r.min_version,
                max_version: r.max_version,
                flavor: r.flavor,
                offline: r.offline.unwrap_or(false),
                scoped: r.manage.is_some() || r.managed_roles.is_some(),
                user: r.user,
                create_index_concurrently: r
                    .config
                    .as_ref()
                    .and_then(|c| c.get("create_index_concurrently"))
                    .and_then(serde_yaml::Value::as_bool)
                    .unwrap_or(false),
                manage_roles,
            };
            if let Some(other) = by_name.insert(name.clone(), case) {
                return Err(format!("{name} is defined in {} and {file}", other.file));
            }
        }
    }
    Ok(by_name.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> Case {
        load_dir_text("X:\n  desired: 'CREATE TABLE t (a int);'\n").remove(0)
    }

    fn load_dir_text(yaml: &str) -> Vec<Case> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tests.yml"), yaml).unwrap();
        load_dir(dir.path()).unwrap()
    }

    #[test]
    fn defaults_and_gates() {
        let mut c = case();
        assert_eq!((c.current.as_str(), c.enable_drop, c.partial()), ("", true, false));
        let s = |v: &str, f: Option<&str>| Server { version: v.into(), flavor: f.map(str::to_string) };
        assert_eq!(gate(&c, &s("3.40.1", None)), None);
        c.min_version = Some("10.0".into());
        assert_eq!(gate(&c, &s("10.11.9-MariaDB", None)), None);
        assert_eq!(gate(&c, &s("8.0.36", None)), Some(Skip::Version));
        c.min_version = None;
        c.max_version = Some("5.7".into());
        assert_eq!(gate(&c, &s("5.7.44", None)), None);
        c.max_version = None;
        c.flavor = Some("!tidb".into());
        assert_eq!(gate(&c, &s("8.0", Some("mysql"))), None);
        c.flavor = Some("mariadb".into());
        assert_eq!(gate(&c, &s("8.0", Some("mysql"))), Some(Skip::Flavor));
    }

    #[test]
    fn privilege_scopes_become_role_rules() {
        let cases = load_dir_text(
            "A:\n  managed_roles: [app, \"user with spaces\"]\n  enable_drop: false\n\
             B:\n  manage:\n    privilege:\n      - target: 'user\\d'\n        drop: true\n      - target: ''\n\
             C:\n  manage:\n    privilege: []\n\
             D:\n  managed_roles: []\n\
             E:\n  manage:\n    extension: []\n",
        );
        let rules: Vec<Vec<String>> = cases.iter().map(|c| c.manage_roles.clone()).collect();
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rules,
            vec![
                v(&["app:no-revoke", "user with spaces:no-revoke"]),
                v(&["~user\\d", "~.*:no-revoke"]),
                v(&["~.*:no-revoke"]),
                v(&[]),
                v(&[]),
            ]
        );
    }
}
