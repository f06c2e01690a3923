//! PostgreSQL's answers for the shared dependent-view mechanism.

use std::collections::HashSet;

use schema_model::{Dialect, Realm, Trigger, View};

use super::render::{comment, create_index, q, qn};
use super::types::enum_rebuilt;
use crate::change::{Change, TableChange};
use crate::dependents::DependentHooks;

/// Views on PostgreSQL follow renames by themselves, but block dropping a table or column
/// they read and changing such a column's type; an enum rebuild changes the type of every
/// column that uses it.
pub struct PostgresHooks {
    /// Tables per enum type key, for enum rebuilds.
    enum_users: Vec<(String, String)>,
    rebuilt: HashSet<String>,
}

impl PostgresHooks {
    /// Hooks that know which tables use which enum in `from`.
    pub fn new(from: &Realm, changes: &[Change]) -> Self {
        let rebuilt: HashSet<String> = changes
            .iter()
            .filter_map(|c| match c {
                Change::ModifyEnum { schema, from, to } if enum_rebuilt(from, to) => {
                    Some(super::key(schema, &from.name))
                }
                _ => None,
            })
            .collect();
        let mut enum_users = Vec::new();
        for s in &from.schemas {
            for t in &s.tables {
                for c in &t.columns {
                    let k = super::types::type_key(&c.ty.canonical);
                    if rebuilt.contains(&k) {
                        enum_users.push((k, t.name.clone()));
                    }
                }
            }
        }
        PostgresHooks { enum_users, rebuilt }
    }
}

impl DependentHooks for PostgresHooks {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn key(&self, schema: &str, name: &str) -> String {
        super::key(schema, name)
    }

    fn disturbed(&self, change: &Change) -> Vec<String> {
        match change {
            Change::DropTable { table, .. } => vec![table.name.clone()],
            Change::ModifyTable { to, changes, .. } => {
                let hits = changes.iter().any(|c| match c {
                    TableChange::DropColumn { .. } => true,
                    TableChange::ModifyColumn { from, to } => {
                        from.ty.canonical != to.ty.canonical
                            || from.collation != to.collation
                            || from.generated != to.generated
                    }
                    _ => false,
                });
                if hits {
                    vec![to.name.clone()]
                } else {
                    vec![]
                }
            }
            // Views and triggers that call a routine block dropping it.
            Change::ModifyFunction { from, to, .. } if !super::functions::replaceable(from, to) => {
                vec![to.name.clone()]
            }
            Change::ModifyEnum { schema, from, .. } if self.rebuilt.contains(&super::key(schema, &from.name)) => {
                let k = super::key(schema, &from.name);
                self.enum_users.iter().filter(|(e, _)| *e == k).map(|(_, t)| t.clone()).collect()
            }
            _ => vec![],
        }
    }

    fn drop_view(&self, schema: &str, view: &View) -> Vec<String> {
        let kind = if view.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
        vec![format!("DROP {kind} {}", qn(schema, &view.name))]
    }

    fn create_view(&self, schema: &str, view: &View) -> Vec<String> {
        let name = qn(schema, &view.name);
        let query = view.definition.trim().trim_end_matches(';');
        let mut out = if view.materialized {
            vec![format!("CREATE MATERIALIZED VIEW {name} AS {query}")]
        } else {
            vec![format!("CREATE VIEW {name} AS {query}")]
        };
        out.extend(view.indexes.iter().map(|i| create_index(schema, &view.name, i, false)));
        if view.comment.is_some() {
            let kind = if view.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
            out.push(comment(kind, &name, view.comment.as_deref()));
        }
        out
    }

    fn drop_trigger(&self, schema: &str, trigger: &Trigger) -> Vec<String> {
        vec![format!("DROP TRIGGER {} ON {}", q(&trigger.name), qn(schema, &trigger.table))]
    }

    fn create_trigger(&self, schema: &str, trigger: &Trigger) -> Vec<String> {
        let mut out = vec![trigger.definition.clone()];
        if trigger.comment.is_some() {
            let on = format!("{} ON {}", q(&trigger.name), qn(schema, &trigger.table));
            out.push(comment("TRIGGER", &on, trigger.comment.as_deref()));
        }
        out
    }

    fn display(&self, schema: &str, name: &str) -> String {
        super::display(schema, name)
    }
}
