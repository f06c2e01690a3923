//! LK102: a column type change that rewrites the table under an exclusive lock.

use super::{Fact, Hazard, HazardCode, Storage};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::LK102;

/// What to do instead.
pub const HELP: &str = "add a new column, backfill it, and switch over instead of rewriting in place";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::ChangeType { table, column, from, to, storage: Storage::Rewrite, .. } => Some(Hazard::new(
            CODE,
            format!("column {table}.{column} changes from {from} to {to}: the table is rewritten"),
        )),
        Fact::RecreateColumn { table, column } => Some(Hazard::new(
            CODE,
            format!("column {table}.{column} is dropped and added again: the table is rewritten"),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    fn change(storage: Storage) -> Fact {
        Fact::ChangeType {
            table: users(),
            column: "n".into(),
            from: "integer".into(),
            to: "bigint".into(),
            conversion: crate::hazards::Conversion::Lossless,
            storage,
        }
    }

    #[test]
    fn err_on_rewrite() {
        assert!(analyze(&change(Storage::Rewrite)).is_some());
    }

    #[test]
    fn ok_in_place_or_mysql_copy() {
        assert!(analyze(&change(Storage::InPlace)).is_none());
        assert!(analyze(&change(Storage::Copy)).is_none());
    }
}
