//! MySQL/MariaDB partitioning in HCL, in Atlas's form: a table's `partition` block with `type`
//! (`RANGE`, `LIST`, `HASH`, `KEY`, and `linear = true`), the key as `columns` (`RANGE COLUMNS`,
//! `LIST COLUMNS`, `KEY`) or one `by { column | expr }` (`RANGE`, `LIST`, `HASH`), and the
//! partitions as nested `partition "name" { values_less_than | values_in }` blocks, or
//! `partitions = n` for the `p0`..`pN` that `PARTITIONS n` makes. A key or bound the parts
//! cannot say exactly is written whole (`as`, `bound`).

use hcl_edit::structure::Block;
use hcl_edit::Span;

use super::constraints::{own_columns, read_key};
use super::partition::{no_key, partition_type, whole_key};
use super::references::{Symbols, TableSym};
use super::sql_parts::{closing_paren, split_top};
use super::values::{attr, Ctx};
use super::writer::{attr as hattr, ident, int, label, list, reference, texts, word};
use crate::partition::{is_hashed, server_named};
use crate::sql::SourceError;
use crate::{quote_ident, Dialect, IndexKey, Partition, Table};

/// The partitioning kinds.
const KINDS: &[&str] = &["RANGE", "LIST", "HASH", "KEY"];

/// The clauses a partition's bound is written in, and the attribute that holds its values.
const BOUNDS: &[(&str, &str)] = &[("VALUES LESS THAN (", "values_less_than"), ("VALUES IN (", "values_in")];

/// A key taken apart: its kind, `LINEAR`, and its columns or its one expression part.
#[derive(Debug, PartialEq)]
struct Parts {
    kind: String,
    linear: bool,
    columns: Option<Vec<String>>,
    by: Option<IndexKey>,
}

fn q(name: &str) -> String {
    quote_ident(Dialect::Mysql, name)
}

/// The name a whole text spells as one backquoted identifier.
fn backquoted(text: &str) -> Option<String> {
    let name = text.strip_prefix('`')?.strip_suffix('`')?.replace("``", "`");
    (q(&name) == text).then_some(name)
}

/// `RANGE COLUMNS (`a`,`b`)`, `LINEAR HASH (expr)`, `KEY ()`: the key as the server reports it.
fn compose(p: &Parts) -> String {
    let method = match (&p.columns, p.kind.as_str()) {
        (Some(_), "RANGE" | "LIST") => format!("{} COLUMNS", p.kind),
        _ if p.linear => format!("LINEAR {}", p.kind),
        _ => p.kind.clone(),
    };
    let inner = match (&p.columns, &p.by) {
        (Some(cols), _) => cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(","),
        (None, Some(IndexKey::Column(c))) => q(c),
        (None, Some(IndexKey::Expr(e))) => e.clone(),
        (None, None) => String::new(),
    };
    format!("{method} ({inner})")
}

/// The parts of a key, when they compose back to exactly the same text.
fn decompose(key: &str, t: &Table) -> Option<Parts> {
    let open = key.find(" (")? + 1;
    if closing_paren(key, open)? != key.len() - 1 {
        return None;
    }
    let method = &key[..open - 1];
    let inner = &key[open + 1..key.len() - 1];
    let (linear, rest) = match method.strip_prefix("LINEAR ") {
        Some(rest) => (true, rest),
        None => (false, method),
    };
    let (kind, by_columns) = match rest.strip_suffix(" COLUMNS") {
        Some(kind) => (kind, true),
        None => (rest, rest == "KEY"),
    };
    if !KINDS.contains(&kind) {
        return None;
    }
    let own = |text: &str| backquoted(text).filter(|c| t.column(c).is_some());
    let parts = if by_columns {
        let cols = if inner.is_empty() { Some(vec![]) } else { split_top(inner, ",").into_iter().map(own).collect() };
        Parts { kind: kind.into(), linear, columns: Some(cols?), by: None }
    } else {
        let by = own(inner).map(|c| IndexKey::Column(c.into())).unwrap_or_else(|| IndexKey::Expr(inner.to_string()));
        Parts { kind: kind.into(), linear, columns: None, by: Some(by) }
    };
    (compose(&parts) == key).then_some(parts)
}

