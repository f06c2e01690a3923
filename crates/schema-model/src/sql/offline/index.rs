//! `CREATE [UNIQUE] INDEX` on columns: method, order, `NULLS`, pattern operator classes,
//! collations, `INCLUDE`, `NULLS NOT DISTINCT` and simple `WHERE` predicates.

use sqlparser::ast::{CreateIndex, Expr, IndexType, OrderBySort, Spanned};
use sqlparser::tokenizer::Span;

use super::catalog::Catalog;
use super::deparse::render;
use super::expr::{boolean, Scope};
use super::names::{choose, index_column_names, name_addition};
use super::types::{Kind, Ty};
use super::{fold, Problem};
use crate::{Index, IndexKey, IndexPart};

type R<T> = Result<T, Problem>;

/// Whether a plain index of `method` on a column of type `t` uses a default operator class
/// offline mode knows to exist.
fn indexable(t: &Ty, hash: bool) -> bool {
    match &t.kind {
        Kind::Other | Kind::Json | Kind::Domain => false,
        Kind::Array(_) => !hash,
        _ => true,
    }
}

/// `CREATE INDEX`.
pub(super) fn create_index(cat: &mut Catalog, ci: &CreateIndex) -> R<()> {
    let whole = Span::empty();
    if !ci.with.is_empty() || !ci.index_options.is_empty() || !ci.alter_options.is_empty() || ci.r#async {
        return Err(Problem::offline(whole, "this form of CREATE INDEX".into()));
    }
    let hash = match &ci.using {
        None | Some(IndexType::BTree) => false,
        Some(IndexType::Hash) => true,
        Some(other) => return Err(Problem::offline(whole, format!("an index USING {other}"))),
    };
    let (schema, table) = cat.find_table(&ci.table_name)?;
    let columns = cat.table_columns(&schema, &table);
    let model_cols = &cat.table(&schema, &table).columns;
    let mut parts = Vec::new();
    for c in &ci.columns {
        let span = c.span();
        let (expr, collation) = match &c.column.expr {
            Expr::Collate { expr, collation } => {
                let name: Vec<String> = collation.0.iter().filter_map(|p| p.as_ident().map(fold)).collect();
                match name.as_slice() {
                    [n] if n == "C" || n == "POSIX" => (expr.as_ref(), Some(n.clone())),
                    _ => return Err(Problem::offline(collation.span(), format!("the collation {collation}"))),
                }
            }
            e => (e, None),
        };
        let Expr::Identifier(id) = expr else {
            return Err(Problem::offline(span, "an expression index".into()));
        };
        let name = fold(id);
        let Some((_, ty)) = columns.iter().find(|(n, _)| *n == name) else {
            return Err(Problem::invalid(id.span, format!("column \"{name}\" does not exist")));
        };
        if !indexable(ty, hash) || (collation.is_some() && !ty.is_collatable()) {
            return Err(Problem::offline(span, format!("an index on a {} column", ty.canonical)));
        }
        let opclass = match &c.operator_class {
            None => None,
            Some(oc) => {
                let n = oc.0.iter().filter_map(|p| p.as_ident().map(fold)).collect::<Vec<_>>().join(".");
                let fits = match n.as_str() {
                    "text_pattern_ops" | "varchar_pattern_ops" => ty.is_text(),
                    "bpchar_pattern_ops" => ty.kind == Kind::Bpchar,
                    _ => false,
                };
                if !fits || hash {
                    return Err(Problem::offline(oc.span(), format!("the operator class {oc}")));
                }
                Some(n)
            }
        };
        let column_collation = model_cols.iter().find(|m| m.name == name).and_then(|m| m.collation.clone());
        let desc = match &c.column.options.sort {
            None | Some(OrderBySort::Asc) => false,
            Some(OrderBySort::Desc) => true,
            Some(_) => return Err(Problem::offline(span, "ORDER BY USING".into())),
        };
        if hash && (desc || c.column.options.nulls_first.is_some()) {
            return Err(Problem::invalid(span, "access method \"hash\" does not support ASC/DESC options".into()));
        }
        let nulls_first = c.column.options.nulls_first.filter(|n| *n != desc);
        parts.push(IndexPart {
            key: IndexKey::Column(name.into()),
            desc,
            collation: collation.filter(|c| column_collation.as_deref() != Some(c.as_str())),
            nulls_first,
            opclass,
            prefix: None,
        });
    }
    if hash && parts.len() != 1 {
        return Err(Problem::invalid(whole, "access method \"hash\" does not support multicolumn indexes".into()));
    }
    let mut include = Vec::new();
    for id in &ci.include {
        let n = fold(id);
        if !columns.iter().any(|(c, _)| *c == n) {
            return Err(Problem::invalid(id.span, format!("column \"{n}\" does not exist")));
        }
        include.push(n);
    }
    let nulls_not_distinct = ci.nulls_distinct == Some(false);
    if nulls_not_distinct && !ci.unique {
        return Err(Problem::offline(whole, "NULLS NOT DISTINCT on a non-unique index".into()));
    }
    let predicate = match &ci.predicate {
        None => None,
        Some(p) => {
            let node = boolean(p, &Scope { table: Some(&table), columns, value: None, cat: &*cat })?;
            if node.is_volatile() {
                return Err(Problem::invalid(p.span(), "functions in index predicate must be marked IMMUTABLE".into()));
            }
            Some(render(&node))
        }
    };
    let name = match &ci.name {
        Some(obj) => {
            let [part] = obj.0.as_slice() else {
                return Err(Problem::invalid(obj.span(), "an index name cannot be schema-qualified".into()));
            };
            let n = part.as_ident().map(fold).unwrap_or_default();
            if cat.relation_taken(&schema, &n) {
                if ci.if_not_exists {
                    return Ok(());
                }
                return Err(Problem::invalid(obj.span(), format!("relation \"{n}\" already exists")));
            }
            n
        }
        None => {
            let names: Vec<Option<String>> = parts
                .iter()
                .map(|p| match &p.key {
                    IndexKey::Column(c) => Some(c.to_string()),
                    IndexKey::Expr(_) => None,
                })
                .chain(include.iter().map(|c| Some(c.clone())))
                .collect();
            let addition = name_addition(&index_column_names(&names));
            choose(&table, Some(&addition), "idx", |n| cat.relation_taken(&schema, n))
        }
    };
    cat.add_relation(&schema, &name);
    let index = Index {
        name: name.into(),
        unique: ci.unique,
        parts,
        predicate,
        method: hash.then(|| "hash".to_string()),
        include: crate::names(include),
        nulls_not_distinct,
        storage: Vec::new(),
        comment: None,
    };
    cat.add_index(&schema, &table, index);
    Ok(())
}
