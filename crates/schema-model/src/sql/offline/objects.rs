//! Schemas, enum types, domains, standalone sequences and comments.

use sqlparser::ast::{
    AlterType, AlterTypeAddValuePosition, AlterTypeOperation, CommentObject, Expr, Ident, ObjectName, SchemaName,
    Spanned, UserDefinedTypeRepresentation,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan};

use super::catalog::Catalog;
use super::deparse::render;
use super::expr::{boolean, Lookup, Scope};
use super::names::choose;
use super::seqopts::{self, Cursor};
use super::table::value_expr;
use super::types::{resolve, unknown_type, Kind, Ty};
use super::{fold, own_name, parse_problem, Problem};
use crate::{Check, ColumnType, Domain, EnumType, Schema, Sequence};

type R<T> = Result<T, Problem>;

/// `CREATE SCHEMA name`.
pub(super) fn create_schema(cat: &mut Catalog, name: &SchemaName, if_not_exists: bool) -> R<()> {
    let SchemaName::Simple(obj) = name else {
        return Err(Problem::offline(Span::empty(), "CREATE SCHEMA … AUTHORIZATION".into()));
    };
    let [part] = obj.0.as_slice() else { return Err(Problem::invalid(obj.span(), "improper schema name".into())) };
    let Some(id) = part.as_ident() else { return Err(Problem::offline(obj.span(), "this schema name".into())) };
    let n = fold(id);
    if n.starts_with("pg_") {
        return Err(Problem::invalid(id.span, format!("unacceptable schema name \"{n}\"")));
    }
    if cat.realm.schema(&n).is_some() {
        return if if_not_exists {
            Ok(())
        } else {
            Err(Problem::invalid(id.span, format!("schema \"{n}\" already exists")))
        };
    }
    cat.realm.schemas.push(Schema::named(n));
    Ok(())
}

fn label_of(id: &Ident) -> R<String> {
    if id.value.len() > 63 {
        return Err(Problem::invalid(id.span, format!("invalid enum label \"{}\"", id.value)));
    }
    Ok(id.value.clone())
}

/// `CREATE TYPE name AS ENUM (…)`.
pub(super) fn create_type(cat: &mut Catalog, name: &ObjectName, repr: &Option<UserDefinedTypeRepresentation>) -> R<()> {
    let Some(UserDefinedTypeRepresentation::Enum { labels }) = repr else {
        return Err(Problem::offline(name.span(), "a type other than an enum".into()));
    };
    let (schema, n) = cat.creation(name)?;
    if cat.type_taken(&schema, &n) {
        return Err(Problem::invalid(name.span(), format!("type \"{n}\" already exists")));
    }
    let mut values: Vec<String> = Vec::new();
    for l in labels {
        let v = label_of(l)?;
        if values.contains(&v) {
            return Err(Problem::invalid(l.span, format!("enum label \"{v}\" used more than once")));
        }
        values.push(v);
    }
    cat.add_type(&schema, &n);
    cat.schema_mut(&schema).expect("exists").enums.push(EnumType { name: n, values, comment: None });
    Ok(())
}

/// `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'x' [BEFORE|AFTER 'y']`.
pub(super) fn alter_type(cat: &mut Catalog, at: &AlterType) -> R<()> {
    let AlterTypeOperation::AddValue(add) = &at.operation else {
        return Err(Problem::offline(at.name.span(), "this ALTER TYPE".into()));
    };
    let Some(ty) = cat.user_type_named(&at.name)? else {
        let own = own_name(&at.name);
        return Err(Problem::missing(at.name.span(), &own, format!("type \"{}\" does not exist", at.name)));
    };
    let (schema, n) = ty;
    let e = cat.schema_mut(&schema).and_then(|s| s.enums.iter_mut().find(|e| e.name == n));
    let Some(e) = e else { return Err(Problem::invalid(at.name.span(), format!("{} is not an enum", at.name))) };
    let v = label_of(&add.value)?;
    if e.values.contains(&v) {
        return if add.if_not_exists {
            Ok(())
        } else {
            Err(Problem::invalid(add.value.span, format!("enum label \"{v}\" already exists")))
        };
    }
    let at_index = match &add.position {
        None => e.values.len(),
        Some(AlterTypeAddValuePosition::Before(x) | AlterTypeAddValuePosition::After(x)) => {
            let Some(i) = e.values.iter().position(|l| *l == x.value) else {
                return Err(Problem::invalid(x.span, format!("\"{}\" is not an existing enum label", x.value)));
            };
            if matches!(add.position, Some(AlterTypeAddValuePosition::After(_))) {
                i + 1
            } else {
                i
            }
        }
    };
    e.values.insert(at_index, v);
    Ok(())
}

