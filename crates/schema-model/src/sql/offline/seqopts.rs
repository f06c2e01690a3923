//! Sequence options (`CREATE SEQUENCE` and identity columns) read from tokens: PostgreSQL
//! takes them in any order, which `sqlparser` does not, so offline mode reads them itself
//! and applies PostgreSQL's defaults and checks (`init_params`).

use sqlparser::ast::Ident;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan};

use super::types::Kind;
use super::Problem;

type R<T> = Result<T, Problem>;

/// Options as written; `None` where not given.
#[derive(Clone, Debug, Default)]
pub(super) struct SeqOpts {
    /// `AS type`: the type's kind and its canonical spelling.
    pub as_type: Option<(Kind, &'static str)>,
    /// `INCREMENT [BY] n`.
    pub increment: Option<i64>,
    /// `MINVALUE n` (`Some(None)` for `NO MINVALUE`).
    pub min: Option<Option<i64>>,
    /// `MAXVALUE n` (`Some(None)` for `NO MAXVALUE`).
    pub max: Option<Option<i64>>,
    /// `START [WITH] n`.
    pub start: Option<i64>,
    /// `CACHE n`.
    pub cache: Option<i64>,
    /// `[NO] CYCLE`.
    pub cycle: Option<bool>,
    /// `OWNED BY a.b[.c]` (`Some(None)` for `OWNED BY NONE`).
    pub owned_by: Option<Option<Vec<Ident>>>,
}

/// The values a sequence ends up with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SeqValues {
    /// First value.
    pub start: i64,
    /// Step.
    pub increment: i64,
    /// Lowest value.
    pub min: i64,
    /// Highest value.
    pub max: i64,
    /// Cache.
    pub cache: i64,
    /// Cycle.
    pub cycle: bool,
}

