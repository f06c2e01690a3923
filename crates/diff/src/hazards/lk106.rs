//! LK106: SQLite rebuilds a table: every row is copied into a new table under an exclusive lock.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::LK106;

/// What to do instead.
pub const HELP: &str = "allow LK106 when the table's size permits, or make the change with an ALTER SQLite supports (add a nullable column)";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::Rebuild { table } => {
            Some(Hazard::new(CODE, format!("table {table} is rebuilt: every row is copied into a new table")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_rebuild() {
        assert!(analyze(&Fact::Rebuild { table: users() }).is_some());
    }

    #[test]
    fn ok_on_copy_fact() {
        assert!(analyze(&Fact::TableCopy { table: users(), why: "x".into() }).is_none());
    }
}
