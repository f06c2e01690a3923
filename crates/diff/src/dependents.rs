//! Views and triggers that must be dropped before some table changes and created again after:
//! the ones that changed, and the unchanged ones that read an object a change disturbs (on
//! SQLite a rebuilt or renamed table, on PostgreSQL a dropped column or a changed type). Which
//! changes disturb what, and how to spell the statements, is the dialect's hook.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use schema_model::sql::{ident_value, significant_tokens};
use schema_model::{Dialect, Realm, Trigger, View};
use sqlparser::tokenizer::Token;

use crate::change::Change;
use crate::differ::boxed;
use crate::order::{Draft, Phase};
use crate::plan::Step;

/// What a dialect says about its views and triggers.
pub trait DependentHooks {
    /// The dialect, for tokenizing definitions.
    fn dialect(&self) -> Dialect;
    /// The ordering key of an object.
    fn key(&self, schema: &str, name: &str) -> String;
    /// Names (unqualified, as the dialect compares them) of tables and types a change
    /// disturbs: views and triggers that mention them must be recreated.
    fn disturbed(&self, change: &Change) -> Vec<String>;
    /// Statements that drop a view.
    fn drop_view(&self, schema: &str, view: &View) -> Vec<String>;
    /// Statements that create a view (with its indexes and comment).
    fn create_view(&self, schema: &str, view: &View) -> Vec<String>;
    /// Statements that drop a trigger.
    fn drop_trigger(&self, schema: &str, trigger: &Trigger) -> Vec<String>;
    /// Statements that create a trigger.
    fn create_trigger(&self, schema: &str, trigger: &Trigger) -> Vec<String>;
    /// How a name is shown in step descriptions.
    fn display(&self, schema: &str, name: &str) -> String;
}

