//! Table constraints, added the way PostgreSQL adds them: checks named by
//! `ChooseConstraintName`, primary keys and unique constraints deduplicated and named by
//! `ChooseIndexName`, foreign keys checked against a unique key of the referenced table.

use sqlparser::ast::{
    CheckConstraint, ConstraintCharacteristics, ConstraintReferenceMatchKind, DeferrableInitial, Expr,
    ForeignKeyConstraint, Ident, IndexColumn, KeyOrIndexDisplay, NullsDistinctOption, ObjectName, PrimaryKeyConstraint,
    ReferentialAction, Spanned, UniqueConstraint as AstUnique,
};
use sqlparser::tokenizer::Span;

use super::catalog::Catalog;
use super::deparse::render;
use super::expr::{boolean, Scope};
use super::names::{choose, index_column_names, name_addition};
use super::{fold, Problem};
use crate::{names, Check, CompactString, Deferrable, ForeignKey, PrimaryKey, RefAction, Table, UniqueConstraint};

type R<T> = Result<T, Problem>;

/// A `CHECK` to add.
pub(super) struct CheckSpec {
    /// Its declared name.
    pub name: Option<String>,
    /// The expression as written.
    pub expr: Expr,
    /// `NO INHERIT`.
    pub no_inherit: bool,
    /// `NOT VALID` (honoured by `ALTER TABLE` only).
    pub not_valid: bool,
}

/// A primary key or unique constraint to add.
#[derive(Clone)]
pub(super) struct KeySpec {
    /// Primary key rather than unique.
    pub primary: bool,
    /// Its declared name.
    pub name: Option<String>,
    /// Key columns.
    pub columns: Vec<String>,
    /// `INCLUDE` columns.
    pub include: Vec<String>,
    /// `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
    /// `DEFERRABLE`.
    pub deferrable: Deferrable,
    /// Where it is written.
    pub span: Span,
}

/// A foreign key to add.
pub(super) struct FkSpec {
    /// Its declared name.
    pub name: Option<String>,
    /// Referencing columns.
    pub columns: Vec<Ident>,
    /// The referenced table as written.
    pub target: ObjectName,
    /// Referenced columns (empty: the primary key).
    pub ref_columns: Vec<String>,
    /// `ON DELETE`, `ON UPDATE`.
    pub actions: (RefAction, RefAction),
    /// `MATCH FULL`.
    pub match_full: bool,
    /// `DEFERRABLE`.
    pub deferrable: Deferrable,
    /// `NOT VALID` (honoured by `ALTER TABLE` only).
    pub not_valid: bool,
    /// Where it is written.
    pub span: Span,
}

/// `DEFERRABLE` / `INITIALLY` as PostgreSQL combines them.
pub(super) fn deferrable(c: &Option<ConstraintCharacteristics>, span: Span) -> R<Deferrable> {
    let Some(c) = c else { return Ok(Deferrable::NotDeferrable) };
    if c.enforced.is_some() {
        return Err(Problem::offline(span, "ENFORCED / NOT ENFORCED".into()));
    }
    match (c.deferrable, c.initially) {
        (Some(false), Some(DeferrableInitial::Deferred)) => {
            Err(Problem::invalid(span, "constraint declared INITIALLY DEFERRED must be DEFERRABLE".into()))
        }
        (_, Some(DeferrableInitial::Deferred)) => Ok(Deferrable::InitiallyDeferred),
        (Some(true), _) => Ok(Deferrable::InitiallyImmediate),
        _ => Ok(Deferrable::NotDeferrable),
    }
}

/// A `CHECK` clause.
pub(super) fn check_spec(c: &CheckConstraint, name: Option<&Ident>) -> R<CheckSpec> {
    if c.enforced.is_some() {
        return Err(Problem::offline(c.expr.span(), "ENFORCED / NOT ENFORCED".into()));
    }
    Ok(CheckSpec {
        name: name.or(c.name.as_ref()).map(fold),
        expr: (*c.expr).clone(),
        no_inherit: c.no_inherit,
        not_valid: false,
    })
}

fn plain_columns(cols: &[IndexColumn], span: Span) -> R<Vec<String>> {
    cols.iter()
        .map(|c| match (&c.column.expr, &c.column.options.sort, c.column.options.nulls_first, &c.operator_class) {
            (Expr::Identifier(id), None, None, None) if c.column.with_fill.is_none() => Ok(fold(id)),
            _ => Err(Problem::offline(span, "a constraint column with options".into())),
        })
        .collect()
}

