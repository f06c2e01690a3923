//! What a plan step does, in neutral terms: the planners record these dialect facts and the
//! analyzers turn them into hazards, so no planner decides on a hazard itself.

use std::fmt;

use schema_model::Column;
use serde::{Deserialize, Serialize};

use super::live::TypeLimit;

/// A table a fact is about; `schema` is empty where the connection's default is meant
/// (MySQL's one database, SQLite's `main`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableRef {
    /// The schema, or empty for the connection's default.
    pub schema: String,
    /// The table's name.
    pub name: String,
}

impl TableRef {
    /// A table in `schema` (empty for the default one).
    pub fn new(schema: &str, name: &str) -> Self {
        TableRef { schema: schema.into(), name: name.into() }
    }
}

impl fmt::Display for TableRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema.is_empty() {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}.{}", self.schema, self.name)
        }
    }
}

/// What happens to existing rows when a NOT NULL column without a default is added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewColumnRows {
    /// The statement fails when the table has rows (PostgreSQL, SQLite).
    Fail,
    /// Existing rows get the type's zero value (MySQL/MariaDB).
    ZeroValue,
}

/// Whether existing values survive a type change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// Every value fits the new type.
    Lossless,
    /// Values that do not fit make the change fail; `limit` says what fits, when it is known.
    FailsOnMisfit {
        /// What the new type holds, for a live check.
        limit: Option<TypeLimit>,
    },
    /// Values are converted where they can be and kept as they are otherwise (SQLite affinity).
    Converts,
}

/// How a type change treats the table's storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// In place, no rewrite.
    InPlace,
    /// PostgreSQL rewrites the table under an exclusive lock.
    Rewrite,
    /// MySQL copies the table (ALGORITHM=COPY).
    Copy,
}

/// One thing a plan step does that an analyzer may flag.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    /// A table is created; later facts about it raise no data or lock hazard.
    CreateTable {
        /// The new table.
        table: TableRef,
    },
    /// Privileges are revoked from a role (or only their grant option) on an object that stays.
    RevokePrivilege {
        /// The object as the statement names it (`TABLE "public"."users"`).
        object: String,
        /// The role, `PUBLIC` for every role.
        grantee: String,
        /// The privileges, as the statement lists them.
        privileges: String,
        /// Only the grant option goes.
        option_only: bool,
    },
    /// An object gets another owner; the old owner loses the owner's implicit privileges.
    ChangeOwner {
        /// The object as the statement names it.
        object: String,
        /// The owner now; None for the connecting role.
        from: Option<String>,
        /// The new owner.
        to: String,
    },
    /// A schema is dropped with everything in it.
    DropSchema {
        /// Its name.
        schema: String,
    },
    /// A table is dropped with its rows.
    DropTable {
        /// The table.
        table: TableRef,
    },
    /// A column is dropped with its data.
    DropColumn {
        /// Its table.
        table: TableRef,
        /// The column.
        column: String,
    },
    /// A partition of a table is dropped with its rows (MySQL `DROP PARTITION`).
    DropPartition {
        /// Its table.
        table: TableRef,
        /// The partition.
        partition: String,
    },
    /// An index, constraint, view, trigger, type or extension is dropped and not replaced.
    DropObject {
        /// `index`, `foreign key`, `view`, …
        kind: String,
        /// Its name (qualified where that helps).
        name: String,
        /// The table it belongs to, if any.
        on: Option<TableRef>,
    },
    /// Row-level security is turned off (PostgreSQL `DISABLE ROW LEVEL SECURITY`), or only
    /// for the table's owner (`NO FORCE`): rows its policies hid become visible.
    LoosenRowSecurity {
        /// The table.
        table: TableRef,
        /// Only `FORCE` goes: the owner bypasses the policies again.
        force_only: bool,
    },
    /// A unique index or constraint is added.
    AddUnique {
        /// Its table.
        table: TableRef,
        /// The key columns (expressions as written).
        columns: Vec<String>,
        /// The index or constraint name.
        name: String,
        /// True when a plain duplicate count answers it: every key a whole column, no
        /// predicate, prefix or NULLS NOT DISTINCT.
        checkable: bool,
    },
    /// PostgreSQL: an exclusion constraint is added; it fails when existing rows conflict.
    AddExclusion {
        /// Its table.
        table: TableRef,
        /// The constraint name.
        name: String,
    },
    /// A column is added to a table.
    AddColumn {
        /// Its table.
        table: TableRef,
        /// The new column.
        column: Box<Column>,
        /// What existing rows get when the column is NOT NULL without a default.
        rows: NewColumnRows,
        /// PostgreSQL: every row gets its own computed value (volatile default, identity,
        /// generated), so the table is rewritten.
        per_row_value: bool,
    },
    /// A nullable column becomes NOT NULL.
    SetNotNull {
        /// Its table.
        table: TableRef,
        /// The column.
        column: String,
        /// SQLite rebuild: NULLs take this default instead of failing.
        fill: Option<String>,
    },
    /// A PostgreSQL domain gets a NOT NULL or a new check that columns of it must meet.
    TightenDomain {
        /// The domain, qualified.
        name: String,
    },
    /// A column changes type.
    ChangeType {
        /// Its table.
        table: TableRef,
        /// The column.
        column: String,
        /// The old type.
        from: String,
        /// The new type.
        to: String,
        /// Whether the values survive.
        conversion: Conversion,
        /// What happens to the table's storage.
        storage: Storage,
    },
    /// A column is dropped and added again (a changed generation expression on PostgreSQL).
    RecreateColumn {
        /// Its table.
        table: TableRef,
        /// The column.
        column: String,
    },
    /// PostgreSQL: an identity's range narrows, so its sequence restarts at `start`.
    RestartIdentity {
        /// Its table.
        table: TableRef,
        /// The identity column.
        column: String,
        /// Where the sequence starts again.
        start: String,
    },
    /// A table is renamed.
    RenameTable {
        /// The table under its old name.
        from: TableRef,
        /// The new name.
        to: String,
    },
    /// A column is renamed.
    RenameColumn {
        /// Its table.
        table: TableRef,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// PostgreSQL: an index is built or dropped without CONCURRENTLY.
    BlockingIndex {
        /// Its table.
        table: TableRef,
        /// The index.
        index: String,
        /// True for a drop, false for a build.
        drop: bool,
    },
    /// PostgreSQL: a foreign key or check is added valid, scanning under a strong lock.
    ValidatingConstraint {
        /// Its table.
        table: TableRef,
        /// `foreign key` or `check`.
        kind: String,
        /// The constraint name.
        name: String,
    },
    /// MySQL: the ALTER can only run with ALGORITHM=COPY.
    TableCopy {
        /// The table.
        table: TableRef,
        /// Which change forces the copy.
        why: String,
    },
    /// SQLite: the table is rebuilt (copy, drop, rename).
    Rebuild {
        /// The table.
        table: TableRef,
    },
    /// An enum type loses or reorders labels and is rebuilt.
    EnumRebuild {
        /// The type, qualified.
        name: String,
    },
}

