//! Inspection: a database loaded by the mysql client, read by our driver, compared with values
//! written by hand from what the client's `SHOW CREATE TABLE`, `SHOW TRIGGERS` and
//! `information_schema` show on MariaDB 10.11.

use schema_e2e::my::MyDb;
use schema_model::{
    Check, Column, ColumnType, Dialect, ForeignKey, Generated, Index, IndexKey, IndexPart, PrimaryKey, RefAction,
    TableOptions,
};

use crate::{driver, mysql_driver, RICH, TRIGGERS_CLI};

fn col(name: &str, raw: &str, canonical: &str, nullable: bool) -> Column {
    Column {
        name: name.into(),
        ty: ColumnType { raw: raw.into(), canonical: canonical.into() },
        nullable,
        ..Default::default()
    }
}

fn part(column: &str) -> IndexPart {
    IndexPart {
        key: IndexKey::Column(column.into()),
        desc: false,
        collation: None,
        nulls_first: None,
        opclass: None,
        prefix: None,
    }
}

fn index(name: &str, parts: Vec<IndexPart>) -> Index {
    Index { name: name.into(), parts, ..Default::default() }
}

fn names(v: &[&str]) -> Vec<schema_model::CompactString> {
    schema_model::names(v.iter().copied())
}

fn options(engine: &str, charset: &str, collation: &str) -> TableOptions {
    TableOptions {
        engine: Some(engine.into()),
        charset: Some(charset.into()),
        collation: Some(collation.into()),
        ..Default::default()
    }
}

fn check(name: &str, expr: &str) -> Check {
    Check { name: Some(name.into()), expr: expr.into(), ..Default::default() }
}

