//! Statement splitting and rename directives run on every SQL file of every dialect before anything else reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_model::sql::{renames_in, split_statements, SourceError, SourceFile};
use schema_model::Dialect;

fuzz_target!(|text: &str| {
    let file = SourceFile::new("fuzz.sql", text);
    // An error underlines whole characters of the file it names.
    let check = |e: SourceError| {
        if let SourceError::At { span, .. } = e {
            let end = span.offset() + span.len();
            assert!(text.is_char_boundary(span.offset()) && text.is_char_boundary(end), "{span:?} in {text:?}");
        }
    };
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        match split_statements(dialect, &file) {
            Ok(statements) => {
                let mut last_start = None;
                for st in &statements {
                    // Each statement is the slice of the file its offsets name, in file order.
                    assert!(st.start <= st.end && st.end <= text.len(), "{st:?} out of {} bytes", text.len());
                    assert_eq!(text.get(st.start..st.end), Some(st.text.as_str()));
                    assert!(last_start.is_none_or(|s| s < st.start), "{statements:?}");
                    last_start = Some(st.start);
                }
            }
            Err(e) => check(e),
        }
        match renames_in(dialect, &file) {
            Ok(renames) => {
                for r in renames {
                    assert!(r.span.0 <= text.len(), "{r:?} out of {} bytes", text.len());
                }
            }
            Err(e) => check(e),
        }
    }
});
