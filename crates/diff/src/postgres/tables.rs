//! Table steps on PostgreSQL: create, drop, rename, and the changes inside a table.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use schema_model::{Column, Realm, Table, View};

use super::columns::alter_column;
use super::render::{check, column_def, comment, create_index, foreign_key, primary_key, q, qn, unique};
use super::types::{enum_rebuilt, sequences_in, type_key};
use super::{display, draft, key};
use crate::change::{Change, TableChange};
use crate::hazards::{Fact, NewColumnRows, TableRef};
use crate::order::{Draft, Phase};
use crate::plan::Step;
use crate::DiffError;

/// What table planning needs to know about the whole change.
pub struct Context<'a> {
    /// Keys of enum types and domains on either side.
    pub type_keys: HashSet<String>,
    /// Keys of enum types on either side.
    pub enum_keys: HashSet<String>,
    /// Keys of tables dropped by this plan.
    pub dropped_tables: HashSet<String>,
    /// Columns dropped by this plan, as (schema, table, column).
    pub dropped_columns: HashSet<(String, String, String)>,
    /// Keys of tables whose primary key or a unique constraint is dropped by this plan.
    pub rekeyed_tables: HashSet<String>,
    /// Plan for a live, busy database (`--online`).
    pub online: bool,
    /// Keys of the enum types this plan rebuilds (labels removed or reordered).
    pub rebuilt_enums: HashSet<String>,
    /// The current columns of each rebuilt enum type, by the type's key, in model order: found
    /// in one scan of the columns, and none at all when no enum is rebuilt.
    pub enum_columns: HashMap<String, Vec<(&'a str, &'a Table, &'a Column)>>,
}

impl<'a> Context<'a> {
    /// Collects what the table steps look up.
    pub fn new(from: &'a Realm, to: &'a Realm, changes: &[Change], online: bool) -> Self {
        let mut type_keys = HashSet::new();
        let mut enum_keys = HashSet::new();
        for s in from.schemas.iter().chain(&to.schemas) {
            for e in &s.enums {
                enum_keys.insert(key(&s.name, &e.name));
                type_keys.insert(key(&s.name, &e.name));
            }
            for d in &s.domains {
                type_keys.insert(key(&s.name, &d.name));
            }
        }
        let dropped_tables = changes
            .iter()
            .filter_map(|c| match c {
                Change::DropTable { schema, table } => Some(key(schema, &table.name)),
                _ => None,
            })
            .collect();
        let dropped_columns = changes
            .iter()
            .flat_map(|c| match c {
                Change::ModifyTable { schema, to, changes, .. } => changes
                    .iter()
                    .filter_map(|tc| match tc {
                        TableChange::DropColumn { column } => {
                            Some((schema.clone(), to.name.to_string(), column.name.to_string()))
                        }
                        _ => None,
                    })
                    .collect(),
                _ => vec![],
            })
            .collect();
        let rekeyed_tables = changes
            .iter()
            .filter_map(|c| match c {
                Change::ModifyTable { schema, to, changes, .. }
                    if changes.iter().any(|tc| {
                        matches!(tc, TableChange::SetPrimaryKey { from: Some(_), .. } | TableChange::DropUnique { .. })
                    }) =>
                {
                    Some(key(schema, &to.name))
                }
                _ => None,
            })
            .collect();
        let rebuilt_enums: HashSet<String> = changes
            .iter()
            .filter_map(|c| match c {
                Change::ModifyEnum { schema, from, to } if enum_rebuilt(from, to) => Some(key(schema, &from.name)),
                _ => None,
            })
            .collect();
        let mut enum_columns: HashMap<String, Vec<_>> = HashMap::new();
        for s in from.schemas.iter().filter(|_| !rebuilt_enums.is_empty()) {
            for t in &s.tables {
                for c in &t.columns {
                    let k = type_key(&c.ty.canonical);
                    if rebuilt_enums.contains(k.as_ref()) {
                        enum_columns.entry(k.into_owned()).or_default().push((s.name.as_str(), t, c));
                    }
                }
            }
        }
        Context {
            type_keys,
            enum_keys,
            dropped_tables,
            dropped_columns,
            rekeyed_tables,
            online,
            rebuilt_enums,
            enum_columns,
        }
    }

