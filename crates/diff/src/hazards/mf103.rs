//! MF103: a NOT NULL column without a default cannot be added to a table with rows.

use schema_model::Column;

use super::{DataCheck, Fact, Hazard, HazardCode, LiveCheck, NewColumnRows, Outcome};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::MF103;

/// What to do instead.
pub const HELP: &str = "give the column a default, or add it nullable, backfill, then make it NOT NULL";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::AddColumn { table, column, rows, .. } if needs_value(column) => {
            let (message, if_found) = match rows {
                NewColumnRows::Fail => ("fails if the table has rows", Outcome::WillFail),
                NewColumnRows::ZeroValue => ("existing rows get the type's zero value", Outcome::ChangesData),
            };
            Some(
                Hazard::new(CODE, format!("NOT NULL column {table}.{} has no default: {message}", column.name))
                    .with_check(LiveCheck { check: DataCheck::HasRows { table: table.clone() }, if_found }),
            )
        }
        _ => None,
    }
}

/// True when existing rows would have no value for the column: NOT NULL, and no default,
/// identity, generation or auto-increment to fill it.
fn needs_value(c: &Column) -> bool {
    let no_default = c.default.as_deref().is_none_or(|d| d.trim().eq_ignore_ascii_case("null"));
    !c.nullable && no_default && c.identity.is_none() && c.generated.is_none() && !c.auto_increment
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_not_null_without_default() {
        let h = analyze(&add_column(false, None)).unwrap();
        assert_eq!(h.check.unwrap().if_found, Outcome::WillFail);
    }

    #[test]
    fn ok_with_default_or_nullable() {
        assert!(analyze(&add_column(false, Some("0"))).is_none());
        assert!(analyze(&add_column(true, None)).is_none());
        assert!(analyze(&add_column(false, Some("NULL"))).is_some());
    }
}
