//! The closed set of changes between two models; the planner renders each into steps.

use schema_model::{
    Check, Column, Domain, EnumType, Event, Exclusion, Extension, ForeignKey, Function, Grant, Index, Policy,
    PrimaryKey, Securable, Sequence, Table, TableOptions, Trigger, UniqueConstraint, View,
};
use serde::Serialize;
use std::borrow::Cow;
use std::ops::Deref;

/// One difference between the current and the desired model. Tables are borrowed from the
/// two models (a large catalog changes thousands of them; copying each would cost more than
/// comparing it), and owned only where the differ made a new one (a renamed table).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change<'a> {
    /// A schema to create.
    AddSchema {
        /// Its name.
        name: String,
    },
    /// A schema to drop.
    DropSchema {
        /// Its name.
        name: String,
    },
    /// A schema's comment changes.
    SetSchemaComment {
        /// The schema.
        name: String,
        /// As it is now.
        from: Option<String>,
        /// As desired.
        to: Option<String>,
    },
    /// An extension to install.
    AddExtension {
        /// The schema it goes into.
        schema: String,
        /// The extension.
        extension: Extension,
    },
    /// An extension to remove.
    DropExtension {
        /// Its schema.
        schema: String,
        /// The extension.
        extension: Extension,
    },
    /// An enum type to create.
    AddEnum {
        /// The schema.
        schema: String,
        /// The type.
        enum_type: Box<EnumType>,
    },
    /// An enum type to drop.
    DropEnum {
        /// The schema.
        schema: String,
        /// The type as it is now.
        enum_type: Box<EnumType>,
    },
    /// An enum type whose labels or comment change.
    ModifyEnum {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<EnumType>,
        /// As desired.
        to: Box<EnumType>,
    },
    /// A domain to create.
    AddDomain {
        /// The schema.
        schema: String,
        /// The domain.
        domain: Box<Domain>,
    },
    /// A domain to drop.
    DropDomain {
        /// The schema.
        schema: String,
        /// The domain as it is now.
        domain: Box<Domain>,
    },
    /// A domain whose definition changes.
    ModifyDomain {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<Domain>,
        /// As desired.
        to: Box<Domain>,
    },
    /// A sequence to create.
    AddSequence {
        /// The schema.
        schema: String,
        /// The sequence.
        sequence: Box<Sequence>,
    },
    /// A sequence to drop.
    DropSequence {
        /// The schema.
        schema: String,
        /// The sequence as it is now.
        sequence: Box<Sequence>,
    },
    /// A sequence whose options change (its current value is kept).
    ModifySequence {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<Sequence>,
        /// As desired.
        to: Box<Sequence>,
    },
    /// A table to create.
    AddTable {
        /// The schema.
        schema: String,
        /// The new table.
        table: &'a Table,
    },
    /// A table to drop, with its rows.
    DropTable {
        /// The schema.
        schema: String,
        /// The table as it is now.
        table: &'a Table,
    },
    /// A declared table rename.
    RenameTable {
        /// The schema.
        schema: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A table that exists on both sides and differs.
    ModifyTable {
        /// The schema.
        schema: String,
        /// The table as it is now (under its new name if renamed).
        from: Current<'a>,
        /// The table as desired.
        to: &'a Table,
        /// What differs.
        changes: Vec<TableChange>,
    },
    /// A view to create.
    AddView {
        /// The schema.
        schema: String,
        /// The view.
        view: Box<View>,
    },
    /// A view to drop.
    DropView {
        /// The schema.
        schema: String,
        /// The view as it is now.
        view: Box<View>,
    },
    /// A view whose comment or (materialized) indexes change, but not its query.
    AlterView {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<View>,
        /// As desired.
        to: Box<View>,
    },
    /// A view whose definition changes: dropped and created again.
    ModifyView {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<View>,
        /// As desired.
        to: Box<View>,
    },
    /// A function or procedure to create.
    AddFunction {
        /// The schema.
        schema: String,
        /// The routine.
        function: Box<Function>,
    },
    /// A function or procedure to drop.
    DropFunction {
        /// The schema.
        schema: String,
        /// The routine as it is now.
        function: Box<Function>,
    },
    /// A routine of the same signature whose definition or comment changes.
    ModifyFunction {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<Function>,
        /// As desired.
        to: Box<Function>,
    },
    /// A trigger to create.
    AddTrigger {
        /// The schema.
        schema: String,
        /// The trigger.
        trigger: Box<Trigger>,
    },
    /// A trigger to drop.
    DropTrigger {
        /// The schema.
        schema: String,
        /// The trigger as it is now.
        trigger: Box<Trigger>,
    },
    /// A trigger whose definition changes.
    ModifyTrigger {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<Trigger>,
        /// As desired.
        to: Box<Trigger>,
    },
    /// A scheduled event to create (MySQL/MariaDB).
    AddEvent {
        /// The schema.
        schema: String,
        /// The event.
        event: Box<Event>,
    },
    /// A scheduled event to drop.
    DropEvent {
        /// The schema.
        schema: String,
        /// The event as it is now.
        event: Box<Event>,
    },
    /// A scheduled event whose schedule, completion, status, comment, body or definer changes.
    ModifyEvent {
        /// The schema.
        schema: String,
        /// As it is now.
        from: Box<Event>,
        /// As desired.
        to: Box<Event>,
    },
    /// A privilege to grant (PostgreSQL), or its grant option to add.
    GrantPrivilege {
        /// The schema of the object.
        schema: String,
        /// The privilege as desired.
        grant: Box<Grant>,
        /// The role holds the privilege already, without the grant option.
        upgrade: bool,
    },
    /// A privilege to revoke (PostgreSQL), or only its grant option.
    RevokePrivilege {
        /// The schema of the object.
        schema: String,
        /// The privilege as it is now.
        grant: Box<Grant>,
        /// Only the grant option goes; the privilege stays.
        option_only: bool,
        /// The plan creates the object: the privilege is one the server gives a new object
        /// ([`crate::rules::Rules::creation_grants`]), which no running code relies on yet.
        created: bool,
    },
    /// An object's owner changes to the one the desired state states (PostgreSQL).
    SetOwner {
        /// The schema of the object.
        schema: String,
        /// The object.
        on: Box<Securable>,
        /// The owner now, unless it is the connecting role.
        from: Option<String>,
        /// The owner desired.
        to: String,
    },
}