    /// The keys a table's columns need to exist first: their types and sequences.
    fn column_reads<'c>(&self, columns: impl IntoIterator<Item = &'c Column>) -> Vec<String> {
        let mut reads = Vec::new();
        for c in columns {
            let k = type_key(&c.ty.canonical);
            if self.type_keys.contains(k.as_ref()) {
                reads.push(k.into_owned());
            }
            if let Some(d) = &c.default {
                reads.extend(sequences_in(d));
            }
        }
        reads
    }

    /// Creates a table, then its indexes, foreign keys and NOT VALID checks as their own steps.
    pub fn add_table(&self, schema: &str, t: &Table) -> Vec<Draft> {
        let name = qn(schema, &t.name);
        let mut items: Vec<String> = t.columns.iter().map(column_def).collect();
        items.extend(t.primary_key.iter().map(primary_key));
        items.extend(t.uniques.iter().map(unique));
        items.extend(t.checks.iter().filter(|c| !c.not_valid).map(|c| check(c, false)));
        items.extend(t.exclusions.iter().map(super::exclusions::clause));
        let mut sql = vec![match &t.partition_of {
            Some(p) if items.is_empty() => {
                format!("CREATE TABLE {name} PARTITION OF {} {}", qn(&p.schema, &p.table), p.bound)
            }
            Some(p) => format!(
                "CREATE TABLE {name} PARTITION OF {} (\n  {}\n) {}",
                qn(&p.schema, &p.table),
                items.join(",\n  "),
                p.bound
            ),
            None => format!(
                "CREATE TABLE {name} (\n  {}\n){}",
                items.join(",\n  "),
                t.partition_by.as_ref().map(|k| format!(" PARTITION BY {k}")).unwrap_or_default()
            ),
        }];
        sql.extend(comments(&name, t));
        sql.extend(super::policies::row_security(&name, &Default::default(), &t.options));
        let step =
            Step::new(format!("create table {}", display(schema, &t.name)), sql, vec![format!("DROP TABLE {name}")])
                .with_fact(Fact::CreateTable { table: TableRef::new(schema, &t.name) });
        let mut d = draft(step, Phase::CreateTable, schema, &t.name);
        d.provides = vec![key(schema, &t.name)];
        d.reads.extend(self.column_reads(&t.columns));
        d.reads.extend(t.partition_of.iter().map(|p| key(&p.schema, &p.table)));
        let mut out = vec![d];
        for c in t.checks.iter().filter(|c| c.not_valid) {
            out.push(alter(
                schema,
                &t.name,
                format!("add check {}", q(c.name.as_deref().unwrap_or(""))),
                format!("ADD {}", check(c, true)),
                drop_constraint_sql(c.name.as_deref()),
            ));
        }
        out.extend(t.indexes.iter().map(|i| index_draft(schema, &t.name, i, false, false, false)));
        out.extend(t.foreign_keys.iter().map(|fk| fk_draft(schema, &t.name, fk)));
        out.extend(t.policies.iter().map(|p| super::policies::add_policy_draft(schema, &t.name, p)));
        out
    }

    /// Drops a table with its rows. Its foreign keys to other dropped tables, or to tables
    /// whose keys are dropped, go first, so that tables referencing each other can be dropped in
    /// any order and no key is dropped while a foreign key still needs it.
    pub fn drop_table(&self, schema: &str, t: &Table) -> Vec<Draft> {
        let name = qn(schema, &t.name);
        let mut reverse = vec![];
        for d in self.add_table(schema, t) {
            reverse.extend(d.step.sql);
        }
        let mut out = Vec::new();
        for fk in &t.foreign_keys {
            let target = key(fk.ref_schema.as_deref().unwrap_or(schema), &fk.ref_table);
            // A key the foreign key needs may go before the table does.
            let blocks = self.dropped_tables.contains(&target) || self.rekeyed_tables.contains(&target);
            if target != key(schema, &t.name) && blocks {
                let s = Step::new(
                    format!("drop foreign key {} on {}", q(fk.name.as_deref().unwrap_or("")), display(schema, &t.name)),
                    vec![format!("ALTER TABLE {name} {}", drop_constraint_sql(fk.name.as_deref()))],
                    vec![format!("ALTER TABLE {name} ADD {}", foreign_key(schema, fk))],
                );
                out.push(draft(s, Phase::DropForeignKey, schema, &t.name));
            }
        }
        let mut step =
            Step::new(format!("drop table {}", display(schema, &t.name)), vec![format!("DROP TABLE {name}")], reverse);
        step.irreversible = Some(format!("the rows of table {schema}.{} cannot come back", t.name));
        step.facts.push(Fact::DropTable { table: TableRef::new(schema, &t.name) });
        let mut d = draft(step, Phase::DropTable, schema, &t.name);
        d.removes = vec![key(schema, &t.name)];
        // A partition goes before its parent (which would take it along).
        d.reads.extend(t.partition_of.iter().map(|p| key(&p.schema, &p.table)));
        d.soft_reads
            .extend(t.foreign_keys.iter().map(|fk| key(fk.ref_schema.as_deref().unwrap_or(schema), &fk.ref_table)));
        out.push(d);
        out
    }

    /// Appends the steps of a table's inner changes to `out`.
    pub fn modify_table(
        &self,
        schema: &str,
        to: &Table,
        changes: &[TableChange],
        out: &mut Vec<Draft>,
    ) -> Result<(), DiffError> {
        let t = &to.name;
        let tn = qn(schema, t);
        let table = TableRef::new(schema, t);
        let readd = |name: &Option<schema_model::CompactString>| {
            changes.iter().any(|c| match c {
                TableChange::AddUnique { unique } => unique.name == *name,
                TableChange::AddCheck { check } => check.name == *name,
                TableChange::AddForeignKey { fk } => fk.name == *name,
                TableChange::SetPrimaryKey { to: Some(pk), .. } => pk.name == *name,
                _ => false,
            })
        };
        for c in changes {
            if let TableChange::RenameColumn { from: a, to: b } = c {
                let mut d = alter(
                    schema,
                    t,
                    format!("rename column {tn}.{}", q(a)),
                    format!("RENAME COLUMN {} TO {}", q(a), q(b)),
                    format!("RENAME COLUMN {} TO {}", q(b), q(a)),
                );
                d.step.facts.push(Fact::RenameColumn { table: table.clone(), from: a.clone(), to: b.clone() });
                out.push(d);
            }
        }
        for c in changes {
            let (name, add_back, what) = match c {
                TableChange::SetPrimaryKey { from: Some(pk), .. } => (&pk.name, primary_key(pk), "primary key"),
                TableChange::DropUnique { unique: u } => (&u.name, unique(u), "unique constraint"),
                TableChange::DropCheck { check: k } => (&k.name, check(k, true), "check"),
                _ => continue,
            };
            let mut d = alter(
                schema,
                t,
                format!("drop {what} {}", q(name.as_deref().unwrap_or(""))),
                drop_constraint_sql(name.as_deref()),
                format!("ADD {add_back}"),
            );
            if !readd(name) {
                d.step.facts.push(Fact::DropObject {
                    kind: what.into(),
                    name: name.as_deref().unwrap_or_default().to_string(),
                    on: Some(table.clone()),
                });
            }
            out.push(d);
        }
        for c in changes {
            if let TableChange::DropColumn { column } = c {
                let mut d = alter(
                    schema,
                    t,
                    format!("drop column {tn}.{}", q(&column.name)),
                    format!("DROP COLUMN {}", q(&column.name)),
                    format!("ADD COLUMN {}", column_def(column)),
                );
                d.step.irreversible = Some(format!("the data of column {schema}.{t}.{} cannot come back", column.name));
                d.step.facts.push(Fact::DropColumn { table: table.clone(), column: column.name.to_string() });
                out.push(d);
            }
        }
        for c in changes {
            if let TableChange::AddColumn { column } = c {
                let mut d = alter(
                    schema,
                    t,
                    format!("add column {tn}.{}", q(&column.name)),
                    format!("ADD COLUMN {}", column_def(column)),
                    format!("DROP COLUMN {}", q(&column.name)),
                );
                d.step.facts.push(Fact::AddColumn {
                    table: table.clone(),
                    column: column.clone(),
                    rows: NewColumnRows::Fail,
                    per_row_value: super::columns::per_row_value(column),
                });
                d.reads.extend(self.column_reads([&**column]));
                if let Some(cm) = &column.comment {
                    d.step.sql.push(comment("COLUMN", &format!("{tn}.{}", q(&column.name)), Some(cm)));
                }
                out.push(d);
            }
        }
        for c in changes {
            if let TableChange::ModifyColumn { from: a, to: b } = c {
                // Online, NOT NULL rides on a validated check, so SET NOT NULL skips its scan.
                let via_check = self.online && a.nullable && !b.nullable;
                let temp = format!("{}_{}_not_null", t, b.name);
                if via_check {
                    let expr = format!("{} IS NOT NULL", q(&b.name));
                    let add = format!("ADD CONSTRAINT {} CHECK ({expr}) NOT VALID", q(&temp));
                    let mut staged = alter(schema, t, format!("add check {} NOT VALID", q(&temp)), add, String::new());
                    // The check is gone again by the end of the plan: nothing to undo.
                    staged.step.reverse.clear();
                    out.push(staged);
                    out.push(validate_draft(schema, t, &temp));
                }
                let is_enum = |ty: &str| self.enum_keys.contains(type_key(ty).as_ref());
                let (sql, facts) = alter_column(schema, t, a, b, &is_enum);
                let (reverse, _) = alter_column(schema, t, b, a, &is_enum);
                let mut step = Step::new(format!("alter column {tn}.{}", q(&b.name)), sql, reverse);
                step.facts = facts;
                if b.generated.is_some() && a.generated != b.generated && a.generated.is_none() {
                    step.irreversible =
                        Some(format!("the values of {schema}.{t}.{} are replaced by computed ones", b.name));
                }
                let mut d = draft(step, Phase::AlterTable, schema, t);
                d.provides = vec![key(schema, t)];
                d.reads.extend(self.column_reads([&**b]));
                out.push(d);
                if via_check {
                    let drop = drop_constraint_sql(Some(&temp));
                    out.push(alter(schema, t, format!("drop check {}", q(&temp)), drop, String::new()));
                    if let Some(last) = out.last_mut() {
                        last.step.reverse.clear();
                    }
                }
            }
        }
        for c in changes {
            if self.online {
                match c {
                    TableChange::AddCheck { check: k } if !k.not_valid => {
                        let name = k.name.as_deref().unwrap_or("");
                        let staged = schema_model::Check { not_valid: true, ..(**k).clone() };
                        out.push(alter(
                            schema,
                            t,
                            format!("add check {} NOT VALID", q(name)),
                            format!("ADD {}", check(&staged, true)),
                            drop_constraint_sql(Some(name)),
                        ));
                        out.push(validate_draft(schema, t, name));
                        continue;
                    }
                    TableChange::AddUnique { unique: u } => {
                        out.extend(unique_online(schema, t, u));
                        continue;
                    }
                    _ => {}
                }
            }
            let (sql, reverse, what, fact) = match c {
                TableChange::SetPrimaryKey { to: Some(pk), .. } => {
                    (format!("ADD {}", primary_key(pk)), drop_constraint_sql(pk.name.as_deref()), "primary key", None)
                }
                TableChange::AddUnique { unique: u } => (
                    format!("ADD {}", unique(u)),
                    drop_constraint_sql(u.name.as_deref()),
                    "unique constraint",
                    Some(Fact::unique_constraint(table.clone(), u)),
                ),
                TableChange::AddCheck { check: k } => (
                    format!("ADD {}", check(k, true)),
                    drop_constraint_sql(k.name.as_deref()),
                    "check",
                    (!k.not_valid).then(|| Fact::ValidatingConstraint {
                        table: table.clone(),
                        kind: "check".into(),
                        name: k.name.as_deref().unwrap_or_default().to_string(),
                    }),
                ),
                _ => continue,
            };
            let name = match c {
                TableChange::SetPrimaryKey { to: Some(pk), .. } => pk.name.clone(),
                TableChange::AddUnique { unique } => unique.name.clone(),
                TableChange::AddCheck { check } => check.name.clone(),
                _ => None,
            };
            let mut d = alter(schema, t, format!("add {what} {}", q(name.as_deref().unwrap_or(""))), sql, reverse);
            d.step.facts.extend(fact);
            out.push(d);
        }
        for c in changes {
            match c {
                TableChange::SetComment { from: a, to: b } => {
                    let s = Step::new(
                        format!("comment table {tn}"),
                        vec![comment("TABLE", &tn, b.as_deref())],
                        vec![comment("TABLE", &tn, a.as_deref())],
                    );
                    out.push(draft(s, Phase::AlterTable, schema, t));
                }
                TableChange::SetConstraintComment { name, from: a, to: b } => {
                    let target = format!("{} ON {tn}", q(name));
                    let s = Step::new(
                        format!("comment constraint {} on {tn}", q(name)),
                        vec![comment("CONSTRAINT", &target, b.as_deref())],
                        vec![comment("CONSTRAINT", &target, a.as_deref())],
                    );
                    // After any constraint of the same name is added.
                    let mut d = draft(s, Phase::AddForeignKey, schema, t);
                    d.reads.push(key(schema, t));
                    out.push(d);
                }
                TableChange::SetIndexComment { name, from: a, to: b } => {
                    let target = qn(schema, name);
                    let s = Step::new(
                        format!("comment index {target}"),
                        vec![comment("INDEX", &target, b.as_deref())],
                        vec![comment("INDEX", &target, a.as_deref())],
                    );
                    out.push(draft(s, Phase::CreateIndex, schema, name));
                }
                TableChange::AddIndex { index } => out.push(index_draft(schema, t, index, true, false, self.online)),
                TableChange::DropIndex { index } => out.push(drop_index_draft(schema, t, index, false, self.online)),
                TableChange::ModifyIndex { from: a, to: b } if self.online => {
                    out.push(replace_index_draft(schema, t, a, b))
                }
                TableChange::ModifyIndex { from: a, to: b } => {
                    out.push(drop_index_draft(schema, t, a, true, false));
                    out.push(index_draft(schema, t, b, true, a.unique, false));
                }
                TableChange::AddForeignKey { fk } if self.online && !fk.not_valid => {
                    let not_valid = schema_model::ForeignKey { not_valid: true, ..(**fk).clone() };
                    out.push(fk_draft(schema, t, &not_valid));
                    let mut v = validate_draft(schema, t, fk.name.as_deref().unwrap_or(""));
                    v.phase = Phase::AddForeignKey;
                    out.push(v);
                }
                TableChange::AddForeignKey { fk } => out.push(fk_draft(schema, t, fk)),
                TableChange::DropForeignKey { fk } => {
                    let mut s = Step::new(
                        format!("drop foreign key {}", q(fk.name.as_deref().unwrap_or(""))),
                        vec![format!("ALTER TABLE {tn} {}", drop_constraint_sql(fk.name.as_deref()))],
                        vec![format!("ALTER TABLE {tn} ADD {}", foreign_key(schema, fk))],
                    );
                    if !readd(&fk.name)
                        && !self
                            .dropped_tables
                            .contains(&key(fk.ref_schema.as_deref().unwrap_or(schema), &fk.ref_table))
                    {
                        s.facts.push(Fact::DropObject {
                            kind: "foreign key".into(),
                            name: fk.name.as_deref().unwrap_or_default().to_string(),
                            on: Some(table.clone()),
                        });
                    }
                    let mut d = draft(s, Phase::DropForeignKey, schema, t);
                    d.removes = vec![format!("fk:{schema}.{t}.{}", fk.name.as_deref().unwrap_or(""))];
                    out.push(d);
                }
                TableChange::Repartition => {
                    return Err(DiffError::Unsupported(format!(
                        "table {schema}.{t}: changing how it is partitioned (PARTITION BY, PARTITION OF or the \
                         bound) is not supported; create a new table and move the rows"
                    )))
                }
                other => {
                    if let Some(d) = super::policies::table_change(schema, t, other) {
                        out.push(d?);
                    }
                    out.extend(super::exclusions::table_change(schema, t, other, changes));
                }
            }
        }
        Ok(())
    }
}

