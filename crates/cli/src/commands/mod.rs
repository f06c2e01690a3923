//! One module per subcommand.

pub mod apply;
pub mod diff;
pub mod fmt;
pub mod history;
pub mod inspect;
pub mod plan;
pub mod rollback;
