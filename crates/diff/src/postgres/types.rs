//! Schema-level objects on PostgreSQL: extensions, enum types, domains and sequences.

use std::borrow::Cow;

use schema_model::{EnumType, Sequence};

use super::render::{comment, create_domain, create_sequence, q, qn, sequence_options, sequence_owner};
use super::tables::Context;
use super::{display, draft, key};
use crate::change::Change;
use crate::hazards::Fact;
use crate::order::{Draft, Phase};
use crate::plan::Step;
use crate::DiffError;

/// The ordering key of the user type a column type names: `public."My Type"[]` → `public.My Type`;
/// borrowed from the type's text unless quotes must be taken out (called for every column).
pub fn type_key(canonical: &str) -> Cow<'_, str> {
    let base = canonical.trim_end_matches("[]");
    if !base.contains('"') {
        return Cow::Borrowed(base);
    }
    let mut out = String::with_capacity(base.len());
    let mut chars = base.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                out.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The sequence keys a default reads: `nextval('public.seq'::regclass)` → `public.seq`.
pub fn sequences_in(default: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = default;
    while let Some(i) = rest.find("nextval('") {
        rest = &rest[i + 9..];
        if let Some(end) = rest.find("'::regclass") {
            out.push(type_key(&rest[..end].replace("''", "'")).into_owned());
        }
    }
    out
}

/// True when an enum's new labels cannot be reached by adding labels in place.
pub fn enum_rebuilt(from: &EnumType, to: &EnumType) -> bool {
    let mut it = to.values.iter();
    !from.values.iter().all(|v| it.any(|w| w == v))
}

/// Extension installs and removals.
pub fn extension(change: &Change) -> Vec<Draft> {
    match change {
        Change::AddExtension { schema, extension } => {
            let s = Step::new(
                format!("create extension {}", q(&extension.name)),
                vec![format!("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}", q(&extension.name), q(schema))],
                vec![format!("DROP EXTENSION {}", q(&extension.name))],
            );
            vec![draft(s, Phase::CreateExtension, schema, &extension.name)]
        }
        Change::DropExtension { schema, extension } => {
            let mut s = Step::new(
                format!("drop extension {}", q(&extension.name)),
                vec![format!("DROP EXTENSION {}", q(&extension.name))],
                vec![format!("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}", q(&extension.name), q(schema))],
            );
            s.facts.push(Fact::DropObject {
                kind: "extension (with the objects it owns)".into(),
                name: extension.name.clone(),
                on: None,
            });
            vec![draft(s, Phase::DropExtension, schema, &extension.name)]
        }
        _ => vec![],
    }
}

fn create_enum(schema: &str, e: &EnumType) -> Vec<String> {
    let labels: Vec<String> =
        e.values.iter().map(|v| schema_model::quote_literal(schema_model::Dialect::Postgres, v)).collect();
    let mut out = vec![format!("CREATE TYPE {} AS ENUM ({})", qn(schema, &e.name), labels.join(", "))];
    if e.comment.is_some() {
        out.push(comment("TYPE", &qn(schema, &e.name), e.comment.as_deref()));
    }
    out
}

/// Statements that rebuild enum `from` as `to`: rename the old type away, create the new one,
/// convert every column through text (defaults dropped and set again), drop the old type.
fn rebuild_enum(ctx: &Context<'_>, schema: &str, from: &EnumType, to: &EnumType) -> Vec<String> {
    let name = qn(schema, &to.name);
    let old = format!("{}__schema_old", to.name);
    let mut out = vec![format!("ALTER TYPE {name} RENAME TO {}", q(&old))];
    out.extend(create_enum(schema, to));
    let users = ctx.enum_columns.get(&key(schema, &from.name)).map(Vec::as_slice).unwrap_or_default();
    for &(s, t, c) in users {
        let tn = qn(s, &t.name);
        let array = c.ty.canonical.ends_with("[]");
        if c.default.is_some() {
            out.push(format!("ALTER TABLE {tn} ALTER COLUMN {} DROP DEFAULT", q(&c.name)));
        }
        out.push(format!(
            "ALTER TABLE {tn} ALTER COLUMN {col} TYPE {name}{arr} USING {col}::text{arr}::{name}{arr}",
            col = q(&c.name),
            arr = if array { "[]" } else { "" }
        ));
        if let Some(d) = &c.default {
            let d = d.replace(&format!("::{}", q(&old)), &format!("::{name}"));
            out.push(format!("ALTER TABLE {tn} ALTER COLUMN {} SET DEFAULT {d}", q(&c.name)));
        }
    }
    out.push(format!("DROP TYPE {}", qn(schema, &old)));
    out
}

