//! The analyzers: one module per hazard code, each turning the facts the planners record into
//! its hazard with a message and a help line, plus the live-data checks that give the
//! data-dependent ones a verdict. A fact about a table created earlier in the same plan raises
//! nothing: a new table has no rows and no readers.

mod fact;
mod live;
mod probe_sql;

mod bc101;
mod bc102;
mod bc103;
mod ds101;
mod ds102;
mod ds103;
mod ds104;
mod lk101;
mod lk102;
mod lk103;
mod lk104;
mod lk105;
mod lk106;
mod lk107;
mod mf101;
mod mf103;
mod mf104;
mod mf105;

use foldhash::{HashSet, HashSetExt};

pub use fact::{Conversion, Fact, NewColumnRows, Storage, TableRef};
pub use live::{check_live, DataCheck, DataProbe, LiveCheck, Outcome, TypeLimit, Verdict, PROBE_LIMIT};
pub use probe_sql::probe_sql;

use crate::hazard::{Hazard, HazardCode};
use crate::plan::Step;

/// Every analyzer, in the order of the design's table.
const ANALYZERS: [fn(&Fact) -> Option<Hazard>; 18] = [
    ds101::analyze,
    ds102::analyze,
    ds103::analyze,
    ds104::analyze,
    mf101::analyze,
    mf103::analyze,
    mf104::analyze,
    mf105::analyze,
    bc101::analyze,
    bc102::analyze,
    bc103::analyze,
    lk101::analyze,
    lk102::analyze,
    lk103::analyze,
    lk104::analyze,
    lk105::analyze,
    lk106::analyze,
    lk107::analyze,
];

/// The help line of `code`: what to do instead.
pub(crate) fn help(code: HazardCode) -> &'static str {
    match code {
        HazardCode::DS101 => ds101::HELP,
        HazardCode::DS102 => ds102::HELP,
        HazardCode::DS103 => ds103::HELP,
        HazardCode::DS104 => ds104::HELP,
        HazardCode::MF101 => mf101::HELP,
        HazardCode::MF103 => mf103::HELP,
        HazardCode::MF104 => mf104::HELP,
        HazardCode::MF105 => mf105::HELP,
        HazardCode::BC101 => bc101::HELP,
        HazardCode::BC102 => bc102::HELP,
        HazardCode::BC103 => bc103::HELP,
        HazardCode::LK101 => lk101::HELP,
        HazardCode::LK102 => lk102::HELP,
        HazardCode::LK103 => lk103::HELP,
        HazardCode::LK104 => lk104::HELP,
        HazardCode::LK105 => lk105::HELP,
        HazardCode::LK106 => lk106::HELP,
        HazardCode::LK107 => lk107::HELP,
    }
}

/// Attaches to each ordered step the hazards of its facts, skipping facts about tables that
/// an earlier step of the plan (or the same step) created.
pub fn analyze(steps: &mut [Step]) {
    let mut created: HashSet<TableRef> = HashSet::new();
    for step in steps.iter_mut() {
        for fact in &step.facts {
            if let Fact::CreateTable { table } = fact {
                created.insert(table.clone());
                continue;
            }
            if fact.table().is_some_and(|t| created.contains(t)) {
                continue;
            }
            for analyzer in ANALYZERS {
                if let Some(h) = analyzer(fact) {
                    if !step.hazards.contains(&h) {
                        step.hazards.push(h);
                    }
                }
            }
        }
    }
}

/// Small facts shared by the analyzers' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// The table the tests talk about.
    pub fn users() -> TableRef {
        TableRef::new("", "users")
    }

    /// A column added to `users`.
    pub fn add_column(nullable: bool, default: Option<&str>) -> Fact {
        Fact::AddColumn {
            table: users(),
            column: Box::new(schema_model::Column {
                name: "c".into(),
                ty: schema_model::ColumnType::new("integer"),
                nullable,
                default: default.map(Into::into),
                ..Default::default()
            }),
            rows: NewColumnRows::Fail,
            per_row_value: false,
        }
    }

    #[test]
    fn facts_on_tables_created_earlier_raise_nothing() {
        let mut create = Step::new("create table users".into(), vec![], vec![]);
        create.facts.push(Fact::CreateTable { table: users() });
        let mut index = Step::new("create index".into(), vec![], vec![]);
        index.facts.push(Fact::AddUnique {
            table: users(),
            columns: vec!["a".into()],
            name: "u".into(),
            checkable: true,
        });
        let mut other = Step::new("create index".into(), vec![], vec![]);
        other.facts.push(Fact::AddUnique {
            table: TableRef::new("", "old"),
            columns: vec!["a".into()],
            name: "u".into(),
            checkable: true,
        });
        let mut steps = vec![create, index, other];
        analyze(&mut steps);
        assert!(steps[1].hazards.is_empty());
        assert_eq!(steps[2].hazards[0].code, HazardCode::MF101);
    }

    #[test]
    fn every_code_has_an_analyzer() {
        for code in HazardCode::ALL {
            assert!(!help(code).is_empty(), "{code:?}");
        }
    }
}
