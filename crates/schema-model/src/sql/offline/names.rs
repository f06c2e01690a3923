//! PostgreSQL's rules for the names it generates (`makeObjectName`, `ChooseRelationName`,
//! `ChooseConstraintName`, `ChooseIndexColumnNames`) and for quoting identifiers
//! (`quote_identifier`), reproduced byte for byte.

/// PostgreSQL's `NAMEDATALEN`: names hold at most `NAMEDATALEN - 1` bytes.
const NAMEDATALEN: usize = 64;

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary
/// (`pg_mbcliplen` for UTF-8).
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Truncates an identifier the way the lexer does (`truncate_identifier`).
pub(super) fn truncate(name: &str) -> String {
    clip(name, NAMEDATALEN - 1).to_string()
}

/// `makeObjectName`: `name1_name2_label`, shortening the longer of the names first so that
/// the whole fits in `NAMEDATALEN - 1` bytes.
pub(super) fn make_object_name(name1: &str, name2: Option<&str>, label: Option<&str>) -> String {
    let mut overhead = 0;
    let mut name1chars = name1.len();
    let mut name2chars = 0;
    if let Some(n2) = name2 {
        name2chars = n2.len();
        overhead += 1;
    }
    if let Some(l) = label {
        overhead += l.len() + 1;
    }
    let avail = NAMEDATALEN - 1 - overhead;
    while name1chars + name2chars > avail {
        if name1chars > name2chars {
            name1chars -= 1;
        } else {
            name2chars -= 1;
        }
    }
    let mut out = clip(name1, name1chars).to_string();
    if let Some(n2) = name2 {
        out.push('_');
        out.push_str(clip(n2, name2chars));
    }
    if let Some(l) = label {
        out.push('_');
        out.push_str(l);
    }
    out
}

/// `ChooseRelationName` and `ChooseConstraintName`: the first of `name1_name2_label`,
/// `name1_name2_label1`, `…label2`, … that `taken` does not reject.
pub(super) fn choose(name1: &str, name2: Option<&str>, label: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut pass = 0;
    let mut modlabel = label.to_string();
    loop {
        let name = make_object_name(name1, name2, Some(&modlabel));
        if !taken(&name) {
            return name;
        }
        pass += 1;
        modlabel = format!("{label}{pass}");
    }
}

/// `ChooseIndexNameAddition` (and the foreign-key twin): the column names joined by `_`,
/// stopping once `NAMEDATALEN` bytes are reached.
pub(super) fn name_addition(columns: &[impl AsRef<str>]) -> String {
    let mut buf = String::new();
    for c in columns {
        if !buf.is_empty() {
            buf.push('_');
        }
        buf.push_str(clip(c.as_ref(), NAMEDATALEN - 1));
        if buf.len() >= NAMEDATALEN {
            break;
        }
    }
    buf
}

/// `ChooseIndexColumnNames`: each part's name (`expr` for an expression), with a number
/// appended where a name repeats an earlier one.
pub(super) fn index_column_names(parts: &[Option<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        let orig = p.as_deref().unwrap_or("expr");
        let mut cur = orig.to_string();
        let mut i = 1;
        while out.contains(&cur) {
            let suffix = i.to_string();
            cur = format!("{}{suffix}", clip(orig, NAMEDATALEN - 1 - suffix.len()));
            i += 1;
        }
        out.push(cur);
    }
    out
}

/// `quote_identifier`: the name as is when it is a plain lower-case word that is not a
/// reserved keyword, else double-quoted.
pub(crate) fn quote_ident(name: &str) -> String {
    let safe = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && super::keywords::RESERVED.binary_search(&name).is_err();
    if safe {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `quote_qualified_identifier`: `schema.name`, each part quoted where needed.
pub(crate) fn quote_qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc";

    #[test]
    fn names_are_shortened_like_postgres() {
        assert_eq!(make_object_name("t", Some("a"), Some("key")), "t_a_key");
        assert_eq!(make_object_name("t", None, Some("pkey")), "t_pkey");
        // Both long: the longer is cut first, ties cut the second name.
        assert_eq!(
            make_object_name(LONG, Some(LONG), Some("key")),
            "abcdefghijabcdefghijabcdefghi_abcdefghijabcdefghijabcdefghi_key"
        );
        assert_eq!(
            make_object_name(LONG, Some("y"), Some("seq")),
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefg_y_seq"
        );
        // A multi-byte character is never split.
        let n = make_object_name(&"é".repeat(40), None, Some("pkey"));
        assert!(n.len() <= 63 && n.ends_with("_pkey"), "{n}");
        assert_eq!(truncate(&"x".repeat(70)).len(), 63);
    }

    #[test]
    fn collisions_get_numbers() {
        let taken = ["t_a_check", "t_a_check1"];
        assert_eq!(choose("t", Some("a"), "check", |n| taken.contains(&n)), "t_a_check2");
        assert_eq!(choose("t", None, "check", |n| taken.contains(&n)), "t_check");
    }

    #[test]
    fn additions_and_column_names() {
        assert_eq!(name_addition(&["a", "b"]), "a_b");
        let cols = index_column_names(&[Some("a".into()), None, Some("a".into()), None]);
        assert_eq!(cols, ["a", "expr", "a1", "expr1"]);
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("order"), "\"order\"");
        assert_eq!(quote_ident("Straße"), "\"Straße\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("1a"), "\"1a\"");
        assert_eq!(quote_ident("name"), "name");
        assert_eq!(quote_qualified("public", "mood"), "public.mood");
    }
}