/// Statements that add `to`'s new labels to `from` in place, each at its position.
fn add_labels(schema: &str, from: &EnumType, to: &EnumType) -> Vec<String> {
    let mut present: Vec<&String> = from.values.iter().collect();
    let mut out = Vec::new();
    for (i, v) in to.values.iter().enumerate() {
        if present.contains(&v) {
            continue;
        }
        let lit = |s: &str| schema_model::quote_literal(schema_model::Dialect::Postgres, s);
        let position = match to.values[i + 1..].iter().find(|n| present.contains(n)) {
            Some(next) => format!(" BEFORE {}", lit(next)),
            None => to.values[..i].last().map(|p| format!(" AFTER {}", lit(p))).unwrap_or_default(),
        };
        out.push(format!("ALTER TYPE {} ADD VALUE {}{position}", qn(schema, &to.name), lit(v)));
        present.push(v);
    }
    out
}

/// Enum type steps.
pub fn enum_type(ctx: &Context<'_>, change: &Change) -> Result<Vec<Draft>, DiffError> {
    Ok(match change {
        Change::AddEnum { schema, enum_type: e } => {
            let s = Step::new(
                format!("create type {}", display(schema, &e.name)),
                create_enum(schema, e),
                vec![format!("DROP TYPE {}", qn(schema, &e.name))],
            );
            let mut d = draft(s, Phase::CreateType, schema, &e.name);
            d.provides = vec![key(schema, &e.name)];
            vec![d]
        }
        Change::DropEnum { schema, enum_type: e } => {
            let mut s = Step::new(
                format!("drop type {}", display(schema, &e.name)),
                vec![format!("DROP TYPE {}", qn(schema, &e.name))],
                create_enum(schema, e),
            );
            s.facts.push(Fact::DropObject { kind: "type".into(), name: format!("{schema}.{}", e.name), on: None });
            let mut d = draft(s, Phase::DropType, schema, &e.name);
            d.removes = vec![key(schema, &e.name)];
            vec![d]
        }
        Change::ModifyEnum { schema, from, to } => {
            let mut out = Vec::new();
            if from.values != to.values {
                let s = if enum_rebuilt(from, to) {
                    let mut s = Step::new(
                        format!("rebuild type {}", display(schema, &to.name)),
                        rebuild_enum(ctx, schema, from, to),
                        rebuild_enum(ctx, schema, to, from),
                    );
                    s.facts.push(Fact::EnumRebuild { name: format!("{schema}.{}", to.name) });
                    s
                } else {
                    let mut s = Step::new(
                        format!("add labels to type {}", display(schema, &to.name)),
                        add_labels(schema, from, to),
                        rebuild_enum(ctx, schema, to, from),
                    );
                    // A label added in a transaction cannot be used before commit.
                    s.transactional = false;
                    s
                };
                let mut d = draft(s, Phase::AlterType, schema, &to.name);
                d.provides = vec![key(schema, &to.name)];
                out.push(d);
            }
            if from.comment != to.comment {
                let n = qn(schema, &to.name);
                let s = Step::new(
                    format!("comment type {n}"),
                    vec![comment("TYPE", &n, to.comment.as_deref())],
                    vec![comment("TYPE", &n, from.comment.as_deref())],
                );
                out.push(draft(s, Phase::AlterType, schema, &to.name));
            }
            out
        }
        _ => vec![],
    })
}

