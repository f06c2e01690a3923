//! Helpers shared by the end-to-end suites: throwaway databases, running the `schema` command
//! in-process, and catalog snapshots taken with the suites' own queries (never our inspector),
//! so that a bug in the inspector cannot hide a wrong apply.

pub mod converge;
pub mod fixpoint;
pub mod hcl_trip;
pub mod my;
pub mod my_catalog;
pub mod my_load;
pub mod pg;
pub mod pg_catalog;
pub mod rollback;
pub mod server;
pub mod sqlite_catalog;

use std::path::{Path, PathBuf};

/// What one `schema` run printed and returned.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code the binary would return.
    pub code: u8,
    /// Standard output.
    pub stdout: String,
    /// The rendered error, if any (what the binary prints on standard error).
    pub stderr: String,
}

impl Outcome {
    /// Asserts that the run printed each of `texts` on standard output.
    pub fn assert_printed(&self, texts: &[&str]) {
        for t in texts {
            assert!(self.stdout.contains(t), "missing {t:?} in:\n{}{}", self.stdout, self.stderr);
        }
    }
}

/// Runs `schema ARGS...` through the same code path as the binary.
pub fn schema(args: &[&str]) -> Outcome {
    let mut out = Vec::new();
    let mut argv = vec!["schema"];
    argv.extend_from_slice(args);
    let result = schema_cli::run(argv, &mut out);
    let stdout = String::from_utf8_lossy(&out).into_owned();
    match result {
        Ok(code) => Outcome { code, stdout, stderr: String::new() },
        Err(e) => Outcome { code: e.exit_code(), stdout, stderr: schema_cli::render_error(e, false) },
    }
}

/// A scratch directory that holds SQLite files and SQL sources for one test.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// A fresh, uniquely named directory, removed when dropped.
    pub fn new() -> Self {
        Scratch { dir: tempfile::Builder::new().prefix("schema-e2e-").tempdir().expect("a temp dir") }
    }

    /// A path inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file and returns its path as a string.
    pub fn write(&self, name: &str, text: &str) -> String {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    }

    /// The `sqlite://` URL of a database file in the directory.
    pub fn sqlite_url(&self, name: &str) -> String {
        format!("sqlite://{}", self.path(name).display())
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

/// The conformance corpus: `SCHEMA_CONFORMANCE_DIR`, or `shared/conformance` beside the repo.
pub fn conformance_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("SCHEMA_CONFORMANCE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    beside.exists().then_some(beside)
}

/// True when running under CI, where a suite that cannot reach its database must fail.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}
