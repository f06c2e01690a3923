//! The statement loop of offline mode: split each file, read each statement (with
//! `sqlparser`, or by hand for the forms it misreads), and apply it to the catalog.

use sqlparser::ast::{ContextModifier, Expr, Set, Statement, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan};

use super::catalog::Catalog;
use super::constraints::add_fk;
use super::seqopts::take_identity_options;
use super::{fold, index, objects, parse_problem, table, At, Problem};
use crate::sql::{mentioned_names, split_statements, tokenize, RoundEnd, Rounds, SourceError, SourceFile};
use crate::{Dialect, Realm};

type R<T> = Result<T, Problem>;

/// Settings a file may change without changing what its statements mean.
const HARMLESS_SETTINGS: &[&str] = &[
    "client_min_messages",
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "check_function_bodies",
    "row_security",
];

/// Reads PostgreSQL desired-state files into the model a dev database would give, or says
/// (at its place in its file) what offline mode cannot reproduce. The order of statements
/// does not matter, as with `--dev-url`: one that names something not defined yet is tried
/// again after the others (see [`retry`]).
pub fn parse_postgres(files: &[SourceFile]) -> Result<Realm, SourceError> {
    let mut cat = Catalog::new();
    let mut waiting = Vec::new();
    for file in files {
        for st in split_statements(Dialect::Postgres, file)? {
            match statement(&mut cat, &st.text) {
                Ok(()) => {}
                Err(problem) if problem.missing => {
                    let search_path = cat.search_path.clone();
                    waiting.push(Waiting { file, text: st.text, start: st.start, search_path, problem });
                }
                Err(p) => return Err(At { file, text: &st.text, start: st.start }.error(p)),
            }
        }
    }
    retry(&mut cat, waiting)?;
    let mut realm = cat.realm;
    // The audit trail's schema is never a user object (as the inspector reads it).
    realm.schemas.retain(|s| s.name != "schema_revisions");
    realm.normalize();
    Ok(realm)
}

/// A statement that named something not defined yet, waiting for the statements after it.
#[derive(Clone)]
struct Waiting<'a> {
    file: &'a SourceFile,
    text: String,
    start: usize,
    /// The session's `search_path` at the statement's place in its file, which it runs under
    /// whenever it runs.
    search_path: Vec<String>,
    /// Why it could not run the first time: what is reported if it never does.
    problem: Problem,
}

impl Waiting<'_> {
    /// Where the statement is, for an error at it.
    fn at(&self) -> At<'_> {
        At { file: self.file, text: &self.text, start: self.start }
    }
}

/// Runs the waiting statements again ([`Rounds`]): one that waits for a name as soon as a
/// statement that mentions it has run, and all of them in file order round after round while
/// a round runs one of them. When a round runs none, the next sets aside the foreign keys of a
/// `CREATE TABLE` that name a missing table, which breaks a circle of tables that refer to
/// each other (as `pg_dump` writes them: the tables, then their keys); the keys are added
/// after all the statements have run. When that does not help either, the first statement
/// still waiting is reported with the problem it first had, as if the file had been read in
/// order.
fn retry(cat: &mut Catalog, waiting: Vec<Waiting<'_>>) -> Result<(), SourceError> {
    let mut keys = Vec::new();
    let mut rounds = Rounds::new(waiting);
    loop {
        while let Some(i) = rounds.next_to_try() {
            let w = rounds.item(i);
            let outer = std::mem::replace(&mut cat.search_path, w.search_path.clone());
            let result = statement(cat, &w.text);
            cat.search_path = outer;
            keys.extend(cat.deferred_foreign_keys.drain(..).map(|key| (w.clone(), key)));
            match result {
                Ok(()) => {
                    rounds.ran(i, |w| mentioned_names(Dialect::Postgres, &w.text));
                }
                Err(p) if p.missing => rounds.wait(i, p.waits_for),
                Err(p) => return Err(w.at().error(p)),
            }
        }
        match rounds.end_round() {
            RoundEnd::Done => break,
            RoundEnd::Progressed => {}
            RoundEnd::Stalled if !cat.defer_foreign_keys => cat.defer_foreign_keys = true,
            RoundEnd::Stalled => {
                let first = &rounds.into_waiting()[0];
                return Err(first.at().error(first.problem.clone()));
            }
        }
    }
    cat.defer_foreign_keys = false;
    for (w, (schema, table, fk)) in keys {
        let outer = std::mem::replace(&mut cat.search_path, w.search_path.clone());
        let result = add_fk(cat, &schema, &table, fk);
        cat.search_path = outer;
        result.map_err(|p| w.at().error(p))?;
    }
    Ok(())
}

