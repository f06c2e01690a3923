//! The order of statements and files does not matter offline, as it does not with a dev
//! database: a statement that names something defined later runs after it, under the
//! `search_path` of its own place, and tables whose foreign keys refer to each other in a
//! circle get their keys after all the tables. What never gets defined is reported where the
//! file first names it.

use schema_model::sql::SourceFile;

use crate::{assert_same, assert_same_files, offline};

#[test]
fn statements_that_name_what_comes_later_give_the_dev_databases_model() {
    assert_same(&[
        // An index, a comment and a foreign key before their table.
        r#"CREATE INDEX posts_user ON posts (user_id);
        COMMENT ON TABLE posts IS 'what users write';
        ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
        CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users);
        CREATE TABLE users (id bigint PRIMARY KEY);"#,
        // A table in a schema created after it; types and a domain used before they exist.
        r#"CREATE TABLE app."Order Items" (id int, state app.state DEFAULT 'new', q qty, tags app.state[]);
        CREATE DOMAIN qty AS int CHECK (VALUE > 0);
        CREATE SCHEMA app;
        CREATE TYPE app.state AS ENUM ('new', 'done');
        COMMENT ON TYPE app.state IS 'order state';"#,
        // A default that casts to a type and one that takes a sequence, both defined later.
        r#"CREATE TABLE t (id int DEFAULT nextval('t_ids'), m mood DEFAULT 'ok'::mood, CHECK (m <> 'bad'::mood));
        CREATE SEQUENCE t_ids;
        CREATE TYPE mood AS ENUM ('bad', 'ok');"#,
        // Two tables whose keys refer to each other, and one that refers to itself.
        r#"CREATE TABLE departments (id int PRIMARY KEY, manager_id int REFERENCES employees (id));
        CREATE TABLE employees (id int PRIMARY KEY, boss int REFERENCES employees,
          dept_id int, CONSTRAINT emp_dept FOREIGN KEY (dept_id) REFERENCES departments ON DELETE SET NULL);"#,
    ]);
}

#[test]
fn a_statement_run_later_keeps_the_search_path_of_its_place() {
    assert_same(&[r#"CREATE SCHEMA app;
        SET search_path TO app;
        CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b);
        CREATE TABLE b (id int PRIMARY KEY);
        SET search_path TO public;
        CREATE TABLE c (id int);"#]);
}

#[test]
fn files_may_refer_to_files_read_after_them() {
    let files = vec![
        SourceFile::new(
            "orders.sql",
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers);",
        ),
        SourceFile::new("types.sql", "CREATE TYPE tier AS ENUM ('gold', 'silver');"),
        SourceFile::new("customers.sql", "CREATE TABLE customers (id int PRIMARY KEY, level tier);"),
    ];
    assert_same_files(&[files]);
}

#[test]
fn what_is_never_defined_is_reported_where_it_is_first_named() {
    let err = offline("CREATE TABLE t (a int);\nCREATE INDEX i ON nosuch (a);\nCOMMENT ON TABLE alsonot IS 'x';")
        .unwrap_err();
    assert!(err.starts_with("desired.sql:2:19:"), "{err}");
    assert!(err.contains("relation \"nosuch\" does not exist"), "{err}");
    let err = offline("CREATE TABLE t (a int,\n  m nosuchtype);").unwrap_err();
    assert!(err.starts_with("desired.sql:2:"), "{err}");
    assert!(err.contains("the type nosuchtype"), "{err}");
    // A key to a table that never comes is set aside with the circle's and still reported at
    // its own place.
    let err = offline("CREATE TABLE t (a int PRIMARY KEY,\n  b int REFERENCES gone (id));").unwrap_err();
    assert!(err.starts_with("desired.sql:2:"), "{err}");
    assert!(err.contains("relation \"gone\" does not exist"), "{err}");
    let err = offline("CREATE TABLE x.t (a int);").unwrap_err();
    assert!(err.contains("schema \"x\" does not exist"), "{err}");
}

/// `n` tables where each refers to the next, with an index and a comment after each: first to
/// last, each table after the one it refers to; backwards, the same statements last to first, so
/// every statement names something defined further down. Quoted names with capitals and
/// spaces, and unquoted ones spelled in another case where they are named again.
fn chain(n: usize, backwards: bool) -> String {
    let name = |i: usize| if i.is_multiple_of(2) { format!("\"Link {i}\"") } else { format!("Link_{i}") };
    let other = |i: usize| if i.is_multiple_of(2) { format!("\"Link {i}\"") } else { format!("LINK_{i}") };
    let mut statements: Vec<String> = (0..n)
        .rev()
        .flat_map(|i| {
            let key = if i + 1 < n { format!(" REFERENCES {}", other(i + 1)) } else { String::new() };
            [
                format!("CREATE TABLE {} (id int PRIMARY KEY, next int{key});", name(i)),
                format!("CREATE INDEX ON {} (next);", other(i)),
                format!("COMMENT ON TABLE {} IS 'link {i}';", other(i)),
            ]
        })
        .collect();
    if backwards {
        statements.reverse();
    }
    statements.join("\n")
}

#[test]
fn a_chain_of_tables_written_backwards_reads_as_written_forwards() {
    let backwards = chain(60, true);
    assert!(backwards.starts_with("COMMENT ON TABLE \"Link 0\""), "{backwards}");
    assert_same(&[&backwards]);
    assert_eq!(offline(&backwards).unwrap(), offline(&chain(60, false)).unwrap());
}

#[test]
fn statements_run_again_do_not_overtake_the_statements_after_them() {
    assert_same(&[
        // The second comment wins, as it would in a file read in order after the table.
        "COMMENT ON TABLE t IS 'first'; CREATE TABLE t (a int); COMMENT ON TABLE t IS 'second';",
        // The value added after the type comes before the one that waited for it.
        "ALTER TYPE mood ADD VALUE 'x'; CREATE TYPE mood AS ENUM ('a'); ALTER TYPE mood ADD VALUE 'y';",
        // Generated index names are taken in the order the statements run.
        "CREATE INDEX ON t (a); CREATE TABLE t (a int, b int); CREATE UNIQUE INDEX ON t (a);",
        // A statement run again under its own search_path leaves the next statements theirs.
        "CREATE SCHEMA a; CREATE SCHEMA b; SET search_path TO a;
        CREATE TABLE t1 (id int, x int REFERENCES b.t2);
        SET search_path TO b;
        CREATE TABLE t2 (id int PRIMARY KEY);
        CREATE TABLE t3 (id int);",
    ]);
}
