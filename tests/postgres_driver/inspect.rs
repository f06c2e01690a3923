//! Inspection: a database loaded by psql, read by our driver, compared with values written by
//! hand from what psql's `\d` and the catalog functions show (run with `search_path = ''`).

use schema_e2e::pg::PgDb;
use schema_model::{
    Check, Column, ColumnType, Deferrable, Dialect, Domain, EnumType, ForeignKey, Generated, Identity, Index, IndexKey,
    IndexPart, PrimaryKey, RefAction, Sequence, UniqueConstraint,
};

use crate::{driver, RICH};

fn col(name: &str, ty: &str, nullable: bool) -> Column {
    Column { name: name.into(), ty: ColumnType::new(ty), nullable, ..Default::default() }
}

fn part(key: IndexKey) -> IndexPart {
    IndexPart { key, desc: false, collation: None, nulls_first: None, opclass: None, prefix: None }
}

fn column(name: &str) -> IndexKey {
    IndexKey::Column(name.into())
}

fn names(v: &[&str]) -> Vec<schema_model::CompactString> {
    schema_model::names(v.iter().copied())
}

#[tokio::test]
async fn a_rich_database_is_read_exactly() {
    let Some(db) = PgDb::create("pgd_rich") else { return };
    db.exec(RICH);
    let realm = driver(&db.url()).await.inspect().await.unwrap();
    assert_eq!(realm.dialect, Dialect::Postgres);
    let schema_names: Vec<&str> = realm.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(schema_names, ["Straße", "app", "public"]);
    let app = realm.schema("app").unwrap();
    let public = realm.schema("public").unwrap();
    assert_eq!(app.comment.as_deref(), Some("application"));
    assert_eq!(public.comment.as_deref(), Some("standard public schema"));

    // Extensions are listed where they are installed; nothing they own is reported: not
    // citext's type in public, not pg_stat_statements' views in app.
    let ext: Vec<(&str, Option<&str>)> =
        public.extensions.iter().map(|e| (e.name.as_str(), e.version.as_deref())).collect();
    assert_eq!(ext, [("citext", Some("1.6"))]);
    let ext: Vec<&str> = app.extensions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(ext, ["pg_stat_statements"]);
    let views: Vec<&str> = app.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(views, ["active_users", "user_counts"]);
    assert!(public.domains.is_empty() && public.enums.is_empty());
    // The trigger and its function, in the server's rendering.
    let triggers: Vec<(&str, &str, &str)> =
        app.triggers.iter().map(|t| (t.table.as_str(), t.name.as_str(), t.definition.as_str())).collect();
    assert_eq!(
        triggers,
        [(
            "users",
            "users_touch",
            "CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()"
        )]
    );
    let touch = app.functions.iter().find(|f| f.name == "touch").expect("the trigger's function is read");
    assert_eq!((touch.identity_args.as_str(), touch.result.as_str()), ("", "trigger"));
    assert!(touch.definition.starts_with("CREATE OR REPLACE FUNCTION app.touch()"), "{}", touch.definition);

    let users = app.table("users").unwrap();
    let identity = |always, start, increment, min_value, max_value, cache, cycle| Identity {
        always,
        start,
        increment,
        min_value,
        max_value,
        cache,
        cycle,
    };
    let expected_columns = vec![
        Column {
            identity: Some(Box::new(identity(true, 100, 2, 1, i64::MAX, 1, false))),
            ..col("id", "bigint", false)
        },
        Column { comment: Some("login".into()), ..col("email", "public.citext", false) },
        Column { collation: Some("C".into()), ..col("name", "character varying(100)", true) },
        Column { default: Some("'ok'::app.mood".into()), ..col("mood", "app.mood", true) },
        Column { default: Some("'{}'::text[]".into()), ..col("tags", "text[]", true) },
        Column { default: Some("0".into()), ..col("score", "numeric(10,2)", true) },
        Column { default: Some("now()".into()), ..col("created", "timestamp(3) with time zone", false) },
        col("age", "app.posint", true),
        col("code", "app.code", true),
        Column {
            generated: Some(Box::new(Generated { expr: "length((name)::text)".into(), stored: true })),
            ..col("name_len", "integer", true)
        },
        Column { identity: Some(Box::new(identity(false, 5, 1, 5, 500, 10, true))), ..col("ticket", "integer", false) },
    ];
    assert_eq!(users.columns, expected_columns);
    assert_eq!(users.comment.as_deref(), Some("people"));
    assert_eq!(
        users.primary_key,
        Some(PrimaryKey {
            name: Some("users_pkey".into()),
            columns: names(&["id"]),
            deferrable: Deferrable::NotDeferrable,
            comment: Some("the key".into()),
        })
    );
    assert_eq!(
        users.uniques,
        [UniqueConstraint { name: Some("users_email_key".into()), columns: names(&["email"]), ..Default::default() }]
    );
    assert_eq!(
        users.checks,
        [Check {
            name: Some("users_score_check".into()),
            expr: "(score >= (0)::numeric)".into(),
            ..Default::default()
        }]
    );
    assert!(users.indexes.is_empty(), "constraint indexes are not indexes: {:?}", users.indexes);

    let orders = app.table("orders").unwrap();
    assert_eq!(
        orders.columns,
        vec![
            Column { default: Some("nextval('app.orders_id_seq'::regclass)".into()), ..col("id", "integer", false) },
            col("user_id", "bigint", false),
            col("order", "integer", true),
            col("note", "text", true),
        ]
    );
    assert_eq!(
        orders.uniques,
        [UniqueConstraint {
            name: Some("orders_uniq".into()),
            columns: names(&["order", "note"]),
            nulls_not_distinct: true,
            include: names(&["user_id"]),
            deferrable: Deferrable::InitiallyImmediate,
            comment: None,
        }]
    );
    assert_eq!(
        orders.checks,
        [
            Check {
                name: Some("orders_note_check".into()),
                expr: "(note <> ''::text)".into(),
                no_inherit: true,
                ..Default::default()
            },
            Check {
                name: Some("orders_order_positive".into()),
                expr: "(\"order\" > 0)".into(),
                not_valid: true,
                ..Default::default()
            },
        ]
    );
    assert_eq!(
        orders.foreign_keys,
        [ForeignKey {
            name: Some("orders_user_fk".into()),
            columns: names(&["user_id"]),
            ref_schema: None,
            ref_table: "users".into(),
            ref_columns: names(&["id"]),
            on_delete: RefAction::Cascade,
            on_update: RefAction::Restrict,
            deferrable: Deferrable::InitiallyDeferred,
            match_full: false,
            not_valid: false,
            comment: Some("owner".into()),
        }]
    );
    let expected_indexes = vec![
        Index {
            name: "orders_note_c".into(),
            parts: vec![IndexPart { collation: Some("C".into()), ..part(column("note")) }],
            ..Default::default()
        },
        Index {
            name: "orders_note_hash".into(),
            parts: vec![part(column("note"))],
            method: Some("hash".into()),
            ..Default::default()
        },
        Index {
            name: "orders_note_idx".into(),
            parts: vec![
                IndexPart { desc: true, nulls_first: Some(false), ..part(IndexKey::Expr("lower(note)".into())) },
                IndexPart { opclass: Some("text_pattern_ops".into()), ..part(column("note")) },
                IndexPart { nulls_first: Some(true), ..part(column("user_id")) },
            ],
            predicate: Some("(note IS NOT NULL)".into()),
            include: names(&["order"]),
            comment: Some("search".into()),
            ..Default::default()
        },
        Index {
            name: "orders_user_order".into(),
            unique: true,
            parts: vec![part(column("user_id")), IndexPart { desc: true, ..part(column("order")) }],
            ..Default::default()
        },
    ];
    assert_eq!(orders.indexes, expected_indexes);

    // Quoted, reserved and non-ASCII names, and foreign keys across schemas both ways.
    let strasse = public.table("Straße Tabelle").unwrap();
    let col_names: Vec<&str> = strasse.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(col_names, ["Schlüssel", "user", "select"]);
    assert_eq!(strasse.primary_key.as_ref().unwrap().name.as_deref(), Some("Straße Tabelle_pkey"));
    assert_eq!(
        strasse.foreign_keys,
        [ForeignKey {
            name: Some("Straße Tabelle_user_fkey".into()),
            columns: names(&["user"]),
            ref_schema: Some("app".into()),
            ref_table: "users".into(),
            ref_columns: names(&["id"]),
            on_delete: RefAction::SetNull,
            match_full: true,
            ..Default::default()
        }]
    );
    let t = realm.schema("Straße").unwrap().table("t").unwrap();
    assert_eq!(
        t.foreign_keys,
        [ForeignKey {
            name: Some("t_fk".into()),
            columns: names(&["id"]),
            ref_schema: Some("public".into()),
            ref_table: "Straße Tabelle".into(),
            ref_columns: names(&["Schlüssel"]),
            not_valid: true,
            ..Default::default()
        }]
    );

    let active = app.view("active_users").unwrap();
    assert_eq!(
        active.definition,
        " SELECT users.id,\n    users.email\n   FROM app.users\n  WHERE users.score > 0::numeric;"
    );
    assert!(!active.materialized);
    assert_eq!(active.comment.as_deref(), Some("the active ones"));
    let counts = app.view("user_counts").unwrap();
    assert!(counts.materialized);
    assert_eq!(counts.definition, " SELECT users.mood,\n    count(*) AS n\n   FROM app.users\n  GROUP BY users.mood;");
    assert_eq!(
        counts.indexes,
        [Index {
            name: "user_counts_mood".into(),
            unique: true,
            parts: vec![part(column("mood"))],
            ..Default::default()
        }]
    );

    // Identity sequences are the columns'; serial and standalone ones are reported.
    let seq = |name: &str, data_type: &str, max_value, owned_by: Option<(&str, &str, &str)>| Sequence {
        name: name.into(),
        data_type: data_type.into(),
        start: 1,
        increment: 1,
        min_value: 1,
        max_value,
        cache: 1,
        cycle: false,
        owned_by: owned_by.map(|(s, t, c)| (s.into(), t.into(), c.into())),
        comment: None,
    };
    assert_eq!(
        app.sequences,
        [
            Sequence {
                start: 10,
                increment: 5,
                min_value: 10,
                cache: 3,
                cycle: true,
                comment: Some("a counter".into()),
                ..seq("counter", "integer", 1000, None)
            },
            seq("orders_id_seq", "integer", i32::MAX as i64, Some(("app", "orders", "id"))),
        ]
    );
    assert_eq!(public.sequences, [seq("standalone", "bigint", i64::MAX, None)]);

    assert_eq!(
        app.enums,
        [EnumType {
            name: "mood".into(),
            values: ["sad", "meh", "ok", "happy"].map(String::from).to_vec(),
            comment: Some("feelings".into())
        }]
    );
    assert_eq!(
        app.domains,
        [
            Domain {
                name: "code".into(),
                ty: ColumnType::new("character varying(8)"),
                nullable: true,
                default: None,
                collation: Some("C".into()),
                checks: vec![Check {
                    name: Some("code_upper".into()),
                    expr: "((VALUE)::text ~ '^[A-Z]+$'::text)".into(),
                    ..Default::default()
                }],
                comment: Some("short code".into()),
            },
            Domain {
                name: "posint".into(),
                ty: ColumnType::new("integer"),
                nullable: false,
                default: Some("1".into()),
                collation: None,
                checks: vec![Check {
                    name: Some("posint_positive".into()),
                    expr: "(VALUE > 0)".into(),
                    ..Default::default()
                }],
                comment: None,
            },
        ]
    );
}

