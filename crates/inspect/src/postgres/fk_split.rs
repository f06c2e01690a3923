//! Foreign keys taken out of a `CREATE TABLE`, for the replay of desired SQL whose tables refer
//! to each other in a circle (`departments.manager_id` → `employees`, `employees.dept_id` →
//! `departments`): no order of such statements runs, since a foreign key needs its referenced
//! table to exist. The replay creates the tables without those keys and adds the keys after, as
//! `pg_dump` writes them, which is the same catalog the statements describe.
//!
//! The surgery works on tokens and copies every other byte of the statement as written, so the
//! table keeps its options, comments and spellings; a statement it does not recognize is left
//! alone.

use schema_model::sql::{significant_tokens, SpannedToken};
use schema_model::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

/// A `CREATE TABLE` without its foreign keys, and the `ALTER TABLE ... ADD` statements that add
/// them back.
#[derive(Debug, PartialEq)]
pub struct Split {
    /// The statement with every foreign key cut out.
    pub create: String,
    /// One `ALTER TABLE name ADD [CONSTRAINT c] FOREIGN KEY ...` per key, in the order written.
    pub foreign_keys: Vec<String>,
}

/// `sql` split into the table and its foreign keys, or None when it is not a `CREATE TABLE`
/// with a column list that holds a foreign key (or its tokens cannot be read).
pub fn split_foreign_keys(sql: &str) -> Option<Split> {
    let tokens = significant_tokens(Dialect::Postgres, sql).ok()?;
    let (from, open) = table_list_start(&tokens)?;
    let name = &sql[tokens[from].start..tokens[open - 1].end];
    let close = matching_paren(&tokens, open)?;
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut foreign_keys = Vec::new();
    let elements = split_at_commas(&tokens, open + 1, close);
    for (i, &(first, last)) in elements.iter().enumerate() {
        let element = &tokens[first..last];
        let text = |from: usize, to: usize| &sql[tokens[from].start..tokens[to - 1].end];
        if is_table_foreign_key(element) {
            foreign_keys.push(format!("ALTER TABLE {name} ADD {}", text(first, last)));
            // The element goes with the comma before it (or after it, when it is the first).
            cuts.push(match (i, elements.get(i + 1)) {
                (0, Some(&(next, _))) => (tokens[first].start, tokens[next].start),
                (0, None) => (tokens[first].start, tokens[last - 1].end),
                _ => (tokens[elements[i - 1].1].start, tokens[last - 1].end),
            });
        } else if !starts_table_constraint(element) {
            let column = text(first, first + 1);
            let mut at = first + 1;
            while let Some((from, to)) = column_reference(&tokens, at, last) {
                let clause = text(from, to);
                let (named, references) = match word_at(&tokens, from) == Some(Keyword::CONSTRAINT) {
                    true => (format!("{} ", text(from, from + 2)), text(from + 2, to)),
                    false => (String::new(), clause),
                };
                foreign_keys.push(format!("ALTER TABLE {name} ADD {named}FOREIGN KEY ({column}) {references}"));
                cuts.push((tokens[from].start, tokens[to - 1].end));
                at = to;
            }
        }
    }
    if foreign_keys.is_empty() {
        return None;
    }
    let mut create = String::with_capacity(sql.len());
    let mut kept = 0;
    for (from, to) in cuts {
        create.push_str(&sql[kept..from]);
        kept = to;
    }
    create.push_str(&sql[kept..]);
    Some(Split { create, foreign_keys })
}

