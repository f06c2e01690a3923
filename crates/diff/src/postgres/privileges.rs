//! GRANT, REVOKE and ALTER ... OWNER TO on PostgreSQL. The privileges one role gains (or
//! loses) on one object in the same way are one statement (`GRANT SELECT, INSERT (a) ON TABLE
//! t TO r`), run after the object exists; each step's reverse gives back exactly what it took.

use std::collections::{BTreeMap, BTreeSet};

use schema_model::{Grant, ObjectKind, Securable};

use super::functions::fn_key;
use super::render::{q, qn};
use super::{key, schema_key};
use crate::change::Change;
use crate::hazards::Fact;
use crate::order::{Draft, Phase};
use crate::plan::Step;

/// How a group of privileges changes; one statement per object, role and way. Revokes come
/// first: revoking a table privilege also revokes the column privileges of the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Way {
    /// `REVOKE`, of privileges held with the grant option or not; undone by `GRANT`.
    Revoke { option: bool },
    /// `REVOKE GRANT OPTION FOR`; undone by `GRANT ... WITH GRANT OPTION`.
    DropOption,
    /// `GRANT`, with the grant option or not; undone by `REVOKE`.
    Grant { option: bool },
    /// `GRANT ... WITH GRANT OPTION` on a privilege held without it; undone by
    /// `REVOKE GRANT OPTION FOR`.
    AddOption,
}

/// A role as `GRANT` and `OWNER TO` name it: `PUBLIC` bare, any other quoted.
pub fn role(name: &str) -> String {
    if name == "PUBLIC" {
        name.to_string()
    } else {
        q(name)
    }
}

/// The object as `GRANT ... ON` names it (`TABLE "s"."t"`, `FUNCTION "s"."f"(integer)`).
fn object(schema: &str, on: &Securable) -> String {
    let routine = |kw: &str| format!("{kw} {}({})", qn(schema, &on.name), on.args.as_deref().unwrap_or_default());
    match on.kind {
        ObjectKind::Schema => format!("SCHEMA {}", q(&on.name)),
        ObjectKind::Table | ObjectKind::View | ObjectKind::MaterializedView => {
            format!("TABLE {}", qn(schema, &on.name))
        }
        ObjectKind::Sequence => format!("SEQUENCE {}", qn(schema, &on.name)),
        ObjectKind::Function => routine("FUNCTION"),
        ObjectKind::Procedure => routine("PROCEDURE"),
    }
}

/// The object as `ALTER ... OWNER TO` names it.
fn owned(schema: &str, on: &Securable) -> String {
    let kw = match on.kind {
        ObjectKind::View => "VIEW",
        ObjectKind::MaterializedView => "MATERIALIZED VIEW",
        _ => return object(schema, on),
    };
    format!("{kw} {}", qn(schema, &on.name))
}

/// The ordering key of the object: what must exist before a privilege on it can change.
fn object_key(schema: &str, on: &Securable) -> String {
    match on.kind {
        ObjectKind::Schema => schema_key(&on.name),
        ObjectKind::Function | ObjectKind::Procedure => fn_key(schema, &on.name),
        _ => key(schema, &on.name),
    }
}

/// `SELECT, INSERT ("a", "b")`: table privileges bare, column privileges with their columns.
fn privileges(grants: &[&Grant]) -> String {
    let mut list: Vec<(String, Vec<String>)> = Vec::new();
    for g in grants {
        let cols = g.on.column.iter().map(|c| q(c));
        match list.iter_mut().find(|(p, c)| *p == g.privilege && c.is_empty() == g.on.column.is_none()) {
            Some((_, c)) => c.extend(cols),
            None => list.push((g.privilege.clone(), cols.collect())),
        }
    }
    list.iter()
        .map(|(p, c)| if c.is_empty() { p.clone() } else { format!("{p} ({})", c.join(", ")) })
        .collect::<Vec<_>>()
        .join(", ")
}

