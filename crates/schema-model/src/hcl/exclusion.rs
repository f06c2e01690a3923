//! Exclusion constraints in HCL (PostgreSQL): Atlas's `exclude "name" { type, on { column |
//! expr, op }, where }`, or `as` with the whole `EXCLUDE ...` text where the parts cannot say it
//! (operator classes, `INCLUDE`, `DEFERRABLE`).

use hcl_edit::structure::Block;
use hcl_edit::Span;

use super::constraints::read_key;
use super::references::{Symbols, TableSym};
use super::sql_parts::{closing_paren, identifier, key_expr, quoted, split_top};
use super::table::opt_string;
use super::values::{attr, Ctx};
use super::writer::{attr as hattr, ident, label, reference, word};
use crate::sql::SourceError;
use crate::{Exclusion, IndexKey, Table};

/// One element: a column or expression and the operator rows must not all match under.
#[derive(Debug, PartialEq)]
struct Element {
    /// A column name, or an expression as written.
    key: IndexKey,
    /// The operator (`=`, `&&`).
    op: String,
}

/// The parts Atlas's form carries.
#[derive(Debug, PartialEq)]
struct Parts {
    method: String,
    elements: Vec<Element>,
    predicate: Option<String>,
}

/// `EXCLUDE USING gist (room WITH =) WHERE (...)`, as `pg_get_constraintdef` renders it.
fn compose(p: &Parts) -> String {
    let items: Vec<String> = p
        .elements
        .iter()
        .map(|e| {
            let key = match &e.key {
                IndexKey::Column(c) => quoted(c),
                IndexKey::Expr(x) => key_expr(x),
            };
            format!("{key} WITH {}", e.op)
        })
        .collect();
    let mut out = format!("EXCLUDE USING {} ({})", p.method, items.join(", "));
    if let Some(w) = &p.predicate {
        out.push_str(&format!(" WHERE ({w})"));
    }
    out
}

/// The parts of a rendered constraint, when they compose back to exactly the same text.
fn decompose(def: &str, t: &Table) -> Option<Parts> {
    let rest = def.strip_prefix("EXCLUDE USING ")?;
    let open = rest.find(" (")? + 1;
    let method = rest[..open - 1].to_string();
    let close = closing_paren(rest, open)?;
    let mut elements = Vec::new();
    for item in split_top(&rest[open + 1..close], ", ") {
        let pieces = split_top(item, " WITH ");
        let [key, op] = pieces.as_slice() else { return None };
        let key = match identifier(key) {
            Some(c) if t.column(&c).is_some() => IndexKey::Column(c.into()),
            _ => IndexKey::Expr(key.to_string()),
        };
        elements.push(Element { key, op: op.to_string() });
    }
    let tail = &rest[close + 1..];
    let predicate = match tail.strip_prefix(" WHERE (").and_then(|w| w.strip_suffix(')')) {
        Some(w) => Some(w.to_string()),
        None if tail.is_empty() => None,
        None => return None,
    };
    let parts = Parts { method, elements, predicate };
    (compose(&parts) == def).then_some(parts)
}

/// `exclude "name" { ... }` of the table `own`.
pub(super) fn read_exclusion(ctx: &Ctx, syms: &Symbols, b: &Block, own: &TableSym) -> Result<Exclusion, SourceError> {
    let body = &b.body;
    let name = ctx.label(b)?;
    let what = format!("exclude {name:?}");
    ctx.check_body(body, &what, &["type", "where", "as", "comment"], &["on"])?;
    let comment = opt_string(ctx, body, "comment")?;
    if let Some(a) = attr(body, "as") {
        if let Some(k) = attr(body, "type").or_else(|| attr(body, "where")) {
            return Err(ctx.err(
                k.key.span(),
                format!("{what} is either `as` or `type` with `on` parts"),
                "not with `as`",
                "keep `as = \"EXCLUDE USING ...\"` alone, or drop it",
            ));
        }
        return Ok(Exclusion { name, definition: ctx.sql_text(a)?, comment });
    }
    let Some(t) = attr(body, "type") else {
        return Err(ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("{what} has no index type"),
            "declared here",
            "add type = GIST (or another access method)",
        ));
    };
    let mut elements = Vec::new();
    for on in body.get_blocks("on") {
        let key = read_key(ctx, syms, on, own, &["op"])?;
        let op = attr(&on.body, "op").ok_or_else(|| {
            ctx.err(on.ident.span(), "an exclusion element needs `op`", "this element", "add op = \"&&\"")
        })?;
        elements.push(Element { key, op: ctx.string(op)? });
    }
    if elements.is_empty() {
        return Err(ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("{what} has no elements"),
            "declared here",
            "add on { column = column.a, op = \"&&\" }",
        ));
    }
    let parts = Parts {
        method: ctx.word(t)?.to_ascii_lowercase(),
        elements,
        predicate: attr(body, "where").map(|a| ctx.sql_text(a)).transpose()?,
    };
    Ok(Exclusion { name, definition: compose(&parts), comment })
}

/// The `exclude` block of `x` on `t`.
pub(super) fn exclusion_block(t: &Table, x: &Exclusion) -> Block {
    let mut b = Block::builder(ident("exclude")).label(label(&x.name));
    match decompose(&x.definition, t) {
        Some(p) => {
            b = b.attribute(hattr("type", word(&p.method)));
            for e in &p.elements {
                let on = Block::builder(ident("on"));
                let on = match &e.key {
                    IndexKey::Column(c) => on.attribute(hattr("column", reference(&["column", c]))),
                    IndexKey::Expr(x) => on.attribute(hattr("expr", x.as_str())),
                };
                b = b.block(on.attribute(hattr("op", e.op.as_str())).build());
            }
            if let Some(w) = &p.predicate {
                b = b.attribute(hattr("where", w.as_str()));
            }
        }
        None => b = b.attribute(hattr("as", x.definition.as_str())),
    }
    if let Some(c) = &x.comment {
        b = b.attribute(hattr("comment", c.as_str()));
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_rendering_comes_apart_and_back() {
        let cols = super::super::table_of(&["room", "during"]);
        let p = decompose("EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0))", &cols).unwrap();
        assert_eq!(p.method, "gist");
        assert_eq!(p.elements[1], Element { key: IndexKey::Column("during".into()), op: "&&".into() });
        assert_eq!(p.predicate.as_deref(), Some("(room > 0)"));
        let p = decompose("EXCLUDE USING gist (lower(name) WITH =)", &cols).unwrap();
        assert_eq!(p.elements[0].key, IndexKey::Expr("lower(name)".into()));
        assert_eq!(decompose("EXCLUDE USING gist (room WITH =) DEFERRABLE", &cols), None);
        assert_eq!(decompose("EXCLUDE USING gist (room int4_ops WITH =)", &cols), None);
    }
}
