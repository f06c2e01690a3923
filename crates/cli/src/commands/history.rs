//! `schema history`: the audit trail.

use crate::cli::{HistoryArgs, HistoryFormat};
use crate::error::CliResult;
use crate::output::history_text;
use crate::state::open;
use std::io::Write;

/// Prints the recorded revisions.
pub async fn run(args: HistoryArgs, out: &mut dyn Write) -> CliResult<u8> {
    let mut db = open(crate::project::need_url(&args.url)?, false).await?;
    let mut revisions = db.revisions().await?;
    match args.format {
        HistoryFormat::Text => {
            write!(out, "{}", history_text(&revisions))?;
        }
        HistoryFormat::Json => {
            // The pre-apply model is for rollback, not for reading: leave it out of the listing.
            revisions.iter_mut().for_each(|r| r.pre_model.clear());
            writeln!(out, "{}", serde_json::to_string_pretty(&revisions).expect("revisions serialize"))?;
        }
    }
    Ok(0)
}
