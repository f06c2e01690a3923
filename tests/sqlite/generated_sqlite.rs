//! Random valid SQLite models (proptest), built in the form the inspector reports them, with
//! names that need quoting: each must come back unchanged from HCL (model → HCL → model) and
//! from SQL the way `schema plan` reads desired SQL on SQLite (model → the planner's CREATE
//! statements → replay on an in-memory database → inspect → model).
//!
//! The canonical forms were checked against SQLite 3 by hand: `pragma_table_xinfo` gives a
//! declared type as written and an expression default without its outer parentheses; a
//! `WITHOUT ROWID` table's key columns are NOT NULL; SQLite folds a UNIQUE constraint into an
//! equal one or into the primary key, so the generator never declares those; and tables,
//! indexes, views and triggers share one case-insensitive namespace.

use proptest::prelude::*;
use schema_model::sql::SourceFile;
use schema_model::{
    quote_ident, Check, Column, ColumnType, Deferrable, Dialect, ForeignKey, Generated, Index, IndexKey, IndexPart,
    PrimaryKey, Realm, RefAction, Schema, Table, Trigger, UniqueConstraint, View,
};

const D: Dialect = Dialect::Sqlite;

/// Declared types as `pragma_table_xinfo` reports them (upper case, as the canonical form is);
/// the empty type is a column declared without one.
const TYPES: &[&str] = &["INTEGER", "TEXT", "REAL", "BLOB", "ANY", "NUMERIC", "VARCHAR(20)", "DECIMAL(10,2)", ""];

/// The types a `STRICT` table accepts.
const STRICT_TYPES: &[&str] = &["INTEGER", "TEXT", "REAL", "BLOB", "ANY"];

/// Defaults as `pragma_table_xinfo` reports them: literals as written, expressions without
/// their outer parentheses.
const DEFAULTS: &[&str] = &["42", "-1", "'it''s'", "'${x} %{y}'", "CURRENT_TIMESTAMP", "1 + 2", "lower('X')"];

/// Names the product promises to handle: capitals, spaces, quotes, reserved words, non-ASCII
/// and HCL template markers (one each).
const AWKWARD: &[&str] = &["My Table", "it's \"quoted\"", "select", "order", "Län_ß", "CamelCase", "a$b", "${x}"];

const ACTIONS: &[RefAction] =
    &[RefAction::NoAction, RefAction::Restrict, RefAction::Cascade, RefAction::SetNull, RefAction::SetDefault];

const DEFERRABLE: &[Deferrable] =
    &[Deferrable::NotDeferrable, Deferrable::InitiallyImmediate, Deferrable::InitiallyDeferred];

/// A plain name with `prefix`, or now and then an awkward one (with or without the prefix).
fn name(prefix: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9_]{0,6}".prop_map(move |s| format!("{prefix}{s}")),
        1 => proptest::sample::select(AWKWARD).prop_map(move |a| format!("{prefix}{a}")),
        1 => proptest::sample::select(AWKWARD).prop_map(str::to_string),
    ]
}

/// True when `name` is taken in `names`, the way SQLite compares identifiers (ASCII case folded).
fn taken<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> bool {
    names.any(|n| n.eq_ignore_ascii_case(name))
}

/// A quoted identifier.
fn q(name: &str) -> String {
    quote_ident(D, name)
}

/// A column that is not the key column: a type, nullability, and a default or a generated
/// expression over `id` (never both, which SQLite refuses).
fn column() -> impl Strategy<Value = Column> {
    let extra = prop_oneof![
        2 => Just(None),
        2 => (0..DEFAULTS.len()).prop_map(|d| Some(Ok(DEFAULTS[d]))),
        1 => any::<bool>().prop_map(|stored| Some(Err(stored))),
    ];
    let collation = proptest::option::of(proptest::sample::select(vec!["NOCASE", "RTRIM", "BINARY"]));
    (name("c_"), 0..TYPES.len(), any::<bool>(), extra, collation).prop_map(|(name, t, nullable, extra, collation)| {
        let (default, generated) = match extra {
            None => (None, None),
            Some(Ok(d)) => (Some(d.to_string()), None),
            Some(Err(stored)) => (None, Some(Generated { expr: "\"id\" * 2".into(), stored })),
        };
        Column {
            name: name.into(),
            ty: ColumnType::new(TYPES[t]),
            nullable,
            default: default.map(Into::into),
            generated: generated.map(Box::new),
            collation: collation.map(Into::into),
            ..Default::default()
        }
    })
}

/// The primary key a table gets: none, `id` (named or not, or `AUTOINCREMENT`), or `id` with
/// the next column.
#[derive(Debug, Clone, Copy)]
enum Key {
    None,
    Id { named: bool },
    AutoIncrement,
    Composite { named: bool },
}

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        Just(Key::None),
        any::<bool>().prop_map(|named| Key::Id { named }),
        Just(Key::AutoIncrement),
        any::<bool>().prop_map(|named| Key::Composite { named }),
    ]
}

