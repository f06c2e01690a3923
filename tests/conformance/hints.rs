//! sqldef's rename hints (`-- @renamed from=old`, `/* @renamed from=old */`) rewritten into our
//! directive (`-- schema:renamed-from old`) on the same line. Our directive exists for tables
//! (the `CREATE TABLE` line) and columns (the column's line); a hint anywhere else (an index,
//! an enum type or value, a table constraint) is left as the comment it is, so the case
//! checks convergence by drop and create. The new names of translated hints are kept so the
//! runner can check that the renamed objects kept their rows.

const HINT: &str = "@renamed from=";

/// What the translation did to a text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Translated {
    /// The rewritten SQL.
    pub sql: String,
    /// Hints rewritten into our directive.
    pub translated: usize,
    /// Hints left alone because our directive has no form for their object.
    pub untranslated: usize,
    /// The objects of translated hints under their new names: `(table, None)` for a table,
    /// `(table, Some(column))` for a column.
    pub renamed: Vec<(String, Option<String>)>,
}

/// Rewrites every hint the tool can express; see the module comment.
pub fn translate(sql: &str) -> Translated {
    let mut out = Translated::default();
    let mut table = String::new();
    let mut lines = Vec::new();
    for line in sql.split('\n') {
        let created = created_table(line);
        if let Some(t) = &created {
            table = t.clone();
        }
        lines.push(match rewrite_line(line) {
            Some(Ok(l)) => {
                out.translated += 1;
                let column = created.is_none().then(|| first_name(line.trim_start()));
                out.renamed.push((table.clone(), column));
                l
            }
            Some(Err(())) => {
                out.untranslated += 1;
                line.to_string()
            }
            None => line.to_string(),
        });
    }
    out.sql = lines.join("\n");
    out
}

/// `None` without a hint; `Err` for a hint on a line our directive cannot end.
fn rewrite_line(line: &str) -> Option<Result<String, ()>> {
    let at = line.find(HINT)?;
    let (start, end) = comment_span(line, at)?;
    let old = old_name(&line[at + HINT.len()..end]);
    if !directive_fits(line) || old.is_empty() {
        return Some(Err(()));
    }
    let (head, tail) = (line[..start].trim_end(), line[end..].trim());
    let rest = if tail.is_empty() { head.to_string() } else { format!("{head} {tail}") };
    Some(Ok(format!("{rest} -- schema:renamed-from {old}")))
}

/// The byte span of the comment holding the hint at `at`: a block comment, or a line comment
/// to the end of the line.
fn comment_span(line: &str, at: usize) -> Option<(usize, usize)> {
    let before = &line[..at];
    match (before.rfind("/*"), before.rfind("--")) {
        (Some(b), l) if l.is_none_or(|l| l < b) => {
            let close = line[at..].find("*/")? + at + 2;
            Some((b, close))
        }
        (_, Some(l)) => Some((l, line.len())),
        _ => None,
    }
}

/// The old name as written after `from=`: a double-quoted name (kept quoted, which our
/// directive reads) or a bare word.
fn old_name(rest: &str) -> String {
    let rest = rest.trim_start();
    if let Some(q) = rest.strip_prefix('"') {
        return q.find('"').map(|e| format!("\"{}\"", &q[..e])).unwrap_or_default();
    }
    rest.split(|c: char| c.is_whitespace() || c == '*').next().unwrap_or_default().to_string()
}

/// The table a `CREATE TABLE` line creates.
fn created_table(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    for word in ["CREATE", "TEMPORARY", "TEMP", "TABLE", "IF", "NOT", "EXISTS"] {
        let len = word.len();
        let here = rest.get(..len).is_some_and(|w| w.eq_ignore_ascii_case(word));
        if here && rest[len..].starts_with(char::is_whitespace) {
            rest = rest[len..].trim_start();
        } else if word == "CREATE" || word == "TABLE" {
            return None;
        }
    }
    Some(first_name(rest))
}

/// The identifier a text starts with, unquoted (`"a b"`, `[a]`, `` `a` ``, `'a'` or bare).
fn first_name(text: &str) -> String {
    let close = match text.chars().next() {
        Some('"') => '"',
        Some('`') => '`',
        Some('\'') => '\'',
        Some('[') => ']',
        _ => {
            let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'));
            return text[..end.unwrap_or(text.len())].to_string();
        }
    };
    text[1..].split(close).next().unwrap_or_default().to_string()
}

/// Whether our directive may end this line: a `CREATE TABLE` line or a column definition.
fn directive_fits(line: &str) -> bool {
    let upper = line.trim_start().to_ascii_uppercase();
    if upper.starts_with("CREATE ") {
        let words: Vec<&str> = upper.split_whitespace().take(4).collect();
        return words.get(1) == Some(&"TABLE")
            || (words.get(1).is_some_and(|w| w.starts_with("TEMP")) && words.get(2) == Some(&"TABLE"));
    }
    let first = upper.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or_default();
    let not_column = [
        "CONSTRAINT",
        "PRIMARY",
        "UNIQUE",
        "FOREIGN",
        "CHECK",
        "INDEX",
        "KEY",
        "FULLTEXT",
        "SPATIAL",
        "EXCLUDE",
        "/*",
        "--",
        ")",
    ];
    !first.is_empty() && !first.starts_with('\'') && !not_column.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_and_columns_are_translated_others_are_not() {
        let t = translate(
            "CREATE TABLE new_users /* @renamed from=old_users */ (\n  \
             user_name text, -- @renamed from=username\n  \
             b text, /* @renamed from=\"a b\" */\n  \
             INDEX i (x) -- @renamed from=j\n);\n\
             CREATE INDEX n /* @renamed from=o */ ON t (x);\n  'waiting' /* @renamed from=pending */,",
        );
        assert_eq!(
            t.sql,
            "CREATE TABLE new_users ( -- schema:renamed-from old_users\n  \
             user_name text, -- schema:renamed-from username\n  \
             b text, -- schema:renamed-from \"a b\"\n  \
             INDEX i (x) -- @renamed from=j\n);\n\
             CREATE INDEX n /* @renamed from=o */ ON t (x);\n  'waiting' /* @renamed from=pending */,"
        );
        assert_eq!((t.translated, t.untranslated), (3, 3));
        let r = |t: &str, c: Option<&str>| (t.to_string(), c.map(str::to_string));
        assert_eq!(t.renamed, vec![r("new_users", None), r("new_users", Some("user_name")), r("new_users", Some("b"))]);
        assert_eq!(created_table("create table if not exists \"a b\" ("), Some("a b".into()));
    }
}