/// The first token of the (qualified) name in `CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS]
/// name (`, and the index of the `(` that opens its column list.
fn table_list_start(tokens: &[SpannedToken]) -> Option<(usize, usize)> {
    let mut i = usize::from(word_at(tokens, 0) == Some(Keyword::CREATE));
    if i == 0 {
        return None;
    }
    while matches!(
        word_at(tokens, i),
        Some(Keyword::GLOBAL | Keyword::LOCAL | Keyword::TEMP | Keyword::TEMPORARY | Keyword::UNLOGGED)
    ) {
        i += 1;
    }
    if word_at(tokens, i) != Some(Keyword::TABLE) {
        return None;
    }
    i += 1;
    if word_at(tokens, i) == Some(Keyword::IF) {
        i += 3;
    }
    // A name of one to three parts, then the list.
    let (name, mut parts) = (i, 0);
    while matches!(tokens.get(i).map(|t| &t.token), Some(Token::Word(_))) && parts < 3 {
        parts += 1;
        i += 1;
        if tokens.get(i).map(|t| &t.token) != Some(&Token::Period) {
            break;
        }
        i += 1;
    }
    (parts > 0 && tokens.get(i).map(|t| &t.token) == Some(&Token::LParen)).then_some((name, i))
}

/// The index of the `)` that closes the `(` at `open`.
fn matching_paren(tokens: &[SpannedToken], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The elements between `from` and `to` (token indexes, end exclusive) split at the commas
/// outside parentheses, as (first, end) index pairs; empty elements are skipped.
fn split_at_commas(tokens: &[SpannedToken], from: usize, to: usize) -> Vec<(usize, usize)> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0usize, from);
    for (i, t) in tokens.iter().enumerate().take(to).skip(from) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                if i > start {
                    out.push((start, i));
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if to > start {
        out.push((start, to));
    }
    out
}

/// The keyword of the unquoted word at `i`, if there is one.
fn word_at(tokens: &[SpannedToken], i: usize) -> Option<Keyword> {
    match tokens.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    }
}

/// True for `[CONSTRAINT name] FOREIGN KEY ...` as a list element.
fn is_table_foreign_key(element: &[SpannedToken]) -> bool {
    let at = if word_at(element, 0) == Some(Keyword::CONSTRAINT) { 2 } else { 0 };
    word_at(element, at) == Some(Keyword::FOREIGN)
}

/// True for a list element that is a table constraint or a `LIKE`, not a column.
fn starts_table_constraint(element: &[SpannedToken]) -> bool {
    matches!(
        word_at(element, 0),
        Some(
            Keyword::CONSTRAINT
                | Keyword::PRIMARY
                | Keyword::UNIQUE
                | Keyword::CHECK
                | Keyword::EXCLUDE
                | Keyword::FOREIGN
                | Keyword::LIKE
        )
    )
}

/// The next `[CONSTRAINT name] REFERENCES ...` clause of a column definition at or after `at`
/// (before `end`, outside parentheses), as (first, end) token indexes: the referenced table and
/// columns, `MATCH`, the `ON DELETE` / `ON UPDATE` actions and the deferral options.
fn column_reference(tokens: &[SpannedToken], at: usize, end: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut i = at;
    let start = loop {
        if i >= end {
            return None;
        }
        match tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ if depth == 0 && word_at(tokens, i) == Some(Keyword::REFERENCES) => break i,
            _ => {}
        }
        i += 1;
    };
    let first =
        if start >= at + 2 && word_at(tokens, start - 2) == Some(Keyword::CONSTRAINT) { start - 2 } else { start };
    // The referenced name, then its optional column list.
    if start + 1 >= end || !matches!(tokens[start + 1].token, Token::Word(_)) {
        return None;
    }
    let mut i = start + 2;
    while i + 1 < end && tokens[i].token == Token::Period && matches!(tokens[i + 1].token, Token::Word(_)) {
        i += 2;
    }
    i = skip_parens(tokens, i, end);
    loop {
        i = match (word_at(tokens, i), word_at(tokens, i + 1)) {
            (Some(Keyword::MATCH), _) => i + 2,
            (Some(Keyword::ON), Some(Keyword::DELETE | Keyword::UPDATE)) => action_end(tokens, i + 2, end),
            (Some(Keyword::DEFERRABLE), _) => i + 1,
            (Some(Keyword::NOT), Some(Keyword::DEFERRABLE)) => i + 2,
            (Some(Keyword::INITIALLY), _) => i + 2,
            _ => break,
        }
        .min(end);
    }
    Some((first, i))
}

