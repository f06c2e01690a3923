//! A quoted name or literal must read back as one token holding exactly the text quoted, or plans would say something else.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_model::sql::tokenize;
use schema_model::{quote_ident, quote_literal, Dialect};
use sqlparser::tokenizer::Token;

fuzz_target!(|name: &str| {
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let quoted = quote_ident(dialect, name);
        let tokens = tokenize(dialect, &quoted).expect("a quoted name tokenizes");
        match tokens.iter().map(|t| &t.token).collect::<Vec<_>>().as_slice() {
            [Token::Word(w)] | [Token::Word(w), Token::EOF] => {
                assert!(w.quote_style.is_some(), "{dialect} {quoted}");
                assert_eq!(w.value, name, "{dialect} {quoted}");
            }
            other => panic!("{dialect} {quoted:?} reads as {other:?}"),
        }
        let literal = quote_literal(dialect, name);
        let tokens = tokenize(dialect, &literal).expect("a quoted literal tokenizes");
        match tokens.iter().map(|t| &t.token).collect::<Vec<_>>().as_slice() {
            [Token::SingleQuotedString(s)] | [Token::SingleQuotedString(s), Token::EOF] => {
                assert_eq!(s, name, "{dialect} {literal}")
            }
            other => panic!("{dialect} {literal:?} reads as {other:?}"),
        }
    }
});
