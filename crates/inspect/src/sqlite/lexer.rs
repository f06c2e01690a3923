//! A lexer for the `CREATE` texts SQLite stores, an order of magnitude cheaper than
//! `sqlparser`'s general tokenizer (which cost 180 of the 970 million instructions of
//! inspecting 1,000 tables). It gives the same tokens where `ddl_text` looks at them: words
//! (with their keyword and quoting), strings, parentheses, commas, periods and signs, with
//! byte spans; comments and blanks are dropped, and any other character is a token of its own
//! whose span is all the expressions sliced out of the text need. Words carry only the
//! keywords `ddl_text` asks about ([`KEYWORDS`]); any other word is `NoKeyword`.

use schema_model::sql::SpannedToken;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Word};

/// The significant tokens of `sql`, or why it cannot be read (an unterminated quote or comment).
pub fn tokens(sql: &str) -> Result<Vec<SpannedToken>, String> {
    let bytes = sql.as_bytes();
    let mut out = Vec::with_capacity(sql.len() / 4);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let token = match b {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = sql[i + 2..].find("*/").ok_or("unterminated comment")?;
                i += 2 + end + 2;
                continue;
            }
            b'\'' => {
                let (value, end) = quoted(sql, i, b'\'')?;
                i = end;
                Token::SingleQuotedString(value)
            }
            b'"' | b'`' => {
                let (value, end) = quoted(sql, i, b)?;
                i = end;
                quoted_word(value, b as char)
            }
            b'[' => {
                let end = sql[i + 1..].find(']').ok_or("unterminated [identifier]")?;
                i += 1 + end + 1;
                quoted_word(sql[start + 1..i - 1].to_string(), '[')
            }
            b'0'..=b'9' => {
                i = number_end(bytes, i);
                Token::Number(sql[start..i].to_string(), false)
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i = number_end(bytes, i);
                Token::Number(sql[start..i].to_string(), false)
            }
            _ if is_word_byte(b) => {
                while i < bytes.len() && (is_word_byte(bytes[i]) || bytes[i] == b'$') {
                    i += 1;
                }
                let value = &sql[start..i];
                Token::Word(Word { value: value.to_string(), quote_style: None, keyword: keyword(value) })
            }
            _ => {
                let c = sql[i..].chars().next().expect("a character at a boundary");
                i += c.len_utf8();
                match c {
                    '(' => Token::LParen,
                    ')' => Token::RParen,
                    ',' => Token::Comma,
                    '.' => Token::Period,
                    '-' => Token::Minus,
                    '+' => Token::Plus,
                    ';' => Token::SemiColon,
                    c => Token::Char(c),
                }
            }
        };
        out.push(SpannedToken { token, start, end: i });
    }
    Ok(out)
}

/// The keywords `ddl_text` tells apart (a test checks that it asks about no other).
const KEYWORDS: [(&str, Keyword); 25] = [
    ("AS", Keyword::AS),
    ("ASC", Keyword::ASC),
    ("AUTOINCREMENT", Keyword::AUTOINCREMENT),
    ("CHECK", Keyword::CHECK),
    ("COLLATE", Keyword::COLLATE),
    ("CONSTRAINT", Keyword::CONSTRAINT),
    ("DEFAULT", Keyword::DEFAULT),
    ("DEFERRABLE", Keyword::DEFERRABLE),
    ("DEFERRED", Keyword::DEFERRED),
    ("DESC", Keyword::DESC),
    ("FOREIGN", Keyword::FOREIGN),
    ("INITIALLY", Keyword::INITIALLY),
    ("MATCH", Keyword::MATCH),
    ("NO", Keyword::NO),
    ("NOT", Keyword::NOT),
    ("ON", Keyword::ON),
    ("PRIMARY", Keyword::PRIMARY),
    ("REFERENCES", Keyword::REFERENCES),
    ("ROWID", Keyword::ROWID),
    ("SET", Keyword::SET),
    ("STORED", Keyword::STORED),
    ("STRICT", Keyword::STRICT),
    ("UNIQUE", Keyword::UNIQUE),
    ("VIRTUAL", Keyword::VIRTUAL),
    ("WHERE", Keyword::WHERE),
];

/// The keyword an unquoted word is, among [`KEYWORDS`], without allocating.
fn keyword(word: &str) -> Keyword {
    if word.len() > "AUTOINCREMENT".len() {
        return Keyword::NoKeyword;
    }
    KEYWORDS.iter().find(|(k, _)| k.eq_ignore_ascii_case(word)).map_or(Keyword::NoKeyword, |(_, kw)| *kw)
}

