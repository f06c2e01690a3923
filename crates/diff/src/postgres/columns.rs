//! Column changes on PostgreSQL: type (with `USING` where a cast is needed), default,
//! nullability, identity, generation and comment, with the hazards each one carries.

use schema_model::Column;

use super::render::{collation, column_def, comment, identity, q, qn};
use crate::hazard::{Hazard, HazardCode};

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

/// The hazards of adding `c` to an existing table.
pub fn add_column_hazards(schema: &str, table: &str, c: &Column) -> Vec<Hazard> {
    let mut out = Vec::new();
    if !c.nullable && c.default.is_none() && c.identity.is_none() && c.generated.is_none() {
        out.push(Hazard::new(
            HazardCode::MF103,
            format!("NOT NULL column {schema}.{table}.{} has no default: fails if the table has rows", c.name),
        ));
    }
    let volatile = ["random(", "clock_timestamp(", "timeofday(", "gen_random_uuid(", "uuid_generate_v", "nextval("];
    let rewrites = c.default.as_deref().is_some_and(|d| volatile.iter().any(|v| d.to_lowercase().contains(v)))
        || c.generated.is_some()
        || c.identity.is_some();
    if rewrites {
        out.push(Hazard::new(
            HazardCode::LK104,
            format!(
                "column {schema}.{table}.{} gets a value per row: the table is rewritten under an exclusive lock",
                c.name
            ),
        ));
    }
    out
}

/// The statements (and hazards) that turn column `a` into `b` on `schema.table`.
pub fn alter_column(
    schema: &str,
    table: &str,
    a: &Column,
    b: &Column,
    is_enum: &dyn Fn(&str) -> bool,
) -> (Vec<String>, Vec<Hazard>) {
    let tn = qn(schema, table);
    let col = q(&b.name);
    let at = |action: String| format!("ALTER TABLE {tn} ALTER COLUMN {col} {action}");
    let mut sql = Vec::new();
    let mut hazards = Vec::new();
    let what = format!("{schema}.{table}.{}", b.name);
    if a.generated != b.generated && !(a.generated.is_some() && b.generated.is_none()) {
        // PostgreSQL 15 cannot change a generation expression: drop and add the column.
        sql.push(format!("ALTER TABLE {tn} DROP COLUMN {col}"));
        sql.push(format!("ALTER TABLE {tn} ADD COLUMN {}", column_def(b)));
        hazards.push(Hazard::new(
            HazardCode::LK102,
            format!("column {what} is dropped and added again: the table is rewritten"),
        ));
        if b.comment.is_some() {
            sql.push(comment("COLUMN", &format!("{tn}.{col}"), b.comment.as_deref()));
        }
        return (sql, hazards);
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
        match change {
            TypeChange::Free => {}
            TypeChange::Widening => hazards.push(Hazard::new(
                HazardCode::LK102,
                format!("column {what} changes from {} to {}: the table is rewritten", a.ty.canonical, b.ty.canonical),
            )),
            TypeChange::Risky => {
                hazards.push(Hazard::new(
                    HazardCode::LK102,
                    format!(
                        "column {what} changes from {} to {}: the table is rewritten",
                        a.ty.canonical, b.ty.canonical
                    ),
                ));
                hazards.push(Hazard::new(
                    HazardCode::MF105,
                    format!(
                        "column {what} changes from {} to {}: values that do not convert make it fail",
                        a.ty.canonical, b.ty.canonical
                    ),
                ));
            }
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
        hazards.push(Hazard::new(
            HazardCode::MF104,
            format!(
                "column {what} becomes NOT NULL: fails if it holds NULLs, and scans the table under an exclusive lock"
            ),
        ));
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
                hazards.push(Hazard::new(
                    HazardCode::MF105,
                    format!(
                        "identity {what} gets a narrower range: its sequence restarts at {}, and new rows may \
                         collide with existing ones",
                        y.start
                    ),
                ));
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
    (sql, hazards)
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
