//! Canonical layout of HCL text: two-space indentation, one space around `=`, a blank line
//! between top-level blocks, comments kept. Used by the writer and by `schema fmt`.

use hcl_edit::structure::Body;
use hcl_edit::{Decor, Decorate};

use crate::sql::{SourceError, SourceFile};

/// Formats HCL text; a syntax error points into the file.
pub fn format_text(file: &SourceFile) -> Result<String, SourceError> {
    let mut body = hcl_edit::parser::parse_body(&file.text).map_err(|e| {
        let at = e.location().offset();
        file.error_at((at, 1), format!("HCL syntax error: {}", e.message()), e.message(), None)
    })?;
    Ok(format_body(&mut body))
}

/// Lays a body out canonically and renders it.
pub(super) fn format_body(body: &mut Body) -> String {
    let trailing = comments(body.decor().suffix().map(|s| &**s).unwrap_or(""), "");
    let leading = comments(body.decor().prefix().map(|s| &**s).unwrap_or(""), "");
    layout(body, 0);
    *body.decor_mut() = Decor::default();
    body.set_prefer_omit_trailing_newline(false);
    let mut out = format!("{leading}{body}");
    out.push_str(&trailing);
    out
}

/// Sets the decor of every structure of `body` at nesting `depth`.
fn layout(body: &mut Body, depth: usize) {
    let indent = "  ".repeat(depth);
    for (i, mut s) in body.iter_mut().enumerate() {
        let blank = if depth == 0 && i > 0 { "\n" } else { "" };
        let old = s.decor().clone();
        let kept = comments(old.prefix().map(|s| &**s).unwrap_or(""), &indent);
        let suffix = old.suffix().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        *s.decor_mut() =
            Decor::new(format!("{blank}{kept}{indent}"), suffix.map(|s| format!(" {s}")).unwrap_or_default());
        if let Some(mut a) = s.as_attribute_mut() {
            a.key_decor_mut().clear();
            a.value_mut().decor_mut().clear();
        } else if let Some(b) = s.as_block_mut() {
            b.ident.decor_mut().clear();
            for l in &mut b.labels {
                l.decor_mut().clear();
            }
            let inner_trailing = comments(b.body.decor().suffix().map(|s| &**s).unwrap_or(""), &"  ".repeat(depth + 1));
            // A comment right after `{` stays on that line.
            let opening = b.body.decor().prefix().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            let opening = opening.map(|c| format!(" {c}")).unwrap_or_default();
            layout(&mut b.body, depth + 1);
            if b.body.is_empty() && inner_trailing.is_empty() && opening.is_empty() {
                *b.body.decor_mut() = Decor::new("", "");
                b.body.set_prefer_oneline(true);
            } else {
                *b.body.decor_mut() = Decor::new(opening, format!("{inner_trailing}{indent}"));
                b.body.set_prefer_oneline(false);
            }
        }
    }
}

/// The comment lines of a decor, each re-indented and ending in a newline.
fn comments(raw: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in raw.lines() {
        let t = line.trim();
        if in_block || t.starts_with('#') || t.starts_with("//") || t.starts_with("/*") {
            out.push_str(indent);
            out.push_str(t);
            out.push('\n');
            in_block = (in_block || t.starts_with("/*")) && !t.ends_with("*/");
        }
    }
    out
}
