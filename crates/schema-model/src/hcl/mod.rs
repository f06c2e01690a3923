//! HCL schema files in Atlas's dialect: read into the model (with errors that point into the
//! file), written canonically from it, and formatted in place.

mod constraints;
mod format;
mod objects;
mod references;
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

pub use format::format_text;
pub use writer::{uncovered, write};

/// The top-level blocks a schema file may hold.
const TOP_BLOCKS: &[&str] =
    &["schema", "table", "view", "materialized", "enum", "sequence", "domain", "extension", "trigger"];

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
        for b in p.body.blocks() {
            read_block(&p.ctx, &syms, dialect, b, &mut realm)?;
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
            let dup = syms.tables.iter().any(|t| t.schema == schema && t.name == name);
            ctx_unique(&p.ctx, b, dup, kind, &name)?;
            let columns = if kind == "table" {
                b.body.get_blocks("column").map(|c| p.ctx.label(c)).collect::<Result<_, _>>()?
            } else {
                objects::view_columns(&p.ctx, b)?
            };
            syms.tables.push(TableSym { schema, name, columns });
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
        "extension" | "trigger" | "sequence" | "domain" => {
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
            let sym = syms.tables.iter().find(|t| t.schema == schema && t.name == name).expect("declared in pass one");
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
        _ => {
            let t = objects::read_trigger(ctx, syms, b, &schema, name)?;
            schema_mut(realm, &schema).triggers.push(t);
        }
    }
    Ok(())
}

/// The schema of the table a trigger's `on` names, when it says so.
fn on_schema(syms: &Symbols, b: &Block) -> Option<String> {
    let p = path(&attr(&b.body, "on")?.value)?;
    match p.as_slice() {
        [_, s, _] => Some(s.clone()),
        [_, t] => syms.tables.iter().find(|x| x.name == *t).map(|x| x.schema.clone()),
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
