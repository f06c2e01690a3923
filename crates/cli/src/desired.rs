//! Desired-state files, SQL and HCL mixed: HCL files are read into the model, rendered as the
//! SQL that creates it, and that script goes through the same path as SQL files (replayed on
//! the dev database, or read offline), so an HCL state plans exactly as its SQL equivalent;
//! what SQL cannot say (renames, privileges beyond the server's defaults) comes from the model.

use schema_inspect::{load_sql_for, DbUrl};
use schema_model::sql::SourceFile;
use schema_model::{hcl, Dialect, Realm, Securable};

use crate::error::CliResult;

/// Loads files in name order; the HCL files' script takes the place of the first of them.
pub async fn load_files(
    dialect: Dialect,
    files: &[SourceFile],
    dev: Option<&DbUrl>,
    home: Option<&DbUrl>,
) -> CliResult<Realm> {
    let (hcl_files, _): (Vec<SourceFile>, Vec<SourceFile>) = files.iter().cloned().partition(|f| hcl::is_hcl(&f.name));
    if hcl_files.is_empty() {
        return Ok(load_sql_for(dialect, files, dev, home).await?);
    }
    let model = hcl::load(dialect, &hcl_files).map_err(schema_inspect::Error::from)?;
    let names: Vec<&str> = hcl_files.iter().map(|f| f.name.as_str()).collect();
    // A dev database checks that the roles exist; the offline reader takes no GRANT, and the
    // privileges come from the model anyway.
    let mut script_model = model.clone();
    if dev.is_none() {
        for s in &mut script_model.schemas {
            s.grants.clear();
            s.owners.clear();
        }
    }
    let rendered =
        SourceFile::new(format!("{} (rendered as SQL)", names.join(", ")), crate::output::realm_sql(&script_model)?);
    let mut all = Vec::new();
    for f in files {
        if !hcl::is_hcl(&f.name) {
            all.push(f.clone());
        } else if f.name == hcl_files[0].name {
            all.push(rendered.clone());
        }
    }
    let mut realm = load_sql_for(dialect, &all, dev, home).await?;
    carry_renames(&model, &mut realm);
    carry_privileges(&model, &mut realm);
    Ok(realm)
}

/// HCL states privileges and owners exactly, as Atlas reads it: what an HCL file does not
/// grant on an object it declares is not granted, the server's defaults included (`EXECUTE` to
/// `PUBLIC` on a new routine, `USAGE` on `public`). So on every object the HCL model holds, its
/// grants and owners take the place of those the replay reports.
fn carry_privileges(model: &Realm, realm: &mut Realm) {
    for rs in &mut realm.schemas {
        let Some(ms) = model.schema(&rs.name) else { continue };
        // Declared, or named by the model's own grants and owners (an identity column's
        // sequence, which the model does not hold).
        let stated = |on: &Securable| {
            ms.holds(on) || ms.grants.iter().any(|g| g.on == *on) || ms.owners.iter().any(|o| o.on == *on)
        };
        rs.grants.retain(|g| !stated(&g.on));
        rs.owners.retain(|o| !stated(&o.on));
        rs.grants.extend(ms.grants.iter().cloned());
        rs.owners.extend(ms.owners.iter().cloned());
    }
    realm.normalize();
}

/// Declared renames (`renamed_from`) are not SQL: copy them from the HCL model onto the
/// loaded one.
fn carry_renames(model: &Realm, realm: &mut Realm) {
    let single = realm.schemas.len() == 1 && model.schemas.len() == 1;
    for ms in &model.schemas {
        let Some(rs) = realm.schemas.iter_mut().find(|s| single || s.name == ms.name) else { continue };
        for mt in &ms.tables {
            let Some(rt) = rs.tables.iter_mut().find(|t| t.name == mt.name) else { continue };
            if mt.renamed_from.is_some() {
                rt.renamed_from = mt.renamed_from.clone();
            }
            for mc in mt.columns.iter().filter(|c| c.renamed_from.is_some()) {
                if let Some(rc) = rt.columns.iter_mut().find(|c| c.name == mc.name) {
                    rc.renamed_from = mc.renamed_from.clone();
                }
            }
        }
    }
}
