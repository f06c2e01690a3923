//! Privileges and owners: one query per kind of access control list (relations, columns,
//! schemas, routines), each exploding the ACL with `aclexplode`, so the number of round trips
//! does not grow with the number of objects. A NULL ACL means the kind's default
//! (`acldefault`: the owner's own privileges, and `EXECUTE` for `PUBLIC` on routines). The
//! owner's entries for itself are implicit and left out; entries from several grantors are
//! one privilege, grantable if any grantor gave the option. An owner is reported only when it
//! is not the connecting role, so a desired state replayed on a dev database states an owner
//! exactly where it says `ALTER ... OWNER TO`.

use std::collections::BTreeSet;

use schema_model::{Grant, ObjectKind, Owner, Securable};
use sqlx::PgConnection;

use crate::error::db_err;
use crate::Result;

/// The grantee, privilege and grant option of every entry of ACL `$acl` but the owner's
/// (`$owner`) own, as a lateral subquery `x`; one row of NULLs for an ACL with no such entry.
macro_rules! acl_entries {
    ($acl:literal, $owner:literal) => {
        concat!(
            "LEFT JOIN LATERAL (SELECT CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(e.grantee)::text END ",
            "AS grantee, e.privilege_type::text AS privilege, bool_or(e.is_grantable) AS grantable FROM aclexplode(",
            $acl,
            ") e WHERE e.grantee <> ",
            $owner,
            " GROUP BY 1, 2) x ON true "
        )
    };
}

/// The owner of an object unless it is the connecting role, or `pg_database_owner` (the owner
/// every new database gives its `public` schema, which no desired state creates).
macro_rules! owner_unless_mine {
    ($owner:literal) => {
        concat!(
            "CASE WHEN ",
            $owner,
            " NOT IN (current_user::regrole, 'pg_database_owner'::regrole) THEN pg_get_userbyid(",
            $owner,
            ")::text END"
        )
    };
}

/// Tables, views, materialized views and sequences: ACL entries and owner.
const RELATION_ACL: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, c.relkind::text, NULL::text, NULL::text, ",
    owner_unless_mine!("c.relowner"),
    ", x.grantee, x.privilege, x.grantable FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    acl_entries!(
        "coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))",
        "c.relowner"
    ),
    "WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY 1, 2"
);

/// Column privileges (there is no default: a NULL ACL has none).
const COLUMN_ACL: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, c.relkind::text, NULL::text, a.attname::text, NULL::text, ",
    "x.grantee, x.privilege, x.grantable FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    acl_entries!("a.attacl", "c.relowner"),
    "WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped ",
    "AND a.attacl IS NOT NULL AND x.grantee IS NOT NULL AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY 1, 2, 5"
);

/// Schemas: ACL entries and owner.
const SCHEMA_ACL: &str = concat!(
    "SELECT n.nspname::text, n.nspname::text, 'n', NULL::text, NULL::text, ",
    owner_unless_mine!("n.nspowner"),
    ", x.grantee, x.privilege, x.grantable FROM pg_namespace n ",
    acl_entries!("coalesce(n.nspacl, acldefault('n', n.nspowner))", "n.nspowner"),
    "WHERE n.nspname = ANY($1) ORDER BY 1"
);

/// Functions and procedures: ACL entries and owner.
const ROUTINE_ACL: &str = concat!(
    "SELECT n.nspname::text, p.proname::text, p.prokind::text, pg_get_function_identity_arguments(p.oid), NULL::text, ",
    owner_unless_mine!("p.proowner"),
    ", x.grantee, x.privilege, x.grantable FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace ",
    acl_entries!("coalesce(p.proacl, acldefault('f', p.proowner))", "p.proowner"),
    "WHERE n.nspname = ANY($1) AND ",
    not_extension_member!("pg_proc", "p.oid"),
    " ORDER BY 1, 2, 4"
);

/// A row of every query: schema, name, kind, routine arguments, column, owner unless it is the
/// connecting role, then grantee, privilege and grant option (NULL without an entry).
type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<bool>,
);

/// The model's kind of a `relkind`, `prokind` or `n` for a schema.
fn kind(code: &str) -> ObjectKind {
    match code {
        "n" => ObjectKind::Schema,
        "v" => ObjectKind::View,
        "m" => ObjectKind::MaterializedView,
        "S" => ObjectKind::Sequence,
        "p" => ObjectKind::Procedure,
        "f" | "w" | "a" => ObjectKind::Function,
        _ => ObjectKind::Table,
    }
}

/// Privileges and stated owners of the objects of the managed schemas, with their schema's name.
pub(super) async fn read(
    conn: &mut PgConnection,
    schemas: &[String],
) -> Result<(Vec<(String, Grant)>, Vec<(String, Owner)>)> {
    let mut grants = Vec::new();
    let mut owners = BTreeSet::new();
    for (what, sql) in
        [("relation", RELATION_ACL), ("column", COLUMN_ACL), ("schema", SCHEMA_ACL), ("routine", ROUTINE_ACL)]
    {
        let rows: Vec<Row> = sqlx::query_as(sql)
            .bind(schemas)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err(format!("reading {what} privileges")))?;
        for (schema, name, code, args, column, owner, grantee, privilege, grantable) in rows {
            let on = Securable { kind: kind(&code), name, args, column };
            if let Some(role) = owner {
                owners.insert((schema.clone(), Owner { on: on.clone(), role }));
            }
            if let (Some(grantee), Some(privilege)) = (grantee, privilege) {
                grants.push((schema, Grant { on, grantee, privilege, grantable: grantable.unwrap_or(false) }));
            }
        }
    }
    Ok((grants, owners.into_iter().collect()))
}
