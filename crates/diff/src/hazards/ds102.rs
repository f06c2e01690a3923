//! DS102: dropping a table, or a partition of one, deletes its rows.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::DS102;

/// What to do instead.
pub const HELP: &str = "if this is a rename, declare it with `-- schema:renamed-from OLD`; otherwise back the data up and pass --allow-destructive";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::DropTable { table } => Some(Hazard::new(CODE, format!("table {table} and all its rows are deleted"))),
        Fact::DropPartition { table, partition } => {
            Some(Hazard::new(CODE, format!("partition {partition} of table {table} and all its rows are deleted")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    #[test]
    fn err_on_dropped_table() {
        let h = analyze(&Fact::DropTable { table: users() }).unwrap();
        assert_eq!(h.message, "table users and all its rows are deleted");
    }

    #[test]
    fn err_on_dropped_partition() {
        let h = analyze(&Fact::DropPartition { table: users(), partition: "p2024".into() }).unwrap();
        assert_eq!(h.message, "partition p2024 of table users and all its rows are deleted");
    }

    #[test]
    fn ok_on_created_table() {
        assert!(analyze(&Fact::CreateTable { table: users() }).is_none());
    }
}
