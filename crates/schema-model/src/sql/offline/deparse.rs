//! A typed expression tree as PostgreSQL's parser leaves it (constants already converted to
//! their type, implicit casts inserted), and its rendering as `pg_get_expr()` prints it
//! (`ruleutils.c`: fully parenthesized, implicit casts shown only under operators and
//! functions, constants labelled unless their type is implied).

use super::names::quote_ident;
use super::types::{Kind, Ty};
use crate::quote_literal;
use crate::Dialect;

/// One node of an analyzed expression.
#[derive(Clone, Debug)]
pub(super) enum Node {
    /// A string literal whose type the context decides.
    Unknown(String),
    /// A constant: its output text and type.
    Const(String, Ty),
    /// A column of the table.
    Col(String, Ty),
    /// `VALUE` in a domain check.
    Value(Ty),
    /// A binary operator (`=`, `+`, `~~`…) with its result type.
    Op(&'static str, Box<Node>, Box<Node>, Ty),
    /// Unary minus on a non-constant.
    Neg(Box<Node>),
    /// `AND` (true) or `OR` (false) over two or more arguments.
    Bool(bool, Vec<Node>),
    /// `NOT`.
    Not(Box<Node>),
    /// `IS NULL` (false) or `IS NOT NULL` (true).
    IsNull(Box<Node>, bool),
    /// A function call with its result type.
    Func(&'static str, Vec<Node>, Ty),
    /// `CURRENT_TIMESTAMP` and its kin.
    SqlValue(&'static str, Ty),
    /// A cast: implicit (inserted by the parser) or written.
    Cast(Box<Node>, Ty, bool),
    /// `l op ANY/ALL (ARRAY[...])`, with the array's own cast where the parser adds one.
    AnyArray { left: Box<Node>, op: &'static str, all: bool, elems: Vec<Node>, cast: Option<Ty> },
}

impl Node {
    /// The node's type; `None` for an untyped string literal.
    pub fn ty(&self) -> Option<Ty> {
        let bool_ty = || Ty::plain("boolean", Kind::Bool);
        Some(match self {
            Node::Unknown(_) => return None,
            Node::Const(_, t) | Node::Col(_, t) | Node::Value(t) | Node::Op(.., t) => t.clone(),
            Node::Func(_, _, t) | Node::SqlValue(_, t) | Node::Cast(_, t, _) => t.clone(),
            Node::Neg(a) => return a.ty(),
            Node::Bool(..) | Node::Not(_) | Node::IsNull(..) | Node::AnyArray { .. } => bool_ty(),
        })
    }

    /// Columns the expression reads, each once, in first-use order.
    pub fn columns(&self, out: &mut Vec<String>) {
        match self {
            Node::Col(c, _) if !out.contains(c) => out.push(c.clone()),
            Node::Op(_, l, r, _) => {
                l.columns(out);
                r.columns(out);
            }
            Node::Neg(a) | Node::Not(a) | Node::IsNull(a, _) | Node::Cast(a, ..) => a.columns(out),
            Node::Bool(_, args) | Node::Func(_, args, _) => args.iter().for_each(|a| a.columns(out)),
            Node::AnyArray { left, elems, .. } => {
                left.columns(out);
                elems.iter().for_each(|a| a.columns(out));
            }
            _ => {}
        }
    }

    /// True when the expression calls something that is not immutable.
    pub fn is_volatile(&self) -> bool {
        match self {
            Node::Func(name, args, _) => {
                matches!(*name, "now" | "gen_random_uuid" | "nextval") || args.iter().any(Node::is_volatile)
            }
            Node::SqlValue(..) => true,
            Node::Op(_, l, r, _) => l.is_volatile() || r.is_volatile(),
            Node::Neg(a) | Node::Not(a) | Node::IsNull(a, _) | Node::Cast(a, ..) => a.is_volatile(),
            Node::Bool(_, args) => args.iter().any(Node::is_volatile),
            Node::AnyArray { left, elems, .. } => left.is_volatile() || elems.iter().any(Node::is_volatile),
            _ => false,
        }
    }
}

/// Renders `node` as `pg_get_expr()` does at the top of an expression.
pub(super) fn render(node: &Node) -> String {
    deparse(node, false)
}

/// `get_rule_expr`: `show_implicit` tells whether casts the parser inserted are printed
/// (they are under operators, functions and `IS NULL`, not at the top or under `AND`/`OR`).
fn deparse(node: &Node, show_implicit: bool) -> String {
    match node {
        // Never reached: analysis converts every literal to a typed constant.
        Node::Unknown(s) => quote_literal(Dialect::Postgres, s),
        Node::Const(v, t) => constant(v, t, true),
        Node::Col(c, _) => quote_ident(c),
        Node::Value(_) => "VALUE".into(),
        Node::Op(op, l, r, _) => format!("({} {op} {})", deparse(l, true), deparse(r, true)),
        Node::Neg(a) => format!("(- {})", deparse(a, true)),
        Node::Bool(and, args) => {
            let sep = if *and { " AND " } else { " OR " };
            format!("({})", args.iter().map(|a| deparse(a, false)).collect::<Vec<_>>().join(sep))
        }
        Node::Not(a) => format!("(NOT {})", deparse(a, false)),
        Node::IsNull(a, not) => format!("({} IS {}NULL)", deparse(a, true), if *not { "NOT " } else { "" }),
        Node::Func(name, args, _) => {
            format!("{name}({})", args.iter().map(|a| deparse(a, true)).collect::<Vec<_>>().join(", "))
        }
        Node::SqlValue(text, _) => (*text).into(),
        Node::Cast(a, _, true) if !show_implicit => deparse(a, false),
        Node::Cast(a, t, _) => match a.as_ref() {
            // A constant under a length coercion prints once, without its own label.
            Node::Const(v, ct) if ct.label == t.label => format!("{}::{}", constant(v, ct, false), t.canonical),
            inner => format!("({})::{}", deparse(inner, false), t.canonical),
        },
        Node::AnyArray { left, op, all, elems, cast } => {
            let array = format!("ARRAY[{}]", elems.iter().map(|e| deparse(e, true)).collect::<Vec<_>>().join(", "));
            let array = match cast {
                Some(t) => format!("({array})::{}", t.canonical),
                None => array,
            };
            format!("({} {op} {} ({array}))", deparse(left, true), if *all { "ALL" } else { "ANY" })
        }
    }
}

/// `get_const_expr`: integers and float-looking numerics bare, booleans as words, anything
/// else quoted; a `::type` label unless the type is what the literal would be read as.
fn constant(value: &str, ty: &Ty, label: bool) -> String {
    let quoted = || quote_literal(Dialect::Postgres, value);
    let (text, needs_label) = match ty.kind {
        Kind::Int4 if !value.starts_with('-') => (value.to_string(), false),
        Kind::Numeric if value.starts_with(|c: char| c.is_ascii_digit()) && value.contains(['.', 'e', 'E']) => {
            (value.to_string(), false)
        }
        Kind::Bool => ((if value == "t" { "true" } else { "false" }).to_string(), false),
        _ => (quoted(), true),
    };
    if needs_label && label {
        format!("{text}::{}", ty.label)
    } else {
        text
    }
}

/// The output text of a numeric literal (`numeric_out` of what `numeric_in` read): leading
/// zeros dropped, the written scale kept. `None` for exponents and anything odd.
pub(super) fn numeric_text(s: &str) -> Option<String> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let body = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
    let zero = body.chars().all(|c| c == '0' || c == '.');
    Some(if neg && !zero { format!("-{body}") } else { body })
}

/// The constant an integer literal is (`make_const`): `integer` if it fits, else `bigint`,
/// else `numeric`.
pub(super) fn integer_const(text: &str) -> Option<Node> {
    let n: i128 = text.parse().ok()?;
    let v = n.to_string();
    Some(if i32::try_from(n).is_ok() {
        Node::Const(v, Ty::plain("integer", Kind::Int4))
    } else if i64::try_from(n).is_ok() {
        Node::Const(v, Ty::plain("bigint", Kind::Int8))
    } else {
        Node::Const(v, Ty::plain("numeric", Kind::Numeric))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int() -> Ty {
        Ty::plain("integer", Kind::Int4)
    }

    #[test]
    fn constants_render_like_get_const_expr() {
        assert_eq!(constant("0", &int(), true), "0");
        assert_eq!(constant("-1", &int(), true), "'-1'::integer");
        assert_eq!(constant("1.5", &Ty::plain("numeric", Kind::Numeric), true), "1.5");
        assert_eq!(constant("1000", &Ty::plain("numeric", Kind::Numeric), true), "'1000'::numeric");
        assert_eq!(constant("5000000000", &Ty::plain("bigint", Kind::Int8), true), "'5000000000'::bigint");
        assert_eq!(constant("it's", &Ty::plain("text", Kind::Text), true), "'it''s'::text");
        assert_eq!(constant("t", &Ty::plain("boolean", Kind::Bool), true), "true");
    }

    #[test]
    fn casts_and_operators() {
        let zero = Node::Const("0".into(), int());
        let num = Ty::plain("numeric", Kind::Numeric);
        let d = Node::Col("d".into(), num.clone());
        let cast = Node::Cast(Box::new(zero.clone()), num.clone(), true);
        let op = Node::Op(">", Box::new(d), Box::new(cast.clone()), Ty::plain("boolean", Kind::Bool));
        assert_eq!(render(&op), "(d > (0)::numeric)");
        assert_eq!(render(&cast), "0");
    }

    #[test]
    fn numeric_literals() {
        assert_eq!(numeric_text("1.50").as_deref(), Some("1.50"));
        assert_eq!(numeric_text(".5").as_deref(), Some("0.5"));
        assert_eq!(numeric_text("007").as_deref(), Some("7"));
        assert_eq!(numeric_text("-0.0").as_deref(), Some("0.0"));
        assert_eq!(numeric_text("1e3"), None);
        assert!(matches!(integer_const("2147483648"), Some(Node::Const(_, Ty { kind: Kind::Int8, .. }))));
        assert!(matches!(integer_const("-2147483648"), Some(Node::Const(_, Ty { kind: Kind::Int4, .. }))));
    }
}
