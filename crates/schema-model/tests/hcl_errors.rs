//! Mistakes in HCL schema files are miette reports that name the file, line and column,
//! underline the span, and say what to do. Each test asserts on the rendered report.

use schema_model::sql::SourceFile;
use schema_model::{hcl, Dialect};

/// Loads `text` as `schema.hcl` and renders the error as the command line prints it.
fn report(dialect: Dialect, text: &str) -> String {
    let err = hcl::load(dialect, &[SourceFile::new("schema.hcl", text)]).expect_err("the file is wrong");
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(200)
        .render_report(&mut out, &err)
        .unwrap();
    out
}

/// Asserts that every fragment is in the report.
fn assert_has(report: &str, fragments: &[&str]) {
    for f in fragments {
        assert!(report.contains(f), "missing {f:?} in:\n{report}");
    }
}

const HEAD: &str = "schema \"public\" {}\n";

#[test]
fn syntax_error() {
    let r = report(Dialect::Postgres, "table \"t\" {\n  column \"a\" {\n    type int\n  }\n}\n");
    // `type int` reads as the header of a block `type "int" { ... }`, so `{` is what is missing.
    assert_has(
        &r,
        &[
            "schema.hcl:3:13: HCL syntax error: expected `{`",
            " 3 │     type int\n   ·             ┬\n   ·             ╰── expected `{`",
            "help:",
        ],
    );
}

#[test]
fn unknown_attribute() {
    let r = report(Dialect::Postgres, &format!("{HEAD}table \"t\" {{\n  column \"id\" {{\n    typ = int\n  }}\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:4:5: unknown attribute `typ` in column \"id\"",
            " 4 │     typ = int\n   ·     ─┬─\n   ·      ╰── not known here",
            "help: column \"id\" takes: type, null, default",
        ],
    );
}

#[test]
fn unknown_block() {
    let r = report(Dialect::Postgres, &format!("{HEAD}tabel \"t\" {{\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:2:1: unknown block `tabel` in a schema file",
            " 2 │ tabel \"t\" {\n   · ──┬──\n   ·   ╰── not known here",
            "help: a schema file holds blocks: schema, table, view",
        ],
    );
}

#[test]
fn dangling_column_reference() {
    let r = report(
        Dialect::Postgres,
        &format!("{HEAD}table \"t\" {{\n  column \"a\" {{\n    type = int\n  }}\n  index \"i\" {{\n    columns = [column.b]\n  }}\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:7:16: table \"t\" has no column \"b\"",
            " 7 │     columns = [column.b]\n   ·                ────┬───\n   ·                    ╰── no such column",
            "help: its columns are: a",
        ],
    );
}

#[test]
fn dangling_table_reference() {
    let r = report(
        Dialect::Postgres,
        &format!(
            "{HEAD}table \"t\" {{\n  column \"a\" {{\n    type = int\n  }}\n  foreign_key \"f\" {{\n    columns = [column.a]\n    ref_columns = [table.users.column.id]\n  }}\n}}\n"
        ),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:8:20: table \"users\" is not declared",
            "╭─[schema.hcl:8:20]",
            "╰── no such table",
            "help: declared tables: t",
        ],
    );
}

#[test]
fn undeclared_schema() {
    let r = report(Dialect::Postgres, &format!("{HEAD}table \"t\" {{\n  schema = schema.app\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:3:12: schema \"app\" is not declared",
            " 3 │   schema = schema.app\n   ·            ─────┬────\n   ·                 ╰── no such schema",
            "help: declare it with schema \"app\" {}; declared: public",
        ],
    );
}

#[test]
fn type_that_the_grammar_refuses() {
    let r = report(
        Dialect::Postgres,
        &format!("{HEAD}table \"t\" {{\n  column \"a\" {{\n    type = sql(\"numeric(10,\")\n  }}\n}}\n"),
    );
    // The caret sits on the closing quote, right after the comma, where an argument was expected.
    assert_has(
        &r,
        &[
            "schema.hcl:4:28: \"numeric(10,\" is not a column type: expected a type name or a quoted string or a number",
            " 4 │     type = sql(\"numeric(10,\")\n   ·                            ┬",
            "help: write a type such as int, varchar(255), numeric(10,2), or sql(\"…\") for anything else",
        ],
    );
}

