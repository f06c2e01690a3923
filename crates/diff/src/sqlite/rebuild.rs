//! The SQLite table rebuild for changes `ALTER TABLE` cannot make: create the new table under
//! a temporary name, copy every row, drop the old table, rename, and recreate its indexes.
//! The apply runs it with foreign keys off and checks them before commit.

use schema_model::{Column, Table};

use super::render::{create_index, q};
use super::{key, step, table_ref};
use crate::change::TableChange;
use crate::hazards::{Conversion, Fact, NewColumnRows, Storage};
use crate::order::{Draft, Phase};

/// The temporary name a rebuilt table is created under.
fn temp_name(table: &str) -> String {
    format!("_schema_new_{table}")
}

/// SQLite's type affinity of a declared type, by the rules of its documentation (3.1).
fn affinity(ty: &str) -> &'static str {
    let t = ty.to_uppercase();
    if t.contains("INT") {
        "INTEGER"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "TEXT"
    } else if t.contains("BLOB") || t.is_empty() {
        "BLOB"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// The statements that turn table `from` into `to`, keeping every row. `renames` maps desired
/// column names to their current names.
fn statements(from: &Table, to: &Table, renames: &[(String, String)]) -> Vec<String> {
    let tmp = temp_name(&to.name);
    let mut cols = Vec::new();
    let mut exprs = Vec::new();
    for c in to.columns.iter().filter(|c| c.generated.is_none()) {
        let old_name = renames
            .iter()
            .find(|(new, _)| new.eq_ignore_ascii_case(&c.name))
            .map(|(_, old)| old.as_str())
            .unwrap_or(&c.name);
        let Some(old) =
            from.column(old_name).or_else(|| from.columns.iter().find(|o| o.name.eq_ignore_ascii_case(old_name)))
        else {
            continue;
        };
        if old.generated.is_some() {
            continue;
        }
        cols.push(q(&c.name));
        exprs.push(copy_expr(old, c));
    }
    let mut out = vec![super::render::create_table(to, &tmp)];
    if !cols.is_empty() {
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            q(&tmp),
            cols.join(", "),
            exprs.join(", "),
            q(&from.name)
        ));
    }
    let from_auto = from.columns.iter().any(|c| c.auto_increment);
    let to_auto = to.columns.iter().any(|c| c.auto_increment);
    if from_auto && to_auto {
        // Keep the AUTOINCREMENT counter: ids of deleted rows are never handed out again.
        out.push(format!(
            "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = {}), 0)) WHERE name = {}",
            schema_model::quote_literal(schema_model::Dialect::Sqlite, &from.name),
            schema_model::quote_literal(schema_model::Dialect::Sqlite, &tmp)
        ));
    }
    out.push(format!("DROP TABLE {}", q(&from.name)));
    out.push(format!("ALTER TABLE {} RENAME TO {}", q(&tmp), q(&to.name)));
    out.extend(to.indexes.iter().map(|i| create_index(&to.name, i)));
    out
}

/// The value copied into a column: the old value, or the new default where the column becomes
/// NOT NULL and the old value is NULL.
fn copy_expr(old: &Column, new: &Column) -> String {
    match (&new.default, old.nullable && !new.nullable) {
        (Some(d), true) if !d.trim().eq_ignore_ascii_case("null") => {
            format!("coalesce({}, {d})", q(&old.name))
        }
        _ => q(&old.name),
    }
}

/// One step that rebuilds `from` into `to`, with its hazards and reverse.
pub fn rebuild(from: &Table, to: &Table, changes: &[TableChange]) -> Draft {
    let renames: Vec<(String, String)> = changes
        .iter()
        .filter_map(|c| match c {
            TableChange::RenameColumn { from, to } => Some((to.clone(), from.clone())),
            _ => None,
        })
        .collect();
    let back: Vec<(String, String)> = renames.iter().map(|(n, o)| (o.clone(), n.clone())).collect();
    let mut s =
        step(format!("rebuild table {}", q(&to.name)), statements(from, to, &renames), statements(to, from, &back));
    let t = &to.name;
    s.facts.push(Fact::Rebuild { table: table_ref(t) });
    let mut dropped = Vec::new();
    for c in changes {
        if let TableChange::DropColumn { column } = c {
            dropped.push(column.name.clone());
        }
        s.facts.extend(change_facts(t, to.options.strict, c));
    }
    if !dropped.is_empty() {
        s.irreversible = Some(format!("the data of column(s) {} of {t} cannot come back", dropped.join(", ")));
    }
    let mut d = Draft::new(s, Phase::AlterTable, key(t));
    d.provides = vec![key(t)];
    d
}

/// What one table change does to the data inside a rebuild.
fn change_facts(t: &str, strict: bool, c: &TableChange) -> Vec<Fact> {
    let table = table_ref(t);
    match c {
        TableChange::DropColumn { column } => vec![Fact::DropColumn { table, column: column.name.to_string() }],
        TableChange::RenameColumn { from, to } => {
            vec![Fact::RenameColumn { table, from: from.clone(), to: to.clone() }]
        }
        TableChange::AddColumn { column } => {
            vec![Fact::AddColumn { table, column: column.clone(), rows: NewColumnRows::Fail, per_row_value: false }]
        }
        TableChange::ModifyColumn { from: a, to: b } => {
            let mut out = Vec::new();
            if a.nullable && !b.nullable {
                let fill = b.default.as_deref().filter(|d| !d.trim().eq_ignore_ascii_case("null")).map(String::from);
                out.push(Fact::SetNotNull { table: table.clone(), column: b.name.to_string(), fill });
            }
            if affinity(&a.ty.raw) != affinity(&b.ty.raw) {
                out.push(Fact::ChangeType {
                    table,
                    column: b.name.to_string(),
                    from: format!("{} affinity", affinity(&a.ty.raw)),
                    to: format!("{} affinity", affinity(&b.ty.raw)),
                    conversion: if strict { Conversion::FailsOnMisfit { limit: None } } else { Conversion::Converts },
                    storage: Storage::Copy,
                });
            }
            out
        }
        TableChange::AddUnique { unique } => vec![Fact::unique_constraint(table, unique)],
        TableChange::AddIndex { index } if index.unique => vec![Fact::unique_index(table, index)],
        TableChange::DropUnique { unique } => vec![Fact::DropObject {
            kind: "unique constraint".into(),
            name: format!("({})", unique.columns.join(", ")),
            on: Some(table),
        }],
        TableChange::DropCheck { check } => {
            vec![Fact::DropObject { kind: "check".into(), name: format!("({})", check.expr), on: Some(table) }]
        }
        TableChange::DropForeignKey { fk } => vec![Fact::DropObject {
            kind: "foreign key".into(),
            name: format!("({}) → {}", fk.columns.join(", "), fk.ref_table),
            on: Some(table),
        }],
        TableChange::DropIndex { index } => {
            vec![Fact::DropObject { kind: "index".into(), name: index.name.to_string(), on: Some(table) }]
        }
        _ => vec![],
    }
}