/// The significant tokens of a parenthesized group starting at `i` (just after `(`), and
/// the index after its `)`.
fn group(tokens: &[TokenWithSpan], open: usize) -> R<(Vec<TokenWithSpan>, usize)> {
    let mut depth = 0;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Ok((tokens[open + 1..j].to_vec(), j + 1));
                }
            }
            _ => {}
        }
    }
    Err(Problem::invalid(tokens[open].span, "unbalanced parentheses".into()))
}

fn parse_expr(tokens: Vec<TokenWithSpan>) -> R<Expr> {
    let mut p = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(tokens);
    let e = p.parse_expr().map_err(|e| parse_problem(&e))?;
    match p.peek_token().token {
        Token::EOF => Ok(e),
        _ => Err(Problem::offline(p.peek_token().span, "this expression".into())),
    }
}

fn is_kw(t: &TokenWithSpan, kw: Keyword) -> bool {
    matches!(&t.token, Token::Word(w) if w.keyword == kw && w.quote_style.is_none())
}

/// `CREATE DOMAIN` (read here: `sqlparser` takes `DEFAULT 1 NOT NULL` for `1 IS NOT NULL`).
pub(super) fn create_domain(cat: &mut Catalog, tokens: &[TokenWithSpan]) -> R<()> {
    let mut p = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(tokens.to_vec());
    p.expect_keywords(&[Keyword::CREATE, Keyword::DOMAIN]).map_err(|e| parse_problem(&e))?;
    let name = p.parse_object_name(false).map_err(|e| parse_problem(&e))?;
    let _ = p.parse_keyword(Keyword::AS);
    let dt = p.parse_data_type().map_err(|e| parse_problem(&e))?;
    let base =
        resolve(&dt, &|s, n| cat.user_type(s, n)).map_err(|w| unknown_type(&dt, Problem::offline(name.span(), w)))?;
    if matches!(base.kind, Kind::Domain) {
        return Err(Problem::offline(name.span(), "a domain over a domain".into()));
    }
    let (schema, n) = cat.creation(&name)?;
    if cat.type_taken(&schema, &n) {
        return Err(Problem::invalid(name.span(), format!("type \"{n}\" already exists")));
    }
    let mut d = Domain { name: n.clone(), ty: ColumnType::new(&base.canonical), nullable: true, ..Default::default() };
    let mut checks: Vec<(Option<String>, Expr)> = Vec::new();
    let mut i = p.index();
    let stops = [Keyword::CONSTRAINT, Keyword::CHECK, Keyword::COLLATE, Keyword::DEFAULT, Keyword::NOT, Keyword::NULL];
    while i < tokens.len() {
        let mut cname = None;
        if is_kw(&tokens[i], Keyword::CONSTRAINT) {
            let Some(Token::Word(w)) = tokens.get(i + 1).map(|t| &t.token) else {
                return Err(Problem::invalid(tokens[i].span, "constraint name expected".into()));
            };
            cname = Some(fold(&Ident { value: w.value.clone(), quote_style: w.quote_style, span: tokens[i + 1].span }));
            i += 2;
        }
        let Some(t) = tokens.get(i) else { return Err(Problem::invalid(Span::empty(), "constraint expected".into())) };
        if is_kw(t, Keyword::NOT) && tokens.get(i + 1).is_some_and(|t| is_kw(t, Keyword::NULL)) {
            d.nullable = false;
            i += 2;
        } else if is_kw(t, Keyword::NULL) {
            i += 1;
        } else if is_kw(t, Keyword::CHECK) && tokens.get(i + 1).is_some_and(|t| t.token == Token::LParen) {
            let (inner, next) = group(tokens, i + 1)?;
            checks.push((cname, parse_expr(inner)?));
            i = next;
        } else if cname.is_none() && is_kw(t, Keyword::DEFAULT) {
            let end =
                (i + 2..tokens.len()).find(|&j| stops.iter().any(|k| is_kw(&tokens[j], *k))).unwrap_or(tokens.len());
            if tokens[i + 1..end].iter().any(|t| is_kw(t, Keyword::IS)) {
                return Err(Problem::offline(t.span, "this domain default".into()));
            }
            let e = parse_expr(tokens[i + 1..end].to_vec())?;
            d.default = value_expr(cat, &e, &base, &[], "", false)?;
            i = end;
        } else if cname.is_none() && is_kw(t, Keyword::COLLATE) {
            let id = tokens.get(i + 1).and_then(|t| match &t.token {
                Token::Word(w) => Some(w.value.clone()),
                _ => None,
            });
            match id.as_deref() {
                Some("C" | "POSIX") if base.is_collatable() => d.collation = id,
                _ => return Err(Problem::offline(t.span, "this collation".into())),
            }
            i += 2;
        } else {
            return Err(Problem::offline(t.span, format!("the domain clause at {}", t.token)));
        }
    }
    cat.add_type(&schema, &n);
    domain_checks(cat, &schema, &mut d, checks, &base).map_err(Problem::settled)?;
    cat.schema_mut(&schema).expect("exists").domains.push(d);
    Ok(())
}

