//! MF104: making a column NOT NULL fails (or rewrites NULLs) when it holds NULLs.

use super::{DataCheck, Fact, Hazard, HazardCode, LiveCheck, Outcome};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::MF104;

/// What to do instead.
pub const HELP: &str = "backfill NULLs first, then allow MF104";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::SetNotNull { table, column, fill: None } => Some(
            Hazard::new(CODE, format!("column {table}.{column} becomes NOT NULL: fails if it holds NULLs")).with_check(
                LiveCheck {
                    check: DataCheck::Nulls { table: table.clone(), column: column.clone() },
                    if_found: Outcome::WillFail,
                },
            ),
        ),
        Fact::SetNotNull { table, column, fill: Some(d) } => Some(
            Hazard::new(
                CODE,
                format!("column {table}.{column} becomes NOT NULL: NULLs in it are replaced by its default {d}"),
            )
            .with_check(LiveCheck {
                check: DataCheck::Nulls { table: table.clone(), column: column.clone() },
                if_found: Outcome::ChangesData,
            }),
        ),
        Fact::TightenDomain { name } => Some(Hazard::new(
            CODE,
            format!("domain {name} gets a new rule: fails if a column of it holds values that break it"),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_set_not_null() {
        let f = Fact::SetNotNull { table: users(), column: "email".into(), fill: None };
        assert_eq!(analyze(&f).unwrap().check.unwrap().if_found, Outcome::WillFail);
        let f = Fact::SetNotNull { table: users(), column: "email".into(), fill: Some("'x'".into()) };
        assert_eq!(analyze(&f).unwrap().check.unwrap().if_found, Outcome::ChangesData);
    }

    #[test]
    fn ok_on_nullable_column() {
        assert!(analyze(&add_column(true, None)).is_none());
    }
}
