//! `CREATE TABLE` and `ALTER TABLE … ADD CONSTRAINT`, in the order PostgreSQL carries them
//! out: owned sequences, the table, its checks, its primary key and unique constraints,
//! then its foreign keys.

use sqlparser::ast::helpers::stmt_create_table::CreateTableBuilder;
use sqlparser::ast::{
    AlterTable, AlterTableOperation, ColumnDef, ColumnOption, CreateTable, Expr, GeneratedAs, GeneratedExpressionMode,
    Spanned, TableConstraint,
};
use sqlparser::tokenizer::Span;

use super::catalog::Catalog;
use super::constraints::{
    add_check, add_fk, add_keys, check_spec, fk_spec, pk_spec, unique_spec, CheckSpec, FkSpec, KeySpec,
};
use super::deparse::{render, Node};
use super::expr::{analyze, assignable, coerce_unknown, Lookup, Scope};
use super::names::{choose, quote_qualified};
use super::seqopts::{values, SeqOpts};
use super::types::{resolve, serial_of, unknown_type, Ty};
use super::{fold, Problem};
use crate::{quote_literal, Column, ColumnType, Dialect, Generated, Identity, Sequence, Table};

type R<T> = Result<T, Problem>;

/// A foreign key with the place it is written.
type PlacedFk = (Span, FkSpec);

/// A column as declared, before its expressions are analyzed.
struct ColSpec {
    name: String,
    ty: Ty,
    serial: bool,
    not_null: bool,
    default: Option<Expr>,
    identity: Option<(bool, SeqOpts)>,
    generated: Option<Expr>,
    collation: Option<String>,
    span: Span,
}

/// The constraints of one statement, by kind, each kind in written order.
#[derive(Default)]
struct Specs {
    checks: Vec<(Span, CheckSpec)>,
    keys: Vec<KeySpec>,
    fks: Vec<PlacedFk>,
}

impl Specs {
    fn add(&mut self, c: &TableConstraint) -> R<()> {
        match c {
            TableConstraint::Check(ch) => self.checks.push((c.span(), check_spec(ch, None)?)),
            TableConstraint::PrimaryKey(pk) => self.keys.push(pk_spec(pk, None, None)?),
            TableConstraint::Unique(u) => self.keys.push(unique_spec(u, None, None)?),
            TableConstraint::ForeignKey(fk) => self.fks.push((c.span(), fk_spec(fk, None, None)?)),
            other => return Err(Problem::offline(other.span(), "this kind of table constraint".into())),
        }
        Ok(())
    }

    /// Sorts each kind into written order (columns and table constraints come apart).
    fn sort(&mut self) {
        let key = |s: &Span| (s.start.line, s.start.column);
        self.checks.sort_by_key(|(s, _)| key(s));
        self.keys.sort_by_key(|k| key(&k.span));
        self.fks.sort_by_key(|(s, _)| key(s));
    }
}

