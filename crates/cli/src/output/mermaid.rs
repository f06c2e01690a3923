//! A model as a Mermaid entity-relationship diagram: tables with their columns and keys, and
//! one relationship per foreign key.

use std::fmt::Write;

use schema_model::{Realm, Table};

/// The realm as an `erDiagram`; tables of schemas other than the only one are prefixed with
/// their schema.
pub fn realm_mermaid(realm: &Realm) -> String {
    let qualify = realm.schemas.len() > 1;
    let name = |schema: &str, table: &str| {
        if qualify {
            entity(&format!("{schema}.{table}"))
        } else {
            entity(table)
        }
    };
    let mut out = String::from("erDiagram\n");
    for s in &realm.schemas {
        for t in &s.tables {
            let _ = writeln!(out, "  {} {{", name(&s.name, &t.name));
            for c in &t.columns {
                let keys = keys(t, &c.name);
                let _ = writeln!(out, "    {} {}{}", word(&c.ty.canonical), word(&c.name), keys);
            }
            let _ = writeln!(out, "  }}");
        }
    }
    for s in &realm.schemas {
        for t in &s.tables {
            for fk in &t.foreign_keys {
                let target = name(fk.ref_schema.as_deref().unwrap_or(&s.name), &fk.ref_table);
                let optional = fk.columns.iter().any(|c| t.column(c).is_some_and(|c| c.nullable));
                let card = if optional { "|o" } else { "||" };
                let label = fk.name.as_ref().map_or_else(|| fk.columns.join(", "), |n| n.to_string());
                let _ = writeln!(
                    out,
                    "  {} }}o--{card} {target} : \"{}\"",
                    name(&s.name, &t.name),
                    label.replace('"', "'")
                );
            }
        }
    }
    out
}

/// ` PK`, ` FK`, ` UK` or a combination, for a column.
fn keys(t: &Table, column: &str) -> String {
    let mut k = Vec::new();
    let c = schema_model::CompactString::from(column);
    if t.primary_key.as_ref().is_some_and(|pk| pk.columns.contains(&c)) {
        k.push("PK");
    }
    if t.foreign_keys.iter().any(|f| f.columns.contains(&c)) {
        k.push("FK");
    }
    let unique_index = t.indexes.iter().any(|i| {
        i.unique
            && i.parts.len() == 1
            && i.predicate.is_none()
            && matches!(&i.parts[0].key, schema_model::IndexKey::Column(x) if *x == c)
    });
    if t.uniques.iter().any(|u| u.columns == [c.clone()]) || unique_index {
        k.push("UK");
    }
    if k.is_empty() {
        String::new()
    } else {
        format!(" {}", k.join(","))
    }
}

/// An entity name Mermaid accepts: letters, digits, `_` and `-`; anything else becomes `_`.
fn entity(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

/// A column name or type as one Mermaid word (`character varying(20)` →
/// `character_varying(20)`).
fn word(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || "_-()[]".contains(c) { c } else { '_' }).collect()
}
