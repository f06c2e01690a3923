//! `schema diff`: statements between two states, neither of which need be live.

use schema_diff::{plan, steps_with, PlanOptions};
use schema_model::Dialect;
use std::io::Write;

use crate::cli::{DialectArg, DiffArgs, DiffFormat};
use crate::error::{CliError, CliResult};
use crate::output::plan_sql;
use crate::state::{dialect_of, load};

/// Prints the plan from one state to another.
pub async fn run(args: DiffArgs, out: &mut dyn Write) -> CliResult<u8> {
    let named = args.dialect.map(|d| match d {
        DialectArg::Sqlite => Dialect::Sqlite,
        DialectArg::Postgres => Dialect::Postgres,
        DialectArg::Mysql => Dialect::Mysql,
    });
    let implied = dialect_of(&args.from)
        .or_else(|| dialect_of(&args.to))
        .or_else(|| args.dev_url.as_deref().and_then(|u| dialect_of(&[u.to_string()])));
    let dialect = match (named, implied) {
        (Some(n), Some(i)) if n != i => {
            return Err(CliError::Usage(format!("--dialect {n} contradicts the {i} URL given")));
        }
        (n, i) => n.or(i).unwrap_or(Dialect::Sqlite),
    };
    // Both sides load at once: two live databases are read concurrently.
    let (from, to) = tokio::try_join!(
        load(&args.from, dialect, args.dev_url.as_deref(), None, &args.scope),
        load(&args.to, dialect, args.dev_url.as_deref(), None, &args.scope)
    )?;
    match args.format {
        // A script has no place for the fingerprints of the two sides, which cost as much as
        // the plan on a large catalog: only the steps are made.
        DiffFormat::Sql => {
            write!(out, "{}", plan_sql(&steps_with(&from, &to, &PlanOptions::default())?))?;
        }
        DiffFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(&plan(&from, &to)?).expect("plans serialize"))?;
        }
    }
    Ok(0)
}
