//! MF105: a narrower or different column type fails on, or converts, values that do not fit.

use super::{Conversion, DataCheck, Fact, Hazard, HazardCode, LiveCheck, Outcome};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::MF105;

/// What to do instead.
pub const HELP: &str = "check that every value fits the new type (or convert them first), then allow MF105";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::ChangeType { table, column, from, to, conversion, .. } => {
            let what = format!("column {table}.{column} changes from {from} to {to}");
            match conversion {
                Conversion::Lossless => None,
                Conversion::Converts => {
                    Some(Hazard::new(CODE, format!("{what}: values are converted where they can be")))
                }
                Conversion::FailsOnMisfit { limit } => {
                    let h = Hazard::new(CODE, format!("{what}: values that do not fit make it fail"));
                    Some(match limit {
                        Some(limit) => h.with_check(LiveCheck {
                            check: DataCheck::Exceeding {
                                table: table.clone(),
                                column: column.clone(),
                                limit: limit.clone(),
                                ty: to.clone(),
                            },
                            if_found: Outcome::WillFail,
                        }),
                        None => h,
                    })
                }
            }
        }
        Fact::RestartIdentity { table, column, start } => Some(Hazard::new(
            CODE,
            format!(
                "identity {table}.{column} gets a narrower range: its sequence restarts at {start}, and new rows \
                 may collide with existing ones"
            ),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    fn change(conversion: Conversion) -> Fact {
        Fact::ChangeType {
            table: users(),
            column: "name".into(),
            from: "varchar(20)".into(),
            to: "varchar(5)".into(),
            conversion,
            storage: crate::hazards::Storage::Copy,
        }
    }

    #[test]
    fn err_on_narrowing() {
        let limit = Some(crate::hazards::TypeLimit::MaxChars { max: 5 });
        let h = analyze(&change(Conversion::FailsOnMisfit { limit })).unwrap();
        assert!(matches!(h.check.unwrap().check, DataCheck::Exceeding { .. }));
    }

    #[test]
    fn ok_on_widening() {
        assert!(analyze(&change(Conversion::Lossless)).is_none());
    }
}
