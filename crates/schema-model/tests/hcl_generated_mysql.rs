//! Random valid MySQL/MariaDB models (proptest) come back unchanged from HCL (model → HCL →
//! model), with the kinds only MySQL has: partitioned tables of every kind with their
//! partitions, KEY_BLOCK_SIZE and scheduled events. Keys and bounds are spelled as MariaDB's
//! `information_schema.PARTITIONS` reports them (checked against MariaDB 10.11 by hand), plus
//! some the HCL parts cannot say, which must be kept whole.

use proptest::prelude::*;
use schema_model::sql::SourceFile;
use schema_model::{
    hcl, Column, ColumnType, Dialect, Event, EventSchedule, EventStatus, Partition, Realm, Schema, Table, TableOptions,
};

/// Names with capitals, spaces, quotes, backquotes, reserved words, non-ASCII and markers.
const NAMES: &[&str] = &["orders", "My Table", "it's \"q\"", "a`b", "select", "Län", "${x}", "50%{off}", "p$"];

/// Column types as MariaDB's COLUMN_TYPE renders them.
const TYPES: &[&str] = &["int(11)", "bigint(20)", "varchar(10)", "text", "date", "datetime", "decimal(10,2)"];

/// A key and the bounds its partitions take (none: hashed), as MariaDB reports them.
const KEYS: &[(&str, &[&str])] = &[
    ("RANGE (`id`)", &["VALUES LESS THAN (10)", "VALUES LESS THAN (20)", "VALUES LESS THAN (MAXVALUE)"]),
    ("RANGE (to_days(`d`))", &["VALUES LESS THAN (738000)", "VALUES LESS THAN MAXVALUE"]),
    ("RANGE COLUMNS (`d`)", &["VALUES LESS THAN ('2023-01-01')", "VALUES LESS THAN (MAXVALUE)"]),
    ("LIST (`id`)", &["VALUES IN (1,2,3)", "VALUES IN (4)", "VALUES IN (NULL)"]),
    ("LIST COLUMNS (`id`,`d`)", &["VALUES IN ((1,'2023-01-01'),(2,'2024-01-01'))", "VALUES IN (1) /* odd */"]),
    ("HASH (`id`)", &[]),
    ("LINEAR HASH (`id` DIV 2)", &[]),
    ("KEY ()", &[]),
    ("LINEAR KEY (`id`,`d`)", &[]),
    ("KEY ALGORITHM=2 (`id`)", &[]),
];

const UNITS: &[&str] = &["DAY", "HOUR", "MINUTE_SECOND", "DAY_HOUR", "YEAR_MONTH"];

/// Texts with quotes, backslashes and template markers.
fn text() -> impl Strategy<Value = String> {
    "[a-z '\"$%\\\\{}`]{1,12}"
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-z][a-z0-9_]{0,5}", 1 => proptest::sample::select(NAMES).prop_map(str::to_string)]
}

fn column(name: &str, ty: &str, nullable: bool) -> Column {
    let ty = ColumnType::declared(Dialect::Mysql, ty);
    Column { name: name.into(), ty, nullable, ..Default::default() }
}

/// Partitions for key `k`: named and bounded, or for a hashed key counted (`p0`..) or named.
fn partitions(k: usize, names: Vec<String>, counted: bool) -> Vec<Partition> {
    let bounds = KEYS[k].1;
    let mut out: Vec<Partition> = Vec::new();
    if bounds.is_empty() && counted {
        return (0..names.len()).map(|i| Partition { name: format!("p{i}"), bound: None }).collect();
    }
    for (i, n) in names.into_iter().enumerate() {
        if !out.iter().any(|p| p.name == n) {
            let bound = (!bounds.is_empty()).then(|| bounds[i % bounds.len()].to_string());
            out.push(Partition { name: n, bound });
        }
    }
    out
}

fn table() -> impl Strategy<Value = Table> {
    let key = proptest::option::of((0..KEYS.len(), proptest::collection::vec(name(), 1..4), any::<bool>()));
    let size = proptest::option::of(proptest::sample::select(vec![1u32, 2, 4, 8, 16]));
    (name(), proptest::collection::vec((name(), 0..TYPES.len(), any::<bool>()), 0..3), key, size).prop_map(
        |(name, cols, key, key_block_size)| {
            // `id` and `d` are the columns the keys name.
            let mut columns = vec![column("id", "int(11)", false), column("d", "date", false)];
            for (n, t, nullable) in cols {
                if !columns.iter().any(|c| c.name == n) {
                    columns.push(column(&n, TYPES[t], nullable));
                }
            }
            let mut t = Table { name: name.into(), columns, ..Default::default() };
            t.options = TableOptions { engine: Some("InnoDB".into()), key_block_size, ..Default::default() };
            if let Some((k, names, counted)) = key {
                t.partition_by = Some(KEYS[k].0.to_string());
                t.partitions = partitions(k, names, counted);
            }
            t
        },
    )
}

fn event() -> impl Strategy<Value = Event> {
    let schedule = prop_oneof![
        "20[3-9][0-9]-0[1-9]-1[0-9] 0[0-9]:00:00".prop_map(|at| EventSchedule::At { at }),
        (
            prop_oneof!["[1-9][0-9]{0,2}", Just("1 4".to_string()), Just("0".to_string())],
            proptest::sample::select(UNITS),
            proptest::option::of(Just("2037-01-01 00:00:00".to_string()))
        )
            .prop_map(|(value, unit, ends)| EventSchedule::Every { value, unit: unit.into(), ends }),
    ];
    let status =
        proptest::sample::select(vec![EventStatus::Enabled, EventStatus::Disabled, EventStatus::DisabledOnReplica]);
    let definer = proptest::option::of(proptest::sample::select(vec!["root@%", "it's@local host"]));
    (name(), schedule, any::<bool>(), status, text(), proptest::option::of(text()), definer).prop_map(
        |(name, schedule, preserve, status, body, comment, definer)| Event {
            name,
            schedule,
            preserve,
            status,
            body: format!("DELETE FROM t WHERE a = '{body}'"),
            comment,
            definer: definer.map(str::to_string),
        },
    )
}

fn realm() -> impl Strategy<Value = Realm> {
    (name(), proptest::collection::vec(table(), 0..4), proptest::collection::vec(event(), 0..3)).prop_map(
        |(schema, tables, events)| {
            let mut s = Schema::named(schema);
            for t in tables {
                if !s.tables.iter().any(|x| x.name == t.name) {
                    s.tables.push(t);
                }
            }
            for e in events {
                if !s.events.iter().any(|x| x.name == e.name) {
                    s.events.push(e);
                }
            }
            let mut r = Realm::new(Dialect::Mysql);
            r.schemas.push(s);
            r.normalize();
            r
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn mysql_model_to_hcl_to_model_is_the_identity(model in realm()) {
        prop_assert_eq!(hcl::uncovered(&model), Vec::<String>::new());
        let text = hcl::write(&model);
        let back = hcl::load(Dialect::Mysql, &[SourceFile::new("gen.hcl", text.clone())]);
        prop_assert!(back.is_ok(), "{:?}\n{text}", back.err());
        prop_assert_eq!(back.unwrap(), model, "{}", text);
    }
}
