//! The model as canonical HCL: schemas, then per schema enums, domains, sequences, functions,
//! tables, views, triggers, policies, extensions, events, permissions and owners, each sorted,
//! laid out by [`super::format`].

use hcl_edit::expr::{Array, Expression, FuncArgs, FuncCall, Traversal, TraversalOperator};
use hcl_edit::structure::{Attribute, Block, BlockLabel, Body};
use hcl_edit::{Decorated, Ident};

use super::events::event_block;
use super::format::format_body;
use super::functions::function_block;
use super::policies::policy_block;
use super::privileges::{owner_blocks, permission_blocks};
pub(super) use super::strings::text;
use super::writer_table::table_block;
use crate::{Domain, EnumType, Extension, Realm, Schema, Sequence, Trigger, View};

/// What the HCL form cannot write of a model: names that hcl-edit cannot encode as a block
/// label (see [`super::strings`]), so that output which would read back differently is
/// refused by name, not written.
pub fn uncovered(realm: &Realm) -> Vec<String> {
    let mut out = Vec::new();
    blocks(realm, |b| unencodable_labels(&b, "", &mut out));
    out
}

/// Lists `b` and the blocks inside it (in `within`) whose labels do not read back the same.
fn unencodable_labels(b: &Block, within: &str, out: &mut Vec<String>) {
    let mut here = b.ident.as_str().to_string();
    for l in &b.labels {
        here.push_str(&format!(" {:?}", l.as_str()));
    }
    here.push_str(within);
    if b.labels.iter().any(|l| !super::strings::label_fits(l.as_str())) {
        out.push(format!("the name of {here} (HCL cannot write it as a block label)"));
    }
    for inner in b.body.blocks() {
        unencodable_labels(inner, &format!(" in {here}"), out);
    }
}

/// The realm as HCL text that [`super::load`] reads back to the same model. Callers check
/// [`uncovered`] first (or use [`write_checked`]): a name it lists would read back differently.
pub fn write(realm: &Realm) -> String {
    let mut out = String::new();
    blocks(realm, |b| append(&mut out, b));
    out
}

/// The realm as HCL text, or what the HCL form cannot write of it ([`uncovered`]), in one
/// pass over its blocks rather than one to check and one to write.
pub fn write_checked(realm: &Realm) -> Result<String, Vec<String>> {
    let (mut out, mut lost) = (String::new(), Vec::new());
    blocks(realm, |b| {
        unencodable_labels(&b, "", &mut lost);
        if lost.is_empty() {
            append(&mut out, b);
        }
    });
    if lost.is_empty() {
        Ok(out)
    } else {
        Err(lost)
    }
}

/// Lays out one top-level block alone and appends it; blocks are joined by a blank line, as
/// one body would be.
fn append(out: &mut String, b: Block) {
    if !out.is_empty() {
        out.push('\n');
    }
    let mut body = Body::new();
    body.push(b);
    out.push_str(&format_body(&mut body));
}

/// Hands the realm's top-level blocks to `each` in canonical order, one at a time: a large
/// catalog is never held as one HCL document (at 10,000 tables that took 584 MB).
fn blocks(realm: &Realm, mut each: impl FnMut(Block)) {
    let mut realm = realm.clone();
    realm.normalize();
    for s in &realm.schemas {
        let mut b = Block::builder(ident("schema")).label(label(&s.name));
        if let Some(c) = &s.comment {
            b = b.attribute(attr("comment", c.as_str()));
        }
        each(b.build());
    }
    for s in &realm.schemas {
        for e in &s.enums {
            each(enum_block(s, e));
        }
        for d in &s.domains {
            each(domain_block(&realm, s, d));
        }
        for q in &s.sequences {
            each(sequence_block(&realm, s, q));
        }
        for f in &s.functions {
            each(function_block(s, f));
        }
        for t in &s.tables {
            each(table_block(&realm, s, t));
        }
        for v in &s.views {
            each(view_block(s, v));
        }
        for t in &s.triggers {
            each(trigger_block(&realm, s, t));
        }
        for t in &s.tables {
            for p in &t.policies {
                each(policy_block(&realm, s, &t.name, p));
            }
        }
        for e in &s.extensions {
            each(extension_block(s, e));
        }
        for e in &s.events {
            each(event_block(s, e));
        }
        for b in permission_blocks(&realm, s).into_iter().chain(owner_blocks(&realm, s)) {
            each(b);
        }
    }
}

/// An identifier (names are checked by callers or are fixed keywords).
pub(super) fn ident(name: &str) -> Ident {
    Ident::new_sanitized(name)
}

/// A string block label.
pub(super) fn label(name: &str) -> BlockLabel {
    BlockLabel::String(Decorated::new(name.to_string()))
}

/// What an attribute's value is made from. Text goes through [`text`], so that no string
/// reaches the file in a form that reads back differently.
pub(super) trait Value {
    /// The value as an expression.
    fn expr(self) -> Expression;
}

impl Value for Expression {
    fn expr(self) -> Expression {
        self
    }
}

impl Value for &str {
    fn expr(self) -> Expression {
        text(self)
    }
}

impl Value for &String {
    fn expr(self) -> Expression {
        text(self)
    }
}

impl Value for bool {
    fn expr(self) -> Expression {
        Expression::from(self)
    }
}

/// An attribute.
pub(super) fn attr(key: &str, value: impl Value) -> Attribute {
    Attribute::new(ident(key), value.expr())
}

/// A bare word (`CASCADE`) where the text is an identifier, else a string.
pub(super) fn word(s: &str) -> Expression {
    match Ident::try_new(s) {
        Ok(i) if !["true", "false", "null"].contains(&s) => Expression::Variable(Decorated::new(i)),
        _ => text(s),
    }
}

