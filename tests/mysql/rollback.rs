//! Rollback acceptance on MariaDB: a new table, a column type change and a new index are
//! undone, the catalog equals the snapshot from before, and the rows are still there.

use schema_e2e::my::MyDb;
use schema_e2e::rollback::{apply_then_rollback, Case};

use crate::harness::ALLOW_ALL;

#[test]
fn rollback_after_table_type_change_and_index_restores_the_catalog() {
    apply_then_rollback::<MyDb>(&Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL, note varchar(20)) ENGINE=InnoDB;",
        seed: "INSERT INTO t (id, n, note) SELECT seq, seq * 10, CONCAT('row ', seq) FROM seq_1_to_50;",
        after:
            "CREATE TABLE t (id int PRIMARY KEY, n bigint NOT NULL, note varchar(20), KEY t_note (note)) ENGINE=InnoDB;
         CREATE TABLE audit (id bigint AUTO_INCREMENT PRIMARY KEY, t_id int,
           CONSTRAINT audit_t FOREIGN KEY (t_id) REFERENCES t (id)) ENGINE=InnoDB;",
        allow: ALLOW_ALL,
        apply_has: &["CREATE TABLE `audit`", "MODIFY COLUMN `n` bigint", "ADD KEY `t_note`"],
        rollback_has: &["DROP TABLE `audit`", "MODIFY COLUMN `n` int", "DROP INDEX `t_note`"],
        rows: ("SELECT count(*), sum(n), max(note) FROM t", &["50\t12750\trow 9"]),
    });
}
