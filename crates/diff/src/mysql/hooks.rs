//! MySQL's answers for the shared dependent-view mechanism.

use schema_model::{Dialect, Trigger, View};

use super::key;
use super::render::q;
use crate::change::Change;
use crate::dependents::DependentHooks;

/// Views on MySQL do not block table changes (they are checked when queried), so no change
/// disturbs them; changed views and triggers are dropped and created again.
pub struct MysqlHooks;

impl DependentHooks for MysqlHooks {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn key(&self, _schema: &str, name: &str) -> String {
        key(name)
    }

    fn disturbed(&self, _change: &Change) -> Vec<String> {
        vec![]
    }

    fn drop_view(&self, _schema: &str, view: &View) -> Vec<String> {
        vec![format!("DROP VIEW {}", q(&view.name))]
    }

    fn create_view(&self, _schema: &str, view: &View) -> Vec<String> {
        let mut head = String::from("CREATE");
        if let Some(a) = &view.algorithm {
            head.push_str(&format!(" ALGORITHM={a}"));
        }
        if let Some(sec) = &view.security {
            head.push_str(&format!(" SQL SECURITY {sec}"));
        }
        let mut s = format!("{head} VIEW {} AS {}", q(&view.name), view.definition.trim().trim_end_matches(';'));
        if let Some(c) = &view.check_option {
            s.push_str(&format!(" WITH {c} CHECK OPTION"));
        }
        vec![s]
    }

    fn drop_trigger(&self, _schema: &str, trigger: &Trigger) -> Vec<String> {
        vec![format!("DROP TRIGGER {}", q(&trigger.name))]
    }

    fn create_trigger(&self, _schema: &str, trigger: &Trigger) -> Vec<String> {
        vec![trigger.definition.clone()]
    }

    fn display(&self, _schema: &str, name: &str) -> String {
        q(name)
    }
}
