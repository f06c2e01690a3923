//! MySQL/MariaDB DDL text for model objects. Every identifier and literal is quoted.

use crate::render::name_list;
use schema_model::sql::significant_tokens;
use schema_model::{quote_ident, quote_literal, Check, Column, Dialect, ForeignKey, Index, PrimaryKey, Table};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

const D: Dialect = Dialect::Mysql;

/// Quotes an identifier with backticks.
pub fn q(name: &str) -> String {
    quote_ident(D, name)
}

/// A string literal.
pub fn lit(value: &str) -> String {
    quote_literal(D, value)
}

/// True for a default MySQL accepts without parentheses: a literal, NULL, TRUE/FALSE, or
/// `current_timestamp` with or without precision.
fn is_bare_default(expr: &str) -> bool {
    let Ok(toks) = significant_tokens(D, expr) else { return false };
    let kw = |t: &Token, k: Keyword| matches!(t, Token::Word(w) if w.quote_style.is_none() && w.keyword == k);
    match toks.as_slice() {
        [t] => {
            matches!(t.token, Token::Number(..) | Token::SingleQuotedString(_) | Token::HexStringLiteral(_))
                || kw(&t.token, Keyword::NULL)
                || kw(&t.token, Keyword::TRUE)
                || kw(&t.token, Keyword::FALSE)
                || kw(&t.token, Keyword::CURRENT_TIMESTAMP)
        }
        [s, n] => matches!(s.token, Token::Minus | Token::Plus) && matches!(n.token, Token::Number(..)),
        [f, rest @ ..] => {
            kw(&f.token, Keyword::CURRENT_TIMESTAMP) && rest.first().is_some_and(|t| t.token == Token::LParen)
        }
        [] => false,
    }
}

/// A column definition, as in `CREATE TABLE`, `ADD COLUMN` and `MODIFY COLUMN`.
pub fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", q(&c.name), c.ty.raw);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", q(coll)));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({}) {}", g.expr, if g.stored { "STORED" } else { "VIRTUAL" }));
    }
    // MariaDB accepts no `NULL` after a generated column's storage, only `NOT NULL`.
    if !c.nullable {
        s.push_str(" NOT NULL");
    } else if c.generated.is_none() {
        s.push_str(" NULL");
    }
    if let Some(d) = &c.default {
        if is_bare_default(d) {
            s.push_str(&format!(" DEFAULT {d}"));
        } else {
            s.push_str(&format!(" DEFAULT ({d})"));
        }
    }
    if let Some(u) = &c.on_update {
        s.push_str(&format!(" ON UPDATE {u}"));
    }
    if c.auto_increment {
        s.push_str(" AUTO_INCREMENT");
    }
    if c.invisible {
        s.push_str(" INVISIBLE");
    }
    if let Some(cm) = &c.comment {
        s.push_str(&format!(" COMMENT {}", lit(cm)));
    }
    s
}

/// An index clause: `[UNIQUE|FULLTEXT|SPATIAL] KEY name (parts)`.
pub fn index(i: &Index) -> String {
    let kind = match (i.unique, i.method.as_deref()) {
        (true, _) => "UNIQUE KEY",
        (false, Some(m)) if m.eq_ignore_ascii_case("FULLTEXT") => "FULLTEXT KEY",
        (false, Some(m)) if m.eq_ignore_ascii_case("SPATIAL") => "SPATIAL KEY",
        _ => "KEY",
    };
    let parts = crate::render::index_parts(D, &i.parts);
    let mut s = format!("{kind} {} ({parts})", q(&i.name));
    if i.method.as_deref().is_some_and(|m| m.eq_ignore_ascii_case("HASH")) {
        s.push_str(" USING HASH");
    }
    if let Some(c) = &i.comment {
        s.push_str(&format!(" COMMENT {}", lit(c)));
    }
    s
}

/// A foreign key clause.
pub fn foreign_key(fk: &ForeignKey) -> String {
    let target = schema_model::qualified(D, fk.ref_schema.as_deref(), &fk.ref_table);
    let mut s = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {target} ({})",
        q(fk.name.as_deref().unwrap_or("")),
        name_list(D, &fk.columns),
        name_list(D, &fk.ref_columns)
    );
    if !fk.on_delete.is_default() {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if !fk.on_update.is_default() {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    s
}

/// A check clause.
pub fn check(c: &Check) -> String {
    match &c.name {
        Some(n) => format!("CONSTRAINT {} CHECK ({})", q(n), c.expr),
        None => format!("CHECK ({})", c.expr),
    }
}

/// The primary key clause, with its comment.
pub fn primary_key(pk: &PrimaryKey) -> String {
    let mut s = format!("PRIMARY KEY ({})", name_list(D, &pk.columns));
    if let Some(c) = &pk.comment {
        s.push_str(&format!(" COMMENT {}", lit(c)));
    }
    s
}

/// Table options: engine, character set, collation, comment.
pub fn table_options(t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &t.options.engine {
        out.push(format!("ENGINE={e}"));
    }
    if let Some(c) = &t.options.charset {
        out.push(format!("DEFAULT CHARSET={c}"));
    }
    if let Some(c) = &t.options.collation {
        out.push(format!("COLLATE={c}"));
    }
    if let Some(r) = &t.options.row_format {
        out.push(format!("ROW_FORMAT={r}"));
    }
    if let Some(k) = t.options.key_block_size {
        out.push(format!("KEY_BLOCK_SIZE={k}"));
    }
    out.push(format!("COMMENT={}", lit(t.comment.as_deref().unwrap_or(""))));
    out
}

/// `CREATE TABLE` with columns, keys, indexes and checks; foreign keys are added after.
pub fn create_table(t: &Table) -> String {
    let mut items: Vec<String> = t.columns.iter().map(column_def).collect();
    if let Some(pk) = &t.primary_key {
        items.push(primary_key(pk));
    }
    items.extend(t.indexes.iter().map(index));
    items.extend(t.checks.iter().map(check));
    let mut s = format!("CREATE TABLE {} (\n  {}\n) {}", q(&t.name), items.join(",\n  "), table_options(t).join(" "));
    if let Some(p) = super::partitions::partition_clause(t) {
        s.push_str(&format!("\n{p}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_defaults() {
        assert!(is_bare_default("'a'") && is_bare_default("-1") && is_bare_default("current_timestamp(3)"));
        assert!(!is_bare_default("uuid()") && !is_bare_default("1 + 2"));
    }
}
