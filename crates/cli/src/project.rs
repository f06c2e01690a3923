//! The command line over `schema.toml`: a flag that is given wins; otherwise the chosen
//! environment's value, then the policy section's, then the default. Allowed hazards add up.

use crate::cli::{ApplyArgs, PlanArgs, PolicyArgs, Scope, TimeoutArgs};
use crate::config::{Config, Environment};
use crate::error::{CliError, CliResult};

/// The settings `schema.toml` gives this run (empty when there is no file).
pub fn load(config: Option<&std::path::Path>, env: Option<&str>) -> CliResult<Environment> {
    match Config::find(config)? {
        Some(c) => Ok(c.environment(env)?),
        None if env.is_some() => Err(CliError::Usage(format!(
            "--env {} needs a project file: {} in the current directory, or --config PATH",
            env.unwrap_or_default(),
            crate::config::FILE_NAME
        ))),
        None => Ok(Environment::default()),
    }
}

/// The database URL, which a flag, `SCHEMA_URL` or the environment must give.
pub fn need_url(url: &Option<String>) -> CliResult<&str> {
    url.as_deref().ok_or_else(|| {
        CliError::Usage("no database to work on: pass --url URL, set SCHEMA_URL, or choose --env NAME".into())
    })
}

/// The environment's URL when no flag gave one.
pub fn fill_url(url: &mut Option<String>, env: &Environment) {
    if url.is_none() {
        url.clone_from(&env.url);
    }
}

/// Fills what `plan` was not told from the environment.
pub fn fill_plan(args: &mut PlanArgs, env: &Environment) -> CliResult<()> {
    fill_common(&mut args.url, &mut args.dev_url, &mut args.to, &mut args.scope, env);
    args.online = online(args.online, args.no_online, env);
    args.timeouts = args.timeouts.or(&timeouts(env));
    if args.to.is_empty() {
        return Err(no_sources());
    }
    Ok(())
}

/// Fills what `apply` was not told from the environment.
pub fn fill_apply(args: &mut ApplyArgs, env: &Environment) -> CliResult<()> {
    let mut to = if args.plan.is_some() { vec![String::new()] } else { std::mem::take(&mut args.to) };
    fill_common(&mut args.url, &mut args.dev_url, &mut to, &mut args.scope, env);
    if args.plan.is_none() {
        args.to = to;
        if args.to.is_empty() {
            return Err(no_sources());
        }
    }
    args.online = online(args.online, args.no_online, env);
    args.timeouts = args.timeouts.or(&timeouts(env));
    fill_policy(&mut args.policy, env);
    Ok(())
}

/// The file's allowed hazards, added to the flags'.
pub fn fill_policy(policy: &mut PolicyArgs, env: &Environment) {
    policy.allow_destructive |= env.allow_destructive;
    policy.allow.extend(env.allow.iter().map(|c| c.id().to_string()));
}

fn fill_common(
    url: &mut Option<String>,
    dev_url: &mut Option<String>,
    to: &mut Vec<String>,
    scope: &mut Scope,
    env: &Environment,
) {
    fill_url(url, env);
    if dev_url.is_none() {
        dev_url.clone_from(&env.dev_url);
    }
    if to.is_empty() {
        to.clone_from(&env.to);
    }
    if scope.schemas.is_empty() {
        scope.schemas.clone_from(&env.schemas);
    }
    if scope.exclude.is_empty() {
        scope.exclude.clone_from(&env.exclude);
    }
    if scope.manage_roles.is_empty() {
        scope.manage_roles.clone_from(&env.manage_roles);
    }
}

fn online(flag: bool, no_flag: bool, env: &Environment) -> bool {
    flag || (env.online && !no_flag)
}

fn timeouts(env: &Environment) -> TimeoutArgs {
    TimeoutArgs {
        lock_timeout: env.lock_timeout,
        statement_timeout: env.statement_timeout,
        long_statement_timeout: env.long_statement_timeout,
        lock_attempts: env.lock_attempts,
    }
}

fn no_sources() -> CliError {
    CliError::Usage("no desired state: pass --to SOURCE..., or choose --env NAME whose environment has `to`".into())
}
