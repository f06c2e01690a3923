//! The SQLite table rebuild for changes `ALTER TABLE` cannot make: create the new table under
//! a temporary name, copy every row, drop the old table, rename, and recreate its indexes.
//! The apply runs it with foreign keys off and checks them before commit.

use schema_model::{Column, Table};

use super::render::{create_index, q};
use super::{key, step};
use crate::change::TableChange;
use crate::hazard::{Hazard, HazardCode};
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
    s.hazards
        .push(Hazard::new(HazardCode::LK106, format!("table {t} is rebuilt: every row is copied into a new table")));
    let mut dropped = Vec::new();
    for c in changes {
        if let TableChange::DropColumn { column } = c {
            dropped.push(column.name.clone());
        }
        for h in change_hazards(t, to.options.strict, c) {
            if !s.hazards.contains(&h) {
                s.hazards.push(h);
            }
        }
    }
    if !dropped.is_empty() {
        s.irreversible = Some(format!("the data of column(s) {} of {t} cannot come back", dropped.join(", ")));
    }
    let mut d = Draft::new(s, Phase::AlterTable, key(t));
    d.provides = vec![key(t)];
    d
}

/// The hazards one table change carries inside a rebuild.
fn change_hazards(t: &str, strict: bool, c: &TableChange) -> Vec<Hazard> {
    let mut out = Vec::new();
    match c {
        TableChange::DropColumn { column } => {
            out.push(Hazard::new(HazardCode::DS103, format!("column {t}.{} and its data are deleted", column.name)))
        }
        TableChange::RenameColumn { from: a, to: b } => out.push(Hazard::new(
            HazardCode::BC102,
            format!("column {t}.{a} is renamed to {b}; running code that uses the old name breaks"),
        )),
        TableChange::AddColumn { column }
            if !column.nullable
                && super::render::is_null_default(column.default.as_deref())
                && column.generated.is_none() =>
        {
            out.push(Hazard::new(
                HazardCode::MF103,
                format!("NOT NULL column {t}.{} has no default: the copy fails if {t} has rows", column.name),
            ))
        }
        TableChange::ModifyColumn { from: a, to: b } => {
            if a.nullable && !b.nullable {
                out.push(match &b.default {
                    Some(d) if !d.trim().eq_ignore_ascii_case("null") => Hazard::new(
                        HazardCode::MF104,
                        format!("column {t}.{} becomes NOT NULL: NULLs in it are replaced by its default {d}", b.name),
                    ),
                    _ => Hazard::new(
                        HazardCode::MF104,
                        format!("column {t}.{} becomes NOT NULL: the copy fails if it holds NULLs", b.name),
                    ),
                });
            }
            if affinity(&a.ty.raw) != affinity(&b.ty.raw) {
                out.push(Hazard::new(
                    HazardCode::MF105,
                    format!(
                        "column {t}.{} changes from {} to {} affinity: values are converted{}",
                        b.name,
                        affinity(&a.ty.raw),
                        affinity(&b.ty.raw),
                        if strict { ", and the copy fails on values that do not fit" } else { " where they can" }
                    ),
                ));
            }
        }
        TableChange::AddUnique { unique } => out.push(Hazard::new(
            HazardCode::MF101,
            format!("unique ({}) on {t} fails if it holds duplicates", unique.columns.join(", ")),
        )),
        TableChange::AddIndex { index } if index.unique => out.push(Hazard::new(
            HazardCode::MF101,
            format!("unique index {} on {t} fails if it holds duplicate keys", index.name),
        )),
        TableChange::DropUnique { unique } => out.push(Hazard::new(
            HazardCode::DS104,
            format!("unique ({}) on {t} is dropped: duplicates become possible", unique.columns.join(", ")),
        )),
        TableChange::DropCheck { check } => {
            out.push(Hazard::new(HazardCode::DS104, format!("check ({}) on {t} is dropped", check.expr)))
        }
        TableChange::DropForeignKey { fk } => out.push(Hazard::new(
            HazardCode::DS104,
            format!("foreign key ({}) → {} on {t} is dropped", fk.columns.join(", "), fk.ref_table),
        )),
        TableChange::DropIndex { index } => {
            out.push(Hazard::new(HazardCode::DS104, format!("index {} on {t} is dropped", index.name)))
        }
        _ => {}
    }
    out
}