/// Domain steps.
pub fn domain(change: &Change) -> Result<Vec<Draft>, DiffError> {
    Ok(match change {
        Change::AddDomain { schema, domain: d } => {
            let mut sql = vec![create_domain(schema, d)];
            if d.comment.is_some() {
                sql.push(comment("DOMAIN", &qn(schema, &d.name), d.comment.as_deref()));
            }
            let s = Step::new(
                format!("create domain {}", display(schema, &d.name)),
                sql,
                vec![format!("DROP DOMAIN {}", qn(schema, &d.name))],
            );
            let mut dr = draft(s, Phase::CreateType, schema, &d.name);
            dr.provides = vec![key(schema, &d.name)];
            dr.reads.push(type_key(&d.ty.canonical).into_owned());
            vec![dr]
        }
        Change::DropDomain { schema, domain: d } => {
            let mut s = Step::new(
                format!("drop domain {}", display(schema, &d.name)),
                vec![format!("DROP DOMAIN {}", qn(schema, &d.name))],
                vec![create_domain(schema, d)],
            );
            s.facts.push(Fact::DropObject { kind: "domain".into(), name: format!("{schema}.{}", d.name), on: None });
            let mut dr = draft(s, Phase::DropType, schema, &d.name);
            dr.removes = vec![key(schema, &d.name)];
            // A domain over another domain or type is dropped before what it is built on.
            dr.reads.push(type_key(&d.ty.canonical).into_owned());
            vec![dr]
        }
        Change::ModifyDomain { schema, from, to } => {
            let n = qn(schema, &to.name);
            if from.ty != to.ty || from.collation != to.collation {
                return Err(DiffError::Unsupported(format!(
                    "domain {schema}.{}: changing its type or collation is not supported; create a new domain and move the columns to it",
                    to.name
                )));
            }
            let mut sql = Vec::new();
            let mut reverse = Vec::new();
            if from.default != to.default {
                sql.push(match &to.default {
                    Some(d) => format!("ALTER DOMAIN {n} SET DEFAULT {d}"),
                    None => format!("ALTER DOMAIN {n} DROP DEFAULT"),
                });
                reverse.push(match &from.default {
                    Some(d) => format!("ALTER DOMAIN {n} SET DEFAULT {d}"),
                    None => format!("ALTER DOMAIN {n} DROP DEFAULT"),
                });
            }
            if from.nullable != to.nullable {
                sql.push(format!("ALTER DOMAIN {n} {} NOT NULL", if to.nullable { "DROP" } else { "SET" }));
                reverse.push(format!("ALTER DOMAIN {n} {} NOT NULL", if from.nullable { "DROP" } else { "SET" }));
            }
            for c in from.checks.iter().filter(|c| !to.checks.contains(c)) {
                sql.push(format!("ALTER DOMAIN {n} DROP CONSTRAINT {}", q(c.name.as_deref().unwrap_or(""))));
                reverse.push(format!("ALTER DOMAIN {n} ADD {}", super::render::check(c, true)));
            }
            for c in to.checks.iter().filter(|c| !from.checks.contains(c)) {
                sql.push(format!("ALTER DOMAIN {n} ADD {}", super::render::check(c, true)));
                reverse.push(format!("ALTER DOMAIN {n} DROP CONSTRAINT {}", q(c.name.as_deref().unwrap_or(""))));
            }
            if from.comment != to.comment {
                sql.push(comment("DOMAIN", &n, to.comment.as_deref()));
                reverse.push(comment("DOMAIN", &n, from.comment.as_deref()));
            }
            let mut s = Step::new(format!("alter domain {n}"), sql, reverse);
            if !to.nullable && from.nullable || to.checks.iter().any(|c| !from.checks.contains(c)) {
                s.facts.push(Fact::TightenDomain { name: format!("{schema}.{}", to.name) });
            }
            vec![draft(s, Phase::AlterType, schema, &to.name)]
        }
        _ => vec![],
    })
}

