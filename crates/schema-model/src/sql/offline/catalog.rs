//! What the files have defined so far: the model under construction, the session's
//! `search_path`, and the names PostgreSQL checks when it generates one (relations per
//! schema for `ChooseRelationName`, constraints per schema for `ChooseConstraintName`).

use std::collections::{HashMap, HashSet};

use sqlparser::ast::{ObjectName, Spanned};

use super::constraints::FkSpec;
use super::expr::Lookup;
use super::names::quote_qualified;
use super::types::{Kind, Ty};
use super::{fold, Problem};
use crate::{Dialect, Index, Realm, Schema, Table};

type R<T> = Result<T, Problem>;

/// The state of the scratch database offline mode imagines.
pub(super) struct Catalog {
    /// The model so far.
    pub realm: Realm,
    /// The session's `search_path`, as set by `SET search_path`.
    pub search_path: Vec<String>,
    /// `pg_class` names (tables, indexes, sequences) per schema.
    relations: HashSet<(String, String)>,
    /// `pg_constraint` names per schema (tables' and domains').
    constraints: HashSet<(String, String)>,
    /// `pg_type` names per schema (tables' row types, enums, domains).
    types: HashSet<(String, String)>,
    /// The columns of each table with their types, by (schema, table).
    pub columns: HashMap<(String, String), Vec<(String, Ty)>>,
    /// Where each table sits in its schema's list, by schema and name: every statement
    /// that names a table finds it without a scan of the schema.
    table_at: HashMap<String, HashMap<String, usize>>,
    /// The table of each index, by schema and index name (for `COMMENT ON INDEX`).
    index_table: HashMap<String, HashMap<String, String>>,
    /// Set for the round that breaks a circle of foreign keys: a `CREATE TABLE` whose keys
    /// name a missing table creates the table and sets those keys aside.
    pub defer_foreign_keys: bool,
    /// The keys set aside, with the (schema, table) they belong to, to add after every table.
    pub deferred_foreign_keys: Vec<(String, String, FkSpec)>,
}

impl Catalog {
    /// What a new database holds: the `public` schema and the default `search_path`.
    pub fn new() -> Self {
        let mut realm = Realm::new(Dialect::Postgres);
        realm.schemas.push(Schema { comment: Some("standard public schema".into()), ..Schema::named("public") });
        Catalog {
            realm,
            search_path: vec!["$user".into(), "public".into()],
            relations: HashSet::new(),
            constraints: HashSet::new(),
            types: HashSet::new(),
            columns: HashMap::new(),
            table_at: HashMap::new(),
            index_table: HashMap::new(),
            defer_foreign_keys: false,
            deferred_foreign_keys: Vec::new(),
        }
    }

    /// Looks a schema up.
    pub fn schema_mut(&mut self, name: &str) -> Option<&mut Schema> {
        self.realm.schemas.iter_mut().find(|s| s.name == name)
    }

    /// The schemas of the `search_path` that exist, in order (`$user` never does: offline
    /// mode does not know the role).
    fn path(&self) -> impl Iterator<Item = &String> {
        self.search_path.iter().filter(|s| self.realm.schema(s).is_some())
    }

    /// Splits a name into (schema, object): the schema where given (it must exist), else
    /// `None` for a search along the path.
    pub fn split(&self, name: &ObjectName) -> R<(Option<String>, String)> {
        let parts: Option<Vec<String>> = name.0.iter().map(|p| p.as_ident().map(fold)).collect();
        match parts.as_deref() {
            Some([n]) => Ok((None, n.clone())),
            Some([s, n]) => {
                if self.realm.schema(s).is_none() {
                    return Err(Problem::missing(name.span(), s, format!("schema \"{s}\" does not exist")));
                }
                Ok((Some(s.clone()), n.clone()))
            }
            _ => Err(Problem::offline(name.span(), format!("the name {name}"))),
        }
    }

    /// Where an object named `name` is created: its schema, or the first schema of the path.
    pub fn creation(&self, name: &ObjectName) -> R<(String, String)> {
        let (schema, object) = self.split(name)?;
        match schema.or_else(|| self.path().next().cloned()) {
            Some(s) => Ok((s, object)),
            None => Err(Problem::invalid(name.span(), "no schema has been selected to create in".into())),
        }
    }

    /// Finds an existing table by name, along the path when unqualified.
    pub fn find_table(&self, name: &ObjectName) -> R<(String, String)> {
        self.find_table_or(name, None)
    }

    /// Finds a table by name as [`Catalog::find_table`] does, counting `creating` (schema,
    /// name), the table a statement is about to create, as existing: a foreign key may refer
    /// to its own table.
    pub fn find_table_or(&self, name: &ObjectName, creating: Option<(&str, &str)>) -> R<(String, String)> {
        let (schema, table) = self.split(name)?;
        let has = |s: &str| self.table_index(s, &table).is_some() || creating == Some((s, table.as_str()));
        let found = match schema {
            Some(s) => has(&s).then_some(s),
            None => self.path().find(|s| has(s)).cloned(),
        };
        found
            .map(|s| (s, table.clone()))
            .ok_or_else(|| Problem::missing(name.span(), &table, format!("relation \"{name}\" does not exist")))
    }

    /// Adds a table to `schema`, which exists.
    pub fn add_table(&mut self, schema: &str, table: Table) {
        let s = self.schema_mut(schema).expect("the schema exists");
        let (at, name) = (s.tables.len(), table.name.to_string());
        s.tables.push(table);
        self.table_at.entry(schema.to_string()).or_default().insert(name, at);
    }

