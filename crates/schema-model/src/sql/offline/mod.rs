//! The offline path for desired-state SQL: parse the files with `sqlparser` into the same
//! model that replaying them on a dev database and inspecting it would give, for the subset
//! of PostgreSQL whose catalog form is known exactly, and refuse the rest at its place in the
//! file with a hint to pass `--dev-url`. A wrong model would mean a wrong plan, so nothing is
//! guessed.

mod catalog;
mod constraints;
mod deparse;
mod expr;
mod index;
mod keywords;
mod names;
mod objects;
mod postgres;
mod seqopts;
mod table;
mod types;

/// PostgreSQL's own quoting of names (`quote_identifier`), for texts that must match the server's.
pub(crate) use names::{quote_ident as pg_quote_ident, quote_qualified as pg_quote_qualified};
pub use postgres::parse_postgres;

use sqlparser::ast::Ident;
use sqlparser::tokenizer::Span;

use super::split::LineTable;
use super::{SourceError, SourceFile};

/// The help line of every refusal.
pub const DEV_URL_HELP: &str = "pass --dev-url URL to let PostgreSQL read this file";

/// The name an identifier denotes in PostgreSQL: unquoted names fold ASCII letters to lower
/// case, and every name is cut to 63 bytes.
fn fold(id: &Ident) -> String {
    let name = match id.quote_style {
        None => id.value.to_ascii_lowercase(),
        Some(_) => id.value.clone(),
    };
    names::truncate(&name)
}

/// The object's own name in `name` (its last part), as PostgreSQL resolves it.
fn own_name(name: &sqlparser::ast::ObjectName) -> String {
    name.0.last().and_then(|p| p.as_ident()).map(fold).unwrap_or_default()
}

/// Something wrong with a statement, found while building the model.
#[derive(Debug, Clone)]
struct Problem {
    /// Where, relative to the statement (empty: the whole statement).
    span: Span,
    /// What.
    message: String,
    /// True when the statement may be valid but offline mode cannot reproduce it; false when
    /// PostgreSQL would reject it too.
    offline: bool,
    /// True when the statement names something not defined yet (a schema, relation or type)
    /// and changed nothing before it stopped: it is tried again after the statements that
    /// follow it, which may define what it needs.
    missing: bool,
    /// The missing object's own name (unqualified, folded), when known: the statement runs
    /// again as soon as one that mentions it has run.
    waits_for: Option<String>,
}

impl Problem {
    /// Offline mode cannot reproduce `what`.
    fn offline(span: Span, what: String) -> Self {
        Problem { span, message: what, offline: true, missing: false, waits_for: None }
    }

    /// PostgreSQL would reject this with `message`.
    fn invalid(span: Span, message: String) -> Self {
        Problem { span, message, offline: false, missing: false, waits_for: None }
    }

    /// PostgreSQL would reject this with `message` for now: it names an object that a later
    /// statement may define: the object named `name` (its own name, unqualified).
    fn missing(span: Span, name: &str, message: String) -> Self {
        Problem { span, message, offline: false, missing: true, waits_for: Some(name.to_string()) }
    }

    /// This problem as one the statement cannot get past by waiting: it came after the
    /// statement had changed the catalog, so running it again would not start from scratch.
    fn settled(self) -> Self {
        Problem { missing: false, ..self }
    }

    /// This problem as one a later statement may remove (an unknown type, which a later
    /// `CREATE TYPE` or `CREATE DOMAIN` may define), waiting for the type named `name`.
    fn awaiting(self, name: String) -> Self {
        Problem { missing: true, waits_for: Some(name), ..self }
    }
}

/// One statement of a file, for turning problems into errors at their place.
struct At<'a> {
    file: &'a SourceFile,
    text: &'a str,
    start: usize,
}

impl At<'_> {
    /// The error for `p`, underlining its span (or the statement).
    fn error(&self, p: Problem) -> SourceError {
        let span = if p.span == Span::empty() {
            (self.start, self.text.len())
        } else {
            let lines = LineTable::new(self.text);
            let (a, b) = (lines.offset(p.span.start), lines.offset(p.span.end));
            (self.start + a, b.saturating_sub(a).max(1))
        };
        if p.offline {
            self.file.error_at(
                span,
                format!("offline mode cannot reproduce {} exactly", p.message),
                "not supported without a dev database",
                Some(DEV_URL_HELP.into()),
            )
        } else {
            self.file.error_at(span, p.message, "here", None)
        }
    }
}

/// A `sqlparser` error as a problem at the place it names.
fn parse_problem(e: &sqlparser::parser::ParserError) -> Problem {
    let text = e.to_string();
    let num = |key: &str| -> Option<u64> {
        let at = text.find(key)? + key.len();
        text[at..].trim_start().chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
    };
    let span = match (num("Line:"), num("Column:")) {
        (Some(line), Some(column)) => {
            let loc = sqlparser::tokenizer::Location { line, column };
            Span::new(loc, loc)
        }
        _ => Span::empty(),
    };
    let message = text.trim_start_matches("sql parser error: ").to_string();
    Problem::offline(span, format!("this statement (sqlparser: {message})"))
}
