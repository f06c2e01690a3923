//! The `schema` binary: parses the command line and hands it to the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: reading and diffing a large catalog makes
/// millions of small allocations, which glibc's allocator serves about twice as slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match schema_cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Usage errors exit 1: code 2 means "the plan is not empty".
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    let mut stdout = std::io::stdout().lock();
    match schema_cli::run_parsed(cli, &mut stdout) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let code = e.exit_code();
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprint!("{}", schema_cli::render_error(e, color));
            ExitCode::from(code)
        }
    }
}
