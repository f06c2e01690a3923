//! The differ: model × model → changes. Names are matched exactly (by the dialect's name
//! rules); a rename happens only where the desired model declares it. Linear in the number
//! of objects: named objects are paired by [`Pairing`] (side by side, then by hash map).

use foldhash::HashMap;
use std::borrow::Cow;

use schema_model::{
    Check, CompactString, Event, Exclusion, ForeignKey, PrimaryKey, Realm, Schema, Table, UniqueConstraint, View,
};

use crate::change::{Change, TableChange};
use crate::pairing::Pairing;
use crate::rules::Rules;
use crate::DiffError;

/// The model of a schema with nothing in it: the other side of a schema to create or drop.
static EMPTY: std::sync::LazyLock<Schema> = std::sync::LazyLock::new(Schema::default);

/// Computes the changes that turn `from` into `to`; `creation_grants` as in
/// [`crate::privileges::diff`]. With `one_schema` (MySQL: a realm is one database, and the
/// desired state was read in a database of another name), the single schemas of both sides
/// are compared whatever their names, under the current one's.
pub fn diff<'a>(
    rules: &dyn Rules,
    from: &'a Realm,
    to: &'a Realm,
    creation_grants: bool,
    one_schema: bool,
) -> Result<Vec<Change<'a>>, DiffError> {
    let mut out = Vec::new();
    if one_schema {
        if let ([current], [desired]) = (from.schemas.as_slice(), to.schemas.as_slice()) {
            diff_pair(rules, &current.name, current, desired, creation_grants, &mut out)?;
            return Ok(out);
        }
    }
    let from_by: HashMap<&str, &Schema> = from.schemas.iter().map(|s| (s.name.as_str(), s)).collect();
    let to_names: HashMap<&str, ()> = to.schemas.iter().map(|s| (s.name.as_str(), ())).collect();
    for s in &to.schemas {
        let current = match from_by.get(s.name.as_str()) {
            Some(c) => c,
            None => {
                out.push(Change::AddSchema { name: s.name.clone() });
                &*EMPTY
            }
        };
        diff_pair(rules, &s.name, current, s, creation_grants, &mut out)?;
    }
    for s in &from.schemas {
        if !to_names.contains_key(s.name.as_str()) {
            diff_schema(rules, &s.name, s, &EMPTY, &mut out)?;
            out.push(Change::DropSchema { name: s.name.clone() });
        }
    }
    Ok(out)
}

/// The changes between two schemas that both exist (or are about to), named `name`.
fn diff_pair<'a>(
    rules: &dyn Rules,
    name: &str,
    from: &'a Schema,
    to: &'a Schema,
    creation_grants: bool,
    out: &mut Vec<Change<'a>>,
) -> Result<(), DiffError> {
    if from.comment != to.comment {
        out.push(Change::SetSchemaComment {
            name: name.to_string(),
            from: from.comment.clone(),
            to: to.comment.clone(),
        });
    }
    diff_schema(rules, name, from, to, out)?;
    crate::privileges::diff(rules, creation_grants, name, from, to, out);
    Ok(())
}

