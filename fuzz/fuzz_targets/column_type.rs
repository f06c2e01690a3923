//! Every column type of every file and catalog goes through the type grammar and each dialect's canonical spelling.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_model::types::{canonical_type, TypeSpec};
use schema_model::Dialect;

fuzz_target!(|text: &str| {
    let parsed = TypeSpec::parse(text);
    if let Err(e) = &parsed {
        assert!(e.offset <= text.len(), "{e:?} past the end of {} bytes", text.len());
    }
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let canonical = canonical_type(dialect, text);
        // A canonical spelling is a fixed point: an inspected type compares equal to itself.
        if parsed.is_ok() {
            assert_eq!(canonical_type(dialect, &canonical), canonical, "{dialect} {text:?}");
        }
    }
});
