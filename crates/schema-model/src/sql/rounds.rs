//! The order in which statements that failed for a missing object run again. Desired-state
//! files may be in any order, so a statement that names what a later one defines is tried
//! again after the others. Rounds in file order alone try a chain of such statements written
//! backwards (each table referring to the next one) once per link, which is quadratic: two
//! thousand tables took 18 seconds offline. Here a statement that says which name it waits for
//! runs again as soon as a statement that mentions that name has run, within the same round,
//! so the chain takes one round; full rounds in file order remain, and only a full round that
//! runs nothing ends the retries.

use std::collections::{BTreeSet, HashMap};

use sqlparser::tokenizer::Token;

use super::tokens::{ident_value, tokenize};
use crate::Dialect;

/// The statements still to run (any payload), with the round now under way.
pub struct Rounds<T> {
    /// Every statement in file order; `None` once it has run.
    items: Vec<Option<T>>,
    /// What this round has yet to try, by position: taken lowest first, so the file's order
    /// holds among the statements that are ready.
    ready: BTreeSet<usize>,
    /// The statements of this round that wait for a name, by that name.
    waiters: HashMap<String, Vec<usize>>,
    /// True once a statement of this round has run.
    progressed: bool,
    /// False in a first round that reads the files as written: nobody waits and nobody is
    /// woken until it ends.
    waking: bool,
}

/// How a round ended.
#[derive(Debug, PartialEq, Eq)]
pub enum RoundEnd {
    /// Every statement has run.
    Done,
    /// Some statement ran: a new full round has begun for the rest.
    Progressed,
    /// No statement ran: a new full round has begun, which only helps if the caller changes
    /// something first.
    Stalled,
}

impl<T> Rounds<T> {
    /// The first round over `items`, statements that have failed once already: all of them to
    /// try in order, each woken as soon as what it waits for may exist.
    pub fn new(items: impl IntoIterator<Item = T>) -> Self {
        let items: Vec<Option<T>> = items.into_iter().map(Some).collect();
        let ready = (0..items.len()).collect();
        Rounds { items, ready, waiters: HashMap::new(), progressed: false, waking: true }
    }

    /// Rounds over every statement of the files, whose first round runs them strictly in file
    /// order as a client would (a woken statement must not run ahead of the ones after it: a
    /// second `COMMENT`, an enum's next value or a column added later would then come first,
    /// and it would run under their session settings); wake-ups start with the second round.
    pub fn in_file_order(items: impl IntoIterator<Item = T>) -> Self {
        Rounds { waking: false, ..Rounds::new(items) }
    }

    /// The position of the next statement to try in this round; `None` when the round is over.
    pub fn next_to_try(&mut self) -> Option<usize> {
        while let Some(i) = self.ready.pop_first() {
            if self.items[i].is_some() {
                return Some(i);
            }
        }
        None
    }

    /// Gives back the statement at `i`, taken by [`Rounds::next_to_try`] but not tried (a batch
    /// stopped before it): it is taken again in this round, in its place in file order.
    pub fn put_back(&mut self, i: usize) {
        self.ready.insert(i);
    }

    /// True when a failed statement's name is used (after a first round in file order): a
    /// caller may skip working it out before.
    pub fn waking(&self) -> bool {
        self.waking
    }

    /// The statement at `i`, to read (several at once, as a batch's texts).
    pub fn get(&self, i: usize) -> &T {
        self.items[i].as_ref().expect("a statement that has not run")
    }

    /// The statement at `i`, which has not run yet.
    pub fn item(&mut self, i: usize) -> &mut T {
        self.items[i].as_mut().expect("a statement that has not run")
    }

