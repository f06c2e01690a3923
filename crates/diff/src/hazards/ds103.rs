//! DS103: dropping a column deletes its data.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::DS103;

/// What to do instead.
pub const HELP: &str = "if this is a rename, declare it with `-- schema:renamed-from OLD` on the column; otherwise back the data up and pass --allow-destructive";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::DropColumn { table, column } => {
            Some(Hazard::new(CODE, format!("column {table}.{column} and its data are deleted")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_dropped_column() {
        assert!(analyze(&Fact::DropColumn { table: users(), column: "email".into() }).is_some());
    }

    #[test]
    fn ok_on_renamed_column() {
        let f = Fact::RenameColumn { table: users(), from: "a".into(), to: "b".into() };
        assert!(analyze(&f).is_none());
    }
}
