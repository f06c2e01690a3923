//! Functions and procedures in HCL (PostgreSQL): `function "name"` / `procedure "name"` with
//! `as` holding the whole `CREATE OR REPLACE` statement as the server renders it; the argument
//! list and result are read from its first lines unless given.

use hcl_edit::structure::Block;
use hcl_edit::Span;

use super::table::opt_string;
use super::values::{attr, Ctx};
use super::writer::{attr as hattr, ident, label, schema_attr, texts};
use crate::sql::offline::pg_quote_qualified;
use crate::sql::SourceError;
use crate::{Function, Schema};

/// The argument list and (for a function) result that `pg_get_functiondef`'s first two lines
/// give: `CREATE OR REPLACE FUNCTION s.f(ARGS)` and ` RETURNS RESULT`.
fn header(schema: &str, name: &str, procedure: bool, definition: &str) -> (Option<String>, Option<String>) {
    let kind = if procedure { "PROCEDURE" } else { "FUNCTION" };
    let mut lines = definition.lines();
    let prefix = format!("CREATE OR REPLACE {kind} {}(", pg_quote_qualified(schema, name));
    let args = lines.next().and_then(|l| l.strip_prefix(&prefix)).and_then(|l| l.strip_suffix(')'));
    let result = if procedure { None } else { lines.next().and_then(|l| l.strip_prefix(" RETURNS ")) };
    (args.map(str::to_string), result.map(str::to_string))
}

/// `function "name" { schema, as, args, identity_args, return, types, comment }`, and
/// `procedure` likewise without `return`.
pub(super) fn read_function(ctx: &Ctx, b: &Block, schema: &str, name: String) -> Result<Function, SourceError> {
    let body = &b.body;
    let procedure = b.ident.as_str() == "procedure";
    let what = format!("{} {name:?}", b.ident.as_str());
    let attrs: &[&str] = if procedure {
        &["schema", "as", "args", "identity_args", "types", "comment"]
    } else {
        &["schema", "as", "args", "identity_args", "return", "types", "comment"]
    };
    ctx.check_body(body, &what, attrs, &[])?;
    let def = attr(body, "as").ok_or_else(|| {
        ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("{what} has no definition"),
            "declared here",
            &format!("add as = \"CREATE OR REPLACE {} ...\"", b.ident.as_str().to_ascii_uppercase()),
        )
    })?;
    let definition = ctx.sql_text(def)?;
    let (head_args, head_result) = header(schema, &name, procedure, &definition);
    let args = opt_string(ctx, body, "args")?.or(head_args).unwrap_or_default();
    Ok(Function {
        identity_args: opt_string(ctx, body, "identity_args")?.unwrap_or_else(|| args.clone()),
        result: opt_string(ctx, body, "return")?.or(head_result).unwrap_or_default(),
        types: attr(body, "types").map(|a| ctx.strings(a)).transpose()?.unwrap_or_default(),
        comment: opt_string(ctx, body, "comment")?,
        name,
        args,
        procedure,
        definition,
    })
}

/// The block of routine `f` of schema `s`, leaving out what its definition already says.
pub(super) fn function_block(s: &Schema, f: &Function) -> Block {
    let kind = if f.procedure { "procedure" } else { "function" };
    let (head_args, head_result) = header(&s.name, &f.name, f.procedure, &f.definition);
    let mut b = Block::builder(ident(kind)).label(label(&f.name)).attribute(schema_attr(s));
    if head_args.as_deref().unwrap_or_default() != f.args {
        b = b.attribute(hattr("args", f.args.as_str()));
    }
    if f.identity_args != f.args {
        b = b.attribute(hattr("identity_args", f.identity_args.as_str()));
    }
    if !f.procedure && head_result.as_deref().unwrap_or_default() != f.result {
        b = b.attribute(hattr("return", f.result.as_str()));
    }
    if !f.types.is_empty() {
        b = b.attribute(hattr("types", texts(&f.types)));
    }
    b = b.attribute(hattr("as", f.definition.as_str()));
    if let Some(c) = &f.comment {
        b = b.attribute(hattr("comment", c.as_str()));
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_gives_arguments_and_result() {
        let def = "CREATE OR REPLACE FUNCTION public.add(a integer, b integer DEFAULT 1)\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a + b$function$\n";
        assert_eq!(
            header("public", "add", false, def),
            (Some("a integer, b integer DEFAULT 1".into()), Some("integer".into()))
        );
        let def = "CREATE OR REPLACE PROCEDURE \"My\".\"do it\"()\n LANGUAGE sql\nAS $procedure$SELECT 1$procedure$\n";
        assert_eq!(header("My", "do it", true, def), (Some(String::new()), None));
        assert_eq!(header("public", "other", false, def), (None, None));
    }
}
