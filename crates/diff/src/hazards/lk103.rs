//! LK103: PostgreSQL adds a foreign key or check valid, scanning the table under a lock that blocks writes.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::LK103;

/// What to do instead.
pub const HELP: &str = "plan with --online to add it NOT VALID and VALIDATE it separately";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::ValidatingConstraint { table, kind, name } => {
            Some(Hazard::new(CODE, format!("{kind} {name} scans {table} while holding a lock that blocks writes")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_valid_fk() {
        let f = Fact::ValidatingConstraint { table: users(), kind: "foreign key".into(), name: "fk".into() };
        assert!(analyze(&f).is_some());
    }

    #[test]
    fn ok_on_drop() {
        assert!(analyze(&Fact::DropColumn { table: users(), column: "c".into() }).is_none());
    }
}
