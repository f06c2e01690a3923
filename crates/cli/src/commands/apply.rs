//! `schema apply`: make a database match, under a lock, verified and recorded.

use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::time::{Duration, SystemTime};

use schema_diff::{check_live, describe_differences, plan_with, Plan, PlanOptions, TimeoutPolicy};
use schema_inspect::{ApplyRequest, Driver, GroupTimeouts, RetryPolicy, Revision, StatementGroup};
use schema_model::{realm_hash, Realm};

use crate::cli::{ApplyArgs, Scope};
use crate::error::{CliError, CliResult};
use crate::output::{plan_text, summary};
use crate::plan_file::PlanFile;
use crate::policy::Policy;
use crate::roles::RoleRules;
use crate::state::{filter, live_and_desired, open};

/// Applies the desired files to a live database.
pub async fn run(args: ApplyArgs, out: &mut dyn Write) -> CliResult<u8> {
    if let Some(path) = &args.plan {
        return run_plan_file(&args, path, out).await;
    }
    let mut db = open(crate::project::need_url(&args.url)?, true).await?;
    let (live, desired) = live_and_desired(db.as_mut(), &args.to, args.dev_url.as_deref(), &args.scope).await?;
    let policy = Policy::from_args(&args.policy)?;
    let run = Run {
        kind: "apply",
        auto_approve: args.auto_approve,
        dry_run: args.dry_run,
        lock_timeout: args.timeouts.lock(),
        scope: args.scope.clone(),
        online: args.online,
        timeouts: args.timeouts.policy(),
        retry: args.timeouts.retry(),
    };
    execute(db.as_mut(), &live, &desired, &policy, &run, out).await
}

/// `apply --plan`: exactly the steps of a plan file, refused when the database drifted.
async fn run_plan_file(args: &ApplyArgs, path: &std::path::Path, out: &mut dyn Write) -> CliResult<u8> {
    let file = PlanFile::read(path)?;
    let mut db = open(crate::project::need_url(&args.url)?, true).await?;
    if file.plan.dialect != db.dialect() {
        return Err(CliError::Usage(format!(
            "{} holds a {} plan, but {} is a {} database",
            path.display(),
            file.plan.dialect,
            db.url(),
            db.dialect()
        )));
    }
    let scope = file.scope();
    let live = db.inspect().await?;
    file.check_start(&live, &filter(live.clone(), &scope)?)?;
    let policy = Policy::from_args(&args.policy)?;
    let run = Run {
        kind: "apply",
        auto_approve: args.auto_approve,
        dry_run: args.dry_run,
        lock_timeout: args.timeouts.lock(),
        scope,
        online: args.online,
        timeouts: args.timeouts.policy(),
        retry: args.timeouts.retry(),
    };
    execute_plan(db.as_mut(), file.plan, &live, &file.desired, &policy, &run, out).await
}

/// How one apply or rollback runs.
pub struct Run {
    /// `apply` or `rollback`, recorded in the revision.
    pub kind: &'static str,
    /// Skip the confirmation.
    pub auto_approve: bool,
    /// Stop after the policy check.
    pub dry_run: bool,
    /// How long to wait for the lock.
    pub lock_timeout: Duration,
    /// What the run manages; everything else is left alone and not compared.
    pub scope: Scope,
    /// Plan for a live, busy database.
    pub online: bool,
    /// The timeouts online steps are planned with.
    pub timeouts: TimeoutPolicy,
    /// How a step that gives up on its lock timeout is retried.
    pub retry: RetryPolicy,
}

/// Plans the scoped part of `live` → `desired`, checks the policy, asks, applies, verifies the
/// scoped result and records the revision with the whole pre-apply model.
pub async fn execute(
    db: &mut dyn Driver,
    live: &Realm,
    desired: &Realm,
    policy: &Policy,
    run: &Run,
    out: &mut dyn Write,
) -> CliResult<u8> {
    let current = filter(live.clone(), &run.scope)?;
    let rules = RoleRules::parse(&run.scope.manage_roles)?;
    let desired = &rules.keep_unrevoked(&current, desired.clone());
    let options =
        PlanOptions { online: run.online, timeouts: run.timeouts, creation_grants: rules.revokes_from_public() };
    let p = plan_with(&current, desired, &options)?;
    execute_plan(db, p, live, desired, policy, run, out).await
}