#[tokio::test]
async fn search_path_in_the_url_limits_inspection_to_that_schema() {
    let Some(db) = PgDb::create("pgd_scope") else { return };
    db.exec("CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE a.x (id int); CREATE TABLE b.y (id int);");
    let realm = driver(&schema_e2e::pg::with_param(&db.url(), "search_path", "b")).await.inspect().await.unwrap();
    let schema_names: Vec<&str> = realm.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(schema_names, ["b"]);
    assert_eq!(realm.schemas[0].tables[0].name, "y");

    // An empty database still has public; our own revisions schema is never reported.
    let Some(empty) = PgDb::create("pgd_empty") else { return };
    empty.exec("CREATE SCHEMA schema_revisions; CREATE TABLE schema_revisions.schema_revisions (id int);");
    let realm = driver(&empty.url()).await.inspect().await.unwrap();
    let schema_names: Vec<&str> = realm.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(schema_names, ["public"]);
    assert!(realm.schemas[0].tables.is_empty());
}

#[tokio::test]
async fn what_the_model_cannot_hold_is_refused_by_name() {
    let cases = [
        ("CREATE TABLE p (id int); CREATE TABLE c () INHERITS (p);", "inheritance child table \"public\".\"c\""),
        ("CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int);", "aggregate \"public\".\"total\""),
        ("CREATE TYPE pair AS (a int, b int);", "composite type \"public\".\"pair\""),
        ("CREATE TYPE fr AS RANGE (subtype = float8);", "\"public\".\"fr\" (range type)"),
        ("CREATE COLLATION german (provider = libc, locale = 'C');", "\"public\".\"german\" (collation)"),
    ];
    for (sql, expected) in cases {
        let Some(db) = PgDb::create("pgd_refuse") else { return };
        db.exec(sql);
        let err = driver(&db.url()).await.inspect().await.unwrap_err().to_string();
        assert!(err.contains(expected), "{sql}\n  gave: {err}");
        assert!(err.contains("not modelled yet"), "{err}");
    }
}

