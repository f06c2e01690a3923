//! PostgreSQL DDL text for model objects. Every identifier and literal is quoted.

use crate::render::{constraint_prefix, name_list};
use schema_model::{
    quote_ident, quote_literal, Check, Column, Deferrable, Dialect, Domain, ForeignKey, Identity, Index, PrimaryKey,
    Sequence, UniqueConstraint,
};

const D: Dialect = Dialect::Postgres;

/// Quotes an identifier.
pub fn q(name: &str) -> String {
    quote_ident(D, name)
}

/// `"schema"."name"`.
pub fn qn(schema: &str, name: &str) -> String {
    schema_model::qualified(D, Some(schema), name)
}

/// A string literal, or NULL.
pub fn lit(value: Option<&str>) -> String {
    value.map(|v| quote_literal(D, v)).unwrap_or_else(|| "NULL".into())
}

/// A collation name as the catalog gives it (`C`, `en_US`, `myschema.coll`).
pub fn collation(name: &str) -> String {
    crate::render::collation(D, name)
}

fn deferrable(d: Deferrable) -> &'static str {
    match d {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

/// Identity sequence options, as in `GENERATED ... AS IDENTITY (...)`.
pub fn identity_options(i: &Identity) -> String {
    format!(
        "START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{}",
        i.start,
        i.increment,
        i.min_value,
        i.max_value,
        i.cache,
        if i.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

/// `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY (...)`.
pub fn identity(i: &Identity) -> String {
    format!("GENERATED {} AS IDENTITY ({})", if i.always { "ALWAYS" } else { "BY DEFAULT" }, identity_options(i))
}

/// A column definition, as in `CREATE TABLE` and `ADD COLUMN`.
pub fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", q(&c.name), c.ty.canonical);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", collation(coll)));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({}) STORED", g.expr));
    }
    if let Some(i) = &c.identity {
        s.push(' ');
        s.push_str(&identity(i));
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    s
}

/// A primary key clause.
pub fn primary_key(pk: &PrimaryKey) -> String {
    format!(
        "{}PRIMARY KEY ({}){}",
        constraint_prefix(D, pk.name.as_deref()),
        name_list(D, &pk.columns),
        deferrable(pk.deferrable)
    )
}

/// A unique constraint clause.
pub fn unique(u: &UniqueConstraint) -> String {
    let mut s = format!(
        "{}UNIQUE {}({})",
        constraint_prefix(D, u.name.as_deref()),
        if u.nulls_not_distinct { "NULLS NOT DISTINCT " } else { "" },
        name_list(D, &u.columns)
    );
    if !u.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", name_list(D, &u.include)));
    }
    s.push_str(deferrable(u.deferrable));
    s
}

/// A check clause; `NOT VALID` only where allowed (ALTER TABLE).
pub fn check(c: &Check, with_not_valid: bool) -> String {
    format!(
        "{}CHECK ({}){}{}",
        constraint_prefix(D, c.name.as_deref()),
        c.expr,
        if c.no_inherit { " NO INHERIT" } else { "" },
        if with_not_valid && c.not_valid { " NOT VALID" } else { "" }
    )
}

/// A foreign key clause of a table in `schema`.
pub fn foreign_key(schema: &str, fk: &ForeignKey) -> String {
    let mut s = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_prefix(D, fk.name.as_deref()),
        name_list(D, &fk.columns),
        qn(fk.ref_schema.as_deref().unwrap_or(schema), &fk.ref_table),
        name_list(D, &fk.ref_columns)
    );
    if fk.match_full {
        s.push_str(" MATCH FULL");
    }
    if !fk.on_delete.is_default() {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if !fk.on_update.is_default() {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    s.push_str(deferrable(fk.deferrable));
    if fk.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

/// `CREATE INDEX` on a table or materialized view.
pub fn create_index(schema: &str, table: &str, i: &Index, concurrently: bool) -> String {
    let parts = crate::render::index_parts(D, &i.parts);
    let mut s = format!(
        "CREATE {}INDEX {}{} ON {}",
        if i.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        q(&i.name),
        qn(schema, table)
    );
    if let Some(m) = &i.method {
        s.push_str(&format!(" USING {m}"));
    }
    s.push_str(&format!(" ({parts})"));
    if !i.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", name_list(D, &i.include)));
    }
    if i.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !i.storage.is_empty() {
        s.push_str(&format!(" WITH ({})", i.storage.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

/// `CREATE SEQUENCE` with every option spelled out.
pub fn create_sequence(schema: &str, s: &Sequence) -> String {
    format!("CREATE SEQUENCE {} AS {} {}", qn(schema, &s.name), s.data_type, sequence_options(s))
}

/// The options of `CREATE/ALTER SEQUENCE`.
pub fn sequence_options(s: &Sequence) -> String {
    format!(
        "INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        s.increment,
        s.min_value,
        s.max_value,
        s.start,
        s.cache,
        if s.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

/// `ALTER SEQUENCE ... OWNED BY ...` (or `OWNED BY NONE`).
pub fn sequence_owner(schema: &str, s: &Sequence) -> String {
    let owner = match &s.owned_by {
        Some((os, t, c)) => format!("{}.{}", qn(os, t), q(c)),
        None => "NONE".into(),
    };
    format!("ALTER SEQUENCE {} OWNED BY {owner}", qn(schema, &s.name))
}

/// `CREATE DOMAIN` with its default, nullability and checks.
pub fn create_domain(schema: &str, d: &Domain) -> String {
    let mut s = format!("CREATE DOMAIN {} AS {}", qn(schema, &d.name), d.ty.canonical);
    if let Some(c) = &d.collation {
        s.push_str(&format!(" COLLATE {}", collation(c)));
    }
    if let Some(v) = &d.default {
        s.push_str(&format!(" DEFAULT {v}"));
    }
    if !d.nullable {
        s.push_str(" NOT NULL");
    }
    for c in &d.checks {
        s.push_str(&format!(" {}", check(c, false)));
    }
    s
}

/// `COMMENT ON <kind> <name> IS ...`, or nothing when both sides have none.
pub fn comment(kind: &str, target: &str, value: Option<&str>) -> String {
    format!("COMMENT ON {kind} {target} IS {}", lit(value))
}
