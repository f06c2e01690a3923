//! Scheduled events on MySQL/MariaDB: `CREATE EVENT`, `ALTER EVENT` (every clause restated, so
//! one statement reaches the desired event whatever differs, and one takes it back) and
//! `DROP EVENT`. Events read no table when created (their body is checked when it runs), so
//! they depend on nothing; they are ordered with triggers, last among creations.

use schema_model::{Event, EventSchedule};

use super::key;
use super::render::{lit, q};
use crate::hazards::Fact;
use crate::order::{Draft, Phase};
use crate::plan::Step;

/// `ON SCHEDULE ... ON COMPLETION ... ENABLE|DISABLE COMMENT '...' DO body`, the part that
/// `CREATE EVENT` and `ALTER EVENT` share.
fn clauses(e: &Event) -> String {
    let schedule = match &e.schedule {
        EventSchedule::At { at } => format!("AT {}", lit(at)),
        EventSchedule::Every { value, unit, ends } => {
            // A plain number stands bare; a compound quantity (`1 4` for DAY_HOUR) is a string.
            let value =
                if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) { value.clone() } else { lit(value) };
            let ends = ends.as_ref().map(|t| format!(" ENDS {}", lit(t))).unwrap_or_default();
            format!("EVERY {value} {}{ends}", unit.to_ascii_uppercase())
        }
    };
    let completion = if e.preserve { "PRESERVE" } else { "NOT PRESERVE" };
    format!(
        "ON SCHEDULE {schedule} ON COMPLETION {completion} {} COMMENT {} DO {}",
        e.status.sql(),
        lit(e.comment.as_deref().unwrap_or("")),
        e.body.trim().trim_end_matches(';')
    )
}

/// `DEFINER = user@host ` where the event states one. The catalog's `user@host` is quoted
/// part by part.
fn definer(e: &Event) -> String {
    match e.definer.as_deref().and_then(|d| d.rsplit_once('@')) {
        Some((user, host)) => format!("DEFINER = {}@{} ", lit(user), lit(host)),
        None => String::new(),
    }
}

/// The `CREATE EVENT` statement of `e`.
pub fn create_event(e: &Event) -> String {
    format!("CREATE {}EVENT {} {}", definer(e), q(&e.name), clauses(e))
}

/// The `ALTER EVENT` statement that turns any event of that name into `e`.
fn alter_event(e: &Event) -> String {
    format!("ALTER {}EVENT {} {}", definer(e), q(&e.name), clauses(e))
}

/// Creates an event.
pub fn add_event(e: &Event) -> Draft {
    let s = Step::new(
        format!("create event {}", q(&e.name)),
        vec![create_event(e)],
        vec![format!("DROP EVENT {}", q(&e.name))],
    );
    Draft::new(s, Phase::CreateTrigger, key(&e.name))
}

/// Drops an event: a drop of something that runs on its own, flagged like other drops.
pub fn drop_event(e: &Event) -> Draft {
    let s = Step::new(
        format!("drop event {}", q(&e.name)),
        vec![format!("DROP EVENT {}", q(&e.name))],
        vec![create_event(e)],
    )
    .with_fact(Fact::DropObject { kind: "event".into(), name: e.name.clone(), on: None });
    Draft::new(s, Phase::DropTrigger, key(&e.name))
}

/// Changes an event in place; the reverse restates the event as it was. An `ENDS` that goes
/// away needs the event created again: MariaDB 10.11 keeps the old `ENDS` when `ALTER EVENT`
/// states a schedule without one (an event holds no data, so nothing is lost).
pub fn modify_event(from: &Event, to: &Event) -> Draft {
    let ends = |e: &Event| matches!(&e.schedule, EventSchedule::Every { ends: Some(_), .. });
    let replace = |e: &Event| vec![format!("DROP EVENT {}", q(&e.name)), create_event(e)];
    let (sql, reverse) = match (ends(from), ends(to)) {
        (true, false) => (replace(to), vec![alter_event(from)]),
        (false, true) => (vec![alter_event(to)], replace(from)),
        _ => (vec![alter_event(to)], vec![alter_event(from)]),
    };
    let s = Step::new(format!("alter event {}", q(&to.name)), sql, reverse);
    Draft::new(s, Phase::CreateTrigger, key(&to.name))
}

#[cfg(test)]
mod tests {
    use schema_model::EventStatus;

    use super::*;

    #[test]
    fn every_clause_is_rendered_and_quoted() {
        let e = Event {
            name: "clean up".into(),
            schedule: EventSchedule::Every { value: "1 4".into(), unit: "DAY_HOUR".into(), ends: None },
            preserve: true,
            status: EventStatus::Disabled,
            body: "DELETE FROM r;".into(),
            comment: Some("it's old".into()),
            definer: Some("root@%".into()),
        };
        assert_eq!(
            create_event(&e),
            "CREATE DEFINER = 'root'@'%' EVENT `clean up` ON SCHEDULE EVERY '1 4' DAY_HOUR ON COMPLETION \
             PRESERVE DISABLE COMMENT 'it''s old' DO DELETE FROM r"
        );
        let at = Event { schedule: EventSchedule::At { at: "2035-01-01 00:00:00".into() }, definer: None, ..e };
        assert!(alter_event(&at).starts_with("ALTER EVENT `clean up` ON SCHEDULE AT '2035-01-01 00:00:00' "));
    }
}
