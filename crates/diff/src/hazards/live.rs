//! Live-data checks: a data-dependent hazard asks the live database whether it will fail
//! (duplicates, NULLs, rows, values that do not fit) through [`DataProbe`], which the
//! drivers implement; the answer becomes the hazard's verdict.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::fact::TableRef;
use crate::plan::Plan;

/// Checks count at most this many offending rows or groups, so a large table stays cheap.
pub const PROBE_LIMIT: u64 = 1000;

/// What a column's new type holds, for counting the values that do not fit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeLimit {
    /// Strings of at most `max` characters.
    MaxChars {
        /// The new length.
        max: u64,
    },
    /// Whole numbers from `min` to `max`.
    IntRange {
        /// The smallest value.
        min: i128,
        /// The largest value.
        max: i128,
    },
}

/// A question about the live data, asked before a data-dependent step runs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DataCheck {
    /// How many groups of equal non-NULL keys there are (MF101).
    Duplicates {
        /// The table.
        table: TableRef,
        /// The key columns.
        columns: Vec<String>,
    },
    /// Whether the table has rows (MF103).
    HasRows {
        /// The table.
        table: TableRef,
    },
    /// How many rows hold NULL in the column (MF104).
    Nulls {
        /// The table.
        table: TableRef,
        /// The column.
        column: String,
    },
    /// How many values of the column do not fit the new type (MF105).
    Exceeding {
        /// The table.
        table: TableRef,
        /// The column.
        column: String,
        /// What fits.
        limit: TypeLimit,
        /// The new type, for the verdict.
        ty: String,
    },
}

impl DataCheck {
    /// The table the check reads.
    pub fn table(&self) -> &TableRef {
        match self {
            DataCheck::Duplicates { table, .. }
            | DataCheck::HasRows { table }
            | DataCheck::Nulls { table, .. }
            | DataCheck::Exceeding { table, .. } => table,
        }
    }

    fn table_mut(&mut self) -> &mut TableRef {
        match self {
            DataCheck::Duplicates { table, .. }
            | DataCheck::HasRows { table }
            | DataCheck::Nulls { table, .. }
            | DataCheck::Exceeding { table, .. } => table,
        }
    }

    /// What `found` offending rows or groups mean, in words.
    fn describe(&self, found: u64) -> String {
        let n = if found > PROBE_LIMIT { format!("more than {PROBE_LIMIT}") } else { found.to_string() };
        match self {
            DataCheck::Duplicates { table, columns } if found == 0 => {
                format!("no duplicate values of {} in {table}", columns.join(", "))
            }
            DataCheck::Duplicates { table, columns } => {
                format!("{n} duplicate value{} of {} in {table}", plural(found), columns.join(", "))
            }
            DataCheck::HasRows { table } if found == 0 => format!("no rows in {table}"),
            DataCheck::HasRows { table } => format!("{table} has rows"),
            DataCheck::Nulls { table, column } if found == 0 => format!("no NULLs in {table}.{column}"),
            DataCheck::Nulls { table, column } => format!("{n} NULL{} in {table}.{column}", plural(found)),
            DataCheck::Exceeding { table, column, ty, .. } if found == 0 => {
                format!("every value of {table}.{column} fits {ty}")
            }
            DataCheck::Exceeding { table, column, ty, .. } => {
                format!(
                    "{n} value{} of {table}.{column} do{} not fit {ty}",
                    plural(found),
                    if found == 1 { "es" } else { "" }
                )
            }
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What the offending data does to the step when the check finds some.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Nothing in the data is at risk.
    Safe,
    /// The step fails on this data.
    WillFail,
    /// The step succeeds but changes the data (NULLs take a default, rows get a zero value).
    ChangesData,
    /// The check could not run.
    Unknown,
}

/// A live check attached to a hazard: the question and what a positive answer means.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct LiveCheck {
    /// The question.
    pub check: DataCheck,
    /// What offending data does to the step.
    pub if_found: Outcome,
}

/// The answer of a live check, shown next to the hazard.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Safe, will fail, changes data, or unknown.
    pub outcome: Outcome,
    /// What was found, naming the table and column.
    pub detail: String,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self.outcome {
            Outcome::Safe => "safe",
            Outcome::WillFail => "will fail",
            Outcome::ChangesData => "changes data",
            Outcome::Unknown => "not checked",
        };
        write!(f, "{word}: {}", self.detail)
    }
}

/// Asks a live database about its data; implemented by the drivers of `schema-inspect`.
#[async_trait(?Send)]
pub trait DataProbe {
    /// How many offending rows or groups `check` finds, counting at most [`PROBE_LIMIT`] + 1.
    async fn probe(&mut self, check: &DataCheck) -> Result<u64, String>;
}

/// Runs the live check of every hazard that has one and records its verdict. A table renamed
/// earlier in the plan is read under its current name.
pub async fn check_live(plan: &mut Plan, probe: &mut dyn DataProbe) {
    let mut renamed: Vec<(TableRef, TableRef)> = Vec::new();
    for step in &mut plan.steps {
        for fact in &step.facts {
            if let super::Fact::RenameTable { from, to } = fact {
                renamed.push((TableRef::new(&from.schema, to), from.clone()));
            }
        }
        for h in &mut step.hazards {
            let Some(live) = &h.check else { continue };
            let mut check = live.check.clone();
            if let Some((_, old)) = renamed.iter().find(|(new, _)| new == check.table()) {
                *check.table_mut() = old.clone();
            }
            h.verdict = Some(match probe.probe(&check).await {
                Ok(0) => Verdict { outcome: Outcome::Safe, detail: check.describe(0) },
                Ok(n) => Verdict { outcome: live.if_found, detail: check.describe(n) },
                Err(e) => Verdict { outcome: Outcome::Unknown, detail: format!("the check failed: {e}") },
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_name_what_was_found() {
        let c = DataCheck::Duplicates { table: TableRef::new("", "users"), columns: vec!["email".into()] };
        let v = Verdict { outcome: Outcome::WillFail, detail: c.describe(3) };
        assert_eq!(v.to_string(), "will fail: 3 duplicate values of email in users");
        let r = DataCheck::HasRows { table: TableRef::new("public", "t") };
        assert_eq!(Verdict { outcome: Outcome::Safe, detail: r.describe(0) }.to_string(), "safe: no rows in public.t");
        let n = DataCheck::Nulls { table: TableRef::new("", "t"), column: "c".into() };
        assert_eq!(n.describe(PROBE_LIMIT + 1), "more than 1000 NULLs in t.c");
    }
}
