//! Rollback acceptance on PostgreSQL: a new table, a column type change and a new index are
//! undone, the catalog equals the snapshot from before, and the rows are still there.

use schema_e2e::pg::PgDb;
use schema_e2e::rollback::{apply_then_rollback, Case};

use crate::harness::ALLOW_ALL;

#[test]
fn rollback_after_table_type_change_and_index_restores_the_catalog() {
    apply_then_rollback::<PgDb>(&Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL, note varchar(20));",
        seed: "INSERT INTO t SELECT g, g * 10, 'row ' || g FROM generate_series(1, 50) g;",
        after: "CREATE TABLE t (id int PRIMARY KEY, n bigint NOT NULL, note varchar(20));
         CREATE INDEX t_note ON t (note);
         CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t_id int REFERENCES t (id));",
        allow: ALLOW_ALL,
        apply_has: &["CREATE TABLE \"public\".\"audit\"", "TYPE bigint", "CREATE INDEX \"t_note\""],
        rollback_has: &["DROP TABLE \"public\".\"audit\"", "TYPE integer", "DROP INDEX \"public\".\"t_note\""],
        rows: ("SELECT count(*), sum(n), max(note) FROM t", &["50|12750|row 9"]),
    });
}