/// A cursor over significant tokens.
pub(super) struct Cursor<'a> {
    tokens: &'a [TokenWithSpan],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// Starts at the first token.
    pub fn new(tokens: &'a [TokenWithSpan]) -> Self {
        Cursor { tokens, pos: 0 }
    }

    fn peek(&self) -> Option<&'a TokenWithSpan> {
        self.tokens.get(self.pos)
    }

    fn span(&self) -> Span {
        self.peek().map(|t| t.span).unwrap_or(Span::empty())
    }

    fn next(&mut self) -> Option<&'a TokenWithSpan> {
        let t = self.tokens.get(self.pos);
        self.pos += 1;
        t
    }

    /// Consumes the keyword if it is next.
    pub fn eat(&mut self, kw: Keyword) -> bool {
        let hit =
            matches!(self.peek().map(|t| &t.token), Some(Token::Word(w)) if w.keyword == kw && w.quote_style.is_none());
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// True when every token was read.
    pub fn done(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    /// An identifier.
    pub fn ident(&mut self) -> R<Ident> {
        match self.next() {
            Some(TokenWithSpan { token: Token::Word(w), span }) => {
                Ok(Ident { value: w.value.clone(), quote_style: w.quote_style, span: *span })
            }
            other => Err(unexpected(other)),
        }
    }

    /// A dotted name.
    pub fn name(&mut self) -> R<Vec<Ident>> {
        let mut parts = vec![self.ident()?];
        while matches!(self.peek().map(|t| &t.token), Some(Token::Period)) {
            self.pos += 1;
            parts.push(self.ident()?);
        }
        Ok(parts)
    }

    fn number(&mut self) -> R<i64> {
        let neg = matches!(self.peek().map(|t| &t.token), Some(Token::Minus));
        if neg || matches!(self.peek().map(|t| &t.token), Some(Token::Plus)) {
            self.pos += 1;
        }
        match self.next() {
            Some(TokenWithSpan { token: Token::Number(n, false), span }) => {
                let text = if neg { format!("-{n}") } else { n.clone() };
                text.parse()
                    .map_err(|_| Problem::invalid(*span, format!("value \"{text}\" is out of range for type bigint")))
            }
            other => Err(unexpected(other)),
        }
    }

    /// A string literal.
    pub fn literal(&mut self) -> Option<String> {
        match self.peek().map(|t| &t.token) {
            Some(Token::SingleQuotedString(s)) => {
                let s = s.clone();
                self.pos += 1;
                Some(s)
            }
            _ => None,
        }
    }

    /// The error for whatever is next.
    pub fn unexpected(&self) -> Problem {
        unexpected(self.peek())
    }
}

fn unexpected(t: Option<&TokenWithSpan>) -> Problem {
    match t {
        Some(t) => Problem::offline(t.span, format!("the sequence option at {}", t.token)),
        None => Problem::invalid(Span::empty(), "the statement ends too early".into()),
    }
}

/// Reads sequence options until the tokens end.
pub(super) fn parse(c: &mut Cursor) -> R<SeqOpts> {
    let mut o = SeqOpts::default();
    while !c.done() {
        let at = c.span();
        if c.eat(Keyword::AS) {
            let id = c.ident()?;
            o.as_type = Some(match id.value.to_ascii_lowercase().as_str() {
                "smallint" | "int2" => (Kind::Int2, "smallint"),
                "integer" | "int" | "int4" => (Kind::Int4, "integer"),
                "bigint" | "int8" => (Kind::Int8, "bigint"),
                _ => return Err(Problem::invalid(at, "sequence type must be smallint, integer, or bigint".into())),
            });
        } else if c.eat(Keyword::INCREMENT) {
            c.eat(Keyword::BY);
            o.increment = Some(c.number()?);
        } else if c.eat(Keyword::MINVALUE) {
            o.min = Some(Some(c.number()?));
        } else if c.eat(Keyword::MAXVALUE) {
            o.max = Some(Some(c.number()?));
        } else if c.eat(Keyword::START) {
            c.eat(Keyword::WITH);
            o.start = Some(c.number()?);
        } else if c.eat(Keyword::CACHE) {
            o.cache = Some(c.number()?);
        } else if c.eat(Keyword::CYCLE) {
            o.cycle = Some(true);
        } else if c.eat(Keyword::NO) {
            if c.eat(Keyword::MINVALUE) {
                o.min = Some(None);
            } else if c.eat(Keyword::MAXVALUE) {
                o.max = Some(None);
            } else if c.eat(Keyword::CYCLE) {
                o.cycle = Some(false);
            } else {
                return Err(c.unexpected());
            }
        } else if c.eat(Keyword::OWNED) {
            if !c.eat(Keyword::BY) {
                return Err(c.unexpected());
            }
            o.owned_by = Some(if c.eat(Keyword::NONE) { None } else { Some(c.name()?) });
        } else {
            return Err(c.unexpected());
        }
    }
    Ok(o)
}

/// `init_params`: fills the defaults for a sequence of type `kind` and checks the values.
pub(super) fn values(o: &SeqOpts, kind: &Kind) -> Result<SeqValues, String> {
    let (tmin, tmax) = match kind {
        Kind::Int2 => (i16::MIN as i64, i16::MAX as i64),
        Kind::Int4 => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    let increment = o.increment.unwrap_or(1);
    if increment == 0 {
        return Err("INCREMENT must not be zero".into());
    }
    let max = o.max.flatten().unwrap_or(if increment > 0 { tmax } else { -1 });
    let min = o.min.flatten().unwrap_or(if increment > 0 { 1 } else { tmin });
    if max < tmin || max > tmax {
        return Err(format!("MAXVALUE ({max}) is out of range for sequence data type"));
    }
    if min < tmin || min > tmax {
        return Err(format!("MINVALUE ({min}) is out of range for sequence data type"));
    }
    if min >= max {
        return Err(format!("MINVALUE ({min}) must be less than MAXVALUE ({max})"));
    }
    let start = o.start.unwrap_or(if increment > 0 { min } else { max });
    if start < min {
        return Err(format!("START value ({start}) cannot be less than MINVALUE ({min})"));
    }
    if start > max {
        return Err(format!("START value ({start}) cannot be greater than MAXVALUE ({max})"));
    }
    let cache = o.cache.unwrap_or(1);
    if cache <= 0 {
        return Err(format!("CACHE ({cache}) must be greater than zero"));
    }
    Ok(SeqValues { start, increment, min, max, cache, cycle: o.cycle.unwrap_or(false) })
}

/// Takes the `( options )` group after each `IDENTITY` out of a statement's tokens, so that
/// `sqlparser` sees options-free identity columns; returns the remaining tokens and each
/// group's options in order.
pub(super) fn take_identity_options(tokens: Vec<TokenWithSpan>) -> R<(Vec<TokenWithSpan>, Vec<SeqOpts>)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut groups = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        out.push(t.clone());
        i += 1;
        let is_identity =
            matches!(&t.token, Token::Word(w) if w.keyword == Keyword::IDENTITY && w.quote_style.is_none());
        if !is_identity {
            continue;
        }
        let next = tokens[i..].iter().position(|t| !matches!(t.token, Token::Whitespace(_))).map(|p| i + p);
        match next {
            Some(j) if tokens[j].token == Token::LParen => {
                let close = tokens[j..].iter().position(|t| t.token == Token::RParen).map(|p| j + p);
                let Some(close) = close else { return Err(unexpected(Some(&tokens[j]))) };
                let inner: Vec<TokenWithSpan> =
                    tokens[j + 1..close].iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).cloned().collect();
                let mut c = Cursor::new(&inner);
                let opts = parse(&mut c)?;
                if opts.owned_by.is_some() || opts.as_type.is_some() {
                    return Err(Problem::invalid(tokens[j].span, "invalid identity column option".into()));
                }
                groups.push(opts);
                i = close + 1;
            }
            _ => groups.push(SeqOpts::default()),
        }
    }
    Ok((out, groups))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::tokenize;
    use crate::Dialect;

    fn opts(sql: &str) -> SeqOpts {
        let toks: Vec<TokenWithSpan> = tokenize(Dialect::Postgres, sql)
            .unwrap()
            .into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .collect();
        parse(&mut Cursor::new(&toks)).unwrap()
    }

    #[test]
    fn options_in_any_order_with_postgres_defaults() {
        let o = opts("START WITH 10 INCREMENT BY 5");
        let v = values(&o, &Kind::Int4).unwrap();
        assert_eq!(v, SeqValues { start: 10, increment: 5, min: 1, max: i32::MAX as i64, cache: 1, cycle: false });
        let v = values(&opts("INCREMENT -1"), &Kind::Int8).unwrap();
        assert_eq!((v.start, v.min, v.max), (-1, i64::MIN, -1));
        assert!(values(&opts("START 0"), &Kind::Int4).is_err());
        assert!(values(&opts("MAXVALUE 40000"), &Kind::Int2).is_err());
        let o = opts("AS integer OWNED BY t.a NO CYCLE CACHE 3");
        assert_eq!(o.as_type.map(|t| t.1), Some("integer"));
        assert_eq!(o.owned_by.unwrap().unwrap().len(), 2);
    }

    #[test]
    fn identity_groups_are_taken_out() {
        let toks = tokenize(Dialect::Postgres, "CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY (START 3 INCREMENT 2), b int GENERATED BY DEFAULT AS IDENTITY)").unwrap();
        let (rest, groups) = take_identity_options(toks).unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].start, Some(3));
        assert!(!rest.iter().any(|t| matches!(&t.token, Token::Number(n, _) if n == "3")));
    }
}