fn diff_schema<'a>(
    rules: &dyn Rules,
    name: &str,
    from: &'a Schema,
    to: &'a Schema,
    out: &mut Vec<Change<'a>>,
) -> Result<(), DiffError> {
    let schema = name.to_string();
    let mut tables = Pairing::new(&from.tables, &to.tables, |t| rules.name_key(&t.name));
    for (j, t) in to.tables.iter().enumerate() {
        if let Some(cur) = tables.partner(j) {
            if let Some(old) = &t.renamed_from {
                let old_key = rules.name_key(old);
                if old_key != rules.name_key(&t.name) && tables.old_has(&old_key) {
                    return Err(DiffError::RenameConflict(format!(
                        "table {} is declared renamed from {old}, but both {old} and {} exist; if the rename already happened, remove the directive",
                        t.name, t.name
                    )));
                }
            }
            diff_table(rules, &schema, Cow::Borrowed(cur), t, out)?;
            continue;
        }
        let renamed = t.renamed_from.as_ref().and_then(|old| {
            let k = rules.name_key(old);
            if tables.new_has(&k) {
                None
            } else {
                tables.claim(&k)
            }
        });
        match renamed {
            Some(cur) => {
                out.push(Change::RenameTable {
                    schema: schema.clone(),
                    from: cur.name.to_string(),
                    to: t.name.to_string(),
                });
                let mut moved = cur.clone();
                moved.name = t.name.clone();
                diff_table(rules, &schema, Cow::Owned(moved), t, out)?;
            }
            None => out.push(Change::AddTable { schema: schema.clone(), table: t }),
        }
    }
    for t in tables.unpaired_from() {
        out.push(Change::DropTable { schema: schema.clone(), table: t });
    }
    let same_query = |a: &View, b: &View| {
        rules.expr_eq(&a.definition, &b.definition)
            && a.materialized == b.materialized
            && (&a.algorithm, &a.security, &a.check_option) == (&b.algorithm, &b.security, &b.check_option)
    };
    let same_rest = |a: &View, b: &View| {
        a.comment == b.comment
            && a.indexes.len() == b.indexes.len()
            && a.indexes.iter().zip(&b.indexes).all(|(x, y)| rules.name_eq(&x.name, &y.name) && rules.index_eq(x, y))
    };
    diff_named(
        rules,
        &from.views,
        &to.views,
        |v| v.name.clone(),
        |a, b| same_query(a, b) && same_rest(a, b),
        |c| match c {
            Pair::Add(v) => Change::AddView { schema: schema.clone(), view: boxed(v) },
            Pair::Drop(v) => Change::DropView { schema: schema.clone(), view: boxed(v) },
            Pair::Modify(a, b) if same_query(a, b) => {
                Change::AlterView { schema: schema.clone(), from: boxed(a), to: boxed(b) }
            }
            Pair::Modify(a, b) => Change::ModifyView { schema: schema.clone(), from: boxed(a), to: boxed(b) },
        },
        out,
    );
    diff_named(
        rules,
        &from.extensions,
        &to.extensions,
        |e| e.name.clone(),
        |_, _| true,
        |c| match c {
            Pair::Add(e) => Change::AddExtension { schema: schema.clone(), extension: e.clone() },
            Pair::Drop(e) | Pair::Modify(e, _) => {
                Change::DropExtension { schema: schema.clone(), extension: e.clone() }
            }
        },
        out,
    );
    diff_named(
        rules,
        &from.enums,
        &to.enums,
        |e| e.name.clone(),
        |a, b| a == b,
        |c| match c {
            Pair::Add(e) => Change::AddEnum { schema: schema.clone(), enum_type: boxed(e) },
            Pair::Drop(e) => Change::DropEnum { schema: schema.clone(), enum_type: boxed(e) },
            Pair::Modify(a, b) => Change::ModifyEnum { schema: schema.clone(), from: boxed(a), to: boxed(b) },
        },
        out,
    );
    diff_named(
        rules,
        &from.domains,
        &to.domains,
        |d| d.name.clone(),
        |a, b| a == b,
        |c| match c {
            Pair::Add(d) => Change::AddDomain { schema: schema.clone(), domain: boxed(d) },
            Pair::Drop(d) => Change::DropDomain { schema: schema.clone(), domain: boxed(d) },
            Pair::Modify(a, b) => Change::ModifyDomain { schema: schema.clone(), from: boxed(a), to: boxed(b) },
        },
        out,
    );
    diff_named(
        rules,
        &from.sequences,
        &to.sequences,
        |q| q.name.clone(),
        |a, b| a == b,
        |c| match c {
            Pair::Add(q) => Change::AddSequence { schema: schema.clone(), sequence: boxed(q) },
            Pair::Drop(q) => Change::DropSequence { schema: schema.clone(), sequence: boxed(q) },
            Pair::Modify(a, b) => Change::ModifySequence { schema: schema.clone(), from: boxed(a), to: boxed(b) },
        },
        out,
    );
    diff_named(
        rules,
        &from.functions,
        &to.functions,
        |f| f.signature(),
        |a, b| a == b,
        |c| match c {
            Pair::Add(f) => Change::AddFunction { schema: schema.clone(), function: boxed(f) },
            Pair::Drop(f) => Change::DropFunction { schema: schema.clone(), function: boxed(f) },
            Pair::Modify(a, b) => Change::ModifyFunction { schema: schema.clone(), from: boxed(a), to: boxed(b) },
        },
        out,
    );
    // A definer the desired state does not state is whoever runs the plan: not compared.
    let definer_eq = |a: &Event, b: &Event| b.definer.is_none() || a.definer == b.definer;
    diff_named(
        rules,
        &from.events,
        &to.events,
        |e| e.name.clone(),
        |a, b| {
            (&a.schedule, a.preserve, a.status, &a.comment) == (&b.schedule, b.preserve, b.status, &b.comment)
                && rules.expr_eq(&a.body, &b.body)
                && definer_eq(a, b)
        },
        |c| match c {
            Pair::Add(e) => Change::AddEvent { schema: schema.clone(), event: boxed(e) },
            Pair::Drop(e) => Change::DropEvent { schema: schema.clone(), event: boxed(e) },
            Pair::Modify(a, b) => Change::ModifyEvent { schema: schema.clone(), from: boxed(a), to: boxed(b) },
        },
        out,
    );
    diff_named(
        rules,
        &from.triggers,
        &to.triggers,
        |t| rules.trigger_key(t),
        |a, b| {
            rules.name_eq(&a.table, &b.table) && rules.expr_eq(&a.definition, &b.definition) && a.comment == b.comment
        },
        |c| match c {
            Pair::Add(t) => Change::AddTrigger { schema: schema.clone(), trigger: boxed(t) },
            Pair::Drop(t) => Change::DropTrigger { schema: schema.clone(), trigger: boxed(t) },
            Pair::Modify(a, b) => Change::ModifyTrigger { schema: schema.clone(), from: boxed(a), to: boxed(b) },
        },
        out,
    );
    Ok(())
}

