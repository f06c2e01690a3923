use serde::{Deserialize, Serialize};

/// A view or materialized view, kept as the database renders its query.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct View {
    /// The view's name.
    pub name: String,
    /// The full definition: the `CREATE VIEW` statement on SQLite, the query elsewhere.
    pub definition: String,
    /// True for a materialized view (PostgreSQL).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    /// The view's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A trigger, kept as its full `CREATE TRIGGER` text since bodies are procedural.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Trigger {
    /// The trigger's name.
    pub name: String,
    /// The table or view it fires on.
    pub table: String,
    /// The complete `CREATE TRIGGER` statement.
    pub definition: String,
}

/// A standalone sequence (PostgreSQL).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Sequence {
    /// The sequence's name.
    pub name: String,
    /// Its type (`bigint` unless declared otherwise).
    pub data_type: String,
    /// First value.
    pub start: i64,
    /// Step.
    pub increment: i64,
    /// Lowest value.
    pub min_value: i64,
    /// Highest value.
    pub max_value: i64,
    /// Values cached per session.
    pub cache: i64,
    /// Whether it wraps around.
    pub cycle: bool,
    /// `table.column` that owns it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
}

/// An enum type with its ordered labels (PostgreSQL).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct EnumType {
    /// The type's name.
    pub name: String,
    /// The labels, in sort order.
    pub values: Vec<String>,
}
