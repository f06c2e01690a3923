//! BC101: renaming a table breaks application versions still running with the old name.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::BC101;

/// What to do instead.
pub const HELP: &str = "deploy application code that reads both names first (expand/contract), then allow BC101";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::RenameTable { from, to } => Some(Hazard::new(
            CODE,
            format!("table {from} is renamed to {to}; running code that uses the old name breaks"),
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
        assert!(analyze(&Fact::RenameTable { from: users(), to: "people".into() }).is_some());
    }

    #[test]
    fn ok_on_create() {
        assert!(analyze(&Fact::CreateTable { table: users() }).is_none());
    }
}