/// Renames a table in place.
pub fn rename_table(schema: &str, from: &str, to: &str) -> Draft {
    let mut s = Step::new(
        format!("rename table {} to {}", display(schema, from), q(to)),
        vec![format!("ALTER TABLE {} RENAME TO {}", qn(schema, from), q(to))],
        vec![format!("ALTER TABLE {} RENAME TO {}", qn(schema, to), q(from))],
    );
    s.facts.push(Fact::RenameTable { from: TableRef::new(schema, from), to: to.into() });
    let mut d = draft(s, Phase::RenameTable, schema, to);
    d.provides = vec![key(schema, to)];
    d.removes = vec![key(schema, from)];
    d
}

/// Comment and index changes of a view whose query stays.
pub fn alter_view(schema: &str, from: &View, to: &View) -> Vec<Draft> {
    let mut out = Vec::new();
    let kind = if to.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    let name = qn(schema, &to.name);
    if from.comment != to.comment {
        let s = Step::new(
            format!("comment view {name}"),
            vec![comment(kind, &name, to.comment.as_deref())],
            vec![comment(kind, &name, from.comment.as_deref())],
        );
        out.push(draft(s, Phase::CreateView, schema, &to.name));
    }
    for i in &from.indexes {
        if !to.indexes.contains(i) {
            out.push(drop_index_draft(schema, &to.name, i, to.indexes.iter().any(|j| j.name == i.name), false));
        }
    }
    for i in &to.indexes {
        if !from.indexes.contains(i) {
            out.push(index_draft(schema, &to.name, i, true, false, false));
        }
    }
    out
}

