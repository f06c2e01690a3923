//! DS104: dropping an index, constraint, view, trigger or type that integrity or a query relies on.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::DS104;

/// What to do instead.
pub const HELP: &str = "check that no query or integrity rule relies on it, then pass --allow-destructive";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::DropObject { kind, name, on: Some(table) } => {
            Some(Hazard::new(CODE, format!("{kind} {name} on {table} is dropped")))
        }
        Fact::DropObject { kind, name, on: None } => Some(Hazard::new(CODE, format!("{kind} {name} is dropped"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_dropped_index() {
        let f = Fact::DropObject { kind: "index".into(), name: "by_email".into(), on: Some(users()) };
        assert_eq!(analyze(&f).unwrap().message, "index by_email on users is dropped");
    }

    #[test]
    fn ok_on_blocking_index_build() {
        let f = Fact::BlockingIndex { table: users(), index: "i".into(), drop: false };
        assert!(analyze(&f).is_none());
    }
}
