//! The bounded queries behind the live checks, one shape for every dialect: the drivers run
//! them and read one count. Identifiers are quoted; every query stops after
//! [`PROBE_LIMIT`] + 1 rows, so a check on a large table stays cheap.

use schema_model::{qualified, quote_ident, Dialect};

use super::live::{DataCheck, TypeLimit, PROBE_LIMIT};

/// The query that answers `check` on `dialect`: one row, one integer column.
pub fn probe_sql(check: &DataCheck, dialect: Dialect) -> String {
    let q = |n: &str| quote_ident(dialect, n);
    let t = check.table();
    let table = qualified(dialect, Some(&t.schema), &t.name);
    let limit = PROBE_LIMIT + 1;
    let bounded = |inner: String| format!("SELECT COUNT(*) FROM ({inner} LIMIT {limit}) AS schema_probe");
    match check {
        DataCheck::Duplicates { columns, .. } => {
            let cols: Vec<String> = columns.iter().map(|c| q(c)).collect();
            let not_null: Vec<String> = cols.iter().map(|c| format!("{c} IS NOT NULL")).collect();
            bounded(format!(
                "SELECT 1 FROM {table} WHERE {} GROUP BY {} HAVING COUNT(*) > 1",
                not_null.join(" AND "),
                cols.join(", ")
            ))
        }
        DataCheck::HasRows { .. } => format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS schema_probe"),
        DataCheck::Nulls { column, .. } => bounded(format!("SELECT 1 FROM {table} WHERE {} IS NULL", q(column))),
        DataCheck::Exceeding { column, limit: TypeLimit::MaxChars { max }, .. } => {
            let len = match dialect {
                Dialect::Sqlite => "length",
                Dialect::Postgres | Dialect::Mysql => "char_length",
            };
            bounded(format!("SELECT 1 FROM {table} WHERE {len}({}) > {max}", q(column)))
        }
        DataCheck::Exceeding { column, limit: TypeLimit::IntRange { min, max }, .. } => {
            let c = q(column);
            bounded(format!("SELECT 1 FROM {table} WHERE {c} < {min} OR {c} > {max}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::TableRef;

    #[test]
    fn queries_quote_and_bound() {
        let c = DataCheck::Duplicates { table: TableRef::new("", "we\"ird"), columns: vec!["a b".into(), "c".into()] };
        assert_eq!(
            probe_sql(&c, Dialect::Sqlite),
            "SELECT COUNT(*) FROM (SELECT 1 FROM \"we\"\"ird\" WHERE \"a b\" IS NOT NULL AND \"c\" IS NOT NULL \
             GROUP BY \"a b\", \"c\" HAVING COUNT(*) > 1 LIMIT 1001) AS schema_probe"
        );
        let n = DataCheck::Exceeding {
            table: TableRef::new("", "t`x"),
            column: "c".into(),
            limit: TypeLimit::MaxChars { max: 5 },
            ty: "varchar(5)".into(),
        };
        assert_eq!(
            probe_sql(&n, Dialect::Mysql),
            "SELECT COUNT(*) FROM (SELECT 1 FROM `t``x` WHERE char_length(`c`) > 5 LIMIT 1001) AS schema_probe"
        );
    }
}