/// A quoted identifier, which is never a keyword.
fn quoted_word(value: String, quote: char) -> Token {
    Token::Word(Word { value, quote_style: Some(quote), keyword: Keyword::NoKeyword })
}

/// Letters, digits, `_` and any byte of a non-ASCII character (which SQLite takes as a letter).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Where a numeric literal starting at `i` ends: digits, a point, an exponent with its sign,
/// and the letters of a hexadecimal literal.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        let b = bytes[i];
        let part = b.is_ascii_alphanumeric() || b == b'.' || b == b'_';
        let exponent_sign = (b == b'+' || b == b'-') && matches!(bytes[i - 1], b'e' | b'E') && !is_hex(bytes, i);
        if !(part || exponent_sign) {
            break;
        }
        i += 1;
    }
    i
}

/// Whether the literal that `bytes[..i]` ends in is hexadecimal (`0x1e` then `+` is an addition).
fn is_hex(bytes: &[u8], i: usize) -> bool {
    let start = bytes[..i].iter().rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'.')).map_or(0, |p| p + 1);
    bytes[start..i].len() > 1 && bytes[start] == b'0' && matches!(bytes[start + 1], b'x' | b'X')
}

/// The value of the text quoted by `q` at `i` (a doubled `q` stands for one) and the offset
/// just past its closing quote.
fn quoted(sql: &str, i: usize, q: u8) -> Result<(String, usize), String> {
    let bytes = sql.as_bytes();
    let mut value = String::new();
    let mut from = i + 1;
    let mut j = i + 1;
    while j < bytes.len() {
        if bytes[j] == q {
            value.push_str(&sql[from..j]);
            if bytes.get(j + 1) == Some(&q) {
                value.push(q as char);
                j += 2;
                from = j;
                continue;
            }
            return Ok((value, j + 1));
        }
        j += 1;
    }
    Err(format!("unterminated quote {} at offset {i}", q as char))
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::sql::significant_tokens;
    use schema_model::Dialect;

    /// The tokens `ddl_text` reads are those of `sqlparser`, span for span.
    #[test]
    fn matches_sqlparser_where_it_matters() {
        let sql = r#"CREATE TABLE "a ""b"""(x integer PRIMARY KEY autoincrement, [y z] varchar(10) DEFAULT 'it''s' -- c
            , `w` real DEFAULT -1.5e+3 CHECK (w >= .5 AND w <> 0x1F), /* note */ é text COLLATE nocase,
            CONSTRAINT "fk" FOREIGN KEY (x) REFERENCES main.t(a) ON DELETE SET NULL) STRICT;"#;
        let ours = tokens(sql).unwrap();
        let theirs = significant_tokens(Dialect::Sqlite, sql).unwrap();
        // Keywords `ddl_text` does not ask about are words like any other.
        let structural = |t: &SpannedToken| match &t.token {
            Token::Word(w) => {
                let known = KEYWORDS.iter().any(|(_, k)| *k == w.keyword);
                let keyword = if known { w.keyword } else { Keyword::NoKeyword };
                Some((Token::Word(Word { keyword, ..w.clone() }), t.start, t.end))
            }
            Token::SingleQuotedString(_) | Token::LParen | Token::RParen | Token::Comma => {
                Some((t.token.clone(), t.start, t.end))
            }
            _ => None,
        };
        let a: Vec<_> = ours.iter().filter_map(structural).collect();
        let b: Vec<_> = theirs.iter().filter_map(structural).collect();
        assert_eq!(a, b);
        assert_eq!(ours.last().map(|t| t.end), theirs.last().map(|t| t.end));
    }

    #[test]
    fn knows_every_keyword_ddl_text_asks_about() {
        // ddl_text reads REFERENCES clauses with the shared cursor's walk.
        let source = [include_str!("ddl_text.rs"), include_str!("../ddl_cursor.rs")].concat();
        for (i, _) in source.match_indices("Keyword::") {
            let name: String = source[i + 9..].chars().take_while(|c| c.is_ascii_uppercase() || *c == '_').collect();
            assert!(KEYWORDS.iter().any(|(k, _)| *k == name), "lexer::KEYWORDS lacks {name}");
        }
        assert_eq!(keyword("Primary"), Keyword::PRIMARY);
        assert_eq!(keyword("primary_id"), Keyword::NoKeyword);
    }

    #[test]
    fn refuses_unterminated_text() {
        assert!(tokens("CREATE TABLE t(a text DEFAULT 'x)").is_err());
        assert!(tokens("CREATE TABLE \"t(a)").is_err());
        assert!(tokens("CREATE TABLE t(a) /* x").is_err());
    }
}