/// A `PRIMARY KEY` clause; `column` for one written on a column.
pub(super) fn pk_spec(pk: &PrimaryKeyConstraint, name: Option<&Ident>, column: Option<&str>) -> R<KeySpec> {
    let span = pk.span();
    if pk.index_name.is_some() || pk.index_type.is_some() || !pk.index_options.is_empty() {
        return Err(Problem::offline(span, "this PRIMARY KEY clause".into()));
    }
    let columns = match column {
        Some(c) => vec![c.to_string()],
        None => plain_columns(&pk.columns, span)?,
    };
    Ok(KeySpec {
        primary: true,
        name: name.or(pk.name.as_ref()).map(fold),
        columns,
        include: pk.include.iter().map(fold).collect(),
        nulls_not_distinct: false,
        deferrable: deferrable(&pk.characteristics, span)?,
        span,
    })
}

/// A `UNIQUE` clause; `column` for one written on a column.
pub(super) fn unique_spec(u: &AstUnique, name: Option<&Ident>, column: Option<&str>) -> R<KeySpec> {
    let span = u.span();
    if u.index_name.is_some() || u.index_type.is_some() || !u.index_options.is_empty() {
        return Err(Problem::offline(span, "this UNIQUE clause".into()));
    }
    if u.index_type_display != KeyOrIndexDisplay::None {
        return Err(Problem::offline(span, "UNIQUE KEY / UNIQUE INDEX".into()));
    }
    let columns = match column {
        Some(c) => vec![c.to_string()],
        None => plain_columns(&u.columns, span)?,
    };
    Ok(KeySpec {
        primary: false,
        name: name.or(u.name.as_ref()).map(fold),
        columns,
        include: u.include.iter().map(fold).collect(),
        nulls_not_distinct: u.nulls_distinct == NullsDistinctOption::NotDistinct,
        deferrable: deferrable(&u.characteristics, span)?,
        span,
    })
}

/// A `REFERENCES` / `FOREIGN KEY` clause; `column` for one written on a column.
pub(super) fn fk_spec(fk: &ForeignKeyConstraint, name: Option<&Ident>, column: Option<&Ident>) -> R<FkSpec> {
    let span = fk.span();
    if fk.index_name.is_some() {
        return Err(Problem::offline(span, "this FOREIGN KEY clause".into()));
    }
    let action = |a: &Option<ReferentialAction>| match a {
        None | Some(ReferentialAction::NoAction) => RefAction::NoAction,
        Some(ReferentialAction::Restrict) => RefAction::Restrict,
        Some(ReferentialAction::Cascade) => RefAction::Cascade,
        Some(ReferentialAction::SetNull) => RefAction::SetNull,
        Some(ReferentialAction::SetDefault) => RefAction::SetDefault,
    };
    let match_full = match fk.match_kind {
        None | Some(ConstraintReferenceMatchKind::Simple) => false,
        Some(ConstraintReferenceMatchKind::Full) => true,
        Some(ConstraintReferenceMatchKind::Partial) => {
            return Err(Problem::invalid(span, "MATCH PARTIAL not yet implemented".into()))
        }
    };
    Ok(FkSpec {
        name: name.or(fk.name.as_ref()).map(fold),
        columns: column.map(|c| vec![c.clone()]).unwrap_or_else(|| fk.columns.clone()),
        target: fk.foreign_table.clone(),
        ref_columns: fk.referred_columns.iter().map(fold).collect(),
        actions: (action(&fk.on_delete), action(&fk.on_update)),
        match_full,
        deferrable: deferrable(&fk.characteristics, span)?,
        not_valid: false,
        span,
    })
}

/// The names of every constraint of a table.
fn has_constraint(t: &Table, name: &str) -> bool {
    let n = Some(name);
    t.primary_key.as_ref().is_some_and(|p| p.name.as_deref() == n)
        || t.uniques.iter().any(|u| u.name.as_deref() == n)
        || t.checks.iter().any(|c| c.name.as_deref() == n)
        || t.foreign_keys.iter().any(|f| f.name.as_deref() == n)
}

fn duplicate(name: &str, table: &str, span: Span) -> Problem {
    Problem::invalid(span, format!("constraint \"{name}\" for relation \"{table}\" already exists"))
}

