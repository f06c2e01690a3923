//! What only the stored `CREATE` text holds on SQLite: check expressions, column collations,
//! `AUTOINCREMENT`, generated expressions, constraint names, `DEFERRABLE` and table options.
//! The pragmas give everything else; this module reads the text with `sqlparser`'s tokenizer
//! and slices expressions out of it verbatim.

use schema_model::{Check, Deferrable, Generated};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use crate::ddl_cursor::{self, Cursor};

/// A foreign key clause as written, used to name and qualify what `foreign_key_list` returns.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FkText {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub deferrable: Deferrable,
}

/// Per-column facts from the text.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ColumnText {
    pub name: String,
    pub collation: Option<String>,
    pub autoincrement: bool,
    pub generated: Option<Generated>,
}

/// Everything read from one `CREATE TABLE` statement.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TableText {
    pub columns: Vec<ColumnText>,
    pub checks: Vec<Check>,
    pub fks: Vec<FkText>,
    pub uniques: Vec<(Option<String>, Vec<String>)>,
    pub pk_name: Option<String>,
    pub without_rowid: bool,
    pub strict: bool,
}

/// One key part of a `CREATE INDEX` statement.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexPartText {
    /// A column name, or None for an expression.
    pub column: Option<String>,
    /// The part's text without `COLLATE` and `ASC`/`DESC`.
    pub expr: String,
    pub collation: Option<String>,
    pub desc: bool,
}

/// Everything read from one `CREATE INDEX` statement.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct IndexText {
    pub parts: Vec<IndexPartText>,
    pub predicate: Option<String>,
}

/// A cursor over `sql`'s tokens, as SQLite's lexer reads them.
fn cursor(sql: &str) -> Result<Cursor<'_>, String> {
    Ok(Cursor::new(sql, super::lexer::tokens(sql)?))
}

/// Reads a stored `CREATE TABLE` statement.
pub fn parse_create_table(sql: &str) -> Result<TableText, String> {
    let mut c = cursor(sql)?;
    let mut out = TableText::default();
    // CREATE [TEMP] TABLE [IF NOT EXISTS] [schema.]name
    while let Some(t) = c.peek() {
        if *t == Token::LParen {
            break;
        }
        c.pos += 1;
    }
    if c.peek() != Some(&Token::LParen) {
        return Ok(out); // CREATE TABLE ... AS SELECT: nothing but columns
    }
    c.pos += 1;
    loop {
        let pending = if c.eat_kw(Keyword::CONSTRAINT) { c.name() } else { None };
        if c.is_kw(Keyword::PRIMARY) {
            c.pos += 2;
            out.pk_name = pending;
            c.name_list();
            c.skip_to_item_end();
        } else if c.eat_kw(Keyword::UNIQUE) {
            let cols = c.name_list();
            out.uniques.push((pending, cols));
            c.skip_to_item_end();
        } else if c.eat_kw(Keyword::CHECK) {
            let expr = c.group().unwrap_or_default();
            out.checks.push(Check { name: pending.map(Into::into), expr, ..Default::default() });
            c.skip_to_item_end();
        } else if c.is_kw(Keyword::FOREIGN) {
            c.pos += 2;
            let columns = c.name_list();
            c.eat_kw(Keyword::REFERENCES);
            let mut fk = references(&mut c);
            fk.name = pending;
            fk.columns = columns;
            out.fks.push(fk);
            c.skip_to_item_end();
        } else {
            column(&mut c, &mut out);
        }
        match c.next() {
            Some(Token::Comma) => continue,
            _ => break,
        }
    }
    while let Some(t) = c.next() {
        if let Token::Word(w) = t {
            match w.keyword {
                Keyword::STRICT => out.strict = true,
                Keyword::ROWID => out.without_rowid = true,
                _ => {}
            }
        }
    }
    Ok(out)
}

fn column(c: &mut Cursor<'_>, out: &mut TableText) {
    let Some(name) = c.name() else {
        c.skip_to_item_end();
        return;
    };
    let mut col = ColumnText { name: name.clone(), ..Default::default() };
    let mut pending: Option<String> = None;
    while let Some(t) = c.peek() {
        match t {
            Token::Comma | Token::RParen => break,
            Token::LParen => {
                c.group();
            }
            Token::Word(w) if w.quote_style.is_none() => {
                let keyword = w.keyword;
                c.pos += 1;
                match keyword {
                    Keyword::CONSTRAINT => pending = c.name(),
                    Keyword::COLLATE => col.collation = c.name(),
                    Keyword::AUTOINCREMENT => col.autoincrement = true,
                    Keyword::PRIMARY => out.pk_name = pending.take().or(out.pk_name.take()),
                    Keyword::UNIQUE => out.uniques.push((pending.take(), vec![name.clone()])),
                    Keyword::CHECK => {
                        let expr = c.group().unwrap_or_default();
                        out.checks.push(Check { name: pending.take().map(Into::into), expr, ..Default::default() });
                    }
                    Keyword::DEFAULT => {
                        // A default is one literal or one group; skip it so its words are not read.
                        if c.peek() == Some(&Token::LParen) {
                            c.group();
                        } else {
                            if matches!(c.peek(), Some(Token::Minus | Token::Plus)) {
                                c.pos += 1;
                            }
                            c.pos += 1;
                        }
                    }
                    Keyword::AS => {
                        let expr = c.group().unwrap_or_default();
                        let stored = c.eat_kw(Keyword::STORED);
                        c.eat_kw(Keyword::VIRTUAL);
                        col.generated = Some(Generated { expr, stored });
                    }
                    Keyword::REFERENCES => {
                        let mut fk = references(c);
                        fk.name = pending.take();
                        fk.columns = vec![name.clone()];
                        out.fks.push(fk);
                    }
                    _ => {}
                }
            }
            _ => c.pos += 1,
        }
    }
    out.columns.push(col);
}

