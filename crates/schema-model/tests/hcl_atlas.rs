//! Atlas-style HCL files load into the model, for each dialect, and the model writes back to
//! HCL that loads to the same model.

use schema_model::sql::SourceFile;
use schema_model::{hcl, Dialect, EventSchedule, EventStatus, IndexKey, RefAction};

const POSTGRES: &str = r#"
schema "public" {
  comment = "standard public schema"
}

enum "status" {
  schema = schema.public
  values = ["active", "gone"]
}

table "users" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
    identity {
      generated = ALWAYS
      start     = 10
    }
  }
  column "email" {
    null = false
    type = varchar(255)
    collate = "C"
  }
  column "status" {
    type    = enum.status
    default = sql("'active'::status")
    null    = true
  }
  column "created" {
    type    = sql("timestamp(3) with time zone")
    default = sql("now()")
  }
  column "balance" {
    type = numeric(10, 2)
    default = 0
  }
  column "double_balance" {
    type = numeric(10, 2)
    as {
      expr = "balance * 2"
      type = STORED
    }
  }
  primary_key {
    columns = [column.id]
  }
  index "users_email" {
    unique  = true
    columns = [column.email]
    where   = "status <> 'gone'"
  }
  index "users_lower" {
    on {
      expr = "lower((email)::text)"
      desc = true
    }
    on {
      column = column.id
      ops    = int8_ops
    }
    type = BTREE
  }
  check "positive" {
    expr = "balance >= 0"
  }
}

table "public" "orders" {
  column "id" {
    type = int
  }
  column "user_id" {
    type = bigint
    null = true
    renamed_from = "owner"
  }
  foreign_key "orders_user" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
    on_update   = NO_ACTION
  }
}
"#;

#[test]
fn an_atlas_postgres_file_loads() {
    let realm = hcl::load(Dialect::Postgres, &[SourceFile::new("schema.hcl", POSTGRES)]).unwrap();
    let s = realm.schema("public").unwrap();
    assert_eq!(s.comment.as_deref(), Some("standard public schema"));
    assert_eq!(s.enums[0].values, vec!["active", "gone"]);
    let users = s.table("users").unwrap();
    assert_eq!(users.column("email").unwrap().ty.canonical, "character varying(255)");
    assert_eq!(users.column("status").unwrap().ty.canonical, "status");
    assert_eq!(users.column("created").unwrap().ty.canonical, "timestamp(3) with time zone");
    assert_eq!(users.column("balance").unwrap().ty.canonical, "numeric(10,2)");
    assert_eq!(users.column("balance").unwrap().default.as_deref(), Some("0"));
    assert!(!users.column("id").unwrap().nullable, "Atlas columns are NOT NULL unless null = true");
    let id = users.column("id").unwrap().identity.clone().unwrap();
    assert!(id.always);
    assert_eq!((id.start, id.max_value), (10, i64::MAX));
    assert!(users.column("double_balance").unwrap().generated.as_ref().unwrap().stored);
    let lower = users.indexes.iter().find(|i| i.name == "users_lower").unwrap();
    assert_eq!(lower.parts[0].key, IndexKey::Expr("lower((email)::text)".into()));
    assert!(lower.parts[0].desc);
    assert_eq!(lower.parts[1].opclass.as_deref(), Some("int8_ops"));
    let orders = s.table("orders").unwrap();
    assert_eq!(orders.foreign_keys[0].ref_table, "users");
    assert_eq!(orders.foreign_keys[0].on_delete, RefAction::Cascade);
    assert_eq!(orders.column("user_id").unwrap().renamed_from.as_deref(), Some("owner"));

    let text = hcl::write(&realm);
    let again = hcl::load(Dialect::Postgres, &[SourceFile::new("out.hcl", &text)]).unwrap();
    assert_eq!(again, realm, "written:\n{text}");
    assert_eq!(hcl::write(&again), text, "writing is stable");
}

const MYSQL: &str = r#"
schema "app" {
  charset = "utf8mb4"
  collate = "utf8mb4_general_ci"
}
table "t" {
  schema = schema.app
  column "id" {
    type = int
    unsigned = true
    auto_increment = true
  }
  column "kind" {
    type = enum("a", "it's")
    default = "a"
  }
  column "updated" {
    type = timestamp
    default = sql("current_timestamp()")
    on_update = sql("current_timestamp()")
  }
  primary_key {
    columns = [column.id]
  }
  index "kind_prefix" {
    on {
      column = column.kind
      prefix = 1
    }
  }
  engine = InnoDB
  charset = "utf8mb4"
}
"#;

#[test]
fn an_atlas_mysql_file_loads() {
    let realm = hcl::load(Dialect::Mysql, &[SourceFile::new("schema.hcl", MYSQL)]).unwrap();
    let t = realm.schema("app").unwrap().table("t").unwrap();
    assert_eq!(t.column("id").unwrap().ty.raw, "int unsigned");
    assert_eq!(t.column("kind").unwrap().ty.canonical, "enum('a','it''s')");
    assert_eq!(t.column("kind").unwrap().default.as_deref(), Some("'a'"));
    assert_eq!(t.options.engine.as_deref(), Some("InnoDB"));
    assert_eq!(t.indexes[0].parts[0].prefix, Some(1));
    let text = hcl::write(&realm);
    assert_eq!(hcl::load(Dialect::Mysql, &[SourceFile::new("out.hcl", &text)]).unwrap(), realm, "{text}");
}

