//! `table` blocks and their `column` blocks.

use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;

use super::constraints::{read_check, read_foreign_key, read_index, read_primary_key, read_unique};
use super::exclusion::read_exclusion;
use super::partition::{read_partition, read_partition_of};
use super::references::{Symbols, TableSym};
use super::types::{column_type, default_bounds, default_expr};
use super::values::{attr, Ctx};
use crate::sql::SourceError;
use crate::{Column, Dialect, Generated, Identity, Table, TableOptions};

const TABLE_ATTRS: &[&str] = &[
    "schema",
    "comment",
    "renamed_from",
    "without_rowid",
    "strict",
    "engine",
    "charset",
    "collate",
    "row_format",
    "key_block_size",
];
const TABLE_BLOCKS: &[&str] = &[
    "column",
    "primary_key",
    "unique",
    "index",
    "foreign_key",
    "check",
    "exclude",
    "row_security",
    "partition",
    "partition_of",
];
const COLUMN_ATTRS: &[&str] = &[
    "type",
    "null",
    "default",
    "comment",
    "collate",
    "auto_increment",
    "on_update",
    "invisible",
    "unsigned",
    "renamed_from",
    "as",
];
const COLUMN_BLOCKS: &[&str] = &["identity", "as"];

/// Reads a table block into a table of `sym` (whose name and schema pass 1 settled).
pub(super) fn read_table(
    ctx: &Ctx,
    syms: &Symbols,
    dialect: Dialect,
    block: &Block,
    sym: &TableSym,
) -> Result<Table, SourceError> {
    let body = &block.body;
    let what = format!("table {:?}", sym.name);
    ctx.check_body(body, &what, TABLE_ATTRS, TABLE_BLOCKS)?;
    let mut t = Table { name: sym.name.as_str().into(), ..Default::default() };
    for b in body.get_blocks("column") {
        let c = read_column(ctx, syms, dialect, &sym.schema, b)?;
        if t.column(&c.name).is_some() {
            return Err(ctx.err(
                b.labels.first().and_then(|l| l.span()),
                format!("column {:?} is declared twice in {what}", c.name),
                "declared again here",
                "remove one of the two column blocks",
            ));
        }
        t.columns.push(c);
    }
    for b in body.get_blocks("primary_key") {
        if t.primary_key.is_some() {
            return Err(ctx.err(b.ident.span(), format!("{what} has two primary keys"), "second one", "keep one"));
        }
        t.primary_key = Some(read_primary_key(ctx, syms, b, sym)?);
    }
    for b in body.get_blocks("unique") {
        t.uniques.push(read_unique(ctx, syms, b, sym)?);
    }
    for b in body.get_blocks("index") {
        t.indexes.push(read_index(ctx, syms, b, sym)?);
    }
    for b in body.get_blocks("foreign_key") {
        t.foreign_keys.push(read_foreign_key(ctx, syms, b, sym)?);
    }
    for b in body.get_blocks("check") {
        t.checks.push(read_check(ctx, b)?);
    }
    for b in body.get_blocks("exclude") {
        let x = read_exclusion(ctx, syms, b, sym)?;
        if t.exclusions.iter().any(|o| o.name == x.name) {
            return Err(ctx.err(
                b.labels.first().and_then(|l| l.span()),
                format!("exclude {:?} is declared twice in {what}", x.name),
                "declared again here",
                "constraint names are unique per table; remove or rename one",
            ));
        }
        t.exclusions.push(x);
    }
    for (kind, b) in one_each(ctx, body, &["partition", "partition_of", "row_security"], &what)? {
        match kind {
            "partition" => {
                let (key, partitions) = read_partition(ctx, syms, dialect, b, sym)?;
                t.partition_by = Some(key);
                t.partitions = partitions;
            }
            "partition_of" => t.partition_of = Some(read_partition_of(ctx, syms, b, sym)?),
            _ => {}
        }
    }
    t.comment = opt_string(ctx, body, "comment")?;
    t.renamed_from = opt_string(ctx, body, "renamed_from")?;
    let (mut row_security, mut force_row_security) = (false, false);
    if let Some(r) = body.get_blocks("row_security").next() {
        ctx.check_body(&r.body, "row_security", &["enabled", "enforced"], &[])?;
        row_security = opt_bool(ctx, &r.body, "enabled")?.unwrap_or(false);
        force_row_security = opt_bool(ctx, &r.body, "enforced")?.unwrap_or(false);
    }
    t.options = TableOptions {
        without_rowid: opt_bool(ctx, body, "without_rowid")?.unwrap_or(false),
        strict: opt_bool(ctx, body, "strict")?.unwrap_or(false),
        engine: attr(body, "engine").map(|a| ctx.word(a)).transpose()?,
        charset: attr(body, "charset").map(|a| ctx.word(a)).transpose()?,
        collation: attr(body, "collate").map(|a| ctx.word(a)).transpose()?,
        row_format: attr(body, "row_format").map(|a| ctx.word(a)).transpose()?,
        row_security,
        force_row_security,
        key_block_size: match attr(body, "key_block_size") {
            Some(a) => Some(u32::try_from(ctx.int(a)?).map_err(|_| ctx.expected(a, "a positive whole number"))?),
            None => None,
        },
    };
    Ok(t)
}

