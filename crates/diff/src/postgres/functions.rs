//! Functions and procedures on PostgreSQL: created from the server's own rendering, replaced in
//! place (`CREATE OR REPLACE`) where the arguments and result stay, dropped and created again
//! where they change; created before and dropped after everything that calls them.

use schema_model::{Function, Realm};

use super::render::{comment, q};
use super::types::type_key;
use crate::change::Change;
use crate::hazards::Fact;
use crate::order::{Draft, Phase};
use crate::plan::Step;

/// The ordering key of the routines of a name (all overloads share it).
pub fn fn_key(schema: &str, name: &str) -> String {
    format!("fn:{schema}.{name}")
}

/// `"schema"."name"(identity arguments)`.
fn target(schema: &str, f: &Function) -> String {
    format!("{}.{}({})", q(schema), q(&f.name), f.identity_args)
}

fn kind(f: &Function) -> &'static str {
    if f.procedure {
        "PROCEDURE"
    } else {
        "FUNCTION"
    }
}

fn drop_sql(schema: &str, f: &Function) -> String {
    format!("DROP {} {}", kind(f), target(schema, f))
}

fn comment_sql(schema: &str, f: &Function, value: Option<&str>) -> String {
    comment(kind(f), &target(schema, f), value)
}

/// The statements that create `f` with its comment.
fn create_sql(schema: &str, f: &Function) -> Vec<String> {
    let mut out = vec![f.definition.trim_end().to_string()];
    if f.comment.is_some() {
        out.push(comment_sql(schema, f, f.comment.as_deref()));
    }
    out
}

/// True when `CREATE OR REPLACE` can turn `from` into `to`: same kind, arguments (names,
/// modes, defaults) and result.
pub fn replaceable(from: &Function, to: &Function) -> bool {
    from.procedure == to.procedure && from.args == to.args && from.result == to.result
}

fn routine_draft(step: Step, phase: Phase, schema: &str, f: &Function) -> Draft {
    let mut d = Draft::new(step, phase, fn_key(schema, &f.name));
    d.reads.push(super::schema_key(schema));
    d.reads.extend(f.types.iter().map(|t| type_key(t)).filter(|k| k.contains('.')).map(|k| k.into_owned()));
    d
}

/// The steps of a routine change.
pub fn routine(change: &Change) -> Vec<Draft> {
    match change {
        Change::AddFunction { schema, function: f } => {
            let s = Step::new(
                format!("create {} {}", kind(f).to_lowercase(), target(schema, f)),
                create_sql(schema, f),
                vec![drop_sql(schema, f)],
            );
            let mut d = routine_draft(s, Phase::CreateType, schema, f);
            d.provides = vec![fn_key(schema, &f.name)];
            vec![d]
        }
        Change::DropFunction { schema, function: f } => {
            let mut s = Step::new(
                format!("drop {} {}", kind(f).to_lowercase(), target(schema, f)),
                vec![drop_sql(schema, f)],
                create_sql(schema, f),
            );
            s.facts.push(Fact::DropObject {
                kind: kind(f).to_lowercase(),
                name: format!("{schema}.{}", f.signature()),
                on: None,
            });
            let mut d = routine_draft(s, Phase::DropType, schema, f);
            d.removes = vec![fn_key(schema, &f.name)];
            vec![d]
        }
        Change::ModifyFunction { schema, from, to } => {
            let (mut sql, mut reverse) = (Vec::new(), Vec::new());
            let what = if from.definition == to.definition {
                "comment"
            } else if replaceable(from, to) {
                sql.push(to.definition.trim_end().to_string());
                reverse.push(from.definition.trim_end().to_string());
                "replace"
            } else {
                sql.extend([drop_sql(schema, from), to.definition.trim_end().to_string()]);
                reverse.extend([drop_sql(schema, to), from.definition.trim_end().to_string()]);
                "drop and create"
            };
            // A routine created again has lost its comment.
            if from.comment != to.comment || (what == "drop and create" && to.comment.is_some()) {
                sql.push(comment_sql(schema, to, to.comment.as_deref()));
            }
            if from.comment != to.comment || (what == "drop and create" && from.comment.is_some()) {
                reverse.push(comment_sql(schema, from, from.comment.as_deref()));
            }
            let s = Step::new(format!("{what} {} {}", kind(to).to_lowercase(), target(schema, to)), sql, reverse);
            let mut d = routine_draft(s, Phase::CreateType, schema, to);
            d.provides = vec![fn_key(schema, &to.name)];
            vec![d]
        }
        _ => vec![],
    }
}

/// An identifier as PostgreSQL prints it: bare when it needs no quotes.
fn printed(name: &str) -> String {
    let bare = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if bare {
        name.to_string()
    } else {
        q(name)
    }
}

/// Adds, to every draft whose statements call a routine of either side, a dependency on it:
/// the server renders calls outside `pg_catalog` qualified (`public.f(`), so defaults,
/// checks, indexes, views, triggers and domains that call it are created after it and dropped
/// before it. Between routines the order is a preference only (they may call each other).
pub fn add_routine_reads(from: &Realm, to: &Realm, drafts: &mut [Draft]) {
    let mut routines: Vec<(String, String)> = Vec::new();
    for s in from.schemas.iter().chain(&to.schemas) {
        for f in &s.functions {
            let call = format!("{}.{}(", printed(&s.name), printed(&f.name));
            let k = fn_key(&s.name, &f.name);
            if !routines.iter().any(|(_, x)| *x == k) {
                routines.push((call, k));
            }
        }
    }
    if routines.is_empty() {
        return;
    }
    for d in drafts.iter_mut() {
        let text: String = d.step.sql.iter().chain(&d.step.reverse).map(String::as_str).collect::<Vec<_>>().join("\n");
        for (call, k) in &routines {
            if *k == d.object || !text.contains(call.as_str()) {
                continue;
            }
            if d.object.starts_with("fn:") {
                d.soft_reads.push(k.clone());
            } else {
                d.reads.push(k.clone());
            }
        }
    }
}
