//! Privileges and owners: what the desired state grants that the database does not (GRANT),
//! what the database grants that the desired state does not (REVOKE), grant options gained and
//! lost, and owners the desired state states. A privilege on an object that the desired state
//! no longer has is not revoked: dropping the object takes it. Which roles are compared at all
//! is the caller's scope (the CLI filters both models first).

use std::collections::HashMap;

use schema_model::{Grant, Schema, Securable};

use crate::change::Change;

/// The privilege changes of one schema present on both sides (or created), appended to `out`.
pub fn diff(from: &Schema, to: &Schema, out: &mut Vec<Change>) {
    let key = |g: &Grant| (g.on.clone(), g.grantee.clone(), g.privilege.clone());
    let current: HashMap<_, &Grant> = from.grants.iter().map(|g| (key(g), g)).collect();
    let desired: HashMap<_, &Grant> = to.grants.iter().map(|g| (key(g), g)).collect();
    let schema = to.name.clone();
    for g in &to.grants {
        match current.get(&key(g)) {
            None => out.push(Change::GrantPrivilege { schema: schema.clone(), grant: g.clone(), upgrade: false }),
            Some(c) if g.grantable && !c.grantable => {
                out.push(Change::GrantPrivilege { schema: schema.clone(), grant: g.clone(), upgrade: true })
            }
            Some(c) if !g.grantable && c.grantable => {
                out.push(Change::RevokePrivilege { schema: schema.clone(), grant: (*c).clone(), option_only: true })
            }
            Some(_) => {}
        }
    }
    for g in &from.grants {
        if !desired.contains_key(&key(g)) && to.holds(&g.on) {
            out.push(Change::RevokePrivilege { schema: schema.clone(), grant: g.clone(), option_only: false });
        }
    }
    let owners: HashMap<&Securable, &str> = from.owners.iter().map(|o| (&o.on, o.role.as_str())).collect();
    for o in &to.owners {
        let now = owners.get(&o.on).copied();
        if now != Some(o.role.as_str()) {
            out.push(Change::SetOwner {
                schema: schema.clone(),
                on: o.on.clone(),
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

    fn changes(from: &Schema, to: &Schema) -> Vec<Change> {
        let mut out = Vec::new();
        diff(from, to, &mut out);
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
                Change::GrantPrivilege { schema: s.clone(), grant: grant("a", "SELECT", true), upgrade: true },
                Change::RevokePrivilege { schema: s.clone(), grant: grant("b", "INSERT", true), option_only: true },
                Change::GrantPrivilege { schema: s.clone(), grant: grant("d", "DELETE", false), upgrade: false },
                Change::RevokePrivilege { schema: s, grant: grant("c", "UPDATE", true), option_only: false },
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
    fn owners_change_only_where_desired_states_one() {
        let on = Securable::table("t");
        let mut from = schema(vec![]);
        from.owners.push(Owner { on: on.clone(), role: "x".into() });
        let mut to = schema(vec![]);
        assert!(changes(&from, &to).is_empty());
        to.owners.push(Owner { on: on.clone(), role: "y".into() });
        assert_eq!(
            changes(&from, &to),
            vec![Change::SetOwner { schema: "public".into(), on, from: Some("x".into()), to: "y".into() }]
        );
    }
}