/// The key and partitions of a MySQL `partition` block of the table `own`.
pub(super) fn read(
    ctx: &Ctx,
    syms: &Symbols,
    b: &Block,
    own: &TableSym,
) -> Result<(String, Vec<Partition>), SourceError> {
    let body = &b.body;
    ctx.check_body(body, "partition", &["type", "linear", "columns", "as", "partitions"], &["by", "partition"])?;
    let key = match whole_key(ctx, b, &["type", "linear", "columns"])? {
        Some(k) => k,
        None => read_key_parts(ctx, syms, b, own)?,
    };
    Ok((key.clone(), read_list(ctx, b, &key)?))
}

/// `type` with `linear`, `columns` or `by`, composed to the key.
fn read_key_parts(ctx: &Ctx, syms: &Symbols, b: &Block, own: &TableSym) -> Result<String, SourceError> {
    let body = &b.body;
    let help = "write type = RANGE, LIST, HASH or KEY (and linear = true for LINEAR HASH or LINEAR KEY)";
    let kind = partition_type(ctx, b, KINDS, help)?;
    let hashed = kind == "HASH" || kind == "KEY";
    let linear = match attr(body, "linear") {
        Some(a) if !hashed => return Err(refused(ctx, a.key.span(), "`linear` is for HASH and KEY partitioning")),
        Some(a) => ctx.bool(a)?,
        None => false,
    };
    let columns = attr(body, "columns").map(|a| own_columns(ctx, syms, a, own).map(|c| (a, c))).transpose()?;
    let mut bys = body.get_blocks("by");
    let by = bys.next().map(|by| read_key(ctx, syms, by, own, &[]).map(|k| (by, k))).transpose()?;
    if let Some(again) = bys.next() {
        return Err(refused(ctx, again.ident.span(), "MySQL partitions by one expression"));
    }
    match (&columns, &by, kind.as_str()) {
        (Some((a, _)), _, "HASH") => {
            return Err(refused(ctx, a.key.span(), "HASH partitions by an expression: write by { expr = \"...\" }"))
        }
        (_, Some((by, _)), "KEY") => return Err(refused(ctx, by.ident.span(), "KEY partitions by `columns`")),
        (Some(_), Some((by, _)), _) => {
            return Err(refused(ctx, by.ident.span(), "the key is `columns` or `by`, not both"))
        }
        (None, None, "RANGE" | "LIST" | "HASH") => return Err(no_key(ctx, b)),
        _ => {}
    }
    let parts = Parts {
        kind,
        linear,
        columns: columns.map(|(_, c)| c.into_iter().map(String::from).collect()),
        by: by.map(|(_, k)| k),
    };
    Ok(compose(&parts))
}

/// An error about a key MySQL cannot take.
fn refused(ctx: &Ctx, span: Option<std::ops::Range<usize>>, why: &str) -> SourceError {
    ctx.err(
        span,
        why,
        "not for this key",
        "MySQL partitions RANGE and LIST by `columns` or one `by`, HASH by one `by`, KEY by `columns`",
    )
}

