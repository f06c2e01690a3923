use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan};

use super::source::{SourceError, SourceFile};
use super::tokens::{is_trivia, tokenize};
use crate::Dialect;

/// One statement of a source file, with where it stands in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The statement's text, without the terminating semicolon.
    pub text: String,
    /// Byte offset of its first character in the file.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

/// Maps `sqlparser` locations (line, character column) to byte offsets in one pass.
pub(crate) struct LineTable<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// True when the whole text is ASCII, so a character column is a byte offset (no walk
    /// along the line per token, which made long one-line statements quadratic).
    ascii: bool,
}

impl<'a> LineTable<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineTable { text, starts, ascii: text.is_ascii() }
    }

    pub(crate) fn offset(&self, loc: Location) -> usize {
        let Some(&start) = self.starts.get(loc.line.saturating_sub(1) as usize) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let skip = loc.column.saturating_sub(1) as usize;
        if self.ascii {
            return start + skip.min(rest.len());
        }
        start + rest.char_indices().nth(skip).map(|(i, _)| i).unwrap_or(rest.len())
    }
}

/// What joins statements sent to a server as one text (a batch): a newline before the `;`, so
/// that a statement ending in a `--` or `#` comment still ends there.
pub const STATEMENT_SEPARATOR: &str = "\n;\n";

/// `texts` as one text for a server to split again, each ended by [`STATEMENT_SEPARATOR`].
pub fn joined_statements<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    texts.into_iter().flat_map(|t| [t, STATEMENT_SEPARATOR]).collect()
}

