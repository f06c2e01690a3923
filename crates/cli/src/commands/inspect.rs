//! `schema inspect`: what a database really is.

use crate::cli::{InspectArgs, InspectFormat};
use crate::error::CliResult;
use crate::output::realm_sql;
use crate::state::{filter, open};
use std::io::Write;

/// Prints the model of a live database.
pub async fn run(args: InspectArgs, out: &mut dyn Write) -> CliResult<u8> {
    let mut db = open(&args.url, false).await?;
    let realm = filter(db.inspect().await?, &args.scope)?;
    match args.format {
        InspectFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(&realm).expect("the model serializes"))?;
        }
        InspectFormat::Sql => {
            write!(out, "{}", realm_sql(&realm)?)?;
        }
    }
    Ok(0)
}
