//! The SQLite planner: `ALTER TABLE` where SQLite allows it, the full table rebuild
//! otherwise, with dependent views and triggers dropped first and recreated after.

mod hooks;
mod rebuild;
mod render;

use schema_model::{Column, Dialect, Realm, Table};

use crate::change::{Change, TableChange};
use crate::hazards::{Fact, NewColumnRows, TableRef};
use crate::order::{Draft, Phase};
use crate::plan::Step;
use crate::rules::Rules;
use crate::{DiffError, PlanOptions, Planner};

use render::{column_def, create_index, create_table, is_constant, is_null_default, q};

/// SQLite's comparison rules: names ignore case, expressions compare as normalized tokens.
pub struct SqliteRules;

impl Rules for SqliteRules {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

/// Plans SQLite changes.
pub struct SqlitePlanner;

/// The key under which steps name a table, view or trigger for ordering.
pub(crate) fn key(name: &str) -> String {
    name.to_lowercase()
}

fn step(description: String, sql: Vec<String>, reverse: Vec<String>) -> Step {
    Step::new(description, sql, reverse)
}

impl Planner for SqlitePlanner {
    fn rules(&self) -> &dyn Rules {
        &SqliteRules
    }

    fn drafts(
        &self,
        from: &Realm,
        to: &Realm,
        changes: &[Change],
        _options: &PlanOptions,
    ) -> Result<Vec<Draft>, DiffError> {
        let mut out = Vec::new();
        let deps = crate::dependents::Dependents::new(&hooks::SqliteHooks, from, to, changes);
        for change in changes {
            match change {
                // `main` always exists on SQLite.
                Change::AddSchema { name } | Change::DropSchema { name } if name == "main" => {}
                Change::AddSchema { name } | Change::DropSchema { name } => {
                    return Err(DiffError::Unsupported(format!(
                        "SQLite has one schema, main; schema {name} cannot be created or dropped"
                    )))
                }
                Change::AddTable { table, .. } => out.extend(add_table(table)),
                Change::DropTable { table, .. } => out.push(drop_table(table)),
                Change::RenameTable { from, to, .. } => {
                    let s = step(
                        format!("rename table {} to {}", q(from), q(to)),
                        vec![format!("ALTER TABLE {} RENAME TO {}", q(from), q(to))],
                        vec![format!("ALTER TABLE {} RENAME TO {}", q(to), q(from))],
                    )
                    .with_fact(Fact::RenameTable { from: table_ref(from), to: to.clone() });
                    let mut d = Draft::new(s, Phase::RenameTable, key(to));
                    d.provides = vec![key(to)];
                    d.removes = vec![key(from)];
                    out.push(d);
                }
                Change::ModifyTable { from, to, changes, .. } => out.extend(modify_table(from, to, changes)),
                Change::AddView { .. }
                | Change::DropView { .. }
                | Change::ModifyView { .. }
                | Change::AlterView { .. } => {}
                Change::AddTrigger { .. } | Change::DropTrigger { .. } | Change::ModifyTrigger { .. } => {}
                other => {
                    return Err(DiffError::Unsupported(format!(
                        "SQLite has no such object: {}",
                        crate::describe_change(other)
                    )))
                }
            }
        }
        out.extend(deps.drafts());
        Ok(out)
    }
}

fn add_table(t: &Table) -> Vec<Draft> {
    let s = step(
        format!("create table {}", q(&t.name)),
        vec![create_table(t, &t.name)],
        vec![format!("DROP TABLE {}", q(&t.name))],
    )
    .with_fact(Fact::CreateTable { table: table_ref(&t.name) });
    let mut d = Draft::new(s, Phase::CreateTable, key(&t.name));
    d.provides = vec![key(&t.name)];
    d.soft_reads = t.foreign_keys.iter().map(|f| key(&f.ref_table)).collect();
    let mut out = vec![d];
    for i in &t.indexes {
        out.push(index_draft(&t.name, i, true));
    }
    out
}

/// The SQLite tables a fact names: the connection's `main` schema.
pub(crate) fn table_ref(name: &str) -> TableRef {
    TableRef::new("", name)
}

/// Creates an index; `new_unique` says it brings a uniqueness the data did not have to meet.
fn index_draft(table: &str, i: &schema_model::Index, new_unique: bool) -> Draft {
    let mut s = step(
        format!("create index {} on {}", q(&i.name), q(table)),
        vec![create_index(table, i)],
        vec![format!("DROP INDEX {}", q(&i.name))],
    );
    if i.unique && new_unique {
        s.facts.push(Fact::unique_index(table_ref(table), i));
    }
    let mut d = Draft::new(s, Phase::CreateIndex, key(&i.name));
    d.reads = vec![key(table)];
    d
}

fn drop_index_draft(table: &str, i: &schema_model::Index, replaced: bool) -> Draft {
    let mut s = step(
        format!("drop index {}", q(&i.name)),
        vec![format!("DROP INDEX {}", q(&i.name))],
        vec![create_index(table, i)],
    );
    if !replaced {
        s.facts.push(Fact::DropObject { kind: "index".into(), name: i.name.to_string(), on: Some(table_ref(table)) });
    }
    let mut d = Draft::new(s, Phase::DropIndex, key(&i.name));
    d.removes = vec![key(&i.name)];
    d
}

fn drop_table(t: &Table) -> Draft {
    let mut reverse = vec![create_table(t, &t.name)];
    reverse.extend(t.indexes.iter().map(|i| create_index(&t.name, i)));
    let mut s = step(format!("drop table {}", q(&t.name)), vec![format!("DROP TABLE {}", q(&t.name))], reverse);
    s.irreversible = Some(format!("the rows of table {} cannot come back", t.name));
    s.facts.push(Fact::DropTable { table: table_ref(&t.name) });
    let mut d = Draft::new(s, Phase::DropTable, key(&t.name));
    d.removes = vec![key(&t.name)];
    d.soft_reads = t.foreign_keys.iter().map(|f| key(&f.ref_table)).collect();
    d
}

/// Whether `ALTER TABLE ADD COLUMN` can add `c` to `to`.
fn simple_add(c: &Column, to: &Table) -> bool {
    let in_keys = to.primary_key.iter().any(|pk| pk.columns.iter().any(|n| n.eq_ignore_ascii_case(&c.name)))
        || to.uniques.iter().any(|u| u.columns.iter().any(|n| n.eq_ignore_ascii_case(&c.name)));
    let default_ok = c.default.as_deref().is_none_or(is_constant);
    let not_null_ok = c.nullable || !is_null_default(c.default.as_deref());
    !in_keys && default_ok && not_null_ok && !c.auto_increment && c.generated.as_ref().is_none_or(|g| !g.stored)
}

/// Whether `ALTER TABLE DROP COLUMN` can drop `c` from `from`.
fn simple_drop(c: &Column, from: &Table) -> bool {
    let named = |n: &schema_model::CompactString| n.eq_ignore_ascii_case(&c.name);
    let mentioned = |text: &str| crate::dependents::mentions(Dialect::Sqlite, text, &c.name);
    !from.primary_key.iter().any(|pk| pk.columns.iter().any(named))
        && !from.uniques.iter().any(|u| u.columns.iter().any(named))
        && !from.foreign_keys.iter().any(|f| f.columns.iter().any(named))
        && !from.checks.iter().any(|k| mentioned(&k.expr))
        && !from.columns.iter().any(|o| o.generated.as_ref().is_some_and(|g| mentioned(&g.expr)))
}

fn modify_table(from: &Table, to: &Table, changes: &[TableChange]) -> Vec<Draft> {
    let alterable = changes.iter().all(|c| match c {
        TableChange::AddColumn { column } => simple_add(column, to),
        TableChange::DropColumn { column } => simple_drop(column, from),
        TableChange::RenameColumn { .. }
        | TableChange::AddIndex { .. }
        | TableChange::DropIndex { .. }
        | TableChange::ModifyIndex { .. } => true,
        _ => false,
    });
    if !alterable {
        return vec![rebuild::rebuild(from, to, changes)];
    }
    let t = &to.name;
    let mut out = Vec::new();
    let mut alter = |s: Step| {
        // Creates and renames run in earlier phases, so an alter needs no edge to its table.
        let mut d = Draft::new(s, Phase::AlterTable, key(t));
        d.provides = vec![key(t)];
        out.push(d);
    };
    for c in changes {
        if let TableChange::RenameColumn { from: a, to: b } = c {
            let s = step(
                format!("rename column {}.{} to {}", q(t), q(a), q(b)),
                vec![format!("ALTER TABLE {} RENAME COLUMN {} TO {}", q(t), q(a), q(b))],
                vec![format!("ALTER TABLE {} RENAME COLUMN {} TO {}", q(t), q(b), q(a))],
            )
            .with_fact(Fact::RenameColumn { table: table_ref(t), from: a.clone(), to: b.clone() });
            alter(s);
        }
    }
    for c in changes {
        if let TableChange::DropColumn { column } = c {
            let mut s = step(
                format!("drop column {}.{}", q(t), q(&column.name)),
                vec![format!("ALTER TABLE {} DROP COLUMN {}", q(t), q(&column.name))],
                vec![format!("ALTER TABLE {} ADD COLUMN {}", q(t), column_def(column, false))],
            );
            s.irreversible = Some(format!("the data of column {t}.{} cannot come back", column.name));
            s.facts.push(Fact::DropColumn { table: table_ref(t), column: column.name.to_string() });
            alter(s);
        }
    }
    for c in changes {
        if let TableChange::AddColumn { column } = c {
            alter(
                step(
                    format!("add column {}.{}", q(t), q(&column.name)),
                    vec![format!("ALTER TABLE {} ADD COLUMN {}", q(t), column_def(column, false))],
                    vec![format!("ALTER TABLE {} DROP COLUMN {}", q(t), q(&column.name))],
                )
                .with_fact(Fact::AddColumn {
                    table: table_ref(t),
                    column: column.clone(),
                    rows: NewColumnRows::Fail,
                    per_row_value: false,
                }),
            );
        }
    }
    for c in changes {
        match c {
            TableChange::AddIndex { index } => out.push(index_draft(t, index, true)),
            TableChange::DropIndex { index } => out.push(drop_index_draft(t, index, false)),
            TableChange::ModifyIndex { from: a, to: b } => {
                out.push(drop_index_draft(t, a, true));
                out.push(index_draft(t, b, !a.unique));
            }
            _ => {}
        }
    }
    out
}
