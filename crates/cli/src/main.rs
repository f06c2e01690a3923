//! The `schema` binary: parses the command line and hands it to the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: reading and diffing a large catalog makes
/// millions of small allocations, which glibc's allocator serves about twice as slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option: its position in `mi_option_e` (mimalloc.h, v3), which
/// libmimalloc-sys does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed pages stay mapped before mimalloc returns them (see `main`).
const PURGE_DELAY_MS: std::ffi::c_long = 100;

fn main() -> ExitCode {
    // Pages freed by one phase (a catalog's rows, the desired SQL) go back to the OS after
    // 100 ms rather than after a second, so later phases reuse memory instead of growing:
    // `schema plan` at 5,000 PostgreSQL tables peaked at 347 MB with the default, 222 MB with
    // this. Purging at once (0) peaked at 208 MB but faulted the pages back in three times as
    // often: 48,000 minor faults rather than 15,000 in a 5,000-table diff, 14% of its time.
    // The environment variable of the same name, when set, still decides.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_option_set` only stores a number in mimalloc's option table.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
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

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    /// The hand-written option number must be `purge_delay`: the option there holds that
    /// option's value (1000 ms by default in mimalloc v3's options.c, or what
    /// MIMALLOC_PURGE_DELAY says); the options beside it default to 1 and 0.
    #[test]
    fn the_option_number_is_purge_delay() {
        let expected = std::env::var("MIMALLOC_PURGE_DELAY").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        // SAFETY: `mi_option_get` only reads mimalloc's option table.
        let value = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, expected);
    }
}
