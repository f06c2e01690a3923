//! Partitioned tables, scheduled events, primary key comments and KEY_BLOCK_SIZE: pairs both
//! ways, the steps chosen (ADD/DROP PARTITION rather than partitioning anew where they reach the
//! desired state), the rows a partition change keeps, and the drops the policy withholds.

use schema_e2e::my::MyDb;
use schema_e2e::my_catalog::snapshot;
use schema_e2e::{schema, Scratch};

use crate::harness::{both_ways, converge};

const RANGE3: &str = "CREATE TABLE sales (id int NOT NULL, yr int NOT NULL, PRIMARY KEY (id, yr)) \
     PARTITION BY RANGE (yr) (PARTITION p2022 VALUES LESS THAN (2023), PARTITION p2023 VALUES LESS THAN (2024), \
     PARTITION `p 2024` VALUES LESS THAN (2025));";
const RANGE2: &str = "CREATE TABLE sales (id int NOT NULL, yr int NOT NULL, PRIMARY KEY (id, yr)) \
     PARTITION BY RANGE (yr) (PARTITION p2022 VALUES LESS THAN (2023), PARTITION p2023 VALUES LESS THAN (2024));";

#[test]
fn partitioning_is_added_and_removed() {
    both_ways("CREATE TABLE sales (id int NOT NULL, yr int NOT NULL, PRIMARY KEY (id, yr));", RANGE3);
}

#[test]
fn partitioning_of_every_kind() {
    both_ways(
        "",
        r#"
        CREATE TABLE h (id int NOT NULL, d datetime NOT NULL, PRIMARY KEY (id, d)) PARTITION BY LINEAR HASH (to_days(d)) PARTITIONS 3;
        CREATE TABLE k (id int NOT NULL PRIMARY KEY) PARTITION BY KEY ();
        CREATE TABLE lk (id int NOT NULL, d date NOT NULL, PRIMARY KEY (id, d)) PARTITION BY LINEAR KEY (d) PARTITIONS 2;
        CREATE TABLE `Län` (id int NOT NULL, c varchar(10) NOT NULL, PRIMARY KEY (id, c)) PARTITION BY LIST COLUMNS (c)
          (PARTITION `it's` VALUES IN ('US', 'CA'), PARTITION b VALUES IN ('UK'));
        CREATE TABLE rc (id int NOT NULL, d date NOT NULL, PRIMARY KEY (id, d)) PARTITION BY RANGE COLUMNS (d)
          (PARTITION p1 VALUES LESS THAN ('2023-01-01'), PARTITION pmax VALUES LESS THAN (MAXVALUE));
        CREATE TABLE l (id int NOT NULL, r int NOT NULL, PRIMARY KEY (id, r)) PARTITION BY LIST (r)
          (PARTITION n VALUES IN (1, 2, 3), PARTITION s VALUES IN (4, 5, 6));"#,
    );
}

#[test]
fn appended_partitions_are_added_and_left_out_ones_dropped() {
    let Some(a) = converge(RANGE2, RANGE3, "") else { return };
    assert!(a.stdout.contains("ADD PARTITION (PARTITION `p 2024` VALUES LESS THAN (2025))"), "{}", a.stdout);
    assert!(!a.stdout.contains("PARTITION BY"), "no partitioning anew:\n{}", a.stdout);
    let seed = "INSERT INTO sales VALUES (1, 2022), (2, 2023), (3, 2024);";
    let Some(a) = converge(RANGE3, RANGE2, seed) else { return };
    assert!(a.stdout.contains("DROP PARTITION `p 2024`"), "{}", a.stdout);
    assert_eq!(a.db.exec("SELECT id FROM sales ORDER BY id"), ["1", "2"], "only the dropped partition's rows go");
}

#[test]
fn hash_counts_and_changed_bounds_partition_anew_keeping_rows() {
    let before = "CREATE TABLE t (id int NOT NULL PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 2;";
    let after = "CREATE TABLE t (id int NOT NULL PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 5;";
    let Some(a) = converge(before, after, "INSERT INTO t VALUES (1), (2), (3);") else { return };
    assert!(a.stdout.contains("PARTITION BY HASH (`id`) PARTITIONS 5"), "{}", a.stdout);
    assert_eq!(a.db.exec("SELECT count(*) FROM t"), ["3"]);
    let moved = RANGE2.replace("LESS THAN (2024)", "LESS THAN (2030)");
    let Some(a) = converge(RANGE2, &moved, "INSERT INTO sales VALUES (1, 2022), (2, 2023);") else { return };
    assert_eq!(a.db.exec("SELECT count(*) FROM sales"), ["2"]);
    both_ways(before, "CREATE TABLE t (id int NOT NULL PRIMARY KEY) PARTITION BY KEY (id) PARTITIONS 2;");
}

