//! Random valid PostgreSQL models (proptest), with names that need quoting: each must come
//! back unchanged from HCL (model → HCL → model) and from SQL read offline (model → CREATE
//! statements → offline parser → model). The HCL check also gets the kinds offline reading
//! refuses: policies, exclusion constraints, partitioning, row security, routines, privileges
//! and owners.

use proptest::prelude::*;
use schema_model::sql::SourceFile;
use schema_model::{
    Check, Column, ColumnType, Dialect, Exclusion, ForeignKey, Function, Grant, Index, IndexKey, IndexPart, ObjectKind,
    Owner, PartitionOf, Policy, PrimaryKey, Realm, RefAction, Schema, Securable, Table,
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

/// Names the product promises to handle: capitals, spaces, quotes, reserved words, non-ASCII,
/// and the template markers `$`, `%` and `{` (one marker each: names that HCL cannot write as
/// a block label are refused by `hcl::uncovered`, which a test of their own checks).
const AWKWARD: &[&str] = &[
    "My Table",
    "it's \"quoted\"",
    "select",
    "order",
    "Län_ß",
    "a$b",
    "x{y}",
    "${x}",
    "$${y}",
    "%{z}",
    "ends in $",
    "CamelCase",
];

/// A plain name with `prefix`, or now and then an awkward one.
fn name(prefix: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9_]{0,6}".prop_map(move |s| format!("{prefix}{s}")),
        1 => proptest::sample::select(AWKWARD).prop_map(move |a| format!("{prefix}{a}")),
        1 => proptest::sample::select(AWKWARD).prop_map(str::to_string),
    ]
}

