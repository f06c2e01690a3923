//! The partitions a MySQL/MariaDB table declares inline (`PARTITION BY ... (PARTITION p0 ...)`);
//! the method and key live in `Table::partition_by`, shared with PostgreSQL.

use serde::{Deserialize, Serialize};

/// One partition of a MySQL/MariaDB partitioned table, in declared order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Partition {
    /// The partition's name (`p0`..`pN` when the server named them for `PARTITIONS n`).
    pub name: String,
    /// `VALUES LESS THAN (...)` or `VALUES IN (...)` in the server's rendering; none for
    /// HASH and KEY partitions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<String>,
}

/// True for a `partition_by` of the HASH or KEY kinds (`LINEAR` included), whose partitions
/// hold no values and are counted rather than bounded.
pub fn is_hashed(partition_by: &str) -> bool {
    let method = partition_by.trim_start().to_ascii_uppercase();
    let method = method.strip_prefix("LINEAR ").unwrap_or(&method).trim_start();
    method.starts_with("HASH") || method.starts_with("KEY")
}

/// True when `partitions` are exactly the ones `PARTITIONS n` makes: `p0`..`p{n-1}`, unbounded.
pub fn server_named(partitions: &[Partition]) -> bool {
    partitions.iter().enumerate().all(|(i, p)| p.bound.is_none() && p.name == format!("p{i}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_methods_are_told_apart() {
        assert!(is_hashed("HASH (`a`)") && is_hashed("LINEAR KEY (`a`)") && is_hashed("KEY (`a`)"));
        assert!(!is_hashed("RANGE (`a`)") && !is_hashed("LIST COLUMNS (`a`)"));
    }

    #[test]
    fn server_names_are_p0_to_pn() {
        let p = |n: &str| Partition { name: n.into(), bound: None };
        assert!(server_named(&[p("p0"), p("p1")]));
        assert!(!server_named(&[p("p1")]) && !server_named(&[p("a")]));
    }
}
