//! Reading attribute values (strings, numbers, booleans, identifiers, references, `sql()`)
//! with errors that point at the value in the user's file.

use std::ops::Range;

use hcl_edit::expr::{Expression, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::template::{Element, Strip};
use hcl_edit::Span;

use crate::sql::{SourceError, SourceFile};

/// One file being read: every error is made here, so each names the file, line and span.
pub(super) struct Ctx<'a> {
    /// The file.
    pub file: &'a SourceFile,
}

impl Ctx<'_> {
    /// An error at `span`, with a label under it and a help line.
    pub fn err(&self, span: Option<Range<usize>>, message: impl Into<String>, label: &str, help: &str) -> SourceError {
        let r = span.unwrap_or(0..0);
        self.file.error_at((r.start, r.end - r.start), message, label, Some(help.to_string()))
    }

    /// An error about a value of the wrong kind.
    pub fn expected(&self, attr: &Attribute, what: &str) -> SourceError {
        self.err(
            attr.value.span(),
            format!("attribute `{}` must be {what}", attr.key.as_str()),
            &format!("expected {what}"),
            &format!("write it as {}", example(what)),
        )
    }

    /// A string, a string template without interpolation, or a heredoc.
    pub fn string(&self, attr: &Attribute) -> Result<String, SourceError> {
        plain_string(&attr.value).ok_or_else(|| self.expected(attr, "a string"))
    }

    /// `true` or `false`.
    pub fn bool(&self, attr: &Attribute) -> Result<bool, SourceError> {
        match &attr.value {
            Expression::Bool(b) => Ok(*b.value()),
            _ => Err(self.expected(attr, "true or false")),
        }
    }

    /// A whole number, possibly negative.
    pub fn int(&self, attr: &Attribute) -> Result<i64, SourceError> {
        integer(&attr.value).ok_or_else(|| self.expected(attr, "a whole number"))
    }

    /// A bare identifier (`CASCADE`) or a string, as written.
    pub fn word(&self, attr: &Attribute) -> Result<String, SourceError> {
        match &attr.value {
            Expression::Variable(v) => Ok(v.as_str().to_string()),
            e => plain_string(e).ok_or_else(|| self.expected(attr, "a name")),
        }
    }

    /// A word of `choices` (`CASCADE`, `DAY`), upper case; another is an error with `message`
    /// (which names the word as `{}`), `label` and `help`.
    pub fn choice(
        &self,
        attr: &Attribute,
        choices: &[&str],
        message: &str,
        label: &str,
        help: &str,
    ) -> Result<String, SourceError> {
        let w = self.word(attr)?.to_ascii_uppercase();
        if choices.contains(&w.as_str()) {
            return Ok(w);
        }
        Err(self.err(attr.value.span(), message.replace("{}", &format!("{w:?}")), label, help))
    }

    /// An SQL expression: `sql("...")`, or a string holding one.
    pub fn sql_text(&self, attr: &Attribute) -> Result<String, SourceError> {
        sql_call(&attr.value).or_else(|| plain_string(&attr.value)).ok_or_else(|| self.expected(attr, "an SQL text"))
    }

    /// An array of expressions.
    pub fn array<'e>(&self, attr: &'e Attribute) -> Result<Vec<&'e Expression>, SourceError> {
        match &attr.value {
            Expression::Array(a) => Ok(a.iter().collect()),
            _ => Err(self.expected(attr, "a list")),
        }
    }

    /// An array of strings.
    pub fn strings(&self, attr: &Attribute) -> Result<Vec<String>, SourceError> {
        self.array(attr)?
            .into_iter()
            .map(|e| plain_string(e).ok_or_else(|| self.expected(attr, "a list of strings")))
            .collect()
    }

    /// Refuses attributes and blocks `what` does not take, and repeated attributes.
    pub fn check_body(&self, body: &Body, what: &str, attrs: &[&str], blocks: &[&str]) -> Result<(), SourceError> {
        let mut seen: Vec<&str> = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    if !attrs.contains(&key) {
                        return Err(self.err(
                            a.key.span(),
                            format!("unknown attribute `{key}` in {what}"),
                            "not known here",
                            &format!("{what} takes: {}", list_or_none(attrs)),
                        ));
                    }
                    if seen.contains(&key) {
                        return Err(self.err(
                            a.key.span(),
                            format!("attribute `{key}` is set twice in {what}"),
                            "set again here",
                            "keep one of them",
                        ));
                    }
                    seen.push(key);
                }
                Structure::Block(b) => {
                    if !blocks.contains(&b.ident.as_str()) {
                        return Err(self.err(
                            b.ident.span(),
                            format!("unknown block `{}` in {what}", b.ident.as_str()),
                            "not known here",
                            &format!("{what} holds blocks: {}", list_or_none(blocks)),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The single string label of a block (`column "id"`), or an error saying it is needed.
    pub fn label(&self, block: &Block) -> Result<String, SourceError> {
        match block.labels.as_slice() {
            [l] => Ok(l.as_str().to_string()),
            _ => Err(self.err(
                block.ident.span(),
                format!("block `{}` needs exactly one name", block.ident.as_str()),
                "the name goes after this",
                &format!("write {} \"name\" {{ … }}", block.ident.as_str()),
            )),
        }
    }

    /// The optional single label of a block (`check "name"`, or `check` unnamed).
    pub fn optional_label<T: From<String>>(&self, block: &Block) -> Result<Option<T>, SourceError> {
        if block.labels.is_empty() {
            Ok(None)
        } else {
            self.label(block).map(|l| Some(l.into()))
        }
    }
}

/// The attribute `key` of a body.
pub(super) fn attr<'b>(body: &'b Body, key: &str) -> Option<&'b Attribute> {
    body.get_attribute(key)
}

/// The text of a string-like expression without interpolation.
pub(super) fn plain_string(e: &Expression) -> Option<String> {
    let template = match e {
        Expression::String(s) => return Some(s.value().clone()),
        Expression::StringTemplate(t) => &**t,
        Expression::HeredocTemplate(h) => {
            let mut h = (**h).clone();
            if h.indent().is_some() {
                h.dedent();
            }
            return literal_elements(&h.template);
        }
        _ => return None,
    };
    literal_elements(template)
}

/// The text of a template's literals, and of interpolations of a plain string (`${"$"}`,
/// which the writer uses where a `$` or `%` run meets `{`), as long as they strip nothing.
fn literal_elements(t: &hcl_edit::template::Template) -> Option<String> {
    let mut s = String::new();
    for el in t.iter() {
        match el {
            Element::Literal(l) => s.push_str(l.value()),
            Element::Interpolation(i) if i.strip == Strip::None => match &i.expr {
                Expression::String(inner) => s.push_str(inner.value()),
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(s)
}

/// The argument of `sql("...")`.
pub(super) fn sql_call(e: &Expression) -> Option<String> {
    match e {
        Expression::FuncCall(f) if f.name.name.as_str() == "sql" && f.args.len() == 1 => plain_string(f.args.get(0)?),
        _ => None,
    }
}

/// A whole number, with an optional minus sign.
pub(super) fn integer(e: &Expression) -> Option<i64> {
    match e {
        Expression::Number(n) => n.value().as_i64(),
        Expression::UnaryOp(u) if *u.operator.value() == UnaryOperator::Neg => integer(&u.expr).map(|n| -n),
        _ => None,
    }
}

/// The names along a reference: `table.users.column.id` → `[table, users, column, id]`.
pub(super) fn path(e: &Expression) -> Option<Vec<String>> {
    match e {
        Expression::Variable(v) => Some(vec![v.as_str().to_string()]),
        Expression::Traversal(t) => {
            let mut out = match &t.expr {
                Expression::Variable(v) => vec![v.as_str().to_string()],
                _ => return None,
            };
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(name) => out.push(name.as_str().to_string()),
                    TraversalOperator::Index(index) => out.push(plain_string(index)?),
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn example(what: &str) -> &'static str {
    match what {
        "a string" => "\"text\"",
        "true or false" => "true",
        "a whole number" | "a whole number or a quantity such as \"1 4\"" => "1",
        "a name" => "CASCADE",
        "an SQL text" => "sql(\"now()\")",
        "a list" | "a list of strings" => "[\"a\", \"b\"]",
        _ => "shown in README.md",
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "nothing".into()
    } else {
        items.join(", ")
    }
}
