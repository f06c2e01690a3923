//! Before/after pairs covering every object kind of the model.

use crate::harness::converge;

macro_rules! pair {
    ($name:ident, $before:expr, $after:expr) => {
        #[test]
        fn $name() {
            converge($before, $after, "");
            // And back again: the reverse direction is a plan like any other.
            converge($after, $before, "");
        }
    };
}

pair!(
    create_and_drop_tables,
    "CREATE TABLE a (x INTEGER);",
    "CREATE TABLE a (x INTEGER); CREATE TABLE b (y TEXT NOT NULL, z REAL DEFAULT 1.5);"
);
pair!(
    add_and_drop_columns,
    "CREATE TABLE t (a INTEGER);",
    "CREATE TABLE t (a INTEGER, b TEXT DEFAULT 'x', c BLOB, d INTEGER NOT NULL DEFAULT -1);"
);
pair!(column_type_change, "CREATE TABLE t (a INTEGER, b TEXT);", "CREATE TABLE t (a BIGINT, b VARCHAR(20));");
pair!(nullability_change, "CREATE TABLE t (a INTEGER);", "CREATE TABLE t (a INTEGER NOT NULL DEFAULT 0);");
pair!(
    default_expressions,
    "CREATE TABLE t (a TEXT DEFAULT 'x', b TEXT);",
    "CREATE TABLE t (a TEXT DEFAULT (lower('Y')), b TEXT DEFAULT CURRENT_TIMESTAMP);"
);
pair!(column_collation, "CREATE TABLE t (a TEXT);", "CREATE TABLE t (a TEXT COLLATE NOCASE);");
pair!(
    generated_columns,
    "CREATE TABLE t (a INTEGER);",
    "CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, c INTEGER AS (a + 1) STORED);"
);
pair!(
    autoincrement,
    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);",
    "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);"
);
pair!(
    primary_keys,
    "CREATE TABLE t (a INTEGER, b INTEGER);",
    "CREATE TABLE t (a INTEGER, b INTEGER, CONSTRAINT t_pk PRIMARY KEY (a, b));"
);
pair!(
    unique_constraints,
    "CREATE TABLE t (a INTEGER, b INTEGER);",
    "CREATE TABLE t (a INTEGER UNIQUE, b INTEGER, CONSTRAINT ab UNIQUE (a, b));"
);
pair!(
    plain_indexes,
    "CREATE TABLE t (a INTEGER, b TEXT);",
    "CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a DESC, b COLLATE NOCASE);"
);
pair!(unique_partial_expression_indexes, "CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX i ON t (a);", "CREATE TABLE t (a INTEGER, b TEXT); CREATE UNIQUE INDEX i ON t (a) WHERE a > 0; CREATE INDEX j ON t (lower(b), a + 1);");
pair!(foreign_keys, "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER, p_id INTEGER);",
    "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER, p_id INTEGER CONSTRAINT c_p REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED);");
pair!(
    foreign_key_actions_change,
    "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p (id));",
    "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p (id) ON DELETE RESTRICT);"
);
pair!(foreign_key_cycle, "", "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id)); CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));");
pair!(
    self_reference,
    "CREATE TABLE n (id INTEGER PRIMARY KEY);",
    "CREATE TABLE n (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES n (id));"
);
pair!(
    checks,
    "CREATE TABLE t (a INTEGER CHECK (a > 0), b INTEGER);",
    "CREATE TABLE t (a INTEGER, b INTEGER, CONSTRAINT b_small CHECK (b < 10), CHECK (a <> b));"
);
pair!(
    views,
    "CREATE TABLE t (a INTEGER); CREATE VIEW v AS SELECT a FROM t;",
    "CREATE TABLE t (a INTEGER); CREATE VIEW v AS SELECT a, a + 1 AS b FROM t; CREATE VIEW w AS SELECT b FROM v;"
);
pair!(
    views_over_rebuilt_tables,
    "CREATE TABLE t (a INTEGER); CREATE VIEW v AS SELECT a FROM t; CREATE VIEW w AS SELECT a FROM v;",
    "CREATE TABLE t (a TEXT NOT NULL DEFAULT ''); CREATE VIEW v AS SELECT a FROM t; CREATE VIEW w AS SELECT a FROM v;"
);
pair!(triggers, "CREATE TABLE t (a INTEGER, n INTEGER);",
    "CREATE TABLE t (a INTEGER, n INTEGER); CREATE TABLE log (a INTEGER); CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.a); END;");
pair!(triggers_on_rebuilt_tables, "CREATE TABLE t (a INTEGER); CREATE TABLE log (a INTEGER); CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.a); END;",
    "CREATE TABLE t (a INTEGER NOT NULL DEFAULT 0); CREATE TABLE log (a INTEGER); CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.a); END;");
pair!(
    without_rowid_and_strict,
    "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER);",
    "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT;"
);
pair!(
    table_rename_declared,
    "CREATE TABLE old_name (a INTEGER); CREATE INDEX old_i ON old_name (a);",
    "CREATE TABLE new_name ( -- schema:renamed-from old_name\n a INTEGER); CREATE INDEX old_i ON new_name (a);"
);
pair!(
    column_rename_declared,
    "CREATE TABLE t (a INTEGER, keep TEXT);",
    "CREATE TABLE t (\n  b INTEGER, -- schema:renamed-from a\n  keep TEXT);"
);

#[test]
fn the_demo_applies_and_converges_in_both_versions() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/demo");
    let v1 = std::fs::read_to_string(format!("{root}/v1/schema.sql")).unwrap();
    let v2 = std::fs::read_to_string(format!("{root}/v2/schema.sql")).unwrap();
    converge("", &v1, "");
    let applied = converge(&v1, &v2, "INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A');");
    assert!(applied.stdout.contains("Applied"), "{}", applied.stdout);
    assert!(!applied.stdout.contains("[!"), "the demo's v2 change carries no hazard:\n{}", applied.stdout);
    assert_eq!(applied.rows("SELECT email, phone IS NULL FROM customers"), ["a@example.com|1"]);
}
