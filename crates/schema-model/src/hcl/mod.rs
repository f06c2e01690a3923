//! HCL schema files in Atlas's dialect: read into the model (with errors that point into the
//! file), written canonically from it, and formatted in place.

mod constraints;
mod events;
mod exclusion;
mod format;
mod functions;
mod mysql_partitions;
mod objects;
mod partition;
mod policies;
mod privileges;
mod references;
mod sql_parts;
mod strings;
mod table;
mod types;
mod values;
mod writer;
mod writer_table;

use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;

use crate::sql::{SourceError, SourceFile};
use crate::{Dialect, Realm, Schema};
use references::{Symbols, TableSym};
use values::{attr, path, Ctx};

/// A table with columns of these names and nothing else, for the tests of key decomposition.
#[cfg(test)]
fn table_of(names: &[&str]) -> crate::Table {
    let columns = names.iter().map(|n| crate::Column { name: (*n).into(), ..Default::default() }).collect();
    crate::Table { columns, ..Default::default() }
}

pub use format::format_text;
pub use writer::{uncovered, write, write_checked};

/// The top-level blocks a schema file may hold.
const TOP_BLOCKS: &[&str] = &[
    "schema",
    "table",
    "view",
    "materialized",
    "enum",
    "sequence",
    "domain",
    "extension",
    "trigger",
    "function",
    "procedure",
    "policy",
    "event",
    "permission",
    "owner",
];

/// The top-level blocks read after all others, because they name objects of other blocks.
const LATE_BLOCKS: &[&str] = &["policy", "permission", "owner"];

/// True for a path that names an HCL file.
pub fn is_hcl(name: &str) -> bool {
    name.ends_with(".hcl")
}

/// One parsed file with the schema and name of each of its top-level blocks.
struct Parsed<'a> {
    ctx: Ctx<'a>,
    body: Body,
}

/// Reads HCL files of one directory into a realm of `dialect`; references resolve across all
/// of them. Errors name the file, line and object and underline the span.
pub fn load(dialect: Dialect, files: &[SourceFile]) -> Result<Realm, SourceError> {
    let mut parsed = Vec::new();
    for f in files {
        let ctx = Ctx { file: f };
        let body = hcl_edit::parser::parse_body(&f.text).map_err(|e| {
            let at = e.location().offset();
            ctx.err(
                Some(at..at + 1),
                format!("HCL syntax error: {}", e.message()),
                e.message(),
                "see https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md for the syntax",
            )
        })?;
        ctx.check_body(&body, "a schema file", &[], TOP_BLOCKS)?;
        parsed.push(Parsed { ctx, body });
    }
    let syms = declare(dialect, &parsed)?;
    let mut realm = Realm::new(dialect);
    realm.schemas = syms.schemas.iter().map(Schema::named).collect();
    for p in &parsed {
        for b in p.body.blocks().filter(|b| !LATE_BLOCKS.contains(&b.ident.as_str())) {
            read_block(&p.ctx, &syms, dialect, b, &mut realm)?;
        }
    }
    // Policies last: they go into the tables they are on, which may come later in the files.
    for p in &parsed {
        for b in p.body.get_blocks("policy") {
            read_policy(&p.ctx, &syms, b, &mut realm)?;
        }
    }
    // Privileges and owners after everything: they name objects of any kind.
    for p in &parsed {
        for b in p.body.blocks().filter(|b| ["permission", "owner"].contains(&b.ident.as_str())) {
            only_in(&p.ctx, b, dialect, Dialect::Postgres, "privileges and owners are PostgreSQL's")?;
            if b.ident.as_str() == "permission" {
                privileges::read_permission(&p.ctx, b, &mut realm)?;
            } else {
                privileges::read_owner(&p.ctx, b, &mut realm)?;
            }
        }
    }
    realm.normalize();
    Ok(realm)
}