/// The blocks of `kinds` in `body`, refusing any kind that appears twice.
fn one_each<'b>(
    ctx: &Ctx,
    body: &'b Body,
    kinds: &[&'static str],
    what: &str,
) -> Result<Vec<(&'static str, &'b Block)>, SourceError> {
    let mut out = Vec::new();
    for kind in kinds {
        let mut blocks = body.get_blocks(kind);
        if let Some(b) = blocks.next() {
            out.push((*kind, b));
        }
        if let Some(again) = blocks.next() {
            return Err(ctx.err(
                again.ident.span(),
                format!("{what} has two `{kind}` blocks"),
                "second one",
                "keep one",
            ));
        }
    }
    Ok(out)
}

fn read_column(ctx: &Ctx, syms: &Symbols, dialect: Dialect, schema: &str, b: &Block) -> Result<Column, SourceError> {
    let name = ctx.label(b)?;
    let what = format!("column {name:?}");
    let body = &b.body;
    ctx.check_body(body, &what, COLUMN_ATTRS, COLUMN_BLOCKS)?;
    let ty_attr = attr(body, "type").ok_or_else(|| {
        ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("{what} has no type"),
            "declared here",
            "add a type, e.g. type = varchar(255)",
        )
    })?;
    let mut ty = column_type(ctx, syms, dialect, schema, ty_attr)?;
    if opt_bool(ctx, body, "unsigned")? == Some(true) {
        ty.raw.push_str(" unsigned");
        ty = crate::ColumnType::declared(dialect, ty.raw);
    }
    let mut c = Column {
        name: name.into(),
        nullable: opt_bool(ctx, body, "null")?.unwrap_or(false),
        default: attr(body, "default").map(|a| default_expr(ctx, dialect, a)).transpose()?.map(Into::into),
        collation: opt_string(ctx, body, "collate")?.map(Into::into),
        auto_increment: opt_bool(ctx, body, "auto_increment")?.unwrap_or(false),
        on_update: attr(body, "on_update").map(|a| ctx.sql_text(a)).transpose()?,
        invisible: opt_bool(ctx, body, "invisible")?.unwrap_or(false),
        comment: opt_string(ctx, body, "comment")?.map(Into::into),
        renamed_from: opt_string(ctx, body, "renamed_from")?,
        ty,
        ..Default::default()
    };
    if let Some(a) = attr(body, "as") {
        c.generated = Some(Box::new(Generated { expr: ctx.sql_text(a)?, stored: false }));
    }
    for g in body.get_blocks("as") {
        ctx.check_body(&g.body, "as", &["expr", "type"], &[])?;
        let expr = attr(&g.body, "expr")
            .ok_or_else(|| ctx.err(g.ident.span(), "`as` needs expr", "here", "add expr = \"a + b\""))?;
        let stored = match attr(&g.body, "type").map(|a| ctx.word(a)).transpose()? {
            None => false,
            Some(s) if s.eq_ignore_ascii_case("stored") => true,
            Some(s) if s.eq_ignore_ascii_case("virtual") => false,
            Some(s) => {
                let a = attr(&g.body, "type").expect("read above");
                return Err(ctx.err(
                    a.value.span(),
                    format!("generated column storage {s:?} is not STORED or VIRTUAL"),
                    "unknown storage",
                    "write type = STORED or type = VIRTUAL",
                ));
            }
        };
        c.generated = Some(Box::new(Generated { expr: ctx.sql_text(expr)?, stored }));
    }
    for i in body.get_blocks("identity") {
        c.identity = Some(Box::new(read_identity(ctx, &i.body, &c.ty.canonical)?));
    }
    Ok(c)
}

