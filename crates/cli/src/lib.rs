//! The `schema` command line as a library: `run` takes the arguments and an output sink, so
//! the binary, the end-to-end suites and embedding programs all drive the same code path.

// Errors carry the source text so reports can underline it; they are rare and returned once.
#![allow(clippy::result_large_err)]

mod cli;
mod commands;
mod config;
mod desired;
mod error;
mod output;
mod plan_file;
mod policy;
mod project;
mod roles;
mod state;
mod timeouts;

use std::io::Write;

use clap::Parser;

pub use cli::Cli;
pub use error::{CliError, CliResult};

use cli::Command;

/// Parses `args` (the first is the program name) and runs the command, writing its output to
/// `out`. Returns the exit code of DESIGN.md, or the error (whose `exit_code` says which).
pub fn run<I, T>(args: I, out: &mut dyn Write) -> CliResult<u8>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(args).map_err(|e| CliError::Usage(e.to_string()))?;
    run_parsed(cli, out)
}

/// Runs an already parsed command line.
pub fn run_parsed(cli: Cli, out: &mut dyn Write) -> CliResult<u8> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the async runtime: {e}")))?;
    let project = project::load(cli.config.as_deref(), cli.env.as_deref())?;
    runtime.block_on(async {
        match cli.command {
            Command::Inspect(a) => commands::inspect::run(a, out).await,
            Command::Plan(mut a) => {
                project::fill_plan(&mut a, &project)?;
                commands::plan::run(a, out).await
            }
            Command::Apply(mut a) => {
                project::fill_apply(&mut a, &project)?;
                commands::apply::run(a, out).await
            }
            Command::Diff(a) => commands::diff::run(a, out).await,
            Command::History(mut a) => {
                project::fill_url(&mut a.url, &project);
                commands::history::run(a, out).await
            }
            Command::Rollback(mut a) => {
                project::fill_url(&mut a.url, &project);
                project::fill_policy(&mut a.policy, &project);
                commands::rollback::run(a, out).await
            }
            Command::Fmt(a) => commands::fmt::run(a, out),
        }
    })
}

/// Renders an error as the binary prints it: a miette report, with colours only when asked.
pub fn render_error(err: CliError, color: bool) -> String {
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let mut s = String::new();
    let report = miette::Report::new(err);
    let _ = miette::GraphicalReportHandler::new_themed(theme).render_report(&mut s, report.as_ref());
    s
}
