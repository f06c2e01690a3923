use crate::CompactString;
use serde::{Deserialize, Serialize};

/// A list of column names as the model keeps them (short names stay inside the list, with no
/// allocation of their own to chase when a large catalog is compared).
pub fn names<S: Into<CompactString>>(names: impl IntoIterator<Item = S>) -> Vec<CompactString> {
    names.into_iter().map(Into::into).collect()
}

/// A table with everything that belongs to it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Table {
    /// The table's name.
    pub name: CompactString,
    /// Columns in declared order.
    pub columns: Vec<Column>,
    /// The primary key, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints (not plain unique indexes), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<UniqueConstraint>,
    /// Indexes created on their own, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Foreign keys, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// Check constraints, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// Exclusion constraints (PostgreSQL), sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<Exclusion>,
    /// Row-level security policies (PostgreSQL), sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    /// The partition method and key of a partitioned table, as the server renders them
    /// (PostgreSQL `RANGE (created_at)`, MySQL `LIST COLUMNS (`country`)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<String>,
    /// The partitions a MySQL/MariaDB partitioned table declares, in order (PostgreSQL's
    /// partitions are tables of their own, with `partition_of`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<crate::Partition>,
    /// The partitioned table this one is a partition of, and its bound (PostgreSQL); its
    /// columns are the parent's and are not listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// Storage options.
    #[serde(default, skip_serializing_if = "TableOptions::is_default")]
    pub options: TableOptions,
    /// The table's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// A declared rename: the name this table had before (desired state only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl Table {
    /// Looks a column up by exact name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Sorts constraint and index lists into canonical order (columns keep their order), and
    /// lets go of the room the lists grew into while they were read: a model is kept for the
    /// whole run, and at 10,000 tables that room was two fifths of it.
    pub fn normalize(&mut self) {
        self.uniques.sort_by(unique_order);
        self.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        self.foreign_keys.sort_by(foreign_key_order);
        self.checks.sort_by(check_order);
        self.policies.sort_by(|a, b| a.name.cmp(&b.name));
        self.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
        self.columns.shrink_to_fit();
        self.uniques.shrink_to_fit();
        self.indexes.shrink_to_fit();
        self.foreign_keys.shrink_to_fit();
        self.checks.shrink_to_fit();
        self.policies.shrink_to_fit();
        self.exclusions.shrink_to_fit();
        self.partitions.shrink_to_fit();
    }

    /// Whether [`Table::normalize`] would leave the order of every list as it is (its sorts are
    /// stable), so that a fingerprint can serialize the table without a normalized copy.
    pub fn is_normalized(&self) -> bool {
        let sorted = |order: std::cmp::Ordering| order.is_le();
        self.uniques.is_sorted_by(|a, b| sorted(unique_order(a, b)))
            && self.indexes.is_sorted_by(|a, b| a.name <= b.name)
            && self.foreign_keys.is_sorted_by(|a, b| sorted(foreign_key_order(a, b)))
            && self.checks.is_sorted_by(|a, b| sorted(check_order(a, b)))
            && self.policies.is_sorted_by(|a, b| a.name <= b.name)
            && self.exclusions.is_sorted_by(|a, b| a.name <= b.name)
    }
}

/// The canonical order of unique constraints.
fn unique_order(a: &UniqueConstraint, b: &UniqueConstraint) -> std::cmp::Ordering {
    (&a.name, &a.columns).cmp(&(&b.name, &b.columns))
}

/// The canonical order of foreign keys.
fn foreign_key_order(a: &ForeignKey, b: &ForeignKey) -> std::cmp::Ordering {
    (&a.name, &a.columns, &a.ref_table).cmp(&(&b.name, &b.columns, &b.ref_table))
}

/// The canonical order of check constraints (a domain's too).
pub(crate) fn check_order(a: &Check, b: &Check) -> std::cmp::Ordering {
    (&a.name, &a.expr).cmp(&(&b.name, &b.expr))
}

/// Where a partition sits: its parent and the values it holds (PostgreSQL).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct PartitionOf {
    /// The parent's schema.
    pub schema: String,
    /// The parent (partitioned) table.
    pub table: String,
    /// `FOR VALUES ...` or `DEFAULT`, as the server renders it.
    pub bound: String,
}

