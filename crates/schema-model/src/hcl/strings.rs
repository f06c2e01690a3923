//! Text that reads back exactly. hcl-edit 0.10's encoder (hcl-primitives 0.1.13's
//! `escape_markers`) doubles only the first of a run of `$`/`%` that directly precedes `${` or
//! `%{` once a first marker was seen: `${$${` is written `"$${$${"`, which reads back `${${`.
//! Every string the writer puts into a file goes through [`text`], which falls back to a
//! template spelling the run's extra characters as interpolations; block labels cannot hold
//! templates, so a name hcl-edit cannot write as a label is refused ([`label_fits`]).

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::template::{Element, Interpolation, StringTemplate};
use hcl_edit::{Decor, Decorate, Decorated, Ident};

/// `$` and `%` start template markers when `{` follows.
fn is_marker(c: char) -> bool {
    c == '$' || c == '%'
}

/// `s` as an HCL string value: a plain string where hcl-edit writes it faithfully, else a
/// template that reads back as exactly `s`.
pub(super) fn text(s: &str) -> Expression {
    let plain = Expression::from(s);
    if !s.contains('{') || reads_back(&plain.to_string(), s) {
        return plain;
    }
    let mut elements: Vec<Element> = Vec::new();
    let mut literal = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_marker(chars[i]) {
            literal.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_marker(chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        if chars.get(i) != Some(&'{') {
            literal.extend(run);
            continue;
        }
        // All of the run but its last character as `${"$"}`, so that no literal ends in a
        // marker character right before an interpolation and only single markers meet `{`.
        for c in &run[..run.len() - 1] {
            if !literal.is_empty() {
                elements.push(Element::from(std::mem::take(&mut literal)));
            }
            let mut one = Expression::from(c.to_string());
            *one.decor_mut() = Decor::new("", "");
            elements.push(Element::Interpolation(Interpolation::new(one)));
        }
        literal.push(run[run.len() - 1]);
    }
    if !literal.is_empty() {
        elements.push(Element::from(literal));
    }
    Expression::StringTemplate(StringTemplate::from(elements))
}

/// True when the expression `written` reads back as the plain text `want`.
fn reads_back(written: &str, want: &str) -> bool {
    hcl_edit::parser::parse_expr(written).is_ok_and(|e| super::values::plain_string(&e).as_deref() == Some(want))
}

/// True when hcl-edit writes `name` as a block label that reads back the same (only names
/// with `{` can go wrong: labels cannot hold templates).
pub(super) fn label_fits(name: &str) -> bool {
    if !name.contains('{') {
        return true;
    }
    let mut body = Body::new();
    body.push(Block::builder(Ident::new("x")).label(BlockLabel::String(Decorated::new(name.to_string()))).build());
    let read = hcl_edit::parser::parse_body(&body.to_string());
    read.ok().and_then(|b| b.blocks().next().and_then(|b| b.labels.first().map(|l| l.as_str() == name))) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the expression `written` reads back as.
    fn reads(written: &str) -> Option<String> {
        hcl_edit::parser::parse_expr(written).ok().and_then(|e| super::super::values::plain_string(&e))
    }

    /// The text of `s` as written, and what it reads back as.
    fn trip(s: &str) -> (String, Option<String>) {
        let written = text(s).to_string();
        let back = reads(&written);
        (written, back)
    }

    #[test]
    fn the_value_the_proptest_found_reads_back() {
        // hcl-edit alone writes "$${$${", which reads `${${`.
        assert_eq!(Expression::from("${$${").to_string(), "\"$${$${\"");
        let (written, back) = trip("${$${");
        assert_eq!(written, "\"$${${\"$\"}$${\"");
        assert_eq!(back.as_deref(), Some("${$${"));
    }

    #[test]
    fn runs_of_markers_before_a_marker_read_back() {
        // Each of these hcl-edit alone writes wrongly (a run of two meets `{` out of step).
        for s in ["${a}$${", "%{x}%%{", "${$%{", "${ $${ }", "${ $$$${ }", "a${b}c$${d}$"] {
            assert_ne!(
                reads(&Expression::from(s).to_string()).as_deref(),
                Some(s),
                "{s:?} is a case hcl-edit gets wrong"
            );
            let (written, back) = trip(s);
            assert_eq!(back.as_deref(), Some(s), "{s:?} was written {written}");
            assert!(written.contains("${\""), "{s:?} needs a template: {written}");
        }
    }

    #[test]
    fn strings_hcl_edit_writes_faithfully_stay_plain() {
        for s in ["", "plain", "$${", "a$${", "${x}", "%{", "$$%{", "%{$$${", "x$", "say \"hi\"\n\\", "é${"] {
            let (written, back) = trip(s);
            assert_eq!(back.as_deref(), Some(s), "{s:?} was written {written}");
            assert_eq!(written, Expression::from(s).to_string(), "{s:?} stays a plain string");
        }
    }

    #[test]
    fn labels_that_cannot_be_written_are_told_apart() {
        for ok in ["users", "a b", "it's \"odd\"", "${x}", "$${", "Län", "%{"] {
            assert!(label_fits(ok), "{ok:?}");
        }
        for bad in ["${$${", "${a}$${", "%{%%{"] {
            assert!(!label_fits(bad), "{bad:?}");
        }
    }
}
