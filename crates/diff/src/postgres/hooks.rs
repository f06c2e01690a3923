//! PostgreSQL's answers for the shared dependent-view mechanism.

use schema_model::{Dialect, Trigger, View};

use super::render::{comment, create_index, q, qn};
use super::tables::Context;
use crate::change::{Change, TableChange};
use crate::dependents::DependentHooks;

/// Views on PostgreSQL follow renames by themselves, but block dropping a table or column
/// they read and changing such a column's type; an enum rebuild changes the type of every
/// column that uses it.
pub struct PostgresHooks<'c> {
    /// The table steps' context, which knows the rebuilt enums and the columns that use them.
    ctx: &'c Context<'c>,
}

impl<'c> PostgresHooks<'c> {
    /// Hooks that answer from `ctx`.
    pub fn new(ctx: &'c Context<'c>) -> Self {
        PostgresHooks { ctx }
    }
}

impl DependentHooks for PostgresHooks<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn key(&self, schema: &str, name: &str) -> String {
        super::key(schema, name)
    }

    fn disturbed(&self, change: &Change) -> Vec<String> {
        match change {
            Change::DropTable { table, .. } => vec![table.name.to_string()],
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
                    vec![to.name.to_string()]
                } else {
                    vec![]
                }
            }
            // Views and triggers that call a routine block dropping it.
            Change::ModifyFunction { from, to, .. } if !super::functions::replaceable(from, to) => {
                vec![to.name.clone()]
            }
            Change::ModifyEnum { schema, from, .. }
                if self.ctx.rebuilt_enums.contains(&super::key(schema, &from.name)) =>
            {
                let k = super::key(schema, &from.name);
                let users = self.ctx.enum_columns.get(&k).map(Vec::as_slice).unwrap_or_default();
                users.iter().map(|(_, t, _)| t.name.to_string()).collect()
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
