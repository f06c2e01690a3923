//! The MySQL/MariaDB planner: one `ALTER TABLE` per table that combines its changes, columns
//! placed where they are declared (`FIRST`/`AFTER`), foreign keys dropped before and added after
//! the changes they depend on. DDL commits itself here, so every step carries the statement
//! that undoes it and the apply runs them backwards on failure.

mod algorithm;
mod events;
mod hooks;
mod partitions;
mod render;
mod tables;

use schema_model::{Dialect, Realm};

use crate::change::Change;
use crate::order::Draft;
use crate::rules::Rules;
use crate::{DiffError, PlanOptions, Planner};

/// MySQL's comparison rules: names ignore case, column order matters.
pub struct MysqlRules;

impl Rules for MysqlRules {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn ordered_columns(&self) -> bool {
        true
    }

    fn single_schema(&self) -> bool {
        true
    }
}

/// Plans MySQL changes.
pub struct MysqlPlanner;

/// The ordering key of a table or view.
pub(crate) fn key(name: &str) -> String {
    name.to_lowercase()
}

impl Planner for MysqlPlanner {
    fn rules(&self) -> &dyn Rules {
        &MysqlRules
    }

    fn drafts(
        &self,
        from: &Realm,
        to: &Realm,
        changes: &[Change],
        options: &PlanOptions,
    ) -> Result<Vec<Draft>, DiffError> {
        let mut out = Vec::new();
        // Tables dropped or altered: a dropped table's foreign keys to them go first, so that
        // neither the drop nor the alter (a referenced column dropped) meets the other's key.
        let touched: Vec<String> = changes
            .iter()
            .filter_map(|c| match c {
                Change::DropTable { table, .. } | Change::ModifyTable { to: table, .. } => Some(key(&table.name)),
                _ => None,
            })
            .collect();
        for change in changes {
            match change {
                Change::AddTable { table, .. } => out.extend(tables::add_table(table)),
                Change::DropTable { table, .. } => out.extend(tables::drop_table(table, &touched)),
                Change::RenameTable { from, to, .. } => out.push(tables::rename_table(from, to)),
                Change::ModifyTable { from, to, changes, .. } => {
                    out.extend(tables::modify_table(from, to, changes, options.online)?)
                }
                Change::AddEvent { event, .. } => out.push(events::add_event(event)),
                Change::DropEvent { event, .. } => out.push(events::drop_event(event)),
                Change::ModifyEvent { from, to, .. } => out.push(events::modify_event(from, to)),
                Change::AddView { .. }
                | Change::DropView { .. }
                | Change::ModifyView { .. }
                | Change::AddTrigger { .. }
                | Change::DropTrigger { .. }
                | Change::ModifyTrigger { .. } => {}
                other => {
                    return Err(DiffError::Unsupported(format!(
                        "MySQL has no such object: {}",
                        crate::describe_change(other)
                    )))
                }
            }
        }
        out.extend(crate::dependents::Dependents::new(&hooks::MysqlHooks, from, to, changes).drafts());
        Ok(out)
    }
}
