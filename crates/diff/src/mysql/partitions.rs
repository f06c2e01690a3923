//! Partitioning on MySQL/MariaDB. Partitions appended to a RANGE or LIST table are added
//! (`ADD PARTITION`), partitions left out are dropped with their rows (`DROP PARTITION`, its
//! own step so that the policy can withhold it alone); any other change partitions the table
//! anew (`PARTITION BY`, a table copy that moves every row and refuses rows no partition
//! takes, so nothing is lost) or takes partitioning away (`REMOVE PARTITIONING`).

use schema_model::partition::{is_hashed, server_named};
use schema_model::{Partition, Table};

use super::key;
use super::render::q;
use crate::hazards::{Fact, TableRef};
use crate::order::{Draft, Phase};
use crate::plan::Step;

/// `PARTITION BY method (key) ...` for a partitioned table, or None.
pub fn partition_clause(t: &Table) -> Option<String> {
    let by = t.partition_by.as_deref()?;
    let defs = if t.partitions.is_empty() {
        String::new()
    } else if is_hashed(by) && server_named(&t.partitions) {
        format!(" PARTITIONS {}", t.partitions.len())
    } else {
        format!(" ({})", t.partitions.iter().map(definition).collect::<Vec<_>>().join(", "))
    };
    Some(format!("PARTITION BY {by}{defs}"))
}

/// `PARTITION name [VALUES ...]`.
fn definition(p: &Partition) -> String {
    match &p.bound {
        Some(b) => format!("PARTITION {} {b}", q(&p.name)),
        None => format!("PARTITION {}", q(&p.name)),
    }
}

/// The steps that move `from`'s partitioning to `to`'s, and whether one of them must run
/// before the table's other changes (partitioning taken away first, so that a primary key
/// no longer has to hold the partition key). `busy` says the table has other changes too.
pub fn repartition(from: &Table, to: &Table, busy: bool) -> Vec<(Draft, bool)> {
    let t = q(&to.name);
    let table = TableRef::new("", &to.name);
    let alter = |sql: String| format!("ALTER TABLE {t} {sql}");
    let copy = |why: &str| Fact::TableCopy { table: table.clone(), why: why.into() };
    // A step after the table's other changes reads the table they provide; one before them
    // reads nothing and keeps its place by creation order.
    let draft = |s: Step, first: bool| {
        let mut d = Draft::new(s, Phase::AlterTable, key(&to.name));
        if !first {
            d.reads = vec![key(&to.name)];
        }
        (d, first)
    };
    let remove = |back: String| {
        let s = Step::new(
            format!("remove partitioning of {t}"),
            vec![alter("REMOVE PARTITIONING".into())],
            vec![alter(back)],
        )
        .with_fact(copy("partitioning is removed"));
        draft(s, true)
    };
    let partition = |clause: String, back: String| {
        let s = Step::new(format!("partition {t}"), vec![alter(clause)], vec![alter(back)])
            .with_fact(copy("the table is partitioned anew"));
        draft(s, false)
    };
    let (old, new) = (partition_clause(from), partition_clause(to));
    match (old, new) {
        (None, None) => vec![],
        (Some(old), None) => vec![remove(old)],
        (None, Some(new)) => vec![partition(new, "REMOVE PARTITIONING".into())],
        (Some(old), Some(new)) if from.partition_by != to.partition_by || from.partition_of != to.partition_of => {
            if busy {
                vec![remove(old), partition(new, "REMOVE PARTITIONING".into())]
            } else {
                vec![partition(new, old)]
            }
        }
        (Some(old), Some(new)) => match appended(from, to) {
            Some((dropped, added)) => {
                let mut out = Vec::new();
                if !dropped.is_empty() {
                    let names: Vec<String> = dropped.iter().map(|p| q(&p.name)).collect();
                    let defs: Vec<String> = dropped.iter().map(|p| definition(p)).collect();
                    let mut s = Step::new(
                        format!("drop partition(s) {} of {t}", names.join(", ")),
                        vec![alter(format!("DROP PARTITION {}", names.join(", ")))],
                        vec![alter(format!("ADD PARTITION ({})", defs.join(", ")))],
                    );
                    s.irreversible =
                        Some(format!("the rows of the dropped partitions of {} cannot come back", to.name));
                    s.facts = dropped
                        .iter()
                        .map(|p| Fact::DropPartition { table: table.clone(), partition: p.name.clone() })
                        .collect();
                    out.push(draft(s, false));
                }
                if !added.is_empty() {
                    let names: Vec<String> = added.iter().map(|p| q(&p.name)).collect();
                    let defs: Vec<String> = added.iter().map(|p| definition(p)).collect();
                    let s = Step::new(
                        format!("add partition(s) {} to {t}", names.join(", ")),
                        vec![alter(format!("ADD PARTITION ({})", defs.join(", ")))],
                        vec![alter(format!("DROP PARTITION {}", names.join(", ")))],
                    );
                    out.push(draft(s, false));
                }
                out
            }
            None => vec![partition(new, old)],
        },
    }
}