/// `ALTER TABLE` step on one table.
fn alter(schema: &str, table: &str, description: String, action: String, reverse: String) -> Draft {
    let tn = qn(schema, table);
    let s =
        Step::new(description, vec![format!("ALTER TABLE {tn} {action}")], vec![format!("ALTER TABLE {tn} {reverse}")]);
    let mut d = draft(s, Phase::AlterTable, schema, table);
    d.provides = vec![key(schema, table)];
    d
}

fn drop_constraint_sql(name: Option<&str>) -> String {
    format!("DROP CONSTRAINT {}", q(name.unwrap_or("")))
}

fn comments(name: &str, t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if t.comment.is_some() {
        out.push(comment("TABLE", name, t.comment.as_deref()));
    }
    for c in t.columns.iter().filter(|c| c.comment.is_some()) {
        out.push(comment("COLUMN", &format!("{name}.{}", q(&c.name)), c.comment.as_deref()));
    }
    let constraint_comments = t
        .primary_key
        .iter()
        .map(|p| (&p.name, &p.comment))
        .chain(t.uniques.iter().map(|u| (&u.name, &u.comment)))
        .chain(t.checks.iter().filter(|c| !c.not_valid).map(|c| (&c.name, &c.comment)));
    for (n, c) in constraint_comments {
        if let (Some(n), Some(_)) = (n, c) {
            out.push(comment("CONSTRAINT", &format!("{} ON {name}", q(n)), c.as_deref()));
        }
    }
    for x in t.exclusions.iter().filter(|x| x.comment.is_some()) {
        out.push(comment("CONSTRAINT", &format!("{} ON {name}", q(&x.name)), x.comment.as_deref()));
    }
    out
}