/// Adds the `CHECK`s of the domain `d` (of base type `base`), naming those without a name.
fn domain_checks(
    cat: &mut Catalog,
    schema: &str,
    d: &mut Domain,
    checks: Vec<(Option<String>, Expr)>,
    base: &Ty,
) -> R<()> {
    let n = d.name.clone();
    for (cname, e) in checks {
        let scope = Scope { table: None, columns: &[], value: Some(base.clone()), cat: &*cat };
        let node = boolean(&e, &scope)?;
        let cname = match cname {
            Some(c) if d.checks.iter().any(|x| x.name.as_deref() == Some(&c)) => {
                return Err(Problem::invalid(e.span(), format!("constraint \"{c}\" for domain \"{n}\" already exists")))
            }
            Some(c) => c,
            None => choose(&n, None, "check", |x| cat.constraint_taken(schema, x)),
        };
        cat.add_constraint(schema, &cname);
        d.checks.push(Check { name: Some(cname.into()), expr: render(&node), ..Default::default() });
    }
    Ok(())
}

/// `CREATE SEQUENCE` (read here: `sqlparser` wants its options in one order).
pub(super) fn create_sequence(cat: &mut Catalog, tokens: &[TokenWithSpan]) -> R<()> {
    let mut c = Cursor::new(tokens);
    c.eat(Keyword::CREATE);
    if !c.eat(Keyword::SEQUENCE) {
        return Err(c.unexpected());
    }
    let if_not_exists = c.eat(Keyword::IF) && c.eat(Keyword::NOT) && c.eat(Keyword::EXISTS);
    let name = ObjectName::from(c.name()?);
    let o = seqopts::parse(&mut c)?;
    let (schema, n) = cat.creation(&name)?;
    if cat.relation_taken(&schema, &n) {
        return if if_not_exists {
            Ok(())
        } else {
            Err(Problem::invalid(name.span(), format!("relation \"{n}\" already exists")))
        };
    }
    let (kind, type_name) = o.as_type.clone().unwrap_or((Kind::Int8, "bigint"));
    let v = seqopts::values(&o, &kind).map_err(|m| Problem::invalid(Span::empty(), m))?;
    let owned_by = match &o.owned_by {
        None | Some(None) => None,
        Some(Some(parts)) if parts.len() >= 2 => {
            let (tparts, col) = parts.split_at(parts.len() - 1);
            let (ts, tn) = cat.find_table(&ObjectName::from(tparts.to_vec()))?;
            let col = fold(&col[0]);
            if !cat.table_columns(&ts, &tn).iter().any(|(c, _)| *c == col) {
                return Err(Problem::invalid(parts[parts.len() - 1].span, format!("column \"{col}\" does not exist")));
            }
            if ts != schema {
                return Err(Problem::invalid(
                    name.span(),
                    "sequence must be in same schema as table it is linked to".into(),
                ));
            }
            Some((ts, tn, col))
        }
        Some(Some(parts)) => return Err(Problem::invalid(parts[0].span, "invalid OWNED BY option".into())),
    };
    cat.add_relation(&schema, &n);
    cat.schema_mut(&schema).expect("exists").sequences.push(Sequence {
        name: n,
        data_type: type_name.into(),
        start: v.start,
        increment: v.increment,
        min_value: v.min,
        max_value: v.max,
        cache: v.cache,
        cycle: v.cycle,
        owned_by,
        comment: None,
    });
    Ok(())
}

