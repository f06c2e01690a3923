//! Privileges and owners in HCL (PostgreSQL). Privileges are Atlas's top-level `permission {
//! for, to, privileges, grantable }`; owners, which Atlas has no syntax for, are an `owner {
//! for, to }` block of the same shape. Both are read once every other block is in the realm,
//! so that `for` resolves to the declared object itself (a routine's overloads told apart by
//! `args`, its identity arguments).

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block};
use hcl_edit::Span;

use super::constraints::required;
use super::table::opt_bool;
use super::values::{attr, path, plain_string, Ctx};
use super::writer::{attr as hattr, ident, list, reference, word};
use crate::sql::SourceError;
use crate::{Grant, ObjectKind, Owner, Realm, Schema, Securable};

/// The privileges each kind of object takes (PostgreSQL 15; `MAINTAIN` from 17).
fn allowed(on: &Securable) -> &'static [&'static str] {
    if on.column.is_some() {
        return &["SELECT", "INSERT", "UPDATE", "REFERENCES"];
    }
    match on.kind {
        ObjectKind::Schema => &["USAGE", "CREATE"],
        ObjectKind::Sequence => &["USAGE", "SELECT", "UPDATE"],
        ObjectKind::Function | ObjectKind::Procedure => &["EXECUTE"],
        ObjectKind::Table | ObjectKind::View | ObjectKind::MaterializedView => {
            &["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"]
        }
    }
}

/// The word of a reference to an object of `kind` (`table.t`, `view.v`, ...).
fn kind_word(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Schema => "schema",
        ObjectKind::Table => "table",
        ObjectKind::View => "view",
        ObjectKind::MaterializedView => "materialized",
        ObjectKind::Sequence => "sequence",
        ObjectKind::Function => "function",
        ObjectKind::Procedure => "procedure",
    }
}

/// What `for` names, and the schema it belongs to.
struct Target {
    schema: String,
    on: Securable,
}

/// `permission { for, to, privileges, grantable, args }` into the schema of what it is for.
pub(super) fn read_permission(ctx: &Ctx, b: &Block, realm: &mut Realm) -> Result<(), SourceError> {
    let body = &b.body;
    no_label(ctx, b)?;
    ctx.check_body(body, "permission", &["for", "to", "privileges", "grantable", "args"], &[])?;
    let t = target(ctx, b, realm)?;
    let grantee = role(ctx, b)?;
    let grantable = opt_bool(ctx, body, "grantable")?.unwrap_or(false);
    let list_attr = required(ctx, b, body, "privileges", "[SELECT, INSERT]")?;
    let items = ctx.array(list_attr)?;
    if items.is_empty() {
        return Err(ctx.expected(list_attr, "a list of privileges"));
    }
    let schema = realm.schemas.iter_mut().find(|s| s.name == t.schema).expect("the target's schema is in the realm");
    for e in items {
        let privilege = match e {
            Expression::Variable(v) => v.as_str().to_string(),
            e => plain_string(e).ok_or_else(|| ctx.expected(list_attr, "a list of privileges"))?,
        }
        .to_ascii_uppercase();
        let kinds = allowed(&t.on);
        if !kinds.contains(&privilege.as_str()) {
            return Err(ctx.err(
                e.span(),
                format!("privilege {privilege:?} does not apply to {}", describe(&t.on)),
                "not a privilege of this object",
                &format!("it takes: {}", kinds.join(", ")),
            ));
        }
        let g = Grant::new(t.on.clone(), &grantee, &privilege, grantable);
        if schema.grants.iter().any(|x| x.on == g.on && x.grantee == g.grantee && x.privilege == g.privilege) {
            return Err(ctx.err(
                e.span(),
                format!("{privilege} on {} is given to {grantee:?} twice", describe(&t.on)),
                "given again here",
                "keep one permission block for each privilege of a role",
            ));
        }
        schema.grants.push(g);
    }
    Ok(())
}

/// `owner { for, to, args }` into the schema of what it is for.
pub(super) fn read_owner(ctx: &Ctx, b: &Block, realm: &mut Realm) -> Result<(), SourceError> {
    no_label(ctx, b)?;
    ctx.check_body(&b.body, "owner", &["for", "to", "args"], &[])?;
    let t = target(ctx, b, realm)?;
    let role = role(ctx, b)?;
    let at = attr(&b.body, "for").and_then(|a| a.value.span());
    if t.on.column.is_some() {
        return Err(ctx.err(
            at,
            "an owner owns a whole object, not one column",
            "a column",
            "name the table: for = table.NAME",
        ));
    }
    let schema = realm.schemas.iter_mut().find(|s| s.name == t.schema).expect("the target's schema is in the realm");
    if schema.owners.iter().any(|o| o.on == t.on) {
        return Err(ctx.err(
            at,
            format!("{} has two owners", describe(&t.on)),
            "owned again here",
            "an object has one owner; keep one owner block",
        ));
    }
    schema.owners.push(Owner { on: t.on, role });
    Ok(())
}

