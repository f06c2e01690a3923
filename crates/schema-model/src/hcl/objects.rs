//! The blocks beside tables: `enum`, `view`/`materialized`, `sequence`, `domain`,
//! `extension` and `trigger`.

use hcl_edit::structure::Block;
use hcl_edit::Span;

use super::constraints::{read_check, read_index};
use super::references::{Symbols, TableSym};
use super::table::{opt_bool, opt_string, read_sequence_options};
use super::types::{column_type, default_expr};
use super::values::{attr, Ctx};
use crate::sql::SourceError;
use crate::{Dialect, Domain, EnumType, Extension, Sequence, Trigger, View};

/// `enum "name" { schema, values, comment }` (PostgreSQL).
pub(super) fn read_enum(ctx: &Ctx, b: &Block, name: String) -> Result<EnumType, SourceError> {
    ctx.check_body(&b.body, &format!("enum {name:?}"), &["schema", "values", "comment"], &[])?;
    let values = attr(&b.body, "values").ok_or_else(|| {
        ctx.err(b.ident.span(), format!("enum {name:?} has no values"), "declared here", "add values = [\"a\", \"b\"]")
    })?;
    Ok(EnumType { name, values: ctx.strings(values)?, comment: opt_string(ctx, &b.body, "comment")? })
}

/// `view "name" { schema, as, comment, check_option, ... }`, and `materialized` likewise.
pub(super) fn read_view(
    ctx: &Ctx,
    syms: &Symbols,
    dialect: Dialect,
    b: &Block,
    schema: &str,
    name: String,
) -> Result<View, SourceError> {
    let materialized = b.ident.as_str() == "materialized";
    let body = &b.body;
    ctx.check_body(
        body,
        &format!("{} {name:?}", b.ident.as_str()),
        &["schema", "as", "comment", "check_option", "algorithm", "security", "depends_on"],
        &["column", "index"],
    )?;
    let def = attr(body, "as").ok_or_else(|| {
        ctx.err(b.ident.span(), format!("view {name:?} has no query"), "declared here", "add as = \"SELECT ...\"")
    })?;
    let mut definition = ctx.sql_text(def)?;
    if dialect == Dialect::Sqlite && !definition.trim_start().to_ascii_uppercase().starts_with("CREATE") {
        // SQLite keeps the whole statement; an Atlas file holds only the query.
        definition = format!("CREATE VIEW {} AS {definition}", crate::quote_ident(dialect, &name));
    }
    let own = TableSym { schema: schema.to_string(), name: name.clone(), columns: view_columns(ctx, b)? };
    let mut indexes = Vec::new();
    for i in body.get_blocks("index") {
        indexes.push(read_index(ctx, syms, i, &own)?);
    }
    Ok(View {
        name,
        definition,
        materialized,
        algorithm: attr(body, "algorithm").map(|a| ctx.word(a)).transpose()?,
        security: attr(body, "security").map(|a| ctx.word(a)).transpose()?,
        check_option: attr(body, "check_option").map(|a| ctx.word(a)).transpose()?,
        indexes,
        comment: opt_string(ctx, body, "comment")?,
    })
}

/// The names of a view's `column` blocks (documentation in Atlas files; the database decides).
pub(super) fn view_columns(ctx: &Ctx, b: &Block) -> Result<Vec<String>, SourceError> {
    b.body.get_blocks("column").map(|c| ctx.label(c)).collect()
}

/// `sequence "name" { schema, type, start, increment, min_value, max_value, cache, cycle,
/// owned_by, comment }` (PostgreSQL).
pub(super) fn read_sequence(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    schema: &str,
    name: String,
) -> Result<Sequence, SourceError> {
    let body = &b.body;
    ctx.check_body(
        body,
        &format!("sequence {name:?}"),
        &["schema", "type", "start", "increment", "min_value", "max_value", "cache", "cycle", "owned_by", "comment"],
        &[],
    )?;
    let data_type = match attr(body, "type") {
        Some(a) => column_type(ctx, syms, Dialect::Postgres, schema, a)?.canonical,
        None => "bigint".into(),
    };
    let o = read_sequence_options(ctx, body, &data_type)?;
    let owned_by = match attr(body, "owned_by") {
        Some(a) => {
            let nowhere = TableSym { schema: schema.to_string(), name: String::new(), columns: vec![] };
            let (t, c) = syms.column(ctx, &a.value, &nowhere)?;
            Some((t.schema.clone(), t.name.clone(), c))
        }
        None => None,
    };
    Ok(Sequence {
        name,
        data_type: data_type.to_string(),
        start: o.start,
        increment: o.increment,
        min_value: o.min_value,
        max_value: o.max_value,
        cache: o.cache,
        cycle: o.cycle,
        owned_by,
        comment: opt_string(ctx, body, "comment")?,
    })
}

/// `domain "name" { schema, type, null, default, collate, check, comment }` (PostgreSQL).
pub(super) fn read_domain(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    schema: &str,
    name: String,
) -> Result<Domain, SourceError> {
    let body = &b.body;
    ctx.check_body(
        body,
        &format!("domain {name:?}"),
        &["schema", "type", "null", "default", "collate", "comment"],
        &["check"],
    )?;
    let ty = attr(body, "type").ok_or_else(|| {
        ctx.err(b.ident.span(), format!("domain {name:?} has no type"), "declared here", "add type = text")
    })?;
    let mut checks = Vec::new();
    for c in body.get_blocks("check") {
        checks.push(read_check(ctx, c)?);
    }
    Ok(Domain {
        name,
        ty: column_type(ctx, syms, Dialect::Postgres, schema, ty)?,
        nullable: opt_bool(ctx, body, "null")?.unwrap_or(true),
        default: attr(body, "default").map(|a| default_expr(ctx, Dialect::Postgres, a)).transpose()?,
        collation: opt_string(ctx, body, "collate")?,
        checks,
        comment: opt_string(ctx, body, "comment")?,
    })
}

/// `extension "name" { schema, version }` (PostgreSQL).
pub(super) fn read_extension(ctx: &Ctx, b: &Block, name: String) -> Result<Extension, SourceError> {
    ctx.check_body(&b.body, &format!("extension {name:?}"), &["schema", "version", "comment"], &[])?;
    Ok(Extension { name, version: opt_string(ctx, &b.body, "version")? })
}

/// `trigger "name" { on = table.t, as = "CREATE TRIGGER ..." }`.
pub(super) fn read_trigger(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    schema: &str,
    name: String,
) -> Result<Trigger, SourceError> {
    ctx.check_body(&b.body, &format!("trigger {name:?}"), &["schema", "on", "as", "comment"], &[])?;
    let on = attr(&b.body, "on").ok_or_else(|| {
        ctx.err(b.ident.span(), format!("trigger {name:?} has no table"), "declared here", "add on = table.NAME")
    })?;
    let def = attr(&b.body, "as").ok_or_else(|| {
        ctx.err(
            b.ident.span(),
            format!("trigger {name:?} has no body"),
            "declared here",
            "add as = \"CREATE TRIGGER ...\"",
        )
    })?;
    let table = syms.table(ctx, &on.value, schema)?.name.clone();
    Ok(Trigger { name, table, definition: ctx.sql_text(def)?, comment: opt_string(ctx, &b.body, "comment")? })
}
