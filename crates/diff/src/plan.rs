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
        Step { description, sql, reverse, irreversible: None, transactional: true, hazards: vec![], facts: vec![] }
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

    /// A fingerprint of the statements, recorded with each revision.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.statements().join(";\n")))
    }
}