/// Refuses a name on a block that takes none (`permission`, `owner`).
fn no_label(ctx: &Ctx, b: &Block) -> Result<(), SourceError> {
    match b.labels.first() {
        None => Ok(()),
        Some(l) => Err(ctx.err(
            l.span(),
            format!("`{}` takes no name", b.ident.as_str()),
            "a name",
            &format!("write {} {{ for = ..., to = ... }}", b.ident.as_str()),
        )),
    }
}

/// The role of `to`: `PUBLIC`, a name (`app`, `"user with spaces"`), or Atlas's `role.NAME`.
fn role(ctx: &Ctx, b: &Block) -> Result<String, SourceError> {
    let a = required(ctx, b, &b.body, "to", "PUBLIC (or a role's name)")?;
    match (&a.value, path(&a.value).as_deref()) {
        (Expression::Variable(v), _) => Ok(v.as_str().to_string()),
        (_, Some([kind, name])) if kind == "role" => Ok(name.clone()),
        (e, _) => plain_string(e).ok_or_else(|| ctx.expected(a, "a role's name")),
    }
}

/// `table.t`, `view.s.v`, `table.t.column.c`, `function.f`, `schema.s`, ... resolved to an
/// object of the realm.
fn target(ctx: &Ctx, b: &Block, realm: &Realm) -> Result<Target, SourceError> {
    let a = required(ctx, b, &b.body, "for", "table.NAME")?;
    let bad = || {
        ctx.err(
            a.value.span(),
            "expected a reference to an object",
            "not a reference",
            "write schema.NAME, table.NAME, table.NAME.column.NAME, view.NAME, materialized.NAME, sequence.NAME, \
             function.NAME or procedure.NAME (with the schema after the kind where names repeat: table.SCHEMA.NAME)",
        )
    };
    let p = path(&a.value).ok_or_else(bad)?;
    let Some((kind_name, rest)) = p.split_first() else { return Err(bad()) };
    if kind_name == "schema" {
        let [name] = rest else { return Err(bad()) };
        if realm.schema(name).is_none() {
            return Err(not_declared(ctx, a, "schema", name));
        }
        let on = Securable { kind: ObjectKind::Schema, name: name.clone(), args: None, column: None };
        return Ok(Target { schema: name.clone(), on });
    }
    let kind = match kind_name.as_str() {
        "table" => ObjectKind::Table,
        "view" => ObjectKind::View,
        "materialized" => ObjectKind::MaterializedView,
        "sequence" => ObjectKind::Sequence,
        "function" => ObjectKind::Function,
        "procedure" => ObjectKind::Procedure,
        _ => return Err(bad()),
    };
    let relation = matches!(kind, ObjectKind::Table | ObjectKind::View | ObjectKind::MaterializedView);
    let (schema, name, column) = match rest {
        [n] => (None, n, None),
        [s, n] => (Some(s), n, None),
        [n, c, col] if c == "column" && relation => (None, n, Some(col)),
        [s, n, c, col] if c == "column" && relation => (Some(s), n, Some(col)),
        _ => return Err(bad()),
    };
    let args = attr(&b.body, "args").map(|x| ctx.string(x)).transpose()?;
    let mut found: Vec<(&Schema, Option<String>)> = Vec::new();
    for s in realm.schemas.iter().filter(|s| schema.is_none_or(|x| *x == s.name)) {
        let routines = s
            .functions
            .iter()
            .filter(|f| f.name == *name && f.procedure == (kind == ObjectKind::Procedure) && kind_is_routine(kind));
        let held = match kind {
            ObjectKind::Table => s.table(name).is_some(),
            ObjectKind::View | ObjectKind::MaterializedView => {
                s.view(name).is_some_and(|v| v.materialized == (kind == ObjectKind::MaterializedView))
            }
            // A sequence PostgreSQL made for an identity column is not in the model (which does
            // not name it), but its owner and privileges are reported: taken by name where the
            // schema has identity columns (a wrong name fails when the dev database replays it).
            ObjectKind::Sequence => {
                s.sequences.iter().any(|q| q.name == *name)
                    || s.tables.iter().any(|t| t.columns.iter().any(|c| c.identity.is_some()))
            }
            _ => false,
        };
        if held {
            found.push((s, None));
        }
        for f in routines.filter(|f| args.as_ref().is_none_or(|a| *a == f.identity_args)) {
            found.push((s, Some(f.identity_args.clone())));
        }
    }
    let (s, routine_args) = match found.as_slice() {
        [one] => one.clone(),
        [] => return Err(not_declared(ctx, a, kind_name, name)),
        [(x, _), (y, _), ..] if x.name != y.name => {
            return Err(ctx.err(
                a.value.span(),
                format!("{kind_name} {name:?} is in more than one schema"),
                "ambiguous",
                &format!("name the schema: {kind_name}.SCHEMA.{name}"),
            ))
        }
        many => {
            let overloads: Vec<String> =
                many.iter().filter_map(|(_, a)| a.as_ref().map(|a| format!("{a:?}"))).collect();
            return Err(ctx.err(
                a.value.span(),
                format!("{kind_name} {name:?} is overloaded"),
                "which one?",
                &format!("add args = the identity arguments of one of them: {}", overloads.join(", ")),
            ));
        }
    };
    if let Some(c) = column {
        let t = s.table(name);
        let known = kind != ObjectKind::Table || t.is_some_and(|t| t.partition_of.is_some() || t.column(c).is_some());
        if !known {
            return Err(ctx.err(
                a.value.span(),
                format!("table {name:?} has no column {c:?}"),
                "no such column",
                &format!("its columns are: {}", t.map(column_names).unwrap_or_default()),
            ));
        }
    }
    let on = Securable { kind, name: name.clone(), args: routine_args, column: column.cloned() };
    Ok(Target { schema: s.name.clone(), on })
}

