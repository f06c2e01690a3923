//! Column types and defaults in HCL: bare type calls (`varchar(255)`, `int`), `sql("...")`,
//! `enum.status` (PostgreSQL), `enum("a","b")` (MySQL); read through the shared type grammar.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Attribute;
use hcl_edit::Span;

use super::references::Symbols;
use super::values::{integer, plain_string, sql_call, Ctx};
use crate::sql::SourceError;
use crate::types::{canonical_type, TypeSpec};
use crate::{quote_literal, ColumnType, Dialect};

/// Atlas spells PostgreSQL's multi-word types with underscores.
const UNDERSCORED: &[(&str, &str)] = &[
    ("double_precision", "double precision"),
    ("character_varying", "character varying"),
    ("bit_varying", "bit varying"),
    ("timestamp_with_time_zone", "timestamp with time zone"),
    ("timestamp_without_time_zone", "timestamp without time zone"),
    ("time_with_time_zone", "time with time zone"),
    ("time_without_time_zone", "time without time zone"),
];

/// The type of a `type = ...` attribute in `dialect`; `schema` is the table's, for `enum.E`.
pub(super) fn column_type(
    ctx: &Ctx,
    syms: &Symbols,
    dialect: Dialect,
    schema: &str,
    attr: &Attribute,
) -> Result<ColumnType, SourceError> {
    let e = &attr.value;
    let text = match e {
        Expression::Traversal(_) => {
            let (s, n) = syms.enum_type(ctx, e, schema)?;
            return Ok(ColumnType::new(postgres_type_ref(&s, &n)));
        }
        Expression::Variable(v) => {
            let name = v.as_str();
            UNDERSCORED.iter().find(|(u, _)| *u == name).map(|(_, s)| s.to_string()).unwrap_or_else(|| name.to_string())
        }
        Expression::FuncCall(f) if f.name.name.as_str() == "sql" => {
            sql_call(e).ok_or_else(|| ctx.expected(attr, "a type such as varchar(255) or sql(\"…\")"))?
        }
        Expression::FuncCall(f) => {
            let mut args = Vec::new();
            for a in f.args.iter() {
                args.push(match (integer(a), plain_string(a), a) {
                    (Some(n), _, _) => n.to_string(),
                    (_, Some(s), _) => quote_literal(dialect, &s),
                    (_, _, Expression::Variable(v)) => v.as_str().to_string(),
                    _ => return Err(ctx.expected(attr, "a type whose arguments are numbers, strings or names")),
                });
            }
            let name = f.name.name.as_str();
            let name = UNDERSCORED.iter().find(|(u, _)| *u == name).map(|(_, s)| *s).unwrap_or(name);
            format!("{name}({})", args.join(","))
        }
        _ => return Err(ctx.expected(attr, "a type such as varchar(255) or sql(\"…\")")),
    };
    // SQLite allows a column without a declared type, which the writer spells `sql("")`.
    if dialect == Dialect::Sqlite && text.is_empty() && matches!(e, Expression::FuncCall(_)) {
        return Ok(ColumnType::default());
    }
    if let Err(err) = TypeSpec::parse(&text) {
        let start = e.span().map(|r| r.start).unwrap_or(0);
        let inner = if matches!(e, Expression::FuncCall(f) if f.name.name.as_str() == "sql") { 5 } else { 0 };
        let at = start + inner + err.offset.min(text.len());
        return Err(ctx.err(
            Some(at..at + 1),
            format!("{text:?} is not a column type: {}", err.message),
            &err.message,
            "write a type such as int, varchar(255), numeric(10,2), or sql(\"…\") for anything else",
        ));
    }
    Ok(match dialect {
        Dialect::Postgres => ColumnType::new(canonical_type(dialect, &text)),
        _ => ColumnType::declared(dialect, text),
    })
}

/// How PostgreSQL's `format_type` names a type of `schema` (qualified outside `public`).
pub(super) fn postgres_type_ref(schema: &str, name: &str) -> String {
    if schema == "public" {
        pg_ident(name)
    } else {
        format!("{}.{}", pg_ident(schema), pg_ident(name))
    }
}

/// An identifier quoted only where PostgreSQL needs it.
fn pg_ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        name.to_string()
    } else {
        crate::quote_ident(Dialect::Postgres, name)
    }
}

/// A default: a number, a string (quoted as a literal), a boolean, or `sql("...")`.
pub(super) fn default_expr(ctx: &Ctx, dialect: Dialect, attr: &Attribute) -> Result<String, SourceError> {
    let e = &attr.value;
    if let Some(s) = sql_call(e) {
        return Ok(s);
    }
    match e {
        Expression::Number(n) => Ok(n.value().to_string()),
        Expression::UnaryOp(_) if integer(e).is_some() => Ok(integer(e).unwrap_or_default().to_string()),
        Expression::Bool(b) => Ok(b.value().to_string()),
        _ => match plain_string(e) {
            Some(s) => Ok(quote_literal(dialect, &s)),
            None => Err(ctx.expected(attr, "a number, a string, true/false or sql(\"…\")")),
        },
    }
}

/// The bounds a sequence of `ty` gets when none are declared, for `increment`.
pub(super) fn default_bounds(ty: &str, increment: i64) -> (i64, i64) {
    let max = match ty {
        "smallint" | "int2" => i16::MAX as i64,
        "integer" | "int" | "int4" => i32::MAX as i64,
        _ => i64::MAX,
    };
    let min = match ty {
        "smallint" | "int2" => i16::MIN as i64,
        "integer" | "int" | "int4" => i32::MIN as i64,
        _ => i64::MIN,
    };
    if increment < 0 {
        (min, -1)
    } else {
        (1, max)
    }
}