/// One difference inside a table.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TableChange {
    /// A new column.
    AddColumn {
        /// The column.
        column: Box<Column>,
    },
    /// A column to drop, with its data.
    DropColumn {
        /// The column as it is now.
        column: Box<Column>,
    },
    /// A declared column rename.
    RenameColumn {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// The order of the table's columns differs (only where the dialect keeps order).
    ReorderColumns,
    /// A column whose definition changes.
    ModifyColumn {
        /// As it is now.
        from: Box<Column>,
        /// As desired.
        to: Box<Column>,
    },
    /// The primary key changes.
    SetPrimaryKey {
        /// As it is now.
        from: Option<Box<PrimaryKey>>,
        /// As desired.
        to: Option<Box<PrimaryKey>>,
    },
    /// A new unique constraint.
    AddUnique {
        /// The constraint.
        unique: Box<UniqueConstraint>,
    },
    /// A unique constraint to drop.
    DropUnique {
        /// The constraint.
        unique: Box<UniqueConstraint>,
    },
    /// A new index.
    AddIndex {
        /// The index.
        index: Box<Index>,
    },
    /// An index to drop.
    DropIndex {
        /// The index.
        index: Box<Index>,
    },
    /// An index whose definition changes.
    ModifyIndex {
        /// As it is now.
        from: Box<Index>,
        /// As desired.
        to: Box<Index>,
    },
    /// A new foreign key.
    AddForeignKey {
        /// The key.
        fk: Box<ForeignKey>,
    },
    /// A foreign key to drop.
    DropForeignKey {
        /// The key.
        fk: Box<ForeignKey>,
    },
    /// A new check constraint.
    AddCheck {
        /// The check.
        check: Box<Check>,
    },
    /// A check constraint to drop.
    DropCheck {
        /// The check.
        check: Box<Check>,
    },
    /// A named constraint's comment changes.
    SetConstraintComment {
        /// The constraint's name.
        name: String,
        /// As it is now.
        from: Option<String>,
        /// As desired.
        to: Option<String>,
    },
    /// An index's comment changes.
    SetIndexComment {
        /// The index's name.
        name: String,
        /// As it is now.
        from: Option<String>,
        /// As desired.
        to: Option<String>,
    },
    /// How the table is partitioned, its partitions, or which table it is a partition of,
    /// change.
    Repartition,
    /// A new exclusion constraint.
    AddExclusion {
        /// The constraint.
        exclusion: Box<Exclusion>,
    },
    /// An exclusion constraint to drop.
    DropExclusion {
        /// The constraint as it is now.
        exclusion: Box<Exclusion>,
    },
    /// A new row-level security policy.
    AddPolicy {
        /// The policy.
        policy: Box<Policy>,
    },
    /// A policy to drop.
    DropPolicy {
        /// The policy as it is now.
        policy: Box<Policy>,
    },
    /// A policy whose definition or comment changes.
    ModifyPolicy {
        /// As it is now.
        from: Box<Policy>,
        /// As desired.
        to: Box<Policy>,
    },
    /// The table's comment changes.
    SetComment {
        /// As it is now.
        from: Option<String>,
        /// As desired.
        to: Option<String>,
    },
    /// Storage options change.
    SetOptions {
        /// As they are now.
        from: Box<TableOptions>,
        /// As desired.
        to: Box<TableOptions>,
    },
}

/// The current side of a modified table: the model's own, or a copy the differ made to apply
/// declared renames, boxed so that a change stays a few words wide (a large catalog's plan
/// holds thousands of them).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Current<'a> {
    /// The table as the current model has it.
    Model(&'a Table),
    /// The table under the names the desired model declares it renamed to.
    Renamed(Box<Table>),
}

impl<'a> From<Cow<'a, Table>> for Current<'a> {
    fn from(t: Cow<'a, Table>) -> Self {
        match t {
            Cow::Borrowed(t) => Current::Model(t),
            Cow::Owned(t) => Current::Renamed(Box::new(t)),
        }
    }
}

impl Deref for Current<'_> {
    type Target = Table;

    fn deref(&self) -> &Table {
        match self {
            Current::Model(t) => t,
            Current::Renamed(t) => t,
        }
    }
}
