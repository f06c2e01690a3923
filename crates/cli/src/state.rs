//! Turning SOURCE arguments and URLs into models.

use schema_inspect::{connect, expand_sources, ConnectOptions, DbUrl, Driver, Source};
use schema_model::{Dialect, ObjectKind, Realm};

use crate::cli::Scope;
use crate::error::{CliError, CliResult};
use crate::roles::RoleRules;

/// Opens a database for reading (a missing SQLite file is an error).
pub async fn open(url: &str, create: bool) -> CliResult<Box<dyn Driver>> {
    let url = DbUrl::parse(url)?;
    Ok(connect(&url, ConnectOptions { create }).await?)
}

/// The dialect a set of sources implies, if one of them is a URL.
pub fn dialect_of(args: &[String]) -> Option<Dialect> {
    args.iter().find(|a| schema_inspect::is_url(a)).and_then(|a| DbUrl::parse(a).ok()).map(|u| u.dialect)
}

/// Loads a state given as SOURCE arguments, in `dialect`; `home` is the database they describe,
/// when there is one (the target of `plan`, `apply`, `inspect --to`).
pub async fn load(
    args: &[String],
    dialect: Dialect,
    dev_url: Option<&str>,
    home: Option<&DbUrl>,
    scope: &Scope,
) -> CliResult<Realm> {
    let dev = dev_url.map(DbUrl::parse).transpose()?;
    let realm = match expand_sources(args)? {
        Source::Url(url) => {
            if url.dialect != dialect {
                return Err(CliError::Usage(format!(
                    "{url} is a {} database, but the other side is {dialect}",
                    url.dialect
                )));
            }
            connect(&url, ConnectOptions::default()).await?.inspect().await?
        }
        Source::Files(files) => {
            if !scope.manage_roles.is_empty() && dev.is_none() {
                // Only a replay on a server knows what SQL files grant (and what every new
                // schema grants by default); read otherwise, they would revoke it all.
                return Err(CliError::Usage(
                    "--manage-roles needs the desired state replayed on a dev database: pass --dev-url URL \
                     (the offline reader does not carry privileges)"
                        .into(),
                ));
            }
            crate::desired::load_files(dialect, &files, dev.as_ref(), home).await?
        }
    };
    filter(realm, scope)
}

/// Inspects the live database and loads the desired state at the same time: the catalog reads
/// of the target and the replay on the dev database overlap instead of running one after the other.
pub async fn live_and_desired(
    db: &mut dyn Driver,
    args: &[String],
    dev_url: Option<&str>,
    scope: &Scope,
) -> CliResult<(Realm, Realm)> {
    let (dialect, home) = (db.dialect(), db.url().clone());
    let live = async { db.inspect().await.map_err(CliError::from) };
    tokio::try_join!(live, load(args, dialect, dev_url, Some(&home), scope))
}

/// Keeps only the schemas and objects a scope selects.
pub fn filter(mut realm: Realm, scope: &Scope) -> CliResult<Realm> {
    let patterns = scope
        .exclude
        .iter()
        .map(|g| glob::Pattern::new(g).map_err(|e| CliError::Usage(format!("bad --exclude pattern {g:?}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if !scope.schemas.is_empty() {
        realm.schemas.retain(|s| scope.schemas.contains(&s.name));
    }
    let excluded = |name: &str| patterns.iter().any(|p| p.matches(name));
    let relation = |k: ObjectKind| matches!(k, ObjectKind::Table | ObjectKind::View | ObjectKind::MaterializedView);
    for s in &mut realm.schemas {
        s.tables.retain(|t| !excluded(&t.name));
        s.views.retain(|v| !excluded(&v.name));
        s.triggers.retain(|t| !excluded(&t.name) && !excluded(&t.table));
        s.events.retain(|e| !excluded(&e.name));
        s.grants.retain(|g| !(relation(g.on.kind) && excluded(&g.on.name)));
        s.owners.retain(|o| !(relation(o.on.kind) && excluded(&o.on.name)));
    }
    RoleRules::parse(&scope.manage_roles)?.filter(&mut realm);
    Ok(realm)
}
