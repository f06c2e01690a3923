//! The differ, planner and hazard analysis of `schema`. Pure: no I/O. A dialect module owns
//! its comparison rules and its rendering; the differ and the step ordering are shared.

// Errors carry the source text so reports can underline it; they are rare and returned once.
#![allow(clippy::result_large_err)]

mod change;
mod dependents;
mod differ;
mod hazard;
pub mod hazards;
pub mod mysql;
mod order;
mod pairing;
mod plan;
pub mod postgres;
mod privileges;
mod render;
mod rules;
pub mod sqlite;

use schema_model::{realm_hash, Dialect, Realm};
use thiserror::Error;

pub use change::{Change, Current, TableChange};
pub use hazard::{Hazard, HazardCode};
pub use hazards::{check_live, DataCheck, DataProbe, Fact, Outcome, TableRef, Verdict};
pub use order::{Draft, Phase};
pub use plan::{Group, Plan, Step, Timeouts};
pub use rules::Rules;

/// Why a plan could not be made.
#[derive(Debug, Error)]
pub enum DiffError {
    /// A declared rename contradicts the current state.
    #[error("{0}")]
    RenameConflict(String),
    /// Steps depend on each other in a circle.
    #[error("the plan's steps depend on each other in a cycle: {0}")]
    Cycle(String),
    /// A change the dialect cannot make.
    #[error("{0}")]
    Unsupported(String),
    /// The two models are of different dialects.
    #[error("cannot compare a {0} schema with a {1} schema")]
    DialectMismatch(Dialect, Dialect),
}

/// What a dialect's planner provides: its comparison rules, and steps for changes.
pub trait Planner {
    /// How the dialect compares spellings.
    fn rules(&self) -> &dyn Rules;
    /// Unordered steps with their dependencies.
    fn drafts(
        &self,
        from: &Realm,
        to: &Realm,
        changes: &[Change],
        options: &PlanOptions,
    ) -> Result<Vec<Draft>, DiffError>;
}

/// The planner of `dialect`.
pub fn planner_for(dialect: Dialect) -> Result<&'static dyn Planner, DiffError> {
    match dialect {
        Dialect::Sqlite => Ok(&sqlite::SqlitePlanner),
        Dialect::Postgres => Ok(&postgres::PostgresPlanner),
        Dialect::Mysql => Ok(&mysql::MysqlPlanner),
    }
}

/// The changes that turn `from` into `to`.
pub fn diff<'a>(from: &'a Realm, to: &'a Realm) -> Result<Vec<Change<'a>>, DiffError> {
    diff_with(from, to, false)
}

/// [`diff`], counting the privileges the server gives a routine it creates when
/// `creation_grants` (see [`PlanOptions::creation_grants`]).
fn diff_with<'a>(from: &'a Realm, to: &'a Realm, creation_grants: bool) -> Result<Vec<Change<'a>>, DiffError> {
    if from.dialect != to.dialect {
        return Err(DiffError::DialectMismatch(from.dialect, to.dialect));
    }
    let rules = planner_for(from.dialect)?.rules();
    differ::diff(rules, from, to, creation_grants, rules.single_schema())
}

/// The ordered plan that turns `from` into `to`.
pub fn plan(from: &Realm, to: &Realm) -> Result<Plan, DiffError> {
    plan_with(from, to, &PlanOptions::default())
}

/// How a plan is made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Plan for a live, busy database: PostgreSQL builds and drops indexes CONCURRENTLY, adds
    /// foreign keys and checks NOT VALID then VALIDATEs them, sets NOT NULL through a
    /// validated check, and gives every step the timeouts of `timeouts`; dialects without
    /// such forms plan as usual.
    pub online: bool,
    /// The timeouts of online steps.
    pub timeouts: TimeoutPolicy,
    /// The roles the server gives privileges on a new object (PostgreSQL: EXECUTE on a
    /// routine to PUBLIC) are managed with revokes: a routine the plan creates counts as
    /// holding those privileges, and those the desired state lacks are revoked after it.
    pub creation_grants: bool,
}

/// The timeouts an online plan gives its steps (PostgreSQL `lock_timeout` and
/// `statement_timeout`), so that no step waits long in the lock queue with writers behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutPolicy {
    /// How long any step may wait for a lock before it gives up (and is retried).
    pub lock: std::time::Duration,
    /// How long an ordinary step may run.
    pub statement: std::time::Duration,
    /// How long a long-running step (a concurrent index build, a validation) may run; `None`:
    /// no limit, since it does not block writes.
    pub long_statement: Option<std::time::Duration>,
}