/// The partitions of a `partition` block: `partitions = n`, or `partition "name"` blocks.
fn read_list(ctx: &Ctx, b: &Block, key: &str) -> Result<Vec<Partition>, SourceError> {
    let hashed = is_hashed(key);
    if let Some(a) = attr(&b.body, "partitions") {
        if let Some(p) = b.body.get_blocks("partition").next() {
            return Err(ctx.err(
                p.ident.span(),
                "partitions are counted (`partitions = n`) or listed, not both",
                "listed here",
                "keep partitions = n, or list every partition",
            ));
        }
        let n = ctx.int(a)?;
        if !hashed || n < 1 {
            return Err(ctx.err(
                a.value.span(),
                "`partitions = n` counts the partitions of HASH and KEY partitioning",
                "not a count of hashed partitions",
                "write a positive count for HASH or KEY, or list RANGE and LIST partitions by name",
            ));
        }
        return Ok((0..n).map(|i| Partition { name: format!("p{i}"), bound: None }).collect());
    }
    let mut out: Vec<Partition> = Vec::new();
    for p in b.body.get_blocks("partition") {
        let name = ctx.label(p)?;
        ctx.check_body(&p.body, &format!("partition {name:?}"), &["values_less_than", "values_in", "bound"], &[])?;
        if out.iter().any(|o| o.name == name) {
            return Err(ctx.err(
                p.labels.first().and_then(|l| l.span()),
                format!("partition {name:?} is declared twice"),
                "declared again here",
                "partition names are unique per table",
            ));
        }
        let mut bound = None;
        for (clause, key) in BOUNDS {
            if let Some(a) = attr(&p.body, key) {
                bound = Some(format!("{clause}{})", ctx.strings(a)?.join(",")));
            }
        }
        if let Some(a) = attr(&p.body, "bound") {
            bound = Some(ctx.sql_text(a)?);
        }
        let given = BOUNDS.iter().map(|(_, k)| *k).chain(["bound"]).filter(|k| attr(&p.body, k).is_some()).count();
        if given > 1 || (hashed && given > 0) {
            let (why, help) = if hashed {
                ("HASH and KEY partitions hold no values", "remove its values (HASH and KEY partitions are named only)")
            } else {
                ("a partition has one bound", "keep one of values_less_than, values_in and bound")
            };
            let at = p.labels.first().and_then(|l| l.span());
            return Err(ctx.err(at, format!("partition {name:?}: {why}"), "here", help));
        }
        out.push(Partition { name, bound });
    }
    Ok(out)
}

/// The MySQL `partition` block of table `t`, partitioned by `key`.
pub(super) fn partition_block(key: &str, t: &Table) -> Block {
    let mut b = Block::builder(ident("partition"));
    match decompose(key, t) {
        None => b = b.attribute(hattr("as", key)),
        Some(p) => {
            b = b.attribute(hattr("type", word(&p.kind)));
            if p.linear {
                b = b.attribute(hattr("linear", true));
            }
            if let Some(cols) = &p.columns {
                if !cols.is_empty() {
                    b = b.attribute(hattr("columns", list(cols.iter().map(|c| reference(&["column", c])).collect())));
                }
            }
            let by = Block::builder(ident("by"));
            match &p.by {
                Some(IndexKey::Column(c)) => {
                    b = b.block(by.attribute(hattr("column", reference(&["column", c]))).build())
                }
                Some(IndexKey::Expr(e)) => b = b.block(by.attribute(hattr("expr", e)).build()),
                None => {}
            }
        }
    }
    if is_hashed(key) && !t.partitions.is_empty() && server_named(&t.partitions) {
        return b.attribute(hattr("partitions", int(t.partitions.len() as i64))).build();
    }
    for p in &t.partitions {
        let mut pb = Block::builder(ident("partition")).label(label(&p.name));
        if let Some(bound) = &p.bound {
            let split = BOUNDS.iter().find_map(|(clause, key)| {
                let inner = bound.strip_prefix(clause)?.strip_suffix(')')?;
                let items: Vec<String> = split_top(inner, ",").into_iter().map(str::to_string).collect();
                (closing_paren(bound, clause.len() - 1) == Some(bound.len() - 1)).then_some((key, items))
            });
            pb = match split {
                Some((key, items)) => pb.attribute(hattr(key, texts(&items))),
                None => pb.attribute(hattr("bound", bound)),
            };
        }
        b = b.block(pb.build());
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_as_mariadb_reports_them_come_apart_and_back() {
        let c = super::super::table_of(&["yr", "d", "a b"]);
        for key in
            ["RANGE (`yr`)", "LIST COLUMNS (`yr`,`a b`)", "LINEAR HASH (to_days(`d`))", "KEY ()", "LINEAR KEY (`d`)"]
        {
            let p = decompose(key, &c).unwrap_or_else(|| panic!("{key}"));
            assert_eq!(compose(&p), key);
        }
        let p = decompose("RANGE COLUMNS (`d`)", &c).unwrap();
        assert_eq!((p.kind.as_str(), p.columns), ("RANGE", Some(vec!["d".to_string()])));
        assert_eq!(decompose("RANGE (`yr`)", &c).unwrap().by, Some(IndexKey::Column("yr".into())));
        assert_eq!(decompose("KEY (`gone`)", &c), None, "not a column of the table: kept whole");
        assert_eq!(decompose("SYSTEM_TIME (x)", &c), None);
    }
}
