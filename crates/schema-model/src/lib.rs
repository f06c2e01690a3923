//! The neutral model of a database structure that every other crate of `schema` speaks.
//!
//! Inspection fills a [`Realm`] from a live catalog, loaders fill one from desired-state files,
//! and the differ compares two of them. Nothing here touches a database.

// Errors carry the source text so reports can underline it; they are rare and returned once.
#![allow(clippy::result_large_err)]

mod dialect;
mod event;
mod hash;
pub mod hcl;
mod objects;
pub mod partition;
mod privileges;
mod quote;
mod realm;
pub mod sql;
mod table;
pub mod types;

/// A string kept inline when short (up to 24 bytes), for the strings every column has (its
/// name, type and default): a large catalog's columns then hold them in place, and comparing
/// two models reads memory in order instead of chasing one heap block per string.
pub use compact_str::CompactString;
pub use dialect::Dialect;
pub use event::{Event, EventSchedule, EventStatus};
pub use hash::realm_hash;
pub use objects::{Domain, EnumType, Extension, Function, Sequence, Trigger, View};
pub use partition::Partition;
pub use privileges::{Grant, ObjectKind, Owner, Securable};
pub use quote::{push_ident, qualified, quote_ident, quote_literal};
pub use realm::{Realm, Schema};
pub use table::{
    names, Check, Column, ColumnType, Deferrable, Exclusion, ForeignKey, Generated, Identity, Index, IndexKey,
    IndexPart, PartitionOf, Policy, PrimaryKey, RefAction, Table, TableOptions, UniqueConstraint,
};