impl Default for TimeoutPolicy {
    fn default() -> Self {
        TimeoutPolicy {
            lock: std::time::Duration::from_secs(10),
            statement: std::time::Duration::from_secs(60),
            long_statement: None,
        }
    }
}

impl TimeoutPolicy {
    /// The timeouts of `step` under this policy.
    pub fn for_step(&self, step: &Step) -> Timeouts {
        let ms = |d: std::time::Duration| d.as_millis() as u64;
        Timeouts {
            lock_timeout_ms: ms(self.lock),
            statement_timeout_ms: if step.long_running {
                self.long_statement.map(ms)
            } else {
                Some(ms(self.statement))
            },
        }
    }
}

/// The ordered plan that turns `from` into `to`, made with `options`.
pub fn plan_with(from: &Realm, to: &Realm, options: &PlanOptions) -> Result<Plan, DiffError> {
    // The fingerprints of both sides are taken on threads of their own while the plan is made:
    // on a large catalog they cost as much as the diff.
    std::thread::scope(|scope| {
        let from_hash = scope.spawn(|| realm_hash(from));
        let to_hash = scope.spawn(|| realm_hash(to));
        let steps = steps_with(from, to, options)?;
        let joined =
            |h: std::thread::ScopedJoinHandle<'_, String>| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        Ok(Plan { dialect: from.dialect, from_hash: joined(from_hash), to_hash: joined(to_hash), steps })
    })
}

/// The ordered steps that turn `from` into `to`, made with `options`: a plan without the
/// fingerprints of its two sides, for callers that only want its statements.
pub fn steps_with(from: &Realm, to: &Realm, options: &PlanOptions) -> Result<Vec<Step>, DiffError> {
    let changes = diff_with(from, to, options.creation_grants)?;
    let drafts = planner_for(from.dialect)?.drafts(from, to, &changes, options)?;
    let mut steps = order::order(drafts)?;
    hazards::analyze(&mut steps);
    Ok(steps)
}

/// A person-readable list of what differs between a live model and the desired one, empty
/// when they match; used to verify an apply before commit.
pub fn describe_differences(actual: &Realm, desired: &Realm) -> Result<Vec<String>, DiffError> {
    Ok(diff(actual, desired)?.iter().map(describe_change).collect())
}

/// One line about a change.
pub fn describe_change(c: &Change) -> String {
    match c {
        Change::AddSchema { name } => format!("schema {name} is missing"),
        Change::DropSchema { name } => format!("schema {name} is not desired"),
        Change::SetSchemaComment { name, .. } => format!("schema {name} has another comment"),
        Change::AddExtension { extension, .. } => format!("extension {} is missing", extension.name),
        Change::DropExtension { extension, .. } => format!("extension {} is not desired", extension.name),
        Change::AddEnum { enum_type, .. } => format!("type {} is missing", enum_type.name),
        Change::DropEnum { enum_type, .. } => format!("type {} is not desired", enum_type.name),
        Change::ModifyEnum { to, .. } => format!("type {} has other labels: {:?}", to.name, to.values),
        Change::AddDomain { domain, .. } => format!("domain {} is missing", domain.name),
        Change::DropDomain { domain, .. } => format!("domain {} is not desired", domain.name),
        Change::ModifyDomain { to, .. } => format!("domain {} differs", to.name),
        Change::AddSequence { sequence, .. } => format!("sequence {} is missing", sequence.name),
        Change::DropSequence { sequence, .. } => format!("sequence {} is not desired", sequence.name),
        Change::ModifySequence { to, .. } => format!("sequence {} differs", to.name),
        Change::AlterView { to, .. } => format!("view {} has another comment or other indexes", to.name),
        Change::AddTable { table, .. } => format!("table {} is missing", table.name),
        Change::DropTable { table, .. } => format!("table {} is not desired", table.name),
        Change::RenameTable { from, to, .. } => format!("table {from} should be named {to}"),
        Change::ModifyTable { to, changes, .. } => format!(
            "table {} differs: {}",
            to.name,
            changes.iter().map(describe_table_change).collect::<Vec<_>>().join("; ")
        ),
        Change::AddView { view, .. } => format!("view {} is missing", view.name),
        Change::DropView { view, .. } => format!("view {} is not desired", view.name),
        Change::ModifyView { to, .. } => format!("view {} differs", to.name),
        Change::AddFunction { function, .. } => format!("function {} is missing", function.signature()),
        Change::DropFunction { function, .. } => format!("function {} is not desired", function.signature()),
        Change::ModifyFunction { to, .. } => format!("function {} differs", to.signature()),
        Change::AddTrigger { trigger, .. } => format!("trigger {} is missing", trigger.name),
        Change::DropTrigger { trigger, .. } => format!("trigger {} is not desired", trigger.name),
        Change::ModifyTrigger { to, .. } => format!("trigger {} differs", to.name),
        Change::AddEvent { event, .. } => format!("event {} is missing", event.name),
        Change::DropEvent { event, .. } => format!("event {} is not desired", event.name),
        Change::ModifyEvent { to, .. } => format!("event {} differs", to.name),
        Change::GrantPrivilege { grant: g, upgrade, .. } => format!(
            "{} lacks {}{} on {}",
            g.grantee,
            g.privilege,
            if *upgrade { " WITH GRANT OPTION" } else { "" },
            securable(&g.on)
        ),
        Change::RevokePrivilege { grant: g, option_only, .. } => format!(
            "{} has {}{} on {}, not desired",
            g.grantee,
            g.privilege,
            if *option_only { " WITH GRANT OPTION" } else { "" },
            securable(&g.on)
        ),
        Change::SetOwner { on, to, .. } => format!("{} should be owned by {to}", securable(on)),
    }
}