/// Pass one: every schema, table (with its columns), view and enum, so references resolve
/// whatever the order of blocks and files.
fn declare(dialect: Dialect, parsed: &[Parsed]) -> Result<Symbols, SourceError> {
    let mut syms = Symbols::default();
    if dialect == Dialect::Sqlite {
        syms.schemas.push("main".into());
    }
    for p in parsed {
        for b in p.body.get_blocks("schema") {
            let name = p.ctx.label(b)?;
            ctx_unique(&p.ctx, b, syms.schemas.contains(&name) && name != "main", "schema", &name)?;
            if !syms.schemas.contains(&name) {
                syms.schemas.push(name);
            }
        }
    }
    let mut partitions = Vec::new();
    for p in parsed {
        for b in p.body.blocks() {
            let kind = b.ident.as_str();
            if !["table", "view", "materialized", "enum"].contains(&kind) {
                continue;
            }
            let (schema, name) = placement(&p.ctx, &syms, b)?;
            if kind == "enum" {
                let dup = syms.enums.contains(&(schema.clone(), name.clone()));
                ctx_unique(&p.ctx, b, dup, "enum", &name)?;
                syms.enums.push((schema, name));
                continue;
            }
            let dup = syms.table_in(&schema, &name).is_some();
            ctx_unique(&p.ctx, b, dup, kind, &name)?;
            let columns = if kind == "table" {
                b.body.get_blocks("column").map(|c| p.ctx.label(c)).collect::<Result<_, _>>()?
            } else {
                objects::view_columns(&p.ctx, b)?
            };
            if kind == "table" && b.body.get_blocks("partition_of").next().is_some() {
                partitions.push((syms.tables.len(), &p.ctx, b));
            }
            syms.add_table(TableSym { schema, name, columns });
        }
    }
    // A partition has its parent's columns (parents may themselves be partitions).
    for _ in 0..partitions.len() {
        for (i, ctx, b) in &partitions {
            let parent = partition::parent_of(ctx, &syms, &b.body, &syms.tables[*i].schema);
            let columns = parent.and_then(|(s, n)| syms.table_in(&s, &n));
            if let Some(columns) = columns.map(|t| t.columns.clone()) {
                syms.tables[*i].columns = columns;
            }
        }
    }
    Ok(syms)
}

fn ctx_unique(ctx: &Ctx, b: &Block, dup: bool, kind: &str, name: &str) -> Result<(), SourceError> {
    if dup {
        return Err(ctx.err(
            b.labels.last().and_then(|l| l.span()),
            format!("{kind} {name:?} is declared twice"),
            "declared again here",
            "names are unique per schema; remove or rename one",
        ));
    }
    Ok(())
}

/// The schema and name of a top-level block: `table "s" "t"`, or `table "t"` with
/// `schema = schema.s`, or the only schema there is.
fn placement(ctx: &Ctx, syms: &Symbols, b: &Block) -> Result<(String, String), SourceError> {
    let kind = b.ident.as_str();
    if let [s, n] = b.labels.as_slice() {
        if kind == "table" {
            let schema = s.as_str().to_string();
            if !syms.schemas.contains(&schema) {
                return Err(ctx.err(
                    s.span(),
                    format!("schema {schema:?} is not declared"),
                    "no such schema",
                    &format!("declare it with schema {schema:?} {{}}"),
                ));
            }
            return Ok((schema, n.as_str().to_string()));
        }
    }
    let name = ctx.label(b)?;
    if let Some(a) = attr(&b.body, "schema") {
        return Ok((syms.schema(ctx, &a.value)?, name));
    }
    match syms.schemas.as_slice() {
        [only] => Ok((only.clone(), name)),
        _ => Err(ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("{kind} {name:?} does not say which schema it belongs to"),
            "which schema?",
            "add schema = schema.NAME (and declare that schema with schema \"NAME\" {})",
        )),
    }
}