    /// Records that the statement at `i` ran, and wakes the statements that wait for a name
    /// it mentions (`mentions` of it, see [`mentioned_names`]; asked only once statements are
    /// woken, so a first round in file order does not read every statement twice). Returns the
    /// statement.
    pub fn ran<I, S>(&mut self, i: usize, mentions: impl FnOnce(&T) -> I) -> T
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.progressed = true;
        let item = self.items[i].take().expect("a statement that has not run");
        if self.waking {
            for name in mentions(&item) {
                if let Some(woken) = self.waiters.remove(name.as_ref()) {
                    self.ready.extend(woken);
                }
            }
        }
        item
    }

    /// Records that the statement at `i` failed waiting for `name` (the object's own name,
    /// unqualified, as [`mentioned_names`] spells it): it runs again when a statement that
    /// mentions the name runs. Without a name, it waits for the next full round.
    pub fn wait(&mut self, i: usize, name: Option<String>) {
        if let Some(name) = name.filter(|_| self.waking) {
            self.waiters.entry(name).or_default().push(i);
        }
    }

    /// Ends the round (once [`Rounds::next_to_try`] has said it is over) and begins the next one.
    pub fn end_round(&mut self) -> RoundEnd {
        self.waiters.clear();
        self.waking = true;
        self.ready = self.items.iter().enumerate().filter(|(_, item)| item.is_some()).map(|(i, _)| i).collect();
        if self.ready.is_empty() {
            RoundEnd::Done
        } else if std::mem::take(&mut self.progressed) {
            RoundEnd::Progressed
        } else {
            RoundEnd::Stalled
        }
    }

    /// The statements that have not run, in file order.
    pub fn into_waiting(self) -> Vec<T> {
        self.items.into_iter().flatten().collect()
    }
}

/// The identifiers a statement's text mentions, as `dialect` resolves them (PostgreSQL folds
/// the ASCII letters of unquoted ones to lower case): the names whose waiters it wakes when it
/// runs. Every word counts, keywords and column names too: a waiter woken for nothing fails
/// again and waits again. Text that does
/// not tokenize mentions nothing; its waiters still run in the next full round.
pub fn mentioned_names(dialect: Dialect, text: &str) -> Vec<String> {
    let Ok(tokens) = tokenize(dialect, text) else { return Vec::new() };
    tokens
        .iter()
        .filter_map(|t| match &t.token {
            Token::Word(w) if dialect == Dialect::Postgres && w.quote_style.is_none() => {
                Some(w.value.to_ascii_lowercase())
            }
            Token::Word(w) => Some(ident_value(dialect, w)),
            _ => None,
        })
        .collect()
}

