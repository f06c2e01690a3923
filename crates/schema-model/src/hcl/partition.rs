//! Partitioning in HCL (PostgreSQL): a partitioned table's `partition` block (Atlas's
//! `type` with `columns` or `by` parts) and a partition's `partition_of` block (its parent and
//! `FOR VALUES` bound, which Atlas has no syntax for).

use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;

use super::constraints::{own_columns, read_key};
use super::references::{Symbols, TableSym};
use super::sql_parts::{closing_paren, identifier, key_expr, quoted, split_top};
use super::values::{attr, Ctx};
use super::writer::{attr as hattr, ident, list, reference, word};
use crate::sql::SourceError;
use crate::{Dialect, IndexKey, Partition, PartitionOf, Realm, Schema, Table};

/// The partitioning strategies PostgreSQL has.
const STRATEGIES: &[&str] = &["RANGE", "LIST", "HASH"];

/// `RANGE (a, lower(b))`: the key as `pg_get_partkeydef` renders it.
fn compose(strategy: &str, parts: &[IndexKey]) -> String {
    let items: Vec<String> = parts
        .iter()
        .map(|p| match p {
            IndexKey::Column(c) => quoted(c),
            IndexKey::Expr(e) => key_expr(e),
        })
        .collect();
    format!("{strategy} ({})", items.join(", "))
}

/// The strategy and parts of a rendered key, when it comes back the same from them.
fn decompose(key: &str, t: &Table) -> Option<(String, Vec<IndexKey>)> {
    let open = key.find(" (")? + 1;
    let strategy = &key[..open - 1];
    if !STRATEGIES.contains(&strategy) || closing_paren(key, open)? != key.len() - 1 {
        return None;
    }
    let parts: Vec<IndexKey> = split_top(&key[open + 1..key.len() - 1], ", ")
        .into_iter()
        .map(|item| match identifier(item) {
            Some(c) if t.column(&c).is_some() => IndexKey::Column(c.into()),
            _ => IndexKey::Expr(item.to_string()),
        })
        .collect();
    (compose(strategy, &parts) == key).then(|| (strategy.to_string(), parts))
}

/// `partition { type = RANGE, columns = [...] | by { column | expr } ... }`, or
/// `partition { as = "RANGE (...)" }` for a key the parts cannot say: the key, and on MySQL
/// the partitions the block lists.
pub(super) fn read_partition(
    ctx: &Ctx,
    syms: &Symbols,
    dialect: Dialect,
    b: &Block,
    own: &TableSym,
) -> Result<(String, Vec<Partition>), SourceError> {
    if dialect == Dialect::Mysql {
        return super::mysql_partitions::read(ctx, syms, b, own);
    }
    ctx.check_body(&b.body, "partition", &["type", "columns", "as"], &["by"])?;
    if let Some(key) = whole_key(ctx, b, &["type", "columns"])? {
        return Ok((key, Vec::new()));
    }
    read_parts(ctx, syms, b, own).map(|key| (key, Vec::new()))
}

/// The key of `as = "RANGE (...)"`, refused beside any of the attributes `parts` that say it
/// in parts.
pub(super) fn whole_key(ctx: &Ctx, b: &Block, parts: &[&str]) -> Result<Option<String>, SourceError> {
    let body = &b.body;
    let Some(a) = attr(body, "as") else { return Ok(None) };
    let other = parts.iter().find_map(|k| attr(body, k)).map(|o| o.key.span());
    if let Some(span) = other.or_else(|| body.get_blocks("by").next().map(|by| by.ident.span())) {
        return Err(ctx.err(
            span,
            "a partition key is either `as` or `type` with its parts",
            "not with `as`",
            "keep `as = \"RANGE (...)\"` alone, or drop it",
        ));
    }
    ctx.sql_text(a).map(Some)
}

/// The `type` of partition block `b`, upper case, which must be one of `kinds`.
pub(super) fn partition_type(ctx: &Ctx, b: &Block, kinds: &[&str], help: &str) -> Result<String, SourceError> {
    let Some(t) = attr(&b.body, "type") else {
        return Err(ctx.err(b.ident.span(), "`partition` needs `type`", "declared here", "add type = RANGE"));
    };
    let message = format!("partition type {{}} is not {}", one_of(kinds));
    ctx.choice(t, kinds, &message, "unknown partitioning", help)
}