fn words(tokens: &[TokenWithSpan]) -> Vec<Keyword> {
    tokens
        .iter()
        .take(4)
        .map(|t| match &t.token {
            Token::Word(w) if w.quote_style.is_none() => w.keyword,
            _ => Keyword::NoKeyword,
        })
        .collect()
}

fn statement(cat: &mut Catalog, text: &str) -> R<()> {
    let tokens = tokenize(Dialect::Postgres, text).map_err(|e| {
        let loc = e.location;
        Problem::invalid(Span::new(loc, loc), format!("cannot read SQL: {}", e.message))
    })?;
    let tokens: Vec<TokenWithSpan> =
        tokens.into_iter().filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF)).collect();
    let w = words(&tokens);
    match w.as_slice() {
        [Keyword::CREATE, Keyword::SEQUENCE, ..] => return objects::create_sequence(cat, &tokens),
        [Keyword::CREATE, Keyword::DOMAIN, ..] => return objects::create_domain(cat, &tokens),
        [Keyword::COMMENT, Keyword::ON, Keyword::CONSTRAINT, ..] => {
            return objects::comment_on_constraint(cat, &tokens)
        }
        _ => {}
    }
    let (tokens, identity) = take_identity_options(tokens)?;
    let mut parser = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(tokens);
    let stmt = parser.parse_statement().map_err(|e| parse_problem(&e))?;
    let rest = parser.peek_token();
    if rest.token != Token::EOF {
        return Err(Problem::offline(rest.span, format!("the statement from {}", rest.token)));
    }
    let refuse = |what: &str| Err(Problem::offline(Span::empty(), what.to_string()));
    match &stmt {
        Statement::CreateSchema {
            schema_name,
            if_not_exists,
            with: None,
            options: None,
            default_collate_spec: None,
            clone: None,
            or_replace: false,
        } => objects::create_schema(cat, schema_name, *if_not_exists),
        Statement::CreateTable(ct) => table::create_table(cat, ct, identity),
        Statement::AlterTable(at) => table::alter_table(cat, at),
        Statement::CreateIndex(ci) => index::create_index(cat, ci),
        Statement::CreateType { name, representation } => objects::create_type(cat, name, representation),
        Statement::AlterType(at) => objects::alter_type(cat, at),
        Statement::Comment { object_type, object_name, comment, if_exists: false } => {
            objects::comment(cat, object_type, object_name, comment)
        }
        Statement::Set(set) => set_statement(cat, set),
        Statement::StartTransaction { .. } | Statement::Commit { .. } => Ok(()),
        Statement::CreateExtension(_) => {
            refuse("CREATE EXTENSION (the installed version and the objects an extension brings come from the server)")
        }
        Statement::CreateView(_) => refuse("a view (its definition is stored as PostgreSQL rewrites it)"),
        Statement::CreateFunction(_) => refuse("a function"),
        Statement::CreateTrigger(_) => refuse("a trigger"),
        _ => refuse("this statement"),
    }
}

/// `SET [SESSION|LOCAL] search_path …`, and settings that change nothing offline.
fn set_statement(cat: &mut Catalog, set: &Set) -> R<()> {
    let Set::SingleAssignment { scope, hivevar: false, variable, values } = set else {
        return Err(Problem::offline(Span::empty(), "this SET statement".into()));
    };
    if matches!(scope, Some(ContextModifier::Global)) {
        return Err(Problem::offline(Span::empty(), "SET GLOBAL".into()));
    }
    let name = variable.to_string().to_ascii_lowercase();
    if HARMLESS_SETTINGS.contains(&name.as_str()) {
        return Ok(());
    }
    if name != "search_path" {
        return Err(Problem::offline(Span::empty(), format!("SET {name}")));
    }
    let mut path = Vec::new();
    for v in values {
        match v {
            Expr::Identifier(id) if id.quote_style.is_none() && id.value.eq_ignore_ascii_case("default") => {
                path = vec!["$user".into(), "public".into()];
            }
            Expr::Identifier(id) => path.push(fold(id)),
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) => path.push(s.clone()),
                _ => return Err(Problem::offline(Span::empty(), "this search_path value".into())),
            },
            _ => return Err(Problem::offline(Span::empty(), "this search_path value".into())),
        }
    }
    if path.iter().any(|p| p == "pg_catalog" || p == "pg_temp") {
        return Err(Problem::offline(Span::empty(), "a search_path that names pg_catalog or pg_temp".into()));
    }
    cat.search_path = path;
    Ok(())
}
