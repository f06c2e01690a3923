//! Column changes on PostgreSQL: type (with `USING` where a cast is needed), default,
//! nullability, identity, generation and comment, with the hazards each one carries.

use schema_model::Column;

use super::render::{collation, column_def, comment, identity, q, qn};
use crate::hazards::{Conversion, Fact, Storage, TableRef, TypeLimit};

/// How a type change behaves on existing rows.
#[derive(Debug, PartialEq, Eq)]
enum TypeChange {
    /// Binary compatible: no rewrite, every value fits.
    Free,
    /// Every value fits, but the table is rewritten.
    Widening,
    /// Values may not fit or convert; the table is rewritten.
    Risky,
}

/// `character varying(20)` → ("character varying", [20]).
fn split_type(t: &str) -> (&str, Vec<i64>) {
    match t.find('(') {
        Some(i) if t.ends_with(')') && !t.ends_with("[])") => {
            let args = t[i + 1..t.len() - 1].split(',').filter_map(|a| a.trim().parse().ok()).collect();
            (t[..i].trim(), args)
        }
        _ => (t, vec![]),
    }
}

fn classify(from: &str, to: &str) -> TypeChange {
    if from == to {
        return TypeChange::Free;
    }
    let ((fb, fa), (tb, ta)) = (split_type(from), split_type(to));
    let texty = |b: &str| b == "character varying" || b == "text";
    match (fb, tb) {
        (a, b) if texty(a) && b == "text" => TypeChange::Free,
        ("character varying", "character varying") if ta.is_empty() || (!fa.is_empty() && ta[0] >= fa[0]) => {
            TypeChange::Free
        }
        ("numeric", "numeric")
            if ta.is_empty() || (fa.len() == 2 && ta.len() == 2 && ta[1] == fa[1] && ta[0] >= fa[0]) =>
        {
            TypeChange::Free
        }
        ("smallint", "integer" | "bigint" | "numeric") | ("integer", "bigint" | "numeric") | ("bigint", "numeric") => {
            TypeChange::Widening
        }
        ("real", "double precision") => TypeChange::Widening,
        ("smallint" | "integer", "double precision") => TypeChange::Widening,
        _ => TypeChange::Risky,
    }
}

/// Whether a new column gets a value computed per row (volatile default, identity,
/// generated), which rewrites the table.
pub fn per_row_value(c: &Column) -> bool {
    let volatile = ["random(", "clock_timestamp(", "timeofday(", "gen_random_uuid(", "uuid_generate_v", "nextval("];
    c.default.as_deref().is_some_and(|d| volatile.iter().any(|v| d.to_lowercase().contains(v)))
        || c.generated.is_some()
        || c.identity.is_some()
}

