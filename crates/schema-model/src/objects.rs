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
    /// MySQL `ALGORITHM` where not `UNDEFINED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// MySQL `SQL SECURITY` where not `DEFINER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    /// `WITH [LOCAL|CASCADED] CHECK OPTION`, as `LOCAL` or `CASCADED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_option: Option<String>,
    /// Indexes of a materialized view, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<crate::Index>,
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
    /// The trigger's comment (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A function or procedure (PostgreSQL), kept as the server renders it; overloads are told
/// apart by their identity arguments.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Function {
    /// The routine's name.
    pub name: String,
    /// The identity arguments (`x integer, y text`), which with the name identify it.
    pub identity_args: String,
    /// The full argument list with modes and defaults, which `CREATE OR REPLACE` cannot change.
    pub args: String,
    /// The result (`integer`, `TABLE(id integer)`); empty for a procedure.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub result: String,
    /// True for a procedure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub procedure: bool,
    /// The complete `CREATE OR REPLACE` statement (`pg_get_functiondef`).
    pub definition: String,
    /// Types the arguments and result name, in the catalog's spelling, for ordering.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    /// The routine's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Function {
    /// The key a routine is matched by: its name and identity arguments.
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.identity_args)
    }
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
    /// The column that owns it (`OWNED BY`), as schema, table and column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(String, String, String)>,
    /// The sequence's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An enum type with its ordered labels (PostgreSQL).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct EnumType {
    /// The type's name.
    pub name: String,
    /// The labels, in sort order.
    pub values: Vec<String>,
    /// The type's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A domain: a named type with a default, nullability and checks (PostgreSQL).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Domain {
    /// The domain's name.
    pub name: String,
    /// The underlying type.
    #[serde(rename = "type")]
    pub ty: crate::ColumnType,
    /// False for `NOT NULL`.
    pub nullable: bool,
    /// The default expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// An explicit collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Check constraints, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<crate::Check>,
    /// The domain's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An installed extension (PostgreSQL); its own objects are not user objects.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Extension {
    /// The extension's name.
    pub name: String,
    /// The installed version (informative; not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}