fn index_draft(
    schema: &str,
    table: &str,
    i: &schema_model::Index,
    existing: bool,
    was_unique: bool,
    online: bool,
) -> Draft {
    let concurrently = existing && online;
    let mut sql = vec![create_index(schema, table, i, concurrently)];
    if i.comment.is_some() {
        sql.push(comment("INDEX", &qn(schema, &i.name), i.comment.as_deref()));
    }
    let drop = format!("DROP INDEX {}{}", if concurrently { "CONCURRENTLY " } else { "" }, qn(schema, &i.name));
    let mut s = Step::new(format!("create index {} on {}", q(&i.name), display(schema, table)), sql, vec![drop]);
    // On a table created earlier in the plan the analyzers drop these facts.
    if concurrently {
        s.transactional = false;
        s.long_running = true;
    } else {
        s.facts.push(Fact::BlockingIndex {
            table: TableRef::new(schema, table),
            index: i.name.to_string(),
            drop: false,
        });
    }
    if i.unique && !was_unique {
        s.facts.push(Fact::unique_index(TableRef::new(schema, table), i));
    }
    let mut d = draft(s, Phase::CreateIndex, schema, &i.name);
    d.reads.push(key(schema, table));
    d
}

fn drop_index_draft(schema: &str, table: &str, i: &schema_model::Index, replaced: bool, online: bool) -> Draft {
    let sql = format!("DROP INDEX {}{}", if online { "CONCURRENTLY " } else { "" }, qn(schema, &i.name));
    let mut s = Step::new(
        format!("drop index {}", qn(schema, &i.name)),
        vec![sql],
        vec![create_index(schema, table, i, online)],
    );
    if online {
        s.transactional = false;
        s.long_running = true;
    } else {
        s.facts.push(Fact::BlockingIndex {
            table: TableRef::new(schema, table),
            index: i.name.to_string(),
            drop: true,
        });
    }
    if !replaced {
        s.facts.push(Fact::DropObject {
            kind: "index".into(),
            name: i.name.to_string(),
            on: Some(TableRef::new(schema, table)),
        });
    }
    let mut d = draft(s, Phase::DropIndex, schema, &i.name);
    d.removes = vec![format!("index:{schema}.{}", i.name)];
    d
}

