//! What offline mode cannot reproduce is refused at its place, with the `--dev-url` help.

use crate::{assert_refused, offline};

#[test]
fn unsupported_statements_are_refused_at_their_place() {
    assert_refused("CREATE TABLE t (a int);\n\nCREATE EXTENSION citext;", "3:1", "CREATE EXTENSION");
    assert_refused("CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a FROM t;", "2:1", "a view");
    assert_refused("CREATE MATERIALIZED VIEW m AS SELECT 1;", "1:1", "a view");
    assert_refused("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", "1:1", "a function");
    assert_refused("CREATE TABLE t (a int);\nDROP TABLE t;", "2:1", "this statement");
    assert_refused("SET standard_conforming_strings = off;", "1:1", "SET standard_conforming_strings");
    assert_refused("CREATE TABLE t (a int) PARTITION BY RANGE (a);", "1:1", "this form of CREATE TABLE");
    assert_refused("CREATE TYPE pair AS (a int, b int);", "1:13", "a type other than an enum");
}

#[test]
fn unsupported_types_and_expressions_are_refused_at_their_place() {
    assert_refused("CREATE TABLE t (\n  a int,\n  b citext\n);", "3:3", "the type citext");
    assert_refused("CREATE TABLE t (a int, b int CHECK (a = ANY(ARRAY[b])));", "1:", "this kind of expression");
    assert_refused("CREATE TABLE t (a int,\n  b text DEFAULT md5('x'));", "2:18", "the function call md5('x')");
    assert_refused("CREATE TABLE t (a timestamptz DEFAULT '2020-01-01 10:00');", "1:", "the literal");
    assert_refused("CREATE TABLE t (a float8 CHECK (a > '1.5'));", "1:", "the literal");
    assert_refused("CREATE TABLE t (a text);\nCREATE INDEX ON t (lower(a));", "2:20", "an expression index");
    assert_refused("CREATE TABLE t (a text COLLATE \"en_US\");", "1:", "the collation");
    assert_refused("CREATE TABLE t (a int, b bigint CHECK (a IN (b, 2)));", "1:", "this IN list");
}

#[test]
fn invalid_sql_is_an_error_without_the_dev_url_hint() {
    let err = offline("CREATE TABLE t (a int REFERENCES nosuch (id));").unwrap_err();
    assert!(err.starts_with("desired.sql:1:"), "{err}");
    assert!(err.contains("relation \"nosuch\" does not exist"), "{err}");
    let err = offline("CREATE TABLE a (x int);\nCREATE TABLE b (x int REFERENCES a (x));").unwrap_err();
    assert!(err.contains("there is no unique constraint matching given keys"), "{err}");
    let err = offline("CREATE TABLE t (a int CHECK (b > 0));").unwrap_err();
    assert!(err.contains("column \"b\" does not exist"), "{err}");
    let err = offline("CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (m mood DEFAULT 'b');").unwrap_err();
    assert!(err.contains("invalid input value for enum public.mood"), "{err}");
}

#[test]
fn renames_are_attached_offline() {
    let realm = offline(
        "CREATE TABLE people ( -- schema:renamed-from users\n  id int,\n  full_name text -- schema:renamed-from name\n);\n",
    )
    .unwrap();
    let t = realm.schema("public").unwrap().table("people").unwrap();
    assert_eq!(t.renamed_from.as_deref(), Some("users"));
    assert_eq!(t.columns[1].renamed_from.as_deref(), Some("name"));
}

#[test]
fn operators_on_two_untyped_literals_are_refused() {
    assert_refused("CREATE TABLE t (x text DEFAULT 'a' || 'b');", "1:32", "|| on these operands");
    assert_refused("CREATE TABLE t (x int CHECK ('a' = 'b'));", "1:30", "this operator on unknown and unknown");
}
