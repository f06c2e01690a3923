//! SQLite's answers for the shared dependent-view mechanism.

use schema_model::{Dialect, Trigger, View};

use super::key;
use super::render::q;
use crate::change::{Change, TableChange};
use crate::dependents::DependentHooks;

/// Views and triggers on SQLite: any rebuilt, renamed or dropped table disturbs its readers,
/// because `ALTER TABLE ... RENAME` refuses while a view or trigger reads a missing table.
pub struct SqliteHooks;

impl DependentHooks for SqliteHooks {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn key(&self, _schema: &str, name: &str) -> String {
        key(name)
    }

    fn disturbed(&self, change: &Change) -> Vec<String> {
        match change {
            Change::DropTable { table, .. } => vec![key(&table.name)],
            Change::RenameTable { from, to, .. } => vec![key(from), key(to)],
            Change::ModifyTable { from, changes, .. } => {
                let only_indexes = changes.iter().all(|c| {
                    matches!(
                        c,
                        TableChange::AddIndex { .. } | TableChange::DropIndex { .. } | TableChange::ModifyIndex { .. }
                    )
                });
                if only_indexes {
                    vec![]
                } else {
                    vec![key(&from.name)]
                }
            }
            _ => vec![],
        }
    }

    fn drop_view(&self, _schema: &str, view: &View) -> Vec<String> {
        vec![format!("DROP VIEW {}", q(&view.name))]
    }

    fn create_view(&self, _schema: &str, view: &View) -> Vec<String> {
        vec![view.definition.clone()]
    }

    fn drop_trigger(&self, _schema: &str, trigger: &Trigger) -> Vec<String> {
        vec![format!("DROP TRIGGER {}", q(&trigger.name))]
    }

    fn create_trigger(&self, _schema: &str, trigger: &Trigger) -> Vec<String> {
        vec![trigger.definition.clone()]
    }

    fn display(&self, _schema: &str, name: &str) -> String {
        q(name)
    }
}
