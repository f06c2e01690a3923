//! Privileges and owners (PostgreSQL): what `GRANT` and `ALTER ... OWNER TO` state, kept per
//! schema so that a role's access can be diffed like any other object.

use serde::{Deserialize, Serialize};

/// The kind of object a privilege is granted on or an owner owns (PostgreSQL), which decides
/// the keyword of `GRANT ... ON <kind>` and `ALTER <kind> ... OWNER TO`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// The schema itself.
    Schema,
    /// A table (or a partitioned table).
    #[default]
    Table,
    /// A view.
    View,
    /// A materialized view.
    MaterializedView,
    /// A sequence.
    Sequence,
    /// A function.
    Function,
    /// A procedure.
    Procedure,
}

/// One object of a schema that privileges and owners attach to: the schema itself (named by
/// its own name), a relation, one column of a relation, or a routine with its identity
/// arguments.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Securable {
    /// What kind of object it is.
    pub kind: ObjectKind,
    /// The object's name (the schema's own name for [`ObjectKind::Schema`]).
    pub name: String,
    /// A routine's identity arguments (`integer, text`), which tell overloads apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<String>,
    /// A column of a table or view, for a column privilege.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

/// One privilege of one role on one object: `GRANT <privilege> ON <on> TO <grantee>`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Grant {
    /// What it is granted on.
    pub on: Securable,
    /// The role it is granted to; `PUBLIC` for every role.
    pub grantee: String,
    /// The privilege, upper case (`SELECT`, `USAGE`, `EXECUTE`, ...).
    pub privilege: String,
    /// `WITH GRANT OPTION`: the grantee may grant it on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grantable: bool,
}

/// The owner of one object, where it is stated: a desired state that says
/// `ALTER ... OWNER TO`, or a live object owned by a role other than the connecting one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Owner {
    /// The owned object (never a column).
    pub on: Securable,
    /// The owning role.
    pub role: String,
}

impl Securable {
    /// The table (or view) `name`, as a whole.
    pub fn table(name: &str) -> Self {
        Securable { kind: ObjectKind::Table, name: name.into(), args: None, column: None }
    }

    /// The function or procedure `f`, told from its overloads by its identity arguments.
    pub fn routine(f: &crate::Function) -> Self {
        let kind = if f.procedure { ObjectKind::Procedure } else { ObjectKind::Function };
        Securable { kind, name: f.name.clone(), args: Some(f.identity_args.clone()), column: None }
    }
}

impl Grant {
    /// `privilege` on `on` to `grantee`, with the grant option if `grantable`.
    pub fn new(on: Securable, grantee: &str, privilege: &str, grantable: bool) -> Self {
        Grant { on, grantee: grantee.into(), privilege: privilege.into(), grantable }
    }
}

impl crate::Schema {
    /// Whether this schema has the object `on` names (a column privilege needs the column).
    pub fn holds(&self, on: &Securable) -> bool {
        match on.kind {
            ObjectKind::Schema => on.name == self.name,
            ObjectKind::Table => self.table(&on.name).is_some_and(|t| match &on.column {
                Some(c) => t.column(c).is_some(),
                None => true,
            }),
            // A view's columns are its query's; a column privilege on it lasts as long as the view.
            ObjectKind::View | ObjectKind::MaterializedView => self.view(&on.name).is_some(),
            ObjectKind::Sequence => self.sequences.iter().any(|s| s.name == on.name),
            ObjectKind::Function | ObjectKind::Procedure => {
                self.functions.iter().any(|f| f.name == on.name && Some(&f.identity_args) == on.args.as_ref())
            }
        }
    }
}
