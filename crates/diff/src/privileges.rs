//! Privileges and owners: what the desired state grants that the database does not (GRANT),
//! what the database grants that the desired state does not (REVOKE), grant options gained and
//! lost, and owners the desired state states. A privilege on an object that the desired state
//! no longer has is not revoked: dropping the object takes it. Which roles are compared at all
//! is the caller's scope (the CLI filters both models first).

use foldhash::HashMap;

use schema_model::{Grant, Schema, Securable};

use crate::change::Change;
use crate::differ::boxed;
use crate::rules::Rules;

/// The privilege changes of schema `name`, present on both sides (or created), appended to `out`.
/// With `creation_grants`, a routine the plan creates counts as holding what the server gives
/// a new one ([`Rules::creation_grants`]), so a desired state without it revokes it; the
/// caller asks for that when the roles those privileges go to are managed with revokes.
pub fn diff(rules: &dyn Rules, creation_grants: bool, name: &str, from: &Schema, to: &Schema, out: &mut Vec<Change>) {
    let key = |g: &Grant| (g.on.clone(), g.grantee.clone(), g.privilege.clone());
    let given: Vec<Grant> = match creation_grants {
        true => to
            .functions
            .iter()
            .map(Securable::routine)
            .filter(|on| !from.holds(on))
            .flat_map(|on| rules.creation_grants(&on))
            .collect(),
        false => Vec::new(),
    };
    // What the database holds once the plan has created its routines; `true` marks a grant
    // the server gave a routine the plan creates.
    let held: Vec<(&Grant, bool)> =
        from.grants.iter().map(|g| (g, false)).chain(given.iter().map(|g| (g, true))).collect();
    let current: HashMap<_, (&Grant, bool)> = held.iter().map(|&(g, created)| (key(g), (g, created))).collect();
    let desired: HashMap<_, &Grant> = to.grants.iter().map(|g| (key(g), g)).collect();
    let schema = name.to_string();
    let revoke = |grant: &Grant, option_only: bool, created: bool| Change::RevokePrivilege {
        schema: schema.clone(),
        grant: boxed(grant),
        option_only,
        created,
    };
    for g in &to.grants {
        match current.get(&key(g)) {
            None => out.push(Change::GrantPrivilege { schema: schema.clone(), grant: boxed(g), upgrade: false }),
            Some((c, _)) if g.grantable && !c.grantable => {
                out.push(Change::GrantPrivilege { schema: schema.clone(), grant: boxed(g), upgrade: true })
            }
            Some((c, created)) if !g.grantable && c.grantable => out.push(revoke(c, true, *created)),
            Some(_) => {}
        }
    }
    for &(g, created) in &held {
        if !desired.contains_key(&key(g)) && to.holds(&g.on) {
            out.push(revoke(g, false, created));
        }
    }
    let owners: HashMap<&Securable, &str> = from.owners.iter().map(|o| (&o.on, o.role.as_str())).collect();
    for o in &to.owners {
        let now = owners.get(&o.on).copied();
        if now != Some(o.role.as_str()) {
            out.push(Change::SetOwner {
                schema: schema.clone(),
                on: boxed(&o.on),
                from: now.map(str::to_string),
                to: o.role.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::{Column, ColumnType, Owner, Table};

    fn grant(grantee: &str, privilege: &str, grantable: bool) -> Grant {
        Grant::new(Securable::table("t"), grantee, privilege, grantable)
    }

    fn schema(grants: Vec<Grant>) -> Schema {
        let mut s = Schema::named("public");
        s.tables.push(Table {
            name: "t".into(),
            columns: vec![Column { name: "a".into(), ty: ColumnType::new("integer"), ..Default::default() }],
            ..Default::default()
        });
        s.grants = grants;
        s
    }

    fn changes(from: &Schema, to: &Schema) -> Vec<Change<'static>> {
        let mut out = Vec::new();
        diff(&crate::postgres::PostgresRules, true, &to.name, from, to, &mut out);
        out
    }

    #[test]
    fn grants_revokes_and_grant_options() {
        let from = schema(vec![grant("a", "SELECT", false), grant("b", "INSERT", true), grant("c", "UPDATE", true)]);
        let to = schema(vec![grant("a", "SELECT", true), grant("b", "INSERT", false), grant("d", "DELETE", false)]);
        let got = changes(&from, &to);
        let s = "public".to_string();
        assert_eq!(
            got,
            vec![
                Change::GrantPrivilege {
                    schema: s.clone(),
                    grant: Box::new(grant("a", "SELECT", true)),
                    upgrade: true
                },
                Change::RevokePrivilege {
                    schema: s.clone(),
                    grant: Box::new(grant("b", "INSERT", true)),
                    option_only: true,
                    created: false
                },
                Change::GrantPrivilege {
                    schema: s.clone(),
                    grant: Box::new(grant("d", "DELETE", false)),
                    upgrade: false
                },
                Change::RevokePrivilege {
                    schema: s,
                    grant: Box::new(grant("c", "UPDATE", true)),
                    option_only: false,
                    created: false
                },
            ]
        );
        assert!(changes(&to, &to).is_empty());
    }

    #[test]
    fn privileges_on_dropped_objects_are_not_revoked() {
        let mut col = grant("a", "SELECT", false);
        col.on.column = Some("gone".into());
        let from = schema(vec![grant("a", "SELECT", false), col]);
        let mut to = schema(vec![]);
        assert_eq!(changes(&from, &to).len(), 1, "only the table privilege: the column is gone");
        to.tables.clear();
        assert!(changes(&from, &to).is_empty());
    }

    #[test]
    fn a_new_routine_counts_as_holding_what_the_server_gives_it() {
        let f = schema_model::Function { name: "f".into(), identity_args: "integer".into(), ..Default::default() };
        let public = Grant::new(Securable::routine(&f), "PUBLIC", "EXECUTE", false);
        let from = schema(vec![]);
        let mut to = schema(vec![]);
        to.functions.push(f);
        let revoke = Change::RevokePrivilege {
            schema: "public".into(),
            grant: boxed(&public),
            option_only: false,
            created: true,
        };
        assert_eq!(changes(&from, &to), vec![revoke], "desired without PUBLIC's EXECUTE revokes it");
        let mut out = Vec::new();
        diff(&crate::postgres::PostgresRules, false, &to.name, &from, &to, &mut out);
        assert!(out.is_empty(), "PUBLIC's privileges not managed: nothing to compare");
        to.grants.push(public.clone());
        assert!(changes(&from, &to).is_empty(), "desired keeps the server's grant: nothing to do");
        to.grants[0].grantable = true;
        assert_eq!(
            changes(&from, &to),
            vec![Change::GrantPrivilege { schema: "public".into(), grant: boxed(&to.grants[0]), upgrade: true }]
        );
    }

    #[test]
    fn owners_change_only_where_desired_states_one() {
        let on = Securable::table("t");
        let mut from = schema(vec![]);
        from.owners.push(Owner { on: on.clone(), role: "x".into() });
        let mut to = schema(vec![]);
        assert!(changes(&from, &to).is_empty());
        to.owners.push(Owner { on: on.clone(), role: "y".into() });
        assert_eq!(
            changes(&from, &to),
            vec![Change::SetOwner {
                schema: "public".into(),
                on: Box::new(on),
                from: Some("x".into()),
                to: "y".into()
            }]
        );
    }
}
