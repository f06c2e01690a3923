//! LK101: PostgreSQL builds or drops an index without CONCURRENTLY under a lock that blocks writes.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::LK101;

/// What to do instead.
pub const HELP: &str = "plan with --online to build and drop the index CONCURRENTLY";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::BlockingIndex { table, index, drop: false } => Some(Hazard::new(
            CODE,
            format!("index {index} is built without CONCURRENTLY: writes to {table} wait until it is done"),
        )),
        Fact::BlockingIndex { table, index, drop: true } => {
            Some(Hazard::new(CODE, format!("index {index} is dropped without CONCURRENTLY: queries on {table} wait")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_blocking_build() {
        assert!(analyze(&Fact::BlockingIndex { table: users(), index: "i".into(), drop: true }).is_some());
    }

    #[test]
    fn ok_on_unique_fact() {
        let f = Fact::AddUnique { table: users(), columns: vec!["a".into()], name: "u".into(), checkable: true };
        assert!(analyze(&f).is_none());
    }
}