/// `A, B or C`.
fn one_of(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The error of a partition block that names no key.
pub(super) fn no_key(ctx: &Ctx, b: &Block) -> SourceError {
    ctx.err(
        b.ident.span(),
        "`partition` has no key",
        "declared here",
        "add columns = [column.a] or a by { expr = \"...\" } block",
    )
}

/// A PostgreSQL key from `type` with `columns` or `by` parts.
fn read_parts(ctx: &Ctx, syms: &Symbols, b: &Block, own: &TableSym) -> Result<String, SourceError> {
    let body = &b.body;
    let strategy = partition_type(ctx, b, STRATEGIES, "write type = RANGE, type = LIST or type = HASH")?;
    let mut parts = Vec::new();
    if let Some(a) = attr(body, "columns") {
        parts.extend(own_columns(ctx, syms, a, own)?.into_iter().map(IndexKey::Column));
    }
    for by in body.get_blocks("by") {
        parts.push(read_key(ctx, syms, by, own, &[])?);
    }
    if parts.is_empty() {
        return Err(no_key(ctx, b));
    }
    Ok(compose(&strategy, &parts))
}

/// `partition_of { table = table.parent, bound = "FOR VALUES ..." }`.
pub(super) fn read_partition_of(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    own: &TableSym,
) -> Result<PartitionOf, SourceError> {
    let body = &b.body;
    ctx.check_body(body, "partition_of", &["table", "bound"], &[])?;
    let needs = |key: &str, example: &str| {
        ctx.err(
            b.ident.span(),
            format!("`partition_of` needs `{key}`"),
            "declared here",
            &format!("add {key} = {example}"),
        )
    };
    let parent = attr(body, "table").ok_or_else(|| needs("table", "table.PARENT"))?;
    let bound = attr(body, "bound").ok_or_else(|| needs("bound", "\"FOR VALUES IN ('a')\" or \"DEFAULT\""))?;
    let p = syms.table(ctx, &parent.value, &own.schema)?;
    Ok(PartitionOf { schema: p.schema.clone(), table: p.name.clone(), bound: ctx.sql_text(bound)? })
}

/// The parent a table block's `partition_of` names, read leniently for pass one (errors are
/// reported when the block is read in pass two).
pub(super) fn parent_of(ctx: &Ctx, syms: &Symbols, body: &Body, schema: &str) -> Option<(String, String)> {
    let p = body.get_blocks("partition_of").next()?;
    let t = syms.table(ctx, &attr(&p.body, "table")?.value, schema).ok()?;
    Some((t.schema.clone(), t.name.clone()))
}

/// The `partition` block of a partitioned table of `dialect`.
pub(super) fn partition_block(dialect: Dialect, key: &str, t: &Table) -> Block {
    if dialect == Dialect::Mysql {
        return super::mysql_partitions::partition_block(key, t);
    }
    let mut b = Block::builder(ident("partition"));
    let Some((strategy, parts)) = decompose(key, t) else {
        return b.attribute(hattr("as", key)).build();
    };
    b = b.attribute(hattr("type", word(&strategy)));
    if parts.iter().all(|p| matches!(p, IndexKey::Column(_))) {
        let cols = parts.iter().filter_map(|p| match p {
            IndexKey::Column(c) => Some(reference(&["column", c])),
            IndexKey::Expr(_) => None,
        });
        return b.attribute(hattr("columns", list(cols.collect()))).build();
    }
    for p in &parts {
        let by = Block::builder(ident("by"));
        b = b.block(match p {
            IndexKey::Column(c) => by.attribute(hattr("column", reference(&["column", c]))).build(),
            IndexKey::Expr(e) => by.attribute(hattr("expr", e.as_str())).build(),
        });
    }
    b.build()
}

/// The `partition_of` block of a partition of `s`.
pub(super) fn partition_of_block(realm: &Realm, s: &Schema, p: &PartitionOf) -> Block {
    let parent = if p.schema != s.name || realm.schemas.len() > 1 {
        reference(&["table", &p.schema, &p.table])
    } else {
        reference(&["table", &p.table])
    };
    Block::builder(ident("partition_of"))
        .attribute(hattr("table", parent))
        .attribute(hattr("bound", p.bound.as_str()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::table_of as cols;

    #[test]
    fn keys_of_columns_and_expressions_come_apart_and_back() {
        let (s, parts) = decompose("RANGE (created_at)", &cols(&["created_at"])).unwrap();
        assert_eq!((s.as_str(), parts), ("RANGE", vec![IndexKey::Column("created_at".into())]));
        let (_, parts) = decompose("LIST (\"Region\", lower(name))", &cols(&["Region", "name"])).unwrap();
        assert_eq!(parts, vec![IndexKey::Column("Region".into()), IndexKey::Expr("lower(name)".into())]);
        assert_eq!(decompose("HASH (id int4_ops)", &cols(&["id"])), None, "an operator class is kept whole");
        assert_eq!(decompose("RANGE (gone)", &cols(&["id"])), None, "not a column of the table: kept whole");
    }
}