/// Adds a check to `schema.table`.
pub(super) fn add_check(cat: &mut Catalog, schema: &str, table: &str, spec: CheckSpec) -> R<()> {
    let columns = cat.table_columns(schema, table);
    let node = boolean(&spec.expr, &Scope { table: Some(table), columns, value: None, cat: &*cat })?;
    let mut read = Vec::new();
    node.columns(&mut read);
    let name = match spec.name {
        Some(n) if has_constraint(cat.table_mut(schema, table), &n) => {
            return Err(duplicate(&n, table, spec.expr.span()))
        }
        Some(n) => n,
        None => {
            let col = if read.len() == 1 { Some(read[0].as_str()) } else { None };
            choose(table, col, "check", |n| cat.constraint_taken(schema, n))
        }
    };
    cat.add_constraint(schema, &name);
    cat.table_mut(schema, table).checks.push(Check {
        name: Some(name.into()),
        expr: render(&node),
        not_valid: spec.not_valid,
        no_inherit: spec.no_inherit,
        comment: None,
    });
    Ok(())
}

/// Adds primary keys and unique constraints given in one statement: the primary key first,
/// then the others in order, those equal to an earlier one merged into it (as
/// `transformIndexConstraints` does).
pub(super) fn add_keys(cat: &mut Catalog, schema: &str, table: &str, specs: Vec<KeySpec>) -> R<()> {
    let mut primaries = specs.iter().filter(|k| k.primary);
    let pk = primaries.next().cloned();
    if let Some(second) = primaries.next() {
        return Err(Problem::invalid(second.span, "multiple primary keys for table are not allowed".into()));
    }
    let mut list: Vec<KeySpec> = pk.into_iter().collect();
    for k in specs.into_iter().filter(|k| !k.primary) {
        let same = list.iter_mut().find(|p| {
            p.columns == k.columns
                && p.include == k.include
                && p.nulls_not_distinct == k.nulls_not_distinct
                && p.deferrable == k.deferrable
        });
        match same {
            Some(p) => p.name = p.name.take().or(k.name),
            None => list.push(k),
        }
    }
    for k in list {
        add_key(cat, schema, table, k)?;
    }
    Ok(())
}

fn add_key(cat: &mut Catalog, schema: &str, table: &str, k: KeySpec) -> R<()> {
    let columns = cat.table_columns(schema, table);
    for (i, c) in k.columns.iter().chain(&k.include).enumerate() {
        if !columns.iter().any(|(n, _)| n == c) {
            return Err(Problem::invalid(k.span, format!("column \"{c}\" named in key does not exist")));
        }
        if k.columns.iter().chain(&k.include).take(i).any(|p| p == c) {
            return Err(Problem::invalid(k.span, format!("column \"{c}\" appears twice in this constraint")));
        }
    }
    let t = cat.table_mut(schema, table);
    if k.primary && t.primary_key.is_some() {
        return Err(Problem::invalid(k.span, format!("multiple primary keys for table \"{table}\" are not allowed")));
    }
    let name = match k.name {
        Some(n) if has_constraint(t, &n) => return Err(duplicate(&n, table, k.span)),
        Some(n) if cat.relation_taken(schema, &n) => {
            return Err(Problem::invalid(k.span, format!("relation \"{n}\" already exists")))
        }
        Some(n) => n,
        None if k.primary => {
            choose(table, None, "pkey", |n| cat.relation_taken(schema, n) || cat.constraint_taken(schema, n))
        }
        None => {
            let parts: Vec<Option<String>> = k.columns.iter().chain(&k.include).map(|c| Some(c.clone())).collect();
            let addition = name_addition(&index_column_names(&parts));
            choose(table, Some(&addition), "key", |n| cat.relation_taken(schema, n) || cat.constraint_taken(schema, n))
        }
    };
    cat.add_relation(schema, &name);
    cat.add_constraint(schema, &name);
    let t = cat.table_mut(schema, table);
    if k.primary {
        for c in t.columns.iter_mut().filter(|c| k.columns.iter().any(|k| *k == c.name)) {
            c.nullable = false;
        }
        if !k.include.is_empty() {
            return Err(Problem::offline(k.span, "a primary key with INCLUDE columns".into()));
        }
        t.primary_key = Some(PrimaryKey {
            name: Some(name.into()),
            columns: names(k.columns),
            deferrable: k.deferrable,
            comment: None,
        });
    } else {
        t.uniques.push(UniqueConstraint {
            name: Some(name.into()),
            columns: names(k.columns),
            nulls_not_distinct: k.nulls_not_distinct,
            include: names(k.include),
            deferrable: k.deferrable,
            comment: None,
        });
    }
    Ok(())
}

