//! Which `ALTER TABLE` algorithm each MySQL change allows, so `--online` can ask for
//! `ALGORITHM=INSTANT` or `ALGORITHM=INPLACE, LOCK=NONE` and the server refuses rather than
//! silently copying, and LK105 flags the changes only a copy can make. Every rule was checked
//! against MariaDB 10.11 (InnoDB); where MySQL 8 differs the rule says so. A rule that is not
//! sure says INPLACE rather than INSTANT (INPLACE also admits instant changes) or COPY.

use schema_model::{Column, Index, Table};

use crate::change::TableChange;

/// The cheapest algorithm a change allows; the ALTER that combines changes takes the dearest.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Algorithm {
    /// Metadata only.
    Instant,
    /// Built in place while writes go on (`LOCK=NONE`).
    Inplace,
    /// Only a table copy, which blocks writes; the text says which change forces it.
    Copy(String),
}

impl Algorithm {
    /// The clause `--online` appends to the ALTER, if the server can avoid the copy.
    pub fn clause(&self) -> Option<&'static str> {
        match self {
            // MySQL 8 permits only LOCK=DEFAULT with INSTANT, so no LOCK clause here.
            Algorithm::Instant => Some("ALGORITHM=INSTANT"),
            Algorithm::Inplace => Some("ALGORITHM=INPLACE, LOCK=NONE"),
            Algorithm::Copy(_) => None,
        }
    }
}

/// The algorithm of the one ALTER that makes `changes` (foreign keys apart) on `from`.
pub fn of_alter(from: &Table, changes: &[TableChange]) -> Algorithm {
    let engine = from.options.engine.as_deref().unwrap_or("InnoDB");
    if !engine.eq_ignore_ascii_case("InnoDB") {
        return Algorithm::Copy(format!("the {engine} engine changes tables by copying them"));
    }
    changes.iter().map(of_change).max().unwrap_or(Algorithm::Instant)
}

/// Adding a foreign key checks every row; with `foreign_key_checks` on, InnoDB copies.
pub fn of_add_foreign_key(name: &str) -> Algorithm {
    Algorithm::Copy(format!("foreign key {name} is added"))
}

fn of_change(c: &TableChange) -> Algorithm {
    match c {
        TableChange::AddColumn { column } => of_add_column(column),
        // MySQL 8 drops columns instantly only from 8.0.29 on; INPLACE works on both.
        TableChange::DropColumn { .. } => Algorithm::Inplace,
        TableChange::RenameColumn { .. } => Algorithm::Instant,
        TableChange::ModifyColumn { from: a, to: b } => of_modify_column(a, b),
        TableChange::SetPrimaryKey { to: None, .. } => Algorithm::Copy("the primary key is dropped".into()),
        TableChange::SetPrimaryKey { .. } => Algorithm::Inplace,
        TableChange::AddIndex { index } | TableChange::ModifyIndex { to: index, .. } => of_index(index),
        TableChange::AddUnique { .. } | TableChange::DropUnique { .. } | TableChange::DropIndex { .. } => {
            Algorithm::Inplace
        }
        TableChange::AddCheck { check } => {
            Algorithm::Copy(format!("check {} is added", check.name.as_deref().unwrap_or("")))
        }
        TableChange::DropCheck { .. } => Algorithm::Inplace,
        TableChange::SetOptions { from: a, to: b } => {
            if a.engine != b.engine || a.charset != b.charset || a.collation != b.collation {
                Algorithm::Copy("the table's engine or character set changes".into())
            } else {
                Algorithm::Inplace
            }
        }
        TableChange::SetComment { .. } | TableChange::ReorderColumns => Algorithm::Inplace,
        // Foreign keys run as statements of their own; the rest are metadata.
        _ => Algorithm::Inplace,
    }
}

fn of_add_column(c: &Column) -> Algorithm {
    let name = &c.name;
    if c.auto_increment {
        return Algorithm::Copy(format!("AUTO_INCREMENT column {name} is added"));
    }
    if c.generated.as_ref().is_some_and(|g| g.stored) {
        return Algorithm::Copy(format!("stored generated column {name} is added"));
    }
    let computed = c.default.as_deref().is_some_and(|d| {
        let d = d.to_lowercase();
        d.contains('(') && !d.starts_with("current_timestamp")
    });
    if computed {
        return Algorithm::Copy(format!("column {name} gets a default computed per row"));
    }
    // MySQL 8 adds columns instantly anywhere only from 8.0.29 on (at the end from 8.0.12).
    Algorithm::Inplace
}

fn of_modify_column(a: &Column, b: &Column) -> Algorithm {
    let name = &b.name;
    if a.ty.canonical != b.ty.canonical && !extends(&a.ty.canonical, &b.ty.canonical) {
        return Algorithm::Copy(format!("column {name} changes type from {} to {}", a.ty.canonical, b.ty.canonical));
    }
    if a.collation != b.collation {
        // MariaDB changes the collation of a column outside any index instantly; MySQL 8 copies.
        return Algorithm::Copy(format!("column {name} changes collation"));
    }
    if a.generated != b.generated || a.auto_increment != b.auto_increment {
        return Algorithm::Copy(format!("column {name} changes generation or AUTO_INCREMENT"));
    }
    Algorithm::Inplace
}

/// A type change InnoDB makes in place: a longer VARCHAR/VARBINARY, or labels added at the end
/// of an ENUM/SET. MySQL 8 extends a VARCHAR in place only while its length prefix stays one
/// byte (under 256 bytes) or was already two; MariaDB 10.11 accepts any longer length.
fn extends(from: &str, to: &str) -> bool {
    let split = |t: &str| t.split_once('(').map(|(b, r)| (b.trim().to_string(), r.trim_end_matches(')').to_string()));
    match (split(from), split(to)) {
        (Some((fb, fa)), Some((tb, ta))) if fb == tb && matches!(fb.as_str(), "varchar" | "varbinary") => {
            matches!((fa.parse::<u64>(), ta.parse::<u64>()), (Ok(x), Ok(y)) if y >= x)
        }
        (Some((fb, fa)), Some((tb, ta))) if fb == tb && matches!(fb.as_str(), "enum" | "set") => {
            ta.starts_with(&fa) && ta.len() > fa.len() && ta[fa.len()..].starts_with(',')
        }
        _ => false,
    }
}

fn of_index(i: &Index) -> Algorithm {
    match i.method.as_deref().map(str::to_uppercase).as_deref() {
        Some("FULLTEXT") | Some("SPATIAL") => Algorithm::Copy(format!(
            "{} index {} blocks writes while it is built",
            i.method.as_deref().unwrap_or(""),
            i.name
        )),
        _ => Algorithm::Inplace,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_varchar_and_appended_labels_extend() {
        assert!(extends("varchar(20)", "varchar(50)"));
        assert!(!extends("varchar(50)", "varchar(20)"));
        assert!(extends("enum('a','b')", "enum('a','b','c')"));
        assert!(!extends("enum('a','b')", "enum('b','a')"));
        assert!(!extends("int", "bigint"));
    }
}
