//! Exclusion constraints on PostgreSQL, kept in the server's rendering: added after the
//! table's columns, dropped before (a changed one is dropped and added again).

use schema_model::Exclusion;

use super::render::{comment, q, qn};
use super::{draft, key};
use crate::change::TableChange;
use crate::hazards::{Fact, TableRef};
use crate::order::{Draft, Phase};
use crate::plan::Step;

/// The clause of `CREATE TABLE` and `ALTER TABLE ... ADD`.
pub fn clause(x: &Exclusion) -> String {
    format!("CONSTRAINT {} {}", q(&x.name), x.definition)
}

/// The steps of an exclusion change on `schema.table`; None for other changes. `changes` are
/// the table's other changes, to tell a replaced constraint from a dropped one.
pub fn table_change(schema: &str, table: &str, c: &TableChange, changes: &[TableChange]) -> Option<Draft> {
    let (TableChange::AddExclusion { exclusion: x } | TableChange::DropExclusion { exclusion: x }) = c else {
        return None;
    };
    let tn = qn(schema, table);
    let add = |x: &Exclusion| {
        let mut sql = vec![format!("ALTER TABLE {tn} ADD {}", clause(x))];
        if x.comment.is_some() {
            sql.push(comment("CONSTRAINT", &format!("{} ON {tn}", q(&x.name)), x.comment.as_deref()));
        }
        sql
    };
    let drop = |x: &Exclusion| vec![format!("ALTER TABLE {tn} DROP CONSTRAINT {}", q(&x.name))];
    Some(if let TableChange::AddExclusion { .. } = c {
        let mut s = Step::new(format!("add exclusion constraint {} on {tn}", q(&x.name)), add(x), drop(x));
        s.facts.push(Fact::AddExclusion { table: TableRef::new(schema, table), name: x.name.clone() });
        let mut d = draft(s, Phase::CreateIndex, schema, table);
        d.reads.push(key(schema, table));
        d
    } else {
        let mut s = Step::new(format!("drop exclusion constraint {} on {tn}", q(&x.name)), drop(x), add(x));
        let replaced =
            changes.iter().any(|o| matches!(o, TableChange::AddExclusion { exclusion } if exclusion.name == x.name));
        if !replaced {
            s.facts.push(Fact::DropObject {
                kind: "exclusion constraint".into(),
                name: x.name.clone(),
                on: Some(TableRef::new(schema, table)),
            });
        }
        let mut d = draft(s, Phase::DropIndex, schema, table);
        d.removes = vec![format!("exclusion:{schema}.{table}.{}", x.name)];
        d.reads.push(key(schema, table));
        d
    })
}
