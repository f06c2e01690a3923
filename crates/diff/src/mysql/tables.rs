//! Table steps on MySQL: create, drop, rename, and one combined `ALTER TABLE` for the changes
//! inside a table, with foreign keys dropped before it and added after it.

use foldhash::{HashMap, HashMapExt};

use schema_model::{Column, Table};

use super::algorithm::{self, Algorithm};
use super::key;
use super::render::{check, column_def, create_table, foreign_key, index, primary_key, q, table_options};
use super::MysqlRules;
use crate::change::TableChange;
use crate::hazards::{Conversion, Fact, NewColumnRows, Storage, TableRef, TypeLimit};
use crate::order::{Draft, Phase};
use crate::plan::Step;
use crate::rules::Rules;
use crate::DiffError;

/// Creates a table with its indexes; its foreign keys are added once every table exists.
pub fn add_table(t: &Table) -> Vec<Draft> {
    let step = Step::new(
        format!("create table {}", q(&t.name)),
        vec![create_table(t)],
        vec![format!("DROP TABLE {}", q(&t.name))],
    )
    .with_fact(Fact::CreateTable { table: TableRef::new("", &t.name) });
    let mut d = Draft::new(step, Phase::CreateTable, key(&t.name));
    d.provides = vec![key(&t.name)];
    let mut out = vec![d];
    out.extend(t.foreign_keys.iter().map(|fk| fk_draft(&t.name, fk)));
    out
}

/// Drops a table; its foreign keys to other tables the plan drops or alters (`touched`) go
/// first.
pub fn drop_table(t: &Table, touched: &[String]) -> Vec<Draft> {
    let mut out = Vec::new();
    for fk in t.foreign_keys.iter().filter(|fk| {
        fk.ref_schema.is_none() && key(&fk.ref_table) != key(&t.name) && touched.contains(&key(&fk.ref_table))
    }) {
        let s = Step::new(
            format!("drop foreign key {} on {}", q(fk.name.as_deref().unwrap_or("")), q(&t.name)),
            vec![format!("ALTER TABLE {} DROP FOREIGN KEY {}", q(&t.name), q(fk.name.as_deref().unwrap_or("")))],
            vec![format!("ALTER TABLE {} ADD {}", q(&t.name), foreign_key(fk))],
        );
        out.push(Draft::new(s, Phase::DropForeignKey, key(&t.name)));
    }
    let mut reverse = vec![create_table(t)];
    reverse.extend(t.foreign_keys.iter().map(|fk| format!("ALTER TABLE {} ADD {}", q(&t.name), foreign_key(fk))));
    let mut s = Step::new(format!("drop table {}", q(&t.name)), vec![format!("DROP TABLE {}", q(&t.name))], reverse);
    s.irreversible = Some(format!("the rows of table {} cannot come back", t.name));
    s.facts.push(Fact::DropTable { table: TableRef::new("", &t.name) });
    let mut d = Draft::new(s, Phase::DropTable, key(&t.name));
    d.removes = vec![key(&t.name)];
    d.soft_reads = t.foreign_keys.iter().map(|fk| key(&fk.ref_table)).collect();
    out.push(d);
    out
}

/// Renames a table.
pub fn rename_table(from: &str, to: &str) -> Draft {
    let mut s = Step::new(
        format!("rename table {} to {}", q(from), q(to)),
        vec![format!("RENAME TABLE {} TO {}", q(from), q(to))],
        vec![format!("RENAME TABLE {} TO {}", q(to), q(from))],
    );
    s.facts.push(Fact::RenameTable { from: TableRef::new("", from), to: to.into() });
    let mut d = Draft::new(s, Phase::RenameTable, key(to));
    d.provides = vec![key(to)];
    d.removes = vec![key(from)];
    d
}

/// Adds a foreign key; on a table created earlier in the plan the analyzers drop its copy fact.
fn fk_draft(table: &str, fk: &schema_model::ForeignKey) -> Draft {
    let name = fk.name.as_deref().unwrap_or("");
    let mut s = Step::new(
        format!("add foreign key {} on {}", q(name), q(table)),
        vec![format!("ALTER TABLE {} ADD {}", q(table), foreign_key(fk))],
        vec![format!("ALTER TABLE {} DROP FOREIGN KEY {}", q(table), q(name))],
    );
    if let Algorithm::Copy(why) = algorithm::of_add_foreign_key(name) {
        s.facts.push(Fact::TableCopy { table: TableRef::new("", table), why });
    }
    let mut d = Draft::new(s, Phase::AddForeignKey, key(table));
    d.reads = vec![key(table), key(&fk.ref_table)];
    d
}

