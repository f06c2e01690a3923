//! Reading one MySQL/MariaDB database into the model, in a fixed number of
//! `information_schema` queries whatever its size: tables, columns, index parts, foreign key
//! columns, checks, partitions, views, triggers, events. Text columns are cast to `CHAR`
//! because MySQL 8 returns some catalog columns with a binary collation, which the driver
//! would not decode as text.

/// `CAST(a AS CHAR), CAST(b AS CHAR), ...`, for the text columns a catalog query returns.
// MySQL 8: several information_schema columns come with a binary collation there, which
// sqlx refuses to decode as text; the cast makes every server return plain text.
macro_rules! texts {
    ($first:literal $(, $rest:literal)* $(,)?) => {
        concat!("CAST(", $first, " AS CHAR)" $(, ", CAST(", $rest, " AS CHAR)")*)
    };
}

mod columns;
mod constraints;
mod events;
mod indexes;
mod normalize;
mod partitions;
mod views;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use schema_model::{Dialect, Realm, Schema, Table, TableOptions};
use sqlx::MySqlConnection;

use super::Server;
use crate::error::db_err;
use crate::{Error, Result, REVISIONS_TABLE};

/// Every table and view of the database with its engine, collation and that collation's
/// character set, the options `CREATE TABLE` declared, and its comment.
const TABLES: &str = concat!(
    "SELECT ",
    texts!(
        "t.TABLE_NAME",
        "t.TABLE_TYPE",
        "t.ENGINE",
        "t.TABLE_COLLATION",
        "co.CHARACTER_SET_NAME",
        "t.CREATE_OPTIONS",
        "t.TABLE_COMMENT"
    ),
    " FROM information_schema.TABLES t ",
    "LEFT JOIN information_schema.COLLATIONS co ON co.COLLATION_NAME = t.TABLE_COLLATION ",
    "WHERE t.TABLE_SCHEMA = ? ORDER BY t.TABLE_NAME"
);

type TableRow = (String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

/// What inspection reads but the model has no field for yet; kept apart so that it cannot
/// make equal models differ. Keys are table (or view) names, then column or index names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    /// `ON UPDATE` expressions of columns (`current_timestamp(3)`).
    pub on_update: BTreeMap<(String, String), String>,
    /// Invisible columns (MariaDB 10.3+, MySQL 8.0.23+).
    pub invisible_columns: BTreeSet<(String, String)>,
    /// Indexes the optimizer ignores (MariaDB `IGNORED`, MySQL 8 `INVISIBLE`).
    pub ignored_indexes: BTreeSet<(String, String)>,
    /// `ROW_FORMAT` declared by `CREATE TABLE` (from `CREATE_OPTIONS`; the default is absent).
    pub row_formats: BTreeMap<String, String>,
    /// Algorithm, security and check option of each view.
    pub views: BTreeMap<String, ViewOptions>,
}

/// The options of a view that its query text does not carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// `UNDEFINED`, `MERGE` or `TEMPTABLE` (MariaDB only; MySQL 8 does not report it).
    pub algorithm: String,
    /// `DEFINER` or `INVOKER`.
    pub security: String,
    /// `NONE`, `LOCAL` or `CASCADED`.
    pub check_option: String,
}

/// Reads `database` into a normalized realm of one schema named after it, and the extras.
pub async fn inspect(conn: &mut MySqlConnection, database: &str, server: Server) -> Result<(Realm, Extras)> {
    let mut extras = Extras::default();
    let mut tables = read_tables(conn, database, &mut extras).await?;
    columns::read(conn, database, server, &mut tables, &mut extras).await?;
    indexes::read(conn, database, server, &mut tables, &mut extras).await?;
    constraints::read_foreign_keys(conn, database, &mut tables).await?;
    constraints::read_checks(conn, database, server, &mut tables).await?;
    partitions::read(conn, database, &mut tables).await?;
    let views = views::read_views(conn, database, server, &mut extras).await?;
    let triggers = views::read_triggers(conn, database, &tables).await?;
    let mut schema = Schema::named(database);
    schema.tables = tables.into_values().collect();
    schema.views = views;
    schema.triggers = triggers;
    schema.events = events::read_events(conn, database).await?;
    merge_extras(&mut schema, &extras);
    let mut realm = Realm::new(Dialect::Mysql);
    realm.schemas.push(schema);
    realm.normalize();
    Ok((realm, extras))
}

/// Moves what the model has fields for into it: `ON UPDATE`, invisible columns, row formats
/// and view options (defaults stay `None`). Index visibility stays an extra: its syntax differs
/// between MariaDB (`IGNORED`) and MySQL 8 (`INVISIBLE`).
fn merge_extras(schema: &mut Schema, extras: &Extras) {
    for t in &mut schema.tables {
        t.options.row_format = extras.row_formats.get(t.name.as_str()).cloned();
        for c in &mut t.columns {
            let k = (t.name.to_string(), c.name.to_string());
            c.on_update = extras.on_update.get(&k).cloned();
            c.invisible = extras.invisible_columns.contains(&k);
        }
    }
    let not = |v: &str, default: &str| (!v.is_empty() && !v.eq_ignore_ascii_case(default)).then(|| v.to_uppercase());
    for v in &mut schema.views {
        if let Some(o) = extras.views.get(&v.name) {
            v.algorithm = not(&o.algorithm, "UNDEFINED");
            v.security = not(&o.security, "DEFINER");
            v.check_option = not(&o.check_option, "NONE");
        }
    }
}

/// The tables, keyed by name, with their options; refuses the kinds the model cannot hold.
async fn read_tables(
    conn: &mut MySqlConnection,
    database: &str,
    extras: &mut Extras,
) -> Result<HashMap<String, Table>> {
    let rows: Vec<TableRow> =
        sqlx::query_as(TABLES).bind(database).fetch_all(&mut *conn).await.map_err(db_err("reading tables"))?;
    let mut tables = HashMap::new();
    for (name, kind, engine, collation, charset, create_options, comment) in rows {
        if name == REVISIONS_TABLE {
            continue;
        }
        let refuse = |what: &str| {
            Err(Error::Unsupported(format!(
                "{what} `{database}`.`{name}` is not modelled yet; schema cannot manage this database safely"
            )))
        };
        let create_options = create_options.unwrap_or_default().to_ascii_lowercase();
        match kind.as_str() {
            "VIEW" | "SYSTEM VIEW" => continue,
            "SEQUENCE" => return refuse("sequence"),
            "SYSTEM VERSIONED" => return refuse("system-versioned table"),
            _ => {}
        }
        if let Some(format) = create_option(&create_options, "row_format") {
            extras.row_formats.insert(name.clone(), format.to_ascii_uppercase());
        }
        // A collation's name starts with its character set's, should the join find nothing.
        let charset = charset.or_else(|| collation.as_deref().map(|c| c.split('_').next().unwrap_or(c).to_string()));
        let key_block_size = create_option(&create_options, "key_block_size").and_then(|k| k.parse().ok());
        let options = TableOptions { engine, charset, collation, key_block_size, ..Default::default() };
        let comment = comment.filter(|c| !c.is_empty());
        tables.insert(name.clone(), Table { name: name.into(), options, comment, ..Default::default() });
    }
    Ok(tables)
}

/// The value of `key=value` in a `CREATE_OPTIONS` text.
fn create_option<'a>(options: &'a str, key: &str) -> Option<&'a str> {
    options.split_whitespace().find_map(|o| o.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_options_are_read() {
        assert_eq!(create_option("row_format=compressed key_block_size=8", "row_format"), Some("compressed"));
        assert_eq!(create_option("", "row_format"), None);
    }
}