/// Adds a foreign key to `schema.table`.
pub(super) fn add_fk(cat: &mut Catalog, schema: &str, table: &str, fk: FkSpec) -> R<()> {
    let columns = cat.table_columns(schema, table);
    let mut local = Vec::new();
    for id in &fk.columns {
        let c = fold(id);
        match columns.iter().find(|(n, _)| *n == c) {
            Some((_, t)) => local.push((c, t.clone())),
            None => {
                return Err(Problem::invalid(
                    id.span,
                    format!("column \"{c}\" referenced in foreign key constraint does not exist"),
                ))
            }
        }
    }
    let (ref_schema, ref_table) = cat.find_table(&fk.target)?;
    let target = cat.table(&ref_schema, &ref_table);
    let ref_columns = if fk.ref_columns.is_empty() {
        match &target.primary_key {
            Some(pk) => pk.columns.clone(),
            None => {
                return Err(Problem::invalid(
                    fk.span,
                    format!("there is no primary key for referenced table \"{ref_table}\""),
                ))
            }
        }
    } else {
        names(fk.ref_columns.clone())
    };
    if ref_columns.len() != local.len() {
        return Err(Problem::invalid(
            fk.span,
            "number of referencing and referenced columns for foreign key disagree".into(),
        ));
    }
    let mut wanted = ref_columns.clone();
    wanted.sort();
    let same_set = |cols: &[CompactString]| {
        let mut c = cols.to_vec();
        c.sort();
        c == wanted
    };
    let immediate = |d: &Deferrable| *d == Deferrable::NotDeferrable;
    let unique = target.primary_key.as_ref().is_some_and(|p| same_set(&p.columns) && immediate(&p.deferrable))
        || target.uniques.iter().any(|u| same_set(&u.columns) && immediate(&u.deferrable))
        || target.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && same_set(
                    &i.parts
                        .iter()
                        .filter_map(|p| match &p.key {
                            crate::IndexKey::Column(c) if p.opclass.is_none() && p.collation.is_none() => {
                                Some(c.clone())
                            }
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                )
                && i.parts.len() == wanted.len()
        });
    if !unique {
        return Err(Problem::invalid(
            fk.span,
            format!("there is no unique constraint matching given keys for referenced table \"{ref_table}\""),
        ));
    }
    let target_cols = cat.table_columns(&ref_schema, &ref_table);
    for ((_, lt), rc) in local.iter().zip(&ref_columns) {
        let rt = &target_cols.iter().find(|(n, _)| n == rc).map(|(_, t)| t.clone());
        let Some(rt) = rt else {
            return Err(Problem::invalid(
                fk.span,
                format!("column \"{rc}\" referenced in foreign key constraint does not exist"),
            ));
        };
        let comparable = lt.label == rt.label || (lt.is_int() && rt.is_int()) || (lt.is_text() && rt.is_text());
        if !comparable {
            return Err(Problem::offline(fk.span, format!("a foreign key from {} to {}", lt.canonical, rt.canonical)));
        }
    }
    let local_names: Vec<CompactString> = local.into_iter().map(|(c, _)| c.into()).collect();
    let name = match fk.name {
        Some(n) if has_constraint(cat.table_mut(schema, table), &n) => return Err(duplicate(&n, table, fk.span)),
        Some(n) => n,
        None => choose(table, Some(&name_addition(&local_names)), "fkey", |n| cat.constraint_taken(schema, n)),
    };
    cat.add_constraint(schema, &name);
    cat.table_mut(schema, table).foreign_keys.push(ForeignKey {
        name: Some(name.into()),
        columns: local_names,
        ref_schema: (ref_schema != schema).then_some(ref_schema),
        ref_table: ref_table.into(),
        ref_columns,
        on_delete: fk.actions.0,
        on_update: fk.actions.1,
        deferrable: fk.deferrable,
        match_full: fk.match_full,
        not_valid: fk.not_valid,
        comment: None,
    });
    Ok(())
}
