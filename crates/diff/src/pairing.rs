//! Pairs the objects of two lists that bear the same name, for the differ. Both lists of a
//! large catalog are mostly in the same order, so pairs are found by walking them side by
//! side, and only what that walk leaves over goes through a hash map: no map of every
//! table and column is built, and lookups by other names (declared renames) build one the
//! first time they are asked.

use std::borrow::Cow;
use std::cell::OnceCell;

use foldhash::{HashMap, HashMapExt};

/// The objects of `from` and `to` paired by key, with lookups for declared renames.
pub(crate) struct Pairing<'x, T> {
    from: &'x [T],
    /// The key of each object of `from`, and of `to`.
    from_keys: Vec<Cow<'x, str>>,
    to_keys: Vec<Cow<'x, str>>,
    /// For each object of `to`, the index of the object of `from` with the same key.
    partner: Vec<Option<usize>>,
    /// Whether each object of `from` has a partner (or was claimed by a rename).
    taken: Vec<bool>,
    /// Every key of `from` and of `to` with its index, made on first use.
    from_index: OnceCell<HashMap<Cow<'x, str>, usize>>,
    to_index: OnceCell<HashMap<Cow<'x, str>, usize>>,
}

impl<'x, T> Pairing<'x, T> {
    /// Pairs `from` and `to` by `key` (keys are unique within each list).
    pub fn new(from: &'x [T], to: &'x [T], key: impl Fn(&'x T) -> Cow<'x, str>) -> Self {
        let from_keys: Vec<Cow<'x, str>> = from.iter().map(&key).collect();
        let to_keys: Vec<Cow<'x, str>> = to.iter().map(&key).collect();
        let mut partner = vec![None; to.len()];
        let mut taken = vec![false; from.len()];
        let (mut i, mut j) = (0, 0);
        let mut left_over = false;
        // Side by side, stepping over one object that only one side has.
        while i < from.len() && j < to.len() {
            if from_keys[i] == to_keys[j] {
                partner[j] = Some(i);
                taken[i] = true;
                (i, j) = (i + 1, j + 1);
            } else if i + 1 < from.len() && from_keys[i + 1] == to_keys[j] {
                i += 1;
                left_over = true;
            } else {
                j += 1;
                left_over = true;
            }
        }
        if left_over || i < from.len() || j < to.len() {
            // The rest by map: the objects the walk left unpaired.
            let mut rest: HashMap<&str, usize> = HashMap::new();
            for (i, k) in from_keys.iter().enumerate().filter(|(i, _)| !taken[*i]) {
                rest.insert(k, i);
            }
            for (j, k) in to_keys.iter().enumerate() {
                if partner[j].is_none() {
                    if let Some(&i) = rest.get(k.as_ref()) {
                        partner[j] = Some(i);
                        taken[i] = true;
                    }
                }
            }
        }
        Pairing { from, from_keys, to_keys, partner, taken, from_index: OnceCell::new(), to_index: OnceCell::new() }
    }

    /// The object of `from` paired with `to[j]`.
    pub fn partner(&self, j: usize) -> Option<&'x T> {
        self.partner[j].map(|i| &self.from[i])
    }

    /// Whether `from` has an object of key `k`.
    pub fn old_has(&self, k: &str) -> bool {
        self.old_index().contains_key(k)
    }

    /// Whether `to` has an object of key `k`.
    pub fn new_has(&self, k: &str) -> bool {
        self.to_index.get_or_init(|| index(&self.to_keys)).contains_key(k)
    }

    /// Claims the unpaired object of `from` with key `k` (the old side of a rename).
    pub fn claim(&mut self, k: &str) -> Option<&'x T> {
        let i = *self.old_index().get(k)?;
        if self.taken[i] {
            return None;
        }
        self.taken[i] = true;
        Some(&self.from[i])
    }

    /// The objects of `from` that nothing paired or claimed: the ones to drop.
    pub fn unpaired_from(&self) -> impl Iterator<Item = &'x T> + '_ {
        self.from.iter().zip(&self.taken).filter(|(_, t)| !**t).map(|(x, _)| x)
    }

    fn old_index(&self) -> &HashMap<Cow<'x, str>, usize> {
        self.from_index.get_or_init(|| index(&self.from_keys))
    }
}

/// Every key with its index (a borrowed key is not copied).
fn index<'x>(keys: &[Cow<'x, str>]) -> HashMap<Cow<'x, str>, usize> {
    let mut out = HashMap::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        out.insert(k.clone(), i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &&'static str) -> Cow<'static, str> {
        Cow::Borrowed(*s)
    }

    fn pairs(
        from: &'static [&'static str],
        to: &'static [&'static str],
    ) -> (Vec<Option<&'static str>>, Vec<&'static str>) {
        let p = Pairing::new(from, to, key);
        let partners = (0..to.len()).map(|j| p.partner(j).copied()).collect();
        (partners, p.unpaired_from().copied().collect())
    }

    #[test]
    fn same_order_pairs_side_by_side() {
        assert_eq!(pairs(&["a", "b", "c"], &["a", "b", "c"]), (vec![Some("a"), Some("b"), Some("c")], vec![]));
    }

    #[test]
    fn inserted_dropped_and_moved_objects_pair_by_name() {
        // `x` is new, `b` is gone, `c` and `a` swapped places.
        let (partners, gone) = pairs(&["a", "b", "c", "d"], &["c", "x", "a", "d"]);
        assert_eq!(partners, vec![Some("c"), None, Some("a"), Some("d")]);
        assert_eq!(gone, vec!["b"]);
    }

    #[test]
    fn renames_claim_an_unpaired_object_once() {
        let from: &'static [&'static str] = &["a", "old"];
        let to: &'static [&'static str] = &["a", "new"];
        let mut p = Pairing::new(from, to, key);
        assert!(p.old_has("old") && !p.new_has("old") && p.new_has("new"));
        assert_eq!(p.claim("a"), None, "a is paired already");
        assert_eq!(p.claim("old"), Some(&"old"));
        assert_eq!(p.claim("old"), None);
        assert_eq!(p.unpaired_from().count(), 0);
    }
}
