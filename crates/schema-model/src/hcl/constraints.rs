//! `primary_key`, `unique`, `index` (with `on` parts), `foreign_key` and `check` blocks.

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::Span;

use super::references::{Symbols, TableSym};
use super::table::{opt_bool, opt_string};
use super::values::{attr, Ctx};
use crate::sql::SourceError;
use crate::{Check, Deferrable, ForeignKey, Index, IndexKey, IndexPart, PrimaryKey, RefAction, UniqueConstraint};
use compact_str::CompactString;

/// The columns of `columns = [column.a, ...]`, each of the table itself.
pub(super) fn own_columns(
    ctx: &Ctx,
    syms: &Symbols,
    a: &Attribute,
    own: &TableSym,
) -> Result<Vec<CompactString>, SourceError> {
    ctx.array(a)?.into_iter().map(|e| own_column(ctx, syms, e, own)).collect()
}

/// A reference to a column of the table itself.
fn own_column(ctx: &Ctx, syms: &Symbols, e: &Expression, own: &TableSym) -> Result<CompactString, SourceError> {
    let (t, c) = syms.column(ctx, e, own)?;
    if t.name != own.name || t.schema != own.schema {
        return Err(ctx.err(
            e.span(),
            format!("column {c:?} is not of table {:?}", own.name),
            "another table's column",
            "list this table's columns, as column.NAME",
        ));
    }
    Ok(c.into())
}

/// The key of an index part, exclusion element or partition key part: exactly one of
/// `column = column.a` and `expr = "..."` in block `b`, which takes also `extra`.
pub(super) fn read_key(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    own: &TableSym,
    extra: &[&str],
) -> Result<IndexKey, SourceError> {
    let keys: Vec<&str> = ["column", "expr"].iter().chain(extra).copied().collect();
    ctx.check_body(&b.body, b.ident.as_str(), &keys, &[])?;
    match (attr(&b.body, "column"), attr(&b.body, "expr")) {
        (Some(c), None) => Ok(IndexKey::Column(own_column(ctx, syms, &c.value, own)?)),
        (None, Some(e)) => Ok(IndexKey::Expr(ctx.sql_text(e)?)),
        _ => {
            let kind = b.ident.as_str();
            Err(ctx.err(
                b.ident.span(),
                format!("`{kind}` needs exactly one of `column` and `expr`"),
                "this part",
                &format!("write {kind} {{ column = column.a }} or {kind} {{ expr = \"lower(a)\" }}"),
            ))
        }
    }
}

/// The attribute `key` of `body`, the body of `block`, or an error saying to add it.
pub(super) fn required<'b>(
    ctx: &Ctx,
    block: &Block,
    body: &'b Body,
    key: &str,
    example: &str,
) -> Result<&'b Attribute, SourceError> {
    attr(body, key).ok_or_else(|| {
        ctx.err(
            block.ident.span(),
            format!("`{}` needs `{key}`", block.ident.as_str()),
            "declared here",
            &format!("add {key} = {example}"),
        )
    })
}

fn deferrable(ctx: &Ctx, body: &Body) -> Result<Deferrable, SourceError> {
    let Some(a) = attr(body, "deferrable") else { return Ok(Deferrable::NotDeferrable) };
    match ctx.word(a)?.to_ascii_uppercase().as_str() {
        "INITIALLY_IMMEDIATE" => Ok(Deferrable::InitiallyImmediate),
        "INITIALLY_DEFERRED" => Ok(Deferrable::InitiallyDeferred),
        "NOT_DEFERRABLE" => Ok(Deferrable::NotDeferrable),
        w => Err(ctx.err(
            a.value.span(),
            format!("deferrable {w:?} is not known"),
            "unknown mode",
            "write INITIALLY_IMMEDIATE, INITIALLY_DEFERRED or NOT_DEFERRABLE",
        )),
    }
}

