//! Column types in PostgreSQL's own spelling: what `format_type()` prints for a type written
//! in a file, and the few facts about each type that expression rendering needs.

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, ObjectName, ObjectNamePart, TimezoneInfo,
};

use super::{own_name, Problem};

/// What kind of type a column or expression has, as far as offline rendering needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `smallint`.
    Int2,
    /// `integer`.
    Int4,
    /// `bigint`.
    Int8,
    /// `numeric`, with or without modifiers.
    Numeric,
    /// `real`.
    Float4,
    /// `double precision`.
    Float8,
    /// `text`.
    Text,
    /// `character varying`.
    Varchar,
    /// `character(n)` / `bpchar`.
    Bpchar,
    /// `boolean`.
    Bool,
    /// `date`.
    Date,
    /// `timestamp without time zone`.
    Timestamp,
    /// `timestamp with time zone`.
    TimestampTz,
    /// `uuid`.
    Uuid,
    /// `json`.
    Json,
    /// `jsonb`.
    Jsonb,
    /// A user enum type.
    Enum,
    /// A user domain.
    Domain,
    /// An array of the boxed element type.
    Array(Box<Ty>),
    /// Any other built-in type: usable as a column type, not in expressions.
    Other,
}

/// A type: its `format_type()` spelling and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Ty {
    /// `format_type(oid, typmod)`: `integer`, `character varying(20)`, `public.mood`.
    pub canonical: String,
    /// `format_type(oid, -1)`: the spelling of a constant's `::type` label.
    pub label: String,
    /// The kind.
    pub kind: Kind,
}

impl Ty {
    /// A type without modifiers.
    pub fn plain(name: &str, kind: Kind) -> Ty {
        Ty { canonical: name.into(), label: name.into(), kind }
    }

    fn with_mod(canonical: String, label: &str, kind: Kind) -> Ty {
        Ty { canonical, label: label.into(), kind }
    }

    /// The array type of this element type.
    pub fn array_of(elem: Ty) -> Ty {
        Ty {
            canonical: format!("{}[]", elem.canonical),
            label: format!("{}[]", elem.label),
            kind: Kind::Array(elem.into()),
        }
    }

    /// `smallint`, `integer` or `bigint`.
    pub fn is_int(&self) -> bool {
        matches!(self.kind, Kind::Int2 | Kind::Int4 | Kind::Int8)
    }

    /// Integers, `numeric`, `real` and `double precision`.
    pub fn is_number(&self) -> bool {
        self.is_int() || matches!(self.kind, Kind::Numeric | Kind::Float4 | Kind::Float8)
    }

    /// `text` or `character varying`, which share `text`'s operators and functions.
    pub fn is_text(&self) -> bool {
        matches!(self.kind, Kind::Text | Kind::Varchar)
    }

    /// Types that take a collation.
    pub fn is_collatable(&self) -> bool {
        self.is_text() || self.kind == Kind::Bpchar
    }
}

/// The column type a `serial` pseudo-type stands for, if `dt` is one.
pub(super) fn serial_of(dt: &DataType) -> Option<Ty> {
    let DataType::Custom(name, mods) = dt else { return None };
    let [ObjectNamePart::Identifier(id)] = name.0.as_slice() else { return None };
    if !mods.is_empty() {
        return None;
    }
    match super::fold(id).as_str() {
        "smallserial" | "serial2" => Some(Ty::plain("smallint", Kind::Int2)),
        "serial" | "serial4" => Some(Ty::plain("integer", Kind::Int4)),
        "bigserial" | "serial8" => Some(Ty::plain("bigint", Kind::Int8)),
        _ => None,
    }
}

/// A built-in type by its `pg_type.typname` (what unqualified and `pg_catalog.` names find).
fn builtin(typname: &str) -> Option<Ty> {
    let (name, kind) = match typname {
        "int2" => ("smallint", Kind::Int2),
        "int4" => ("integer", Kind::Int4),
        "int8" => ("bigint", Kind::Int8),
        "float4" => ("real", Kind::Float4),
        "float8" => ("double precision", Kind::Float8),
        "numeric" => ("numeric", Kind::Numeric),
        "bool" => ("boolean", Kind::Bool),
        "text" => ("text", Kind::Text),
        "varchar" => ("character varying", Kind::Varchar),
        "bpchar" => ("bpchar", Kind::Bpchar),
        "date" => ("date", Kind::Date),
        "timestamp" => ("timestamp without time zone", Kind::Timestamp),
        "timestamptz" => ("timestamp with time zone", Kind::TimestampTz),
        "uuid" => ("uuid", Kind::Uuid),
        "json" => ("json", Kind::Json),
        "jsonb" => ("jsonb", Kind::Jsonb),
        "name" | "oid" | "money" | "inet" | "cidr" | "macaddr" | "macaddr8" | "xml" | "point" | "line" | "lseg"
        | "box" | "path" | "polygon" | "circle" | "bytea" | "tsvector" | "tsquery" | "interval" => {
            (typname, Kind::Other)
        }
        "time" => ("time without time zone", Kind::Other),
        "timetz" => ("time with time zone", Kind::Other),
        _ => return None,
    };
    Some(Ty::plain(name, kind))
}