/// An exclusion constraint (PostgreSQL), kept as the server renders it, since its parts
/// (method, elements with operators, predicate) only ever change together.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Exclusion {
    /// The constraint's name.
    pub name: String,
    /// `EXCLUDE USING ...` as `pg_get_constraintdef` renders it.
    pub definition: String,
    /// The constraint's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A row-level security policy (PostgreSQL), its expressions in the server's rendering.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Policy {
    /// The policy's name (unique per table).
    pub name: String,
    /// The command it applies to: `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// `AS PERMISSIVE` rather than `AS RESTRICTIVE`.
    pub permissive: bool,
    /// The roles it applies to, sorted; `PUBLIC` for everyone.
    pub roles: Vec<String>,
    /// The `USING` expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// The `WITH CHECK` expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// The policy's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Storage options a table may carry, per dialect.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct TableOptions {
    /// SQLite `WITHOUT ROWID`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub without_rowid: bool,
    /// SQLite `STRICT`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    /// MySQL storage engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// MySQL default character set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// MySQL default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// PostgreSQL `ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub row_security: bool,
    /// PostgreSQL `FORCE ROW LEVEL SECURITY` (the owner is subject to the policies too).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force_row_security: bool,
    /// MySQL `ROW_FORMAT`, when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_format: Option<String>,
    /// MySQL `KEY_BLOCK_SIZE` (compressed page size in KiB), when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_block_size: Option<u32>,
}

impl TableOptions {
    /// True when nothing is set, so that the JSON stays small.
    pub fn is_default(&self) -> bool {
        *self == TableOptions::default()
    }
}

/// A column.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Column {
    /// The column's name.
    pub name: CompactString,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The default expression, in the database's own rendering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<CompactString>,
    /// An explicit collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<CompactString>,
    /// A generated (computed) column's expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Box<Generated>>,
    /// SQLite `AUTOINCREMENT`, MySQL `AUTO_INCREMENT`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_increment: bool,
    /// An identity column (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Box<Identity>>,
    /// MySQL `ON UPDATE` expression (`current_timestamp()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// MySQL/MariaDB invisible column (left out of `SELECT *`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub invisible: bool,
    /// The column's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<CompactString>,
    /// A declared rename: the name this column had before (desired state only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// A column type as written and in the dialect's canonical spelling, which is what is compared.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct ColumnType {
    /// The spelling found in the source or catalog.
    pub raw: CompactString,
    /// The canonical spelling (`integer` for `int4`), compared by the differ.
    pub canonical: CompactString,
}

impl ColumnType {
    /// A type whose raw and canonical spellings are the same.
    pub fn new(canonical: impl Into<CompactString>) -> Self {
        let canonical = canonical.into();
        ColumnType { raw: canonical.clone(), canonical }
    }

    /// A type as declared in `dialect`, with its canonical spelling from the shared type
    /// grammar ([`crate::types::canonical_type`]).
    pub fn declared(dialect: crate::Dialect, raw: impl Into<CompactString>) -> Self {
        let raw = raw.into();
        ColumnType { canonical: crate::types::canonical_type(dialect, &raw).into(), raw }
    }
}

/// A generated column's expression and storage.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// The expression, in the database's rendering.
    pub expr: String,
    /// True when stored, false when virtual.
    pub stored: bool,
}

/// An identity column's kind and sequence options (PostgreSQL).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// `GENERATED ALWAYS` rather than `BY DEFAULT`.
    pub always: bool,
    /// The first value.
    pub start: i64,
    /// The step.
    pub increment: i64,
    /// Lowest value.
    pub min_value: i64,
    /// Highest value.
    pub max_value: i64,
    /// Values cached per session.
    pub cache: i64,
    /// Whether it wraps around.
    pub cycle: bool,
}

