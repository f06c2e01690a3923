//! Step ordering: every step is a node of a `petgraph` graph with an edge for each real
//! dependency; the order is a topological sort whose ties are broken by phase, then object
//! name, then creation order, so the same inputs always give the same plan.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use foldhash::{HashMap, HashMapExt};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::plan::Step;
use crate::DiffError;

/// Coarse position of a step when nothing else orders it: dependents are dropped first,
/// tables change in the middle, dependents are created last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Drop triggers.
    DropTrigger,
    /// Drop views.
    DropView,
    /// Drop foreign keys that would block later steps.
    DropForeignKey,
    /// Drop indexes.
    DropIndex,
    /// Create schemas.
    CreateSchema,
    /// Install extensions.
    CreateExtension,
    /// Create enum types and domains.
    CreateType,
    /// Change enum types and domains.
    AlterType,
    /// Create sequences.
    CreateSequence,
    /// Rename tables.
    RenameTable,
    /// Create tables.
    CreateTable,
    /// Alter or rebuild tables.
    AlterTable,
    /// Drop tables.
    DropTable,
    /// Drop sequences.
    DropSequence,
    /// Drop types and domains.
    DropType,
    /// Create indexes.
    CreateIndex,
    /// Add foreign keys.
    AddForeignKey,
    /// Create views.
    CreateView,
    /// Create triggers.
    CreateTrigger,
    /// Grant and revoke privileges, change owners (of objects that exist by then).
    Privileges,
    /// Remove extensions.
    DropExtension,
    /// Drop schemas.
    DropSchema,
}

/// A step before ordering, with what it needs and what it makes or removes.
#[derive(Debug)]
pub struct Draft {
    /// The step itself.
    pub step: Step,
    /// Default position.
    pub phase: Phase,
    /// The object it acts on, for tie-breaking.
    pub object: String,
    /// Object keys this step brings into being (in their final form).
    pub provides: Vec<String>,
    /// Object keys this step removes.
    pub removes: Vec<String>,
    /// Object keys this step reads: it runs after whatever provides them, and a drop of a
    /// reader runs before the drop of what it reads.
    pub reads: Vec<String>,
    /// Like `reads`, but an order of preference only, given up to break a cycle (FKs).
    pub soft_reads: Vec<String>,
}

impl Draft {
    /// A draft with no dependencies yet.
    pub fn new(step: Step, phase: Phase, object: impl Into<String>) -> Self {
        Draft {
            step,
            phase,
            object: object.into(),
            provides: vec![],
            removes: vec![],
            reads: vec![],
            soft_reads: vec![],
        }
    }
}

/// Orders drafts into steps.
pub fn order(drafts: Vec<Draft>) -> Result<Vec<Step>, DiffError> {
    let mut graph: DiGraph<usize, bool> = DiGraph::with_capacity(drafts.len(), drafts.len());
    let nodes: Vec<NodeIndex> = (0..drafts.len()).map(|i| graph.add_node(i)).collect();
    let mut providers: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut removers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in drafts.iter().enumerate() {
        d.provides.iter().for_each(|k| providers.entry(k).or_default().push(i));
        d.removes.iter().for_each(|k| removers.entry(k).or_default().push(i));
    }
    for (i, d) in drafts.iter().enumerate() {
        let reads = d.reads.iter().map(|k| (k, false)).chain(d.soft_reads.iter().map(|k| (k, true)));
        for (key, soft) in reads {
            for &p in providers.get(key.as_str()).into_iter().flatten() {
                if p != i && drafts[p].phase <= d.phase {
                    graph.update_edge(nodes[p], nodes[i], soft);
                }
            }
            if !d.removes.is_empty() {
                for &r in removers.get(key.as_str()).into_iter().flatten() {
                    if r != i && d.phase <= drafts[r].phase {
                        graph.update_edge(nodes[i], nodes[r], soft);
                    }
                }
            }
        }
    }
    let key = |i: usize| Reverse((drafts[i].phase, drafts[i].object.as_str(), i));
    let mut indegree: Vec<usize> =
        nodes.iter().map(|&n| graph.edges_directed(n, Direction::Incoming).count()).collect();
    let mut ready: BinaryHeap<_> = (0..drafts.len()).filter(|&i| indegree[i] == 0).map(key).collect();
    let mut order = Vec::with_capacity(drafts.len());
    let mut done = vec![false; drafts.len()];
    while order.len() < drafts.len() {
        let Some(Reverse((_, _, i))) = ready.pop() else {
            // A cycle: give up the soft edges into the first blocked step that has only those.
            let stuck = (0..drafts.len()).filter(|&i| !done[i]).min_by_key(|&i| key(i).0);
            let Some(i) = stuck.filter(|&i| {
                graph.edges_directed(nodes[i], Direction::Incoming).all(|e| *e.weight() || done[graph[e.source()]])
            }) else {
                let names: Vec<&str> =
                    (0..drafts.len()).filter(|&i| !done[i]).map(|i| drafts[i].step.description.as_str()).collect();
                return Err(DiffError::Cycle(names.join(", ")));
            };
            indegree[i] = 0;
            ready.push(key(i));
            continue;
        };
        if done[i] {
            continue;
        }
        done[i] = true;
        order.push(i);
        for e in graph.edges_directed(nodes[i], Direction::Outgoing) {
            let j = graph[e.target()];
            if !done[j] {
                indegree[j] = indegree[j].saturating_sub(1);
                if indegree[j] == 0 {
                    ready.push(key(j));
                }
            }
        }
    }
    Ok(into_steps(drafts, &order))
}