#[tokio::test]
async fn a_rich_database_is_read_exactly() {
    let Some(db) = MyDb::create("myd_rich") else { return };
    db.exec(RICH);
    db.exec(TRIGGERS_CLI);
    let realm = driver(&db.url()).await.inspect().await.unwrap();
    assert_eq!(realm.dialect, Dialect::Mysql);
    assert_eq!(realm.schemas.len(), 1);
    let s = &realm.schemas[0];
    assert_eq!(s.name, db.name);
    let tables: Vec<&str> = s.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tables, ["Größe", "cache", "log", "pairs", "users"]);

    let users = s.table("users").unwrap();
    assert_eq!(users.options, options("InnoDB", "utf8mb4", "utf8mb4_general_ci"));
    assert_eq!(users.comment.as_deref(), Some("people"));
    let expected = vec![
        Column { auto_increment: true, ..col("id", "bigint(20) unsigned", "bigint unsigned", false) },
        Column { comment: Some("login".into()), ..col("email", "varchar(255)", "varchar(255)", false) },
        Column { collation: Some("latin1_swedish_ci".into()), ..col("name", "varchar(100)", "varchar(100)", true) },
        Column {
            default: Some("'it''s'".into()),
            collation: Some("utf8mb4_bin".into()),
            ..col("nick", "varchar(50)", "varchar(50)", true)
        },
        Column { default: Some("0".into()), ..col("flag", "tinyint(1)", "tinyint(1)", false) },
        Column { default: Some("0.00".into()), ..col("score", "decimal(10,2)", "decimal(10,2)", true) },
        col("small", "smallint(5) unsigned zerofill", "smallint(5) unsigned zerofill", true),
        Column {
            default: Some("'Ok'".into()),
            ..col("mood", "enum('Ok','sad','it''s')", "enum('Ok','sad','it''s')", false)
        },
        Column { default: Some("'r,w'".into()), ..col("perms", "set('r','w','x')", "set('r','w','x')", true) },
        Column {
            default: Some("current_timestamp(3)".into()),
            ..col("created", "timestamp(3)", "timestamp(3)", false)
        },
        Column {
            default: Some("current_timestamp()".into()),
            on_update: Some("current_timestamp()".into()),
            ..col("updated", "datetime", "datetime", true)
        },
        Column {
            generated: Some(Box::new(Generated { expr: "char_length(`name`)".into(), stored: false })),
            ..col("name_len", "int(11)", "int", true)
        },
        Column {
            generated: Some(Box::new(Generated { expr: "ucase(`email`)".into(), stored: true })),
            ..col("upper_email", "varchar(255)", "varchar(255)", true)
        },
        Column { default: Some("7".into()), invisible: true, ..col("secret", "int(11)", "int", true) },
        col("bio", "text", "text", true),
        col("pt", "point", "point", false),
        col("age", "int(11)", "int", true),
        col("yr", "year(4)", "year", true),
        Column { default: Some("uuid()".into()), ..col("token", "varchar(36)", "varchar(36)", true) },
    ];
    assert_eq!(users.columns, expected);
    assert_eq!(users.primary_key, Some(PrimaryKey { columns: names(&["id"]), ..Default::default() }));
    assert!(users.uniques.is_empty(), "unique keys are indexes on MySQL: {:?}", users.uniques);
    let desc = |c: &str| IndexPart { desc: true, ..part(c) };
    assert_eq!(
        users.indexes,
        vec![
            Index { method: Some("FULLTEXT".into()), ..index("ft_bio", vec![part("bio")]) },
            Index {
                comment: Some("prefix".into()),
                ..index("name_prefix", vec![IndexPart { prefix: Some(10), ..part("name") }])
            },
            Index { unique: true, ..index("nick_score", vec![part("nick"), desc("score")]) },
            // MariaDB reports a prefix of 32 for the SPATIAL part; it is not one.
            Index { method: Some("SPATIAL".into()), ..index("sp", vec![part("pt")]) },
            Index { unique: true, ..index("users_email", vec![part("email")]) },
        ]
    );
    // Column-level (`age`) and table-level checks read the same; unnamed ones get the
    // server's name.
    assert_eq!(
        users.checks,
        vec![
            check("CONSTRAINT_1", "`age` < 200"),
            check("age", "`age` >= 0"),
            check("score_pos", "`score` >= 0 and `flag` in (0,1)"),
        ]
    );

    let size = s.table("Größe").unwrap();
    assert_eq!(size.comment, None);
    assert_eq!(
        size.columns,
        vec![
            Column { auto_increment: true, ..col("id", "int(11)", "int", false) },
            col("user_id", "bigint(20) unsigned", "bigint unsigned", false),
            col("order", "int(11)", "int", true),
            col("note", "varchar(20)", "varchar(20)", true),
        ]
    );
    // The indexes MySQL made for the foreign keys are real indexes.
    assert_eq!(
        size.indexes,
        vec![index("fk_user", vec![part("user_id")]), index("id", vec![part("id"), part("order")])]
    );
    assert_eq!(
        size.foreign_keys,
        vec![
            ForeignKey {
                name: Some("Größe_ibfk_1".into()),
                columns: names(&["id", "order"]),
                ref_table: "pairs".into(),
                ref_columns: names(&["a", "b"]),
                // Not declared: MariaDB says RESTRICT (MySQL 8 would say NO ACTION).
                on_delete: RefAction::Restrict,
                on_update: RefAction::Cascade,
                ..Default::default()
            },
            ForeignKey {
                name: Some("fk_user".into()),
                columns: names(&["user_id"]),
                ref_table: "users".into(),
                ref_columns: names(&["id"]),
                on_delete: RefAction::Cascade,
                on_update: RefAction::NoAction,
                ..Default::default()
            },
        ]
    );

    let pairs = s.table("pairs").unwrap();
    assert_eq!(pairs.options, options("InnoDB", "latin1", "latin1_swedish_ci"));
    assert_eq!(pairs.primary_key.as_ref().unwrap().columns, names(&["a", "b"]));
    let log = s.table("log").unwrap();
    assert_eq!(
        log.options,
        TableOptions { row_format: Some("FIXED".into()), ..options("MyISAM", "utf8mb4", "utf8mb4_general_ci") }
    );
    assert_eq!(log.indexes, vec![index("at_line", vec![desc("at"), IndexPart { prefix: Some(20), ..part("line") }])]);
    let cache = s.table("cache").unwrap();
    assert_eq!(cache.options.engine.as_deref(), Some("MEMORY"));
    assert_eq!(cache.indexes, vec![Index { method: Some("HASH".into()), ..index("k_hash", vec![part("k")]) }]);

    // Views as the server renders them, without this database's name.
    let views: Vec<(&str, &str)> = s.views.iter().map(|v| (v.name.as_str(), v.definition.as_str())).collect();
    assert_eq!(
        views,
        [
            (
                "active",
                "select `users`.`id` AS `id`,`users`.`email` AS `email`,concat(`users`.`email`,'!') AS `shout` \
                 from `users` where `users`.`flag` = 1"
            ),
            (
                "user_orders",
                "select `u`.`id` AS `id`,`o`.`note` AS `note` from (`users` `u` join `Größe` `o` \
                 on(`o`.`user_id` = `u`.`id`))"
            ),
        ]
    );
    assert!(s.views.iter().all(|v| !v.definition.contains(&db.name)));

    // Triggers rebuilt without definer or database; the second of a kind says whom it follows.
    let triggers: Vec<(&str, &str, &str)> =
        s.triggers.iter().map(|t| (t.name.as_str(), t.table.as_str(), t.definition.as_str())).collect();
    assert_eq!(
        triggers,
        [
            (
                "size_bi",
                "Größe",
                "CREATE TRIGGER `size_bi` BEFORE INSERT ON `Größe` FOR EACH ROW BEGIN\n  IF NEW.note IS NULL THEN\n    \
                 SET NEW.note = 'none';\n  END IF;\nEND"
            ),
            (
                "size_bi2",
                "Größe",
                "CREATE TRIGGER `size_bi2` BEFORE INSERT ON `Größe` FOR EACH ROW FOLLOWS `size_bi` \
                 SET NEW.`order` = coalesce(NEW.`order`, 0)"
            ),
            (
                "users_au",
                "users",
                "CREATE TRIGGER `users_au` AFTER UPDATE ON `users` FOR EACH ROW SET @last_user = NEW.id"
            ),
        ]
    );

    // Inspection is deterministic, byte for byte.
    let again = driver(&db.url()).await.inspect().await.unwrap();
    assert_eq!(serde_json::to_string(&again).unwrap(), serde_json::to_string(&realm).unwrap());
}