/// The end of a referential action starting at `i`: `NO ACTION`, `RESTRICT`, `CASCADE`, or
/// `SET NULL` / `SET DEFAULT` with an optional column list.
fn action_end(tokens: &[SpannedToken], i: usize, end: usize) -> usize {
    match word_at(tokens, i) {
        Some(Keyword::NO | Keyword::SET) => skip_parens(tokens, i + 2, end),
        _ => i + 1,
    }
}

/// `i` past a parenthesized group that starts there, or `i` itself when none does.
fn skip_parens(tokens: &[SpannedToken], i: usize, end: usize) -> usize {
    if i < end && tokens[i].token == Token::LParen {
        matching_paren(&tokens[..end], i).map_or(end, |close| close + 1)
    } else {
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(sql: &str) -> (String, Vec<String>) {
        let s = split_foreign_keys(sql).unwrap_or_else(|| panic!("no foreign key found in {sql}"));
        (s.create, s.foreign_keys)
    }

    #[test]
    fn table_constraints_move_to_alter_table_with_their_names() {
        let (create, fks) = split(
            "CREATE TABLE departments (\n  dept_id int PRIMARY KEY,\n  manager_id int,\n  CONSTRAINT dept_manager_fk FOREIGN KEY (manager_id) REFERENCES employees (emp_id)\n)",
        );
        assert_eq!(create, "CREATE TABLE departments (\n  dept_id int PRIMARY KEY,\n  manager_id int\n)");
        assert_eq!(
            fks,
            ["ALTER TABLE departments ADD CONSTRAINT dept_manager_fk FOREIGN KEY (manager_id) REFERENCES employees (emp_id)"]
        );
    }

    #[test]
    fn inline_references_keep_their_actions_and_leave_the_other_options() {
        let (create, fks) = split(
            "create table \"Order Items\" (id int references \"Orders\" on delete set null not null default 1, \
             b int constraint b_fk references public.p (x) match full on update cascade deferrable initially deferred check (b > 0))",
        );
        assert_eq!(create, "create table \"Order Items\" (id int  not null default 1, b int  check (b > 0))");
        assert_eq!(
            fks,
            [
                "ALTER TABLE \"Order Items\" ADD FOREIGN KEY (id) references \"Orders\" on delete set null",
                "ALTER TABLE \"Order Items\" ADD constraint b_fk FOREIGN KEY (b) references public.p (x) match full on update cascade deferrable initially deferred",
            ]
        );
    }

    #[test]
    fn a_leading_key_takes_the_comma_after_it_and_qualified_names_are_kept() {
        let (create, fks) = split("CREATE UNLOGGED TABLE IF NOT EXISTS s.\"T\" (FOREIGN KEY (a) REFERENCES u, a int)");
        assert_eq!(create, "CREATE UNLOGGED TABLE IF NOT EXISTS s.\"T\" (a int)");
        assert_eq!(fks, ["ALTER TABLE s.\"T\" ADD FOREIGN KEY (a) REFERENCES u"]);
        let (create, _) = split("CREATE TABLE t (FOREIGN KEY (a) REFERENCES u)");
        assert_eq!(create, "CREATE TABLE t ()");
    }

    #[test]
    fn statements_without_keys_or_column_lists_are_left_alone() {
        for sql in [
            "CREATE TABLE t (a int PRIMARY KEY, b text CHECK (b <> 'references'))",
            "CREATE TABLE t AS SELECT 1 AS references_count",
            "CREATE TABLE p PARTITION OF t FOR VALUES IN (1)",
            "CREATE VIEW v AS SELECT 1",
            "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u",
            "CREATE TABLE t (a int REFERENCES",
        ] {
            assert_eq!(split_foreign_keys(sql), None, "{sql}");
        }
    }
}