/// The identifiers a definition mentions, as the dialect compares them.
pub fn words(dialect: Dialect, text: &str) -> HashSet<String> {
    significant_tokens(dialect, text)
        .map(|toks| {
            toks.into_iter()
                .filter_map(|t| match t.token {
                    Token::Word(w) => Some(match dialect {
                        Dialect::Postgres => ident_value(dialect, &w),
                        _ => w.value.to_lowercase(),
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A view or trigger as the plan handles it.
#[derive(Clone)]
enum Object {
    View(String, Box<View>),
    Trigger(String, Box<Trigger>),
}

impl Object {
    fn schema(&self) -> &str {
        match self {
            Object::View(s, _) | Object::Trigger(s, _) => s,
        }
    }
    fn name(&self) -> &str {
        match self {
            Object::View(_, v) => &v.name,
            Object::Trigger(_, t) => &t.name,
        }
    }
    fn definition(&self) -> &str {
        match self {
            Object::View(_, v) => &v.definition,
            Object::Trigger(_, t) => &t.definition,
        }
    }
    fn is_trigger(&self) -> bool {
        matches!(self, Object::Trigger(..))
    }
}

type Slot = (bool, String);

/// The drop and create steps of the views and triggers a plan touches.
pub struct Dependents<'h> {
    hooks: &'h dyn DependentHooks,
    drops: BTreeMap<Slot, Object>,
    creates: BTreeMap<Slot, Object>,
    /// Every table and view name, with the keys of the objects that bear it (empty when
    /// there is nothing to drop or create).
    known: HashMap<String, Vec<String>>,
}

impl<'h> Dependents<'h> {
    /// Works out which views and triggers to drop and create for `changes`.
    pub fn new(hooks: &'h dyn DependentHooks, from: &Realm, to: &Realm, changes: &[Change]) -> Self {
        let d = hooks.dialect();
        let mut disturbed: HashSet<String> = HashSet::new();
        let mut drops = BTreeMap::new();
        let mut creates = BTreeMap::new();
        let slot = |o: &Object| (o.is_trigger(), hooks.key(o.schema(), o.name()));
        for c in changes {
            disturbed.extend(hooks.disturbed(c));
            let (gone, new): (Option<Object>, Option<Object>) = match c {
                Change::AddView { schema, view } => (None, Some(Object::View(schema.clone(), view.clone()))),
                Change::DropView { schema, view } => (Some(Object::View(schema.clone(), view.clone())), None),
                Change::ModifyView { schema, from, to } => {
                    (Some(Object::View(schema.clone(), from.clone())), Some(Object::View(schema.clone(), to.clone())))
                }
                Change::AddTrigger { schema, trigger } => {
                    (None, Some(Object::Trigger(schema.clone(), trigger.clone())))
                }
                Change::DropTrigger { schema, trigger } => {
                    (Some(Object::Trigger(schema.clone(), trigger.clone())), None)
                }
                Change::ModifyTrigger { schema, from, to } => (
                    Some(Object::Trigger(schema.clone(), from.clone())),
                    Some(Object::Trigger(schema.clone(), to.clone())),
                ),
                _ => (None, None),
            };
            if let Some(o) = gone {
                if !o.is_trigger() {
                    disturbed.insert(name_key(d, o.name()));
                }
                drops.insert(slot(&o), o);
            }
            if let Some(o) = new {
                creates.insert(slot(&o), o);
            }
        }
        // Unchanged readers of disturbed objects, to a fixpoint (views read views).
        let existing: Vec<(Object, HashSet<String>)> = from
            .schemas
            .iter()
            .flat_map(|s| {
                s.views
                    .iter()
                    .map(|v| Object::View(s.name.clone(), boxed(v)))
                    .chain(s.triggers.iter().map(|t| Object::Trigger(s.name.clone(), boxed(t))))
            })
            .map(|o| {
                let w = words(d, o.definition());
                (o, w)
            })
            .collect();
        loop {
            let mut grew = false;
            for (o, w) in &existing {
                let k = slot(o);
                if drops.contains_key(&k) {
                    continue;
                }
                let own = name_key(d, o.name());
                if w.iter().any(|x| *x != own && disturbed.contains(x)) {
                    if !o.is_trigger() {
                        disturbed.insert(own);
                    }
                    drops.insert(k, o.clone());
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        let desired: BTreeMap<Slot, Object> = to
            .schemas
            .iter()
            .flat_map(|s| {
                s.views
                    .iter()
                    .map(|v| Object::View(s.name.clone(), boxed(v)))
                    .chain(s.triggers.iter().map(|t| Object::Trigger(s.name.clone(), boxed(t))))
            })
            .map(|o| (slot(&o), o))
            .collect();
        for k in drops.keys() {
            if !creates.contains_key(k) {
                if let Some(o) = desired.get(k) {
                    creates.insert(k.clone(), o.clone());
                }
            }
        }
        let mut known: HashMap<String, Vec<String>> = HashMap::new();
        // Only the definitions of views and triggers to drop or create are resolved against
        // the names; with none, the plan does not pay for a map of every table.
        if !drops.is_empty() || !creates.is_empty() {
            for s in from.schemas.iter().chain(&to.schemas) {
                for n in s.tables.iter().map(|t| t.name.as_str()).chain(s.views.iter().map(|v| v.name.as_str())) {
                    let keys = known.entry(name_key(d, n)).or_default();
                    let k = hooks.key(&s.name, n);
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
        }
        Dependents { hooks, drops, creates, known }
    }

    /// The drop and create drafts.
    pub fn drafts(self) -> Vec<Draft> {
        let d = self.hooks.dialect();
        let h = self.hooks;
        let reads = |o: &Object| -> Vec<String> {
            let own = h.key(o.schema(), o.name());
            let mut keys: Vec<String> = words(d, o.definition())
                .into_iter()
                .filter_map(|w| self.known.get(&w))
                .flatten()
                .filter(|k| **k != own)
                .cloned()
                .collect();
            keys.sort();
            keys
        };
        let mut out = Vec::new();
        for o in self.drops.values() {
            let (kind, sql, reverse) = match o {
                Object::View(s, v) => ("view", h.drop_view(s, v), h.create_view(s, v)),
                Object::Trigger(s, t) => ("trigger", h.drop_trigger(s, t), h.create_trigger(s, t)),
            };
            let slot = (o.is_trigger(), h.key(o.schema(), o.name()));
            let mut step = Step::new(format!("drop {kind} {}", h.display(o.schema(), o.name())), sql, reverse);
            if !self.creates.contains_key(&slot) {
                step.facts.push(crate::Fact::DropObject {
                    kind: kind.into(),
                    name: format!("{}.{}", o.schema(), o.name()),
                    on: None,
                });
            }
            let mut dr = Draft::new(step, if o.is_trigger() { Phase::DropTrigger } else { Phase::DropView }, slot.1);
            dr.removes = vec![h.key(o.schema(), o.name())];
            dr.reads = reads(o);
            out.push(dr);
        }
        for o in self.creates.values() {
            let (kind, sql, reverse) = match o {
                Object::View(s, v) => ("view", h.create_view(s, v), h.drop_view(s, v)),
                Object::Trigger(s, t) => ("trigger", h.create_trigger(s, t), h.drop_trigger(s, t)),
            };
            let step = Step::new(format!("create {kind} {}", h.display(o.schema(), o.name())), sql, reverse);
            let mut dr = Draft::new(
                step,
                if o.is_trigger() { Phase::CreateTrigger } else { Phase::CreateView },
                h.key(o.schema(), o.name()),
            );
            dr.provides = vec![h.key(o.schema(), o.name())];
            dr.reads = reads(o);
            out.push(dr);
        }
        out
    }
}

/// How a name compares inside definitions: folded on SQLite and MySQL, exact on PostgreSQL.
fn name_key(d: Dialect, name: &str) -> String {
    match d {
        Dialect::Postgres => name.to_string(),
        _ => name.to_lowercase(),
    }
}

/// True when `text` mentions the identifier `name`.
pub fn mentions(d: Dialect, text: &str, name: &str) -> bool {
    words(d, text).contains(&name_key(d, name))
}
