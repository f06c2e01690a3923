use crate::Dialect;

/// Quotes an identifier for `dialect`, so that any name (quotes, spaces, capitals, reserved
/// words, non-ASCII) renders safely.
pub fn quote_ident(dialect: Dialect, name: &str) -> String {
    let q = match dialect {
        Dialect::Mysql => '`',
        Dialect::Sqlite | Dialect::Postgres => '"',
    };
    // One allocation: it renders every name of every statement of a plan.
    let mut out = String::with_capacity(name.len() + 2);
    out.push(q);
    for part in name.split_inclusive(q) {
        out.push_str(part);
        if part.ends_with(q) {
            out.push(q);
        }
    }
    out.push(q);
    out
}

/// Quotes a string literal for `dialect`.
pub fn quote_literal(dialect: Dialect, value: &str) -> String {
    match dialect {
        Dialect::Mysql => format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''")),
        Dialect::Sqlite | Dialect::Postgres => format!("'{}'", value.replace('\'', "''")),
    }
}

/// Renders `schema.name`, quoted, or just `name` when the schema is implied.
pub fn qualified(dialect: Dialect, schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) if !s.is_empty() => {
            format!("{}.{}", quote_ident(dialect, s), quote_ident(dialect, name))
        }
        _ => quote_ident(dialect, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_embedded_quotes() {
        assert_eq!(quote_ident(Dialect::Sqlite, r#"a"b"#), r#""a""b""#);
        assert_eq!(quote_ident(Dialect::Mysql, "a`b"), "`a``b`");
        assert_eq!(quote_literal(Dialect::Postgres, "it's"), "'it''s'");
        assert_eq!(quote_literal(Dialect::Mysql, r"a\'"), r"'a\\'''");
    }

    #[test]
    fn qualifies_only_with_a_schema() {
        assert_eq!(qualified(Dialect::Postgres, Some("s"), "t"), r#""s"."t""#);
        assert_eq!(qualified(Dialect::Sqlite, None, "t"), r#""t""#);
    }
}