/// A copy of a model object on the heap, so a change stays small whatever it carries.
pub(crate) fn boxed<T: Clone>(x: &T) -> Box<T> {
    Box::new(x.clone())
}

/// Which side a named object is on.
enum Pair<'a, T> {
    Add(&'a T),
    Drop(&'a T),
    Modify(&'a T, &'a T),
}

/// Diffs two lists of objects matched by name.
fn diff_named<T, C>(
    rules: &dyn Rules,
    from: &[T],
    to: &[T],
    name: impl Fn(&T) -> String,
    same: impl Fn(&T, &T) -> bool,
    mut emit: impl FnMut(Pair<'_, T>) -> C,
    out: &mut Vec<C>,
) {
    let pairs = Pairing::new(from, to, |x| Cow::Owned(rules.name_key(&name(x)).into_owned()));
    for (j, x) in to.iter().enumerate() {
        match pairs.partner(j) {
            None => out.push(emit(Pair::Add(x))),
            Some(c) if !same(c, x) => out.push(emit(Pair::Modify(c, x))),
            Some(_) => {}
        }
    }
    for x in pairs.unpaired_from() {
        out.push(emit(Pair::Drop(x)));
    }
}

/// Diffs two unnamed-or-named constraint lists by full equality: what is only on one side is
/// added or dropped.
fn diff_set<T: Clone>(
    from: &[T],
    to: &[T],
    same: impl Fn(&T, &T) -> bool,
    add: impl Fn(Box<T>) -> TableChange,
    drop: impl Fn(Box<T>) -> TableChange,
    out: &mut Vec<TableChange>,
) {
    for x in to {
        if !from.iter().any(|c| same(c, x)) {
            out.push(add(boxed(x)));
        }
    }
    for x in from {
        if !to.iter().any(|d| same(x, d)) {
            out.push(drop(boxed(x)));
        }
    }
}

/// The changes inside one table, for planners that re-derive a table's reverse.
pub(crate) fn table_changes(rules: &dyn Rules, from: &Table, to: &Table) -> Result<Vec<TableChange>, DiffError> {
    let mut out = Vec::new();
    diff_table(rules, "", Cow::Borrowed(from), to, &mut out)?;
    Ok(match out.pop() {
        Some(Change::ModifyTable { changes, .. }) => changes,
        _ => Vec::new(),
    })
}

fn diff_table<'a>(
    rules: &dyn Rules,
    schema: &str,
    current: Cow<'a, Table>,
    to: &'a Table,
    out: &mut Vec<Change<'a>>,
) -> Result<(), DiffError> {
    // Most tables of a large catalog are unchanged: equal models have no difference to find.
    if *current == *to {
        return Ok(());
    }
    let from: &Table = &current;
    let mut changes = Vec::new();
    let mut columns = Pairing::new(&from.columns, &to.columns, |c| rules.name_key(&c.name));
    // Constraints and indexes name columns; compare them under the desired names (a copy of
    // the table only when a column is renamed).
    let mut renamed_from = Cow::Borrowed(from);
    for (j, c) in to.columns.iter().enumerate() {
        let cur = match columns.partner(j) {
            Some(cur) => {
                if let Some(old) = &c.renamed_from {
                    let ok = rules.name_key(old);
                    if ok != rules.name_key(&c.name) && columns.old_has(&ok) {
                        return Err(DiffError::RenameConflict(format!(
                            "column {}.{} is declared renamed from {old}, but both {old} and {} exist; if the rename already happened, remove the directive",
                            to.name, c.name, c.name
                        )));
                    }
                }
                Some(cur)
            }
            None => c.renamed_from.as_ref().and_then(|old| {
                let k = rules.name_key(old);
                if columns.new_has(&k) {
                    return None;
                }
                columns.claim(&k).inspect(|cur| {
                    changes.push(TableChange::RenameColumn { from: cur.name.to_string(), to: c.name.to_string() });
                    rename_column_refs(renamed_from.to_mut(), &cur.name, &c.name, rules);
                })
            }),
        };
        match cur {
            Some(cur) => {
                if !rules.column_eq(cur, c) {
                    let mut renamed = cur.clone();
                    renamed.name = c.name.clone();
                    changes.push(TableChange::ModifyColumn { from: Box::new(renamed), to: boxed(c) });
                }
            }
            None => changes.push(TableChange::AddColumn { column: boxed(c) }),
        }
    }
    for c in columns.unpaired_from() {
        changes.push(TableChange::DropColumn { column: boxed(c) });
    }
    if rules.ordered_columns() {
        // Compare the order of the columns both sides have, under their desired names.
        let renames: HashMap<String, String> = changes
            .iter()
            .filter_map(|c| match c {
                TableChange::RenameColumn { from, to } => {
                    Some((rules.name_key(from).into_owned(), rules.name_key(to).into_owned()))
                }
                _ => None,
            })
            .collect();
        let desired_keys: Vec<String> = to.columns.iter().map(|c| rules.name_key(&c.name).into_owned()).collect();
        let kept: Vec<String> = from
            .columns
            .iter()
            .map(|c| rules.name_key(&c.name).into_owned())
            .map(|k| renames.get(&k).cloned().unwrap_or(k))
            .filter(|k| desired_keys.contains(k))
            .collect();
        let desired_kept: Vec<&String> = desired_keys.iter().filter(|k| kept.contains(k)).collect();
        if kept.iter().collect::<Vec<_>>() != desired_kept {
            changes.push(TableChange::ReorderColumns);
        }
    }
    let f: &Table = &renamed_from;
    let name_eq = |a: &Option<CompactString>, b: &Option<CompactString>| rules.opt_name_eq(a.as_deref(), b.as_deref());
    let pk_eq = |a: &PrimaryKey, b: &PrimaryKey| {
        rules.names_eq(&a.columns, &b.columns) && name_eq(&a.name, &b.name) && a.deferrable == b.deferrable
    };
    let unique_eq = |a: &UniqueConstraint, b: &UniqueConstraint| {
        rules.names_eq(&a.columns, &b.columns)
            && name_eq(&a.name, &b.name)
            && a.nulls_not_distinct == b.nulls_not_distinct
            && rules.names_eq(&a.include, &b.include)
            && a.deferrable == b.deferrable
    };
    let fk_eq = |a: &ForeignKey, b: &ForeignKey| {
        name_eq(&a.name, &b.name)
            && rules.names_eq(&a.columns, &b.columns)
            && a.ref_schema == b.ref_schema
            && rules.name_eq(&a.ref_table, &b.ref_table)
            && rules.names_eq(&a.ref_columns, &b.ref_columns)
            && a.on_delete == b.on_delete
            && a.on_update == b.on_update
            && a.deferrable == b.deferrable
            && a.match_full == b.match_full
            && a.not_valid == b.not_valid
    };
    let check_eq = |a: &Check, b: &Check| {
        name_eq(&a.name, &b.name)
            && rules.expr_eq(&a.expr, &b.expr)
            && a.not_valid == b.not_valid
            && a.no_inherit == b.no_inherit
    };
    match (&f.primary_key, &to.primary_key) {
        (None, None) => {}
        // An unnamed key (MySQL's) has no COMMENT ON CONSTRAINT: its comment changes with it.
        (Some(a), Some(b)) if pk_eq(a, b) && (b.name.is_some() || a.comment == b.comment) => {
            comment_change(b.name.as_deref(), &a.comment, &b.comment, &mut changes)
        }
        _ => changes.push(TableChange::SetPrimaryKey {
            from: f.primary_key.as_ref().map(boxed),
            to: to.primary_key.as_ref().map(boxed),
        }),
    }
    diff_set(
        &f.uniques,
        &to.uniques,
        unique_eq,
        |unique| TableChange::AddUnique { unique },
        |unique| TableChange::DropUnique { unique },
        &mut changes,
    );
    diff_set(
        &f.foreign_keys,
        &to.foreign_keys,
        fk_eq,
        |fk| TableChange::AddForeignKey { fk },
        |fk| TableChange::DropForeignKey { fk },
        &mut changes,
    );
    diff_set(
        &f.checks,
        &to.checks,
        check_eq,
        |check| TableChange::AddCheck { check },
        |check| TableChange::DropCheck { check },
        &mut changes,
    );
    let exclusion_eq = |a: &Exclusion, b: &Exclusion| rules.name_eq(&a.name, &b.name) && a.definition == b.definition;
    diff_set(
        &f.exclusions,
        &to.exclusions,
        exclusion_eq,
        |exclusion| TableChange::AddExclusion { exclusion },
        |exclusion| TableChange::DropExclusion { exclusion },
        &mut changes,
    );
    for b in &to.exclusions {
        if let Some(a) = f.exclusions.iter().find(|a| exclusion_eq(a, b)) {
            comment_change(Some(&b.name), &a.comment, &b.comment, &mut changes);
        }
    }
    for b in &to.uniques {
        if let Some(a) = f.uniques.iter().find(|a| unique_eq(a, b)) {
            comment_change(b.name.as_deref(), &a.comment, &b.comment, &mut changes);
        }
    }
    for b in &to.foreign_keys {
        if let Some(a) = f.foreign_keys.iter().find(|a| fk_eq(a, b)) {
            comment_change(b.name.as_deref(), &a.comment, &b.comment, &mut changes);
        }
    }
    for b in &to.checks {
        if let Some(a) = f.checks.iter().find(|a| check_eq(a, b)) {
            comment_change(b.name.as_deref(), &a.comment, &b.comment, &mut changes);
        }
    }
    let indexes = Pairing::new(&f.indexes, &to.indexes, |i| rules.name_key(&i.name));
    for (j, i) in to.indexes.iter().enumerate() {
        match indexes.partner(j) {
            None => changes.push(TableChange::AddIndex { index: boxed(i) }),
            Some(cur) if !rules.index_eq(cur, i) => {
                changes.push(TableChange::ModifyIndex { from: boxed(cur), to: boxed(i) })
            }
            Some(cur) if cur.comment != i.comment => changes.push(TableChange::SetIndexComment {
                name: i.name.to_string(),
                from: cur.comment.clone(),
                to: i.comment.clone(),
            }),
            Some(_) => {}
        }
    }
    for i in indexes.unpaired_from() {
        changes.push(TableChange::DropIndex { index: boxed(i) });
    }
    diff_named(
        rules,
        &f.policies,
        &to.policies,
        |p| p.name.clone(),
        |a, b| a == b,
        |c| match c {
            Pair::Add(p) => TableChange::AddPolicy { policy: boxed(p) },
            Pair::Drop(p) => TableChange::DropPolicy { policy: boxed(p) },
            Pair::Modify(a, b) => TableChange::ModifyPolicy { from: boxed(a), to: boxed(b) },
        },
        &mut changes,
    );
    if f.partition_by != to.partition_by || f.partition_of != to.partition_of || f.partitions != to.partitions {
        changes.push(TableChange::Repartition);
    }
    if f.comment != to.comment {
        changes.push(TableChange::SetComment { from: f.comment.clone(), to: to.comment.clone() });
    }
    if f.options != to.options {
        changes.push(TableChange::SetOptions { from: boxed(&f.options), to: boxed(&to.options) });
    }
    if !changes.is_empty() {
        out.push(Change::ModifyTable { schema: schema.to_string(), from: current.into(), to, changes });
    }
    Ok(())
}

/// Records a comment change on an otherwise equal, named constraint.
fn comment_change(name: Option<&str>, from: &Option<String>, to: &Option<String>, out: &mut Vec<TableChange>) {
    if let (Some(name), true) = (name, from != to) {
        out.push(TableChange::SetConstraintComment { name: name.to_string(), from: from.clone(), to: to.clone() });
    }
}

/// Rewrites column references in a table's keys and indexes after a declared column rename, so
/// that constraints are compared under the new name.
fn rename_column_refs(t: &mut Table, old: &str, new: &str, rules: &dyn Rules) {
    let fix = |v: &mut Vec<CompactString>| {
        for c in v.iter_mut() {
            if rules.name_eq(c, old) {
                *c = new.into();
            }
        }
    };
    if let Some(pk) = &mut t.primary_key {
        fix(&mut pk.columns);
    }
    t.uniques.iter_mut().for_each(|u| fix(&mut u.columns));
    t.foreign_keys.iter_mut().for_each(|f| fix(&mut f.columns));
    for i in &mut t.indexes {
        for p in &mut i.parts {
            if let schema_model::IndexKey::Column(c) = &mut p.key {
                if rules.name_eq(c, old) {
                    *c = new.into();
                }
            }
        }
    }
}
