//! DS101: dropping a schema deletes every object and row in it.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::DS101;

/// What to do instead.
pub const HELP: &str =
    "if this is a mistake, add the schema back to the desired state; otherwise back it up and pass --allow-destructive";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::DropSchema { schema } => {
            Some(Hazard::new(CODE, format!("schema {schema} is dropped with everything in it")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_dropped_schema() {
        assert_eq!(analyze(&Fact::DropSchema { schema: "app".into() }).unwrap().code, CODE);
    }

    #[test]
    fn ok_on_other_drops() {
        assert!(analyze(&Fact::DropTable { table: users() }).is_none());
    }
}
