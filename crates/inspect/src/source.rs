//! Desired-state sources: files, directories of them, or a database URL.

use std::path::Path;

use schema_model::sql::{RenameDirective, RenameTarget, SourceFile};
use schema_model::{Dialect, Realm};

use crate::{DbUrl, Error, Result};

/// What a `--to`/`--from` argument names.
#[derive(Debug)]
pub enum Source {
    /// SQL and HCL files, in the order they are read.
    Files(Vec<SourceFile>),
    /// A live database whose structure is the state.
    Url(DbUrl),
}

/// Reads SOURCE arguments: each is a `.sql` or `.hcl` file, a directory (its `.sql` and `.hcl`
/// files in name order, not recursive), or one database URL.
pub fn expand_sources(args: &[String]) -> Result<Source> {
    let urls: Vec<&String> = args.iter().filter(|a| crate::is_url(a)).collect();
    if !urls.is_empty() {
        if args.len() > 1 {
            return Err(Error::Unsupported("a database URL must be the only source of a state".into()));
        }
        return Ok(Source::Url(DbUrl::parse(urls[0])?));
    }
    let mut files = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| schema_model::sql::SourceError::Read { path: path.into(), reason: e.to_string() })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "sql" || x == "hcl"))
                .collect();
            entries.sort();
            if entries.is_empty() {
                return Err(schema_model::sql::SourceError::Read {
                    path: path.into(),
                    reason: "the directory holds no .sql or .hcl file".into(),
                }
                .into());
            }
            for p in entries {
                files.push(SourceFile::read(&p)?);
            }
        } else {
            files.push(SourceFile::read(path)?);
        }
    }
    Ok(Source::Files(files))
}

/// Marks the tables and columns that rename directives name, so the differ plans renames.
pub fn apply_renames(realm: &mut Realm, file: &SourceFile, directives: &[RenameDirective]) -> Result<()> {
    let same = |a: &str, b: &str| match realm.dialect {
        Dialect::Sqlite | Dialect::Mysql => a.eq_ignore_ascii_case(b),
        Dialect::Postgres => a == b,
    };
    for d in directives {
        let (table_name, column_name) = match &d.target {
            RenameTarget::Table { table } => (table, None),
            RenameTarget::Column { table, column } => (table, Some(column)),
        };
        let table =
            realm.schemas.iter_mut().flat_map(|s| s.tables.iter_mut()).find(|t| same(&t.name, table_name)).ok_or_else(
                || file.error_at(d.span, format!("table {table_name} of this directive was not created"), "here", None),
            )?;
        match column_name {
            None => table.renamed_from = Some(d.from.clone()),
            Some(c) => {
                let col = table.columns.iter_mut().find(|x| same(&x.name, c)).ok_or_else(|| {
                    file.error_at(
                        d.span,
                        format!("column {c} of this directive is not in table {table_name}"),
                        "here",
                        None,
                    )
                })?;
                col.renamed_from = Some(d.from.clone());
            }
        }
    }
    Ok(())
}
