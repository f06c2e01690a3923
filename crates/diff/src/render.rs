//! Rendering shared by the dialects' planners; each dialect keeps only its differences.

use schema_model::{quote_ident, Dialect, IndexKey, IndexPart};

/// A collation name as the catalog gives it; on PostgreSQL `schema.name` is qualified.
pub(crate) fn collation(d: Dialect, name: &str) -> String {
    match (d, name.split_once('.')) {
        (Dialect::Postgres, Some((s, n))) if !s.is_empty() && !n.is_empty() => {
            format!("{}.{}", quote_ident(d, s), quote_ident(d, n))
        }
        _ => quote_ident(d, name),
    }
}

/// One key part of an index: the column or expression, then prefix length (MySQL),
/// collation, operator class (PostgreSQL), direction and NULLS order (PostgreSQL).
/// SQLite keeps expressions bare because it stores the text as written.
pub(crate) fn index_part(d: Dialect, p: &IndexPart) -> String {
    let mut s = match &p.key {
        IndexKey::Column(c) => quote_ident(d, c),
        IndexKey::Expr(e) if d == Dialect::Sqlite => e.clone(),
        IndexKey::Expr(e) => format!("({e})"),
    };
    if let Some(n) = p.prefix {
        s.push_str(&format!("({n})"));
    }
    if let Some(c) = &p.collation {
        s.push_str(&format!(" COLLATE {}", collation(d, c)));
    }
    if let Some(o) = &p.opclass {
        s.push_str(&format!(" {o}"));
    }
    if p.desc {
        s.push_str(" DESC");
    }
    match p.nulls_first {
        Some(true) => s.push_str(" NULLS FIRST"),
        Some(false) => s.push_str(" NULLS LAST"),
        None => {}
    }
    s
}

/// Names quoted for `d`, comma separated: the columns of a key, an `INCLUDE` list.
pub(crate) fn name_list(d: Dialect, names: &[impl AsRef<str>]) -> String {
    names.iter().map(|n| quote_ident(d, n.as_ref())).collect::<Vec<_>>().join(", ")
}

/// `CONSTRAINT "name" ` before a constraint clause, or nothing for an unnamed constraint.
pub(crate) fn constraint_prefix(d: Dialect, name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", quote_ident(d, n))).unwrap_or_default()
}

/// Every key part of an index, comma separated.
pub(crate) fn index_parts(d: Dialect, parts: &[IndexPart]) -> String {
    parts.iter().map(|p| index_part(d, p)).collect::<Vec<_>>().join(", ")
}
