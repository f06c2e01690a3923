//! BC102: renaming a column breaks application versions still running with the old name.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::BC102;

/// What to do instead.
pub const HELP: &str = "deploy application code that reads both names first (expand/contract), then allow BC102";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::RenameColumn { table, from, to } => Some(Hazard::new(
            CODE,
            format!("column {table}.{from} is renamed to {to}; running code that uses the old name breaks"),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_rename() {
        let f = Fact::RenameColumn { table: users(), from: "name".into(), to: "full_name".into() };
        assert_eq!(
            analyze(&f).unwrap().message,
            "column users.name is renamed to full_name; running code that uses the old name breaks"
        );
    }

    #[test]
    fn ok_on_table_rename() {
        assert!(analyze(&Fact::RenameTable { from: users(), to: "people".into() }).is_none());
    }
}
