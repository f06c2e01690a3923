//! A cursor over the significant tokens of one `CREATE` statement, for the readers that take
//! a statement's text apart without a full parse: SQLite's stored DDL (`sqlite::ddl_text`)
//! and the foreign keys split out of a PostgreSQL `CREATE TABLE` for the replay
//! (`postgres::fk_split`). Both walk column lists and `REFERENCES` clauses the same way.

use schema_model::sql::SpannedToken;
use schema_model::Deferrable;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

/// The tokens of `sql` and a position among them.
pub struct Cursor<'a> {
    /// The statement's text, which the tokens' spans index.
    pub sql: &'a str,
    /// Its significant tokens (no blanks or comments).
    pub toks: Vec<SpannedToken>,
    /// The index of the next token.
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the first of `toks`, the tokens of `sql`.
    pub fn new(sql: &'a str, toks: Vec<SpannedToken>) -> Self {
        Cursor { sql, toks, pos: 0 }
    }

    /// The next token, not consumed.
    pub fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos).map(|t| &t.token)
    }

    /// The next token, consumed.
    pub fn next(&mut self) -> Option<&Token> {
        self.pos += 1;
        self.toks.get(self.pos - 1).map(|t| &t.token)
    }

    /// The keyword of the unquoted word at token `i`, if it is one.
    pub fn keyword_at(&self, i: usize) -> Option<Keyword> {
        match self.toks.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.keyword),
            _ => None,
        }
    }

    /// True when the next token is the unquoted keyword `kw`.
    pub fn is_kw(&self, kw: Keyword) -> bool {
        self.keyword_at(self.pos) == Some(kw)
    }

    /// Consumes the next token when it is the unquoted keyword `kw`.
    pub fn eat_kw(&mut self, kw: Keyword) -> bool {
        let hit = self.is_kw(kw);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// Consumes a name: a word (quoted or not) or a string.
    pub fn name(&mut self) -> Option<String> {
        match self.next()? {
            Token::Word(w) => Some(w.value.clone()),
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The text from token `from` to the end of token `to - 1`, as written.
    pub fn text(&self, from: usize, to: usize) -> &'a str {
        &self.sql[self.toks[from].start..self.toks[to - 1].end]
    }

    /// Skips a balanced parenthesized group starting at `(`, returning the inner text (None,
    /// consuming nothing, when no group starts here; None at the end of an unbalanced one).
    pub fn group(&mut self) -> Option<String> {
        let (open, close) = self.skip_group()?;
        Some(if close == open + 1 { String::new() } else { self.text(open + 1, close).to_string() })
    }

    /// Skips a balanced parenthesized group starting at `(`, returning the indexes of its `(`
    /// and `)`.
    fn skip_group(&mut self) -> Option<(usize, usize)> {
        if self.peek() != Some(&Token::LParen) {
            return None;
        }
        let open = self.pos;
        let mut depth = 0;
        while let Some(t) = self.next() {
            match t {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((open, self.pos - 1));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Reads `(a, b COLLATE x DESC, ...)` keeping the first name of each item.
    pub fn name_list(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        let Some((open, close)) = self.skip_group() else { return out };
        let (mut depth, mut item_start) = (0, true);
        for t in &self.toks[open + 1..close] {
            match &t.token {
                Token::LParen => (depth, item_start) = (depth + 1, false),
                Token::RParen => depth -= 1,
                Token::Comma if depth == 0 => item_start = true,
                Token::Word(w) if item_start && depth == 0 => {
                    out.push(w.value.clone());
                    item_start = false;
                }
                _ => item_start = false,
            }
        }
        out
    }

    /// Advances to the `,` or `)` that ends the current item of a list, outside parentheses.
    pub fn skip_to_item_end(&mut self) {
        while let Some(t) = self.peek() {
            match t {
                Token::Comma | Token::RParen => return,
                Token::LParen => {
                    self.group();
                }
                _ => self.pos += 1,
            }
        }
    }
}

/// What a `REFERENCES` clause says that its readers need.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct References {
    /// The referenced table's name (its last part when qualified).
    pub table: String,
    /// Its `DEFERRABLE` / `INITIALLY` options.
    pub deferrable: Deferrable,
}

/// Reads `tbl [(cols)] [MATCH x] [ON DELETE|UPDATE action]... [[NOT] DEFERRABLE [INITIALLY
/// ...]]` after `REFERENCES`, leaving the cursor after the clause. An action may be `SET NULL`
/// or `SET DEFAULT` with a column list (PostgreSQL 15).
pub fn references(c: &mut Cursor<'_>) -> References {
    let mut fk = References { table: c.name().unwrap_or_default(), ..Default::default() };
    while c.peek() == Some(&Token::Period) {
        c.pos += 1;
        fk.table = c.name().unwrap_or_default();
    }
    c.name_list();
    loop {
        if c.is_kw(Keyword::NOT) && c.keyword_at(c.pos + 1) == Some(Keyword::DEFERRABLE) {
            c.pos += 2;
            fk.deferrable = Deferrable::NotDeferrable;
            if c.eat_kw(Keyword::INITIALLY) {
                c.pos += 1;
            }
        } else if c.eat_kw(Keyword::DEFERRABLE) {
            fk.deferrable = Deferrable::InitiallyImmediate;
            if c.eat_kw(Keyword::INITIALLY) && c.eat_kw(Keyword::DEFERRED) {
                fk.deferrable = Deferrable::InitiallyDeferred;
            }
        } else if c.eat_kw(Keyword::INITIALLY) {
            // INITIALLY DEFERRED alone implies DEFERRABLE.
            fk.deferrable = match c.eat_kw(Keyword::DEFERRED) {
                true => Deferrable::InitiallyDeferred,
                false => {
                    c.pos += 1;
                    Deferrable::InitiallyImmediate
                }
            };
        } else if c.eat_kw(Keyword::MATCH) {
            c.pos += 1; // MATCH name
        } else if c.eat_kw(Keyword::ON) {
            // ON DELETE|UPDATE action; the actions themselves come from the catalog.
            c.pos += 1;
            if c.eat_kw(Keyword::SET) {
                c.pos += 1; // NULL, DEFAULT
                c.group(); // PostgreSQL's column list
            } else if c.eat_kw(Keyword::NO) {
                c.pos += 1; // ACTION
            } else {
                c.pos += 1; // CASCADE, RESTRICT
            }
        } else {
            break;
        }
    }
    fk
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::sql::significant_tokens;
    use schema_model::Dialect;

    fn after_references(sql: &str) -> (References, &str) {
        let toks = significant_tokens(Dialect::Postgres, sql).unwrap();
        let mut c = Cursor::new(sql, toks);
        while !c.eat_kw(Keyword::REFERENCES) {
            c.pos += 1;
        }
        let fk = references(&mut c);
        let rest = c.toks.get(c.pos).map_or("", |t| &sql[t.start..]);
        (fk, rest)
    }

    #[test]
    fn a_references_clause_ends_after_its_actions_and_deferral() {
        let (fk, rest) = after_references(
            "b int REFERENCES s.\"P q\" (x, y) MATCH FULL ON DELETE SET NULL (b) ON UPDATE NO ACTION \
             DEFERRABLE INITIALLY DEFERRED CHECK (b > 0)",
        );
        assert_eq!(fk, References { table: "P q".into(), deferrable: Deferrable::InitiallyDeferred });
        assert_eq!(rest, "CHECK (b > 0)");
        let (fk, rest) = after_references("a int REFERENCES t ON UPDATE CASCADE NOT NULL");
        assert_eq!(fk, References { table: "t".into(), deferrable: Deferrable::default() });
        assert_eq!(rest, "NOT NULL");
        let (fk, rest) = after_references("a int REFERENCES t ON UPDATE CASCADE NOT DEFERRABLE, b int");
        assert_eq!(fk, References { table: "t".into(), deferrable: Deferrable::NotDeferrable });
        assert_eq!(rest, ", b int");
        let (fk, _) = after_references("a int REFERENCES t INITIALLY DEFERRED");
        assert_eq!(fk.deferrable, Deferrable::InitiallyDeferred);
    }

    #[test]
    fn groups_and_lists_read_through_nesting() {
        let sql = "(a, lower(b) COLLATE x DESC, (c)) tail";
        let mut c = Cursor::new(sql, significant_tokens(Dialect::Postgres, sql).unwrap());
        assert_eq!(c.group().as_deref(), Some("a, lower(b) COLLATE x DESC, (c)"));
        assert_eq!(c.name().as_deref(), Some("tail"));
        let mut c = Cursor::new(sql, significant_tokens(Dialect::Postgres, sql).unwrap());
        assert_eq!(c.name_list(), ["a", "lower"]);
        let unbalanced = "(a, (b)";
        let mut c = Cursor::new(unbalanced, significant_tokens(Dialect::Postgres, unbalanced).unwrap());
        assert_eq!(c.group(), None);
    }
}