#[test]
fn references_resolve_across_files() {
    let a = SourceFile::new("a.hcl", "schema \"main\" {}\ntable \"child\" {\n  schema = schema.main\n  column \"p\" {\n    type = integer\n  }\n  foreign_key {\n    columns = [column.p]\n    ref_columns = [table.parent.column.id]\n  }\n}\n");
    let b = SourceFile::new(
        "b.hcl",
        "table \"parent\" {\n  schema = schema.main\n  column \"id\" {\n    type = integer\n  }\n}\n",
    );
    let realm = hcl::load(Dialect::Sqlite, &[a, b]).unwrap();
    let child = realm.schema("main").unwrap().table("child").unwrap();
    assert_eq!(child.foreign_keys[0].ref_table, "parent");
    assert_eq!(child.column("p").unwrap().ty.canonical, "INTEGER");
}

#[test]
fn permissions_and_owners_load_in_atlas_form() {
    let def = |args: &str| {
        format!("\"CREATE OR REPLACE FUNCTION app.f({args})\\n RETURNS integer\\n LANGUAGE sql\\nAS 'SELECT 1'\"")
    };
    let text = format!(
        r#"schema "app" {{}}
schema "public" {{}}
table "app" "users" {{
  column "id" {{
    type = int
    identity {{
      generated = ALWAYS
    }}
  }}
  column "email" {{
    type = text
  }}
}}
function "f" {{
  schema = schema.app
  as     = {}
}}
function "f" {{
  schema = schema.app
  as     = {}
}}
permission {{
  for        = schema.app
  to         = role.app
  privileges = [USAGE]
}}
permission {{
  for        = table.app.users
  to         = "user with spaces"
  privileges = [select, INSERT]
  grantable  = true
}}
permission {{
  for        = table.app.users.column.email
  to         = PUBLIC
  privileges = [UPDATE]
}}
permission {{
  for        = function.app.f
  args       = "a text"
  to         = app
  privileges = [EXECUTE]
}}
owner {{
  for = table.app.users
  to  = app
}}
owner {{
  for = sequence.app.users_id_seq
  to  = app
}}
"#,
        def("a integer"),
        def("a text")
    );
    let realm = hcl::load(Dialect::Postgres, &[SourceFile::new("s.hcl", text.as_str())]).unwrap();
    let app = realm.schema("app").unwrap();
    let grants: Vec<String> = app
        .grants
        .iter()
        .map(|g| {
            let on = format!(
                "{:?} {}{}",
                g.on.kind,
                g.on.name,
                g.on.column.as_deref().map(|c| format!(".{c}")).unwrap_or_default()
            );
            format!("{on} {:?} {} {} {}", g.on.args, g.grantee, g.privilege, g.grantable)
        })
        .collect();
    assert_eq!(
        grants,
        [
            "Schema app None app USAGE false",
            "Table users None user with spaces INSERT true",
            "Table users None user with spaces SELECT true",
            "Table users.email None PUBLIC UPDATE false",
            "Function f Some(\"a text\") app EXECUTE false",
        ]
    );
    let owners: Vec<String> = app.owners.iter().map(|o| format!("{:?} {} {}", o.on.kind, o.on.name, o.role)).collect();
    assert_eq!(owners, ["Table users app", "Sequence users_id_seq app"]);
    assert!(realm.schema("public").unwrap().grants.is_empty());
    let written = hcl::write(&realm);
    assert!(written.contains("  for = function.app.f\n  args = \"a text\"\n"), "{written}");
    assert_eq!(hcl::load(Dialect::Postgres, &[SourceFile::new("out.hcl", &written)]).unwrap(), realm, "{written}");
}

#[test]
fn events_load_with_every_clause() {
    let text = r#"schema "db" {}
event "nightly" {
  schema   = schema.db
  every    = "1 4"
  unit     = day_hour
  ends     = "2037-01-01 00:00:00"
  preserve = true
  status   = DISABLE_ON_SLAVE
  comment  = "it's late"
  definer  = "root@%"
  as       = "DELETE FROM t"
}
event "once" {
  at = "2035-01-01 00:00:00"
  as = sql("SELECT 1")
}
"#;
    let realm = hcl::load(Dialect::Mysql, &[SourceFile::new("e.hcl", text)]).unwrap();
    let db = realm.schema("db").unwrap();
    let nightly = &db.events[0];
    assert_eq!(
        nightly.schedule,
        EventSchedule::Every { value: "1 4".into(), unit: "DAY_HOUR".into(), ends: Some("2037-01-01 00:00:00".into()) }
    );
    assert!(nightly.preserve);
    assert_eq!(nightly.status, EventStatus::DisabledOnReplica);
    assert_eq!((nightly.comment.as_deref(), nightly.definer.as_deref()), (Some("it's late"), Some("root@%")));
    let once = &db.events[1];
    assert_eq!(once.schedule, EventSchedule::At { at: "2035-01-01 00:00:00".into() });
    assert_eq!(
        (once.body.as_str(), once.status, once.preserve, once.definer.as_deref()),
        ("SELECT 1", EventStatus::Enabled, false, None)
    );
    let written = hcl::write(&realm);
    assert_eq!(hcl::load(Dialect::Mysql, &[SourceFile::new("out.hcl", &written)]).unwrap(), realm, "{written}");
}
