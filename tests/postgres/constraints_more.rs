//! Exclusion constraints and index storage parameters.

use crate::harness::{both_ways, converge};

#[test]
fn exclusion_constraints_of_every_shape() {
    both_ways(
        "CREATE TABLE booking (room int, during tstzrange, name text);",
        r#"
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE booking (room int, during tstzrange, name text,
          CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&),
          EXCLUDE USING btree (lower(name) WITH =) WHERE (name <> ''));
        ALTER TABLE booking ADD CONSTRAINT "Deferred One" EXCLUDE USING gist (during WITH &&) DEFERRABLE INITIALLY DEFERRED;
        COMMENT ON CONSTRAINT no_overlap ON booking IS 'one booking per room at a time';"#,
    );
}

#[test]
fn a_changed_exclusion_constraint_is_dropped_and_added_again() {
    let before = "CREATE TABLE t (a int, r int4range, CONSTRAINT ex EXCLUDE (a WITH =));";
    let after = "CREATE TABLE t (a int, r int4range, CONSTRAINT ex EXCLUDE USING gist (r WITH &&));";
    let Some(a) = converge(before, after, "INSERT INTO t VALUES (1, '[1,3)'), (2, '[5,7)');") else { return };
    let drop = a.stdout.find("drop exclusion constraint \"ex\"").expect("dropped");
    let add = a.stdout.find("add exclusion constraint \"ex\"").expect("added");
    assert!(drop < add, "{}", a.stdout);
    assert!(!a.stdout.contains("DS104"), "a replaced constraint is not a loss:\n{}", a.stdout);
}

#[test]
fn index_storage_parameters() {
    both_ways(
        "CREATE TABLE t (a int, b text, c jsonb); CREATE INDEX t_a ON t (a);",
        r#"
        CREATE TABLE t (a int, b text, c jsonb);
        CREATE INDEX t_a ON t (a) WITH (fillfactor = 70, deduplicate_items = off);
        CREATE INDEX t_c ON t USING gin (c) WITH (fastupdate = false) WHERE a > 0;
        CREATE MATERIALIZED VIEW m AS SELECT a FROM t;
        CREATE INDEX m_a ON m (a) WITH (fillfactor = 50);"#,
    );
}
