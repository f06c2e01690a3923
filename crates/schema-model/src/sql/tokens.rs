use sqlparser::dialect::{Dialect as ParserDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, TokenizerError, Word};

use crate::Dialect;

/// The `sqlparser` dialect that lexes and parses `dialect`'s SQL.
pub fn sqlparser_dialect(dialect: Dialect) -> Box<dyn ParserDialect> {
    match dialect {
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
    }
}

/// Tokenizes `sql` with positions, keeping whitespace and comments.
pub fn tokenize(dialect: Dialect, sql: &str) -> Result<Vec<TokenWithSpan>, TokenizerError> {
    let d = sqlparser_dialect(dialect);
    Tokenizer::new(d.as_ref(), sql).tokenize_with_location()
}

/// The name an identifier token denotes: PostgreSQL folds unquoted names to lower case, the
/// other dialects keep them as written.
pub fn ident_value(dialect: Dialect, word: &Word) -> String {
    match (dialect, word.quote_style) {
        (Dialect::Postgres, None) => word.value.to_lowercase(),
        _ => word.value.clone(),
    }
}

/// A spelling of a SQL fragment that ignores comments, layout, keyword case and the quoting of
/// identifiers that need none, used to compare texts a database keeps as written (SQLite
/// expressions, view and trigger definitions).
pub fn normalize_sql(dialect: Dialect, sql: &str) -> String {
    let Ok(tokens) = significant_tokens(dialect, sql) else {
        return sql.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    let mut out = String::with_capacity(sql.len());
    for t in tokens {
        if matches!(t.token, Token::SemiColon) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        match &t.token {
            Token::Word(w) => {
                let name = match dialect {
                    // SQLite and MySQL compare identifiers without regard to case.
                    Dialect::Sqlite | Dialect::Mysql => w.value.to_lowercase(),
                    Dialect::Postgres => ident_value(dialect, w),
                };
                let plain = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if plain || w.quote_style.is_none() {
                    out.push_str(&name);
                } else {
                    out.push_str(&crate::quote_ident(dialect, &name));
                }
            }
            other => out.push_str(&other.to_string()),
        }
    }
    out
}

/// A token with the byte range it covers in the text it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct SpannedToken {
    /// The token.
    pub token: Token,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

/// Tokenizes `sql` and drops whitespace and comments, keeping each token's byte range so that
/// callers can slice expressions out of the original text verbatim.
pub fn significant_tokens(dialect: Dialect, sql: &str) -> Result<Vec<SpannedToken>, TokenizerError> {
    let tokens = tokenize(dialect, sql)?;
    let table = super::split::LineTable::new(sql);
    Ok(tokens
        .into_iter()
        .filter(|t| !is_trivia(&t.token) && t.token != Token::EOF)
        .map(|t| SpannedToken { start: table.offset(t.span.start), end: table.offset(t.span.end), token: t.token })
        .collect())
}

/// True when the token is a comment or blank.
pub(crate) fn is_trivia(t: &Token) -> bool {
    matches!(t, Token::Whitespace(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_layout_comments_and_keyword_case() {
        let a = normalize_sql(Dialect::Sqlite, "CREATE VIEW v AS\n  SELECT a -- x\n FROM t;");
        let b = normalize_sql(Dialect::Sqlite, "create view v as select a from t");
        assert_eq!(a, b);
        let c = normalize_sql(Dialect::Sqlite, "create view v as select \"A\" from t where a='X'");
        assert_eq!(normalize_sql(Dialect::Sqlite, "create view v as select a from t where a='X'"), c);
        assert_ne!(
            normalize_sql(Dialect::Sqlite, "select a from t where a='x'"),
            normalize_sql(Dialect::Sqlite, "select a from t where a='X'")
        );
        assert_eq!(normalize_sql(Dialect::Sqlite, "a>0"), normalize_sql(Dialect::Sqlite, "a > 0"));
    }
}
