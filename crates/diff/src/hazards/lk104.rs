//! LK104: PostgreSQL rewrites the table for a new column whose value is computed per row.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::LK104;

/// What to do instead.
pub const HELP: &str = "add the column without the default, then set it for new rows and backfill in batches";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::AddColumn { table, column, per_row_value: true, .. } => Some(Hazard::new(
            CODE,
            format!(
                "column {table}.{} gets a value per row: the table is rewritten under an exclusive lock",
                column.name
            ),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_per_row_value() {
        let mut f = add_column(true, Some("random()"));
        if let Fact::AddColumn { per_row_value, .. } = &mut f {
            *per_row_value = true;
        }
        assert!(analyze(&f).is_some());
    }

    #[test]
    fn ok_on_constant_default() {
        assert!(analyze(&add_column(true, Some("0"))).is_none());
    }
}
