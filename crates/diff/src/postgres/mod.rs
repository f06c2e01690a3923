//! The PostgreSQL planner: transactional DDL in dependency order; foreign keys added after
//! every table exists (which also breaks FK cycles); views that read a changed column dropped
//! first and created again after; enum labels added in place or the type rebuilt.

mod columns;
mod exclusions;
mod functions;
mod hooks;
mod policies;
mod privileges;
mod render;
mod tables;
mod types;

use schema_model::{Dialect, Grant, ObjectKind, Realm, Securable};

use crate::change::Change;
use crate::order::{Draft, Phase};
use crate::plan::Step;
use crate::rules::Rules;
use crate::{DiffError, PlanOptions, Planner};

use render::{comment, q, qn};

/// PostgreSQL's comparison rules: names are exact, expressions compare in the server's own
/// rendering (both sides are read from a server).
pub struct PostgresRules;

impl Rules for PostgresRules {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn creation_grants(&self, on: &Securable) -> Vec<Grant> {
        match on.kind {
            // `acldefault('f', owner)`: every role may run a new routine.
            ObjectKind::Function | ObjectKind::Procedure => vec![Grant::new(on.clone(), "PUBLIC", "EXECUTE", false)],
            _ => Vec::new(),
        }
    }
}

/// Plans PostgreSQL changes.
pub struct PostgresPlanner;

/// The ordering key of a schema-level object: relations, types and sequences share the
/// namespace of their schema.
pub(crate) fn key(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}

/// The ordering key of a schema itself.
pub(crate) fn schema_key(schema: &str) -> String {
    format!("schema:{schema}")
}

/// A draft for `step` in `phase` acting on `schema.name`.
pub(crate) fn draft(step: Step, phase: Phase, schema: &str, name: &str) -> Draft {
    let mut d = Draft::new(step, phase, key(schema, name));
    d.reads.push(schema_key(schema));
    d
}

impl Planner for PostgresPlanner {
    fn rules(&self) -> &dyn Rules {
        &PostgresRules
    }

    fn drafts(
        &self,
        from: &Realm,
        to: &Realm,
        changes: &[Change],
        options: &PlanOptions,
    ) -> Result<Vec<Draft>, DiffError> {
        // Most changes make one or two steps: room for them up front, not a copy at every doubling.
        let mut out = Vec::with_capacity(changes.len() * 2);
        let ctx = tables::Context::new(from, to, changes, options.online);
        for change in changes {
            match change {
                Change::AddSchema { name } => {
                    let mut d = Draft::new(
                        Step::new(
                            format!("create schema {}", q(name)),
                            vec![format!("CREATE SCHEMA {}", q(name))],
                            vec![format!("DROP SCHEMA {}", q(name))],
                        ),
                        Phase::CreateSchema,
                        schema_key(name),
                    );
                    d.provides = vec![schema_key(name)];
                    out.push(d);
                }
                Change::DropSchema { name } => {
                    let mut s = Step::new(
                        format!("drop schema {}", q(name)),
                        vec![format!("DROP SCHEMA {}", q(name))],
                        vec![format!("CREATE SCHEMA {}", q(name))],
                    );
                    s.facts.push(crate::Fact::DropSchema { schema: name.clone() });
                    let mut d = Draft::new(s, Phase::DropSchema, schema_key(name));
                    d.removes = vec![schema_key(name)];
                    out.push(d);
                }
                Change::SetSchemaComment { name, from, to } => {
                    let s = Step::new(
                        format!("comment schema {}", q(name)),
                        vec![comment("SCHEMA", &q(name), to.as_deref())],
                        vec![comment("SCHEMA", &q(name), from.as_deref())],
                    );
                    let mut d = Draft::new(s, Phase::AlterTable, schema_key(name));
                    d.reads = vec![schema_key(name)];
                    out.push(d);
                }
                Change::AddTable { schema, table } => out.extend(ctx.add_table(schema, table)),
                Change::DropTable { schema, table } => out.extend(ctx.drop_table(schema, table)),
                Change::RenameTable { schema, from: a, to: b } => out.push(tables::rename_table(schema, a, b)),
                Change::ModifyTable { schema, to, changes, .. } => ctx.modify_table(schema, to, changes, &mut out)?,
                Change::AlterView { schema, from, to } => out.extend(tables::alter_view(schema, from, to)),
                Change::AddExtension { .. } | Change::DropExtension { .. } => out.extend(types::extension(change)),
                Change::AddEnum { .. } | Change::DropEnum { .. } | Change::ModifyEnum { .. } => {
                    out.extend(types::enum_type(&ctx, change)?)
                }
                Change::AddDomain { .. } | Change::DropDomain { .. } | Change::ModifyDomain { .. } => {
                    out.extend(types::domain(change)?)
                }
                Change::AddSequence { .. } | Change::DropSequence { .. } | Change::ModifySequence { .. } => {
                    out.extend(types::sequence(&ctx, change))
                }
                Change::AddView { .. } | Change::DropView { .. } | Change::ModifyView { .. } => {}
                Change::AddFunction { .. } | Change::DropFunction { .. } | Change::ModifyFunction { .. } => {
                    out.extend(functions::routine(change))
                }
                Change::AddTrigger { .. } | Change::DropTrigger { .. } | Change::ModifyTrigger { .. } => {}
                Change::AddEvent { .. } | Change::DropEvent { .. } | Change::ModifyEvent { .. } => {
                    return Err(DiffError::Unsupported(format!(
                        "PostgreSQL has no such object: {}",
                        crate::describe_change(change)
                    )))
                }
                Change::GrantPrivilege { .. } | Change::RevokePrivilege { .. } | Change::SetOwner { .. } => {}
            }
        }
        out.extend(privileges::drafts(changes));
        let hooks = hooks::PostgresHooks::new(&ctx);
        out.extend(crate::dependents::Dependents::new(&hooks, from, to, changes).drafts());
        functions::add_routine_reads(from, to, &mut out);
        if options.online {
            // Every online step runs with SET lock_timeout and statement_timeout.
            for d in &mut out {
                d.step.timeouts = Some(options.timeouts.for_step(&d.step));
            }
        }
        Ok(out)
    }
}

/// `"schema"."name"` for descriptions.
pub(crate) fn display(schema: &str, name: &str) -> String {
    qn(schema, name)
}
