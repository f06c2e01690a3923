//! SQLite DDL text for model objects. Every identifier is quoted.

use crate::render::{constraint_prefix, name_list};
use schema_model::sql::significant_tokens;
use schema_model::{quote_ident, Column, Deferrable, Dialect, ForeignKey, Index, Table};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

const D: Dialect = Dialect::Sqlite;

/// Quotes a SQLite identifier.
pub fn q(name: &str) -> String {
    quote_ident(D, name)
}

/// True for a default SQLite accepts without parentheses: a literal, a signed number,
/// NULL, TRUE/FALSE or CURRENT_TIME/DATE/TIMESTAMP.
pub fn is_bare_literal(expr: &str) -> bool {
    let Ok(toks) = significant_tokens(D, expr) else {
        return false;
    };
    match toks.as_slice() {
        [t] => is_literal_token(&t.token) || is_current_keyword(&t.token),
        [sign, n] => matches!(sign.token, Token::Minus | Token::Plus) && matches!(n.token, Token::Number(..)),
        _ => false,
    }
}

/// True for a default `ALTER TABLE ADD COLUMN` accepts: a constant, not CURRENT_* nor an
/// expression.
pub fn is_constant(expr: &str) -> bool {
    let Ok(toks) = significant_tokens(D, expr) else {
        return false;
    };
    match toks.as_slice() {
        [t] => is_literal_token(&t.token),
        [sign, n] => matches!(sign.token, Token::Minus | Token::Plus) && matches!(n.token, Token::Number(..)),
        _ => false,
    }
}

/// True when the default is NULL (or absent).
pub fn is_null_default(expr: Option<&str>) -> bool {
    expr.is_none_or(|e| e.trim().eq_ignore_ascii_case("null"))
}

fn is_literal_token(t: &Token) -> bool {
    match t {
        Token::Number(..) | Token::SingleQuotedString(_) | Token::HexStringLiteral(_) => true,
        Token::Word(w) => {
            w.quote_style.is_none() && matches!(w.keyword, Keyword::NULL | Keyword::TRUE | Keyword::FALSE)
        }
        _ => false,
    }
}

fn is_current_keyword(t: &Token) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none()
        && matches!(w.keyword, Keyword::CURRENT_TIME | Keyword::CURRENT_DATE | Keyword::CURRENT_TIMESTAMP))
}

/// The definition of one column, as in `CREATE TABLE` and `ADD COLUMN`.
pub fn column_def(c: &Column, inline_pk: bool) -> String {
    let mut s = q(&c.name);
    if !c.ty.raw.is_empty() {
        s.push(' ');
        s.push_str(&c.ty.raw);
    }
    if inline_pk {
        s.push_str(" PRIMARY KEY");
        if c.auto_increment {
            s.push_str(" AUTOINCREMENT");
        }
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        if is_bare_literal(d) {
            s.push_str(&format!(" DEFAULT {d}"));
        } else {
            s.push_str(&format!(" DEFAULT ({d})"));
        }
    }
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", q(coll)));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({}) {}", g.expr, if g.stored { "STORED" } else { "VIRTUAL" }));
    }
    s
}

/// A foreign key clause, as a table constraint.
pub fn foreign_key(fk: &ForeignKey) -> String {
    let mut s = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        constraint_prefix(D, fk.name.as_deref()),
        name_list(D, &fk.columns),
        q(&fk.ref_table)
    );
    if !fk.ref_columns.is_empty() {
        s.push_str(&format!(" ({})", name_list(D, &fk.ref_columns)));
    }
    if !fk.on_delete.is_default() {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if !fk.on_update.is_default() {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    match fk.deferrable {
        Deferrable::NotDeferrable => {}
        Deferrable::InitiallyImmediate => s.push_str(" DEFERRABLE INITIALLY IMMEDIATE"),
        Deferrable::InitiallyDeferred => s.push_str(" DEFERRABLE INITIALLY DEFERRED"),
    }
    s
}

/// `CREATE TABLE` for `t` under `name` (a rebuild creates it under a temporary name).
pub fn create_table(t: &Table, name: &str) -> String {
    // AUTOINCREMENT is only legal on an inline single-column primary key.
    let inline_pk = t.primary_key.as_ref().filter(|pk| pk.name.is_none() && pk.columns.len() == 1).and_then(|pk| {
        let col = t.column(&pk.columns[0])?;
        col.auto_increment.then_some(col.name.clone())
    });
    let mut items: Vec<String> =
        t.columns.iter().map(|c| column_def(c, inline_pk.as_deref() == Some(c.name.as_str()))).collect();
    if let Some(pk) = t.primary_key.as_ref().filter(|_| inline_pk.is_none()) {
        items.push(format!("{}PRIMARY KEY ({})", constraint_prefix(D, pk.name.as_deref()), name_list(D, &pk.columns)));
    }
    for u in &t.uniques {
        items.push(format!("{}UNIQUE ({})", constraint_prefix(D, u.name.as_deref()), name_list(D, &u.columns)));
    }
    for c in &t.checks {
        items.push(format!("{}CHECK ({})", constraint_prefix(D, c.name.as_deref()), c.expr));
    }
    for fk in &t.foreign_keys {
        items.push(foreign_key(fk));
    }
    let mut options = Vec::new();
    if t.options.without_rowid {
        options.push("WITHOUT ROWID");
    }
    if t.options.strict {
        options.push("STRICT");
    }
    let tail = if options.is_empty() { String::new() } else { format!(" {}", options.join(", ")) };
    format!("CREATE TABLE {} (\n  {}\n){tail}", q(name), items.join(",\n  "))
}

/// `CREATE INDEX` on `table`.
pub fn create_index(table: &str, i: &Index) -> String {
    let parts = crate::render::index_parts(D, &i.parts);
    let mut s =
        format!("CREATE {}INDEX {} ON {} ({})", if i.unique { "UNIQUE " } else { "" }, q(&i.name), q(table), parts);
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_expressions() {
        assert!(is_bare_literal("'x'") && is_bare_literal("-1") && is_bare_literal("CURRENT_TIMESTAMP"));
        assert!(!is_bare_literal("datetime('now')") && !is_bare_literal("1+2"));
        assert!(is_constant("NULL") && !is_constant("CURRENT_TIMESTAMP"));
    }
}
