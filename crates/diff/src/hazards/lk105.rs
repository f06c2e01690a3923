//! LK105: MySQL can only run the ALTER by copying the table (ALGORITHM=COPY), blocking writes.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::LK105;

/// What to do instead.
pub const HELP: &str =
    "plan with --online to see which steps run in place, and run the copying ones in a maintenance window";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::TableCopy { table, why } => {
            Some(Hazard::new(CODE, format!("{why}: the table {table} is copied and writes wait (ALGORITHM=COPY)")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_copy() {
        assert!(analyze(&Fact::TableCopy { table: users(), why: "the primary key changes".into() }).is_some());
    }

    #[test]
    fn ok_on_rebuild_fact() {
        assert!(analyze(&Fact::Rebuild { table: users() }).is_none());
    }
}
