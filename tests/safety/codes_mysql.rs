//! Every MySQL/MariaDB hazard code, raised where it applies and not where it does not.

use crate::db::{case, check_cases, common_cases, Db, T};

#[test]
fn each_code_is_raised_where_it_applies_and_only_there() {
    let parent = "CREATE TABLE p (id int PRIMARY KEY);";
    let child = "CREATE TABLE c (pid int, KEY c_pid (pid), CONSTRAINT c_p FOREIGN KEY (pid) REFERENCES p (id));";
    let fk_before = format!("{parent} CREATE TABLE c (pid int, KEY c_pid (pid));");
    let fk_after = format!("{parent} {child}");
    let mut cases = common_cases();
    cases.extend([
        case("narrow varchar", T, "CREATE TABLE t (id int PRIMARY KEY, a varchar(5), n int, e text);", "MF105", true),
        case(
            "int to bigint copies",
            T,
            "CREATE TABLE t (id int PRIMARY KEY, a varchar(20), n bigint, e text);",
            "LK105",
            true,
        ),
        case(
            "dropped primary key copies",
            T,
            "CREATE TABLE t (id int NOT NULL, a varchar(20), n int, e text);",
            "LK105",
            true,
        ),
        case("fk on existing table copies", &fk_before, &fk_after, "LK105", true),
        case("fk on a table the plan creates", parent, &fk_after, "LK105", false),
        case(
            "longer varchar in place",
            T,
            "CREATE TABLE t (id int PRIMARY KEY, a varchar(50), n int, e text);",
            "LK105",
            false,
        ),
        case(
            "new primary key in place",
            T,
            "CREATE TABLE t (id int NOT NULL, a varchar(20), n int NOT NULL, e text, PRIMARY KEY (id, n));",
            "LK105",
            false,
        ),
        case("index in place", T, &format!("{T} CREATE INDEX t_n ON t (n);"), "LK105", false),
    ]);
    check_cases(Db::mysql, &cases);
}
