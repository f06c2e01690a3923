//! Functions, procedures and triggers: created before what calls them, replaced in place where
//! the signature allows, dropped and created again (with their dependent views) where not.

use crate::harness::{both_ways, converge};

#[test]
fn functions_overloads_procedures_and_their_callers() {
    both_ways(
        "CREATE TABLE t (id int);",
        r#"
        CREATE TYPE level AS ENUM ('low', 'high');
        CREATE FUNCTION is_positive(n integer) RETURNS boolean AS $$ BEGIN RETURN n > 0; END; $$ LANGUAGE plpgsql IMMUTABLE;
        CREATE FUNCTION next_code() RETURNS text AS $$ SELECT 'c' || 1 $$ LANGUAGE sql VOLATILE;
        CREATE FUNCTION describe(l level) RETURNS text AS $$ BEGIN RETURN l::text; END; $$ LANGUAGE plpgsql STABLE STRICT;
        CREATE FUNCTION describe(l level, extra text) RETURNS text AS $$ BEGIN RETURN l::text || extra; END; $$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog;
        CREATE FUNCTION "Mixed Case"(a int, OUT doubled int, OUT tripled int) AS $$ SELECT a * 2, a * 3 $$ LANGUAGE sql;
        CREATE PROCEDURE reset_all(IN keep int) LANGUAGE sql AS $$ SELECT keep $$;
        COMMENT ON FUNCTION describe(level) IS 'short form';
        COMMENT ON PROCEDURE reset_all(int) IS 'a procedure';
        CREATE DOMAIN positive AS int CHECK (is_positive(VALUE));
        CREATE TABLE t (id int CHECK (is_positive(id)), code text DEFAULT next_code(), p positive, l level);
        CREATE INDEX t_pos ON t (id) WHERE is_positive(id);
        CREATE VIEW v AS SELECT id, describe(l) AS d FROM t;"#,
    );
}

#[test]
fn a_body_change_replaces_the_function_in_place() {
    let before = "CREATE FUNCTION f(x int) RETURNS int AS $$ BEGIN RETURN x + 1; END; $$ LANGUAGE plpgsql IMMUTABLE;
        CREATE TABLE t (a int CHECK (f(a) > 0));";
    let after = "CREATE FUNCTION f(x int) RETURNS int AS $$ BEGIN RETURN x + 2; END; $$ LANGUAGE plpgsql IMMUTABLE;
        CREATE TABLE t (a int CHECK (f(a) > 0));";
    let Some(a) = converge(before, after, "INSERT INTO t VALUES (5);") else { return };
    assert!(a.stdout.contains("replace function \"public\".\"f\"(x integer)"), "{}", a.stdout);
    assert!(!a.stdout.contains("DROP FUNCTION"), "{}", a.stdout);
    assert_eq!(a.db.exec("SELECT f(a) FROM t"), ["7"]);
}

#[test]
fn a_return_type_change_drops_and_recreates_the_function_and_its_views() {
    let before = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;
        CREATE VIEW v AS SELECT f() AS x;";
    let after = "CREATE FUNCTION f() RETURNS text AS $$ SELECT 'one'::text $$ LANGUAGE sql;
        CREATE VIEW v AS SELECT f() AS x;";
    let Some(a) = converge(before, after, "") else { return };
    let drop_view = a.stdout.find("drop view").expect("the view is dropped first");
    let replace = a.stdout.find("drop and create function").expect("the function is dropped and created");
    let create_view = a.stdout.find("create view").expect("the view comes back");
    assert!(drop_view < replace && replace < create_view, "{}", a.stdout);
    assert_eq!(a.db.exec("SELECT x FROM v"), ["one"]);
    converge(after, before, "");
}

#[test]
fn triggers_on_tables_and_views_with_their_functions() {
    both_ways(
        "CREATE TABLE t (id int, name text, updated timestamptz);",
        r#"
        CREATE TABLE t (id int, name text, updated timestamptz);
        CREATE VIEW tv AS SELECT id, name FROM t;
        CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.updated := now(); RETURN NEW; END; $$ LANGUAGE plpgsql;
        CREATE FUNCTION log_it() RETURNS trigger AS $$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql;
        CREATE FUNCTION tv_insert() RETURNS trigger AS $$ BEGIN INSERT INTO t (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE OF name ON t FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION touch();
        CREATE TRIGGER t_log AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION log_it();
        CREATE TRIGGER "Same Name" AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION log_it();
        CREATE TRIGGER tv_ins INSTEAD OF INSERT ON tv FOR EACH ROW EXECUTE FUNCTION tv_insert();
        COMMENT ON TRIGGER t_log ON t IS 'audit';"#,
    );
}

#[test]
fn a_changed_trigger_is_dropped_and_created_again() {
    let fns = "CREATE TABLE t (id int, n int); CREATE FUNCTION bump() RETURNS trigger AS $$ BEGIN NEW.n := coalesce(NEW.n, 0) + 1; RETURN NEW; END; $$ LANGUAGE plpgsql;";
    let before = format!("{fns} CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();");
    let after =
        format!("{fns} CREATE TRIGGER t_bump BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION bump();");
    let Some(a) = converge(&before, &after, "") else { return };
    assert!(a.stdout.contains("DROP TRIGGER \"t_bump\" ON \"public\".\"t\""), "{}", a.stdout);
    a.db.exec("INSERT INTO t (id) VALUES (1); UPDATE t SET id = 2;");
    assert_eq!(a.db.exec("SELECT n FROM t"), ["2"]);
}
