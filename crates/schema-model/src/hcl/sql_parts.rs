//! Taking apart texts the server renders (partition keys, exclusion constraints) into the
//! parts Atlas's HCL names, and putting them back together byte for byte; a text that does
//! not come back the same is written whole instead.

use crate::sql::offline::pg_quote_ident;

/// The byte offset of the parenthesis that closes the one at `open`, skipping quoted text.
pub(super) fn closing_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip_while(|(i, _)| *i < open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `s` at each `sep` outside parentheses and quotes.
pub(super) fn split_top<'s>(s: &'s str, sep: &str) -> Vec<&'s str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().expect("inside the text");
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, _) if depth == 0 && s[i..].starts_with(sep) => {
                out.push(&s[start..i]);
                i += sep.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    out.push(&s[start..]);
    out
}

/// The name a whole text spells as one identifier (`room`, `"Room"`), as the server quotes it.
pub(super) fn identifier(text: &str) -> Option<String> {
    let name = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.is_empty() => {
            let name = inner.replace("\"\"", "\"");
            (name.replace('"', "\"\"") == inner).then_some(name)?
        }
        _ => text.to_string(),
    };
    (pg_quote_ident(&name) == text).then_some(name)
}

/// `text` as the server names a column.
pub(super) fn quoted(name: &str) -> String {
    pg_quote_ident(name)
}

/// An expression as a key part: as written when it is a function call or already in
/// parentheses, else put in parentheses, as `PARTITION BY` and `EXCLUDE` need.
pub(super) fn key_expr(text: &str) -> String {
    let t = text.trim();
    let enclosed = t.starts_with('(') && closing_paren(t, 0) == Some(t.len() - 1);
    let call = t.find('(').is_some_and(|open| {
        let head = &t[..open];
        !head.is_empty()
            && head.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '"')
            && closing_paren(t, open) == Some(t.len() - 1)
    });
    if enclosed || call {
        t.to_string()
    } else {
        format!("({t})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_only_at_the_top_level() {
        assert_eq!(split_top("a, lower(b, c), 'x, y'", ", "), vec!["a", "lower(b, c)", "'x, y'"]);
        assert_eq!(split_top("room WITH =, during WITH &&", " WITH "), vec!["room", "=, during", "&&"]);
    }

    #[test]
    fn reads_identifiers_as_the_server_quotes_them() {
        assert_eq!(identifier("room").as_deref(), Some("room"));
        assert_eq!(identifier("\"Room\"").as_deref(), Some("Room"));
        assert_eq!(identifier("\"a\"\"b\"").as_deref(), Some("a\"b"));
        assert_eq!(identifier("\"room\""), None, "the server would not quote it");
        assert_eq!(identifier("lower(a)"), None);
        assert_eq!(identifier("\"order\"").as_deref(), Some("order"));
    }

    #[test]
    fn key_expressions_get_parentheses_unless_they_have_them() {
        assert_eq!(key_expr("lower(name)"), "lower(name)");
        assert_eq!(key_expr("((a + b))"), "((a + b))");
        assert_eq!(key_expr("a + b"), "(a + b)");
        assert_eq!(key_expr("(a) + (b)"), "((a) + (b))");
    }

    #[test]
    fn finds_the_closing_parenthesis() {
        assert_eq!(closing_paren("(a, ')', (b))", 0), Some(12));
        assert_eq!(closing_paren("(a", 0), None);
    }
}