/// `sql("text")`.
pub(super) fn sql(s: &str) -> Expression {
    let mut args = FuncArgs::new();
    args.push(text(s));
    Expression::FuncCall(Box::new(FuncCall::new(ident("sql"), args)))
}

/// A reference such as `table.users.column.id`; names that are not identifiers are indexed
/// with strings (`table["my table"]`).
pub(super) fn reference(parts: &[&str]) -> Expression {
    let root = Expression::Variable(Decorated::new(ident(parts[0])));
    if parts.len() == 1 {
        return root;
    }
    let ops = parts[1..]
        .iter()
        .map(|p| {
            Decorated::new(match Ident::try_new(*p) {
                Ok(i) => TraversalOperator::GetAttr(Decorated::new(i)),
                Err(_) => TraversalOperator::Index(text(p)),
            })
        })
        .collect();
    Expression::Traversal(Box::new(Traversal::new(root, ops)))
}

/// `schema = schema.NAME`.
pub(super) fn schema_attr(s: &Schema) -> Attribute {
    attr("schema", reference(&["schema", &s.name]))
}

/// A list expression.
pub(super) fn list(items: Vec<Expression>) -> Expression {
    let mut a = Array::new();
    for i in items {
        a.push(i);
    }
    Expression::Array(a)
}

/// A list of strings.
pub(super) fn texts(items: &[String]) -> Expression {
    list(items.iter().map(|i| text(i)).collect())
}

/// A whole number, with a leading minus where negative.
pub(super) fn int(n: i64) -> Expression {
    Expression::from(n)
}

fn enum_block(s: &Schema, e: &EnumType) -> Block {
    let mut b = Block::builder(ident("enum"))
        .label(label(&e.name))
        .attribute(schema_attr(s))
        .attribute(attr("values", texts(&e.values)));
    if let Some(c) = &e.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    b.build()
}

fn domain_block(realm: &Realm, s: &Schema, d: &Domain) -> Block {
    let mut b = Block::builder(ident("domain"))
        .label(label(&d.name))
        .attribute(schema_attr(s))
        .attribute(attr("type", super::writer_table::type_expr(realm, s, &d.ty)))
        .attribute(attr("null", d.nullable));
    if let Some(v) = &d.default {
        b = b.attribute(attr("default", super::writer_table::default_value(realm.dialect, v)));
    }
    if let Some(c) = &d.collation {
        b = b.attribute(attr("collate", c.as_str()));
    }
    for c in &d.checks {
        b = b.block(super::writer_table::check_block(c));
    }
    if let Some(c) = &d.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    b.build()
}

fn sequence_block(realm: &Realm, s: &Schema, q: &Sequence) -> Block {
    let ty = crate::ColumnType::new(q.data_type.clone());
    let mut b = Block::builder(ident("sequence"))
        .label(label(&q.name))
        .attribute(schema_attr(s))
        .attribute(attr("type", super::writer_table::type_expr(realm, s, &ty)))
        .attribute(attr("start", int(q.start)))
        .attribute(attr("increment", int(q.increment)))
        .attribute(attr("min_value", int(q.min_value)))
        .attribute(attr("max_value", int(q.max_value)))
        .attribute(attr("cache", int(q.cache)))
        .attribute(attr("cycle", q.cycle));
    if let Some((os, ot, oc)) = &q.owned_by {
        b = b.attribute(attr("owned_by", reference(&["table", os, ot, "column", oc])));
    }
    if let Some(c) = &q.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    b.build()
}

fn view_block(s: &Schema, v: &View) -> Block {
    let kind = if v.materialized { "materialized" } else { "view" };
    let mut b = Block::builder(ident(kind))
        .label(label(&v.name))
        .attribute(schema_attr(s))
        .attribute(attr("as", v.definition.as_str()));
    for (k, val) in [("algorithm", &v.algorithm), ("security", &v.security), ("check_option", &v.check_option)] {
        if let Some(x) = val {
            b = b.attribute(attr(k, word(x)));
        }
    }
    let mut columns: Vec<&str> = Vec::new();
    for i in &v.indexes {
        let keys = i.parts.iter().filter_map(|p| match &p.key {
            crate::IndexKey::Column(c) => Some(c.as_str()),
            crate::IndexKey::Expr(_) => None,
        });
        for c in keys.chain(i.include.iter().map(|c| c.as_str())) {
            if !columns.contains(&c) {
                columns.push(c);
            }
        }
    }
    for c in columns {
        // The columns the indexes name, so their references resolve.
        b = b.block(Block::builder(ident("column")).label(label(c)).build());
    }
    for i in &v.indexes {
        b = b.block(super::writer_table::index_block(i));
    }
    if let Some(c) = &v.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    b.build()
}

fn trigger_block(realm: &Realm, s: &Schema, t: &Trigger) -> Block {
    let on = if realm.schemas.len() > 1 {
        reference(&["table", &s.name, &t.table])
    } else {
        reference(&["table", &t.table])
    };
    let mut b = Block::builder(ident("trigger"))
        .label(label(&t.name))
        .attribute(schema_attr(s))
        .attribute(attr("on", on))
        .attribute(attr("as", t.definition.as_str()));
    if let Some(c) = &t.comment {
        b = b.attribute(attr("comment", c.as_str()));
    }
    b.build()
}

fn extension_block(s: &Schema, e: &Extension) -> Block {
    let mut b = Block::builder(ident("extension")).label(label(&e.name)).attribute(schema_attr(s));
    if let Some(v) = &e.version {
        b = b.attribute(attr("version", v.as_str()));
    }
    b.build()
}
