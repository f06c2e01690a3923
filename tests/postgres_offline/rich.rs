//! The driver suite's rich database (without its extensions, views and trigger), split in
//! two files with a `search_path` change carried from one to the next, as a project would.

use schema_model::sql::SourceFile;

use crate::assert_same_files;

#[test]
fn a_rich_desired_state_in_two_files() {
    assert_same_files(&[vec![
        SourceFile::new("01_types.sql", include_str!("rich.sql")),
        SourceFile::new("02_tables.sql", include_str!("rich2.sql")),
    ]]);
}