impl Fact {
    /// A unique index being added to `table`.
    pub fn unique_index(table: TableRef, i: &schema_model::Index) -> Fact {
        let columns: Vec<String> = i
            .parts
            .iter()
            .map(|p| match &p.key {
                schema_model::IndexKey::Column(c) => c.to_string(),
                schema_model::IndexKey::Expr(e) => e.clone(),
            })
            .collect();
        let checkable = i.predicate.is_none()
            && !i.nulls_not_distinct
            && i.parts.iter().all(|p| matches!(p.key, schema_model::IndexKey::Column(_)) && p.prefix.is_none());
        Fact::AddUnique { table, columns, name: i.name.to_string(), checkable }
    }

    /// A unique constraint being added to `table`.
    pub fn unique_constraint(table: TableRef, u: &schema_model::UniqueConstraint) -> Fact {
        Fact::AddUnique {
            table,
            columns: u.columns.iter().map(|c| c.to_string()).collect(),
            name: u.name.as_deref().unwrap_or_default().to_string(),
            checkable: !u.nulls_not_distinct,
        }
    }

    /// The existing table the fact acts on, when it acts on one.
    pub fn table(&self) -> Option<&TableRef> {
        match self {
            Fact::CreateTable { table }
            | Fact::DropTable { table }
            | Fact::DropColumn { table, .. }
            | Fact::DropPartition { table, .. }
            | Fact::AddUnique { table, .. }
            | Fact::AddExclusion { table, .. }
            | Fact::RestartIdentity { table, .. }
            | Fact::AddColumn { table, .. }
            | Fact::SetNotNull { table, .. }
            | Fact::ChangeType { table, .. }
            | Fact::RecreateColumn { table, .. }
            | Fact::RenameColumn { table, .. }
            | Fact::BlockingIndex { table, .. }
            | Fact::ValidatingConstraint { table, .. }
            | Fact::TableCopy { table, .. }
            | Fact::LoosenRowSecurity { table, .. }
            | Fact::Rebuild { table } => Some(table),
            Fact::RenameTable { from, .. } => Some(from),
            Fact::DropObject { on, .. } => on.as_ref(),
            Fact::DropSchema { .. }
            | Fact::TightenDomain { .. }
            | Fact::EnumRebuild { .. }
            | Fact::RevokePrivilege { .. }
            | Fact::ChangeOwner { .. } => None,
        }
    }
}