/// For a RANGE or LIST table whose kept partitions are unchanged and in the same order, with
/// the new ones after all of them: the partitions to drop and to add. None when only
/// partitioning anew reaches `to` (HASH/KEY counts, changed bounds, inserted partitions, or
/// every partition dropped, which MySQL refuses).
fn appended<'a>(from: &'a Table, to: &'a Table) -> Option<(Vec<&'a Partition>, Vec<&'a Partition>)> {
    if to.partition_by.as_deref().is_none_or(is_hashed) {
        return None;
    }
    let same = |a: &Partition, b: &Partition| a.name.eq_ignore_ascii_case(&b.name);
    let kept_from: Vec<&Partition> =
        from.partitions.iter().filter(|p| to.partitions.iter().any(|d| same(p, d))).collect();
    let kept_to: Vec<&Partition> = to.partitions.iter().take(kept_from.len()).collect();
    let unchanged = kept_from.len() == kept_to.len()
        && kept_from.iter().zip(&kept_to).all(|(a, b)| a == b || (same(a, b) && a.bound == b.bound));
    if !unchanged || kept_from.is_empty() {
        return None;
    }
    let dropped = from.partitions.iter().filter(|p| !to.partitions.iter().any(|d| same(p, d))).collect();
    let added = to.partitions[kept_to.len()..].iter().collect();
    Some((dropped, added))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(by: &str, parts: &[(&str, Option<&str>)]) -> Table {
        Table {
            name: "t".into(),
            partition_by: Some(by.into()),
            partitions: parts
                .iter()
                .map(|(n, b)| Partition { name: n.to_string(), bound: b.map(String::from) })
                .collect(),
            ..Default::default()
        }
    }

    fn sql(steps: &[(Draft, bool)]) -> Vec<String> {
        steps.iter().flat_map(|(d, _)| d.step.sql.clone()).collect()
    }

    const Y1: Option<&str> = Some("VALUES LESS THAN (2023)");
    const Y2: Option<&str> = Some("VALUES LESS THAN (2024)");

    #[test]
    fn appended_and_left_out_partitions_are_added_and_dropped() {
        let from = table("RANGE (`y`)", &[("a", Y1), ("b", Y2)]);
        let to = table("RANGE (`y`)", &[("a", Y1), ("c", Some("VALUES LESS THAN (2030)"))]);
        let steps = repartition(&from, &to, false);
        assert_eq!(
            sql(&steps),
            [
                "ALTER TABLE `t` DROP PARTITION `b`",
                "ALTER TABLE `t` ADD PARTITION (PARTITION `c` VALUES LESS THAN (2030))"
            ]
        );
        assert_eq!(
            steps[0].0.step.facts,
            [Fact::DropPartition { table: TableRef::new("", "t"), partition: "b".into() }]
        );
        assert!(steps[0].0.step.irreversible.is_some());
    }

    #[test]
    fn inserted_or_rebounded_partitions_partition_anew() {
        let from = table("RANGE (`y`)", &[("b", Y2)]);
        let to = table("RANGE (`y`)", &[("a", Y1), ("b", Y2)]);
        assert_eq!(sql(&repartition(&from, &to, false)), [
            "ALTER TABLE `t` PARTITION BY RANGE (`y`) (PARTITION `a` VALUES LESS THAN (2023), PARTITION `b` VALUES LESS THAN (2024))"
        ]);
        let to = table("RANGE (`y`)", &[("b", Y1)]);
        assert_eq!(repartition(&from, &to, false).len(), 1);
    }

    #[test]
    fn hashed_counts_and_methods() {
        let from = table("HASH (`id`)", &[("p0", None)]);
        let to = table("HASH (`id`)", &[("p0", None), ("p1", None), ("p2", None)]);
        assert_eq!(sql(&repartition(&from, &to, false)), ["ALTER TABLE `t` PARTITION BY HASH (`id`) PARTITIONS 3"]);
        let plain = Table { name: "t".into(), ..Default::default() };
        let steps = repartition(&from, &plain, true);
        assert_eq!(sql(&steps), ["ALTER TABLE `t` REMOVE PARTITIONING"]);
        assert!(steps[0].1, "taken away before the table's other changes");
        // A new method on a table with other changes: removed first, partitioned after.
        let steps = repartition(&from, &table("KEY (`id`)", &[("p0", None)]), true);
        assert_eq!(steps.iter().map(|(_, first)| *first).collect::<Vec<_>>(), [true, false]);
    }
}
