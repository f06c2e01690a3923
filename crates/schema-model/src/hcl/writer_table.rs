//! Tables as HCL: columns, keys, indexes, foreign keys, checks and options; types and
//! defaults in the simplest form that reads back to the same model.

use hcl_edit::expr::{Expression, FuncArgs, FuncCall};
use hcl_edit::structure::Block;

use super::exclusion::exclusion_block;
use super::partition::{partition_block, partition_of_block};
use super::types::{default_bounds, postgres_type_ref};
use super::writer::{attr, ident, int, label, list, reference, schema_attr, sql, text, texts, word};
use crate::types::{canonical_type, TypeSpec};
use crate::{
    quote_literal, Check, Column, ColumnType, Deferrable, Dialect, ForeignKey, Identity, Index, IndexKey, Realm,
    RefAction, Schema, Table,
};

/// A `table` block.
pub(super) fn table_block(realm: &Realm, s: &Schema, t: &Table) -> Block {
    let mut b = Block::builder(ident("table")).label(label(&t.name)).attribute(schema_attr(s));
    for c in &t.columns {
        b = b.block(column_block(realm, s, c));
    }
    if let Some(pk) = &t.primary_key {
        let mut k = Block::builder(ident("primary_key"));
        if let Some(n) = &pk.name {
            k = k.label(label(n));
        }
        k = k.attribute(attr("columns", columns(&pk.columns)));
        if let Some(d) = deferrable(pk.deferrable) {
            k = k.attribute(attr("deferrable", word(d)));
        }
        if let Some(c) = &pk.comment {
            k = k.attribute(attr("comment", c.as_str()));
        }
        b = b.block(k.build());
    }
    for u in &t.uniques {
        let mut k = Block::builder(ident("unique"));
        if let Some(n) = &u.name {
            k = k.label(label(n));
        }
        k = k.attribute(attr("columns", columns(&u.columns)));
        if !u.include.is_empty() {
            k = k.attribute(attr("include", columns(&u.include)));
        }
        if u.nulls_not_distinct {
            k = k.attribute(attr("nulls_distinct", false));
        }
        if let Some(d) = deferrable(u.deferrable) {
            k = k.attribute(attr("deferrable", word(d)));
        }
        if let Some(c) = &u.comment {
            k = k.attribute(attr("comment", c.as_str()));
        }
        b = b.block(k.build());
    }
    for fk in &t.foreign_keys {
        b = b.block(foreign_key_block(s, fk));
    }
    for i in &t.indexes {
        b = b.block(index_block(i));
    }
    for c in &t.checks {
        b = b.block(check_block(c));
    }
    for x in &t.exclusions {
        b = b.block(exclusion_block(t, x));
    }
    if let Some(k) = &t.partition_by {
        b = b.block(partition_block(realm.dialect, k, t));
    }
    if let Some(p) = &t.partition_of {
        b = b.block(partition_of_block(realm, s, p));
    }
    let o = &t.options;
    if o.row_security || o.force_row_security {
        let mut r = Block::builder(ident("row_security")).attribute(attr("enabled", o.row_security));
        if o.force_row_security {
            r = r.attribute(attr("enforced", true));
        }
        b = b.block(r.build());
    }
    if o.without_rowid {
        b = b.attribute(attr("without_rowid", true));
    }
    if o.strict {
        b = b.attribute(attr("strict", true));
    }
    for (k, v) in
        [("engine", &o.engine), ("charset", &o.charset), ("collate", &o.collation), ("row_format", &o.row_format)]
    {
        if let Some(v) = v {
            b = b.attribute(attr(k, word(v)));
        }
    }
    if let Some(n) = o.key_block_size {
        b = b.attribute(attr("key_block_size", int(i64::from(n))));
    }
    if let Some(c) = &t.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    if let Some(r) = &t.renamed_from {
        b = b.attribute(attr("renamed_from", r.as_str()));
    }
    b.build()
}

fn column_block(realm: &Realm, s: &Schema, c: &Column) -> Block {
    let mut b = Block::builder(ident("column"))
        .label(label(&c.name))
        .attribute(attr("null", c.nullable))
        .attribute(attr("type", type_expr(realm, s, &c.ty)));
    if let Some(d) = &c.default {
        b = b.attribute(attr("default", default_value(realm.dialect, d)));
    }
    if let Some(x) = &c.collation {
        b = b.attribute(attr("collate", x.as_str()));
    }
    if c.auto_increment {
        b = b.attribute(attr("auto_increment", true));
    }
    if let Some(u) = &c.on_update {
        b = b.attribute(attr("on_update", sql(u)));
    }
    if c.invisible {
        b = b.attribute(attr("invisible", true));
    }
    if let Some(g) = &c.generated {
        b = b.block(
            Block::builder(ident("as"))
                .attribute(attr("expr", g.expr.as_str()))
                .attribute(attr("type", word(if g.stored { "STORED" } else { "VIRTUAL" })))
                .build(),
        );
    }
    if let Some(i) = &c.identity {
        b = b.block(identity_block(i, &c.ty.canonical));
    }
    if let Some(x) = &c.comment {
        b = b.attribute(attr("comment", x.as_str()));
    }
    if let Some(r) = &c.renamed_from {
        b = b.attribute(attr("renamed_from", r.as_str()));
    }
    b.build()
}

