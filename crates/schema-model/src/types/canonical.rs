//! Each dialect's canonical spelling of a column type, built on the shared grammar; the
//! spelling the catalog reports is a fixed point, so inspected types compare equal.

use std::cell::RefCell;
use std::collections::HashMap;

use super::TypeSpec;
use crate::Dialect;

/// How many spellings each thread remembers per dialect before it starts over.
const MEMO_CAPACITY: usize = 4096;

thread_local! {
    /// Canonical spellings already worked out, per dialect: a catalog of thousands of tables
    /// repeats a few dozen types, and the grammar need not parse each of them again.
    static MEMO: RefCell<[HashMap<String, String>; 3]> = RefCell::new(Default::default());
}

/// `f(text)`, remembered per thread and dialect.
fn memoized(dialect: Dialect, text: &str, f: fn(&str) -> String) -> String {
    let slot = dialect as usize;
    if let Some(hit) = MEMO.with(|m| m.borrow()[slot].get(text).cloned()) {
        return hit;
    }
    let value = f(text);
    MEMO.with(|m| {
        let map = &mut m.borrow_mut()[slot];
        if map.len() >= MEMO_CAPACITY {
            map.clear();
        }
        map.insert(text.to_string(), value.clone());
    });
    value
}

/// Integer types whose `(N)` is a display width on MySQL, not a size.
const MYSQL_INTEGER_TYPES: &[&str] = &["tinyint", "smallint", "mediumint", "int", "integer", "bigint"];

/// PostgreSQL's other names of its built-in types, as `format_type` spells them.
const POSTGRES_ALIASES: &[(&str, &str)] = &[
    ("int", "integer"),
    ("int4", "integer"),
    ("int2", "smallint"),
    ("int8", "bigint"),
    ("bool", "boolean"),
    ("float8", "double precision"),
    ("float4", "real"),
    ("decimal", "numeric"),
    ("varchar", "character varying"),
    ("char varying", "character varying"),
    ("char", "character"),
    ("bpchar", "character"),
    ("varbit", "bit varying"),
    ("timestamptz", "timestamp with time zone"),
    ("timetz", "time with time zone"),
];

/// The canonical spelling of `text` as a column type of `dialect`.
pub fn canonical_type(dialect: Dialect, text: &str) -> String {
    match dialect {
        Dialect::Sqlite => sqlite_canonical(text),
        Dialect::Postgres => postgres_canonical(text),
        Dialect::Mysql => mysql_canonical(text),
    }
}

/// SQLite keeps any declared type: upper case, single spaced, no spaces around parentheses
/// and commas.
pub fn sqlite_canonical(raw: &str) -> String {
    memoized(Dialect::Sqlite, raw, sqlite_canonical_uncached)
}

fn sqlite_canonical_uncached(raw: &str) -> String {
    match TypeSpec::parse(raw) {
        Ok(spec) => {
            let mods: Vec<String> = spec.modifiers.iter().map(|m| m.to_uppercase()).collect();
            spec.render_with(&spec.name.join(" "), &mods).to_uppercase()
        }
        Err(_) => {
            let upper = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
            upper.replace("( ", "(").replace(" (", "(").replace(" )", ")").replace(", ", ",").replace(" ,", ",")
        }
    }
}

/// The canonical spelling of a MySQL `COLUMN_TYPE`: lower case outside quotes, integer display
/// widths dropped (`int(11)` → `int`) except `tinyint(1)`, which many tools read as boolean,
/// and widths that `zerofill` pads to; `year(4)` → `year`. Enum and set values keep their case
/// and quoting. MySQL 8.0.19+ already prints integers without widths; this makes MariaDB's
/// spelling compare equal to it.
pub fn mysql_canonical(column_type: &str) -> String {
    memoized(Dialect::Mysql, column_type, mysql_canonical_uncached)
}

fn mysql_canonical_uncached(column_type: &str) -> String {
    let Ok(spec) = TypeSpec::parse(column_type) else {
        return lower_outside_quotes(column_type.trim());
    };
    let name = spec.base_name();
    let width = spec.args.first().map(String::as_str).unwrap_or("");
    let is_width = spec.args.len() == 1 && width.bytes().all(|b| b.is_ascii_digit());
    let zerofill = spec.modifiers.iter().any(|m| m == "zerofill");
    let keep = match name.as_str() {
        "tinyint" if width == "1" => true,
        n if MYSQL_INTEGER_TYPES.contains(&n) => zerofill,
        "year" => false,
        _ => true,
    };
    let mut spec = spec;
    if !keep && is_width {
        spec.args.clear();
    }
    let args: Vec<String> =
        spec.args.iter().map(|a| if a.starts_with('\'') { a.clone() } else { a.to_lowercase() }).collect();
    spec.args = args;
    spec.render_with(&name, &spec.modifiers)
}