/// The object's own name in a server's message about a missing object: the text between the
/// first pair of `quote`s (`relation "s.t" does not exist`, `Table 'db.t' doesn't exist`),
/// after its last dot.
pub fn quoted_name_in(message: &str, quote: char) -> Option<String> {
    let (_, rest) = message.split_once(quote)?;
    let (name, _) = rest.split_once(quote)?;
    let own = name.rsplit('.').next().unwrap_or(name);
    (!own.is_empty()).then(|| own.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `defines` (statement i defines `defines[i]` and needs `needs[i]`) through the
    /// rounds, as a caller does, and returns the order they ran in and how many tries it took.
    fn run(defines: &[&str], needs: &[Option<&str>]) -> (Vec<usize>, usize) {
        let mut defined: Vec<String> = Vec::new();
        let mut rounds = Rounds::new(0..defines.len());
        let (mut order, mut tries) = (Vec::new(), 0);
        loop {
            while let Some(i) = rounds.next_to_try() {
                tries += 1;
                let id = *rounds.item(i);
                match needs[id] {
                    Some(n) if !defined.iter().any(|d| d == n) => rounds.wait(i, Some(n.to_string())),
                    _ => {
                        defined.push(defines[id].to_string());
                        order.push(rounds.ran(i, |_| [defines[id]]));
                    }
                }
            }
            match rounds.end_round() {
                RoundEnd::Done => return (order, tries),
                RoundEnd::Progressed => {}
                RoundEnd::Stalled => return (order, tries),
            }
        }
    }

    #[test]
    fn a_backward_chain_runs_in_one_round() {
        // t0 needs t1, t1 needs t2, …, the last needs nothing: each runs once it is woken.
        let n = 500;
        let names: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
        let defines: Vec<&str> = names.iter().map(String::as_str).collect();
        let needs: Vec<Option<&str>> = (0..n).map(|i| defines.get(i + 1).copied()).collect();
        let (order, tries) = run(&defines, &needs);
        assert_eq!(order, (0..n).rev().collect::<Vec<_>>());
        assert_eq!(tries, 2 * n - 1, "each statement fails once at most");
    }

    #[test]
    fn file_order_holds_among_ready_statements() {
        // 0 and 2 wait for what 3 defines; 1 needs nothing. 0 and 2 run after 3, in order.
        let (order, _) = run(&["a", "b", "c", "x"], &[Some("x"), None, Some("x"), None]);
        assert_eq!(order, vec![1, 3, 0, 2]);
    }

    #[test]
    fn read_in_file_order_the_first_round_wakes_nobody() {
        // 0 waits for what 1 defines; read as a file, 2 still runs before 0 is tried again.
        let mut rounds = Rounds::in_file_order([0, 1, 2]);
        let mut order = Vec::new();
        while let Some(i) = rounds.next_to_try() {
            if i == 0 && order.is_empty() {
                rounds.wait(i, Some("x".into()));
            } else {
                order.push(rounds.ran(i, |_| ["x"]));
            }
        }
        assert_eq!(order, vec![1, 2]);
        assert_eq!(rounds.end_round(), RoundEnd::Progressed);
        assert_eq!(rounds.next_to_try(), Some(0));
    }

    #[test]
    fn statements_put_back_are_taken_again_in_file_order() {
        let mut rounds = Rounds::in_file_order(["a", "b", "c", "d"]);
        let taken: Vec<usize> = (0..3).filter_map(|_| rounds.next_to_try()).collect();
        assert_eq!(taken, [0, 1, 2]);
        rounds.ran(0, |_| ["a"]);
        rounds.put_back(2);
        rounds.put_back(1);
        let again: Vec<usize> = std::iter::from_fn(|| rounds.next_to_try()).collect();
        assert_eq!(again, [1, 2, 3]);
    }

    #[test]
    fn a_statement_without_a_name_waits_for_the_next_round() {
        let mut rounds = Rounds::new(["first", "second"]);
        let i = rounds.next_to_try().unwrap();
        rounds.wait(i, None);
        let j = rounds.next_to_try().unwrap();
        assert_eq!(rounds.ran(j, |_| ["anything"]), "second");
        assert_eq!(rounds.next_to_try(), None);
        assert_eq!(rounds.end_round(), RoundEnd::Progressed);
        assert_eq!(rounds.next_to_try(), Some(0));
        rounds.wait(0, Some("never".into()));
        assert_eq!(rounds.next_to_try(), None);
        assert_eq!(rounds.end_round(), RoundEnd::Stalled);
        assert_eq!(rounds.into_waiting(), vec!["first"]);
    }

    #[test]
    fn names_are_read_as_the_dialect_resolves_them() {
        let names = mentioned_names(Dialect::Postgres, r#"CREATE TABLE S."My T" (a int REFERENCES Other)"#);
        assert!(names.contains(&"s".to_string()) && names.contains(&"My T".to_string()));
        assert!(names.contains(&"other".to_string()));
        assert_eq!(mentioned_names(Dialect::Mysql, "CREATE TABLE Foo (a int)")[2], "Foo");
    }

    #[test]
    fn the_missing_name_is_the_last_part_of_the_quoted_one() {
        assert_eq!(quoted_name_in(r#"relation "s.t" does not exist"#, '"').as_deref(), Some("t"));
        assert_eq!(quoted_name_in(r#"type "mood" does not exist"#, '"').as_deref(), Some("mood"));
        assert_eq!(quoted_name_in("Table 'db.orders' doesn't exist", '\'').as_deref(), Some("orders"));
        assert_eq!(quoted_name_in("function f(integer) does not exist", '"'), None);
    }

    #[test]
    fn mentions_are_asked_for_only_once_statements_wake() {
        let mut rounds = Rounds::in_file_order(["a", "b"]);
        let i = rounds.next_to_try().unwrap();
        rounds.ran(i, |_| -> [&str; 0] { panic!("the first round in file order wakes nobody") });
        let j = rounds.next_to_try().unwrap();
        rounds.wait(j, Some("x".into()));
        assert_eq!(rounds.end_round(), RoundEnd::Progressed);
        let mut asked = false;
        let j = rounds.next_to_try().unwrap();
        rounds.ran(j, |_| {
            asked = true;
            ["x"]
        });
        assert!(asked, "from the second round on, what ran may wake others");
    }
}
