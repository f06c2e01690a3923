//! Random valid PostgreSQL models (proptest): each must come back unchanged from HCL
//! (model → HCL → model) and from SQL read offline (model → CREATE statements → offline
//! parser → model).

use proptest::prelude::*;
use schema_model::sql::SourceFile;
use schema_model::{
    hcl, Check, Column, ColumnType, Dialect, ForeignKey, Index, IndexKey, IndexPart, PrimaryKey, Realm, RefAction,
    Schema, Table,
};

use super::runtime;

/// Column types in PostgreSQL's canonical spelling, each with a default it renders as is.
const TYPES: &[(&str, Option<&str>)] = &[
    ("integer", Some("42")),
    ("bigint", Some("0")),
    ("smallint", None),
    ("text", Some("'it''s'::text")),
    ("boolean", Some("true")),
    ("character varying(20)", None),
    ("numeric(10,2)", None),
    ("timestamp without time zone", Some("now()")),
    ("timestamp(3) with time zone", None),
    ("double precision", None),
    ("integer[]", None),
    ("date", None),
    ("uuid", None),
    ("jsonb", None),
    ("bytea", None),
    ("real", None),
];

fn name(prefix: &'static str) -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,6}".prop_map(move |s| format!("{prefix}{s}"))
}

/// A comment with quotes, backslashes and template markers; never empty, since PostgreSQL
/// takes `COMMENT ... IS ''` as no comment.
fn comment() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[a-zA-Z0-9 '\"$%\\\\{}]{1,12}")
}

fn column() -> impl Strategy<Value = Column> {
    (name("c_"), 0..TYPES.len(), any::<bool>(), any::<bool>(), comment()).prop_map(
        |(name, t, nullable, with_default, comment)| {
            let (ty, default) = TYPES[t];
            Column {
                name,
                ty: ColumnType::new(ty),
                nullable,
                default: default.filter(|_| with_default).map(str::to_string),
                comment,
                ..Default::default()
            }
        },
    )
}

fn table() -> impl Strategy<Value = Table> {
    (name("t_"), proptest::collection::vec(column(), 1..5), any::<bool>(), any::<bool>(), any::<bool>(), comment())
        .prop_map(|(name, cols, pk, idx, check, comment)| {
            let mut columns: Vec<Column> = Vec::new();
            for c in cols {
                if !columns.iter().any(|x| x.name == c.name) {
                    columns.push(c);
                }
            }
            // Every table has an integer key column `id`, which foreign keys can reference.
            columns.insert(0, Column { name: "id".into(), ty: ColumnType::new("integer"), ..Default::default() });
            let mut t = Table { name: name.clone(), columns, comment, ..Default::default() };
            if pk {
                t.primary_key = Some(PrimaryKey {
                    name: Some(format!("{name}_pkey")),
                    columns: vec!["id".into()],
                    ..Default::default()
                });
            }
            if idx {
                // On the key column: offline reading refuses indexes on some types (bytea).
                let c = "id".to_string();
                t.indexes.push(Index {
                    name: format!("{name}_idx"),
                    unique: t.columns.len().is_multiple_of(2),
                    parts: vec![IndexPart {
                        key: IndexKey::Column(c),
                        desc: true,
                        collation: None,
                        nulls_first: None,
                        opclass: None,
                        prefix: None,
                    }],
                    ..Default::default()
                });
            }
            if check {
                t.checks.push(Check {
                    name: Some(format!("{name}_id_check")),
                    expr: "(id > 0)".into(),
                    ..Default::default()
                });
            }
            t
        })
}

fn realm() -> impl Strategy<Value = Realm> {
    (proptest::collection::vec(table(), 0..4), any::<bool>()).prop_map(|(tables, fk)| {
        let mut s = Schema::named("public");
        // PostgreSQL 15 creates `public` with this comment; offline reading knows it.
        s.comment = Some("standard public schema".into());
        for t in tables {
            if !s.tables.iter().any(|x| x.name == t.name) {
                s.tables.push(t);
            }
        }
        // A foreign key from the last table to the first one that has a primary key.
        let target = s.tables.iter().find(|t| t.primary_key.is_some()).map(|t| t.name.clone());
        if let (true, Some(target), Some(last)) = (fk, target, s.tables.last_mut()) {
            last.foreign_keys.push(ForeignKey {
                name: Some(format!("{}_id_fkey", last.name)),
                columns: vec!["id".into()],
                ref_table: target,
                ref_columns: vec!["id".into()],
                on_delete: RefAction::Cascade,
                ..Default::default()
            });
        }
        let mut r = Realm::new(Dialect::Postgres);
        r.schemas.push(s);
        r.normalize();
        r
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn model_to_hcl_to_model_is_the_identity(model in realm()) {
        let text = hcl::write(&model);
        let back = hcl::load(Dialect::Postgres, &[SourceFile::new("gen.hcl", text.clone())]);
        prop_assert!(back.is_ok(), "{:?}\n{text}", back.err());
        prop_assert_eq!(back.unwrap(), model, "{}", text);
    }

    #[test]
    fn model_to_sql_to_model_offline_is_the_identity(model in realm()) {
        let mut start = Realm::new(Dialect::Postgres);
        start.schemas.push(Schema::named("public"));
        let script: String = schema_diff::plan(&start, &model).unwrap().statements().iter().map(|s| format!("{s};\n")).collect();
        let files = [SourceFile::new("gen.sql", script.clone())];
        let back = runtime().block_on(schema_inspect::load_sql(Dialect::Postgres, &files, None));
        prop_assert!(back.is_ok(), "{:?}\n{script}", back.err());
        let mut back = back.unwrap();
        back.normalize();
        prop_assert_eq!(back, model, "{}", script);
    }
}
