//! Hazard codes: stable ids users allow by name and CI filters on.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::hazards::{LiveCheck, Outcome, Verdict};

/// A hazard code of the design's table.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HazardCode {
    /// Drop a schema.
    DS101,
    /// Drop a table, or a partition of one (MySQL).
    DS102,
    /// Drop a column.
    DS103,
    /// Drop a constraint or index that integrity or a query relies on.
    DS104,
    /// Add a unique index or constraint on existing data.
    MF101,
    /// Add a NOT NULL column without a default to an existing table.
    MF103,
    /// Make a nullable column NOT NULL.
    MF104,
    /// Narrow a column type.
    MF105,
    /// Rename a table.
    BC101,
    /// Rename a column.
    BC102,
    /// Revoke a privilege or change an owner (a role loses access).
    BC103,
    /// Create or drop an index without CONCURRENTLY.
    LK101,
    /// Change a column type in a way that rewrites the table.
    LK102,
    /// Add a FK or CHECK without NOT VALID.
    LK103,
    /// A volatile default on a new column.
    LK104,
    /// DDL that forces a table copy.
    LK105,
    /// A table rebuild.
    LK106,
    /// An enum value removed or reordered.
    LK107,
}

impl HazardCode {
    /// Every code, for parsing and listing.
    pub const ALL: [HazardCode; 18] = [
        HazardCode::DS101,
        HazardCode::DS102,
        HazardCode::DS103,
        HazardCode::DS104,
        HazardCode::MF101,
        HazardCode::MF103,
        HazardCode::MF104,
        HazardCode::MF105,
        HazardCode::BC101,
        HazardCode::BC102,
        HazardCode::BC103,
        HazardCode::LK101,
        HazardCode::LK102,
        HazardCode::LK103,
        HazardCode::LK104,
        HazardCode::LK105,
        HazardCode::LK106,
        HazardCode::LK107,
    ];

    /// The id as users write it.
    pub fn id(self) -> &'static str {
        match self {
            HazardCode::DS101 => "DS101",
            HazardCode::DS102 => "DS102",
            HazardCode::DS103 => "DS103",
            HazardCode::DS104 => "DS104",
            HazardCode::MF101 => "MF101",
            HazardCode::MF103 => "MF103",
            HazardCode::MF104 => "MF104",
            HazardCode::MF105 => "MF105",
            HazardCode::BC101 => "BC101",
            HazardCode::BC102 => "BC102",
            HazardCode::BC103 => "BC103",
            HazardCode::LK101 => "LK101",
            HazardCode::LK102 => "LK102",
            HazardCode::LK103 => "LK103",
            HazardCode::LK104 => "LK104",
            HazardCode::LK105 => "LK105",
            HazardCode::LK106 => "LK106",
            HazardCode::LK107 => "LK107",
        }
    }

    /// Parses an id such as `DS102` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        HazardCode::ALL.into_iter().find(|c| c.id().eq_ignore_ascii_case(s.trim()))
    }

    /// Destructive codes are the ones `--allow-destructive` allows.
    pub fn is_destructive(self) -> bool {
        matches!(self, HazardCode::DS101 | HazardCode::DS102 | HazardCode::DS103 | HazardCode::DS104)
    }

    /// What to do instead, shown under the hazard (from the code's analyzer).
    pub fn help(self) -> &'static str {
        crate::hazards::help(self)
    }
}

/// A hazard attached to a plan step: the code and what exactly is at risk.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Hazard {
    /// The stable code.
    pub code: HazardCode,
    /// What is at risk, naming the object.
    pub message: String,
    /// What to do instead.
    #[serde(default)]
    pub help: Cow<'static, str>,
    /// The question a live database answers before the step runs, for data-dependent codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Box<LiveCheck>>,
    /// The answer, when the plan was checked against live data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

impl Hazard {
    /// A hazard with its message and its code's help line.
    pub fn new(code: HazardCode, message: impl Into<String>) -> Self {
        Hazard { code, message: message.into(), help: Cow::Borrowed(code.help()), check: None, verdict: None }
    }

    /// The same hazard with a live-data check to run before the step.
    pub fn with_check(mut self, check: LiveCheck) -> Self {
        self.check = Some(Box::new(check));
        self
    }

    /// True when a live check found that the step will fail.
    pub fn will_fail(&self) -> bool {
        self.verdict.as_ref().is_some_and(|v| v.outcome == Outcome::WillFail)
    }
}