/// Shows `p`, checks the policy, asks, applies under the lock (refusing if the database is no
/// longer `live`), verifies the scoped result against `desired`, and records the revision.
pub async fn execute_plan(
    db: &mut dyn Driver,
    mut p: Plan,
    live: &Realm,
    desired: &Realm,
    policy: &Policy,
    run: &Run,
    out: &mut dyn Write,
) -> CliResult<u8> {
    let target = db.url().redacted().to_string();
    check_live(&mut p, db.data_probe()).await;
    write!(out, "{}", plan_text(&p, &target))?;
    if p.is_empty() {
        return Ok(0);
    }
    policy.check(&p)?;
    if run.dry_run {
        writeln!(out, "\nDry run: nothing was applied.")?;
        return Ok(0);
    }
    if !run.auto_approve {
        confirm(&p, &target)?;
    }
    let verify = |after: &Realm| -> Result<(), String> {
        let scoped = filter(after.clone(), &run.scope).map_err(|e| e.to_string())?;
        match describe_differences(&scoped, desired) {
            Ok(d) if d.is_empty() => Ok(()),
            Ok(d) => Err(d.join("\n")),
            Err(e) => Err(e.to_string()),
        }
    };
    let rev = {
        // Retried attempts are reported as they happen, between the plan and the summary.
        let sink = RefCell::new(&mut *out);
        let report = |line: &str| {
            let _ = writeln!(sink.borrow_mut(), "  {line}");
        };
        let request = ApplyRequest {
            groups: groups(&p),
            // The driver hashes the whole database under the lock, so compare with the whole.
            expected_from_hash: Some(realm_hash(live)),
            verify: &verify,
            revision: revision(&p, live, run.kind),
            lock_timeout: run.lock_timeout,
            undo: undo(&p),
            retry: run.retry,
            report: &report,
        };
        db.apply(request).await?
    };
    writeln!(
        out,
        "\n{} {} statement{} in {} ms ({}); recorded as revision {}.",
        if run.kind == "rollback" { "Rolled back with" } else { "Applied" },
        rev.applied,
        if rev.applied == 1 { "" } else { "s" },
        rev.duration_ms,
        summary(&p),
        rev.id
    )?;
    Ok(0)
}

/// The plan's statements in the plan's groups, with the timeouts of their steps.
fn groups(p: &Plan) -> Vec<StatementGroup> {
    p.groups()
        .into_iter()
        .map(|g| StatementGroup {
            transactional: g.transactional,
            statements: p.steps[g.steps.clone()].iter().flat_map(|s| s.sql.iter().cloned()).collect(),
            timeouts: p.steps[g.steps.start].timeouts.map(|t| GroupTimeouts {
                lock: Duration::from_millis(t.lock_timeout_ms),
                statement: t.statement_timeout_ms.map(Duration::from_millis),
            }),
        })
        .collect()
}

/// What undoes each statement, in statement order: a step's reverse undoes its last
/// statement; the earlier statements of a multi-statement step have no separate undo.
fn undo(p: &Plan) -> Vec<Vec<String>> {
    p.steps
        .iter()
        .flat_map(|s| (0..s.sql.len()).map(move |i| if i + 1 == s.sql.len() { s.reverse.clone() } else { vec![] }))
        .collect()
}

/// The audit row, before the driver fills progress and status.
fn revision(p: &Plan, current: &Realm, kind: &str) -> Revision {
    Revision {
        kind: kind.into(),
        actor: std::env::var("SCHEMA_ACTOR").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "unknown".into()),
        started_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        plan_hash: p.hash(),
        from_hash: p.from_hash.clone(),
        to_hash: p.to_hash.clone(),
        statements: p.statements(),
        reverse_statements: p.reverse_statements(),
        total: p.statements().len() as i64,
        pre_model: serde_json::to_string(current).expect("the model serializes"),
        ..Default::default()
    }
}

/// Asks for a typed `yes` at a terminal; without a terminal, refuses.
fn confirm(p: &Plan, target: &str) -> CliResult<()> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::Usage(
            "not applying: no terminal to confirm at; pass --auto-approve to apply without a prompt".into(),
        ));
    }
    eprint!("\nApply {} step(s) to {target}? Type 'yes' to continue: ", p.steps.len());
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(|e| CliError::Usage(format!("cannot read the answer: {e}")))?;
    if answer.trim() != "yes" {
        return Err(CliError::Usage("not applied: the answer was not 'yes'".into()));
    }
    Ok(())
}