/// A primary key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct PrimaryKey {
    /// The constraint name, where the dialect keeps one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<CompactString>,
    /// The key columns, in key order.
    pub columns: Vec<CompactString>,
    /// `DEFERRABLE` and its initial mode (PostgreSQL).
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
    /// The constraint's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A unique constraint.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct UniqueConstraint {
    /// The constraint name, where declared or kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<CompactString>,
    /// The columns, in order.
    pub columns: Vec<CompactString>,
    /// PostgreSQL 15 `NULLS NOT DISTINCT`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    /// Non-key `INCLUDE` columns (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<CompactString>,
    /// `DEFERRABLE` and its initial mode (PostgreSQL).
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
    /// The constraint's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An index created on its own.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Index {
    /// The index's name.
    pub name: CompactString,
    /// Whether it enforces uniqueness.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// The key parts, in order.
    pub parts: Vec<IndexPart>,
    /// A partial index's `WHERE` predicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// The access method where not the default (`gin`, `FULLTEXT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Non-key `INCLUDE` columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<CompactString>,
    /// A unique index's `NULLS NOT DISTINCT` (PostgreSQL 15).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    /// Storage parameters (`fillfactor=70`), as the catalog keeps them (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage: Vec<String>,
    /// The index's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key part of an index.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct IndexPart {
    /// A column or an expression.
    pub key: IndexKey,
    /// Descending order.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub desc: bool,
    /// An explicit collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `NULLS FIRST` (true) or `NULLS LAST` (false) where it differs from the default for
    /// the direction (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    /// An operator class where not the type's default (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// MySQL prefix length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<u32>,
}

/// What an index part indexes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IndexKey {
    /// A column by name.
    Column(CompactString),
    /// An expression, in the database's rendering.
    Expr(String),
}

/// A foreign key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct ForeignKey {
    /// The constraint name, where declared or kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<CompactString>,
    /// The referencing columns.
    pub columns: Vec<CompactString>,
    /// The referenced table's schema, when it differs from the table's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_schema: Option<String>,
    /// The referenced table.
    pub ref_table: CompactString,
    /// The referenced columns (empty means the referenced table's primary key).
    pub ref_columns: Vec<CompactString>,
    /// `ON DELETE`.
    #[serde(default, skip_serializing_if = "RefAction::is_default")]
    pub on_delete: RefAction,
    /// `ON UPDATE`.
    #[serde(default, skip_serializing_if = "RefAction::is_default")]
    pub on_update: RefAction,
    /// `DEFERRABLE` and its initial mode.
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
    /// `MATCH FULL` rather than the default `MATCH SIMPLE` (PostgreSQL).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub match_full: bool,
    /// Added `NOT VALID`: existing rows are not checked (PostgreSQL).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    /// The constraint's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A referential action.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum RefAction {
    /// `NO ACTION`, the default.
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl RefAction {
    /// True for `NO ACTION`.
    pub fn is_default(&self) -> bool {
        *self == RefAction::NoAction
    }

    /// The SQL spelling.
    pub fn sql(self) -> &'static str {
        match self {
            RefAction::NoAction => "NO ACTION",
            RefAction::Restrict => "RESTRICT",
            RefAction::Cascade => "CASCADE",
            RefAction::SetNull => "SET NULL",
            RefAction::SetDefault => "SET DEFAULT",
        }
    }

    /// Reads the catalog's spelling (`SET NULL`, `set_null`, `cascade`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().replace('_', " ").as_str() {
            "NO ACTION" | "NONE" | "" => Some(RefAction::NoAction),
            "RESTRICT" => Some(RefAction::Restrict),
            "CASCADE" => Some(RefAction::Cascade),
            "SET NULL" => Some(RefAction::SetNull),
            "SET DEFAULT" => Some(RefAction::SetDefault),
            _ => None,
        }
    }
}

/// Whether a constraint check may be deferred to commit.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    /// Checked at once, the default.
    #[default]
    NotDeferrable,
    /// `DEFERRABLE INITIALLY IMMEDIATE`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`.
    InitiallyDeferred,
}

impl Deferrable {
    /// True for `NOT DEFERRABLE`.
    pub fn is_default(&self) -> bool {
        *self == Deferrable::NotDeferrable
    }
}

/// A check constraint.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Check {
    /// The constraint name, where declared or kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<CompactString>,
    /// The boolean expression, in the database's rendering.
    pub expr: String,
    /// Added `NOT VALID`: existing rows are not checked (PostgreSQL).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    /// `NO INHERIT` (PostgreSQL).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_inherit: bool,
    /// The constraint's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
