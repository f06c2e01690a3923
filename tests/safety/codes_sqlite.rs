//! Every SQLite hazard code, raised where it applies and not where it does not.

use crate::db::{case, check_cases, common_cases, t_with, Db, T};

#[test]
fn each_code_is_raised_where_it_applies_and_only_there() {
    let mut cases = common_cases();
    cases.extend([
        case("rebuild", T, &t_with("e text NOT NULL DEFAULT ''"), "LK106", true),
        case("plain add column", T, &t_with("e text, f text"), "LK106", false),
    ]);
    check_cases(Db::sqlite, &cases);
}