/// A plain name with `prefix`, for routines, whose definitions the generator spells itself.
fn plain_name(prefix: &'static str) -> impl Strategy<Value = String> {
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
                name: name.into(),
                ty: ColumnType::new(ty),
                nullable,
                default: default.filter(|_| with_default).map(Into::into),
                comment: comment.map(Into::into),
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
            let mut t = Table { name: name.clone().into(), columns, comment, ..Default::default() };
            if pk {
                t.primary_key = Some(PrimaryKey {
                    name: Some(format!("{name}_pkey").into()),
                    columns: vec!["id".into()],
                    ..Default::default()
                });
            }
            if idx {
                // On the key column: offline reading refuses indexes on some types (bytea).
                let c = "id".to_string();
                t.indexes.push(Index {
                    name: format!("{name}_idx").into(),
                    unique: t.columns.len().is_multiple_of(2),
                    parts: vec![IndexPart {
                        key: IndexKey::Column(c.into()),
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
                    name: Some(format!("{name}_id_check").into()),
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
                name: Some(format!("{}_id_fkey", last.name).into()),
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

/// Exclusion constraints as the server renders them: some in the parts Atlas's `exclude`
/// block names, some only whole (operator class, `DEFERRABLE`, a name that is no column).
const EXCLUSIONS: &[&str] = &[
    "EXCLUDE USING gist (id WITH =)",
    "EXCLUDE USING gist (id WITH =, id WITH <>) WHERE ((id > 0))",
    "EXCLUDE USING btree (lower((id)::text) WITH =)",
    "EXCLUDE USING btree (((id + 1)) WITH =)",
    "EXCLUDE USING gist (id int4_ops WITH =)",
    "EXCLUDE USING btree (id WITH =) DEFERRABLE INITIALLY DEFERRED",
    "EXCLUDE USING gist (gone WITH &&)",
];

/// Partition keys as `pg_get_partkeydef` renders them, in parts or only whole.
const KEYS: &[&str] =
    &["RANGE (id)", "LIST (id, lower((id)::text))", "HASH (((id + 1)))", "RANGE (id int4_ops)", "LIST (\"Gone\")"];

/// Policy expressions, with quotes and template markers.
const EXPRS: &[&str] = &["(id > 0)", "(CURRENT_USER = 'it''s ${x}'::name)", "true"];

fn policy() -> impl Strategy<Value = Policy> {
    (name("p_"), 0..5usize, any::<bool>(), proptest::sample::subsequence(vec!["PUBLIC", "alice", "Bob Smith"], 1..3))
        .prop_flat_map(|(name, cmd, permissive, roles)| {
            (
                Just((name, cmd, permissive, roles)),
                proptest::option::of(0..EXPRS.len()),
                proptest::option::of(0..EXPRS.len()),
                comment(),
            )
        })
        .prop_map(|((name, cmd, permissive, roles), using, check, comment)| Policy {
            name,
            command: ["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"][cmd].into(),
            permissive,
            roles: roles.into_iter().map(String::from).collect(),
            using: using.map(|i| EXPRS[i].to_string()),
            check: check.map(|i| EXPRS[i].to_string()),
            comment,
        })
}

/// A SQL function or procedure as `pg_get_functiondef` renders it; some with a default, so
/// that their identity arguments differ from the full list.
fn function() -> impl Strategy<Value = Function> {
    (plain_name("f_"), any::<bool>(), any::<bool>(), comment()).prop_map(|(name, procedure, default, comment)| {
        let args = if default { "a integer, b text DEFAULT 'x''y'::text" } else { "a integer" };
        let identity_args = if default { "a integer, b text" } else { "a integer" };
        let (kind, head, result, body) = if procedure {
            ("PROCEDURE", String::new(), String::new(), "$procedure$SELECT a$procedure$")
        } else {
            ("FUNCTION", " RETURNS integer\n".to_string(), "integer".to_string(), "$function$SELECT a + 1$function$")
        };
        Function {
            definition: format!("CREATE OR REPLACE {kind} public.{name}({args})\n{head} LANGUAGE sql\nAS {body}\n"),
            name,
            identity_args: identity_args.into(),
            args: args.into(),
            result,
            procedure,
            types: if default { vec!["integer".into(), "text".into()] } else { vec!["integer".into()] },
            comment,
        }
    })
}

/// Roles that grants and owners name: `PUBLIC` (never an owner), plain, with a space, a
/// keyword, a quote.
const ROLES: &[&str] = &["PUBLIC", "alice", "Bob Smith", "select", "it's"];

/// The objects of `s` that privileges attach to: the schema, its tables, their columns and
/// its routines.
fn securables(s: &Schema) -> Vec<Securable> {
    let mut out = vec![Securable { kind: ObjectKind::Schema, name: s.name.clone(), args: None, column: None }];
    for t in &s.tables {
        out.push(Securable::table(&t.name));
        for c in &t.columns {
            out.push(Securable { column: Some(c.name.to_string()), ..Securable::table(&t.name) });
        }
    }
    for f in &s.functions {
        let kind = if f.procedure { ObjectKind::Procedure } else { ObjectKind::Function };
        out.push(Securable { kind, name: f.name.clone(), args: Some(f.identity_args.clone()), column: None });
    }
    out
}

/// The privileges PostgreSQL 15 has for an object of this kind (its GRANT reference page).
fn privileges_of(on: &Securable) -> &'static [&'static str] {
    match (on.kind, &on.column) {
        (ObjectKind::Schema, _) => &["USAGE", "CREATE"],
        (ObjectKind::Function | ObjectKind::Procedure, _) => &["EXECUTE"],
        (_, Some(_)) => &["SELECT", "INSERT", "UPDATE", "REFERENCES"],
        _ => &["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"],
    }
}

/// Grants (object, role, privilege, grant option) and owners (object, role), each part picked
/// by index from what the model holds, added to `s`.
fn add_privileges(s: &mut Schema, grants: Vec<(usize, usize, usize, bool)>, owners: Vec<(usize, usize)>) {
    let objects = securables(s);
    for (o, r, p, grantable) in grants {
        let on = &objects[o % objects.len()];
        let privileges = privileges_of(on);
        let g = Grant::new(on.clone(), ROLES[r % ROLES.len()], privileges[p % privileges.len()], grantable);
        if !s.grants.iter().any(|x| x.on == g.on && x.grantee == g.grantee && x.privilege == g.privilege) {
            s.grants.push(g);
        }
    }
    for (o, r) in owners {
        let on = objects[o % objects.len()].clone();
        if on.column.is_none() && !s.owners.iter().any(|x| x.on == on) {
            s.owners.push(Owner { on, role: ROLES[1 + r % (ROLES.len() - 1)].to_string() });
        }
    }
}

/// Tables with exclusion constraints, policies, row security and partitioning, routines,
/// privileges and owners, added to a random model.
fn realm_with_more_kinds() -> impl Strategy<Value = Realm> {
    let extras = (
        proptest::collection::vec((0..EXCLUSIONS.len(), comment()), 0..3),
        proptest::collection::vec(policy(), 0..3),
        (any::<bool>(), any::<bool>()),
        proptest::option::of(0..KEYS.len()),
        proptest::collection::vec(function(), 0..3),
        (
            proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>(), any::<bool>()), 0..6),
            proptest::collection::vec((any::<usize>(), any::<usize>()), 0..3),
        ),
    );
    (realm(), extras).prop_map(|(mut r, (exclusions, policies, (rls, force), key, functions, (grants, owners)))| {
        let s = &mut r.schemas[0];
        for f in functions {
            if !s.functions.iter().any(|g| g.signature() == f.signature()) {
                s.functions.push(f);
            }
        }
        if let Some(t) = s.tables.first_mut() {
            for (i, (x, comment)) in exclusions.into_iter().enumerate() {
                let name = format!("{}_excl{i}", t.name);
                t.exclusions.push(Exclusion { name, definition: EXCLUSIONS[x].into(), comment });
            }
            for p in policies {
                if !t.policies.iter().any(|q| q.name == p.name) {
                    t.policies.push(p);
                }
            }
            t.options.row_security = rls;
            t.options.force_row_security = force;
        }
        if let (Some(k), Some(parent)) = (key, s.tables.last_mut()) {
            parent.partition_by = Some(KEYS[k].into());
            let of = PartitionOf { schema: "public".into(), table: parent.name.to_string(), bound: "DEFAULT".into() };
            let part =
                Table { name: format!("{}_part", parent.name).into(), partition_of: Some(of), ..Default::default() };
            if !s.tables.iter().any(|t| t.name == part.name) {
                s.tables.push(part);
            }
        }
        add_privileges(s, grants, owners);
        r.normalize();
        r
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn model_to_hcl_to_model_is_the_identity(model in realm_with_more_kinds()) {
        let trip = schema_e2e::hcl_trip::model_through_hcl(&model);
        prop_assert!(trip.is_ok(), "{}", trip.as_ref().err().cloned().unwrap_or_default());
        let (text, back) = trip.unwrap();
        prop_assert_eq!(back, model, "{}", text);
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