/// Resolves `dt` to its canonical type. `user` finds enum and domain types by (optional
/// schema, name); an `Err` names what offline mode cannot resolve.
pub(super) fn resolve(dt: &DataType, user: &dyn Fn(Option<&str>, &str) -> Option<Ty>) -> Result<Ty, String> {
    let precision = |p: Option<u64>, max: u64| match p {
        Some(p) if p > max => Err(format!("the precision {p} (PostgreSQL would reduce it to {max})")),
        other => Ok(other.map(|p| format!("({p})")).unwrap_or_default()),
    };
    let length = |len: &Option<CharacterLength>, name: &str, dflt: Option<u64>, kind: Kind| match len {
        None => Ok(match dflt {
            Some(n) => Ty::with_mod(format!("{name}({n})"), name, kind),
            None => Ty::plain(name, kind),
        }),
        Some(CharacterLength::IntegerLength { length, unit: None }) if (1..=10_485_760).contains(length) => {
            Ok(Ty::with_mod(format!("{name}({length})"), name, kind))
        }
        Some(other) => Err(format!("the length {other}")),
    };
    let ty = match dt {
        DataType::SmallInt(None) | DataType::Int2(None) => Ty::plain("smallint", Kind::Int2),
        DataType::Int(None) | DataType::Integer(None) | DataType::Int4(None) => Ty::plain("integer", Kind::Int4),
        DataType::BigInt(None) | DataType::Int8(None) => Ty::plain("bigint", Kind::Int8),
        DataType::Real | DataType::Float4 => Ty::plain("real", Kind::Float4),
        DataType::DoublePrecision | DataType::Float8 => Ty::plain("double precision", Kind::Float8),
        DataType::Float(ExactNumberInfo::None) => Ty::plain("double precision", Kind::Float8),
        DataType::Float(ExactNumberInfo::Precision(p)) => match p {
            1..=24 => Ty::plain("real", Kind::Float4),
            25..=53 => Ty::plain("double precision", Kind::Float8),
            _ => return Err(format!("float({p})")),
        },
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => match info {
            ExactNumberInfo::None => Ty::plain("numeric", Kind::Numeric),
            ExactNumberInfo::Precision(p) if (1..=1000).contains(p) => {
                Ty::with_mod(format!("numeric({p},0)"), "numeric", Kind::Numeric)
            }
            ExactNumberInfo::PrecisionAndScale(p, s) if (1..=1000).contains(p) && (-1000..=1000).contains(s) => {
                Ty::with_mod(format!("numeric({p},{s})"), "numeric", Kind::Numeric)
            }
            other => return Err(format!("numeric{other}")),
        },
        DataType::Varchar(l) | DataType::CharacterVarying(l) | DataType::CharVarying(l) => {
            length(l, "character varying", None, Kind::Varchar)?
        }
        DataType::Char(l) | DataType::Character(l) => {
            Ty { label: "bpchar".into(), ..length(l, "character", Some(1), Kind::Bpchar)? }
        }
        DataType::Text => Ty::plain("text", Kind::Text),
        DataType::Bool | DataType::Boolean => Ty::plain("boolean", Kind::Bool),
        DataType::Date => Ty::plain("date", Kind::Date),
        DataType::Uuid => Ty::plain("uuid", Kind::Uuid),
        DataType::JSON => Ty::plain("json", Kind::Json),
        DataType::JSONB => Ty::plain("jsonb", Kind::Jsonb),
        DataType::Bytea => Ty::plain("bytea", Kind::Other),
        DataType::TsVector => Ty::plain("tsvector", Kind::Other),
        DataType::TsQuery => Ty::plain("tsquery", Kind::Other),
        DataType::Timestamp(p, tz) => {
            let (zone, kind) = zone(tz)?;
            let kind = if kind { Kind::TimestampTz } else { Kind::Timestamp };
            let label = format!("timestamp {zone}");
            Ty::with_mod(format!("timestamp{} {zone}", precision(*p, 6)?), &label, kind)
        }
        DataType::Time(p, tz) => {
            let (zone, _) = zone(tz)?;
            let label = format!("time {zone}");
            Ty::with_mod(format!("time{} {zone}", precision(*p, 6)?), &label, Kind::Other)
        }
        DataType::Interval { fields: None, precision: p } => {
            Ty::with_mod(format!("interval{}", precision(*p, 6)?), "interval", Kind::Other)
        }
        DataType::Bit(n) => match n {
            None => Ty::with_mod("bit(1)".into(), "bit", Kind::Other),
            Some(n) if *n >= 1 => Ty::with_mod(format!("bit({n})"), "bit", Kind::Other),
            Some(n) => return Err(format!("bit({n})")),
        },
        DataType::BitVarying(n) | DataType::VarBit(n) => match n {
            None => Ty::plain("bit varying", Kind::Other),
            Some(n) if *n >= 1 => Ty::with_mod(format!("bit varying({n})"), "bit varying", Kind::Other),
            Some(n) => return Err(format!("bit varying({n})")),
        },
        DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _) | ArrayElemTypeDef::Qualified(inner, _)) => {
            let elem = resolve(inner, user)?;
            match elem.kind {
                // integer[][] is integer[]: PostgreSQL does not keep dimensions.
                Kind::Array(_) => elem,
                _ => Ty::array_of(elem),
            }
        }
        DataType::Custom(name, mods) if mods.is_empty() => custom(name, user)?,
        other => return Err(format!("the type {other}")),
    };
    Ok(ty)
}

