use serde::{Deserialize, Serialize};

use crate::{Dialect, Domain, EnumType, Event, Extension, Function, Grant, Owner, Sequence, Table, Trigger, View};

/// Everything one connection can see: the unit that is inspected, loaded and diffed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Realm {
    /// The dialect whose rules produced this model.
    pub dialect: Dialect,
    /// The schemas, sorted by name.
    pub schemas: Vec<Schema>,
}

/// A namespace of tables and other objects (`main` on SQLite, the database on MySQL).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Schema {
    /// The schema's name.
    pub name: String,
    /// Tables, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    /// Views and materialized views, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// Triggers, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// Standalone sequences, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    /// Enum types, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
    /// Domains, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// Functions and procedures (PostgreSQL), sorted by signature.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Extensions installed into this schema, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    /// Scheduled events (MySQL/MariaDB), sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// The schema's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges on the schema and its objects (PostgreSQL), sorted; only those of managed
    /// roles once a scope has been applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// Owners of the schema and its objects where stated (PostgreSQL), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Owner>,
}

impl Realm {
    /// An empty realm of `dialect`.
    pub fn new(dialect: Dialect) -> Self {
        Realm { dialect, schemas: Vec::new() }
    }

    /// Looks a schema up by exact name.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.name == name)
    }

    /// Sorts every collection into the model's canonical order, so that equal structures
    /// compare equal and serialize byte for byte the same.
    pub fn normalize(&mut self) {
        self.schemas.sort_by(|a, b| a.name.cmp(&b.name));
        for s in &mut self.schemas {
            s.tables.sort_by(|a, b| a.name.cmp(&b.name));
            s.views.sort_by(|a, b| a.name.cmp(&b.name));
            s.triggers.sort_by(|a, b| (&a.name, &a.table).cmp(&(&b.name, &b.table)));
            s.sequences.sort_by(|a, b| a.name.cmp(&b.name));
            s.enums.sort_by(|a, b| a.name.cmp(&b.name));
            s.domains.sort_by(|a, b| a.name.cmp(&b.name));
            s.extensions.sort_by(|a, b| a.name.cmp(&b.name));
            s.events.sort_by(|a, b| a.name.cmp(&b.name));
            s.functions.sort_by_key(|f| f.signature());
            s.grants.sort();
            s.grants.dedup();
            s.owners.sort();
            for d in &mut s.domains {
                d.checks.sort_by(crate::table::check_order);
            }
            for v in &mut s.views {
                v.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            }
            for t in &mut s.tables {
                t.normalize();
            }
            s.tables.shrink_to_fit();
        }
    }

    /// Whether [`Realm::normalize`] would change nothing a fingerprint sees: every list already in
    /// its order (the sorts are stable), no duplicate grant, and no rename directive (which
    /// fingerprints leave out); what every reader hands over, so hashing needs no copy of it.
    pub fn is_normalized(&self) -> bool {
        let by_name = |a: &str, b: &str| a <= b;
        self.schemas.is_sorted_by(|a, b| by_name(&a.name, &b.name))
            && self.schemas.iter().all(|s| {
                s.tables.is_sorted_by(|a, b| by_name(&a.name, &b.name))
                    && s.views.is_sorted_by(|a, b| by_name(&a.name, &b.name))
                    && s.triggers.is_sorted_by(|a, b| (&a.name, &a.table) <= (&b.name, &b.table))
                    && s.sequences.is_sorted_by(|a, b| by_name(&a.name, &b.name))
                    && s.enums.is_sorted_by(|a, b| by_name(&a.name, &b.name))
                    && s.domains.is_sorted_by(|a, b| by_name(&a.name, &b.name))
                    && s.extensions.is_sorted_by(|a, b| by_name(&a.name, &b.name))
                    && s.events.is_sorted_by(|a, b| by_name(&a.name, &b.name))
                    && s.functions.is_sorted_by(|a, b| a.signature() <= b.signature())
                    && s.grants.is_sorted_by(|a, b| a < b)
                    && s.owners.is_sorted()
                    && s.domains.iter().all(|d| d.checks.is_sorted_by(|a, b| crate::table::check_order(a, b).is_le()))
                    && s.views.iter().all(|v| v.indexes.is_sorted_by(|a, b| a.name <= b.name))
                    && s.tables.iter().all(|t| {
                        t.is_normalized()
                            && t.renamed_from.is_none()
                            && t.columns.iter().all(|c| c.renamed_from.is_none())
                    })
            })
    }

    /// Counts tables, views and triggers, for summaries.
    pub fn object_count(&self) -> usize {
        self.schemas
            .iter()
            .map(|s| {
                s.tables.len() + s.views.len() + s.triggers.len() + s.sequences.len() + s.enums.len() + s.events.len()
            })
            .sum()
    }
}

impl Schema {
    /// An empty schema called `name`.
    pub fn named(name: impl Into<String>) -> Self {
        Schema { name: name.into(), ..Default::default() }
    }

    /// Looks a table up by exact name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Looks a view up by exact name.
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Index, Table};

    #[test]
    fn normalize_keeps_no_spare_room_in_table_lists() {
        let mut t = Table { name: "t".into(), ..Default::default() };
        for i in 0..5 {
            t.columns.push(Column { name: format!("c{i}").into(), ..Default::default() });
        }
        t.indexes.push(Index { name: "i".into(), ..Default::default() });
        let mut s = Schema::named("s");
        s.tables.push(t);
        let mut realm = Realm { dialect: crate::Dialect::Postgres, schemas: vec![s] };
        assert!(realm.schemas[0].tables[0].columns.capacity() > 5, "a pushed list has room to spare");
        realm.normalize();
        let s = &realm.schemas[0];
        assert_eq!(s.tables.capacity(), s.tables.len());
        assert_eq!(s.tables[0].columns.capacity(), 5);
        assert_eq!(s.tables[0].indexes.capacity(), 1);
    }
}
