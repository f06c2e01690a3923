//! `--manage-roles`: which roles' privileges a run manages. Without a rule, privileges and
//! owners are neither compared nor changed, so existing projects see no difference. With rules,
//! only the grants of matching roles are compared (the first matching rule decides), and owners
//! are changed where the desired state states one; a `:no-revoke` rule adds what is missing but
//! keeps what the database grants beyond the desired state.

use regex::Regex;
use schema_model::{Grant, Realm};

use crate::error::{CliError, CliResult};

/// The suffix of a rule whose roles are never revoked from.
const NO_REVOKE: &str = ":no-revoke";

/// One rule: the roles it matches and whether their privileges may be revoked.
#[derive(Debug)]
struct Rule {
    /// A role name, or a regexp anchored at both ends.
    matcher: Matcher,
    /// REVOKE is planned for these roles.
    revoke: bool,
}

#[derive(Debug)]
enum Matcher {
    Exact(String),
    Pattern(Regex),
}

/// The parsed rules of a run, in order.
#[derive(Debug, Default)]
pub struct RoleRules {
    rules: Vec<Rule>,
}

impl RoleRules {
    /// Parses `--manage-roles` values (`name`, `~regexp`, either with `:no-revoke`).
    pub fn parse(specs: &[String]) -> CliResult<Self> {
        let mut rules = Vec::new();
        for spec in specs.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let (body, revoke) = match spec.strip_suffix(NO_REVOKE) {
                Some(b) => (b, false),
                None => (spec, true),
            };
            let matcher = match body.strip_prefix('~') {
                Some(re) => Matcher::Pattern(Regex::new(&format!("^(?:{re})$")).map_err(|e| {
                    CliError::Usage(format!("--manage-roles: {spec:?} is not a regular expression: {e}"))
                })?),
                None if body.is_empty() => {
                    return Err(CliError::Usage(format!("--manage-roles: {spec:?} names no role")));
                }
                None => Matcher::Exact(body.to_string()),
            };
            rules.push(Rule { matcher, revoke });
        }
        Ok(RoleRules { rules })
    }

    /// The first rule that matches `role`.
    fn rule(&self, role: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| match &r.matcher {
            Matcher::Exact(name) => name == role,
            Matcher::Pattern(re) => re.is_match(role),
        })
    }

    /// Whether PUBLIC's privileges are managed and may be revoked: then the privileges the
    /// server gives PUBLIC on a new object count (`PlanOptions::creation_grants`).
    pub fn revokes_from_public(&self) -> bool {
        self.rule("PUBLIC").is_some_and(|r| r.revoke)
    }

    /// Keeps the grants of managed roles only; without rules, drops every grant and owner.
    pub fn filter(&self, realm: &mut Realm) {
        for s in &mut realm.schemas {
            if self.rules.is_empty() {
                s.grants.clear();
                s.owners.clear();
            } else {
                s.grants.retain(|g| self.rule(&g.grantee).is_some());
            }
        }
    }

    /// `desired` with the privileges `current` holds for `:no-revoke` roles added where it lacks
    /// them (and their grant option kept), so that nothing is revoked from those roles.
    pub fn keep_unrevoked(&self, current: &Realm, mut desired: Realm) -> Realm {
        let unrevoked = |g: &Grant| self.rule(&g.grantee).is_some_and(|r| !r.revoke);
        for s in &mut desired.schemas {
            let Some(now) = current.schema(&s.name) else { continue };
            for g in now.grants.iter().filter(|g| unrevoked(g)) {
                if !s.holds(&g.on) {
                    continue;
                }
                let same = |d: &&mut Grant| d.on == g.on && d.grantee == g.grantee && d.privilege == g.privilege;
                match s.grants.iter_mut().find(same) {
                    Some(d) => d.grantable |= g.grantable,
                    None => s.grants.push(g.clone()),
                }
            }
            s.grants.sort();
        }
        desired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::{Dialect, Schema, Securable, Table};

    fn grant(grantee: &str, privilege: &str, grantable: bool) -> Grant {
        Grant::new(Securable::table("t"), grantee, privilege, grantable)
    }

    fn realm(grants: Vec<Grant>) -> Realm {
        let mut r = Realm::new(Dialect::Postgres);
        let t = Table { name: "t".into(), ..Default::default() };
        r.schemas.push(Schema { grants, tables: vec![t], ..Schema::named("public") });
        r
    }

    fn rules(specs: &[&str]) -> RoleRules {
        RoleRules::parse(&specs.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn first_matching_rule_wins_and_regexps_are_anchored() {
        let r = rules(&["~user\\d:no-revoke", "~.*", "app"]);
        assert!(!r.rule("user1").unwrap().revoke);
        assert!(r.rule("user12").unwrap().revoke, "user\\d must match the whole name");
        assert!(r.rule("app").unwrap().revoke);
        let exact = rules(&["user.with.dot", "PUBLIC"]);
        assert!(exact.rule("userXwithXdot").is_none());
        assert!(exact.rule("PUBLIC").is_some());
        assert!(RoleRules::parse(&["~(".into()]).is_err());
        assert!(RoleRules::parse(&[":no-revoke".into()]).is_err());
    }

    #[test]
    fn filter_keeps_managed_roles_and_no_rules_keep_nothing() {
        let mut r = realm(vec![grant("a", "SELECT", false), grant("b", "SELECT", false)]);
        rules(&["a"]).filter(&mut r);
        assert_eq!(r.schemas[0].grants, vec![grant("a", "SELECT", false)]);
        RoleRules::default().filter(&mut r);
        assert!(r.schemas[0].grants.is_empty());
    }

    #[test]
    fn no_revoke_roles_keep_what_they_hold() {
        let current = realm(vec![grant("a", "INSERT", false), grant("a", "SELECT", true), grant("b", "UPDATE", false)]);
        let desired = realm(vec![grant("a", "SELECT", false)]);
        let kept = rules(&["a:no-revoke", "b"]).keep_unrevoked(&current, desired);
        assert_eq!(kept.schemas[0].grants, vec![grant("a", "INSERT", false), grant("a", "SELECT", true)]);
        let mut gone = realm(vec![]);
        gone.schemas[0].tables.clear();
        let kept = rules(&["a:no-revoke"]).keep_unrevoked(&current, gone);
        assert!(kept.schemas[0].grants.is_empty(), "nothing is kept on a table that goes");
    }
}
