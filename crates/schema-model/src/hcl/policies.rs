//! Row-level security policies in HCL (PostgreSQL), in Atlas's form: a top-level
//! `policy "name" { on = table.T, for, to, as, using, check }`.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use hcl_edit::Span;

use super::references::Symbols;
use super::table::opt_string;
use super::values::{attr, plain_string, Ctx};
use super::writer::{attr as hattr, ident, label, list, reference, word};
use crate::sql::SourceError;
use crate::{Policy, Realm, Schema};

/// The commands a policy may apply to.
const COMMANDS: &[&str] = &["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"];

/// A policy block read: the schema and table it is on, and the policy.
pub(super) struct OnTable {
    /// The table's schema.
    pub schema: String,
    /// The table's name.
    pub table: String,
    /// The policy.
    pub policy: Policy,
}

/// `policy "name" { on, for, to, as, using, check, comment }`.
pub(super) fn read_policy(ctx: &Ctx, syms: &Symbols, b: &Block, schema: &str) -> Result<OnTable, SourceError> {
    let body = &b.body;
    let name = ctx.label(b)?;
    let what = format!("policy {name:?}");
    ctx.check_body(body, &what, &["on", "for", "to", "as", "using", "check", "comment"], &[])?;
    let on = attr(body, "on").ok_or_else(|| {
        ctx.err(
            b.labels.first().and_then(|l| l.span()),
            format!("{what} does not say which table it is on"),
            "declared here",
            "add on = table.NAME",
        )
    })?;
    let t = syms.table(ctx, &on.value, schema)?;
    let command = match attr(body, "for") {
        None => "ALL".to_string(),
        Some(a) => ctx.choice(
            a,
            COMMANDS,
            "policy command {} is not one of ALL, SELECT, INSERT, UPDATE, DELETE",
            "unknown command",
            "write for = ALL, SELECT, INSERT, UPDATE or DELETE",
        )?,
    };
    let permissive = match attr(body, "as") {
        None => true,
        Some(a) => match ctx.word(a)?.to_ascii_uppercase().as_str() {
            "PERMISSIVE" => true,
            "RESTRICTIVE" => false,
            w => {
                return Err(ctx.err(
                    a.value.span(),
                    format!("policy kind {w:?} is not PERMISSIVE or RESTRICTIVE"),
                    "unknown kind",
                    "write as = PERMISSIVE or as = RESTRICTIVE",
                ))
            }
        },
    };
    let roles = match attr(body, "to") {
        None => vec!["PUBLIC".to_string()],
        Some(a) => {
            let mut roles = Vec::new();
            for e in ctx.array(a)? {
                roles.push(match e {
                    Expression::Variable(v) => v.as_str().to_string(),
                    e => plain_string(e).ok_or_else(|| ctx.expected(a, "a list of roles"))?,
                });
            }
            roles
        }
    };
    let policy = Policy {
        name,
        command,
        permissive,
        roles,
        using: attr(body, "using").map(|a| ctx.sql_text(a)).transpose()?,
        check: attr(body, "check").map(|a| ctx.sql_text(a)).transpose()?,
        comment: opt_string(ctx, body, "comment")?,
    };
    Ok(OnTable { schema: t.schema.clone(), table: t.name.clone(), policy })
}

/// The block of policy `p` on table `table` of `s`.
pub(super) fn policy_block(realm: &Realm, s: &Schema, table: &str, p: &Policy) -> Block {
    let on = if realm.schemas.len() > 1 { reference(&["table", &s.name, table]) } else { reference(&["table", table]) };
    let mut b = Block::builder(ident("policy"))
        .label(label(&p.name))
        .attribute(hattr("on", on))
        .attribute(hattr("for", word(&p.command)))
        .attribute(hattr("to", list(p.roles.iter().map(|r| word(r)).collect())));
    if !p.permissive {
        b = b.attribute(hattr("as", word("RESTRICTIVE")));
    }
    if let Some(u) = &p.using {
        b = b.attribute(hattr("using", u.as_str()));
    }
    if let Some(c) = &p.check {
        b = b.attribute(hattr("check", c.as_str()));
    }
    if let Some(c) = &p.comment {
        b = b.attribute(hattr("comment", c.as_str()));
    }
    b.build()
}
