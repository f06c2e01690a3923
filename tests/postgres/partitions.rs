//! Partitioned tables and their partitions, with keys, indexes and triggers the partitions
//! take from their parent.

use crate::harness::{both_ways, converge};

#[test]
fn partitioned_tables_and_partitions() {
    both_ways(
        "CREATE TABLE plain (id int);",
        r#"
        CREATE TABLE plain (id int);
        CREATE TABLE logs (id bigint NOT NULL, created_at timestamp NOT NULL, note text,
          PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
        CREATE TABLE logs_2024_01 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
        CREATE TABLE logs_default PARTITION OF logs DEFAULT;
        CREATE INDEX logs_note ON logs (note);
        CREATE FUNCTION stamp() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER logs_stamp BEFORE INSERT ON logs FOR EACH ROW EXECUTE FUNCTION stamp();
        CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
        CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('US', 'CA');
        CREATE TABLE sessions (id bigint, user_id bigint) PARTITION BY HASH (user_id);
        CREATE TABLE sessions_0 PARTITION OF sessions FOR VALUES WITH (MODULUS 2, REMAINDER 0);
        CREATE TABLE sessions_1 PARTITION OF sessions FOR VALUES WITH (MODULUS 2, REMAINDER 1);"#,
    );
}

#[test]
fn a_partition_is_added_and_one_dropped_keeping_the_rows_of_the_others() {
    let parent = "CREATE TABLE logs (id int, day date NOT NULL) PARTITION BY RANGE (day);
        CREATE TABLE logs_jan PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');";
    let before =
        format!("{parent} CREATE TABLE logs_feb PARTITION OF logs FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');");
    let after =
        format!("{parent} CREATE TABLE logs_mar PARTITION OF logs FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');");
    let Some(a) = converge(&before, &after, "INSERT INTO logs VALUES (1, '2024-01-05'), (2, '2024-02-05');") else {
        return;
    };
    assert!(a.stdout.contains("DS102"), "dropping a partition drops its rows:\n{}", a.stdout);
    a.db.exec("INSERT INTO logs VALUES (3, '2024-03-05');");
    assert_eq!(a.db.exec("SELECT id FROM logs ORDER BY id"), ["1", "3"]);
}

#[test]
fn changing_the_partitioning_is_refused_by_name() {
    let Some(a) = schema_e2e::pg::PgDb::create("schema_e2e") else { return };
    let Some(dev) = schema_e2e::pg::PgDb::create("schema_e2e_dev") else { return };
    a.exec("CREATE TABLE t (id int, k int) PARTITION BY RANGE (id);");
    let s = schema_e2e::Scratch::new();
    let to = s.write("to.sql", "CREATE TABLE t (id int, k int) PARTITION BY LIST (k);");
    let run = schema_e2e::schema(&["plan", "--url", &a.url(), "--to", &to, "--dev-url", &dev.url()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("table public.t: changing how it is partitioned"), "{}", run.stderr);
}
