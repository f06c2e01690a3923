//! `schema inspect`: what a database really is, and how it drifted from the files.

use std::io::Write;

use schema_diff::describe_differences;

use crate::cli::{InspectArgs, InspectFormat};
use crate::error::CliResult;
use crate::output::{realm_mermaid, realm_sql};
use crate::state::{filter, load, open};

/// Prints the model of a live database, or with `--to` its drift from the desired state.
pub async fn run(args: InspectArgs, out: &mut dyn Write) -> CliResult<u8> {
    let mut db = open(&args.url, false).await?;
    let realm = filter(db.inspect().await?, &args.scope)?;
    if !args.to.is_empty() {
        let desired = load(&args.to, db.dialect(), args.dev_url.as_deref(), Some(db.url()), &args.scope).await?;
        let drift = describe_differences(&realm, &desired)?;
        if drift.is_empty() {
            writeln!(out, "No drift: {} matches the desired state.", db.url())?;
            return Ok(0);
        }
        writeln!(out, "Drift: {} differs from the desired state in {} way(s):", db.url(), drift.len())?;
        for d in &drift {
            writeln!(out, "  - {d}")?;
        }
        let (is, want) = (realm_sql(&realm)?, realm_sql(&desired)?);
        let diff = similar::TextDiff::from_lines(&want, &is)
            .unified_diff()
            .context_radius(2)
            .header("desired", "database")
            .to_string();
        writeln!(out, "\n{diff}")?;
        return Ok(if args.exit_code { 2 } else { 0 });
    }
    match args.format {
        InspectFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(&realm).expect("the model serializes"))?;
        }
        InspectFormat::Sql => {
            write!(out, "{}", realm_sql(&realm)?)?;
        }
        InspectFormat::Hcl => {
            let text = schema_model::hcl::write_checked(&realm).map_err(|lost| {
                crate::error::CliError::Usage(format!(
                    "the HCL form cannot write {}; use --format sql (or json) for this database",
                    lost.join(", ")
                ))
            })?;
            write!(out, "{text}")?;
        }
        InspectFormat::Mermaid => {
            write!(out, "{}", realm_mermaid(&realm))?;
        }
    }
    Ok(0)
}
