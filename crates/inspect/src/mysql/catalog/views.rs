//! Views and triggers. Both are kept as text with this database's qualifier taken out, so the
//! desired state replayed in a scratch database compares equal to the live one.

use std::collections::HashMap;

use schema_model::{quote_ident, Dialect, Table, Trigger, View};
use sqlx::MySqlConnection;

use super::normalize::strip_database;
use super::{Extras, ViewOptions};
use crate::error::db_err;
use crate::mysql::Server;
use crate::Result;

/// Every view with its query as the server renders it and the options it does not carry.
/// `{algorithm}` is MariaDB's ALGORITHM column.
const VIEWS: &str = concat!(
    "SELECT ",
    texts!("TABLE_NAME", "VIEW_DEFINITION", "CHECK_OPTION", "SECURITY_TYPE"),
    ", {algorithm} FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME"
);

/// Every trigger on the database's tables, with what rebuilds its `CREATE TRIGGER`. Triggers
/// of one table, timing and event fire in ACTION_ORDER.
const TRIGGERS: &str = concat!(
    "SELECT ",
    texts!("TRIGGER_NAME", "EVENT_OBJECT_TABLE", "ACTION_TIMING", "EVENT_MANIPULATION"),
    ", CAST(ACTION_ORDER AS SIGNED), ",
    texts!("ACTION_STATEMENT"),
    " FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_SCHEMA = ? ",
    "ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER"
);

/// Reads the views; their algorithm, security and check option go to `extras`.
pub(super) async fn read_views(
    conn: &mut MySqlConnection,
    database: &str,
    server: Server,
    extras: &mut Extras,
) -> Result<Vec<View>> {
    // MySQL 8: VIEWS has no ALGORITHM column; only SHOW CREATE VIEW tells it.
    let algorithm = if server.mariadb { "CAST(ALGORITHM AS CHAR)" } else { "'UNDEFINED'" };
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(&VIEWS.replace("{algorithm}", algorithm))
        .bind(database)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading views"))?;
    let mut views = Vec::new();
    // MySQL 8 qualifies every table and column with the database too, so the same stripping
    // applies; both servers leave other databases' names in place.
    for (name, definition, check_option, security, algorithm) in rows {
        extras.views.insert(name.clone(), ViewOptions { algorithm, security, check_option });
        views.push(View { name, definition: strip_database(&definition, database), ..Default::default() });
    }
    Ok(views)
}

/// Reads the triggers of `tables` as `CREATE TRIGGER` statements without definer or database
/// qualifier; a trigger that is not first of its kind on its table says which one it follows.
pub(super) async fn read_triggers(
    conn: &mut MySqlConnection,
    database: &str,
    tables: &HashMap<String, Table>,
) -> Result<Vec<Trigger>> {
    let rows: Vec<(String, String, String, String, i64, String)> = sqlx::query_as(TRIGGERS)
        .bind(database)
        .bind(database)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("reading triggers"))?;
    let q = |name: &str| quote_ident(Dialect::Mysql, name);
    let mut triggers = Vec::new();
    let mut previous: Option<(String, String, String, String)> = None;
    for (name, table, timing, event, order, body) in rows {
        if !tables.contains_key(&table) {
            continue;
        }
        let follows = match &previous {
            Some((t, ti, ev, prev)) if order > 1 && *t == table && *ti == timing && *ev == event => {
                format!(" FOLLOWS {}", q(prev))
            }
            _ => String::new(),
        };
        let definition =
            format!("CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW{follows} {body}", q(&name), q(&table));
        previous = Some((table.clone(), timing, event, name.clone()));
        triggers.push(Trigger { name, table, definition, comment: None });
    }
    Ok(triggers)
}