fn identity_block(i: &Identity, ty: &str) -> Block {
    let mut b = Block::builder(ident("identity"))
        .attribute(attr("generated", word(if i.always { "ALWAYS" } else { "BY_DEFAULT" })))
        .attribute(attr("start", int(i.start)))
        .attribute(attr("increment", int(i.increment)));
    let (min, max) = default_bounds(ty, i.increment);
    if i.min_value != min {
        b = b.attribute(attr("min_value", int(i.min_value)));
    }
    if i.max_value != max {
        b = b.attribute(attr("max_value", int(i.max_value)));
    }
    if i.cache != 1 {
        b = b.attribute(attr("cache", int(i.cache)));
    }
    if i.cycle {
        b = b.attribute(attr("cycle", true));
    }
    b.build()
}

/// A type in the simplest form that reads back the same: `enum.E`, a bare word, a bare call,
/// or `sql("...")`.
pub(super) fn type_expr(realm: &Realm, s: &Schema, ty: &ColumnType) -> Expression {
    let d = realm.dialect;
    if d == Dialect::Postgres {
        for es in &realm.schemas {
            for e in &es.enums {
                if postgres_type_ref(&es.name, &e.name) == ty.canonical {
                    return if es.name == s.name {
                        reference(&["enum", &e.name])
                    } else {
                        reference(&["enum", &es.name, &e.name])
                    };
                }
            }
        }
    }
    let written = if d == Dialect::Postgres { &ty.canonical } else { &ty.raw };
    if let Some(e) = bare_type(d, written) {
        return e;
    }
    sql(written)
}

/// `int`, `varchar(255)`, `enum("a","b")` when that spelling reads back to exactly `text`.
fn bare_type(d: Dialect, written: &str) -> Option<Expression> {
    let spec = TypeSpec::parse(written).ok()?;
    if spec.name.len() != 1 || !spec.modifiers.is_empty() || !spec.arrays.is_empty() {
        return None;
    }
    let name = hcl_edit::Ident::try_new(spec.name[0].as_str()).ok()?;
    if ["sql", "true", "false", "null"].contains(&name.as_str()) {
        return None;
    }
    let (expr, back) = if written.contains('(') {
        let mut args = FuncArgs::new();
        let mut back = Vec::new();
        for a in &spec.args {
            if let Ok(n) = a.parse::<i64>() {
                args.push(n);
                back.push(n.to_string());
            } else {
                let inner = a.strip_prefix('\'')?.strip_suffix('\'')?.replace("''", "'");
                back.push(quote_literal(d, &inner));
                args.push(text(&inner));
            }
        }
        let back = format!("{}({})", name.as_str(), back.join(","));
        (Expression::FuncCall(Box::new(FuncCall::new(name, args))), back)
    } else {
        (Expression::Variable(hcl_edit::Decorated::new(name)), spec.name[0].clone())
    };
    let same = if d == Dialect::Postgres { canonical_type(d, &back) == written } else { back == written };
    same.then_some(expr)
}

/// A default as a number or string where that reads back the same, else `sql("...")`.
pub(super) fn default_value(d: Dialect, written: &str) -> Expression {
    if let Ok(n) = written.parse::<i64>() {
        if n.to_string() == written {
            return int(n);
        }
    }
    if let Some(inner) = written.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        let s = inner.replace("''", "'");
        let s = if d == Dialect::Mysql { s.replace("\\\\", "\\") } else { s };
        if quote_literal(d, &s) == written {
            return text(&s);
        }
    }
    sql(written)
}

fn columns(cols: &[impl AsRef<str>]) -> Expression {
    list(cols.iter().map(|c| reference(&["column", c.as_ref()])).collect())
}

fn deferrable(d: Deferrable) -> Option<&'static str> {
    match d {
        Deferrable::NotDeferrable => None,
        Deferrable::InitiallyImmediate => Some("INITIALLY_IMMEDIATE"),
        Deferrable::InitiallyDeferred => Some("INITIALLY_DEFERRED"),
    }
}

