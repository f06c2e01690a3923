//! Pairs for every object kind and change of the MySQL issue.

use crate::harness::{both_ways, converge};

macro_rules! pair {
    ($name:ident, $before:expr, $after:expr) => {
        #[test]
        fn $name() {
            both_ways($before, $after);
        }
    };
}

pair!(tables_engines_charsets_comments, "CREATE TABLE t (id int PRIMARY KEY) ENGINE=InnoDB;",
    "CREATE TABLE t (id int PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='the t'; CREATE TABLE m (x int) ENGINE=MyISAM;");
pair!(
    column_types_and_attributes,
    "CREATE TABLE t (id int);",
    r#"
    CREATE TABLE t (
      id int unsigned NOT NULL AUTO_INCREMENT,
      a tinyint(1) NOT NULL DEFAULT 0,
      b bigint(20) unsigned zerofill,
      c decimal(10,2) DEFAULT '1.50',
      d varchar(40) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'x',
      e enum('a','b','it''s') NOT NULL DEFAULT 'a',
      f set('x','y'),
      g datetime(3) DEFAULT CURRENT_TIMESTAMP(3),
      h timestamp NULL DEFAULT NULL,
      i json,
      j text COMMENT 'a comment',
      k int GENERATED ALWAYS AS (a * 2) VIRTUAL,
      l int AS (a + 1) STORED,
      PRIMARY KEY (id)
    );"#
);
pair!(
    column_positions_are_kept,
    "CREATE TABLE t (a int, b int, c int);",
    "CREATE TABLE t (c int, a int, x int, b int);"
);
pair!(
    indexes_of_every_kind,
    "CREATE TABLE t (id int PRIMARY KEY, a varchar(100), b text, g point NOT NULL);",
    r#"
    CREATE TABLE t (id int PRIMARY KEY, a varchar(100), b text, g point NOT NULL,
      UNIQUE KEY t_a (a),
      KEY t_a_prefix (a(10), id DESC),
      FULLTEXT KEY t_b (b),
      SPATIAL KEY t_g (g)
    );"#
);
pair!(
    foreign_keys_and_their_indexes,
    "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int);",
    r#"
    CREATE TABLE p (id int PRIMARY KEY);
    CREATE TABLE c (id int, p_id int, KEY c_p_idx (p_id),
      CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL);"#
);
pair!(
    foreign_key_cycle,
    "",
    r#"
    CREATE TABLE a (id int PRIMARY KEY, b_id int, KEY (b_id));
    CREATE TABLE b (id int PRIMARY KEY, a_id int, KEY (a_id), FOREIGN KEY (a_id) REFERENCES a (id));
    ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id);"#
);
pair!(
    checks,
    "CREATE TABLE t (a int, b int);",
    "CREATE TABLE t (a int CHECK (a > 0), b int, CONSTRAINT b_small CHECK (b < 10));"
);
pair!(
    views,
    "CREATE TABLE t (a int, b int);",
    r#"
    CREATE TABLE t (a int, b int);
    CREATE VIEW v AS SELECT a, b + 1 AS c FROM t WHERE a > 0;
    CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW w AS SELECT a FROM v;"#
);
pair!(
    triggers,
    "CREATE TABLE t (a int); CREATE TABLE log (a int);",
    r#"
    CREATE TABLE t (a int); CREATE TABLE log (a int);
    CREATE TRIGGER t_ins AFTER INSERT ON t FOR EACH ROW INSERT INTO log VALUES (NEW.a);"#
);
pair!(
    awkward_names,
    "CREATE TABLE `Order` (`select` int);",
    r#"
    CREATE TABLE `Order` (`select` int, `it's` text, `Grüße` varchar(10) NOT NULL DEFAULT 'hé', `back``tick` int);
    CREATE INDEX `idx "q"` ON `Order` (`select`);
    CREATE VIEW `the view` AS SELECT `select` FROM `Order`;"#
);

#[test]
fn type_changes_keep_data() {
    let before = "CREATE TABLE t (id int PRIMARY KEY, a varchar(10), b int, c int);";
    let after = "CREATE TABLE t (id int PRIMARY KEY, a varchar(40) NOT NULL DEFAULT '', b bigint, n int DEFAULT 7);";
    let Some(a) = converge(before, after, "INSERT INTO t VALUES (1, 'x', 2, 3), (2, 'y', NULL, NULL);") else { return };
    assert_eq!(a.db.exec("SELECT id, a, b, n FROM t ORDER BY id"), ["1\tx\t2\t7", "2\ty\tNULL\t7"]);
}

#[test]
fn declared_renames_keep_data() {
    let before = "CREATE TABLE old_t (id int PRIMARY KEY, a int);";
    let after =
        "CREATE TABLE new_t ( -- schema:renamed-from old_t\n id int PRIMARY KEY,\n b int -- schema:renamed-from a\n);";
    let Some(a) = converge(before, after, "INSERT INTO old_t VALUES (1, 42);") else { return };
    assert_eq!(a.db.exec("SELECT b FROM new_t"), ["42"]);
}