fn owner_key(schema: &str, s: &Sequence) -> Option<String> {
    s.owned_by.as_ref().map(|(os, t, _)| key(if os.is_empty() { schema } else { os }, t))
}

/// Sequence steps; ownership is set after the owning table exists, and the current value of
/// an existing sequence is never reset.
pub fn sequence(ctx: &Context<'_>, change: &Change) -> Vec<Draft> {
    match change {
        Change::AddSequence { schema, sequence: s } => {
            let mut sql = vec![create_sequence(schema, s)];
            if s.comment.is_some() {
                sql.push(comment("SEQUENCE", &qn(schema, &s.name), s.comment.as_deref()));
            }
            let step = Step::new(
                format!("create sequence {}", display(schema, &s.name)),
                sql,
                vec![format!("DROP SEQUENCE {}", qn(schema, &s.name))],
            );
            let mut d = draft(step, Phase::CreateSequence, schema, &s.name);
            d.provides = vec![key(schema, &s.name)];
            let mut out = vec![d];
            if let Some(owner) = owner_key(schema, s) {
                let step = Step::new(
                    format!("own sequence {} by its column", display(schema, &s.name)),
                    vec![sequence_owner(schema, s)],
                    vec![],
                );
                let mut d = draft(step, Phase::AlterTable, schema, &s.name);
                d.reads.extend([owner, key(schema, &s.name)]);
                out.push(d);
            }
            out
        }
        Change::DropSequence { schema, sequence: s } => {
            // A sequence owned by a dropped table or column goes with it.
            let owner_dropped = owner_key(schema, s).is_some_and(|k| ctx.dropped_tables.contains(&k))
                || s.owned_by.as_ref().is_some_and(|o| ctx.dropped_columns.contains(o));
            let sql = if owner_dropped {
                format!("DROP SEQUENCE IF EXISTS {}", qn(schema, &s.name))
            } else {
                format!("DROP SEQUENCE {}", qn(schema, &s.name))
            };
            let mut step = Step::new(
                format!("drop sequence {}", display(schema, &s.name)),
                vec![sql],
                vec![create_sequence(schema, s)],
            );
            step.irreversible = Some(format!("the current value of sequence {schema}.{} is lost", s.name));
            let mut d = draft(step, Phase::DropSequence, schema, &s.name);
            d.removes = vec![key(schema, &s.name)];
            vec![d]
        }
        Change::ModifySequence { schema, from, to } => {
            let n = qn(schema, &to.name);
            let mut sql = Vec::new();
            let mut reverse = Vec::new();
            let opts = |s: &Sequence| format!("ALTER SEQUENCE {n} AS {} {}", s.data_type, sequence_options(s));
            let same_opts = |a: &Sequence, b: &Sequence| {
                (a.data_type.as_str(), a.start, a.increment, a.min_value, a.max_value, a.cache, a.cycle)
                    == (b.data_type.as_str(), b.start, b.increment, b.min_value, b.max_value, b.cache, b.cycle)
            };
            if !same_opts(from, to) {
                sql.push(opts(to));
                reverse.push(opts(from));
            }
            if from.owned_by != to.owned_by {
                sql.push(sequence_owner(schema, to));
                reverse.push(sequence_owner(schema, from));
            }
            if from.comment != to.comment {
                sql.push(comment("SEQUENCE", &n, to.comment.as_deref()));
                reverse.push(comment("SEQUENCE", &n, from.comment.as_deref()));
            }
            let step = Step::new(format!("alter sequence {n}"), sql, reverse);
            let mut d = draft(step, Phase::AlterTable, schema, &to.name);
            d.reads.extend(owner_key(schema, to));
            vec![d]
        }
        _ => vec![],
    }
}
