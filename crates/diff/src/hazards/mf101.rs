//! MF101: a unique index or constraint on existing data fails when the data holds duplicates.

use super::{DataCheck, Fact, Hazard, HazardCode, LiveCheck, Outcome};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::MF101;

/// What to do instead.
pub const HELP: &str = "remove duplicate values first, then allow MF101";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::AddUnique { table, columns, name, checkable } => {
            let h = Hazard::new(
                CODE,
                format!("unique {name} on {table} ({}) fails if it holds duplicates", columns.join(", ")),
            );
            Some(if *checkable {
                h.with_check(LiveCheck {
                    check: DataCheck::Duplicates { table: table.clone(), columns: columns.clone() },
                    if_found: Outcome::WillFail,
                })
            } else {
                h
            })
        }
        Fact::AddExclusion { table, name } => {
            Some(Hazard::new(CODE, format!("exclusion constraint {name} on {table} fails if rows conflict")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_unique_with_duplicate_check() {
        let f = Fact::AddUnique { table: users(), columns: vec!["email".into()], name: "u".into(), checkable: true };
        let h = analyze(&f).unwrap();
        assert_eq!(h.check.unwrap().check, DataCheck::Duplicates { table: users(), columns: vec!["email".into()] });
    }

    #[test]
    fn err_on_exclusion_constraint() {
        let f = Fact::AddExclusion { table: users(), name: "no_overlap".into() };
        assert_eq!(analyze(&f).unwrap().message, "exclusion constraint no_overlap on users fails if rows conflict");
    }

    #[test]
    fn ok_on_plain_column() {
        assert!(analyze(&add_column(true, None)).is_none());
    }
}