#[test]
fn value_of_the_wrong_kind() {
    let r = report(
        Dialect::Postgres,
        &format!("{HEAD}table \"t\" {{\n  column \"a\" {{\n    type = int\n    null = \"yes\"\n  }}\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:5:12: attribute `null` must be true or false",
            " 5 │     null = \"yes\"\n   ·            ──┬──\n   ·              ╰── expected true or false",
            "help: write it as true",
        ],
    );
}

#[test]
fn unknown_referential_action() {
    let r = report(
        Dialect::Postgres,
        &format!(
            "{HEAD}table \"t\" {{\n  column \"a\" {{\n    type = int\n  }}\n  foreign_key \"f\" {{\n    columns = [column.a]\n    ref_columns = [column.a]\n    on_delete = EXPLODE\n  }}\n}}\n"
        ),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:9:17: on_delete \"EXPLODE\" is not a referential action",
            "  9 │     on_delete = EXPLODE\n    ·                 ───┬───\n    ·                    ╰── unknown action",
            "help: write one of NO_ACTION, RESTRICT, CASCADE, SET_NULL, SET_DEFAULT",
        ],
    );
}

#[test]
fn column_without_type() {
    let r = report(Dialect::Postgres, &format!("{HEAD}table \"t\" {{\n  column \"a\" {{\n    null = true\n  }}\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:3:10: column \"a\" has no type",
            " 3 │   column \"a\" {\n   ·          ─┬─\n   ·           ╰── declared here",
            "help: add a type, e.g. type = varchar(255)",
        ],
    );
}

#[test]
fn table_declared_twice() {
    let r = report(Dialect::Postgres, &format!("{HEAD}table \"t\" {{\n}}\ntable \"public\" \"t\" {{\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:4:16: table \"t\" is declared twice",
            " 4 │ table \"public\" \"t\" {\n   ·                ─┬─\n   ·                 ╰── declared again here",
        ],
    );
}

#[test]
fn undeclared_enum() {
    let r = report(
        Dialect::Postgres,
        &format!("{HEAD}table \"t\" {{\n  column \"a\" {{\n    type = enum.mood\n  }}\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:4:12: enum \"mood\" is not declared in schema \"public\"",
            " 4 │     type = enum.mood\n   ·            ────┬────\n   ·                ╰── no such enum",
        ],
    );
}

#[test]
fn table_whose_schema_is_ambiguous() {
    let r = report(Dialect::Postgres, "schema \"a\" {}\nschema \"b\" {}\ntable \"t\" {\n}\n");
    assert_has(
        &r,
        &[
            "schema.hcl:3:7: table \"t\" does not say which schema it belongs to",
            " 3 │ table \"t\" {\n   ·       ─┬─\n   ·        ╰── which schema?",
            "help: add schema = schema.NAME",
        ],
    );
}

#[test]
fn errors_name_the_file_they_are_in() {
    let a = SourceFile::new("a.hcl", "schema \"main\" {}\n");
    let b = SourceFile::new("b.hcl", "table \"t\" {\n  column \"x\" {\n    type = int\n    colate = \"C\"\n  }\n}\n");
    let err = hcl::load(Dialect::Sqlite, &[a, b]).unwrap_err();
    assert!(err.to_string().starts_with("b.hcl:4:5: unknown attribute `colate`"), "{err}");
}

/// A table `t` with columns `a` and `b`, for the PostgreSQL kinds' mistakes.
const T: &str = "schema \"public\" {}\ntable \"t\" {\n  column \"a\" {\n    type = int\n  }\n  column \"b\" {\n    type = int\n  }\n";

#[test]
fn policy_command_misspelled() {
    let r = report(Dialect::Postgres, &format!("{T}}}\npolicy \"p\" {{\n  on  = table.t\n  for = SELEKT\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:12:9: policy command \"SELEKT\" is not one of ALL, SELECT, INSERT, UPDATE, DELETE",
            " 12 │   for = SELEKT\n    ·         ───┬──\n    ·            ╰── unknown command",
            "help: write for = ALL, SELECT, INSERT, UPDATE or DELETE",
        ],
    );
}