/// Where each column must be placed: `FIRST`, `AFTER x`, or nowhere (already in place).
fn placements(from: &Table, to: &Table, changes: &[TableChange]) -> HashMap<String, String> {
    let renames: HashMap<String, String> = changes
        .iter()
        .filter_map(|c| match c {
            TableChange::RenameColumn { from, to } => Some((from.to_lowercase(), to.clone())),
            _ => None,
        })
        .collect();
    let desired: Vec<String> = to.columns.iter().map(|c| c.name.as_str().to_lowercase()).collect();
    let mut current: Vec<String> = from
        .columns
        .iter()
        .map(|c| {
            renames
                .get(&c.name.as_str().to_lowercase())
                .map(|n| n.to_lowercase())
                .unwrap_or_else(|| c.name.as_str().to_lowercase())
        })
        .filter(|n| desired.contains(n))
        .collect();
    let mut out = HashMap::new();
    for (i, name) in desired.iter().enumerate() {
        let here = current.iter().position(|c| c == name);
        if here == Some(i) {
            continue;
        }
        if let Some(p) = here {
            current.remove(p);
        }
        current.insert(i.min(current.len()), name.clone());
        let place = if i == 0 { "FIRST".to_string() } else { format!("AFTER {}", q(&to.columns[i - 1].name)) };
        out.insert(name.clone(), place);
    }
    out
}

/// The clauses of one `ALTER TABLE` that turns `from` into `to` (foreign keys apart).
fn alter_clauses(from: &Table, to: &Table, changes: &[TableChange]) -> Vec<String> {
    let place = placements(from, to, changes);
    // MariaDB: redefining a column drops its column-level check (one named after it), so a
    // redefinition carries the desired one along unless a clause of its own adds it.
    let own_check = |c: &Column| -> String {
        let named = |n: Option<&str>| n.is_some_and(|n| n.eq_ignore_ascii_case(&c.name));
        let added =
            changes.iter().any(|x| matches!(x, TableChange::AddCheck { check } if named(check.name.as_deref())));
        match to.checks.iter().find(|k| named(k.name.as_deref())) {
            Some(k) if !added => format!(" CHECK ({})", k.expr),
            _ => String::new(),
        }
    };
    let with_place = |c: &Column| match place.get(&c.name.as_str().to_lowercase()) {
        Some(p) => format!("{}{} {p}", column_def(c), own_check(c)),
        None => format!("{}{}", column_def(c), own_check(c)),
    };
    let desired = |name: &str| to.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name));
    let mut out = Vec::new();
    let mut handled: Vec<String> = Vec::new();
    // MariaDB: a column-level check is named after its column and goes away only when the
    // column is redefined; a table-level one of that name needs DROP CONSTRAINT. Do both.
    let mut redefine: Vec<String> = Vec::new();
    for c in changes {
        match c {
            TableChange::DropCheck { check } => {
                let name = check.name.as_deref().unwrap_or("");
                let column_level =
                    from.column(name).is_some() || from.columns.iter().any(|c| c.name.eq_ignore_ascii_case(name));
                if column_level {
                    if desired(name).is_some() {
                        redefine.push(name.to_lowercase());
                    }
                    out.push(format!("DROP CONSTRAINT IF EXISTS {}", q(name)));
                } else {
                    out.push(format!("DROP CONSTRAINT {}", q(name)));
                }
            }
            TableChange::DropIndex { index: i } | TableChange::ModifyIndex { from: i, .. } => {
                out.push(format!("DROP INDEX {}", q(&i.name)))
            }
            TableChange::SetPrimaryKey { from: Some(_), .. } => out.push("DROP PRIMARY KEY".into()),
            _ => {}
        }
    }
    for c in changes {
        match c {
            TableChange::RenameColumn { from: a, to: b } => {
                if let Some(col) = desired(b) {
                    out.push(format!("CHANGE COLUMN {} {}", q(a), with_place(col)));
                    handled.push(b.to_lowercase());
                }
            }
            TableChange::DropColumn { column } => out.push(format!("DROP COLUMN {}", q(&column.name))),
            _ => {}
        }
    }
    // Adds, changes and moves in the desired column order, so each AFTER names a placed column.
    for col in &to.columns {
        let k = col.name.as_str().to_lowercase();
        if handled.contains(&k) {
            continue;
        }
        let added = changes
            .iter()
            .any(|c| matches!(c, TableChange::AddColumn { column } if column.name.eq_ignore_ascii_case(&col.name)));
        let modified = changes
            .iter()
            .any(|c| matches!(c, TableChange::ModifyColumn { to, .. } if to.name.eq_ignore_ascii_case(&col.name)));
        let rebuilt = changes.iter().any(
            |c| matches!(c, TableChange::ModifyColumn { from, to } if to.name.eq_ignore_ascii_case(&col.name) && regenerates(from, to)),
        );
        if rebuilt {
            // MariaDB cannot MODIFY a column into or out of being generated, nor between
            // VIRTUAL and STORED: the column is dropped and added again where it stands.
            let at = match to.columns.iter().position(|c| c.name.eq_ignore_ascii_case(&col.name)) {
                Some(0) | None => "FIRST".to_string(),
                Some(i) => format!("AFTER {}", q(&to.columns[i - 1].name)),
            };
            out.push(format!("DROP COLUMN {}", q(&col.name)));
            out.push(format!("ADD COLUMN {}{} {at}", column_def(col), own_check(col)));
        } else if added {
            out.push(format!("ADD COLUMN {}", with_place(col)));
        } else if modified || place.contains_key(&k) || redefine.contains(&k) {
            out.push(format!("MODIFY COLUMN {}", with_place(col)));
        }
    }
    for c in changes {
        match c {
            TableChange::SetPrimaryKey { to: Some(pk), .. } => out.push(format!("ADD {}", primary_key(pk))),
            TableChange::AddIndex { index: i } | TableChange::ModifyIndex { to: i, .. } => {
                out.push(format!("ADD {}", index(i)))
            }
            TableChange::AddCheck { check: k } => out.push(format!("ADD {}", check(k))),
            _ => {}
        }
    }
    if changes.iter().any(|c| matches!(c, TableChange::SetOptions { .. } | TableChange::SetComment { .. })) {
        out.extend(table_options(to));
        // KEY_BLOCK_SIZE=0 takes a declared size away (MariaDB and MySQL 8 alike).
        if from.options.key_block_size.is_some() && to.options.key_block_size.is_none() {
            out.push("KEY_BLOCK_SIZE=0".into());
        }
    }
    out
}