/// Lower-cases everything outside single-quoted strings.
fn lower_outside_quotes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quoted = false;
    for c in s.chars() {
        if c == '\'' {
            quoted = !quoted;
            out.push(c);
        } else if quoted {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// PostgreSQL's `format_type` spelling: aliases resolved (`int4` → `integer`, `varchar(20)` →
/// `character varying(20)`), `timestamp`/`time` with their time zone spelled out, `float(n)`
/// sized; user types keep their (quoted) name.
pub fn postgres_canonical(text: &str) -> String {
    memoized(Dialect::Postgres, text, postgres_canonical_uncached)
}

fn postgres_canonical_uncached(text: &str) -> String {
    let Ok(mut spec) = TypeSpec::parse(text) else {
        return text.trim().to_string();
    };
    let mut name = spec.base_name();
    if let Some((_, to)) = POSTGRES_ALIASES.iter().find(|(from, _)| *from == name) {
        name = to.to_string();
    }
    if name == "float" {
        let bits: u32 = spec.args.first().and_then(|a| a.parse().ok()).unwrap_or(53);
        name = if bits <= 24 { "real" } else { "double precision" }.into();
        spec.args.clear();
    }
    if name == "character" && spec.args.is_empty() {
        spec.args.push("1".into());
    }
    let mut modifiers = spec.modifiers.clone();
    if (name == "timestamp" || name == "time") && modifiers.is_empty() {
        modifiers.push("without time zone".into());
    }
    if let Some(base) = name.strip_suffix(" with time zone").or_else(|| name.strip_suffix(" without time zone")) {
        // `timestamp with time zone` without arguments reads as one name; keep it whole.
        if spec.args.is_empty() {
            return spec.render_with(&name, &modifiers);
        }
        let zone = name[base.len() + 1..].to_string();
        name = base.to_string();
        modifiers = vec![zone];
    }
    let arrays = spec.arrays.iter().map(|_| None).collect();
    spec.arrays = arrays;
    spec.render_with(&name, &modifiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_spells_types_as_format_type_does() {
        for (given, want) in [
            ("int4", "integer"),
            ("VARCHAR(20)[]", "character varying(20)[]"),
            ("character varying(20)[]", "character varying(20)[]"),
            ("timestamptz(3)", "timestamp(3) with time zone"),
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("timestamp with time zone", "timestamp with time zone"),
            ("numeric(10, 2)", "numeric(10,2)"),
            ("double precision", "double precision"),
            ("float(10)", "real"),
            ("char", "character(1)"),
            ("int[][]", "integer[][]"),
            ("\"Mood\"", "\"Mood\""),
            ("other.status", "other.status"),
            ("bit varying(5)", "bit varying(5)"),
        ] {
            assert_eq!(postgres_canonical(given), want, "{given}");
        }
    }

    #[test]
    fn mysql_drops_display_widths_as_before() {
        assert_eq!(mysql_canonical("int(11)"), "int");
        assert_eq!(mysql_canonical("bigint(20) unsigned"), "bigint unsigned");
        assert_eq!(mysql_canonical("tinyint(1)"), "tinyint(1)");
        assert_eq!(mysql_canonical("tinyint(4)"), "tinyint");
        assert_eq!(mysql_canonical("smallint(5) unsigned zerofill"), "smallint(5) unsigned zerofill");
        assert_eq!(mysql_canonical("year(4)"), "year");
        assert_eq!(mysql_canonical("DECIMAL(10,2)"), "decimal(10,2)");
        assert_eq!(mysql_canonical("enum('Ok','it''s','A B')"), "enum('Ok','it''s','A B')");
        assert_eq!(mysql_canonical("SET('X','y')"), "set('X','y')");
    }

    #[test]
    fn sqlite_upper_cases_and_collapses_spaces() {
        assert_eq!(sqlite_canonical("varchar ( 10 , 2 )"), "VARCHAR(10,2)");
        assert_eq!(sqlite_canonical("unsigned   big int"), "UNSIGNED BIG INT");
        assert_eq!(sqlite_canonical(""), "");
    }
}
