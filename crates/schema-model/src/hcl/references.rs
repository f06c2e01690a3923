//! The names every file of a directory declares, and the resolution of references to them
//! (`schema.public`, `column.id`, `table.users.column.id`, `table.public.users`, `enum.status`).

use std::collections::HashMap;

use hcl_edit::expr::Expression;
use hcl_edit::Span;

use super::values::{path, Ctx};
use crate::sql::SourceError;

/// A table as far as references need it.
#[derive(Clone, Debug)]
pub(super) struct TableSym {
    /// Its schema.
    pub schema: String,
    /// Its name.
    pub name: String,
    /// Its columns' names.
    pub columns: Vec<String>,
}

/// Everything declared across the files: schemas, tables with their columns, enum types.
#[derive(Debug, Default)]
pub(super) struct Symbols {
    /// Declared schemas.
    pub schemas: Vec<String>,
    /// Declared tables, in the order of the files.
    pub tables: Vec<TableSym>,
    /// Where each declared table is in `tables`, by name (a name may be in several schemas),
    /// so a reference finds its table without a scan of every table.
    by_name: HashMap<String, Vec<usize>>,
    /// Declared enum types, as schema and name.
    pub enums: Vec<(String, String)>,
}

impl Symbols {
    /// Declares a table.
    pub fn add_table(&mut self, table: TableSym) {
        self.by_name.entry(table.name.clone()).or_default().push(self.tables.len());
        self.tables.push(table);
    }

    /// The declared tables of this name, in every schema, in declaration order.
    pub fn named<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s TableSym> + 's {
        self.by_name.get(name).into_iter().flatten().map(|&i| &self.tables[i])
    }

    /// The table `schema.name`, if declared.
    pub fn table_in(&self, schema: &str, name: &str) -> Option<&TableSym> {
        self.named(name).find(|t| t.schema == schema)
    }

    /// `schema.NAME` → NAME, which must be declared.
    pub fn schema(&self, ctx: &Ctx, e: &Expression) -> Result<String, SourceError> {
        match path(e).as_deref() {
            Some([kind, name]) if kind == "schema" => {
                if self.schemas.contains(name) {
                    Ok(name.clone())
                } else {
                    Err(ctx.err(
                        e.span(),
                        format!("schema {name:?} is not declared"),
                        "no such schema",
                        &format!("declare it with schema {name:?} {{}}; declared: {}", names(&self.schemas)),
                    ))
                }
            }
            _ => Err(bad_ref(ctx, e, "schema.NAME")),
        }
    }

    /// A table by reference: `table.T` or `table.S.T`, looked up first in `schema`.
    pub fn table(&self, ctx: &Ctx, e: &Expression, schema: &str) -> Result<&TableSym, SourceError> {
        match path(e).as_deref() {
            Some([kind, t]) if kind == "table" => self.find_table(ctx, e, schema, t),
            Some([kind, s, t]) if kind == "table" => self.find_table(ctx, e, s, t),
            _ => Err(bad_ref(ctx, e, "table.NAME")),
        }
    }

    /// A column by reference: `column.C` (of `own`), `table.T.column.C` or
    /// `table.S.T.column.C`; returns the table and the column's name.
    pub fn column<'s>(
        &'s self,
        ctx: &Ctx,
        e: &Expression,
        own: &'s TableSym,
    ) -> Result<(&'s TableSym, String), SourceError> {
        let p = path(e).ok_or_else(|| bad_ref(ctx, e, "column.NAME"))?;
        let (table, column) = match p.as_slice() {
            [kind, c] if kind == "column" => (own, c),
            [kind, t, col, c] if kind == "table" && col == "column" => (self.find_table(ctx, e, &own.schema, t)?, c),
            [kind, s, t, col, c] if kind == "table" && col == "column" => (self.find_table(ctx, e, s, t)?, c),
            _ => return Err(bad_ref(ctx, e, "column.NAME or table.TABLE.column.NAME")),
        };
        if table.columns.contains(column) {
            Ok((table, column.clone()))
        } else {
            Err(ctx.err(
                e.span(),
                format!("table {:?} has no column {column:?}", table.name),
                "no such column",
                &format!("its columns are: {}", names(&table.columns)),
            ))
        }
    }

    /// `enum.E` or `enum.S.E` → (schema, name).
    pub fn enum_type(&self, ctx: &Ctx, e: &Expression, schema: &str) -> Result<(String, String), SourceError> {
        let (s, n) = match path(e).as_deref() {
            Some([kind, n]) if kind == "enum" => (schema.to_string(), n.clone()),
            Some([kind, s, n]) if kind == "enum" => (s.clone(), n.clone()),
            _ => return Err(bad_ref(ctx, e, "enum.NAME")),
        };
        if self.enums.iter().any(|(es, en)| *es == s && *en == n) {
            Ok((s, n))
        } else {
            let declared: Vec<String> = self.enums.iter().map(|(_, n)| n.clone()).collect();
            Err(ctx.err(
                e.span(),
                format!("enum {n:?} is not declared in schema {s:?}"),
                "no such enum",
                &format!(
                    "declare it with enum {n:?} {{ schema = schema.{s} values = [...] }}; declared: {}",
                    names(&declared)
                ),
            ))
        }
    }

    fn find_table(&self, ctx: &Ctx, e: &Expression, schema: &str, name: &str) -> Result<&TableSym, SourceError> {
        let mut matches = self.named(name);
        let exact = self.table_in(schema, name);
        match (exact, matches.next(), matches.next()) {
            (Some(t), _, _) => Ok(t),
            (None, Some(t), None) => Ok(t),
            (None, Some(_), Some(_)) => Err(ctx.err(
                e.span(),
                format!("table {name:?} is in more than one schema"),
                "ambiguous",
                &format!("name the schema: table.SCHEMA.{name}"),
            )),
            (None, None, _) => {
                let declared: Vec<String> = self.tables.iter().map(|t| t.name.clone()).collect();
                Err(ctx.err(
                    e.span(),
                    format!("table {name:?} is not declared"),
                    "no such table",
                    &format!("declared tables: {}", names(&declared)),
                ))
            }
        }
    }
}

fn bad_ref(ctx: &Ctx, e: &Expression, form: &str) -> SourceError {
    ctx.err(e.span(), format!("expected a reference of the form {form}"), "not a reference", &format!("write {form}"))
}

fn names(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
