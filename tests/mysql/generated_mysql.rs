//! Random valid MySQL/MariaDB models (proptest), built in the form the inspector reports them,
//! with names that need quoting: each must come back unchanged from SQL the way `schema plan
//! --dev-url` reads desired SQL (model → the planner's CREATE statements → replay in a scratch
//! database on the dev server → inspect → model), and from HCL (model → HCL → model).
//!
//! The canonical forms were checked against MariaDB 10.11 by hand: COLUMN_TYPE with display
//! widths (`int(11)`), defaults as expressions (`'it''s'`, `current_timestamp()`, no default
//! for NULL), primary key columns NOT NULL, an undeclared referential action read as RESTRICT,
//! check clauses and view queries in the server's own spelling, and every table with the
//! dev database's engine, character set and collation.

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use schema_e2e::my::MyDb;
use schema_inspect::{load_sql, DbUrl};
use schema_model::sql::SourceFile;
use schema_model::types::canonical_type;
use schema_model::{
    quote_ident, Check, Column, ColumnType, Dialect, ForeignKey, Index, IndexKey, IndexPart, PrimaryKey, Realm,
    RefAction, Schema, Table, TableOptions, View,
};

const D: Dialect = Dialect::Mysql;

/// Column types as COLUMN_TYPE reports them, each with a default as COLUMN_DEFAULT reports it,
/// and whether an index on it needs a prefix length.
const TYPES: &[(&str, Option<&str>, bool)] = &[
    ("int(11)", Some("42"), false),
    ("bigint(20)", Some("-1"), false),
    ("smallint(6)", None, false),
    ("tinyint(1)", Some("1"), false),
    ("varchar(20)", Some("'it''s \\\\ ${x}'"), false),
    ("char(3)", Some("'abc'"), false),
    ("text", None, true),
    ("blob", None, true),
    ("decimal(10,2)", Some("3.50"), false),
    ("double", None, false),
    ("date", Some("'2024-01-31'"), false),
    ("datetime", Some("current_timestamp()"), false),
    ("enum('a','b c')", Some("'b c'"), false),
];

/// Names with capitals, spaces, quotes, backquotes, reserved words, non-ASCII and template
/// markers (MySQL refuses a name that ends in a space).
const AWKWARD: &[&str] = &["My Table", "it's \"q\"", "a`b", "select", "Län_ß", "CamelCase", "${x}", "50%{off}"];

/// Check clauses as MariaDB's CHECK_CONSTRAINTS renders them.
const CHECKS: &[&str] = &["`id` > 0", "`id` <> 7", "`id` between 1 and 1000000"];

/// A plain name with `prefix`, or now and then an awkward one with it.
fn name(prefix: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9_]{0,6}".prop_map(move |s| format!("{prefix}{s}")),
        1 => proptest::sample::select(AWKWARD).prop_map(move |a| format!("{prefix}{a}")),
    ]
}

/// A comment with quotes and backslashes, as the server gives it back.
fn comment() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[a-zA-Z0-9 '\"`$%{}\\\\]{0,11}[a-z]")
}

/// True when `name` is taken in `names` (MySQL compares column, index and constraint names
/// without case; tables are kept apart the same way to stay portable).
fn taken<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> bool {
    let folded = name.to_lowercase();
    names.any(|n| n.to_lowercase() == folded)
}

fn q(name: &str) -> String {
    quote_ident(D, name)
}

fn column_type(raw: &str) -> ColumnType {
    ColumnType { canonical: canonical_type(D, raw).into(), raw: raw.into() }
}

fn column() -> impl Strategy<Value = Column> {
    (name("c_"), 0..TYPES.len(), any::<bool>(), any::<bool>(), comment()).prop_map(
        |(name, t, nullable, with_default, comment)| {
            let (ty, default, _) = TYPES[t];
            Column {
                name: name.into(),
                ty: column_type(ty),
                nullable,
                default: default.filter(|_| with_default).map(Into::into),
                comment: comment.map(Into::into),
                ..Default::default()
            }
        },
    )
}