/// Pass two: one top-level block into the realm.
fn read_block(ctx: &Ctx, syms: &Symbols, dialect: Dialect, b: &Block, realm: &mut Realm) -> Result<(), SourceError> {
    let kind = b.ident.as_str();
    if kind == "schema" {
        ctx.check_body(&b.body, "schema", &["comment", "charset", "collate"], &[])?;
        let name = ctx.label(b)?;
        let comment = table::opt_string(ctx, &b.body, "comment")?;
        schema_mut(realm, &name).comment = comment;
        return Ok(());
    }
    let (schema, name) = match kind {
        "extension" | "trigger" | "sequence" | "domain" | "function" | "procedure" | "event" => {
            let name = ctx.label(b)?;
            match attr(&b.body, "schema") {
                Some(a) => (syms.schema(ctx, &a.value)?, name),
                None if kind == "trigger" => (on_schema(syms, b).unwrap_or_else(|| first_schema(syms)), name),
                None => (first_schema(syms), name),
            }
        }
        _ => placement(ctx, syms, b)?,
    };
    match kind {
        "table" => {
            let sym = syms.table_in(&schema, &name).expect("declared in pass one");
            let t = table::read_table(ctx, syms, dialect, b, sym)?;
            schema_mut(realm, &schema).tables.push(t);
        }
        "view" | "materialized" => {
            let v = objects::read_view(ctx, syms, dialect, b, &schema, name)?;
            schema_mut(realm, &schema).views.push(v);
        }
        "enum" => {
            let e = objects::read_enum(ctx, b, name)?;
            schema_mut(realm, &schema).enums.push(e);
        }
        "sequence" => {
            let s = objects::read_sequence(ctx, syms, b, &schema, name)?;
            schema_mut(realm, &schema).sequences.push(s);
        }
        "domain" => {
            let d = objects::read_domain(ctx, syms, b, &schema, name)?;
            schema_mut(realm, &schema).domains.push(d);
        }
        "extension" => {
            let e = objects::read_extension(ctx, b, name)?;
            schema_mut(realm, &schema).extensions.push(e);
        }
        "function" | "procedure" => {
            let f = functions::read_function(ctx, b, &schema, name)?;
            let functions = &mut schema_mut(realm, &schema).functions;
            if functions.iter().any(|g| g.signature() == f.signature()) {
                return Err(ctx.err(
                    b.labels.first().and_then(|l| l.span()),
                    format!("{} {schema}.{} is declared twice", b.ident.as_str(), f.signature()),
                    "declared again here",
                    "overloads need different identity arguments; remove or rename one",
                ));
            }
            functions.push(f);
        }
        "event" => {
            only_in(ctx, b, dialect, Dialect::Mysql, "scheduled events are MySQL's and MariaDB's")?;
            let e = events::read_event(ctx, b, name)?;
            let events = &mut schema_mut(realm, &schema).events;
            if events.iter().any(|x| x.name == e.name) {
                return Err(ctx.err(
                    b.labels.first().and_then(|l| l.span()),
                    format!("event {:?} is declared twice in schema {schema:?}", e.name),
                    "declared again here",
                    "event names are unique per schema; remove or rename one",
                ));
            }
            events.push(e);
        }
        _ => {
            let t = objects::read_trigger(ctx, syms, b, &schema, name)?;
            schema_mut(realm, &schema).triggers.push(t);
        }
    }
    Ok(())
}

/// Refuses block `b` unless the dialect is `only`.
fn only_in(ctx: &Ctx, b: &Block, dialect: Dialect, only: Dialect, why: &str) -> Result<(), SourceError> {
    if dialect == only {
        return Ok(());
    }
    Err(ctx.err(
        b.ident.span(),
        format!("`{}` blocks are not read for {dialect}: {why}", b.ident.as_str()),
        "not for this database",
        "remove the block, or load the file for the database it is written for",
    ))
}

/// A `policy` block into the table it is on; names are unique per table.
fn read_policy(ctx: &Ctx, syms: &Symbols, b: &Block, realm: &mut Realm) -> Result<(), SourceError> {
    let on = policies::read_policy(ctx, syms, b, &on_schema(syms, b).unwrap_or_else(|| first_schema(syms)))?;
    let table = schema_mut(realm, &on.schema).tables.iter_mut().find(|t| t.name == on.table);
    let Some(table) = table else {
        return Err(ctx.err(
            attr(&b.body, "on").and_then(|a| a.value.span()),
            format!("{:?} is a view, and policies are on tables", on.table),
            "not a table",
            "name a table",
        ));
    };
    if table.policies.iter().any(|p| p.name == on.policy.name) {
        return Err(ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("policy {:?} on table {:?} is declared twice", on.policy.name, on.table),
            "declared again here",
            "policy names are unique per table; remove or rename one",
        ));
    }
    table.policies.push(on.policy);
    Ok(())
}

/// The schema of the table a trigger's `on` names, when it says so.
fn on_schema(syms: &Symbols, b: &Block) -> Option<String> {
    let p = path(&attr(&b.body, "on")?.value)?;
    match p.as_slice() {
        [_, s, _] => Some(s.clone()),
        [_, t] => syms.named(t).next().map(|x| x.schema.clone()),
        _ => None,
    }
}

fn first_schema(syms: &Symbols) -> String {
    syms.schemas.first().cloned().unwrap_or_default()
}

fn schema_mut<'r>(realm: &'r mut Realm, name: &str) -> &'r mut Schema {
    if let Some(i) = realm.schemas.iter().position(|s| s.name == name) {
        return &mut realm.schemas[i];
    }
    realm.schemas.push(Schema::named(name));
    realm.schemas.last_mut().expect("just pushed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_inside_a_multibyte_character_is_an_error_at_it() {
        // hcl-edit reports this error at byte 3, inside the three bytes of `猗` (found by
        // `cargo fuzz run hcl_load`; it panicked cutting the text there).
        let file = SourceFile::new("x.hcl", "b{猗");
        for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
            let err = load(dialect, std::slice::from_ref(&file)).unwrap_err();
            assert!(err.to_string().starts_with("x.hcl:1:3: HCL syntax error"), "{err}");
        }
        let err = format_text(&file).unwrap_err();
        assert!(err.to_string().starts_with("x.hcl:1:3: HCL syntax error"), "{err}");
    }
}