#[test]
fn partitioning_changes_together_with_the_primary_key() {
    both_ways("CREATE TABLE t (id int NOT NULL PRIMARY KEY, yr int NOT NULL);", RANGE3.replace("sales", "t").as_str());
}

#[test]
fn a_partition_drop_is_refused_without_allow_destructive() {
    let (Some(a), Some(dev)) = (MyDb::create("schema_e2e"), MyDb::create("schema_e2e_dev")) else { return };
    a.exec(RANGE3);
    a.exec("INSERT INTO sales VALUES (1, 2024);");
    let before = snapshot(&a.url());
    let s = Scratch::new();
    let to = s.write("to.sql", RANGE2);
    let run = schema(&["apply", "--url", &a.url(), "--to", &to, "--dev-url", &dev.url(), "--auto-approve"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("DS102 partition p 2024 of table sales and all its rows are deleted"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&a.url()), before);
    assert_eq!(a.exec("SELECT count(*) FROM sales"), ["1"]);
}

const EVENTS: &str = r#"
    CREATE TABLE records (id int, created_at datetime);
    CREATE EVENT cleanup ON SCHEDULE EVERY 1 DAY DO DELETE FROM records;
    CREATE EVENT `it's "odd"` ON SCHEDULE EVERY '1 4' DAY_HOUR ENDS '2037-01-01 00:00:00' DISABLE COMMENT 'l''ate'
      DO DELETE FROM records WHERE created_at < NOW() - INTERVAL 7 DAY;
    CREATE EVENT once ON SCHEDULE AT '2035-01-01 00:00:00' ON COMPLETION PRESERVE DO DELETE FROM records;"#;

#[test]
fn events_are_created_and_dropped() {
    both_ways("CREATE TABLE records (id int, created_at datetime);", EVENTS);
}

#[test]
fn events_are_altered_in_place() {
    let after = r#"
        CREATE TABLE records (id int, created_at datetime);
        CREATE EVENT cleanup ON SCHEDULE EVERY 2 HOUR ON COMPLETION PRESERVE COMMENT 'purge' DO DELETE FROM records WHERE id > 1;
        CREATE EVENT `it's "odd"` ON SCHEDULE EVERY 3 MINUTE ENABLE DO DELETE FROM records;
        CREATE EVENT once ON SCHEDULE AT '2036-06-01 12:00:00' DISABLE DO DELETE FROM records;"#;
    let Some(a) = converge(EVENTS, after, "") else { return };
    assert!(a.stdout.contains("ALTER EVENT `cleanup` ON SCHEDULE EVERY 2 HOUR"), "{}", a.stdout);
    assert!(!a.stdout.contains("DROP EVENT `cleanup`"), "altered, not dropped:\n{}", a.stdout);
    // MariaDB keeps an ENDS that ALTER EVENT leaves out: that one is created again.
    assert!(a.stdout.contains("DROP EVENT `it's \"odd\"`"), "{}", a.stdout);
    converge(after, EVENTS, "");
}

#[test]
fn a_stated_definer_is_kept_and_an_unstated_one_is_left_alone() {
    let after = "CREATE DEFINER = 'root'@'%' EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1;";
    let Some(a) = converge("", after, "") else { return };
    assert_eq!(a.db.exec("SELECT DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"), ["root@%"]);
    // The same event without a definer: nothing to change.
    let s = Scratch::new();
    let to = s.write("to.sql", "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1;");
    let dev = MyDb::create("schema_e2e_dev").expect("the server answered a moment ago");
    let again = schema(&["plan", "--url", &a.db.url(), "--to", &to, "--dev-url", &dev.url(), "--exit-code"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

#[test]
fn an_event_drop_is_refused_without_allow_destructive() {
    let (Some(a), Some(dev)) = (MyDb::create("schema_e2e"), MyDb::create("schema_e2e_dev")) else { return };
    a.exec("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1;");
    let s = Scratch::new();
    let to = s.write("to.sql", "");
    let run = schema(&["apply", "--url", &a.url(), "--to", &to, "--dev-url", &dev.url(), "--auto-approve"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("DS104 event e is dropped"), "{}", run.stderr);
    assert_eq!(a.exec("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"), ["e"]);
}

#[test]
fn primary_key_comments_and_key_block_size() {
    both_ways(
        "CREATE TABLE f (a bigint NOT NULL PRIMARY KEY, b bigint NOT NULL);",
        "CREATE TABLE f (a bigint NOT NULL, b bigint NOT NULL, PRIMARY KEY (a, b) COMMENT 'new key');",
    );
    both_ways(
        "CREATE TABLE f (a bigint NOT NULL, PRIMARY KEY (a) COMMENT 'one');",
        "CREATE TABLE f (a bigint NOT NULL, PRIMARY KEY (a) COMMENT 'two');",
    );
    both_ways("CREATE TABLE u (id bigint);", "CREATE TABLE u (id bigint) KEY_BLOCK_SIZE=8;");
}