/// `primary_key ["name"] { columns = [...] }`.
pub(super) fn read_primary_key(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    own: &TableSym,
) -> Result<PrimaryKey, SourceError> {
    ctx.check_body(&b.body, "primary_key", &["columns", "deferrable", "comment"], &[])?;
    let cols = required(ctx, b, &b.body, "columns", "[column.id]")?;
    Ok(PrimaryKey {
        name: ctx.optional_label(b)?,
        columns: own_columns(ctx, syms, cols, own)?,
        deferrable: deferrable(ctx, &b.body)?,
        comment: opt_string(ctx, &b.body, "comment")?,
    })
}

/// `unique ["name"] { columns = [...] }`: a unique constraint.
pub(super) fn read_unique(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    own: &TableSym,
) -> Result<UniqueConstraint, SourceError> {
    ctx.check_body(&b.body, "unique", &["columns", "include", "nulls_distinct", "deferrable", "comment"], &[])?;
    let cols = required(ctx, b, &b.body, "columns", "[column.email]")?;
    Ok(UniqueConstraint {
        name: ctx.optional_label(b)?,
        columns: own_columns(ctx, syms, cols, own)?,
        nulls_not_distinct: opt_bool(ctx, &b.body, "nulls_distinct")? == Some(false),
        include: attr(&b.body, "include").map(|a| own_columns(ctx, syms, a, own)).transpose()?.unwrap_or_default(),
        deferrable: deferrable(ctx, &b.body)?,
        comment: opt_string(ctx, &b.body, "comment")?,
    })
}

/// `index "name" { columns = [...] | on { ... } ..., unique, where, type, include }`.
pub(super) fn read_index(ctx: &Ctx, syms: &Symbols, b: &Block, own: &TableSym) -> Result<Index, SourceError> {
    let body = &b.body;
    let name = ctx.label(b)?;
    ctx.check_body(
        body,
        &format!("index {name:?}"),
        &["columns", "unique", "where", "type", "include", "nulls_distinct", "storage", "comment"],
        &["on"],
    )?;
    let mut parts: Vec<IndexPart> = Vec::new();
    if let Some(a) = attr(body, "columns") {
        for c in own_columns(ctx, syms, a, own)? {
            parts.push(part(IndexKey::Column(c)));
        }
    }
    for on in body.get_blocks("on") {
        parts.push(read_part(ctx, syms, on, own)?);
    }
    if parts.is_empty() {
        return Err(ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("index {name:?} has no key"),
            "declared here",
            "add columns = [column.a] or an on { expr = \"lower(a)\" } block",
        ));
    }
    Ok(Index {
        name: name.into(),
        unique: opt_bool(ctx, body, "unique")?.unwrap_or(false),
        parts,
        predicate: attr(body, "where").map(|a| ctx.sql_text(a)).transpose()?,
        method: attr(body, "type").map(|a| ctx.word(a)).transpose()?,
        include: attr(body, "include").map(|a| own_columns(ctx, syms, a, own)).transpose()?.unwrap_or_default(),
        nulls_not_distinct: opt_bool(ctx, body, "nulls_distinct")? == Some(false),
        storage: attr(body, "storage").map(|a| ctx.strings(a)).transpose()?.unwrap_or_default(),
        comment: opt_string(ctx, body, "comment")?,
    })
}

fn part(key: IndexKey) -> IndexPart {
    IndexPart { key, desc: false, collation: None, nulls_first: None, opclass: None, prefix: None }
}

fn read_part(ctx: &Ctx, syms: &Symbols, b: &Block, own: &TableSym) -> Result<IndexPart, SourceError> {
    let body = &b.body;
    let key = read_key(ctx, syms, b, own, &["desc", "collate", "ops", "nulls_first", "prefix"])?;
    let prefix = match attr(body, "prefix") {
        Some(a) => Some(u32::try_from(ctx.int(a)?).map_err(|_| ctx.expected(a, "a positive whole number"))?),
        None => None,
    };
    Ok(IndexPart {
        key,
        desc: opt_bool(ctx, body, "desc")?.unwrap_or(false),
        collation: opt_string(ctx, body, "collate")?,
        nulls_first: opt_bool(ctx, body, "nulls_first")?,
        opclass: attr(body, "ops").map(|a| ctx.word(a)).transpose()?,
        prefix,
    })
}