/// Reads a column definition; its inline constraints go to `specs`.
fn column(cat: &Catalog, def: &ColumnDef, identity: &mut std::vec::IntoIter<SeqOpts>, specs: &mut Specs) -> R<ColSpec> {
    let name = fold(&def.name);
    let span = def.span();
    let serial = serial_of(&def.data_type);
    let ty = match &serial {
        Some(t) => t.clone(),
        None => resolve(&def.data_type, &|s, n| cat.user_type(s, n))
            .map_err(|what| unknown_type(&def.data_type, Problem::offline(def.name.span.union(&span), what)))?,
    };
    let mut c = ColSpec {
        name: name.clone(),
        ty,
        serial: serial.is_some(),
        not_null: serial.is_some(),
        default: None,
        identity: None,
        generated: None,
        collation: None,
        span,
    };
    let mut null = None;
    for opt in &def.options {
        let cname = opt.name.as_ref();
        let conflict = |what: &str| Err(Problem::invalid(span, format!("{what} for column \"{name}\" of the table")));
        match &opt.option {
            ColumnOption::Null | ColumnOption::NotNull => {
                let nn = matches!(opt.option, ColumnOption::NotNull);
                if null.is_some_and(|n| n != nn) {
                    return conflict("conflicting NULL/NOT NULL declarations");
                }
                null = Some(nn);
                c.not_null |= nn;
            }
            ColumnOption::Default(e) => {
                if c.default.is_some() || c.serial {
                    return conflict("multiple default values specified");
                }
                c.default = Some(e.clone());
            }
            ColumnOption::PrimaryKey(pk) => specs.keys.push(pk_spec(pk, cname, Some(&name))?),
            ColumnOption::Unique(u) => specs.keys.push(unique_spec(u, cname, Some(&name))?),
            ColumnOption::ForeignKey(fk) => specs.fks.push((opt.span(), fk_spec(fk, cname, Some(&def.name))?)),
            ColumnOption::Check(ch) => specs.checks.push((opt.span(), check_spec(ch, cname)?)),
            ColumnOption::Collation(coll) => {
                let parts: Vec<String> = coll.0.iter().filter_map(|p| p.as_ident().map(fold)).collect();
                let known = match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                    ["default"] | ["pg_catalog", "default"] => Some(None),
                    [n @ ("C" | "POSIX")] | ["pg_catalog", n @ ("C" | "POSIX")] => Some(Some(n.to_string())),
                    _ => None,
                };
                match known {
                    Some(_) if !c.ty.is_collatable() => {
                        return Err(Problem::offline(coll.span(), format!("a collation on type {}", c.ty.canonical)))
                    }
                    Some(k) => c.collation = k,
                    None => return Err(Problem::offline(coll.span(), format!("the collation {coll}"))),
                }
            }
            ColumnOption::Generated { generated_as, generation_expr: None, .. } => {
                let always = matches!(generated_as, GeneratedAs::Always);
                if c.identity.is_some() || c.serial {
                    return conflict("both identity and serial/identity specified");
                }
                c.identity = Some((always, identity.next().unwrap_or_default()));
            }
            ColumnOption::Generated {
                generated_as: GeneratedAs::ExpStored | GeneratedAs::Always,
                generation_expr: Some(e),
                generation_expr_mode: Some(GeneratedExpressionMode::Stored),
                ..
            } => c.generated = Some(e.clone()),
            _ => return Err(Problem::offline(opt.span(), format!("the column option {}", opt.option))),
        }
    }
    if c.identity.is_some() {
        if !c.ty.is_int() {
            return Err(Problem::invalid(
                span,
                "identity column type must be smallint, integer, or bigint".to_string(),
            ));
        }
        if c.default.is_some() {
            return conflict_default(&name, span);
        }
        c.not_null = true;
    }
    if c.generated.is_some() && (c.default.is_some() || c.identity.is_some()) {
        return conflict_default(&name, span);
    }
    Ok(c)
}

fn conflict_default(name: &str, span: Span) -> R<ColSpec> {
    Err(Problem::invalid(span, format!("both default and identity/generation specified for column \"{name}\"")))
}

/// Analyzes a default or generation expression and coerces it to the column type.
pub(super) fn value_expr(
    cat: &Catalog,
    e: &Expr,
    ty: &Ty,
    scope_cols: &[(String, Ty)],
    table: &str,
    generated: bool,
) -> R<Option<String>> {
    if matches!(e, Expr::Value(v) if v.value == sqlparser::ast::Value::Null) && !generated {
        return Ok(None);
    }
    let scope = Scope { table: Some(table), columns: scope_cols, value: None, cat };
    let node = analyze(e, &scope)?;
    let node = match &node {
        Node::Unknown(s) => coerce_unknown(s, &Ty { canonical: ty.label.clone(), ..ty.clone() }, e, &scope)?,
        n => match n.ty() {
            Some(t) if assignable(&t, ty) => node,
            Some(t) => {
                return Err(Problem::offline(e.span(), format!("a {} value in a {} column", t.canonical, ty.canonical)))
            }
            None => unreachable!(),
        },
    };
    let mut read = Vec::new();
    node.columns(&mut read);
    if !generated && !read.is_empty() {
        return Err(Problem::invalid(e.span(), "cannot use column reference in DEFAULT expression".into()));
    }
    if generated && node.is_volatile() {
        return Err(Problem::invalid(e.span(), "generation expression is not immutable".into()));
    }
    Ok(Some(render(&node)))
}

