//! One module per subcommand.

pub mod apply;
pub mod diff;
pub mod history;
pub mod inspect;
pub mod plan;
pub mod rollback;
