//! Analysis of the expressions offline mode accepts (defaults, generated columns, checks,
//! index predicates, domain checks): each becomes a typed [`Node`] with the constants
//! converted and the implicit casts PostgreSQL's operator and function resolution would
//! insert. Anything outside the subset whose rendering is known is refused.

use sqlparser::ast::{
    BinaryOperator, CastKind, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Spanned, UnaryOperator,
    Value,
};

use super::catalog::split_qualified;
use super::deparse::{integer_const, numeric_text, Node};
use super::types::{resolve, unknown_type, Kind, Ty};
use super::{fold, Problem};

/// What an expression can see.
pub(super) struct Scope<'a> {
    /// The table's name, for `table.column` references.
    pub table: Option<&'a str>,
    /// The table's columns and their types.
    pub columns: &'a [(String, Ty)],
    /// The type of `VALUE`, in a domain check.
    pub value: Option<Ty>,
    /// The catalog: types, enum labels, sequences.
    pub cat: &'a dyn Lookup,
}

/// What expression analysis asks of the objects defined so far.
pub(super) trait Lookup {
    /// A user type by optional schema and name.
    fn user_type(&self, schema: Option<&str>, name: &str) -> Option<Ty>;
    /// The labels of the enum type spelled `canonical`.
    fn enum_labels(&self, canonical: &str) -> Option<Vec<String>>;
    /// `regclass` output for the sequence a `nextval` argument names.
    fn sequence(&self, name: &str) -> Option<String>;
}

type R<T> = Result<T, Problem>;

fn bool_ty() -> Ty {
    Ty::plain("boolean", Kind::Bool)
}

fn text_ty() -> Ty {
    Ty::plain("text", Kind::Text)
}