/// The steps of `drafts` in `order` (a permutation of their indexes), moved within the drafts'
/// own buffer: a large plan's steps are not copied into memory that must first be paged in.
fn into_steps(mut drafts: Vec<Draft>, order: &[usize]) -> Vec<Step> {
    let mut place = vec![0; order.len()];
    for (at, &i) in order.iter().enumerate() {
        place[i] = at;
    }
    for i in 0..drafts.len() {
        while place[i] != i {
            let j = place[i];
            drafts.swap(i, j);
            place.swap(i, j);
        }
    }
    drafts.into_iter().map(|d| d.step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str) -> Step {
        Step::new(name.into(), vec![], vec![])
    }

    fn names(steps: Vec<Step>) -> Vec<String> {
        steps.into_iter().map(|s| s.description).collect()
    }

    #[test]
    fn dependencies_beat_names_and_phases_beat_names() {
        let mut v2 = Draft::new(step("create view a"), Phase::CreateView, "a");
        v2.reads = vec!["b".into()];
        v2.provides = vec!["a".into()];
        let mut v1 = Draft::new(step("create view b"), Phase::CreateView, "b");
        v1.provides = vec!["b".into()];
        let t = Draft::new(step("create table z"), Phase::CreateTable, "z");
        assert_eq!(names(order(vec![v2, v1, t]).unwrap()), ["create table z", "create view b", "create view a"]);
    }

    #[test]
    fn readers_are_dropped_before_what_they_read() {
        let mut t = Draft::new(step("drop view base"), Phase::DropView, "base");
        t.removes = vec!["base".into()];
        let mut v = Draft::new(step("drop view top"), Phase::DropView, "top");
        v.removes = vec!["top".into()];
        v.reads = vec!["base".into()];
        assert_eq!(names(order(vec![t, v]).unwrap()), ["drop view top", "drop view base"]);
    }

    #[test]
    fn soft_cycles_are_broken_deterministically() {
        let mut a = Draft::new(step("create table a"), Phase::CreateTable, "a");
        a.provides = vec!["a".into()];
        a.soft_reads = vec!["b".into()];
        let mut b = Draft::new(step("create table b"), Phase::CreateTable, "b");
        b.provides = vec!["b".into()];
        b.soft_reads = vec!["a".into()];
        assert_eq!(names(order(vec![b, a]).unwrap()), ["create table a", "create table b"]);
    }

    #[test]
    fn steps_come_out_in_the_order_given() {
        let drafts = ["a", "b", "c", "d", "e"].map(|n| Draft::new(step(n), Phase::CreateTable, n)).into();
        assert_eq!(names(into_steps(drafts, &[3, 0, 4, 2, 1])), ["d", "a", "e", "c", "b"]);
    }

    #[test]
    fn hard_cycles_are_errors() {
        let mut a = Draft::new(step("a"), Phase::CreateView, "a");
        a.provides = vec!["a".into()];
        a.reads = vec!["b".into()];
        let mut b = Draft::new(step("b"), Phase::CreateView, "b");
        b.provides = vec!["b".into()];
        b.reads = vec!["a".into()];
        assert!(order(vec![a, b]).is_err());
    }
}
