//! Scheduled events (MySQL/MariaDB `CREATE EVENT`): statements the server runs on a schedule.

use serde::{Deserialize, Serialize};

/// A scheduled event, kept as the server reports it in `information_schema.EVENTS`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Event {
    /// The event's name.
    pub name: String,
    /// When it runs.
    pub schedule: EventSchedule,
    /// `ON COMPLETION PRESERVE`: the event is kept once its schedule has run out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preserve: bool,
    /// `ENABLE`, `DISABLE` or `DISABLE ON SLAVE`.
    pub status: EventStatus,
    /// The statement it runs (`DO ...`), as written.
    pub body: String,
    /// The event's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `user`@`host` the body runs as, only where the desired state states it (the server
    /// always records one: the creating user's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definer: Option<String>,
}

/// When an event runs. A recurring event's `STARTS` is not kept: the server fills in the
/// creation time when none is declared, which no two databases share.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventSchedule {
    /// `AT 'timestamp'`: once.
    At {
        /// The time, as the server renders it (`2035-01-01 00:00:00`).
        at: String,
    },
    /// `EVERY value unit [ENDS 'timestamp']`.
    Every {
        /// The quantity (`1`, or `1 4` for a compound unit such as `DAY_HOUR`).
        value: String,
        /// The unit (`DAY`, `DAY_HOUR`, ...).
        unit: String,
        /// `ENDS`, when declared.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ends: Option<String>,
    },
}

impl Default for EventSchedule {
    fn default() -> Self {
        EventSchedule::Every { value: "1".into(), unit: "DAY".into(), ends: None }
    }
}

/// Whether an event fires.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// `ENABLE`, the default.
    #[default]
    Enabled,
    /// `DISABLE`.
    Disabled,
    /// `DISABLE ON SLAVE`: enabled on the primary only (what a replica reports for a
    /// replicated event).
    DisabledOnReplica,
}

impl EventStatus {
    /// Reads `information_schema.EVENTS.STATUS` (`ENABLED`, `DISABLED`, `SLAVESIDE_DISABLED`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "ENABLED" | "ENABLE" => Some(EventStatus::Enabled),
            "DISABLED" | "DISABLE" => Some(EventStatus::Disabled),
            "SLAVESIDE_DISABLED" | "DISABLE ON SLAVE" => Some(EventStatus::DisabledOnReplica),
            _ => None,
        }
    }

    /// The clause of `CREATE EVENT`/`ALTER EVENT`.
    pub fn sql(self) -> &'static str {
        match self {
            EventStatus::Enabled => "ENABLE",
            EventStatus::Disabled => "DISABLE",
            EventStatus::DisabledOnReplica => "DISABLE ON SLAVE",
        }
    }
}