/// One index part: a column by position, descending or not, with a collation or none, or
/// instead of the column an expression over the key column.
type PartPick = (usize, bool, Option<&'static str>, Option<&'static str>);

/// An index: its parts, whether it is unique, and whether it is partial.
type IndexPick = (Vec<PartPick>, bool, bool);

fn index_part() -> impl Strategy<Value = PartPick> {
    let expr = proptest::option::of(proptest::sample::select(vec!["lower(\"id\")", "\"id\" + 1", "abs(\"id\") % 7"]));
    let collation = proptest::option::of(Just("NOCASE"));
    (any::<usize>(), any::<bool>(), collation, expr)
}

fn index() -> impl Strategy<Value = IndexPick> {
    (proptest::collection::vec(index_part(), 1..3), any::<bool>(), any::<bool>())
}

/// What of a table refers to its columns by position, resolved once the columns are known.
#[derive(Debug, Clone)]
struct Extras {
    key: Key,
    uniques: Vec<(Vec<usize>, bool)>,
    indexes: Vec<IndexPick>,
    checks: Vec<(usize, bool)>,
    strict: bool,
    without_rowid: bool,
}

fn extras() -> impl Strategy<Value = Extras> {
    (
        key(),
        proptest::collection::vec((proptest::collection::vec(any::<usize>(), 1..3), any::<bool>()), 0..3),
        proptest::collection::vec(index(), 0..3),
        proptest::collection::vec((0..CHECKS.len(), any::<bool>()), 0..3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(key, uniques, indexes, checks, strict, without_rowid)| Extras {
            key,
            uniques,
            indexes,
            checks,
            strict,
            without_rowid,
        })
}

/// Check expressions as SQLite keeps them: the text between the parentheses, as written.
const CHECKS: &[&str] = &["\"id\" > 0", "length(CAST(\"id\" AS TEXT)) < 10", "\"id\" IN (1, 2, 3) OR \"id\" IS NULL"];

fn table() -> impl Strategy<Value = Table> {
    (name("t_"), proptest::collection::vec(column(), 0..4), extras()).prop_map(|(name, cols, x)| {
        let mut columns = vec![Column { name: "id".into(), ty: ColumnType::new("INTEGER"), ..Default::default() }];
        for c in cols {
            if !taken(columns.iter().map(|c| c.name.as_str()), &c.name) {
                columns.push(c);
            }
        }
        let mut t = Table { name: name.clone().into(), columns, ..Default::default() };
        let constraint = |named: bool, what: &str| named.then(|| format!("{what} of {name}"));
        let pk = match x.key {
            Key::None => None,
            Key::Id { .. } => Some(vec![0]),
            Key::AutoIncrement => Some(vec![0]).filter(|_| !x.without_rowid),
            Key::Composite { .. } if t.columns.len() > 1 && t.columns[1].generated.is_none() => Some(vec![0, 1]),
            Key::Composite { .. } => Some(vec![0]),
        };
        let named = matches!(x.key, Key::Id { named: true } | Key::Composite { named: true });
        if let Some(cols) = &pk {
            if matches!(x.key, Key::AutoIncrement) {
                t.columns[0].auto_increment = true;
            }
            t.primary_key = Some(PrimaryKey {
                name: constraint(named, "pk").map(Into::into),
                columns: cols.iter().map(|&i| t.columns[i].name.clone()).collect(),
                ..Default::default()
            });
        }
        // WITHOUT ROWID needs a primary key. It makes the key's columns NOT NULL, and so does
        // STRICT, but for a key that is the rowid (one INTEGER column).
        t.options.without_rowid = x.without_rowid && pk.is_some();
        t.options.strict = x.strict && t.columns.iter().all(|c| STRICT_TYPES.contains(&c.ty.raw.as_str()));
        let rowid = pk.as_ref().is_some_and(|k| k.len() == 1) && !t.options.without_rowid;
        if t.options.without_rowid || (t.options.strict && !rowid) {
            for &i in pk.iter().flatten() {
                t.columns[i].nullable = false;
            }
        }
        let n = t.columns.len();
        let key_columns = t.primary_key.as_ref().map(|p| p.columns.clone());
        for (i, (positions, named)) in x.uniques.into_iter().enumerate() {
            let mut columns: Vec<schema_model::CompactString> = Vec::new();
            for p in positions {
                let c = t.columns[p % n].name.clone();
                if !columns.contains(&c) {
                    columns.push(c);
                }
            }
            let folded = t.uniques.iter().any(|u| u.columns == columns) || key_columns.as_ref() == Some(&columns);
            if !folded {
                t.uniques.push(UniqueConstraint {
                    name: constraint(named, &format!("uq{i}")).map(Into::into),
                    columns,
                    ..Default::default()
                });
            }
        }
        for (i, (parts, unique, partial)) in x.indexes.into_iter().enumerate() {
            let parts = parts
                .into_iter()
                .map(|(p, desc, collation, expr)| IndexPart {
                    key: match expr {
                        Some(e) => IndexKey::Expr(e.into()),
                        None => IndexKey::Column(t.columns[p % n].name.clone()),
                    },
                    desc,
                    collation: collation.map(str::to_string),
                    nulls_first: None,
                    opclass: None,
                    prefix: None,
                })
                .collect();
            t.indexes.push(Index {
                name: format!("ix_{name}_{i}").into(),
                unique,
                parts,
                predicate: partial.then(|| "\"id\" > 0 AND \"id\" IS NOT NULL".to_string()),
                ..Default::default()
            });
        }
        for (i, (c, named)) in x.checks.into_iter().enumerate() {
            t.checks.push(Check {
                name: constraint(named, &format!("ck{i}")).map(Into::into),
                expr: CHECKS[c].into(),
                ..Default::default()
            });
        }
        t
    })
}

/// A foreign key from table `from` (by position) to table `to`, on `id` to the target's key
/// (or its `id`), with actions and deferral picked by position.
type FkPick = (usize, usize, usize, usize, usize, bool);

fn add_foreign_key(s: &mut Schema, (from, to, delete, update, deferrable, named): FkPick) {
    let n = s.tables.len();
    let target = &s.tables[to % n];
    let ref_table = target.name.clone();
    let ref_columns = match &target.primary_key {
        Some(pk) if pk.columns.len() == 1 => pk.columns.clone(),
        _ => vec!["id".into()],
    };
    let t = &mut s.tables[from % n];
    let exists = t.foreign_keys.iter().any(|f| f.ref_table.eq_ignore_ascii_case(&ref_table));
    if exists {
        return;
    }
    let name = named.then(|| format!("fk to {ref_table}"));
    t.foreign_keys.push(ForeignKey {
        name: name.map(Into::into),
        columns: vec!["id".into()],
        ref_table: ref_table.clone(),
        ref_columns,
        on_delete: ACTIONS[delete % ACTIONS.len()],
        on_update: ACTIONS[update % ACTIONS.len()],
        deferrable: DEFERRABLE[deferrable % DEFERRABLE.len()],
        ..Default::default()
    });
}

/// A view over a table, and a trigger on it, as their full statements (which SQLite keeps
/// as written).
fn add_view_and_trigger(s: &mut Schema, at: usize, view: Option<String>, trigger: Option<String>) {
    let Some(t) = s.tables.get(at % s.tables.len().max(1)).map(|t| t.name.clone()) else { return };
    if let Some(v) = view.map(|v| format!("v_{v}")) {
        let definition = format!("CREATE VIEW {} AS SELECT {} AS \"Id\" FROM {}", q(&v), q("id"), q(&t));
        s.views.push(View { name: v, definition, ..Default::default() });
    }
    if let Some(tr) = trigger.map(|tr| format!("tr_{tr}")) {
        let definition = format!(
            "CREATE TRIGGER {} AFTER INSERT ON {} BEGIN UPDATE {} SET {} = NEW.{}; END",
            q(&tr),
            q(&t),
            q(&t),
            q("id"),
            q("id")
        );
        s.triggers.push(Trigger { name: tr, table: t.to_string(), definition, comment: None });
    }
}

fn realm() -> impl Strategy<Value = Realm> {
    let fk = (any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>(), any::<bool>());
    (
        proptest::collection::vec(table(), 0..4),
        proptest::collection::vec(fk, 0..3),
        (any::<usize>(), proptest::option::of(name("")), proptest::option::of(name(""))),
    )
        .prop_map(|(tables, fks, (at, view, trigger))| {
            let mut s = Schema::named("main");
            for t in tables {
                if !taken(s.tables.iter().map(|t| t.name.as_str()), &t.name) {
                    s.tables.push(t);
                }
            }
            if !s.tables.is_empty() {
                for f in fks {
                    add_foreign_key(&mut s, f);
                }
            }
            add_view_and_trigger(&mut s, at, view, trigger);
            let mut r = Realm::new(D);
            r.schemas.push(s);
            r.normalize();
            r
        })
}

/// The statements the planner writes to create `model` from an empty database.
fn create_script(model: &Realm) -> String {
    let mut empty = Realm::new(D);
    empty.schemas.push(Schema::named("main"));
    let plan = schema_diff::plan(&empty, model).expect("the planner accepts a valid model");
    plan.statements().iter().map(|s| format!("{s};\n")).collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn sqlite_model_to_hcl_to_model_is_the_identity(model in realm()) {
        let trip = schema_e2e::hcl_trip::model_through_hcl(&model);
        prop_assert!(trip.is_ok(), "{}", trip.as_ref().err().cloned().unwrap_or_default());
        let (text, back) = trip.unwrap();
        prop_assert_eq!(back, model, "{}", text);
    }

    #[test]
    fn sqlite_model_to_sql_to_model_in_memory_is_the_identity(model in realm()) {
        let script = create_script(&model);
        let files = [SourceFile::new("gen.sql", script.clone())];
        let back = runtime().block_on(schema_inspect::load_sql(D, &files, None));
        prop_assert!(back.is_ok(), "{:?}\n{script}", back.err());
        prop_assert_eq!(back.unwrap(), model, "{}", script);
    }
}