fn grant_sql(on: &str, what: &str, grantee: &str, option: bool) -> String {
    format!("GRANT {what} ON {on} TO {grantee}{}", if option { " WITH GRANT OPTION" } else { "" })
}

fn revoke_sql(on: &str, what: &str, grantee: &str, option_only: bool) -> String {
    format!("REVOKE {}{what} ON {on} FROM {grantee}", if option_only { "GRANT OPTION FOR " } else { "" })
}

/// The steps of every privilege and owner change among `changes`.
pub fn drafts(changes: &[Change]) -> Vec<Draft> {
    type Group<'a> = BTreeMap<(String, Securable, String, Way), Vec<&'a Grant>>;
    let mut groups: Group = BTreeMap::new();
    // Objects the plan creates: revoking what the server gave them breaks nothing running.
    let mut created: BTreeSet<(String, Securable)> = BTreeSet::new();
    let mut out = Vec::new();
    for c in changes {
        let (schema, g, way) = match c {
            Change::GrantPrivilege { schema, grant, upgrade } => {
                (schema, grant, if *upgrade { Way::AddOption } else { Way::Grant { option: grant.grantable } })
            }
            Change::RevokePrivilege { schema, grant, option_only, created: fresh } => {
                if *fresh {
                    created.insert((schema.clone(), Securable { column: None, ..grant.on.clone() }));
                }
                (schema, grant, if *option_only { Way::DropOption } else { Way::Revoke { option: grant.grantable } })
            }
            Change::SetOwner { schema, on, from, to } => {
                out.push(owner_draft(schema, on, from.as_deref(), to));
                continue;
            }
            _ => continue,
        };
        let on = Securable { column: None, ..g.on.clone() };
        groups.entry((schema.clone(), on, g.grantee.clone(), way)).or_default().push(g);
    }
    for ((schema, on, grantee, way), grants) in groups {
        let target = object(&schema, &on);
        let what = privileges(&grants);
        let r = role(&grantee);
        let (verb, sql, reverse) = match way {
            Way::Grant { option } => {
                ("grant", grant_sql(&target, &what, &r, option), revoke_sql(&target, &what, &r, false))
            }
            Way::AddOption => ("grant", grant_sql(&target, &what, &r, true), revoke_sql(&target, &what, &r, true)),
            Way::Revoke { option } => {
                ("revoke", revoke_sql(&target, &what, &r, false), grant_sql(&target, &what, &r, option))
            }
            Way::DropOption => ("revoke", revoke_sql(&target, &what, &r, true), grant_sql(&target, &what, &r, true)),
        };
        let mut s = Step::new(format!("{verb} {what} on {target} to {r}"), vec![sql], vec![reverse]);
        if matches!(way, Way::Revoke { .. } | Way::DropOption) && !created.contains(&(schema.clone(), on.clone())) {
            s.facts.push(Fact::RevokePrivilege {
                object: target.clone(),
                grantee: grantee.clone(),
                privileges: what.clone(),
                option_only: way == Way::DropOption,
            });
        }
        out.push(privilege_draft(s, &schema, &on));
    }
    out
}

fn privilege_draft(step: Step, schema: &str, on: &Securable) -> Draft {
    let k = object_key(schema, on);
    let mut d = Draft::new(step, Phase::Privileges, k.clone());
    d.reads = vec![schema_key(schema), k];
    d
}