/// `table t`, `column t.c`, `function f(integer)` for descriptions.
fn securable(on: &schema_model::Securable) -> String {
    let kind = format!("{:?}", on.kind).to_lowercase();
    match (&on.column, &on.args) {
        (Some(c), _) => format!("column {}.{c}", on.name),
        (None, Some(a)) => format!("{kind} {}({a})", on.name),
        (None, None) => format!("{kind} {}", on.name),
    }
}

fn describe_table_change(c: &TableChange) -> String {
    match c {
        TableChange::AddColumn { column } => format!("column {} missing", column.name),
        TableChange::DropColumn { column } => format!("column {} not desired", column.name),
        TableChange::RenameColumn { from, to } => format!("column {from} should be {to}"),
        TableChange::ModifyColumn { from, to } => {
            format!("column {} is {:?}, desired {:?}", to.name, from, to)
        }
        TableChange::SetPrimaryKey { .. } => "primary key differs".into(),
        TableChange::AddUnique { unique } => {
            format!("unique ({}) missing", unique.columns.join(", "))
        }
        TableChange::DropUnique { unique } => {
            format!("unique ({}) not desired", unique.columns.join(", "))
        }
        TableChange::AddIndex { index } => format!("index {} missing", index.name),
        TableChange::DropIndex { index } => format!("index {} not desired", index.name),
        TableChange::ModifyIndex { to, .. } => format!("index {} differs", to.name),
        TableChange::AddForeignKey { fk } => {
            format!("foreign key ({}) missing", fk.columns.join(", "))
        }
        TableChange::DropForeignKey { fk } => {
            format!("foreign key ({}) not desired", fk.columns.join(", "))
        }
        TableChange::AddCheck { check } => format!("check ({}) missing", check.expr),
        TableChange::DropCheck { check } => format!("check ({}) not desired", check.expr),
        TableChange::SetOptions { .. } => "table options differ".into(),
        TableChange::Repartition => "partitioning differs".into(),
        TableChange::AddExclusion { exclusion } => format!("exclusion constraint {} missing", exclusion.name),
        TableChange::DropExclusion { exclusion } => format!("exclusion constraint {} not desired", exclusion.name),
        TableChange::AddPolicy { policy } => format!("policy {} missing", policy.name),
        TableChange::DropPolicy { policy } => format!("policy {} not desired", policy.name),
        TableChange::ModifyPolicy { to, .. } => format!("policy {} differs", to.name),
        TableChange::ReorderColumns => "column order differs".into(),
        TableChange::SetComment { .. } => "comment differs".into(),
        TableChange::SetConstraintComment { name, .. } => format!("comment of constraint {name} differs"),
        TableChange::SetIndexComment { name, .. } => format!("comment of index {name} differs"),
    }
}
