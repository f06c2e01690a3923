//! Going back after a failed apply: MySQL DDL commits itself, so the statements that already
//! ran are undone one by one, last first, with the reverses the caller gave for each.

use sqlx::MySqlConnection;

use super::my_message;
use crate::Error;

/// How far undoing got.
pub(super) struct Undone {
    /// Every statement that had run was undone (or none had run).
    pub complete: bool,
    /// What happened, for the error and the revision row; empty when nothing had run.
    pub note: String,
}

/// Undoes the first `done` statements, last first, with `undo[i]` for statement `i`. Stops at
/// the first statement whose reverse is unknown or fails: undoing an earlier one could
/// depend on it.
pub(super) async fn undo(conn: &mut MySqlConnection, undo: &[Vec<String>], done: usize) -> Undone {
    if done == 0 {
        return Undone { complete: true, note: String::new() };
    }
    for i in (0..done).rev() {
        let steps = undo.get(i).map(Vec::as_slice).unwrap_or_default();
        let remain = |why: String| Undone {
            complete: false,
            note: format!(
                "undoing stopped: {why}; statements 1 to {} remain applied and the database is between \
                 its old and new structure: finish by hand",
                i + 1
            ),
        };
        if steps.is_empty() {
            return remain(format!("statement {} has no known reverse", i + 1));
        }
        for st in steps {
            if let Err(e) = sqlx::raw_sql(st.as_str()).execute(&mut *conn).await {
                return remain(format!("the reverse of statement {} failed ({}): {st}", i + 1, my_message(&e)));
            }
        }
    }
    let note = match done {
        1 => "the 1 statement already applied was undone".to_string(),
        n => format!("the {n} statements already applied were undone"),
    };
    Undone { complete: true, note }
}

/// `err` with what undoing did added to its text.
pub(super) fn with_note(err: Error, undone: &Undone) -> Error {
    if undone.note.is_empty() {
        return err;
    }
    let note = &undone.note;
    match err {
        Error::Statement { index, total, statement, reason } => {
            Error::Statement { index, total, statement, reason: format!("{reason}; {note}") }
        }
        Error::Verify(m) if undone.complete => Error::Verify(format!("{m}\n({note})")),
        Error::Verify(m) => Error::Database {
            context: "after apply the database does not match the desired state".into(),
            reason: format!("{m}\n{note}"),
        },
        Error::Database { context, reason } => Error::Database { context, reason: format!("{reason}; {note}") },
        other => Error::Database { context: other.to_string(), reason: note.clone() },
    }
}
