//! The offline PostgreSQL reader takes any desired-state file: it must model it or refuse it at a place in the file, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_model::sql::offline::parse_postgres;
use schema_model::sql::{SourceError, SourceFile};

fuzz_target!(|text: &str| {
    let file = SourceFile::new("fuzz.sql", text);
    if let Err(SourceError::At { line, col, span, .. }) = parse_postgres(std::slice::from_ref(&file)) {
        // An error underlines whole characters of the file it names.
        let end = span.offset() + span.len();
        assert!(text.is_char_boundary(span.offset()) && text.is_char_boundary(end), "{span:?} in {text:?}");
        assert!(line >= 1 && col >= 1);
    }
});