#[tokio::test]
async fn extras_reach_the_model_except_index_visibility() {
    let Some(db) = MyDb::create("myd_extras") else { return };
    db.exec(RICH);
    let (realm, extras) = mysql_driver(&db.url()).await.inspect_with_extras().await.unwrap();
    let key = |t: &str, c: &str| (t.to_string(), c.to_string());
    assert_eq!(extras.on_update.get(&key("users", "updated")).map(String::as_str), Some("current_timestamp()"));
    assert_eq!(extras.on_update.len(), 1);
    assert_eq!(extras.invisible_columns.iter().collect::<Vec<_>>(), [&key("users", "secret")]);
    assert_eq!(extras.row_formats.get("log").map(String::as_str), Some("FIXED"));
    assert_eq!(extras.row_formats.len(), 1, "only declared row formats: {:?}", extras.row_formats);
    let active = &extras.views["active"];
    assert_eq!(
        (active.algorithm.as_str(), active.security.as_str(), active.check_option.as_str()),
        ("UNDEFINED", "DEFINER", "CASCADED")
    );
    let user_orders = &extras.views["user_orders"];
    assert_eq!(
        (user_orders.algorithm.as_str(), user_orders.security.as_str(), user_orders.check_option.as_str()),
        ("MERGE", "INVOKER", "NONE")
    );
    // What the model has fields for is in the model too, defaults left out.
    let schema = &realm.schemas[0];
    assert_eq!(schema.table("log").unwrap().options.row_format.as_deref(), Some("FIXED"));
    let view = |n: &str| schema.view(n).unwrap();
    assert_eq!((view("active").algorithm.as_deref(), view("active").security.as_deref()), (None, None));
    assert_eq!(view("active").check_option.as_deref(), Some("CASCADED"));
    assert_eq!(
        (view("user_orders").algorithm.as_deref(), view("user_orders").security.as_deref()),
        (Some("MERGE"), Some("INVOKER"))
    );
    assert_eq!(view("user_orders").check_option, None);
    db.exec("ALTER TABLE users ALTER INDEX name_prefix IGNORED;");
    let (_, extras) = mysql_driver(&db.url()).await.inspect_with_extras().await.unwrap();
    assert!(extras.ignored_indexes.contains(&key("users", "name_prefix")));
    // Index visibility stays out of the model.
    assert_eq!(mysql_driver(&db.url()).await.inspect_with_extras().await.unwrap().0, realm);
}

#[tokio::test]
async fn tables_the_model_cannot_hold_are_refused() {
    for (what, sql) in [
        ("sequence", "CREATE SEQUENCE s;"),
        (
            "has subpartitions",
            "CREATE TABLE p (id int, d date) PARTITION BY RANGE (year(d)) SUBPARTITION BY HASH (id) \
             SUBPARTITIONS 2 (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN MAXVALUE);",
        ),
        ("system-versioned table", "CREATE TABLE h (id int) WITH SYSTEM VERSIONING;"),
    ] {
        let Some(db) = MyDb::create("myd_refuse") else { return };
        db.exec(sql);
        let err = driver(&db.url()).await.inspect().await.unwrap_err().to_string();
        assert!(err.contains(what) && err.contains("not modelled yet"), "{err}");
    }
}

#[tokio::test]
async fn column_level_and_table_level_checks_read_the_same() {
    let (Some(a), Some(b)) = (MyDb::create("myd_chk_col"), MyDb::create("myd_chk_tbl")) else { return };
    a.exec("CREATE TABLE t (age int CHECK (age >= 0), n int);");
    b.exec("CREATE TABLE t (age int, n int, CONSTRAINT age CHECK (age >= 0));");
    assert_eq!(
        a.exec("SELECT LEVEL FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"),
        ["Column"]
    );
    let mut left = driver(&a.url()).await.inspect().await.unwrap();
    let right = driver(&b.url()).await.inspect().await.unwrap();
    left.schemas[0].name.clone_from(&right.schemas[0].name);
    assert_eq!(left, right);
    assert_eq!(right.schemas[0].tables[0].checks, [check("age", "`age` >= 0")]);
}