#[tokio::test]
async fn key_columns_are_named_by_number_wherever_the_columns_were_read() {
    let Some(db) = PgDb::create("pgd_keys") else { return };
    db.exec(
        "CREATE SCHEMA a; CREATE SCHEMA b;
         CREATE TABLE a.p (x int, id int PRIMARY KEY, k int, UNIQUE (k, x));
         CREATE TABLE b.t (gone int, pid int, y int, z int);
         ALTER TABLE b.t DROP COLUMN gone; ALTER TABLE b.t ADD UNIQUE (z, pid);
         ALTER TABLE b.t ADD FOREIGN KEY (y, pid) REFERENCES a.p (k, x);
         CREATE TABLE b.logs (id int, day date NOT NULL, note text) PARTITION BY RANGE (day);
         CREATE TABLE b.logs_jan PARTITION OF b.logs FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
         ALTER TABLE b.logs_jan ADD CONSTRAINT jan_note UNIQUE (note, id);",
    );
    // Scoped to b: a.p's columns are not read, and a partition's columns never are.
    let realm = driver(&schema_e2e::pg::with_param(&db.url(), "search_path", "b")).await.inspect().await.unwrap();
    let b = &realm.schemas[0];
    let t = b.table("t").unwrap();
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["pid", "y", "z"]);
    assert_eq!(t.uniques.iter().map(|u| u.columns.clone()).collect::<Vec<_>>(), [names(&["z", "pid"])]);
    let fk = &t.foreign_keys[0];
    assert_eq!((fk.ref_schema.as_deref(), fk.ref_table.as_str()), (Some("a"), "p"));
    assert_eq!((fk.columns.clone(), fk.ref_columns.clone()), (names(&["y", "pid"]), names(&["k", "x"])));
    let jan = b.table("logs_jan").unwrap();
    assert_eq!(jan.uniques.iter().map(|u| u.columns.clone()).collect::<Vec<_>>(), [names(&["note", "id"])]);
    // Unscoped, a.p's keys are named from the columns read.
    let realm = driver(&db.url()).await.inspect().await.unwrap();
    let p = realm.schema("a").unwrap().table("p").unwrap();
    assert_eq!(p.primary_key.as_ref().unwrap().columns, names(&["id"]));
    assert_eq!(p.uniques[0].columns, names(&["k", "x"]));
}

