//! `schema plan`: what apply would do, for a pull request.

use schema_diff::{check_live, plan_with, PlanOptions};
use std::io::Write;

use crate::cli::{PlanArgs, PlanFormat};
use crate::error::{CliError, CliResult};
use crate::output::{plan_markdown, plan_sql, plan_text};
use crate::plan_file::PlanFile;
use crate::roles::RoleRules;
use crate::state::{filter, live_and_desired, open};

/// Prints the plan from a live database to the desired files.
pub async fn run(args: PlanArgs, out: &mut dyn Write) -> CliResult<u8> {
    let mut db = open(crate::project::need_url(&args.url)?, false).await?;
    let (live, desired) = live_and_desired(db.as_mut(), &args.to, args.dev_url.as_deref(), &args.scope).await?;
    let current = filter(live.clone(), &args.scope)?;
    let rules = RoleRules::parse(&args.scope.manage_roles)?;
    let desired = rules.keep_unrevoked(&current, desired);
    let options = PlanOptions {
        online: args.online,
        timeouts: args.timeouts.policy(),
        creation_grants: rules.revokes_from_public(),
    };
    let mut p = plan_with(&current, &desired, &options)?;
    check_live(&mut p, db.data_probe()).await;
    match args.format {
        PlanFormat::Text => {
            write!(out, "{}", plan_text(&p, db.url().redacted()))?;
        }
        PlanFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(&p).expect("plans serialize"))?;
        }
        PlanFormat::Sql => {
            write!(out, "{}", plan_sql(&p.steps))?;
        }
        PlanFormat::Markdown => {
            write!(out, "{}", plan_markdown(&p, db.url().redacted()))?;
        }
    }
    let empty = p.is_empty();
    if let Some(path) = &args.out {
        let file = PlanFile::new(p, &live, current, desired, &args.scope);
        let json = serde_json::to_string_pretty(&file).expect("plan files serialize");
        std::fs::write(path, json).map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(if args.exit_code && !empty { 2 } else { 0 })
}