#[test]
fn policy_on_an_undeclared_table() {
    let r = report(Dialect::Postgres, &format!("{T}}}\npolicy \"p\" {{\n  on = table.nope\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:11:8: table \"nope\" is not declared",
            " 11 │   on = table.nope\n    ·        ─────┬────\n    ·             ╰── no such table",
            "help: declared tables: t",
        ],
    );
}

#[test]
fn policy_declared_twice_on_a_table() {
    let r = report(
        Dialect::Postgres,
        &format!("{T}}}\npolicy \"p\" {{\n  on = table.t\n}}\npolicy \"p\" {{\n  on = table.t\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:13:8: policy \"p\" on table \"t\" is declared twice",
            " 13 │ policy \"p\" {\n    ·        ─┬─\n    ·         ╰── declared again here",
        ],
    );
}

#[test]
fn exclusion_with_an_unknown_attribute() {
    let r = report(
        Dialect::Postgres,
        &format!("{T}  exclude \"x\" {{\n    type  = GIST\n    using = \"a > 0\"\n  }}\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:11:5: unknown attribute `using` in exclude \"x\"",
            " 11 │     using = \"a > 0\"\n    ·     ──┬──\n    ·       ╰── not known here",
            "help: exclude \"x\" takes: type, where, as, comment",
        ],
    );
}

#[test]
fn exclusion_element_without_operator() {
    let r = report(
        Dialect::Postgres,
        &format!("{T}  exclude \"x\" {{\n    type = GIST\n    on {{\n      column = column.a\n    }}\n  }}\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:11:5: an exclusion element needs `op`",
            " 11 │     on {\n    ·     ─┬\n    ·      ╰── this element",
            "help: add op = \"&&\"",
        ],
    );
}

#[test]
fn partition_type_unknown() {
    let r = report(
        Dialect::Postgres,
        &format!("{T}  partition {{\n    type    = RANGEE\n    columns = [column.a]\n  }}\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:10:15: partition type \"RANGEE\" is not RANGE, LIST or HASH",
            " 10 │     type    = RANGEE\n    ·               ───┬──\n    ·                  ╰── unknown partitioning",
            "help: write type = RANGE, type = LIST or type = HASH",
        ],
    );
}

#[test]
fn partition_of_an_undeclared_table() {
    let r = report(
        Dialect::Postgres,
        &format!(
            "{T}}}\ntable \"t1\" {{\n  partition_of {{\n    table = table.tt\n    bound = \"DEFAULT\"\n  }}\n}}\n"
        ),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:12:13: table \"tt\" is not declared",
            " 12 │     table = table.tt\n    ·             ────┬───\n    ·                 ╰── no such table",
        ],
    );
}

#[test]
fn function_in_atlas_decomposed_form() {
    let r = report(
        Dialect::Postgres,
        &format!("{HEAD}function \"f\" {{\n  schema = schema.public\n  lang   = SQL\n  as     = \"SELECT 1\"\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:4:3: unknown attribute `lang` in function \"f\"",
            " 4 │   lang   = SQL\n   ·   ──┬─\n   ·     ╰── not known here",
            "help: function \"f\" takes: schema, as, args, identity_args, return, types, comment",
        ],
    );
}

#[test]
fn function_declared_twice_with_the_same_arguments() {
    let def = "CREATE OR REPLACE FUNCTION public.f(a integer)\\n RETURNS integer\\n LANGUAGE sql\\nAS 'SELECT a'";
    let r = report(
        Dialect::Postgres,
        &format!("{HEAD}function \"f\" {{\n  as = \"{def}\"\n}}\nfunction \"f\" {{\n  as = \"{def}\"\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:5:10: function public.f(a integer) is declared twice",
            " 5 │ function \"f\" {\n   ·          ─┬─\n   ·           ╰── declared again here",
            "help: overloads need different identity arguments; remove or rename one",
        ],
    );
}

#[test]
fn procedure_without_definition() {
    let r = report(Dialect::Postgres, &format!("{HEAD}procedure \"p\" {{\n  comment = \"does things\"\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:2:11: procedure \"p\" has no definition",
            " 2 │ procedure \"p\" {\n   ·           ─┬─\n   ·            ╰── declared here",
            "help: add as = \"CREATE OR REPLACE PROCEDURE ...\"",
        ],
    );
}