/// An index: (column position, descending) parts, and whether it is unique.
type IndexPick = (Vec<(usize, bool)>, bool);

fn table() -> impl Strategy<Value = Table> {
    let indexes = proptest::collection::vec(
        (proptest::collection::vec((any::<usize>(), any::<bool>()), 1..3), any::<bool>()),
        0..3,
    );
    let checks = proptest::collection::vec(0..CHECKS.len(), 0..3);
    (name("t_"), proptest::collection::vec(column(), 0..4), (any::<bool>(), any::<bool>()), indexes, checks, comment())
        .prop_map(|(name, cols, (auto_increment, composite), indexes, checks, comment)| {
            let id = Column { name: "id".into(), ty: column_type("int(11)"), auto_increment, ..Default::default() };
            let mut columns = vec![id];
            for c in cols {
                if !taken(columns.iter().map(|c| c.name.as_str()), &c.name) {
                    columns.push(c);
                }
            }
            let mut t = Table { name: name.into(), columns, comment, ..Default::default() };
            // Every table has a key that starts with `id`, which foreign keys can use on both
            // sides; a second key column must not need a prefix, and is NOT NULL as MySQL makes it.
            let mut key: Vec<schema_model::CompactString> = vec!["id".into()];
            if let Some(second) = t.columns.get_mut(1).filter(|c| composite && !needs_prefix(c)) {
                second.nullable = false;
                key.push(second.name.clone());
            }
            t.primary_key = Some(PrimaryKey { columns: key, ..Default::default() });
            add_indexes(&mut t, indexes);
            // MariaDB refuses an AUTO_INCREMENT column in a check.
            for (i, c) in checks.into_iter().enumerate().filter(|_| !auto_increment) {
                t.checks.push(Check {
                    name: Some(format!("ck{i}").into()),
                    expr: CHECKS[c].into(),
                    ..Default::default()
                });
            }
            t
        })
}

fn needs_prefix(c: &Column) -> bool {
    TYPES.iter().any(|(ty, _, prefix)| *prefix && *ty == c.ty.raw)
}

fn add_indexes(t: &mut Table, picks: Vec<IndexPick>) {
    let n = t.columns.len();
    for (i, (parts, unique)) in picks.into_iter().enumerate() {
        let mut seen: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for (p, desc) in parts {
            if seen.contains(&(p % n)) {
                continue;
            }
            seen.push(p % n);
            let c = &t.columns[p % n];
            out.push(IndexPart {
                key: IndexKey::Column(c.name.clone()),
                desc,
                collation: None,
                nulls_first: None,
                opclass: None,
                prefix: needs_prefix(c).then_some(8),
            });
        }
        t.indexes.push(Index { name: format!("ix_{i}").into(), unique, parts: out, ..Default::default() });
    }
}

/// A foreign key from `id` of table `from` to `id` of table `to` (both by position), named by
/// its place so that names stay unique in the database, with its actions by position.
type FkPick = (usize, usize, bool, bool);

fn add_foreign_key(s: &mut Schema, i: usize, (from, to, cascade_delete, cascade_update): FkPick) {
    let n = s.tables.len();
    let ref_table = s.tables[to % n].name.clone();
    let action = |cascade: bool| if cascade { RefAction::Cascade } else { RefAction::Restrict };
    let t = &mut s.tables[from % n];
    if t.foreign_keys.iter().any(|f| f.ref_table == ref_table) {
        return;
    }
    t.foreign_keys.push(ForeignKey {
        name: Some(format!("fk{i} {}", t.name).into()),
        columns: vec!["id".into()],
        ref_table: ref_table.clone(),
        ref_columns: vec!["id".into()],
        on_delete: action(cascade_delete),
        // MariaDB refuses a check on a column that ON UPDATE CASCADE changes.
        on_update: action(cascade_update && t.checks.is_empty()),
        ..Default::default()
    });
}

