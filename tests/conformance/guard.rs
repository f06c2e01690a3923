//! Turns a panic inside one step of one case (a support helper's assertion, or a bug in the
//! tool) into an error string, so one case cannot take the whole run down. Worker threads
//! are named `conformance-*`; their panics are recorded instead of printed.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// Prefix of the worker threads' names.
pub const WORKER: &str = "conformance-";

thread_local! {
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records worker panics and forwards all others.
fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let worker = std::thread::current().name().is_some_and(|n| n.starts_with(WORKER));
            if !worker {
                return previous(info);
            }
            let at = info.location().map(|l| format!(" (panicked at {}:{})", l.file(), l.line())).unwrap_or_default();
            LAST.with(|l| *l.borrow_mut() = Some(format!("{}{at}", message(info.payload()))));
        }));
    });
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs `f`, returning its value, or the panic's message (with where it happened).
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install();
    catch_unwind(AssertUnwindSafe(f))
        .map_err(|payload| LAST.with(|l| l.borrow_mut().take()).unwrap_or_else(|| message(payload.as_ref())))
}