/// A MySQL schema and the head of a table `t` with a column `id`, left open.
const MY_T: &str = "schema \"db\" {}\ntable \"t\" {\n  schema = schema.db\n  column \"id\" {\n    type = int\n  }\n";

#[test]
fn event_unit_unknown() {
    let r = report(
        Dialect::Mysql,
        "schema \"db\" {}\nevent \"purge\" {\n  schema = schema.db\n  every  = 1\n  unit   = DAYS\n  as     = \"DELETE FROM t\"\n}\n",
    );
    assert_has(
        &r,
        &[
            "schema.hcl:5:12: \"DAYS\" is not an interval unit",
            " 5 │   unit   = DAYS\n   ·            ──┬─\n   ·              ╰── unknown unit",
            "help: write one of YEAR, QUARTER, MONTH, DAY, HOUR,",
        ],
    );
}

#[test]
fn event_at_and_every_both() {
    let r = report(
        Dialect::Mysql,
        "schema \"db\" {}\nevent \"e\" {\n  at    = \"2035-01-01 00:00:00\"\n  every = 1\n  unit  = DAY\n  as    = \"SELECT 1\"\n}\n",
    );
    assert_has(
        &r,
        &[
            "schema.hcl:4:3: event \"e\" has both `at` and `every`",
            " 4 │   every = 1\n   ·   ──┬──\n   ·     ╰── one or the other",
            "help: an event runs once (`at`) or on a schedule (`every`)",
        ],
    );
}

#[test]
fn event_in_a_postgres_file() {
    let r = report(Dialect::Postgres, &format!("{HEAD}event \"e\" {{\n  at = \"2035-01-01 00:00:00\"\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:2:1: `event` blocks are not read for postgres: scheduled events are MySQL's and MariaDB's",
            " 2 │ event \"e\" {\n   · ──┬──\n   ·   ╰── not for this database",
        ],
    );
}

#[test]
fn mysql_partition_linear_range() {
    let r = report(
        Dialect::Mysql,
        &format!(
            "{MY_T}  partition {{\n    type    = RANGE\n    linear  = true\n    columns = [column.id]\n  }}\n}}\n"
        ),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:9:5: `linear` is for HASH and KEY partitioning",
            "  9 │     linear  = true\n    ·     ───┬──\n    ·        ╰── not for this key",
            "help: MySQL partitions RANGE and LIST by `columns` or one `by`, HASH by one `by`, KEY by `columns`",
        ],
    );
}

#[test]
fn mysql_hash_partition_with_values() {
    let r = report(
        Dialect::Mysql,
        &format!(
            "{MY_T}  partition {{\n    type = HASH\n    by {{\n      column = column.id\n    }}\n    partition \"p0\" {{\n      values_in = [\"1\"]\n    }}\n  }}\n}}\n"
        ),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:12:15: partition \"p0\": HASH and KEY partitions hold no values",
            " 12 │     partition \"p0\" {\n    ·               ──┬─\n    ·                 ╰── here",
            "help: remove its values (HASH and KEY partitions are named only)",
        ],
    );
}

#[test]
fn mysql_partition_key_names_an_unknown_column() {
    let r = report(
        Dialect::Mysql,
        &format!("{MY_T}  partition {{\n    type    = KEY\n    columns = [column.ids]\n  }}\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:9:16: table \"t\" has no column \"ids\"",
            "  9 │     columns = [column.ids]\n    ·                ─────┬────\n    ·                     ╰── no such column",
            "help: its columns are: id",
        ],
    );
}

#[test]
fn key_block_size_of_the_wrong_kind() {
    let r = report(Dialect::Mysql, &format!("{MY_T}  key_block_size = \"8\"\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:7:20: attribute `key_block_size` must be a whole number",
            " 7 │   key_block_size = \"8\"\n   ·                    ─┬─\n   ·                     ╰── expected a whole number",
            "help: write it as 1",
        ],
    );
}

#[test]
fn permission_with_an_unknown_privilege() {
    let r = report(
        Dialect::Postgres,
        &format!(
            "{T}}}\npermission {{\n  for        = table.t\n  to         = app\n  privileges = [SELECT, SELEKT]\n}}\n"
        ),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:13:25: privilege \"SELEKT\" does not apply to table \"t\"",
            " 13 │   privileges = [SELECT, SELEKT]\n    ·                         ───┬──\n    ·                            ╰── not a privilege of this object",
            "help: it takes: SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, MAINTAIN",
        ],
    );
}

