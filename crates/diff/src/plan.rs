//! A plan: ordered steps, each with its SQL, the SQL that undoes it, and its hazards.

use schema_model::Dialect;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hazard::Hazard;
use crate::hazards::Fact;

/// One step of a plan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Step {
    /// What the step does, for a person (`create table "users"`).
    pub description: String,
    /// The statements, in order.
    pub sql: Vec<String>,
    /// The statements that undo it, in order.
    pub reverse: Vec<String>,
    /// Why the reverse cannot bring everything back (dropped data), if it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irreversible: Option<String>,
    /// Whether the step may run inside a transaction.
    pub transactional: bool,
    /// The hazards it carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
    /// What the step does, for the analyzers; not kept in plan files (the hazards are).
    #[serde(skip)]
    pub facts: Vec<Fact>,
    /// Whether the step scans or builds over a whole table without blocking writes
    /// (`CREATE INDEX CONCURRENTLY`, `VALIDATE CONSTRAINT`), so it gets the long statement timeout.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub long_running: bool,
    /// The timeouts the step runs under on a busy database (online plans), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<Timeouts>,
}

/// How long one step may wait for a lock and run, so that a step queued behind a long
/// transaction gives up (and is retried) instead of stalling every writer queued behind it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// `lock_timeout`, in milliseconds.
    pub lock_timeout_ms: u64,
    /// `statement_timeout`, in milliseconds; `None`: no limit.
    pub statement_timeout_ms: Option<u64>,
}

/// A run of consecutive steps that execute together: in one transaction when `transactional`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Whether the steps share one transaction.
    pub transactional: bool,
    /// The steps' indexes in the plan.
    pub steps: std::ops::Range<usize>,
}

/// An ordered plan from one schema state to another.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Plan {
    /// The dialect the SQL is written for.
    pub dialect: Dialect,
    /// Hash of the schema the plan starts from.
    pub from_hash: String,
    /// Hash of the schema the plan leads to.
    pub to_hash: String,
    /// The steps, in execution order.
    pub steps: Vec<Step>,
}

impl Step {
    /// A transactional step without hazards.
    pub fn new(description: String, sql: Vec<String>, reverse: Vec<String>) -> Self {
        Step {
            description,
            sql,
            reverse,
            irreversible: None,
            transactional: true,
            hazards: vec![],
            facts: vec![],
            long_running: false,
            timeouts: None,
        }
    }

    /// The same step with `fact` recorded for the analyzers.
    pub fn with_fact(mut self, fact: Fact) -> Self {
        self.facts.push(fact);
        self
    }
}

impl Plan {
    /// True when there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every statement, in order.
    pub fn statements(&self) -> Vec<String> {
        self.steps.iter().flat_map(|s| s.sql.iter().cloned()).collect()
    }

    /// The statements that undo the whole plan: the steps' reverses, last step first.
    pub fn reverse_statements(&self) -> Vec<String> {
        self.steps.iter().rev().flat_map(|s| s.reverse.iter().cloned()).collect()
    }

    /// True when every step can be undone without loss.
    pub fn is_reversible(&self) -> bool {
        self.steps.iter().all(|s| s.irreversible.is_none())
    }

    /// Every hazard with the 1-based number of its step.
    pub fn hazards(&self) -> Vec<(usize, &Hazard)> {
        self.steps.iter().enumerate().flat_map(|(i, s)| s.hazards.iter().map(move |h| (i + 1, h))).collect()
    }

    /// The steps split where a step cannot share a transaction: each non-transactional step is
    /// a group of its own, and consecutive transactional steps with the same timeouts share one.
    pub fn groups(&self) -> Vec<Group> {
        let mut out: Vec<Group> = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            match out.last_mut() {
                Some(g) if g.transactional && s.transactional && self.steps[g.steps.start].timeouts == s.timeouts => {
                    g.steps.end = i + 1
                }
                _ => out.push(Group { transactional: s.transactional, steps: i..i + 1 }),
            }
        }
        out
    }

    /// A fingerprint of the statements, recorded with each revision.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.statements().join(";\n")))
    }
}