/// `p`, the problem of resolving `dt`, as one a later statement may remove when `dt` names a
/// type (or an array of one) that may be a user type not defined yet.
pub(super) fn unknown_type(dt: &DataType, p: Problem) -> Problem {
    match dt {
        DataType::Custom(name, mods) if mods.is_empty() => p.awaiting(own_name(name)),
        DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _) | ArrayElemTypeDef::Qualified(inner, _)) => {
            unknown_type(inner, p)
        }
        _ => p,
    }
}

/// `WITH TIME ZONE` or not, spelled as `format_type` does.
fn zone(tz: &TimezoneInfo) -> Result<(&'static str, bool), String> {
    match tz {
        TimezoneInfo::None | TimezoneInfo::WithoutTimeZone => Ok(("without time zone", false)),
        TimezoneInfo::Tz | TimezoneInfo::WithTimeZone => Ok(("with time zone", true)),
    }
}

/// A type by name: `pg_catalog` first (as PostgreSQL searches it), then the user's types.
fn custom(name: &ObjectName, user: &dyn Fn(Option<&str>, &str) -> Option<Ty>) -> Result<Ty, String> {
    let parts: Option<Vec<String>> = name.0.iter().map(|p| p.as_ident().map(super::fold)).collect();
    let unknown = || format!("the type {name}");
    match parts.as_deref() {
        Some([typname]) => {
            if typname == "char" && name.0[0].as_ident().is_some_and(|i| i.quote_style.is_some()) {
                return Ok(Ty::plain("\"char\"", Kind::Other));
            }
            builtin(typname).or_else(|| user(None, typname)).ok_or_else(unknown)
        }
        Some([schema, typname]) if schema == "pg_catalog" => builtin(typname).ok_or_else(unknown),
        Some([schema, typname]) => user(Some(schema), typname).ok_or_else(unknown),
        _ => Err(unknown()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn canon(sql: &str) -> Result<String, String> {
        let dt = Parser::new(&PostgreSqlDialect {}).try_with_sql(sql).unwrap().parse_data_type().unwrap();
        let user = |schema: Option<&str>, name: &str| {
            (name == "mood").then(|| Ty::plain(&format!("{}.mood", schema.unwrap_or("public")), Kind::Enum))
        };
        resolve(&dt, &user).map(|t| t.canonical)
    }

    #[test]
    fn builtin_spellings_are_format_type_s() {
        let cases = [
            ("int4", "integer"),
            ("INT", "integer"),
            ("int8", "bigint"),
            ("int2", "smallint"),
            ("float", "double precision"),
            ("float(10)", "real"),
            ("float(30)", "double precision"),
            ("decimal(10,2)", "numeric(10,2)"),
            ("numeric(5)", "numeric(5,0)"),
            ("varchar(20)", "character varying(20)"),
            ("character varying", "character varying"),
            ("char", "character(1)"),
            ("character(3)", "character(3)"),
            ("bpchar", "bpchar"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("time(2)", "time(2) without time zone"),
            ("timetz", "time with time zone"),
            ("interval(3)", "interval(3)"),
            ("bit", "bit(1)"),
            ("varbit", "bit varying"),
            ("bit varying(8)", "bit varying(8)"),
            ("integer[][]", "integer[]"),
            ("int[3]", "integer[]"),
            ("varchar(10)[]", "character varying(10)[]"),
            ("\"char\"", "\"char\""),
            ("pg_catalog.int4", "integer"),
            ("mood", "public.mood"),
            ("app.mood[]", "app.mood[]"),
            ("inet", "inet"),
        ];
        for (sql, want) in cases {
            assert_eq!(canon(sql).as_deref(), Ok(want), "{sql}");
        }
        assert!(canon("nosuchtype").is_err());
        assert!(canon("timestamp(9)").is_err());
    }

    #[test]
    fn serial_types() {
        let dt = |s: &str| Parser::new(&PostgreSqlDialect {}).try_with_sql(s).unwrap().parse_data_type().unwrap();
        assert_eq!(serial_of(&dt("serial")).unwrap().canonical, "integer");
        assert_eq!(serial_of(&dt("BIGSERIAL")).unwrap().canonical, "bigint");
        assert_eq!(serial_of(&dt("serial2")).unwrap().canonical, "smallint");
        assert!(serial_of(&dt("int")).is_none());
    }
}
