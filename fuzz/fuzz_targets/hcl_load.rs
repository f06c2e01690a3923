//! The HCL reader and formatter take any desired-state file: a model or an error at a place in the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_model::hcl;
use schema_model::sql::{SourceError, SourceFile};
use schema_model::Dialect;

fuzz_target!(|text: &str| {
    let file = SourceFile::new("fuzz.hcl", text);
    let files = std::slice::from_ref(&file);
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        if let Err(SourceError::At { span, .. }) = hcl::load(dialect, files) {
            // An error underlines whole characters of the file it names.
            let end = span.offset() + span.len();
            assert!(text.is_char_boundary(span.offset()) && text.is_char_boundary(end), "{span:?} in {text:?}");
        }
    }
    let _ = hcl::format_text(&file);
});