/// The catalog is read in two lanes, on a second connection as well as the first; where no
/// second connection can be had (here a role limited to one), in turn on the first. Both
/// reads give the same model, owners aside: they are reported relative to the reading role.
#[tokio::test]
async fn one_connection_reads_the_same_model_as_two() {
    let Some(db) = PgDb::create("pgd_lanes") else { return };
    db.exec(RICH);
    let role = format!("{}_one", db.name);
    schema_e2e::pg::exec_sqlx(
        &db.url(),
        &format!("CREATE ROLE \"{role}\" LOGIN CONNECTION LIMIT 1; GRANT ALL ON SCHEMA app, public TO \"{role}\""),
    )
    .unwrap();
    let two = driver(&db.url()).await.inspect().await;
    let one = driver(&schema_e2e::pg::with_user(&db.url(), &role)).await.inspect().await;
    let dropped = schema_e2e::pg::exec_sqlx(
        &db.url(),
        &format!("REVOKE ALL ON SCHEMA app, public FROM \"{role}\"; DROP ROLE \"{role}\""),
    );
    let without_owners = |mut realm: schema_model::Realm| {
        realm.schemas.iter_mut().for_each(|s| s.owners.clear());
        realm
    };
    let (one, two) = (without_owners(one.unwrap()), without_owners(two.unwrap()));
    dropped.unwrap();
    assert!(two.schemas.iter().map(|s| s.tables.len()).sum::<usize>() > 3, "the rich database has tables");
    assert_eq!(one, two);
}