/// An index changed online: build the new one under a temporary name, drop the old one, and
/// rename, so that no moment is without the index.
fn replace_index_draft(schema: &str, table: &str, old: &schema_model::Index, new: &schema_model::Index) -> Draft {
    let tmp = format!("{}_schema_new", new.name);
    let swap = |from: &schema_model::Index, to: &schema_model::Index| {
        let staged = schema_model::Index { name: tmp.as_str().into(), ..to.clone() };
        vec![
            create_index(schema, table, &staged, true),
            format!("DROP INDEX CONCURRENTLY {}", qn(schema, &from.name)),
            format!("ALTER INDEX {} RENAME TO {}", qn(schema, &tmp), q(&to.name)),
        ]
    };
    let mut sql = swap(old, new);
    if new.comment.is_some() {
        sql.push(comment("INDEX", &qn(schema, &new.name), new.comment.as_deref()));
    }
    let mut s = Step::new(format!("replace index {}", qn(schema, &new.name)), sql, swap(new, old));
    s.transactional = false;
    s.long_running = true;
    if new.unique && !old.unique {
        s.facts.push(Fact::unique_index(TableRef::new(schema, table), new));
    }
    let mut d = draft(s, Phase::CreateIndex, schema, &new.name);
    d.reads.push(key(schema, table));
    d
}