/// Splits a file into statements at top-level semicolons. Quotes, comments, dollar-quoted
/// bodies and the `BEGIN ... END` bodies of triggers and routines do not split.
pub fn split_statements(dialect: Dialect, file: &SourceFile) -> Result<Vec<Statement>, SourceError> {
    let tokens = tokenize(dialect, &file.text).map_err(|e| {
        let at = file.offset_of(e.location.line, e.location.column);
        file.error_at((at, 0), format!("cannot read SQL: {}", e.message), "here", None)
    })?;
    let lines = LineTable::new(&file.text);
    let mut out = Vec::new();
    let mut current: Vec<&TokenWithSpan> = Vec::new();
    let mut depth = 0i32;
    let mut body_kind = false;
    let mut i = 0;
    while i < tokens.len() {
        let tok = &tokens[i];
        i += 1;
        match &tok.token {
            Token::EOF => break,
            Token::SemiColon if depth <= 0 => {
                flush(&lines, &mut current, &mut out);
                depth = 0;
                body_kind = false;
                continue;
            }
            t if is_trivia(t) && current.is_empty() => continue,
            Token::Word(w) if w.quote_style.is_none() => {
                if matches!(w.keyword, Keyword::TRIGGER | Keyword::PROCEDURE | Keyword::FUNCTION | Keyword::EVENT)
                    && creates_with_prefix_only(&current)
                {
                    body_kind = true;
                }
                if body_kind {
                    match w.keyword {
                        Keyword::BEGIN | Keyword::CASE => depth += 1,
                        Keyword::END => {
                            let next = tokens[i..].iter().find(|t| !is_trivia(&t.token));
                            let closes_other = matches!(
                                next.map(|t| &t.token),
                                Some(Token::Word(n)) if n.keyword == Keyword::IF || n.keyword == Keyword::WHILE || n.value.eq_ignore_ascii_case("LOOP") || n.value.eq_ignore_ascii_case("REPEAT")
                            );
                            if !closes_other {
                                depth -= 1;
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        current.push(tok);
    }
    flush(&lines, &mut current, &mut out);
    Ok(out)
}

/// True when `tokens` are `CREATE` and only what may stand between it and the kind of object
/// it creates: `OR REPLACE`, `TEMP`/`TEMPORARY` (SQLite triggers), `AGGREGATE` (MariaDB
/// functions) and a `DEFINER = user` clause of any spelling (`root`@`%`, 'root'@'localhost',
/// CURRENT_USER()), as mysqldump writes it before every routine, trigger and event. So the next
/// word is that kind; a routine word further on is a name (a column called `trigger`).
fn creates_with_prefix_only(tokens: &[&TokenWithSpan]) -> bool {
    let mut words = tokens.iter().map(|t| &t.token).filter(|t| !is_trivia(t));
    if !matches!(words.next(), Some(Token::Word(w)) if w.keyword == Keyword::CREATE) {
        return false;
    }
    let mut in_definer = false;
    words.all(|t| match t {
        Token::Word(w) if w.quote_style.is_some() => in_definer,
        Token::Word(w) => match w.keyword {
            Keyword::OR | Keyword::REPLACE | Keyword::TEMP | Keyword::TEMPORARY | Keyword::AGGREGATE => true,
            Keyword::DEFINER => {
                in_definer = true;
                true
            }
            // A user's name or host, unquoted, or CURRENT_USER.
            _ => in_definer,
        },
        Token::Eq | Token::LParen | Token::RParen | Token::AtSign | Token::SingleQuotedString(_) => in_definer,
        _ => false,
    })
}

fn flush(lines: &LineTable<'_>, current: &mut Vec<&TokenWithSpan>, out: &mut Vec<Statement>) {
    while current.last().is_some_and(|t| is_trivia(&t.token)) {
        current.pop();
    }
    if let (Some(first), Some(last)) = (current.first(), current.last()) {
        let start = lines.offset(first.span.start);
        let end = close_hint(lines.text, start, lines.offset(last.span.end));
        out.push(Statement { text: lines.text[start..end].to_string(), start, end });
    }
    current.clear();
}

/// `end` moved past the `*/` of a MySQL executable comment (`/*!50100 PARTITION BY ... */`)
/// that the statement's last token stands in: the tokenizer reads such a comment's content as
/// tokens, so the statement would otherwise stop short of the comment's end.
fn close_hint(text: &str, start: usize, end: usize) -> usize {
    let body = &text[start..end];
    let open = body.rfind("/*!");
    match open {
        Some(at) if !body[at..].contains("*/") => text[end..].find("*/").map(|i| end + i + 2).unwrap_or(end),
        _ => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(d: Dialect, sql: &str) -> Vec<String> {
        split_statements(d, &SourceFile::new("t.sql", sql)).unwrap().into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let sql = "create table a(x text default ';'); -- c;\n create table \"b;\"(y int);\n";
        assert_eq!(
            texts(Dialect::Sqlite, sql),
            vec!["create table a(x text default ';')", "create table \"b;\"(y int)"]
        );
    }

    #[test]
    fn keeps_trigger_bodies_whole() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 END; DELETE FROM b; END;\nSELECT 1;";
        let got = texts(Dialect::Sqlite, sql);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("END"));
    }

    #[test]
    fn keeps_dollar_quoted_bodies_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 2";
        assert_eq!(texts(Dialect::Postgres, sql).len(), 2);
    }

    #[test]
    fn bodies_after_a_definer_or_other_prefix_stay_whole() {
        for create in [
            "CREATE DEFINER=`root`@`localhost` PROCEDURE",
            "CREATE DEFINER = 'app'@'%' PROCEDURE",
            "CREATE DEFINER=root@localhost PROCEDURE",
            "CREATE DEFINER=CURRENT_USER() PROCEDURE",
            "CREATE OR REPLACE DEFINER=`a b`@`%` PROCEDURE",
        ] {
            let sql = format!("{create} p() BEGIN SELECT 1; SELECT 2; END;\nSELECT 3;");
            assert_eq!(texts(Dialect::Mysql, &sql).len(), 2, "{create}");
        }
        let sql =
            "CREATE DEFINER=`root`@`%` TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END;\nSELECT 1;";
        assert_eq!(texts(Dialect::Mysql, sql).len(), 2);
        let sql = "CREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END;\nSELECT 1;";
        assert_eq!(texts(Dialect::Sqlite, sql).len(), 2);
    }

    #[test]
    fn joined_statements_end_each_after_a_newline() {
        let text = joined_statements(["CREATE TABLE a (x int) -- note", "SELECT 1"]);
        assert_eq!(text, "CREATE TABLE a (x int) -- note\n;\nSELECT 1\n;\n");
        // The comment does not swallow the `;`: two statements (the split leaves the comment out).
        assert_eq!(texts(Dialect::Postgres, &text), ["CREATE TABLE a (x int)", "SELECT 1"]);
    }

    #[test]
    fn a_routine_word_as_a_name_opens_no_body() {
        // `trigger` and `begin` are columns here: the `;` ends the statement.
        let sql = "CREATE TABLE x (trigger int, begin int);\nCREATE TABLE y (z int);";
        assert_eq!(texts(Dialect::Mysql, sql).len(), 2);
        assert_eq!(texts(Dialect::Sqlite, sql).len(), 2);
    }

    #[test]
    fn mysql_end_if_does_not_close_the_body() {
        let sql = "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN IF NEW.x < 0 THEN SET NEW.x = 0; END IF; END; SELECT 1";
        assert_eq!(texts(Dialect::Mysql, sql).len(), 2);
    }

    #[test]
    fn a_trailing_executable_comment_is_kept_whole() {
        let sql = "CREATE TABLE t (y int) /*!50100 PARTITION BY RANGE (y) (PARTITION p VALUES LESS THAN MAXVALUE) */;\nSELECT 1";
        assert_eq!(
            texts(Dialect::Mysql, sql),
            [
                "CREATE TABLE t (y int) /*!50100 PARTITION BY RANGE (y) (PARTITION p VALUES LESS THAN MAXVALUE) */",
                "SELECT 1"
            ]
        );
    }

    #[test]
    fn offsets_point_into_the_file() {
        let f = SourceFile::new("t.sql", "\n\n  select 1;\nselect é;");
        let st = split_statements(Dialect::Sqlite, &f).unwrap();
        assert_eq!(f.line_col(st[0].start), (3, 3));
        assert_eq!(&f.text[st[1].start..st[1].end], "select é");
    }

    #[test]
    fn offsets_in_ascii_text_are_byte_columns() {
        let f = SourceFile::new("t.sql", "select 1;\n  select   2 ;");
        let st = split_statements(Dialect::Sqlite, &f).unwrap();
        assert_eq!(&f.text[st[1].start..st[1].end], "select   2");
        assert_eq!(f.line_col(st[1].start), (2, 3));
    }

    #[test]
    fn unterminated_string_is_an_error_with_a_position() {
        let err = split_statements(Dialect::Sqlite, &SourceFile::new("t.sql", "select 1;\nselect 'x")).unwrap_err();
        assert!(err.to_string().starts_with("t.sql:2:"), "{err}");
    }
}
