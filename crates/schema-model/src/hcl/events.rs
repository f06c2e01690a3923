//! Scheduled events in HCL (MySQL/MariaDB), which Atlas has no syntax for: a top-level
//! `event "name" { schema, at | every + unit [+ ends], preserve, status, comment, definer, as }`
//! whose attributes are the clauses of `CREATE EVENT`.

use hcl_edit::structure::Block;
use hcl_edit::Span;

use super::table::{opt_bool, opt_string};
use super::values::{attr, integer, plain_string, Ctx};
use super::writer::{attr as hattr, ident, int, label, schema_attr, text, word};
use crate::sql::SourceError;
use crate::{Event, EventSchedule, EventStatus, Schema};

/// The interval units `EVERY` takes.
const UNITS: &[&str] = &[
    "YEAR",
    "QUARTER",
    "MONTH",
    "DAY",
    "HOUR",
    "MINUTE",
    "WEEK",
    "SECOND",
    "YEAR_MONTH",
    "DAY_HOUR",
    "DAY_MINUTE",
    "DAY_SECOND",
    "HOUR_MINUTE",
    "HOUR_SECOND",
    "MINUTE_SECOND",
];

/// `status` as written in HCL: the clause with underscores.
const STATUSES: &[(&str, EventStatus)] = &[
    ("ENABLE", EventStatus::Enabled),
    ("DISABLE", EventStatus::Disabled),
    ("DISABLE_ON_SLAVE", EventStatus::DisabledOnReplica),
];

/// `event "name" { ... }` of a schema.
pub(super) fn read_event(ctx: &Ctx, b: &Block, name: String) -> Result<Event, SourceError> {
    let body = &b.body;
    let what = format!("event {name:?}");
    let attrs = ["schema", "at", "every", "unit", "ends", "preserve", "status", "comment", "definer", "as"];
    ctx.check_body(body, &what, &attrs, &[])?;
    let needs = |key: &str, example: &str| {
        ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("{what} has no `{key}`"),
            "declared here",
            &format!("add {key} = {example}"),
        )
    };
    let schedule = match (attr(body, "at"), attr(body, "every")) {
        (Some(at), None) => {
            if let Some(a) = attr(body, "unit").or_else(|| attr(body, "ends")) {
                return Err(ctx.err(
                    a.key.span(),
                    format!("{what} runs once (`at`), so it takes no `{}`", a.key.as_str()),
                    "not with `at`",
                    "keep `at` alone, or write every = 1 and unit = DAY for a recurring event",
                ));
            }
            EventSchedule::At { at: ctx.string(at)? }
        }
        (None, Some(every)) => {
            let value = match (integer(&every.value), plain_string(&every.value)) {
                (Some(n), _) => n.to_string(),
                (_, Some(s)) => s,
                _ => return Err(ctx.expected(every, "a whole number or a quantity such as \"1 4\"")),
            };
            let unit = attr(body, "unit").ok_or_else(|| needs("unit", "DAY"))?;
            let help = format!("write one of {}", UNITS.join(", "));
            let u = ctx.choice(unit, UNITS, "{} is not an interval unit", "unknown unit", &help)?;
            EventSchedule::Every { value, unit: u, ends: opt_string(ctx, body, "ends")? }
        }
        (Some(_), Some(every)) => {
            return Err(ctx.err(
                every.key.span(),
                format!("{what} has both `at` and `every`"),
                "one or the other",
                "an event runs once (`at`) or on a schedule (`every`)",
            ))
        }
        (None, None) => return Err(needs("every", "1 (with unit = DAY), or at = \"2035-01-01 00:00:00\"")),
    };
    let status = match attr(body, "status") {
        None => EventStatus::Enabled,
        Some(a) => {
            let w = ctx.word(a)?.to_ascii_uppercase().replace(' ', "_");
            let found = STATUSES.iter().find(|(s, _)| *s == w).map(|(_, s)| *s);
            found.ok_or_else(|| {
                ctx.err(
                    a.value.span(),
                    format!("event status {w:?} is not ENABLE, DISABLE or DISABLE_ON_SLAVE"),
                    "unknown status",
                    "write status = ENABLE, DISABLE or DISABLE_ON_SLAVE",
                )
            })?
        }
    };
    let definition = attr(body, "as").ok_or_else(|| needs("as", "\"DELETE FROM t\" (the statement after DO)"))?;
    Ok(Event {
        name,
        schedule,
        preserve: opt_bool(ctx, body, "preserve")?.unwrap_or(false),
        status,
        body: ctx.sql_text(definition)?,
        comment: opt_string(ctx, body, "comment")?,
        definer: opt_string(ctx, body, "definer")?,
    })
}

/// The block of event `e` of `s`, leaving out what is the default.
pub(super) fn event_block(s: &Schema, e: &Event) -> Block {
    let mut b = Block::builder(ident("event")).label(label(&e.name)).attribute(schema_attr(s));
    match &e.schedule {
        EventSchedule::At { at } => b = b.attribute(hattr("at", at)),
        EventSchedule::Every { value, unit, ends } => {
            let every = match value.parse::<i64>() {
                Ok(n) if n.to_string() == *value => int(n),
                _ => text(value),
            };
            b = b.attribute(hattr("every", every)).attribute(hattr("unit", word(unit)));
            if let Some(t) = ends {
                b = b.attribute(hattr("ends", t));
            }
        }
    }
    if e.preserve {
        b = b.attribute(hattr("preserve", true));
    }
    if e.status != EventStatus::Enabled {
        let status = STATUSES.iter().find(|(_, s)| *s == e.status).map(|(w, _)| *w).unwrap_or("ENABLE");
        b = b.attribute(hattr("status", word(status)));
    }
    if let Some(c) = &e.comment {
        b = b.attribute(hattr("comment", c));
    }
    if let Some(d) = &e.definer {
        b = b.attribute(hattr("definer", d));
    }
    b.attribute(hattr("as", &e.body)).build()
}
