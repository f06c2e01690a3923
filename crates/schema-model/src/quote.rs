use crate::Dialect;

/// Quotes an identifier for `dialect`, so that any name (quotes, spaces, capitals, reserved
/// words, non-ASCII) renders safely.
pub fn quote_ident(dialect: Dialect, name: &str) -> String {
    // One allocation: it renders every name of every statement of a plan.
    let mut out = String::with_capacity(name.len() + 2);
    push_ident(&mut out, dialect, name);
    out
}

/// Appends `name` quoted for `dialect` to `out`, so that a qualified name is built in one
/// string rather than joined from three.
pub fn push_ident(out: &mut String, dialect: Dialect, name: &str) {
    let q = match dialect {
        Dialect::Mysql => '`',
        Dialect::Sqlite | Dialect::Postgres => '"',
    };
    out.push(q);
    for part in name.split_inclusive(q) {
        out.push_str(part);
        if part.ends_with(q) {
            out.push(q);
        }
    }
    out.push(q);
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
            let mut out = String::with_capacity(s.len() + name.len() + 5);
            push_ident(&mut out, dialect, s);
            out.push('.');
            push_ident(&mut out, dialect, name);
            out
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
        assert_eq!(qualified(Dialect::Postgres, Some(""), "t"), r#""t""#);
        // Each part quoted on its own: a dot or a quote inside a name stays inside it.
        assert_eq!(qualified(Dialect::Postgres, Some(r#"my "app"."#), "Tä ble"), r#""my ""app""."."Tä ble""#);
        assert_eq!(qualified(Dialect::Mysql, Some("a`b"), "c.d"), "`a``b`.`c.d`");
    }
}
