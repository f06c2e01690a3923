use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Whitespace};

use super::source::{SourceError, SourceFile};
use super::split::{split_statements, Statement};
use super::tokens::{ident_value, is_trivia, tokenize};
use crate::Dialect;

const DIRECTIVE: &str = "schema:renamed-from";

/// What a `-- schema:renamed-from` directive renames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameTarget {
    /// The table of the `CREATE TABLE` line.
    Table {
        /// The table's new (desired) name.
        table: String,
    },
    /// The column defined on the line.
    Column {
        /// The table the column belongs to.
        table: String,
        /// The column's new (desired) name.
        column: String,
    },
}

/// A declared rename found in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameDirective {
    /// The renamed object.
    pub target: RenameTarget,
    /// Its old name.
    pub from: String,
    /// Byte span of the directive in the file, for error reports.
    pub span: (usize, usize),
}

/// Finds every rename directive in a file. A directive is a comment at the end of the
/// `CREATE TABLE` line (renames the table) or of a column's definition line (renames the
/// column); anywhere else it is an error, so that a typo never silently drops data.
pub fn renames_in(dialect: Dialect, file: &SourceFile) -> Result<Vec<RenameDirective>, SourceError> {
    if !file.text.contains(DIRECTIVE) {
        return Ok(Vec::new());
    }
    let statements = split_statements(dialect, file)?;
    let tokens = tokenize(dialect, &file.text).map_err(|e| {
        let at = file.offset_of(e.location.line, e.location.column);
        file.error_at((at, 0), e.message, "here", None)
    })?;
    let mut out = Vec::new();
    for t in &tokens {
        let Token::Whitespace(Whitespace::SingleLineComment { comment, .. }) = &t.token else {
            continue;
        };
        let Some(pos) = comment.find(DIRECTIVE) else {
            continue;
        };
        let start = file.offset_of(t.span.start.line, t.span.start.column);
        let span = (start, comment.trim_end().len() + 2);
        let from = parse_old_name(&comment[pos + DIRECTIVE.len()..]).ok_or_else(|| {
            file.error_at(
                span,
                "the renamed-from directive names no old name",
                "here",
                Some(format!("write `-- {DIRECTIVE} old_name`")),
            )
        })?;
        let (line, _) = file.line_col(start);
        let stmt = statements
            .iter()
            .rfind(|s| file.line_col(s.start).0 <= line && file.line_col(s.end).0 >= line)
            .ok_or_else(|| misplaced(file, span))?;
        let target = target_on_line(dialect, file, stmt, line).ok_or_else(|| misplaced(file, span))?;
        out.push(RenameDirective { target, from, span });
    }
    Ok(out)
}

fn misplaced(file: &SourceFile, span: (usize, usize)) -> SourceError {
    file.error_at(
        span,
        "a renamed-from directive must end a CREATE TABLE line or a column definition line",
        "this directive renames nothing",
        Some("put it after the table's `CREATE TABLE name (` or after the column's definition".into()),
    )
}

fn parse_old_name(rest: &str) -> Option<String> {
    let rest = rest.trim();
    let mut chars = rest.chars();
    match chars.next()? {
        q @ ('"' | '`') => {
            let mut name = String::new();
            let mut it = chars.peekable();
            while let Some(c) = it.next() {
                if c == q {
                    if it.peek() == Some(&q) {
                        name.push(q);
                        it.next();
                    } else {
                        return Some(name);
                    }
                } else {
                    name.push(c);
                }
            }
            None
        }
        _ => rest.split_whitespace().next().map(str::to_string),
    }
}

/// Works out whether `line` of a `CREATE TABLE` statement is its header or a column line.
fn target_on_line(dialect: Dialect, file: &SourceFile, stmt: &Statement, line: usize) -> Option<RenameTarget> {
    let first_line = file.line_col(stmt.start).0;
    let tokens = tokenize(dialect, &stmt.text).ok()?;
    let mut words = tokens.iter().filter(|t| !is_trivia(&t.token));
    let mut table = None;
    let mut header_lines = Vec::new();
    // Header: CREATE [TEMP|TEMPORARY] TABLE [IF NOT EXISTS] [schema.]name (
    let mut seen_table_kw = false;
    for t in words.by_ref() {
        header_lines.push(t.span.start.line as usize + first_line - 1);
        match &t.token {
            Token::Word(w) if !seen_table_kw && w.keyword == Keyword::TABLE => seen_table_kw = true,
            Token::Word(w)
                if seen_table_kw
                    && (w.quote_style.is_some()
                        || !matches!(w.keyword, Keyword::IF | Keyword::NOT | Keyword::EXISTS)) =>
            {
                table = Some(ident_value(dialect, w));
            }
            Token::LParen if seen_table_kw => break,
            Token::Word(_) | Token::Period => {}
            _ => return None,
        }
    }
    let table = table?;
    if header_lines.contains(&line) {
        return Some(RenameTarget::Table { table });
    }
    // The object a line defines is the last table item that starts on it.
    let mut depth = 1;
    let mut at_item_start = true;
    let mut found = None;
    for t in words {
        let tline = t.span.start.line as usize + first_line - 1;
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 1 => {
                at_item_start = true;
                continue;
            }
            Token::Word(w) if depth == 1 && at_item_start && tline == line => {
                let constraint = w.quote_style.is_none()
                    && matches!(
                        w.keyword,
                        Keyword::CONSTRAINT
                            | Keyword::PRIMARY
                            | Keyword::UNIQUE
                            | Keyword::CHECK
                            | Keyword::FOREIGN
                            | Keyword::KEY
                            | Keyword::INDEX
                    );
                found = (!constraint)
                    .then(|| RenameTarget::Column { table: table.clone(), column: ident_value(dialect, w) });
            }
            _ => {}
        }
        at_item_start = false;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renames(sql: &str) -> Result<Vec<(RenameTarget, String)>, SourceError> {
        let f = SourceFile::new("t.sql", sql);
        Ok(renames_in(Dialect::Sqlite, &f)?.into_iter().map(|d| (d.target, d.from)).collect())
    }

    #[test]
    fn finds_table_and_column_renames() {
        let sql = "CREATE TABLE people ( -- schema:renamed-from users\n  id int,\n  full_name text, -- schema:renamed-from name\n  \"Nick Name\" text -- schema:renamed-from \"old \"\"nick\"\"\"\n);";
        let got = renames(sql).unwrap();
        assert_eq!(got[0], (RenameTarget::Table { table: "people".into() }, "users".into()));
        assert_eq!(
            got[1],
            (RenameTarget::Column { table: "people".into(), column: "full_name".into() }, "name".into())
        );
        assert_eq!(
            got[2],
            (RenameTarget::Column { table: "people".into(), column: "Nick Name".into() }, "old \"nick\"".into())
        );
    }

    #[test]
    fn a_directive_on_a_constraint_line_is_an_error() {
        let sql = "CREATE TABLE t (\n  a int,\n  CHECK (a > 0) -- schema:renamed-from x\n);";
        let err = renames(sql).unwrap_err();
        assert!(err.to_string().contains("t.sql:3:"), "{err}");
    }

    #[test]
    fn a_directive_outside_create_table_is_an_error() {
        assert!(renames("-- schema:renamed-from x\nCREATE TABLE t (a int);").is_err());
    }
}