fn action(a: RefAction) -> &'static str {
    match a {
        RefAction::NoAction => "NO_ACTION",
        RefAction::Restrict => "RESTRICT",
        RefAction::Cascade => "CASCADE",
        RefAction::SetNull => "SET_NULL",
        RefAction::SetDefault => "SET_DEFAULT",
    }
}

fn foreign_key_block(s: &Schema, fk: &ForeignKey) -> Block {
    let mut b = Block::builder(ident("foreign_key"));
    if let Some(n) = &fk.name {
        b = b.label(label(n));
    }
    let schema = fk.ref_schema.as_deref().unwrap_or(&s.name);
    let target = |c: &str| -> Expression {
        if fk.ref_schema.is_some() {
            reference(&["table", schema, &fk.ref_table, "column", c])
        } else {
            reference(&["table", &fk.ref_table, "column", c])
        }
    };
    b = b.attribute(attr("columns", columns(&fk.columns)));
    if fk.ref_columns.is_empty() {
        let t = if fk.ref_schema.is_some() {
            reference(&["table", schema, &fk.ref_table])
        } else {
            reference(&["table", &fk.ref_table])
        };
        b = b.attribute(attr("ref_table", t));
    } else {
        b = b.attribute(attr("ref_columns", list(fk.ref_columns.iter().map(|c| target(c)).collect())));
    }
    b = b
        .attribute(attr("on_update", word(action(fk.on_update))))
        .attribute(attr("on_delete", word(action(fk.on_delete))));
    if let Some(d) = deferrable(fk.deferrable) {
        b = b.attribute(attr("deferrable", word(d)));
    }
    if fk.match_full {
        b = b.attribute(attr("match", word("FULL")));
    }
    if fk.not_valid {
        b = b.attribute(attr("not_valid", true));
    }
    if let Some(c) = &fk.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    b.build()
}

/// An `index` block; plain column keys are written as `columns`, anything else as `on` parts.
pub(super) fn index_block(i: &Index) -> Block {
    let mut b = Block::builder(ident("index")).label(label(&i.name));
    if i.unique {
        b = b.attribute(attr("unique", true));
    }
    let plain = i.parts.iter().all(|p| {
        matches!(p.key, IndexKey::Column(_))
            && !p.desc
            && p.collation.is_none()
            && p.nulls_first.is_none()
            && p.opclass.is_none()
            && p.prefix.is_none()
    });
    if plain {
        let cols: Vec<&str> = i
            .parts
            .iter()
            .filter_map(|p| match &p.key {
                IndexKey::Column(c) => Some(c.as_str()),
                IndexKey::Expr(_) => None,
            })
            .collect();
        b = b.attribute(attr("columns", columns(&cols)));
    } else {
        for p in &i.parts {
            let mut on = Block::builder(ident("on"));
            on = match &p.key {
                IndexKey::Column(c) => on.attribute(attr("column", reference(&["column", c]))),
                IndexKey::Expr(e) => on.attribute(attr("expr", e.as_str())),
            };
            if p.desc {
                on = on.attribute(attr("desc", true));
            }
            if let Some(c) = &p.collation {
                on = on.attribute(attr("collate", c.as_str()));
            }
            if let Some(o) = &p.opclass {
                on = on.attribute(attr("ops", word(o)));
            }
            if let Some(n) = p.nulls_first {
                on = on.attribute(attr("nulls_first", n));
            }
            if let Some(n) = p.prefix {
                on = on.attribute(attr("prefix", int(n as i64)));
            }
            b = b.block(on.build());
        }
    }
    if let Some(w) = &i.predicate {
        b = b.attribute(attr("where", w.as_str()));
    }
    if let Some(m) = &i.method {
        b = b.attribute(attr("type", word(m)));
    }
    if !i.include.is_empty() {
        b = b.attribute(attr("include", columns(&i.include)));
    }
    if i.nulls_not_distinct {
        b = b.attribute(attr("nulls_distinct", false));
    }
    if !i.storage.is_empty() {
        b = b.attribute(attr("storage", texts(&i.storage)));
    }
    if let Some(c) = &i.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    b.build()
}

/// A `check` block.
pub(super) fn check_block(c: &Check) -> Block {
    let mut b = Block::builder(ident("check"));
    if let Some(n) = &c.name {
        b = b.label(label(n));
    }
    b = b.attribute(attr("expr", c.expr.as_str()));
    if c.not_valid {
        b = b.attribute(attr("not_valid", true));
    }
    if c.no_inherit {
        b = b.attribute(attr("no_inherit", true));
    }
    if let Some(x) = &c.comment {
        b = b.attribute(attr("comment", x.as_str()));
    }
    b.build()
}