fn read_identity(ctx: &Ctx, body: &Body, ty: &str) -> Result<Identity, SourceError> {
    ctx.check_body(
        body,
        "identity",
        &["generated", "start", "increment", "min_value", "max_value", "cache", "cycle"],
        &[],
    )?;
    let always = match attr(body, "generated").map(|a| ctx.word(a).map(|w| (w, a))).transpose()? {
        None => false,
        Some((w, _)) if w.eq_ignore_ascii_case("always") => true,
        Some((w, _)) if w.eq_ignore_ascii_case("by_default") || w.eq_ignore_ascii_case("by default") => false,
        Some((w, a)) => {
            return Err(ctx.err(
                a.value.span(),
                format!("identity generation {w:?} is not ALWAYS or BY_DEFAULT"),
                "unknown generation",
                "write generated = ALWAYS or generated = BY_DEFAULT",
            ))
        }
    };
    let o = read_sequence_options(ctx, body, ty)?;
    Ok(Identity {
        always,
        start: o.start,
        increment: o.increment,
        min_value: o.min_value,
        max_value: o.max_value,
        cache: o.cache,
        cycle: o.cycle,
    })
}

/// The options an identity and a sequence share, with PostgreSQL's defaults for type `ty`.
pub(super) struct SequenceOptions {
    /// The first value.
    pub start: i64,
    /// The step.
    pub increment: i64,
    /// The lowest value.
    pub min_value: i64,
    /// The highest value.
    pub max_value: i64,
    /// Values handed out ahead.
    pub cache: i64,
    /// Whether it wraps around.
    pub cycle: bool,
}

/// Reads `start`, `increment`, `min_value`, `max_value`, `cache` and `cycle` from `body`.
pub(super) fn read_sequence_options(ctx: &Ctx, body: &Body, ty: &str) -> Result<SequenceOptions, SourceError> {
    let increment = opt_int(ctx, body, "increment")?.unwrap_or(1);
    let (min, max) = default_bounds(ty, increment);
    let min_value = opt_int(ctx, body, "min_value")?.unwrap_or(min);
    let max_value = opt_int(ctx, body, "max_value")?.unwrap_or(max);
    Ok(SequenceOptions {
        start: opt_int(ctx, body, "start")?.unwrap_or(if increment < 0 { max_value } else { min_value }),
        increment,
        min_value,
        max_value,
        cache: opt_int(ctx, body, "cache")?.unwrap_or(1),
        cycle: opt_bool(ctx, body, "cycle")?.unwrap_or(false),
    })
}

/// An optional string attribute.
pub(super) fn opt_string(ctx: &Ctx, body: &Body, key: &str) -> Result<Option<String>, SourceError> {
    attr(body, key).map(|a| ctx.string(a)).transpose()
}

/// An optional boolean attribute.
pub(super) fn opt_bool(ctx: &Ctx, body: &Body, key: &str) -> Result<Option<bool>, SourceError> {
    attr(body, key).map(|a| ctx.bool(a)).transpose()
}

/// An optional whole-number attribute.
pub(super) fn opt_int(ctx: &Ctx, body: &Body, key: &str) -> Result<Option<i64>, SourceError> {
    attr(body, key).map(|a| ctx.int(a)).transpose()
}
