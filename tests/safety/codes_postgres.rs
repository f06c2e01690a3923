//! Every PostgreSQL hazard code, raised where it applies and not where it does not.

use crate::db::{case, check_cases, common_cases, t_with, Db, T};

#[test]
fn each_code_is_raised_where_it_applies_and_only_there() {
    let with_index = format!("{T} CREATE INDEX t_n ON t (n);");
    let (parent, child) = ("CREATE TABLE p (id int PRIMARY KEY);", "CREATE TABLE c (pid int REFERENCES p (id));");
    let fk_before = format!("{parent} CREATE TABLE c (pid int);");
    let fk_after = format!("{parent} {child}");
    let mut cases = common_cases();
    cases.extend([
        case("drop schema", "CREATE SCHEMA s2;", "", "DS101", true),
        case("keep schema", "CREATE SCHEMA s2;", "CREATE SCHEMA s2;", "DS101", false),
        case("narrow varchar", T, "CREATE TABLE t (id int PRIMARY KEY, a varchar(5), n int, e text);", "MF105", true),
        case("index on existing table", T, &with_index, "LK101", true),
        case("index online", T, &with_index, "LK101", false).online(),
        case(
            "index on a table the plan creates",
            "",
            "CREATE TABLE t (n int); CREATE INDEX t_n ON t (n);",
            "LK101",
            false,
        ),
        case(
            "int to bigint",
            T,
            "CREATE TABLE t (id int PRIMARY KEY, a varchar(20), n bigint, e text);",
            "LK102",
            true,
        ),
        case("varchar to text", T, "CREATE TABLE t (id int PRIMARY KEY, a text, n int, e text);", "LK102", false),
        case("fk on existing table", &fk_before, &fk_after, "LK103", true),
        case("fk online", &fk_before, &fk_after, "LK103", false).online(),
        case("fk on a table the plan creates", parent, &fk_after, "LK103", false),
        case("volatile default", T, &t_with("e text, r float8 DEFAULT random()"), "LK104", true),
        case("constant default", T, &t_with("e text, r float8 DEFAULT 1"), "LK104", false),
        case(
            "row level security turned off",
            &format!("{T} ALTER TABLE t ENABLE ROW LEVEL SECURITY;"),
            T,
            "DS104",
            true,
        ),
        case(
            "row level security no longer forced",
            &format!("{T} ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;"),
            &format!("{T} ALTER TABLE t ENABLE ROW LEVEL SECURITY;"),
            "DS104",
            true,
        ),
        case(
            "row level security turned on",
            T,
            &format!("{T} ALTER TABLE t ENABLE ROW LEVEL SECURITY;"),
            "DS104",
            false,
        ),
        case(
            "enum label removed",
            "CREATE TYPE mood AS ENUM ('a', 'b', 'c');",
            "CREATE TYPE mood AS ENUM ('a', 'b');",
            "LK107",
            true,
        ),
        case(
            "enum label added",
            "CREATE TYPE mood AS ENUM ('a', 'b');",
            "CREATE TYPE mood AS ENUM ('a', 'b', 'c');",
            "LK107",
            false,
        ),
    ]);
    check_cases(Db::postgres, &cases);
}
