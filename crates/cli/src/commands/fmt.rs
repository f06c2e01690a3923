//! `schema fmt`: HCL schema files in their canonical layout.

use std::io::Write;
use std::path::{Path, PathBuf};

use schema_model::hcl::format_text;
use schema_model::sql::{SourceError, SourceFile};

use crate::cli::FmtArgs;
use crate::error::{CliError, CliResult};

/// Formats the files in place, or with `--check` lists those that differ (exit 2).
pub fn run(args: FmtArgs, out: &mut dyn Write) -> CliResult<u8> {
    let mut unformatted = 0;
    for path in files(&args.paths)? {
        let file = SourceFile::read(&path).map_err(schema_inspect::Error::from)?;
        let formatted = format_text(&file).map_err(schema_inspect::Error::from)?;
        if formatted == file.text {
            continue;
        }
        unformatted += 1;
        if args.check {
            writeln!(out, "not formatted: {}", path.display())?;
        } else {
            std::fs::write(&path, formatted)
                .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
            writeln!(out, "formatted: {}", path.display())?;
        }
    }
    Ok(if args.check && unformatted > 0 { 2 } else { 0 })
}

/// The `.hcl` files the arguments name, directories expanded in name order.
fn files(paths: &[String]) -> CliResult<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let read = std::fs::read_dir(path)
                .map_err(|e| SourceError::Read { path: path.into(), reason: e.to_string() })
                .map_err(schema_inspect::Error::from)?;
            let mut found: Vec<PathBuf> = read
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "hcl"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(path.to_path_buf());
        }
    }
    Ok(out)
}
