//! Row-level security on PostgreSQL: `ENABLE`/`FORCE ROW LEVEL SECURITY` as table options, and
//! policies, created after the objects their expressions read and dropped before them.

use schema_model::{Policy, TableOptions};

use super::render::{comment, q, qn};
use super::{draft, key};
use crate::change::TableChange;
use crate::hazards::{Fact, TableRef};
use crate::order::{Draft, Phase};
use crate::plan::Step;
use crate::DiffError;

fn roles(p: &Policy) -> String {
    p.roles.iter().map(|r| if r == "PUBLIC" { r.clone() } else { q(r) }).collect::<Vec<_>>().join(", ")
}

fn target(schema: &str, table: &str, p: &Policy) -> String {
    format!("{} ON {}", q(&p.name), qn(schema, table))
}

/// The statements that create `p` on `schema.table`, with its comment.
pub fn create_policy(schema: &str, table: &str, p: &Policy) -> Vec<String> {
    let mut sql = format!(
        "CREATE POLICY {} AS {} FOR {} TO {}",
        target(schema, table, p),
        if p.permissive { "PERMISSIVE" } else { "RESTRICTIVE" },
        p.command,
        roles(p)
    );
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(c) = &p.check {
        sql.push_str(&format!(" WITH CHECK ({c})"));
    }
    let mut out = vec![sql];
    if p.comment.is_some() {
        out.push(comment("POLICY", &target(schema, table, p), p.comment.as_deref()));
    }
    out
}

fn drop_policy(schema: &str, table: &str, p: &Policy) -> String {
    format!("DROP POLICY {}", target(schema, table, p))
}

/// A policy created on a table that exists (or is created) by then.
pub fn add_policy_draft(schema: &str, table: &str, p: &Policy) -> Draft {
    let s = Step::new(
        format!("create policy {}", target(schema, table, p)),
        create_policy(schema, table, p),
        vec![drop_policy(schema, table, p)],
    );
    let mut d = draft(s, Phase::CreateTrigger, schema, table);
    d.reads.push(key(schema, table));
    d
}

/// `ENABLE`/`DISABLE` and `FORCE`/`NO FORCE ROW LEVEL SECURITY` from `from` to `to`.
pub fn row_security(table: &str, from: &TableOptions, to: &TableOptions) -> Vec<String> {
    let mut out = Vec::new();
    if from.row_security != to.row_security {
        let verb = if to.row_security { "ENABLE" } else { "DISABLE" };
        out.push(format!("ALTER TABLE {table} {verb} ROW LEVEL SECURITY"));
    }
    if from.force_row_security != to.force_row_security {
        let verb = if to.force_row_security { "FORCE" } else { "NO FORCE" };
        out.push(format!("ALTER TABLE {table} {verb} ROW LEVEL SECURITY"));
    }
    out
}

/// The steps of a policy or row-security change on `schema.table`; None for other changes.
pub fn table_change(schema: &str, table: &str, c: &TableChange) -> Option<Result<Draft, DiffError>> {
    Some(Ok(match c {
        TableChange::AddPolicy { policy } => add_policy_draft(schema, table, policy),
        TableChange::DropPolicy { policy: p } => {
            let mut s = Step::new(
                format!("drop policy {}", target(schema, table, p)),
                vec![drop_policy(schema, table, p)],
                create_policy(schema, table, p),
            );
            s.facts.push(Fact::DropObject {
                kind: "policy".into(),
                name: p.name.clone(),
                on: Some(TableRef::new(schema, table)),
            });
            let mut d = draft(s, Phase::DropTrigger, schema, table);
            d.removes = vec![format!("policy:{schema}.{table}.{}", p.name)];
            d.reads.push(key(schema, table));
            d
        }
        TableChange::ModifyPolicy { from, to } => {
            let bare = |p: &Policy| Policy { comment: None, ..p.clone() };
            let (sql, reverse) = if bare(from) == bare(to) {
                let t = target(schema, table, to);
                (
                    vec![comment("POLICY", &t, to.comment.as_deref())],
                    vec![comment("POLICY", &t, from.comment.as_deref())],
                )
            } else {
                // Dropped and created in one step: ALTER POLICY cannot change the command or
                // the kind, nor remove an expression.
                let mut sql = vec![drop_policy(schema, table, from)];
                sql.extend(create_policy(schema, table, to));
                let mut reverse = vec![drop_policy(schema, table, to)];
                reverse.extend(create_policy(schema, table, from));
                (sql, reverse)
            };
            let s = Step::new(format!("alter policy {}", target(schema, table, to)), sql, reverse);
            let mut d = draft(s, Phase::CreateTrigger, schema, table);
            d.reads.push(key(schema, table));
            d
        }
        TableChange::SetOptions { from, to } => {
            let other = |o: &TableOptions| TableOptions { row_security: false, force_row_security: false, ..o.clone() };
            if other(from) != other(to) {
                return Some(Err(DiffError::Unsupported(format!(
                    "table {schema}.{table}: storage options are not managed on PostgreSQL"
                ))));
            }
            let tn = qn(schema, table);
            let mut s = Step::new(
                format!("row level security on {tn}"),
                row_security(&tn, from, to),
                row_security(&tn, to, from),
            );
            let loosened = |on: fn(&TableOptions) -> bool| on(from) && !on(to);
            if loosened(|o| o.row_security) || loosened(|o| o.force_row_security) {
                let force_only = !loosened(|o| o.row_security);
                s.facts.push(Fact::LoosenRowSecurity { table: TableRef::new(schema, table), force_only });
            }
            let mut d = draft(s, Phase::AlterTable, schema, table);
            d.provides = vec![key(schema, table)];
            d
        }
        _ => return None,
    }))
}