/// `CREATE TABLE`; `identity` holds the options of its identity columns, in order.
pub(super) fn create_table(cat: &mut Catalog, ct: &CreateTable, identity: Vec<SeqOpts>) -> R<()> {
    let mut bare = ct.clone();
    bare.columns.clear();
    bare.constraints.clear();
    bare.if_not_exists = false;
    if bare != CreateTableBuilder::new(ct.name.clone()).build() {
        return Err(Problem::offline(Span::empty(), "this form of CREATE TABLE".into()));
    }
    let (schema, name) = cat.creation(&ct.name)?;
    if cat.relation_taken(&schema, &name) || cat.type_taken(&schema, &name) {
        if ct.if_not_exists {
            return Ok(());
        }
        return Err(Problem::invalid(ct.name.span(), format!("relation \"{name}\" already exists")));
    }
    let mut specs = Specs::default();
    let mut identity = identity.into_iter();
    let mut cols = Vec::new();
    for def in &ct.columns {
        let c = column(cat, def, &mut identity, &mut specs)?;
        if cols.iter().any(|x: &ColSpec| x.name == c.name) {
            return Err(Problem::invalid(def.name.span, format!("column \"{}\" specified more than once", c.name)));
        }
        cols.push(c);
    }
    for c in &ct.constraints {
        specs.add(c)?;
    }
    specs.sort();
    let set_aside;
    (specs.fks, set_aside) = referable(cat, (&schema, &name), specs.fks)?;
    let types: Vec<(String, Ty)> = cols.iter().map(|c| (c.name.clone(), c.ty.clone())).collect();

    // Sequences of serial and identity columns, named before anything is created.
    let mut chosen: Vec<String> = Vec::new();
    let mut columns = Vec::new();
    let mut sequences = Vec::new();
    for c in &cols {
        let mut col = Column {
            name: c.name.as_str().into(),
            ty: ColumnType::new(&c.ty.canonical),
            nullable: !c.not_null,
            collation: c.collation.as_deref().map(Into::into),
            ..Default::default()
        };
        if c.serial || c.identity.is_some() {
            let seq = choose(&name, Some(&c.name), "seq", |n| cat.relation_taken(&schema, n));
            if chosen.contains(&seq) {
                return Err(Problem::offline(c.span, "two owned sequences whose generated names collide".into()));
            }
            chosen.push(seq.clone());
            let default_opts = SeqOpts::default();
            let opts = c.identity.as_ref().map(|(_, o)| o).unwrap_or(&default_opts);
            let v = values(opts, &c.ty.kind).map_err(|m| Problem::invalid(c.span, m))?;
            match &c.identity {
                Some((always, _)) => {
                    col.identity = Some(Box::new(Identity {
                        always: *always,
                        start: v.start,
                        increment: v.increment,
                        min_value: v.min,
                        max_value: v.max,
                        cache: v.cache,
                        cycle: v.cycle,
                    }))
                }
                None => {
                    let reg = quote_literal(Dialect::Postgres, &quote_qualified(&schema, &seq));
                    col.default = Some(format!("nextval({reg}::regclass)").into());
                    sequences.push(Sequence {
                        name: seq.clone(),
                        data_type: c.ty.canonical.clone(),
                        start: v.start,
                        increment: v.increment,
                        min_value: v.min,
                        max_value: v.max,
                        cache: v.cache,
                        cycle: v.cycle,
                        owned_by: Some((schema.clone(), name.clone(), c.name.clone())),
                        comment: None,
                    });
                }
            }
        }
        if let Some(e) = &c.default {
            col.default = value_expr(cat, e, &c.ty, &types, &name, false)?.map(Into::into);
        }
        if let Some(e) = &c.generated {
            let plain: Vec<(String, Ty)> =
                cols.iter().filter(|x| x.generated.is_none()).map(|x| (x.name.clone(), x.ty.clone())).collect();
            let expr = value_expr(cat, e, &c.ty, &plain, &name, true)?.unwrap_or_default();
            col.generated = Some(Box::new(Generated { expr, stored: true }));
        }
        columns.push(col);
    }
    for seq in &chosen {
        cat.add_relation(&schema, seq);
    }
    cat.add_relation(&schema, &name);
    cat.add_type(&schema, &name);
    cat.columns.insert((schema.clone(), name.clone()), types);
    cat.schema_mut(&schema).expect("the schema exists").sequences.extend(sequences);
    cat.add_table(&schema, Table { name: name.as_str().into(), columns, ..Default::default() });
    cat.deferred_foreign_keys.extend(set_aside.into_iter().map(|fk| (schema.clone(), name.clone(), fk)));
    add_constraints(cat, &schema, &name, specs).map_err(Problem::settled)
}