/// A unique constraint added online: its index is built CONCURRENTLY, then attached with
/// `ADD CONSTRAINT ... UNIQUE USING INDEX`, which only takes a brief lock.
fn unique_online(schema: &str, table: &str, u: &schema_model::UniqueConstraint) -> Vec<Draft> {
    let name = u.name.as_deref().unwrap_or_default().to_string();
    let tn = qn(schema, table);
    let index = schema_model::Index {
        name: name.as_str().into(),
        unique: true,
        parts: u
            .columns
            .iter()
            .map(|c| schema_model::IndexPart {
                key: schema_model::IndexKey::Column(c.clone()),
                desc: false,
                collation: None,
                nulls_first: None,
                opclass: None,
                prefix: None,
            })
            .collect(),
        include: u.include.clone(),
        nulls_not_distinct: u.nulls_not_distinct,
        ..Default::default()
    };
    let mut build = Step::new(
        format!("create unique index {} on {tn}", q(&name)),
        vec![create_index(schema, table, &index, true)],
        vec![format!("DROP INDEX CONCURRENTLY {}", qn(schema, &name))],
    );
    build.transactional = false;
    build.long_running = true;
    build.facts.push(Fact::unique_constraint(TableRef::new(schema, table), u));
    let mut first = draft(build, Phase::AlterTable, schema, table);
    first.provides = vec![key(schema, table)];
    let deferrable = match u.deferrable {
        schema_model::Deferrable::NotDeferrable => "",
        schema_model::Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        schema_model::Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    };
    let attach = format!("ADD CONSTRAINT {} UNIQUE USING INDEX {}{deferrable}", q(&name), q(&name));
    vec![
        first,
        alter(
            schema,
            table,
            format!("attach unique constraint {}", q(&name)),
            attach,
            drop_constraint_sql(Some(&name)),
        ),
    ]
}

