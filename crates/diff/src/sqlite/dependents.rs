//! Views and triggers that must be dropped before a table change and created again after:
//! the ones that changed, and the unchanged ones that read a table being rebuilt, renamed or
//! dropped (SQLite's `ALTER TABLE ... RENAME` refuses while a view reads a missing table).

use std::collections::{BTreeMap, HashSet};

use schema_model::sql::significant_tokens;
use schema_model::{Dialect, Realm};
use sqlparser::tokenizer::Token;

use super::{key, render::q, step};
use crate::change::{Change, TableChange};
use crate::order::{Draft, Phase};

/// The lower-case identifiers a definition mentions.
fn words(text: &str) -> HashSet<String> {
    significant_tokens(Dialect::Sqlite, text)
        .map(|toks| {
            toks.into_iter()
                .filter_map(|t| match t.token {
                    Token::Word(w) => Some(w.value.to_lowercase()),
                    Token::SingleQuotedString(_) => None,
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// True when `text` mentions the identifier `name` (case-insensitive).
pub fn mentions(text: &str, name: &str) -> bool {
    words(text).contains(&name.to_lowercase())
}

/// A view or trigger as the plan handles it: its name, definition and what it reads.
struct Object {
    name: String,
    definition: String,
    words: HashSet<String>,
    trigger: bool,
}

/// The drop and create steps of the views and triggers a plan touches.
pub struct Dependents {
    drops: BTreeMap<(bool, String), Object>,
    creates: BTreeMap<(bool, String), Object>,
    known: HashSet<String>,
}

impl Dependents {
    /// Works out which views and triggers to drop and create for `changes`.
    pub fn new(from: &Realm, to: &Realm, changes: &[Change]) -> Self {
        let mut disturbed: HashSet<String> = HashSet::new();
        let mut drops = BTreeMap::new();
        let mut creates = BTreeMap::new();
        let obj = |name: &str, definition: &str, trigger: bool| Object {
            name: name.to_string(),
            definition: definition.to_string(),
            words: words(definition),
            trigger,
        };
        for c in changes {
            match c {
                Change::DropTable { table, .. } => {
                    disturbed.insert(key(&table.name));
                }
                Change::RenameTable { from, to, .. } => {
                    disturbed.insert(key(from));
                    disturbed.insert(key(to));
                }
                Change::ModifyTable { from, changes, .. } => {
                    let only_indexes = changes.iter().all(|c| {
                        matches!(
                            c,
                            TableChange::AddIndex { .. }
                                | TableChange::DropIndex { .. }
                                | TableChange::ModifyIndex { .. }
                        )
                    });
                    if !only_indexes {
                        disturbed.insert(key(&from.name));
                    }
                }
                Change::AddView { view, .. } => {
                    creates.insert(
                        (false, key(&view.name)),
                        obj(&view.name, &view.definition, false),
                    );
                }
                Change::DropView { view, .. } => {
                    disturbed.insert(key(&view.name));
                    drops.insert(
                        (false, key(&view.name)),
                        obj(&view.name, &view.definition, false),
                    );
                }
                Change::ModifyView { from, to, .. } => {
                    disturbed.insert(key(&from.name));
                    drops.insert(
                        (false, key(&from.name)),
                        obj(&from.name, &from.definition, false),
                    );
                    creates.insert((false, key(&to.name)), obj(&to.name, &to.definition, false));
                }
                Change::AddTrigger { trigger, .. } => {
                    creates.insert(
                        (true, key(&trigger.name)),
                        obj(&trigger.name, &trigger.definition, true),
                    );
                }
                Change::DropTrigger { trigger, .. } => {
                    drops.insert(
                        (true, key(&trigger.name)),
                        obj(&trigger.name, &trigger.definition, true),
                    );
                }
                Change::ModifyTrigger { from, to, .. } => {
                    drops.insert(
                        (true, key(&from.name)),
                        obj(&from.name, &from.definition, true),
                    );
                    creates.insert((true, key(&to.name)), obj(&to.name, &to.definition, true));
                }
                Change::AddSchema { .. } | Change::DropSchema { .. } | Change::AddTable { .. } => {}
            }
        }
        // Unchanged readers of disturbed objects, to a fixpoint (views read views).
        let existing: Vec<Object> = from
            .schemas
            .iter()
            .flat_map(|s| {
                s.views
                    .iter()
                    .map(|v| obj(&v.name, &v.definition, false))
                    .chain(s.triggers.iter().map(|t| obj(&t.name, &t.definition, true)))
            })
            .collect();
        loop {
            let mut grew = false;
            for o in &existing {
                let k = (o.trigger, key(&o.name));
                if drops.contains_key(&k) {
                    continue;
                }
                if o.words
                    .iter()
                    .any(|w| *w != key(&o.name) && disturbed.contains(w))
                {
                    if !o.trigger {
                        disturbed.insert(key(&o.name));
                    }
                    drops.insert(
                        k,
                        Object {
                            name: o.name.clone(),
                            definition: o.definition.clone(),
                            words: o.words.clone(),
                            trigger: o.trigger,
                        },
                    );
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        let desired: BTreeMap<(bool, String), (&str, &str)> = to
            .schemas
            .iter()
            .flat_map(|s| {
                s.views
                    .iter()
                    .map(|v| {
                        (
                            (false, key(&v.name)),
                            (v.name.as_str(), v.definition.as_str()),
                        )
                    })
                    .chain(s.triggers.iter().map(|t| {
                        (
                            (true, key(&t.name)),
                            (t.name.as_str(), t.definition.as_str()),
                        )
                    }))
            })
            .collect();
        for k in drops.keys() {
            if !creates.contains_key(k) {
                if let Some((name, def)) = desired.get(k) {
                    creates.insert(k.clone(), obj(name, def, k.0));
                }
            }
        }
        let known = from
            .schemas
            .iter()
            .chain(&to.schemas)
            .flat_map(|s| {
                s.tables
                    .iter()
                    .map(|t| key(&t.name))
                    .chain(s.views.iter().map(|v| key(&v.name)))
            })
            .collect();
        Dependents {
            drops,
            creates,
            known,
        }
    }

    /// The drop and create drafts.
    pub fn drafts(self) -> Vec<Draft> {
        let mut out = Vec::new();
        let reads = |o: &Object| -> Vec<String> {
            o.words
                .iter()
                .filter(|w| **w != key(&o.name) && self.known.contains(*w))
                .cloned()
                .collect()
        };
        for o in self.drops.values() {
            let kind = if o.trigger { "trigger" } else { "view" };
            let s = step(
                format!("drop {kind} {}", q(&o.name)),
                vec![format!("DROP {} {}", kind.to_uppercase(), q(&o.name))],
                vec![o.definition.clone()],
            );
            let mut d = Draft::new(
                s,
                if o.trigger {
                    Phase::DropTrigger
                } else {
                    Phase::DropView
                },
                key(&o.name),
            );
            d.removes = vec![key(&o.name)];
            d.reads = reads(o);
            out.push(d);
        }
        for o in self.creates.values() {
            let kind = if o.trigger { "trigger" } else { "view" };
            let s = step(
                format!("create {kind} {}", q(&o.name)),
                vec![o.definition.clone()],
                vec![format!("DROP {} {}", kind.to_uppercase(), q(&o.name))],
            );
            let mut d = Draft::new(
                s,
                if o.trigger {
                    Phase::CreateTrigger
                } else {
                    Phase::CreateView
                },
                key(&o.name),
            );
            d.provides = vec![key(&o.name)];
            d.reads = reads(o);
            out.push(d);
        }
        out
    }
}