fn kind_is_routine(kind: ObjectKind) -> bool {
    matches!(kind, ObjectKind::Function | ObjectKind::Procedure)
}

fn column_names(t: &crate::Table) -> String {
    t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn not_declared(ctx: &Ctx, a: &Attribute, word: &str, name: &str) -> SourceError {
    ctx.err(
        a.value.span(),
        format!("{word} {name:?} is not declared"),
        "no such object",
        &format!("declare it with a {word} block, or name another one"),
    )
}

/// `table "public"."t"`, `column "a" of view "v"`, for messages.
fn describe(on: &Securable) -> String {
    let what = format!("{} {:?}", kind_word(on.kind), on.name);
    match &on.column {
        Some(c) => format!("column {c:?} of {what}"),
        None => what,
    }
}

/// The `for` of an object of `s` (qualified where the realm has more than one schema), and
/// `args` for a routine whose name is overloaded.
fn for_attrs(realm: &Realm, s: &Schema, on: &Securable) -> Vec<hcl_edit::structure::Attribute> {
    let mut parts: Vec<&str> = vec![kind_word(on.kind)];
    if on.kind != ObjectKind::Schema && realm.schemas.len() > 1 {
        parts.push(&s.name);
    }
    parts.push(&on.name);
    if let Some(c) = &on.column {
        parts.extend(["column", c.as_str()]);
    }
    let mut out = vec![hattr("for", reference(&parts))];
    if let Some(a) = &on.args {
        if s.functions.iter().filter(|f| f.name == on.name).count() > 1 {
            out.push(hattr("args", a));
        }
    }
    out
}

/// The `permission` blocks of `s`: one per object, role and grant option, its privileges
/// in order.
pub(super) fn permission_blocks(realm: &Realm, s: &Schema) -> Vec<Block> {
    let mut groups: BTreeMap<(&Securable, &str, bool), Vec<&str>> = BTreeMap::new();
    for g in &s.grants {
        groups.entry((&g.on, &g.grantee, g.grantable)).or_default().push(&g.privilege);
    }
    groups
        .into_iter()
        .map(|((on, grantee, grantable), privileges)| {
            let mut b = Block::builder(ident("permission"));
            for a in for_attrs(realm, s, on) {
                b = b.attribute(a);
            }
            b = b
                .attribute(hattr("to", word(grantee)))
                .attribute(hattr("privileges", list(privileges.into_iter().map(word).collect())));
            if grantable {
                b = b.attribute(hattr("grantable", true));
            }
            b.build()
        })
        .collect()
}

/// The `owner` blocks of `s`.
pub(super) fn owner_blocks(realm: &Realm, s: &Schema) -> Vec<Block> {
    s.owners
        .iter()
        .map(|o| {
            let mut b = Block::builder(ident("owner"));
            for a in for_attrs(realm, s, &o.on) {
                b = b.attribute(a);
            }
            b.attribute(hattr("to", word(&o.role))).build()
        })
        .collect()
}