/// The statements that turn column `a` into `b` on `schema.table`, and what they do for the
/// analyzers.
pub fn alter_column(
    schema: &str,
    table: &str,
    a: &Column,
    b: &Column,
    is_enum: &dyn Fn(&str) -> bool,
) -> (Vec<String>, Vec<Fact>) {
    let tn = qn(schema, table);
    let col = q(&b.name);
    let at = |action: String| format!("ALTER TABLE {tn} ALTER COLUMN {col} {action}");
    let mut sql = Vec::new();
    let mut facts = Vec::new();
    let tref = TableRef::new(schema, table);
    if a.generated != b.generated && !(a.generated.is_some() && b.generated.is_none()) {
        // PostgreSQL 15 cannot change a generation expression: drop and add the column.
        sql.push(format!("ALTER TABLE {tn} DROP COLUMN {col}"));
        sql.push(format!("ALTER TABLE {tn} ADD COLUMN {}", column_def(b)));
        facts.push(Fact::RecreateColumn { table: tref, column: b.name.to_string() });
        if b.comment.is_some() {
            sql.push(comment("COLUMN", &format!("{tn}.{col}"), b.comment.as_deref()));
        }
        return (sql, facts);
    }
    if a.generated.is_some() && b.generated.is_none() {
        sql.push(at("DROP EXPRESSION".into()));
    }
    let type_changes = a.ty.canonical != b.ty.canonical || a.collation != b.collation;
    if a.identity.is_some() && b.identity.is_none() {
        sql.push(at("DROP IDENTITY".into()));
    }
    // A default may not survive the type change: drop it first and set it again after.
    if a.default.is_some() && (type_changes || b.default.is_none()) {
        sql.push(at("DROP DEFAULT".into()));
    }
    if type_changes {
        let change = classify(&a.ty.canonical, &b.ty.canonical);
        let mut action = format!("TYPE {}", b.ty.canonical);
        if let Some(c) = &b.collation {
            action.push_str(&format!(" COLLATE {}", collation(c)));
        }
        if a.ty.canonical != b.ty.canonical && change == TypeChange::Risky {
            let via_text = is_enum(&a.ty.canonical) || is_enum(&b.ty.canonical);
            let array = b.ty.canonical.ends_with("[]");
            let cast = if via_text {
                if array {
                    "::text[]"
                } else {
                    "::text"
                }
            } else {
                ""
            };
            action.push_str(&format!(" USING {col}{cast}::{}", b.ty.canonical));
        }
        sql.push(at(action));
        let (conversion, storage) = match change {
            TypeChange::Free => (Conversion::Lossless, Storage::InPlace),
            TypeChange::Widening => (Conversion::Lossless, Storage::Rewrite),
            TypeChange::Risky => {
                (Conversion::FailsOnMisfit { limit: limit(&a.ty.canonical, &b.ty.canonical) }, Storage::Rewrite)
            }
        };
        if change != TypeChange::Free {
            facts.push(Fact::ChangeType {
                table: tref.clone(),
                column: b.name.to_string(),
                from: a.ty.canonical.to_string(),
                to: b.ty.canonical.to_string(),
                conversion,
                storage,
            });
        }
    }
    if let Some(d) = &b.default {
        if type_changes || a.default.as_ref() != Some(d) {
            sql.push(at(format!("SET DEFAULT {d}")));
        }
    }
    // Identity needs NOT NULL first; NOT NULL goes last, after identity is dropped.
    if !b.nullable && a.nullable {
        sql.push(at("SET NOT NULL".into()));
        facts.push(Fact::SetNotNull { table: tref.clone(), column: b.name.to_string(), fill: None });
    }
    match (&a.identity, &b.identity) {
        (None, Some(i)) => sql.push(at(format!("ADD {}", identity(i)))),
        (Some(x), Some(y)) if x != y => {
            if x.always != y.always {
                sql.push(at(format!("SET GENERATED {}", if y.always { "ALWAYS" } else { "BY DEFAULT" })));
            }
            // A narrower range may leave the sequence's current value outside it, which the
            // server refuses: the sequence then restarts at the new START.
            let narrowed = y.min_value > x.min_value || y.max_value < x.max_value;
            sql.push(at(format!(
                "SET START WITH {} SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET CACHE {} SET {}CYCLE{}",
                y.start,
                y.increment,
                y.min_value,
                y.max_value,
                y.cache,
                if y.cycle { "" } else { "NO " },
                if narrowed { " RESTART" } else { "" }
            )));
            if narrowed {
                facts.push(Fact::RestartIdentity {
                    table: tref,
                    column: b.name.to_string(),
                    start: y.start.to_string(),
                });
            }
        }
        _ => {}
    }
    if b.nullable && !a.nullable {
        sql.push(at("DROP NOT NULL".into()));
    }
    if a.comment != b.comment {
        sql.push(comment("COLUMN", &format!("{tn}.{col}"), b.comment.as_deref()));
    }
    (sql, facts)
}

/// What the new type holds, when the old one is of the same family (strings to a shorter
/// string, whole numbers to a smaller whole number), for the live check.
fn limit(from: &str, to: &str) -> Option<TypeLimit> {
    let ((fb, _), (tb, ta)) = (split_type(from), split_type(to));
    let stringy = |b: &str| matches!(b, "character varying" | "character" | "text");
    let int_range = |b: &str| match b {
        "smallint" => Some((i16::MIN as i128, i16::MAX as i128)),
        "integer" => Some((i32::MIN as i128, i32::MAX as i128)),
        "bigint" => Some((i64::MIN as i128, i64::MAX as i128)),
        _ => None,
    };
    if stringy(fb) && matches!(tb, "character varying" | "character") {
        return ta.first().map(|&n| TypeLimit::MaxChars { max: n as u64 });
    }
    if int_range(fb).is_some() || fb == "numeric" {
        return int_range(tb).map(|(min, max)| TypeLimit::IntRange { min, max });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_change_classes() {
        assert_eq!(classify("character varying(10)", "character varying(20)"), TypeChange::Free);
        assert_eq!(classify("character varying(20)", "character varying(10)"), TypeChange::Risky);
        assert_eq!(classify("character varying(20)", "text"), TypeChange::Free);
        assert_eq!(classify("numeric(10,2)", "numeric(12,2)"), TypeChange::Free);
        assert_eq!(classify("integer", "bigint"), TypeChange::Widening);
        assert_eq!(classify("bigint", "integer"), TypeChange::Risky);
        assert_eq!(classify("text", "integer"), TypeChange::Risky);
    }
}
