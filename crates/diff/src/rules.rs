//! How a dialect decides that two spellings mean the same thing.

use std::borrow::Cow;

use schema_model::sql::normalize_sql;
use schema_model::{Column, CompactString, Dialect, Grant, Index, IndexKey, Securable, Trigger};

/// Equality rules the differ asks of a dialect. The defaults compare the database's own
/// renderings after token normalization.
pub trait Rules {
    /// The dialect these rules are for.
    fn dialect(&self) -> Dialect;

    /// The key under which a name is matched (SQLite and MySQL ignore case); borrowed unless
    /// folding changes it, since the differ asks for it of every column.
    fn name_key<'n>(&self, name: &'n str) -> Cow<'n, str> {
        let folds = match self.dialect() {
            Dialect::Sqlite | Dialect::Mysql => !name.is_ascii() || name.bytes().any(|b| b.is_ascii_uppercase()),
            Dialect::Postgres => false,
        };
        if folds {
            Cow::Owned(name.to_lowercase())
        } else {
            Cow::Borrowed(name)
        }
    }

    /// The key a trigger is matched by: its name where triggers share the schema's namespace
    /// (SQLite, MySQL), its table and name where each table has its own (PostgreSQL).
    fn trigger_key(&self, t: &Trigger) -> String {
        match self.dialect() {
            Dialect::Postgres => format!("{}.{}", t.table, t.name),
            Dialect::Sqlite | Dialect::Mysql => t.name.clone(),
        }
    }

    /// Whether column order is part of a table's definition (MySQL can reorder columns;
    /// SQLite and PostgreSQL append added columns, so order is not compared there).
    fn ordered_columns(&self) -> bool {
        false
    }

    /// The privileges the server gives `on` when it is created, beyond its owner's own
    /// (PostgreSQL: EXECUTE for PUBLIC on a function or procedure), so that a desired state
    /// without them has them revoked right after the CREATE.
    fn creation_grants(&self, _on: &Securable) -> Vec<Grant> {
        Vec::new()
    }

    /// Whether a realm is one schema whose name is not part of its identity (MySQL: the
    /// database named by the URL).
    fn single_schema(&self) -> bool {
        false
    }

    /// Two expressions mean the same.
    fn expr_eq(&self, a: &str, b: &str) -> bool {
        a == b || normalize_sql(self.dialect(), a) == normalize_sql(self.dialect(), b)
    }

    /// Two optional expressions mean the same.
    fn opt_expr_eq(&self, a: Option<&str>, b: Option<&str>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => self.expr_eq(a, b),
            _ => false,
        }
    }

    /// Two names denote the same object.
    fn name_eq(&self, a: &str, b: &str) -> bool {
        self.name_key(a) == self.name_key(b)
    }

    /// Two name lists denote the same columns in the same order.
    fn names_eq(&self, a: &[CompactString], b: &[CompactString]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| self.name_eq(x, y))
    }

    /// Two optional names are the same (collations, constraint names).
    fn opt_name_eq(&self, a: Option<&str>, b: Option<&str>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => self.name_key(a) == self.name_key(b),
            _ => false,
        }
    }

    /// Two columns have the same definition (names are matched by the caller).
    fn column_eq(&self, a: &Column, b: &Column) -> bool {
        a.ty.canonical == b.ty.canonical
            && a.nullable == b.nullable
            && self.opt_expr_eq(a.default.as_deref(), b.default.as_deref())
            && self.opt_name_eq(a.collation.as_deref(), b.collation.as_deref())
            && match (&a.generated, &b.generated) {
                (None, None) => true,
                (Some(x), Some(y)) => x.stored == y.stored && self.expr_eq(&x.expr, &y.expr),
                _ => false,
            }
            && a.auto_increment == b.auto_increment
            && a.identity == b.identity
            && self.opt_expr_eq(a.on_update.as_deref(), b.on_update.as_deref())
            && a.invisible == b.invisible
            && a.comment == b.comment
    }

    /// Two indexes have the same definition (comments are compared apart).
    fn index_eq(&self, a: &Index, b: &Index) -> bool {
        a.unique == b.unique
            && a.parts.len() == b.parts.len()
            && a.parts.iter().zip(&b.parts).all(|(x, y)| {
                x.desc == y.desc
                    && self.opt_name_eq(x.collation.as_deref(), y.collation.as_deref())
                    && x.opclass == y.opclass
                    && x.nulls_first == y.nulls_first
                    && x.prefix == y.prefix
                    && match (&x.key, &y.key) {
                        (IndexKey::Column(p), IndexKey::Column(q)) => self.name_eq(p, q),
                        (IndexKey::Expr(p), IndexKey::Expr(q)) => self.expr_eq(p, q),
                        _ => false,
                    }
            })
            && self.opt_expr_eq(a.predicate.as_deref(), b.predicate.as_deref())
            && a.method == b.method
            && self.names_eq(&a.include, &b.include)
            && a.nulls_not_distinct == b.nulls_not_distinct
            && a.storage == b.storage
    }
}
