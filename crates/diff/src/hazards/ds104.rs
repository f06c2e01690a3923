//! DS104: dropping an index, constraint, view, trigger or type that integrity or a query relies
//! on, or turning off the row-level security that keeps rows from roles.

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
        Fact::LoosenRowSecurity { table, force_only: false } => Some(Hazard::new(
            CODE,
            format!(
                "row level security on {table} is turned off: every role with access to the table sees all its rows"
            ),
        )),
        Fact::LoosenRowSecurity { table, force_only: true } => Some(Hazard::new(
            CODE,
            format!("row level security on {table} is no longer forced: the table's owner bypasses its policies"),
        )),
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
    fn err_on_row_security_turned_off_or_unforced() {
        let off = Fact::LoosenRowSecurity { table: users(), force_only: false };
        assert!(analyze(&off).unwrap().message.starts_with("row level security on users is turned off"));
        let unforced = Fact::LoosenRowSecurity { table: users(), force_only: true };
        assert!(analyze(&unforced).unwrap().message.contains("owner bypasses its policies"));
    }

    #[test]
    fn ok_on_blocking_index_build() {
        let f = Fact::BlockingIndex { table: users(), index: "i".into(), drop: false };
        assert!(analyze(&f).is_none());
    }
}
