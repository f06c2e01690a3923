//! SQL text handling shared by every dialect: source files, statement splitting, positions,
//! and the `-- schema:` directives written in desired-state files.

mod directives;
pub mod offline;
mod rounds;
mod source;
mod split;
mod tokens;

pub use directives::{renames_in, RenameDirective, RenameTarget};
pub use rounds::{mentioned_names, quoted_name_in, RoundEnd, Rounds};
pub use source::{SourceError, SourceFile};
pub use split::{joined_statements, split_statements, Statement, STATEMENT_SEPARATOR};
pub use tokens::{ident_value, normalize_sql, significant_tokens, sqlparser_dialect, tokenize, SpannedToken};
