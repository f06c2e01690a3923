//! Scheduled events, from one `information_schema.EVENTS` query.

use schema_model::{Event, EventSchedule, EventStatus};
use sqlx::MySqlConnection;

use crate::error::db_err;
use crate::{Error, Result};

/// Every event of the database with its schedule, completion, status, body, comment and
/// definer. `STARTS` is left out: the server fills in the creation time when none is declared.
/// MySQL 8 has the same columns.
const EVENTS: &str = concat!(
    "SELECT ",
    texts!(
        "EVENT_NAME",
        "DEFINER",
        "EVENT_TYPE",
        "EXECUTE_AT",
        "INTERVAL_VALUE",
        "INTERVAL_FIELD",
        "ENDS",
        "STATUS",
        "ON_COMPLETION",
        "EVENT_DEFINITION",
        "EVENT_COMMENT"
    ),
    " FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME"
);

type EventRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
);

/// A compound interval's value without the quotes MariaDB reports it in (`'1 4'`).
fn unquote(value: &str) -> String {
    match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Some(inner) => inner.replace("''", "'"),
        None => value.to_string(),
    }
}

/// Reads the events of `database`, each with its definer (replay takes out the ones the
/// desired state does not state).
pub(super) async fn read_events(conn: &mut MySqlConnection, database: &str) -> Result<Vec<Event>> {
    let rows: Vec<EventRow> =
        sqlx::query_as(EVENTS).bind(database).fetch_all(&mut *conn).await.map_err(db_err("reading events"))?;
    let mut events = Vec::new();
    for (name, definer, kind, at, value, unit, ends, status, completion, body, comment) in rows {
        let odd =
            |what: &str| Error::Unsupported(format!("event `{database}`.`{name}` has {what}, which is not modelled"));
        let schedule = match (kind.as_str(), at, value, unit) {
            ("ONE TIME", Some(at), _, _) => EventSchedule::At { at },
            ("RECURRING", _, Some(value), Some(unit)) => EventSchedule::Every { value: unquote(&value), unit, ends },
            _ => return Err(odd(&format!("the schedule type {kind}"))),
        };
        let status = EventStatus::parse(&status).ok_or_else(|| odd(&format!("the status {status}")))?;
        events.push(Event {
            name,
            schedule,
            preserve: completion.eq_ignore_ascii_case("PRESERVE"),
            status,
            body,
            comment: comment.filter(|c| !c.is_empty()),
            definer: Some(definer),
        });
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_interval_values_lose_their_quotes() {
        assert_eq!(unquote("'1 4'"), "1 4");
        assert_eq!(unquote("2"), "2");
    }
}