/// Reads what follows `REFERENCES` into a foreign key without a name or columns yet.
fn references(c: &mut Cursor<'_>) -> FkText {
    let r = ddl_cursor::references(c);
    FkText { ref_table: r.table, deferrable: r.deferrable, ..Default::default() }
}

/// Reads a stored `CREATE [UNIQUE] INDEX name ON tbl (parts) [WHERE expr]` statement.
pub fn parse_create_index(sql: &str) -> Result<IndexText, String> {
    let mut c = cursor(sql)?;
    while c.peek().is_some() && c.peek() != Some(&Token::LParen) {
        c.pos += 1;
    }
    if c.peek() != Some(&Token::LParen) {
        return Err("no key list".into());
    }
    let open = c.pos;
    c.group();
    let close = c.pos - 1;
    let mut out = IndexText::default();
    let mut start = open + 1;
    let mut depth = 0;
    for i in open + 1..=close {
        match c.toks[i].token {
            Token::LParen => depth += 1,
            Token::RParen if depth > 0 => depth -= 1,
            Token::Comma | Token::RParen if depth == 0 => {
                out.parts.push(index_part(&c, start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    if c.eat_kw(Keyword::WHERE) && c.pos < c.toks.len() {
        let from = c.toks[c.pos].start;
        let to = c.toks.last().map(|t| t.end).unwrap_or(from);
        out.predicate = Some(sql[from..to].trim_end_matches(';').trim().to_string());
    }
    Ok(out)
}

fn index_part(c: &Cursor<'_>, from: usize, to: usize) -> IndexPartText {
    let toks = &c.toks[from..to];
    let mut end = toks.len();
    let kw =
        |i: usize, k: Keyword| matches!(&toks[i].token, Token::Word(w) if w.quote_style.is_none() && w.keyword == k);
    let mut desc = false;
    let mut collation = None;
    if end > 0 && (kw(end - 1, Keyword::DESC) || kw(end - 1, Keyword::ASC)) {
        desc = kw(end - 1, Keyword::DESC);
        end -= 1;
    }
    if end >= 2 && kw(end - 2, Keyword::COLLATE) {
        if let Token::Word(w) = &toks[end - 1].token {
            collation = Some(w.value.clone());
        }
        end -= 2;
    }
    let expr = if end == 0 { String::new() } else { c.sql[toks[0].start..toks[end - 1].end].to_string() };
    let column = match &toks[..end] {
        [t] => match &t.token {
            Token::Word(w) => Some(w.value.clone()),
            _ => None,
        },
        _ => None,
    };
    IndexPartText { column, expr, collation, desc }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_constraints_and_options() {
        let t = parse_create_table(
            r#"CREATE TABLE "u s"(x integer primary key autoincrement, y int constraint uq unique, "Z" text collate nocase default 'a,b' check (length("Z") > 0), g real generated always as (x*2) stored, h int as (x+1),
            constraint fk foreign key (y) references t(a) on delete cascade deferrable initially deferred, check (y <> 3), unique (y, "Z")) strict, without rowid"#,
        )
        .unwrap();
        assert_eq!(t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["x", "y", "Z", "g", "h"]);
        assert!(t.columns[0].autoincrement);
        assert_eq!(t.columns[2].collation.as_deref(), Some("nocase"));
        assert_eq!(t.columns[3].generated, Some(Generated { expr: "x*2".into(), stored: true }));
        assert_eq!(t.columns[4].generated, Some(Generated { expr: "x+1".into(), stored: false }));
        assert_eq!(t.checks.iter().map(|c| c.expr.as_str()).collect::<Vec<_>>(), ["length(\"Z\") > 0", "y <> 3"]);
        assert_eq!(t.uniques, vec![(Some("uq".into()), vec!["y".into()]), (None, vec!["y".into(), "Z".into()])]);
        assert_eq!(
            t.fks[0],
            FkText {
                name: Some("fk".into()),
                columns: vec!["y".into()],
                ref_table: "t".into(),
                deferrable: Deferrable::InitiallyDeferred
            }
        );
        assert!(t.strict && t.without_rowid);
    }

    #[test]
    fn reads_inline_references() {
        let t = parse_create_table("CREATE TABLE a(b int constraint f references c on update set null match full on delete cascade deferrable initially deferred, d int)").unwrap();
        assert_eq!(t.fks[0].deferrable, Deferrable::InitiallyDeferred);
        assert_eq!(t.fks[0].name.as_deref(), Some("f"));
        assert_eq!(t.fks[0].ref_table, "c");
        assert_eq!(t.columns.len(), 2);
    }

    #[test]
    fn reads_index_parts_and_predicate() {
        let i = parse_create_index(
            "CREATE UNIQUE INDEX i ON t(a DESC, lower(b) COLLATE nocase, \"C d\") WHERE a > 1 AND b IS NOT NULL",
        )
        .unwrap();
        assert_eq!(
            i.parts[0],
            IndexPartText { column: Some("a".into()), expr: "a".into(), collation: None, desc: true }
        );
        assert_eq!(
            i.parts[1],
            IndexPartText { column: None, expr: "lower(b)".into(), collation: Some("nocase".into()), desc: false }
        );
        assert_eq!(i.parts[2].column.as_deref(), Some("C d"));
        assert_eq!(i.predicate.as_deref(), Some("a > 1 AND b IS NOT NULL"));
    }
}
