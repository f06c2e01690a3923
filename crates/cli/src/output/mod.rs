//! How plans, models and revisions are printed.

mod history;
mod markdown;
mod mermaid;
mod plan_text;
mod sql;

pub use history::history_text;
pub use markdown::plan_markdown;
pub use mermaid::realm_mermaid;
pub use plan_text::{plan_text, summary};
pub use sql::{plan_sql, realm_sql};