/// `VALIDATE CONSTRAINT` in a transaction of its own, after the constraint was added NOT VALID:
/// the scan then holds only a lock that lets writes through.
fn validate_draft(schema: &str, table: &str, name: &str) -> Draft {
    let tn = qn(schema, table);
    let mut s = Step::new(
        format!("validate constraint {} on {tn}", q(name)),
        vec![format!("ALTER TABLE {tn} VALIDATE CONSTRAINT {}", q(name))],
        vec![],
    );
    s.transactional = false;
    s.long_running = true;
    // Steps on one table keep their emission order; a read of the table would put this after
    // every later alter of it.
    draft(s, Phase::AlterTable, schema, table)
}

fn fk_draft(schema: &str, table: &str, fk: &schema_model::ForeignKey) -> Draft {
    let tn = qn(schema, table);
    let name = fk.name.as_deref().unwrap_or("");
    let mut sql = vec![format!("ALTER TABLE {tn} ADD {}", foreign_key(schema, fk))];
    if fk.comment.is_some() {
        sql.push(comment("CONSTRAINT", &format!("{} ON {tn}", q(name)), fk.comment.as_deref()));
    }
    let mut s = Step::new(
        format!("add foreign key {} on {}", q(name), display(schema, table)),
        sql,
        vec![format!("ALTER TABLE {tn} {}", drop_constraint_sql(fk.name.as_deref()))],
    );
    if !fk.not_valid {
        s.facts.push(Fact::ValidatingConstraint {
            table: TableRef::new(schema, table),
            kind: "foreign key".into(),
            name: name.into(),
        });
    }
    let ref_schema = fk.ref_schema.as_deref().unwrap_or(schema);
    let mut d = draft(s, Phase::AddForeignKey, schema, table);
    d.reads.extend([key(schema, table), key(ref_schema, &fk.ref_table)]);
    d
}
