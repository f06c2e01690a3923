//! `schema rollback`: back to the structure recorded before a revision, planned afresh
//! against the live database under the same policy as any apply.

use schema_model::Realm;
use std::io::Write;

use super::apply::{execute, Run};
use crate::cli::RollbackArgs;
use crate::error::{CliError, CliResult};
use crate::policy::Policy;
use crate::state::open;

/// Takes the database back to the model recorded before a revision.
pub async fn run(args: RollbackArgs, out: &mut dyn Write) -> CliResult<u8> {
    let mut db = open(crate::project::need_url(&args.url)?, false).await?;
    let revisions = db.revisions().await?;
    let applied: Vec<_> = revisions.iter().filter(|r| r.status == "applied").collect();
    let target = match args.to_revision {
        Some(id) => revisions
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| CliError::Usage(format!("no revision {id} is recorded; `schema history` lists them")))?,
        None => *applied
            .last()
            .ok_or_else(|| CliError::Usage("no applied revision is recorded: nothing to roll back".into()))?,
    };
    if target.status != "applied" {
        return Err(CliError::Usage(format!(
            "revision {} has status {}: it changed nothing, so there is nothing to roll back",
            target.id, target.status
        )));
    }
    let before: Realm = serde_json::from_str(&target.pre_model)
        .map_err(|e| CliError::Usage(format!("revision {} holds no readable pre-apply model: {e}", target.id)))?;
    writeln!(out, "Rolling back to the structure before revision {} ({}).\n", target.id, target.started_at)?;
    let current = db.inspect().await?;
    let policy = Policy::from_args(&args.policy)?;
    let run = Run {
        kind: "rollback",
        auto_approve: args.auto_approve,
        dry_run: args.dry_run,
        lock_timeout: args.lock_timeout,
        scope: Default::default(),
        online: false,
        timeouts: Default::default(),
        retry: Default::default(),
    };
    // Rollback manages no privileges or owners: the recorded state is scoped as the live one is.
    let before = crate::state::filter(before, &run.scope)?;
    execute(db.as_mut(), &current, &before, &policy, &run, out).await
}