/// The literal types whose output offline mode knows; an `Unknown` literal converted to `t`.
pub(super) fn coerce_unknown(s: &str, t: &Ty, span: &Expr, scope: &Scope) -> R<Node> {
    let label = Ty { canonical: t.label.clone(), ..t.clone() };
    let bad = |what: &str| Err(Problem::offline(span.span(), format!("the literal '{s}' as {what}")));
    let value = match &t.kind {
        Kind::Text | Kind::Varchar | Kind::Bpchar => s.to_string(),
        Kind::Int2 | Kind::Int4 | Kind::Int8 => match s.trim().parse::<i64>() {
            Ok(n) => n.to_string(),
            Err(_) => return bad(&t.canonical),
        },
        Kind::Numeric => match numeric_text(s.trim()) {
            Some(v) => v,
            None => return bad("numeric"),
        },
        Kind::Bool => match s.trim().to_ascii_lowercase().as_str() {
            "t" | "true" => "t".into(),
            "f" | "false" => "f".into(),
            _ => return bad("boolean"),
        },
        Kind::Enum => match scope.cat.enum_labels(&t.canonical) {
            Some(labels) if labels.iter().any(|l| l == s) => s.to_string(),
            _ => {
                return Err(Problem::invalid(
                    span.span(),
                    format!("invalid input value for enum {}: \"{s}\"", t.canonical),
                ))
            }
        },
        Kind::Uuid if is_uuid(s) => s.to_ascii_lowercase(),
        Kind::Json | Kind::Jsonb | Kind::Array(_) if s == "{}" || (s == "[]" && !matches!(t.kind, Kind::Array(_))) => {
            s.to_string()
        }
        Kind::Date if is_date(s) => s.to_string(),
        _ => return bad(&t.canonical),
    };
    Ok(Node::Const(value, label))
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_date(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    let num = |x: &str, n: usize| x.len() == n && x.chars().all(|c| c.is_ascii_digit());
    if p.len() != 3 || !num(p[0], 4) || !num(p[1], 2) || !num(p[2], 2) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (p[0].parse().unwrap_or(0), p[1].parse().unwrap_or(0), p[2].parse().unwrap_or(0));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    y >= 1 && (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
}

fn implicit(n: Node, t: &Ty) -> Node {
    Node::Cast(Box::new(n), t.clone(), true)
}

fn int_rank(k: &Kind) -> u8 {
    match k {
        Kind::Int2 => 1,
        Kind::Int4 => 2,
        _ => 3,
    }
}

/// Operator resolution for two operands: the operands with the casts PostgreSQL inserts,
/// and the type of the operator's arguments on each side. `arith` picks the arithmetic
/// operators' rules, `same_type_only` those of `%` (no cross-type integer variants).
fn unify(l: Node, r: Node, e: &Expr, scope: &Scope, same_type_only: bool) -> R<(Node, Node)> {
    let refuse = |lt: &str, rt: &str| Err(Problem::offline(e.span(), format!("this operator on {lt} and {rt}")));
    match (l.ty(), r.ty()) {
        (None, None) => refuse("unknown", "unknown"),
        (Some(t), None) => {
            let Node::Unknown(s) = &r else { unreachable!() };
            let (l, t) = if t.kind == Kind::Varchar { (implicit(l, &text_ty()), text_ty()) } else { (l, t) };
            Ok((l, coerce_unknown(s, &t, e, scope)?))
        }
        (None, Some(_)) => {
            let (r, l) = unify(r, l, e, scope, same_type_only)?;
            Ok((l, r))
        }
        (Some(lt), Some(rt)) => {
            let numeric = Ty::plain("numeric", Kind::Numeric);
            let float8 = Ty::plain("double precision", Kind::Float8);
            match (&lt.kind, &rt.kind) {
                _ if lt.is_int() && rt.is_int() => {
                    if !same_type_only || lt.kind == rt.kind {
                        Ok((l, r))
                    } else if int_rank(&lt.kind) < int_rank(&rt.kind) {
                        Ok((implicit(l, &rt), r))
                    } else {
                        Ok((l, implicit(r, &lt)))
                    }
                }
                (Kind::Numeric, Kind::Numeric) => Ok((l, r)),
                (Kind::Numeric, _) if rt.is_int() => Ok((l, implicit(r, &numeric))),
                (_, Kind::Numeric) if lt.is_int() => Ok((implicit(l, &numeric), r)),
                (Kind::Float4 | Kind::Float8, Kind::Float4 | Kind::Float8) if !same_type_only => Ok((l, r)),
                (Kind::Float4 | Kind::Float8, _) if rt.is_number() && !same_type_only => Ok((l, implicit(r, &float8))),
                (_, Kind::Float4 | Kind::Float8) if lt.is_number() && !same_type_only => Ok((implicit(l, &float8), r)),
                (Kind::Text, Kind::Text) => Ok((l, r)),
                _ if lt.is_text() && rt.is_text() => {
                    let cast = |n: Node, t: &Ty| if t.kind == Kind::Varchar { implicit(n, &text_ty()) } else { n };
                    Ok((cast(l, &lt), cast(r, &rt)))
                }
                (Kind::Bool | Kind::Date | Kind::Timestamp | Kind::TimestampTz | Kind::Uuid | Kind::Bpchar, _)
                    if lt.kind == rt.kind =>
                {
                    Ok((l, r))
                }
                (Kind::Enum, Kind::Enum) if lt.canonical == rt.canonical => Ok((l, r)),
                _ => refuse(&lt.canonical, &rt.canonical),
            }
        }
    }
}

/// Analyzes `e` in `scope`.
pub(super) fn analyze(e: &Expr, scope: &Scope) -> R<Node> {
    let refuse = |what: &str| Err(Problem::offline(e.span(), what.to_string()));
    match e {
        Expr::Nested(inner) => analyze(inner, scope),
        Expr::Value(v) => literal(&v.value, false, e),
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match strip(expr) {
            Expr::Value(v) => literal(&v.value, true, e),
            inner => {
                let n = analyze(inner, scope)?;
                match n.ty() {
                    Some(t) if t.is_int() || t.kind == Kind::Numeric => Ok(Node::Neg(Box::new(n))),
                    _ => refuse("unary minus on this operand"),
                }
            }
        },
        Expr::UnaryOp { op: UnaryOperator::Not, expr } => Ok(Node::Not(Box::new(boolean(expr, scope)?))),
        Expr::Identifier(id) => column(&fold(id), e, scope),
        Expr::CompoundIdentifier(parts) => match (parts.as_slice(), scope.table) {
            ([t, c], Some(table)) if fold(t) == table => column(&fold(c), e, scope),
            _ => refuse("a qualified column reference"),
        },
        Expr::IsNull(a) | Expr::IsNotNull(a) => {
            let n = analyze(a, scope)?;
            if n.ty().is_none() {
                return refuse("IS NULL on a literal");
            }
            Ok(Node::IsNull(Box::new(n), matches!(e, Expr::IsNotNull(_))))
        }
        Expr::BinaryOp { left, op, right } => binary(left, op, right, e, scope),
        Expr::Between { expr, negated, low, high } => {
            let (lo_op, hi_op) = if *negated { ("<", ">") } else { (">=", "<=") };
            let lo = compare(analyze(expr, scope)?, lo_op, analyze(low, scope)?, e, scope)?;
            let hi = compare(analyze(expr, scope)?, hi_op, analyze(high, scope)?, e, scope)?;
            Ok(Node::Bool(!*negated, vec![lo, hi]))
        }
        Expr::InList { expr, list, negated } => in_list(expr, list, *negated, e, scope),
        Expr::Like { negated, any: false, expr, pattern, escape_char: None }
        | Expr::ILike { negated, any: false, expr, pattern, escape_char: None } => {
            let op = match (matches!(e, Expr::ILike { .. }), negated) {
                (false, false) => "~~",
                (false, true) => "!~~",
                (true, false) => "~~*",
                (true, true) => "!~~*",
            };
            text_op(op, expr, pattern, e, scope)
        }
        Expr::Cast { kind: CastKind::Cast | CastKind::DoubleColon, expr, data_type, format: None } => {
            let target = resolve(data_type, &|s, n| scope.cat.user_type(s, n))
                .map_err(|what| unknown_type(data_type, Problem::offline(e.span(), what)))?;
            cast(analyze(expr, scope)?, target, e, scope)
        }
        Expr::Function(f) => function(f, e, scope),
        _ => refuse("this kind of expression"),
    }
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip(inner),
        other => other,
    }
}

/// A literal, negated when written after a minus sign (PostgreSQL folds the sign in).
fn literal(v: &Value, negative: bool, e: &Expr) -> R<Node> {
    let sign = if negative { "-" } else { "" };
    match v {
        Value::Number(n, false) if n.chars().all(|c| c.is_ascii_digit()) => {
            integer_const(&format!("{sign}{n}")).ok_or_else(|| Problem::offline(e.span(), format!("the number {n}")))
        }
        Value::Number(n, false) => match numeric_text(&format!("{sign}{n}")) {
            Some(v) => Ok(Node::Const(v, Ty::plain("numeric", Kind::Numeric))),
            None => Err(Problem::offline(e.span(), format!("the number {n}"))),
        },
        Value::SingleQuotedString(s) if !negative && !s.contains('\\') => Ok(Node::Unknown(s.clone())),
        Value::Boolean(b) if !negative => Ok(Node::Const(if *b { "t" } else { "f" }.into(), bool_ty())),
        _ => Err(Problem::offline(e.span(), "this literal".to_string())),
    }
}

fn column(name: &str, e: &Expr, scope: &Scope) -> R<Node> {
    if let Some((_, t)) = scope.columns.iter().find(|(c, _)| c == name) {
        return Ok(Node::Col(name.to_string(), t.clone()));
    }
    match &scope.value {
        Some(t) if name == "value" => Ok(Node::Value(t.clone())),
        _ => Err(Problem::invalid(e.span(), format!("column \"{name}\" does not exist"))),
    }
}

/// An operand that must be boolean (`AND`, `OR`, `NOT`, a check).
pub(super) fn boolean(e: &Expr, scope: &Scope) -> R<Node> {
    let n = analyze(e, scope)?;
    match n.ty() {
        Some(t) if t.kind == Kind::Bool => Ok(n),
        None => coerce_unknown(
            match &n {
                Node::Unknown(s) => s,
                _ => unreachable!(),
            },
            &bool_ty(),
            e,
            scope,
        ),
        Some(t) => Err(Problem::invalid(e.span(), format!("argument must be type boolean, not type {}", t.canonical))),
    }
}

fn compare(l: Node, op: &'static str, r: Node, e: &Expr, scope: &Scope) -> R<Node> {
    let (l, r) = unify(l, r, e, scope, false)?;
    Ok(Node::Op(op, Box::new(l), Box::new(r), bool_ty()))
}

fn binary(left: &Expr, op: &BinaryOperator, right: &Expr, e: &Expr, scope: &Scope) -> R<Node> {
    let cmp = match op {
        BinaryOperator::Eq => Some("="),
        BinaryOperator::NotEq => Some("<>"),
        BinaryOperator::Lt => Some("<"),
        BinaryOperator::LtEq => Some("<="),
        BinaryOperator::Gt => Some(">"),
        BinaryOperator::GtEq => Some(">="),
        _ => None,
    };
    if let Some(op) = cmp {
        return compare(analyze(left, scope)?, op, analyze(right, scope)?, e, scope);
    }
    match op {
        BinaryOperator::And | BinaryOperator::Or => {
            let and = *op == BinaryOperator::And;
            // The grammar folds `a AND b AND c` (left-nested, parentheses or not) into one node.
            let mut args = match boolean(strip(left), scope)? {
                Node::Bool(same, args) if same == and && is_op(strip(left), op) => args,
                n => vec![n],
            };
            args.push(boolean(right, scope)?);
            Ok(Node::Bool(and, args))
        }
        BinaryOperator::Plus
        | BinaryOperator::Minus
        | BinaryOperator::Multiply
        | BinaryOperator::Divide
        | BinaryOperator::Modulo => {
            let sym = match op {
                BinaryOperator::Plus => "+",
                BinaryOperator::Minus => "-",
                BinaryOperator::Multiply => "*",
                BinaryOperator::Divide => "/",
                _ => "%",
            };
            let (l, r) = unify(analyze(left, scope)?, analyze(right, scope)?, e, scope, sym == "%")?;
            let (lt, rt) = (l.ty().unwrap_or_else(text_ty), r.ty().unwrap_or_else(text_ty));
            let result = match (&lt.kind, &rt.kind) {
                _ if lt.is_int() && rt.is_int() => {
                    if int_rank(&lt.kind) >= int_rank(&rt.kind) {
                        lt
                    } else {
                        rt
                    }
                }
                _ if lt.kind == Kind::Numeric || rt.kind == Kind::Numeric => Ty::plain("numeric", Kind::Numeric),
                _ => return Err(Problem::offline(e.span(), format!("arithmetic on {}", lt.canonical))),
            };
            Ok(Node::Op(sym, Box::new(l), Box::new(r), result))
        }
        BinaryOperator::StringConcat => {
            let l = analyze(left, scope)?;
            let r = analyze(right, scope)?;
            let is_text = |n: &Node| n.ty().is_none_or(|t| t.kind == Kind::Text);
            if !is_text(&l) || !is_text(&r) || (l.ty().is_none() && r.ty().is_none()) {
                return Err(Problem::offline(e.span(), "|| on these operands".into()));
            }
            let (l, r) = unify(l, r, e, scope, false)?;
            Ok(Node::Op("||", Box::new(l), Box::new(r), text_ty()))
        }
        BinaryOperator::PGRegexMatch => text_op("~", left, right, e, scope),
        BinaryOperator::PGRegexIMatch => text_op("~*", left, right, e, scope),
        BinaryOperator::PGRegexNotMatch => text_op("!~", left, right, e, scope),
        BinaryOperator::PGRegexNotIMatch => text_op("!~*", left, right, e, scope),
        other => Err(Problem::offline(e.span(), format!("the operator {other}"))),
    }
}

fn is_op(e: &Expr, op: &BinaryOperator) -> bool {
    matches!(e, Expr::BinaryOp { op: o, .. } if o == op)
}

/// `LIKE` and the regular-expression operators: `text` on both sides.
fn text_op(op: &'static str, left: &Expr, right: &Expr, e: &Expr, scope: &Scope) -> R<Node> {
    let l = analyze(left, scope)?;
    let r = analyze(right, scope)?;
    if !l.ty().is_some_and(|t| t.is_text()) || !r.ty().is_none_or(|t| t.is_text()) {
        return Err(Problem::offline(e.span(), format!("the operator {op} on these operands")));
    }
    let (l, r) = unify(l, r, e, scope, false)?;
    Ok(Node::Op(op, Box::new(l), Box::new(r), bool_ty()))
}

/// `x IN (a, b)`: `x = a` for one value, else `x = ANY (ARRAY[a, b])` for the types whose
/// array form is known.
fn in_list(expr: &Expr, list: &[Expr], negated: bool, e: &Expr, scope: &Scope) -> R<Node> {
    let op = if negated { "<>" } else { "=" };
    let left = analyze(expr, scope)?;
    if let [only] = list {
        return compare(left, op, analyze(only, scope)?, e, scope);
    }
    let items = list.iter().map(|x| analyze(x, scope)).collect::<R<Vec<_>>>()?;
    let refuse = || Err(Problem::offline(e.span(), "this IN list".into()));
    let Some(lt) = left.ty() else { return refuse() };
    let all_unknown = items.iter().all(|n| n.ty().is_none());
    let (left, elems, cast) = match lt.kind {
        Kind::Int4 if items.iter().all(|n| matches!(n, Node::Const(_, t) if t.kind == Kind::Int4)) => {
            (left, items, None)
        }
        Kind::Text | Kind::Enum | Kind::Varchar if all_unknown => {
            let elems = list
                .iter()
                .zip(&items)
                .map(|(x, n)| match n {
                    Node::Unknown(s) => coerce_unknown(s, &lt, x, scope),
                    _ => unreachable!(),
                })
                .collect::<R<Vec<_>>>()?;
            if lt.kind == Kind::Varchar {
                (implicit(left, &text_ty()), elems, Some(Ty::array_of(text_ty())))
            } else {
                (left, elems, None)
            }
        }
        _ => return refuse(),
    };
    Ok(Node::AnyArray { left: Box::new(left), op, all: negated, elems, cast })
}

/// A written cast.
fn cast(n: Node, target: Ty, e: &Expr, scope: &Scope) -> R<Node> {
    if let Node::Unknown(s) = &n {
        let c = coerce_unknown(s, &target, e, scope)?;
        return Ok(if target.canonical != target.label { Node::Cast(Box::new(c), target, false) } else { c });
    }
    let from = n.ty().unwrap_or_else(text_ty);
    if from.canonical == target.canonical {
        return Ok(n);
    }
    let ok = target.canonical == target.label
        && ((from.is_number() && target.is_number())
            || (target.is_text() && !matches!(from.kind, Kind::Array(_) | Kind::Domain | Kind::Other))
            || (from.is_text() && (target.is_number() || target.kind == Kind::Bool)));
    if !ok {
        return Err(Problem::offline(e.span(), format!("a cast from {} to {}", from.canonical, target.canonical)));
    }
    Ok(Node::Cast(Box::new(n), target, false))
}

fn function(f: &Function, e: &Expr, scope: &Scope) -> R<Node> {
    let refuse = || Err(Problem::offline(e.span(), format!("the function call {f}")));
    if f.filter.is_some() || f.over.is_some() || !f.within_group.is_empty() || f.uses_odbc_syntax {
        return refuse();
    }
    if !matches!(f.parameters, FunctionArguments::None) {
        return refuse();
    }
    let [name] = f.name.0.as_slice() else { return refuse() };
    let Some(name) = name.as_ident().map(fold) else { return refuse() };
    let args: Vec<&Expr> = match &f.args {
        FunctionArguments::None => {
            let (text, ty) = match name.as_str() {
                "current_timestamp" => ("CURRENT_TIMESTAMP", Ty::plain("timestamp with time zone", Kind::TimestampTz)),
                "current_date" => ("CURRENT_DATE", Ty::plain("date", Kind::Date)),
                "localtimestamp" => ("LOCALTIMESTAMP", Ty::plain("timestamp without time zone", Kind::Timestamp)),
                _ => return refuse(),
            };
            return Ok(Node::SqlValue(text, ty));
        }
        FunctionArguments::List(list) if list.duplicate_treatment.is_none() && list.clauses.is_empty() => {
            let mut out = Vec::new();
            for a in &list.args {
                match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => out.push(x),
                    _ => return refuse(),
                }
            }
            out
        }
        _ => return refuse(),
    };
    let (fname, ty): (&'static str, Ty) = match (name.as_str(), args.as_slice()) {
        ("now", []) => ("now", Ty::plain("timestamp with time zone", Kind::TimestampTz)),
        ("gen_random_uuid", []) => ("gen_random_uuid", Ty::plain("uuid", Kind::Uuid)),
        ("nextval", [arg]) => {
            let Expr::Value(v) = strip(arg) else { return refuse() };
            let Value::SingleQuotedString(s) = &v.value else { return refuse() };
            let reg = scope.cat.sequence(s).ok_or_else(|| {
                let own = split_qualified(s).and_then(|parts| parts.last().cloned()).unwrap_or_default();
                Problem::missing(arg.span(), &own, format!("relation \"{s}\" does not exist (no such sequence)"))
            })?;
            let arg = Node::Const(reg, Ty::plain("regclass", Kind::Other));
            return Ok(Node::Func("nextval", vec![arg], Ty::plain("bigint", Kind::Int8)));
        }
        ("length", [_]) => ("length", Ty::plain("integer", Kind::Int4)),
        ("lower", [_]) => ("lower", text_ty()),
        ("upper", [_]) => ("upper", text_ty()),
        _ => return refuse(),
    };
    let mut nodes = Vec::new();
    for a in args {
        let n = analyze(a, scope)?;
        match n.ty() {
            Some(t) if t.kind == Kind::Text => nodes.push(n),
            Some(t) if t.kind == Kind::Varchar => nodes.push(implicit(n, &text_ty())),
            _ => return refuse(),
        }
    }
    Ok(Node::Func(fname, nodes, ty))
}

/// Whether a value of type `from` may be stored in a column of type `to` (an assignment
/// cast the parser inserts silently).
pub(super) fn assignable(from: &Ty, to: &Ty) -> bool {
    let base = |t: &Ty| t.label.clone();
    base(from) == base(to)
        || (from.is_number() && to.is_number())
        || (matches!(from.kind, Kind::Text | Kind::Varchar | Kind::Bpchar)
            && matches!(to.kind, Kind::Text | Kind::Varchar | Kind::Bpchar))
        || (matches!(from.kind, Kind::TimestampTz | Kind::Timestamp | Kind::Date)
            && matches!(to.kind, Kind::TimestampTz | Kind::Timestamp | Kind::Date))
}