fn owner_draft(schema: &str, on: &Securable, from: Option<&str>, to: &str) -> Draft {
    let target = owned(schema, on);
    let alter = |r: String| format!("ALTER {target} OWNER TO {r}");
    let mut s = Step::new(
        format!("owner of {target} to {}", role(to)),
        vec![alter(role(to))],
        vec![alter(from.map(role).unwrap_or_else(|| "CURRENT_USER".into()))],
    );
    s.facts.push(Fact::ChangeOwner { object: target.clone(), from: from.map(str::to_string), to: to.to_string() });
    privilege_draft(s, schema, on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(grantee: &str, privilege: &str, column: Option<&str>) -> Grant {
        let on = Securable { column: column.map(String::from), ..Securable::table("Users") };
        Grant::new(on, grantee, privilege, false)
    }

    #[test]
    fn one_statement_per_role_and_way_with_quoted_names() {
        let s = "app".to_string();
        let changes = vec![
            Change::GrantPrivilege {
                schema: s.clone(),
                grant: Box::new(g("user with spaces", "SELECT", None)),
                upgrade: false,
            },
            Change::GrantPrivilege {
                schema: s.clone(),
                grant: Box::new(g("user with spaces", "INSERT", Some("a"))),
                upgrade: false,
            },
            Change::GrantPrivilege {
                schema: s.clone(),
                grant: Box::new(g("user with spaces", "INSERT", Some("b"))),
                upgrade: false,
            },
            Change::RevokePrivilege {
                schema: s.clone(),
                grant: Box::new(g("PUBLIC", "DELETE", None)),
                option_only: false,
                created: false,
            },
        ];
        let d = drafts(&changes);
        let sql: Vec<(&str, &str)> = d.iter().map(|d| (d.step.sql[0].as_str(), d.step.reverse[0].as_str())).collect();
        assert_eq!(
            sql,
            vec![
                (
                    "REVOKE DELETE ON TABLE \"app\".\"Users\" FROM PUBLIC",
                    "GRANT DELETE ON TABLE \"app\".\"Users\" TO PUBLIC"
                ),
                (
                    "GRANT SELECT, INSERT (\"a\", \"b\") ON TABLE \"app\".\"Users\" TO \"user with spaces\"",
                    "REVOKE SELECT, INSERT (\"a\", \"b\") ON TABLE \"app\".\"Users\" FROM \"user with spaces\""
                ),
            ]
        );
        assert!(matches!(d[0].step.facts[0], Fact::RevokePrivilege { .. }));
        assert!(d[1].step.facts.is_empty());
    }

    #[test]
    fn revoking_what_a_new_routine_was_given_carries_no_fact() {
        let on = Securable { kind: ObjectKind::Function, name: "f".into(), args: Some("integer".into()), column: None };
        let grant = Grant::new(on, "PUBLIC", "EXECUTE", false);
        let changes = vec![Change::RevokePrivilege {
            schema: "s".into(),
            grant: Box::new(grant),
            option_only: false,
            created: true,
        }];
        let d = drafts(&changes);
        assert_eq!(d[0].step.sql[0], "REVOKE EXECUTE ON FUNCTION \"s\".\"f\"(integer) FROM PUBLIC");
        assert_eq!(d[0].step.reverse[0], "GRANT EXECUTE ON FUNCTION \"s\".\"f\"(integer) TO PUBLIC");
        assert!(d[0].step.facts.is_empty(), "no running code relies on a routine the plan creates");
    }

    #[test]
    fn grant_options_and_owners() {
        let mut up = g("CamelCaseUser", "SELECT", None);
        up.grantable = true;
        let on = Securable { kind: ObjectKind::View, name: "v".into(), ..Default::default() };
        let changes = vec![
            Change::GrantPrivilege { schema: "public".into(), grant: Box::new(up.clone()), upgrade: true },
            Change::SetOwner { schema: "public".into(), on: Box::new(on), from: None, to: "user.with.dot".into() },
        ];
        let d = drafts(&changes);
        assert_eq!(d[0].step.sql[0], "ALTER VIEW \"public\".\"v\" OWNER TO \"user.with.dot\"");
        assert_eq!(d[0].step.reverse[0], "ALTER VIEW \"public\".\"v\" OWNER TO CURRENT_USER");
        assert_eq!(
            d[1].step.sql[0],
            "GRANT SELECT ON TABLE \"public\".\"Users\" TO \"CamelCaseUser\" WITH GRANT OPTION"
        );
        assert_eq!(
            d[1].step.reverse[0],
            "REVOKE GRANT OPTION FOR SELECT ON TABLE \"public\".\"Users\" FROM \"CamelCaseUser\""
        );
    }
}