/// True when a column change turns a column into or out of a generated one, or moves it
/// between VIRTUAL and STORED: what MariaDB does only by dropping and adding the column.
fn regenerates(from: &Column, to: &Column) -> bool {
    match (&from.generated, &to.generated) {
        (Some(a), Some(b)) => a.stored != b.stored,
        (a, b) => a.is_some() != b.is_some(),
    }
}

/// What a table's changes do, for the analyzers; `copy` is the change that forces a table copy.
fn facts(t: &str, changes: &[TableChange], copy: Option<String>) -> Vec<Fact> {
    let table = TableRef::new("", t);
    let readded =
        |name: &str| changes.iter().any(|c| matches!(c, TableChange::AddIndex { index } if index.name == name));
    let mut out: Vec<Fact> = copy.map(|why| Fact::TableCopy { table: table.clone(), why }).into_iter().collect();
    for c in changes {
        match c {
            TableChange::DropColumn { column } => {
                out.push(Fact::DropColumn { table: table.clone(), column: column.name.to_string() })
            }
            TableChange::RenameColumn { from, to } => {
                out.push(Fact::RenameColumn { table: table.clone(), from: from.clone(), to: to.clone() })
            }
            TableChange::DropIndex { index } if !readded(&index.name) => out.push(Fact::DropObject {
                kind: "index".into(),
                name: index.name.to_string(),
                on: Some(table.clone()),
            }),
            TableChange::DropCheck { check } => out.push(Fact::DropObject {
                kind: "check".into(),
                name: check.name.as_deref().unwrap_or_default().to_string(),
                on: Some(table.clone()),
            }),
            TableChange::AddIndex { index } | TableChange::ModifyIndex { to: index, .. } if index.unique => {
                out.push(Fact::unique_index(table.clone(), index))
            }
            TableChange::AddColumn { column } => out.push(Fact::AddColumn {
                table: table.clone(),
                column: column.clone(),
                rows: NewColumnRows::ZeroValue,
                per_row_value: false,
            }),
            TableChange::ModifyColumn { from, to } => {
                if from.generated.is_none() && to.generated.is_some() {
                    // Dropped and added again: its stored values give way to computed ones.
                    out.push(Fact::DropColumn { table: table.clone(), column: to.name.to_string() });
                }
                if from.nullable && !to.nullable {
                    out.push(Fact::SetNotNull { table: table.clone(), column: to.name.to_string(), fill: None });
                }
                if from.ty.canonical != to.ty.canonical && !widens(&from.ty.canonical, &to.ty.canonical) {
                    out.push(Fact::ChangeType {
                        table: table.clone(),
                        column: to.name.to_string(),
                        from: from.ty.canonical.to_string(),
                        to: to.ty.canonical.to_string(),
                        conversion: Conversion::FailsOnMisfit { limit: limit(&from.ty.canonical, &to.ty.canonical) },
                        storage: Storage::Copy,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// What the new type holds when the old one is of the same family, for the live check.
fn limit(from: &str, to: &str) -> Option<TypeLimit> {
    let base = |t: &str| t.split('(').next().unwrap_or(t).trim().to_string();
    let len = |t: &str| t.split_once('(').and_then(|(_, r)| r.split(')').next()?.trim().parse::<u64>().ok());
    let (fb, tb) = (base(from), base(to));
    let stringy = |b: &str| matches!(b, "varchar" | "char" | "text" | "tinytext" | "mediumtext" | "longtext");
    if stringy(&fb) && matches!(tb.as_str(), "varchar" | "char") {
        return len(to).map(|max| TypeLimit::MaxChars { max });
    }
    let bits = |b: &str| match b {
        "tinyint" => Some(8u32),
        "smallint" => Some(16),
        "mediumint" => Some(24),
        "int" => Some(32),
        "bigint" => Some(64),
        _ => None,
    };
    let (Some(_), Some(n)) = (bits(&fb).or((fb == "decimal").then_some(0)), bits(&tb)) else { return None };
    Some(if to.contains("unsigned") {
        TypeLimit::IntRange { min: 0, max: (1i128 << n) - 1 }
    } else {
        TypeLimit::IntRange { min: -(1i128 << (n - 1)), max: (1i128 << (n - 1)) - 1 }
    })
}

/// True for a type change every existing value survives.
fn widens(from: &str, to: &str) -> bool {
    let rank = ["tinyint", "smallint", "mediumint", "int", "bigint"];
    let (fb, tb) = (from.split('(').next().unwrap_or(from), to.split('(').next().unwrap_or(to));
    let len = |t: &str| t.split_once('(').and_then(|(_, r)| r.trim_end_matches(')').parse::<u64>().ok());
    match (rank.iter().position(|r| *r == fb), rank.iter().position(|r| *r == tb)) {
        (Some(a), Some(b)) => b >= a && from.contains("unsigned") == to.contains("unsigned"),
        _ => {
            (fb == tb && matches!(fb, "varchar" | "char" | "varbinary" | "binary") && len(to) >= len(from))
                || (fb == "varchar" && matches!(tb, "text" | "mediumtext" | "longtext"))
        }
    }
}

/// A column rename seen backwards, so the reverse diff renames instead of dropping.
fn with_reverse_renames(from: &Table, changes: &[TableChange]) -> Table {
    let mut t = from.clone();
    for c in changes {
        if let TableChange::RenameColumn { from: a, to: b } = c {
            if let Some(col) = t.columns.iter_mut().find(|x| x.name == *a) {
                col.renamed_from = Some(b.clone());
            }
        }
    }
    t
}

/// `changes` plus a rebuild of each kept index that a foreign key dropped here may have
/// created and a foreign key added here will use. MariaDB marks an index it made for a
/// foreign key as generated and, when another foreign key on those columns is added, drops it
/// for a new one named after the new constraint; rebuilt by the plan, the index is the user's
/// and keeps its name.
fn with_rebuilt_fk_indexes(to: &Table, changes: &[TableChange]) -> Vec<TableChange> {
    let mut out = changes.to_vec();
    let covers = |i: &schema_model::Index, cols: &[schema_model::CompactString]| {
        cols.len() <= i.parts.len()
            && cols
                .iter()
                .zip(&i.parts)
                .all(|(c, p)| matches!(&p.key, schema_model::IndexKey::Column(k) if k.eq_ignore_ascii_case(c)))
    };
    let touched = |name: &str| {
        changes.iter().any(|c| match c {
            TableChange::AddIndex { index } | TableChange::DropIndex { index } => index.name.eq_ignore_ascii_case(name),
            TableChange::ModifyIndex { to, .. } => to.name.eq_ignore_ascii_case(name),
            _ => false,
        })
    };
    for c in changes {
        let TableChange::AddForeignKey { fk } = c else { continue };
        let dropped_on_same_columns = changes.iter().any(
            |d| matches!(d, TableChange::DropForeignKey { fk: old } if MysqlRules.names_eq(&old.columns, &fk.columns)),
        );
        if !dropped_on_same_columns {
            continue;
        }
        let own = |i: &schema_model::Index| fk.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&i.name));
        for i in to.indexes.iter().filter(|i| covers(i, &fk.columns) && !touched(&i.name) && !own(i)) {
            if !out.iter().any(|c| matches!(c, TableChange::ModifyIndex { to, .. } if to.name == i.name)) {
                out.push(TableChange::ModifyIndex { from: Box::new(i.clone()), to: Box::new(i.clone()) });
            }
        }
    }
    out
}

/// The steps of a table's inner changes, each with the statement that undoes it.
/// With `online`, each ALTER asks for the cheapest algorithm the server allows for it.
pub fn modify_table(from: &Table, to: &Table, changes: &[TableChange], online: bool) -> Result<Vec<Draft>, DiffError> {
    let changes = &with_rebuilt_fk_indexes(to, changes);
    let t = q(&to.name);
    let mut out = Vec::new();
    for c in changes {
        if let TableChange::DropForeignKey { fk } = c {
            let name = fk.name.as_deref().unwrap_or("");
            let online_clause = if online { ", ALGORITHM=INPLACE, LOCK=NONE" } else { "" };
            let mut s = Step::new(
                format!("drop foreign key {} on {t}", q(name)),
                vec![format!("ALTER TABLE {t} DROP FOREIGN KEY {}{online_clause}", q(name))],
                vec![format!("ALTER TABLE {t} ADD {}", foreign_key(fk))],
            );
            if !changes.iter().any(|c| matches!(c, TableChange::AddForeignKey { fk: f } if f.name == fk.name)) {
                s.facts.push(Fact::DropObject {
                    kind: "foreign key".into(),
                    name: name.into(),
                    on: Some(TableRef::new("", &to.name)),
                });
            }
            out.push(Draft::new(s, Phase::DropForeignKey, key(&to.name)));
        }
    }
    let mut clauses = alter_clauses(from, to, changes);
    let partitioning = match changes.iter().any(|c| matches!(c, TableChange::Repartition)) {
        true => super::partitions::repartition(from, to, !clauses.is_empty()),
        false => vec![],
    };
    let (before, after): (Vec<_>, Vec<_>) = partitioning.into_iter().partition(|(_, first)| *first);
    out.extend(before.into_iter().map(|(d, _)| d));
    let alg = algorithm::of_alter(from, changes);
    if let (true, false, Some(clause)) = (online, clauses.is_empty(), alg.clause()) {
        clauses.push(clause.into());
    }
    if !clauses.is_empty() {
        let back_to = with_reverse_renames(from, changes);
        let back = crate::differ::table_changes(&MysqlRules, to, &back_to)?;
        let reverse = alter_clauses(to, &back_to, &back);
        let mut s = Step::new(
            format!("alter table {t}"),
            vec![format!("ALTER TABLE {t}\n  {}", clauses.join(",\n  "))],
            if reverse.is_empty() { vec![] } else { vec![format!("ALTER TABLE {t}\n  {}", reverse.join(",\n  "))] },
        );
        let copy = match alg {
            Algorithm::Copy(why) => Some(why),
            _ => None,
        };
        s.facts = facts(&to.name, changes, copy);
        let dropped: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                TableChange::DropColumn { column } => Some(column.name.as_str()),
                _ => None,
            })
            .collect();
        if !dropped.is_empty() {
            s.irreversible =
                Some(format!("the data of column(s) {} of {} cannot come back", dropped.join(", "), to.name));
        }
        let mut d = Draft::new(s, Phase::AlterTable, key(&to.name));
        d.provides = vec![key(&to.name)];
        out.push(d);
    }
    out.extend(after.into_iter().map(|(d, _)| d));
    for c in changes {
        if let TableChange::AddForeignKey { fk } = c {
            out.push(fk_draft(&to.name, fk));
        }
    }
    Ok(out)
}