    /// Where the table `schema.name` is in its schema's list.
    fn table_index(&self, schema: &str, name: &str) -> Option<usize> {
        self.table_at.get(schema)?.get(name).copied()
    }

    /// The table `schema.name`, which must exist.
    pub fn table(&self, schema: &str, name: &str) -> &Table {
        let at = self.table_index(schema, name).expect("the table exists");
        &self.realm.schema(schema).expect("the schema exists").tables[at]
    }

    /// The table `schema.name`, which must exist, to change.
    pub fn table_mut(&mut self, schema: &str, name: &str) -> &mut Table {
        let at = self.table_index(schema, name).expect("the table exists");
        &mut self.schema_mut(schema).expect("the schema exists").tables[at]
    }

    /// Adds an index to the table `schema.table`, which exists.
    pub fn add_index(&mut self, schema: &str, table: &str, index: Index) {
        let owners = self.index_table.entry(schema.to_string()).or_default();
        owners.insert(index.name.to_string(), table.to_string());
        self.table_mut(schema, table).indexes.push(index);
    }

    /// The schema and table of the index `name` of `schema`, or along the path when
    /// unqualified.
    pub fn index_owner(&self, schema: Option<&str>, name: &str) -> Option<(String, String)> {
        let owner = |s: &str| self.index_table.get(s)?.get(name).map(|t| (s.to_string(), t.clone()));
        match schema {
            Some(s) => owner(s),
            None => self.path().find_map(|s| owner(s)),
        }
    }

    /// True when a relation of that name exists in the schema.
    pub fn relation_taken(&self, schema: &str, name: &str) -> bool {
        self.relations.contains(&(schema.to_string(), name.to_string()))
    }

    /// Records a relation name.
    pub fn add_relation(&mut self, schema: &str, name: &str) {
        self.relations.insert((schema.into(), name.into()));
    }

    /// True when a constraint of that name exists in the schema.
    pub fn constraint_taken(&self, schema: &str, name: &str) -> bool {
        self.constraints.contains(&(schema.to_string(), name.to_string()))
    }

    /// Records a constraint name.
    pub fn add_constraint(&mut self, schema: &str, name: &str) {
        self.constraints.insert((schema.into(), name.into()));
    }

    /// True when a type of that name exists in the schema.
    pub fn type_taken(&self, schema: &str, name: &str) -> bool {
        self.types.contains(&(schema.to_string(), name.to_string()))
    }

    /// Records a type name.
    pub fn add_type(&mut self, schema: &str, name: &str) {
        self.types.insert((schema.into(), name.into()));
    }

    /// The column types of a table.
    pub fn table_columns(&self, schema: &str, table: &str) -> &[(String, Ty)] {
        self.columns.get(&(schema.to_string(), table.to_string())).map_or(&[], Vec::as_slice)
    }

    /// The (schema, name) of the enum or domain `name` denotes, if any.
    pub fn user_type_named(&self, name: &ObjectName) -> R<Option<(String, String)>> {
        let (schema, n) = self.split(name)?;
        let has = |s: &str| self.find_user_type(s, &n).is_some();
        let found = match schema {
            Some(s) => has(&s).then_some(s),
            None => self.path().find(|s| has(s)).cloned(),
        };
        Ok(found.map(|s| (s, n)))
    }

    fn find_user_type(&self, schema: &str, name: &str) -> Option<Ty> {
        let s = self.realm.schema(schema)?;
        let canonical = quote_qualified(schema, name);
        if s.enums.iter().any(|e| e.name == name) {
            Some(Ty::plain(&canonical, Kind::Enum))
        } else if s.domains.iter().any(|d| d.name == name) {
            Some(Ty::plain(&canonical, Kind::Domain))
        } else {
            None
        }
    }
}

impl Lookup for Catalog {
    fn user_type(&self, schema: Option<&str>, name: &str) -> Option<Ty> {
        match schema {
            Some(s) => self.find_user_type(s, name),
            None => self.path().find_map(|s| self.find_user_type(s, name)),
        }
    }

    fn enum_labels(&self, canonical: &str) -> Option<Vec<String>> {
        self.realm.schemas.iter().find_map(|s| {
            s.enums.iter().find(|e| quote_qualified(&s.name, &e.name) == canonical).map(|e| e.values.clone())
        })
    }

    fn sequence(&self, name: &str) -> Option<String> {
        let parts = split_qualified(name)?;
        let found = |s: &str, n: &str| self.relation_taken(s, n).then(|| quote_qualified(s, n));
        match parts.as_slice() {
            [n] => self.path().find_map(|s| found(s, n)),
            [s, n] => found(s, n),
            _ => None,
        }
    }
}

/// `stringToQualifiedNameList`: a dotted name in a string, unquoted parts folded to lower case.
pub(super) fn split_qualified(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = s.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' || c.is_whitespace() {
                    break;
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
            if part.is_empty() {
                return None;
            }
        }
        out.push(super::names::truncate(&part));
        match chars.next() {
            None => return Some(out),
            Some('.') => continue,
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_in_strings() {
        assert_eq!(split_qualified("S"), Some(vec!["s".into()]));
        assert_eq!(split_qualified("app.\"My Seq\""), Some(vec!["app".into(), "My Seq".into()]));
        assert_eq!(split_qualified("a..b"), None);
    }
}