/// `COMMENT ON CONSTRAINT name ON [DOMAIN] object IS …` (read here: `sqlparser` has no such form).
pub(super) fn comment_on_constraint(cat: &mut Catalog, tokens: &[TokenWithSpan]) -> R<()> {
    let mut c = Cursor::new(tokens);
    let _ = c.eat(Keyword::COMMENT) && c.eat(Keyword::ON) && c.eat(Keyword::CONSTRAINT);
    let cname = fold(&c.ident()?);
    if !c.eat(Keyword::ON) {
        return Err(c.unexpected());
    }
    let domain = c.eat(Keyword::DOMAIN);
    let target = ObjectName::from(c.name()?);
    if !c.eat(Keyword::IS) {
        return Err(c.unexpected());
    }
    let text = comment_text(&mut c)?;
    let missing = || Problem::invalid(target.span(), format!("constraint \"{cname}\" of \"{target}\" does not exist"));
    if domain {
        let (schema, n) = cat.user_type_named(&target)?.ok_or_else(missing)?;
        let d = cat.schema_mut(&schema).and_then(|s| s.domains.iter_mut().find(|d| d.name == n)).ok_or_else(missing)?;
        let ch = d.checks.iter_mut().find(|x| x.name.as_deref() == Some(&cname)).ok_or_else(missing)?;
        ch.comment = text;
        return Ok(());
    }
    let (schema, n) = cat.find_table(&target)?;
    let t = cat.table_mut(&schema, &n);
    let hit = Some(cname.as_str());
    if let Some(pk) = t.primary_key.as_mut().filter(|p| p.name.as_deref() == hit) {
        pk.comment = text;
    } else if let Some(u) = t.uniques.iter_mut().find(|u| u.name.as_deref() == hit) {
        u.comment = text;
    } else if let Some(ch) = t.checks.iter_mut().find(|x| x.name.as_deref() == hit) {
        ch.comment = text;
    } else if let Some(fk) = t.foreign_keys.iter_mut().find(|x| x.name.as_deref() == hit) {
        fk.comment = text;
    } else {
        return Err(missing());
    }
    Ok(())
}

fn comment_text(c: &mut Cursor) -> R<Option<String>> {
    if c.eat(Keyword::NULL) {
        return Ok(None);
    }
    match c.literal() {
        Some(s) if c.done() => Ok(Some(s).filter(|s| !s.is_empty())),
        _ => Err(c.unexpected()),
    }
}

/// `COMMENT ON kind name IS …` for the kinds `sqlparser` reads.
pub(super) fn comment(cat: &mut Catalog, kind: &CommentObject, name: &ObjectName, text: &Option<String>) -> R<()> {
    let text = text.clone().filter(|s| !s.is_empty());
    let span = name.span();
    match kind {
        CommentObject::Schema => {
            let n = cat.split(name)?.1;
            let s = cat
                .schema_mut(&n)
                .ok_or_else(|| Problem::missing(span, &n, format!("schema \"{n}\" does not exist")))?;
            s.comment = text;
        }
        CommentObject::Table => {
            let (s, t) = cat.find_table(name)?;
            cat.table_mut(&s, &t).comment = text;
        }
        CommentObject::Column => {
            let parts = &name.0;
            if parts.len() < 2 {
                return Err(Problem::invalid(span, "column name must be qualified".into()));
            }
            let (tparts, col) = parts.split_at(parts.len() - 1);
            let (s, t) = cat.find_table(&ObjectName(tparts.to_vec()))?;
            let col = col[0].as_ident().map(fold).unwrap_or_default();
            let c = cat.table_mut(&s, &t).columns.iter_mut().find(|c| c.name == col);
            c.ok_or_else(|| Problem::invalid(span, format!("column \"{col}\" of relation \"{t}\" does not exist")))?
                .comment = text.map(Into::into);
        }
        CommentObject::Index => {
            let (schema, n) = cat.split(name)?;
            match cat.index_owner(schema.as_deref(), &n) {
                Some((s, t)) => {
                    let i = cat.table_mut(&s, &t).indexes.iter_mut().find(|i| i.name == n);
                    i.expect("an index of the table").comment = text;
                }
                // A constraint's index: its comment is not part of the model.
                None if cat.realm.schemas.iter().any(|s| cat.relation_taken(&s.name, &n)) => {}
                None => return Err(Problem::missing(span, &n, format!("relation \"{n}\" does not exist"))),
            }
        }
        CommentObject::Type | CommentObject::Domain => {
            let (s, n) = cat
                .user_type_named(name)?
                .ok_or_else(|| Problem::missing(span, &own_name(name), format!("type \"{name}\" does not exist")))?;
            let sch = cat.schema_mut(&s).expect("exists");
            if let Some(e) = sch.enums.iter_mut().find(|e| e.name == n) {
                e.comment = text;
            } else if let Some(d) = sch.domains.iter_mut().find(|d| d.name == n) {
                d.comment = text;
            }
        }
        CommentObject::Sequence => {
            let (schema, n) = cat.split(name)?;
            let s = match schema {
                Some(s) => Some(s),
                None => cat.search_path.iter().find(|s| cat.relation_taken(s, &n)).cloned(),
            };
            let s = s.filter(|s| cat.relation_taken(s, &n));
            let s = s.ok_or_else(|| Problem::missing(span, &n, format!("relation \"{n}\" does not exist")))?;
            // Identity sequences are not part of the model; their comments go nowhere.
            if let Some(seq) = cat.schema_mut(&s).and_then(|x| x.sequences.iter_mut().find(|q| q.name == n)) {
                seq.comment = text;
            }
        }
        other => return Err(Problem::offline(span, format!("COMMENT ON {other}"))),
    }
    Ok(())
}