#[test]
fn permission_for_a_column_the_table_lacks() {
    let r = report(
        Dialect::Postgres,
        &format!("{T}}}\npermission {{\n  for        = table.t.column.c\n  to         = \"Some Role\"\n  privileges = [SELECT]\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:11:16: table \"t\" has no column \"c\"",
            " 11 │   for        = table.t.column.c\n    ·                ────────┬───────\n    ·                        ╰── no such column",
            "help: its columns are: a, b",
        ],
    );
}

#[test]
fn permission_on_an_overloaded_function_without_args() {
    let f = |args: &str| {
        format!(
            "function \"f\" {{\n  as = \"CREATE OR REPLACE FUNCTION public.f({args})\\n RETURNS integer\\n LANGUAGE sql\\nAS 'SELECT 1'\"\n}}\n"
        )
    };
    let r = report(
        Dialect::Postgres,
        &format!(
            "{HEAD}{}{}permission {{\n  for        = function.f\n  to         = PUBLIC\n  privileges = [EXECUTE]\n}}\n",
            f("a integer"),
            f("a text")
        ),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:9:16: function \"f\" is overloaded",
            "  9 │   for        = function.f\n    ·                ─────┬────\n    ·                     ╰── which one?",
            "help: add args = the identity arguments of one of them: \"a integer\", \"a text\"",
        ],
    );
}

#[test]
fn owner_of_a_column() {
    let r = report(Dialect::Postgres, &format!("{T}}}\nowner {{\n  for = table.t.column.a\n  to  = app\n}}\n"));
    assert_has(
        &r,
        &[
            "schema.hcl:11:9: an owner owns a whole object, not one column",
            " 11 │   for = table.t.column.a\n    ·         ────────┬───────\n    ·                 ╰── a column",
            "help: name the table: for = table.NAME",
        ],
    );
}

#[test]
fn permission_in_a_mysql_file() {
    let r = report(
        Dialect::Mysql,
        &format!("{MY_T}}}\npermission {{\n  for        = table.t\n  to         = app\n  privileges = [SELECT]\n}}\n"),
    );
    assert_has(
        &r,
        &[
            "schema.hcl:8:1: `permission` blocks are not read for mysql: privileges and owners are PostgreSQL's",
            " 8 │ permission {\n   · ─────┬────\n   ·      ╰── not for this database",
        ],
    );
}

/// `users` in schemas `a` and `b`, and `t` in `schema` with a foreign key to plain `table.users`.
fn users_twice(schema: &str) -> String {
    let users = |s: &str| {
        format!("table \"users\" {{\n  schema = schema.{s}\n  column \"id\" {{\n    type = int\n  }}\n  primary_key {{\n    columns = [column.id]\n  }}\n}}\n")
    };
    format!(
        "schema \"public\" {{}}\nschema \"a\" {{}}\nschema \"b\" {{}}\n{}{}table \"t\" {{\n  schema = schema.{schema}\n  column \"u\" {{\n    type = int\n  }}\n  foreign_key \"f\" {{\n    columns = [column.u]\n    ref_columns = [table.users.column.id]\n  }}\n}}\n",
        users("a"),
        users("b")
    )
}

#[test]
fn ambiguous_table_reference() {
    let r = report(Dialect::Postgres, &users_twice("public"));
    assert_has(
        &r,
        &[
            "schema.hcl:29:20: table \"users\" is in more than one schema",
            "╰── ambiguous",
            "help: name the schema: table.SCHEMA.users",
        ],
    );
}

#[test]
fn a_table_reference_prefers_its_own_schema() {
    let realm = hcl::load(Dialect::Postgres, &[SourceFile::new("schema.hcl", users_twice("b"))]).expect("it loads");
    let t = realm.schema("b").and_then(|s| s.table("t")).expect("b.t");
    let fk = &t.foreign_keys[0];
    assert_eq!((fk.ref_schema.as_deref(), fk.ref_table.as_str()), (None, "users"), "b.users, in t's own schema");
}