/// `fks` split into those whose table exists (or is `creating`, the table being created) and
/// those set aside, so that a reference to a table defined later stops the statement before
/// it changes anything (and it is tried again later). Keys are set aside only in the round
/// that breaks a circle of references ([`Catalog::defer_foreign_keys`]), to be added after
/// every table.
fn referable(cat: &Catalog, creating: (&str, &str), fks: Vec<PlacedFk>) -> R<(Vec<PlacedFk>, Vec<FkSpec>)> {
    let (mut kept, mut set_aside) = (Vec::with_capacity(fks.len()), Vec::new());
    for (span, fk) in fks {
        match cat.find_table_or(&fk.target, Some(creating)) {
            Ok(_) => kept.push((span, fk)),
            Err(p) if p.missing && cat.defer_foreign_keys => set_aside.push(fk),
            Err(p) => return Err(p),
        }
    }
    Ok((kept, set_aside))
}

fn add_constraints(cat: &mut Catalog, schema: &str, table: &str, specs: Specs) -> R<()> {
    for (_, c) in specs.checks {
        add_check(cat, schema, table, c)?;
    }
    add_keys(cat, schema, table, specs.keys)?;
    for (_, fk) in specs.fks {
        add_fk(cat, schema, table, fk)?;
    }
    Ok(())
}

/// `ALTER TABLE … ADD CONSTRAINT …` (one or more); anything else is refused.
pub(super) fn alter_table(cat: &mut Catalog, at: &AlterTable) -> R<()> {
    if at.if_exists || at.on_cluster.is_some() || at.location.is_some() {
        return Err(Problem::offline(Span::empty(), "this form of ALTER TABLE".into()));
    }
    let (schema, table) = cat.find_table(&at.name)?;
    let mut specs = Specs::default();
    for op in &at.operations {
        match op {
            AlterTableOperation::AddConstraint { constraint, not_valid } => {
                let before = (specs.checks.len(), specs.fks.len(), specs.keys.len());
                specs.add(constraint)?;
                if *not_valid {
                    if specs.keys.len() > before.2 {
                        return Err(Problem::invalid(
                            constraint.span(),
                            "PRIMARY KEY and UNIQUE constraints cannot be marked NOT VALID".into(),
                        ));
                    }
                    specs.checks.iter_mut().skip(before.0).for_each(|(_, c)| c.not_valid = true);
                    specs.fks.iter_mut().skip(before.1).for_each(|(_, f)| f.not_valid = true);
                }
            }
            other => return Err(Problem::offline(other.span(), format!("ALTER TABLE … {other}"))),
        }
    }
    // Only a CREATE TABLE sets its keys aside: here the table exists already.
    for (_, fk) in &specs.fks {
        cat.find_table(&fk.target)?;
    }
    add_constraints(cat, &schema, &table, specs).map_err(Problem::settled)
}