/// A model of one database (named `dev` until [`placed`] names it).
fn realm() -> impl Strategy<Value = Realm> {
    let fk = (any::<usize>(), any::<usize>(), any::<bool>(), any::<bool>());
    (
        proptest::collection::vec(table(), 0..4),
        proptest::collection::vec(fk, 0..3),
        proptest::option::of((any::<usize>(), name("v_"))),
    )
        .prop_map(|(tables, fks, view)| {
            let mut s = Schema::named("dev");
            for t in tables {
                if !taken(s.tables.iter().map(|t| t.name.as_str()), &t.name) {
                    s.tables.push(t);
                }
            }
            if !s.tables.is_empty() {
                for (i, f) in fks.into_iter().enumerate() {
                    add_foreign_key(&mut s, i, f);
                }
            }
            if let (Some((at, name)), false) = (view, s.tables.is_empty()) {
                let t = q(&s.tables[at % s.tables.len()].name);
                let definition = format!("select {t}.`id` AS `id` from {t}");
                s.views.push(View { name, definition, ..Default::default() });
            }
            let mut r = Realm::new(D);
            r.schemas.push(s);
            r.normalize();
            r
        })
}

/// `model` as it belongs to the database `name`, whose tables get `options`.
fn placed(mut model: Realm, name: &str, options: &TableOptions) -> Realm {
    for s in &mut model.schemas {
        s.name = name.to_string();
        for t in &mut s.tables {
            t.options = options.clone();
        }
    }
    model
}

/// The statements the planner writes to create `model` in its (empty) database.
fn create_script(model: &Realm) -> String {
    let mut empty = Realm::new(D);
    empty.schemas.extend(model.schemas.iter().map(|s| Schema::named(s.name.clone())));
    let plan = schema_diff::plan(&empty, model).expect("the planner accepts a valid model");
    plan.statements().iter().map(|s| format!("{s};\n")).collect()
}

/// The table options a table created in `dev` gets: InnoDB, and the database's own character
/// set and collation.
fn table_options(dev: &MyDb) -> TableOptions {
    let sql = format!(
        "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA \
         WHERE SCHEMA_NAME = '{}'",
        dev.name
    );
    let row = dev.exec(&sql).remove(0);
    let (charset, collation) = row.split_once('\t').expect("two columns");
    TableOptions {
        engine: Some("InnoDB".into()),
        charset: Some(charset.into()),
        collation: Some(collation.into()),
        ..Default::default()
    }
}

/// One dev database serves every case (replay leaves it empty: it works in a scratch database
/// of its own), and is dropped at the end, also when a case fails.
#[test]
fn mysql_model_to_sql_to_model_on_a_dev_database_is_the_identity() {
    let Some(dev) = MyDb::create("my_gen") else { return };
    let options = table_options(&dev);
    let url = DbUrl::parse(&dev.url()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut runner = TestRunner::new(ProptestConfig::with_cases(32));
    let result = runner.run(&realm(), |model| {
        let model = placed(model, &dev.name, &options);
        let script = create_script(&model);
        let files = [SourceFile::new("gen.sql", script.clone())];
        let back = rt.block_on(load_sql(D, &files, Some(&url)));
        prop_assert!(back.is_ok(), "{:?}\n{script}", back.err());
        prop_assert_eq!(back.unwrap(), model, "{}", script);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mysql_model_with_keys_and_views_to_hcl_to_model_is_the_identity(model in realm()) {
        let options = TableOptions { engine: Some("InnoDB".into()), charset: Some("utf8mb4".into()), ..Default::default() };
        let model = placed(model, "app", &options);
        let trip = schema_e2e::hcl_trip::model_through_hcl(&model);
        prop_assert!(trip.is_ok(), "{}", trip.as_ref().err().cloned().unwrap_or_default());
        let (text, back) = trip.unwrap();
        prop_assert_eq!(back, model, "{}", text);
    }
}
