//! The column type grammar shared by the HCL loader and the dialects' normalizers: a `pest`
//! grammar (`column_type.pest`) reads a type into its parts, and each dialect spells the parts
//! canonically.

mod canonical;

use pest::Parser;
use pest_derive::Parser;

pub use canonical::{canonical_type, mysql_canonical, postgres_canonical, sqlite_canonical};

#[derive(Parser)]
#[grammar = "types/column_type.pest"]
struct TypeGrammar;

/// A column type read into its parts, so dialects can respell it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeSpec {
    /// The name's words as written (`character`, `varying`; `"My Type"` keeps its quotes).
    pub name: Vec<String>,
    /// The argument list as written (`10`, `2`; `'a'` keeps its quotes).
    pub args: Vec<String>,
    /// Modifier words after the arguments, lower case and single spaced (`with time zone`,
    /// `unsigned`, `zerofill`).
    pub modifiers: Vec<String>,
    /// Array brackets, with their declared size if any.
    pub arrays: Vec<Option<String>>,
}

/// Why a type could not be read: the byte offset in the type text and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeError {
    /// Byte offset of the problem within the type text.
    pub offset: usize,
    /// A short description of what was expected there.
    pub message: String,
}

impl TypeSpec {
    /// Reads a type with the grammar.
    pub fn parse(text: &str) -> Result<TypeSpec, TypeError> {
        let mut pairs = TypeGrammar::parse(Rule::column_type, text).map_err(|e| {
            let offset = match e.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
            TypeError { offset, message: describe(&e.variant) }
        })?;
        let mut spec = TypeSpec { name: vec![], args: vec![], modifiers: vec![], arrays: vec![] };
        for p in pairs.next().expect("the grammar yields the whole type").into_inner() {
            match p.as_rule() {
                Rule::name => spec.name = p.into_inner().map(|w| w.as_str().to_string()).collect(),
                Rule::args => spec.args = p.into_inner().map(|a| a.as_str().to_string()).collect(),
                Rule::modifier => {
                    spec.modifiers.push(p.as_str().split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
                }
                Rule::array => spec.arrays.push(p.into_inner().next().map(|n| n.as_str().to_string())),
                _ => {}
            }
        }
        Ok(spec)
    }

    /// The name's words, lower case unless quoted, single spaced.
    pub fn base_name(&self) -> String {
        self.name.iter().map(|w| lower_unquoted(w)).collect::<Vec<_>>().join(" ")
    }

    /// Renders the parts back with `name` in place of the written name.
    pub fn render_with(&self, name: &str, modifiers: &[String]) -> String {
        let mut s = name.to_string();
        if !self.args.is_empty() {
            s.push('(');
            s.push_str(&self.args.join(","));
            s.push(')');
        }
        for m in modifiers {
            s.push(' ');
            s.push_str(m);
        }
        for a in &self.arrays {
            s.push('[');
            s.push_str(a.as_deref().unwrap_or(""));
            s.push(']');
        }
        s
    }
}

/// Lower-cases a word unless it is quoted.
fn lower_unquoted(w: &str) -> String {
    if w.contains('"') || w.contains('`') {
        w.to_string()
    } else {
        w.to_ascii_lowercase()
    }
}

/// A person-readable version of what pest expected.
fn describe(v: &pest::error::ErrorVariant<Rule>) -> String {
    match v {
        pest::error::ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let names: Vec<&str> = positives
                .iter()
                .map(|r| match r {
                    Rule::word | Rule::name => "a type name",
                    Rule::args => "an argument list",
                    Rule::string => "a quoted string",
                    Rule::number => "a number",
                    Rule::array => "`[]`",
                    Rule::modifier => "a modifier (unsigned, zerofill, with time zone)",
                    Rule::EOI => "the end of the type",
                    _ => "more of the type",
                })
                .collect();
            let mut names = names;
            names.dedup();
            format!("expected {}", names.join(" or "))
        }
        pest::error::ErrorVariant::ParsingError { .. } => "unexpected text".into(),
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parts_of_each_dialects_types() {
        let s = TypeSpec::parse("character varying(20)[]").unwrap();
        assert_eq!(
            (s.name.clone(), s.args.clone(), s.arrays.len()),
            (vec!["character".into(), "varying".into()], vec!["20".into()], 1)
        );
        let s = TypeSpec::parse("timestamp(3) with time zone").unwrap();
        assert_eq!((s.base_name(), s.modifiers.clone()), ("timestamp".into(), vec!["with time zone".into()]));
        let s = TypeSpec::parse("int(11) unsigned zerofill").unwrap();
        assert_eq!(s.modifiers, vec!["unsigned".to_string(), "zerofill".to_string()]);
        let s = TypeSpec::parse("enum('a','b''c')").unwrap();
        assert_eq!(s.args, vec!["'a'".to_string(), "'b''c'".to_string()]);
        let s = TypeSpec::parse("numeric( 10 , 2 )").unwrap();
        assert_eq!(s.args, vec!["10".to_string(), "2".to_string()]);
        assert_eq!(TypeSpec::parse("double precision").unwrap().base_name(), "double precision");
        assert_eq!(TypeSpec::parse("\"My Schema\".\"T\"[3]").unwrap().arrays, vec![Some("3".to_string())]);
    }

    #[test]
    fn refuses_what_is_not_a_type_with_an_offset() {
        let e = TypeSpec::parse("varchar(").unwrap_err();
        assert_eq!(e.offset, 8);
        let e = TypeSpec::parse("int unsigned (3)").unwrap_err();
        assert_eq!(e.offset, 13, "{e:?}");
        assert!(TypeSpec::parse("").is_err());
    }
}
