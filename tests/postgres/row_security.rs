//! Row-level security: the table switches and policies, with their roles and expressions.

use crate::harness::{both_ways, converge};

#[test]
fn policies_and_row_security_switches() {
    both_ways(
        "CREATE TABLE docs (id int, owner text, tenant int); CREATE TABLE notes (id int);",
        r#"
        CREATE SCHEMA app;
        CREATE TABLE docs (id int, owner text, tenant int);
        CREATE TABLE notes (id int);
        CREATE TABLE app.accounts (id int, tenant int);
        CREATE FUNCTION current_tenant() RETURNS int AS $$ SELECT coalesce(current_setting('app.tenant', true), '0')::int $$ LANGUAGE sql STABLE;
        ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
        ALTER TABLE docs FORCE ROW LEVEL SECURITY;
        ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
        CREATE POLICY docs_owner ON docs AS PERMISSIVE FOR ALL TO PUBLIC USING (owner = current_user) WITH CHECK (owner = current_user);
        CREATE POLICY docs_tenant ON docs AS RESTRICTIVE FOR SELECT TO postgres USING (tenant = current_tenant());
        CREATE POLICY "Insert Only" ON docs FOR INSERT WITH CHECK (tenant > 0);
        CREATE POLICY tenant_rows ON app.accounts USING (tenant = current_tenant());
        COMMENT ON POLICY docs_owner ON docs IS 'owners see their documents';"#,
    );
}

#[test]
fn a_changed_policy_is_replaced_and_row_security_turns_off() {
    let before = "CREATE TABLE t (id int, tenant int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;
        CREATE POLICY p ON t FOR SELECT USING (tenant = 1);";
    let after = "CREATE TABLE t (id int, tenant int);
        CREATE POLICY p ON t AS RESTRICTIVE FOR UPDATE TO postgres USING (tenant = 2) WITH CHECK (tenant > 0);";
    let Some(a) = converge(before, after, "INSERT INTO t VALUES (1, 1);") else { return };
    assert!(a.stdout.contains("DISABLE ROW LEVEL SECURITY"), "{}", a.stdout);
    assert!(a.stdout.contains("alter policy \"p\" ON \"public\".\"t\""), "{}", a.stdout);
    assert_eq!(a.db.exec("SELECT count(*) FROM t"), ["1"]);
}