fn action(ctx: &Ctx, body: &Body, key: &str) -> Result<RefAction, SourceError> {
    let Some(a) = attr(body, key) else { return Ok(RefAction::NoAction) };
    let w = ctx.word(a)?;
    RefAction::parse(&w).ok_or_else(|| {
        ctx.err(
            a.value.span(),
            format!("{key} {w:?} is not a referential action"),
            "unknown action",
            "write one of NO_ACTION, RESTRICT, CASCADE, SET_NULL, SET_DEFAULT",
        )
    })
}

/// `foreign_key ["name"] { columns, ref_columns, on_update, on_delete }`.
pub(super) fn read_foreign_key(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    own: &TableSym,
) -> Result<ForeignKey, SourceError> {
    let body = &b.body;
    ctx.check_body(
        body,
        "foreign_key",
        &[
            "columns",
            "ref_columns",
            "ref_table",
            "on_update",
            "on_delete",
            "deferrable",
            "match",
            "not_valid",
            "comment",
        ],
        &[],
    )?;
    let cols = required(ctx, b, body, "columns", "[column.user_id]")?;
    let mut ref_table: Option<&TableSym> = None;
    let mut ref_columns = Vec::new();
    if let Some(a) = attr(body, "ref_columns") {
        for e in ctx.array(a)? {
            let (t, c) = syms.column(ctx, e, own)?;
            if ref_table.is_some_and(|r| r.name != t.name || r.schema != t.schema) {
                return Err(ctx.err(
                    e.span(),
                    "ref_columns name columns of more than one table",
                    "another table",
                    "a foreign key references one table",
                ));
            }
            ref_table = Some(t);
            ref_columns.push(c.into());
        }
    }
    if let Some(a) = attr(body, "ref_table") {
        ref_table = Some(syms.table(ctx, &a.value, &own.schema)?);
    }
    let Some(target) = ref_table else {
        return Err(ctx.err(
            b.ident.span(),
            "`foreign_key` needs `ref_columns`",
            "declared here",
            "add ref_columns = [table.users.column.id]",
        ));
    };
    let match_full = match attr(body, "match").map(|a| ctx.word(a)).transpose()? {
        Some(m) => m.eq_ignore_ascii_case("full"),
        None => false,
    };
    Ok(ForeignKey {
        name: ctx.optional_label(b)?,
        columns: own_columns(ctx, syms, cols, own)?,
        ref_schema: (target.schema != own.schema).then(|| target.schema.clone()),
        ref_table: target.name.as_str().into(),
        ref_columns,
        on_delete: action(ctx, body, "on_delete")?,
        on_update: action(ctx, body, "on_update")?,
        deferrable: deferrable(ctx, body)?,
        match_full,
        not_valid: opt_bool(ctx, body, "not_valid")?.unwrap_or(false),
        comment: opt_string(ctx, body, "comment")?,
    })
}

/// `check ["name"] { expr = "..." }`.
pub(super) fn read_check(ctx: &Ctx, b: &Block) -> Result<Check, SourceError> {
    let body = &b.body;
    ctx.check_body(body, "check", &["expr", "not_valid", "no_inherit", "comment"], &[])?;
    let expr = required(ctx, b, body, "expr", "\"a > 0\"")?;
    Ok(Check {
        name: ctx.optional_label(b)?,
        expr: ctx.sql_text(expr)?,
        not_valid: opt_bool(ctx, body, "not_valid")?.unwrap_or(false),
        no_inherit: opt_bool(ctx, body, "no_inherit")?.unwrap_or(false),
        comment: opt_string(ctx, body, "comment")?,
    })
}
