//! Foreign keys taken out of a `CREATE TABLE`, for the replay of desired SQL whose tables refer
//! to each other in a circle (`departments.manager_id` → `employees`, `employees.dept_id` →
//! `departments`): no order of such statements runs, since a foreign key needs its referenced
//! table to exist. The replay creates the tables without those keys and adds the keys after, as
//! `pg_dump` writes them, which is the same catalog the statements describe.
//!
//! The surgery works on tokens and copies every other byte of the statement as written, so the
//! table keeps its options, comments and spellings; a statement it does not recognize is left
//! alone.

use schema_model::sql::significant_tokens;
use schema_model::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use crate::ddl_cursor::{references, Cursor};

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
    let mut c = Cursor::new(sql, significant_tokens(Dialect::Postgres, sql).ok()?);
    let name = table_name(&mut c)?;
    let elements = list_elements(&mut c)?;
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut foreign_keys = Vec::new();
    for (i, &(first, last)) in elements.iter().enumerate() {
        let constraint = c.keyword_at(first) == Some(Keyword::CONSTRAINT);
        if c.keyword_at(first + if constraint { 2 } else { 0 }) == Some(Keyword::FOREIGN) {
            foreign_keys.push(format!("ALTER TABLE {name} ADD {}", c.text(first, last)));
            // The element goes with the comma before it (or after it, when it is the first).
            let toks = &c.toks;
            cuts.push(match (i, elements.get(i + 1)) {
                (0, Some(&(next, _))) => (toks[first].start, toks[next].start),
                (0, None) => (toks[first].start, toks[last - 1].end),
                _ => (toks[elements[i - 1].1].start, toks[last - 1].end),
            });
        } else if !starts_table_constraint(&c, first) {
            for (from, to) in column_references(&mut c, first + 1, last) {
                let column = c.text(first, first + 1);
                let (named, clause) = match c.keyword_at(from) == Some(Keyword::CONSTRAINT) {
                    true => (format!("{} ", c.text(from, from + 2)), c.text(from + 2, to)),
                    false => (String::new(), c.text(from, to)),
                };
                foreign_keys.push(format!("ALTER TABLE {name} ADD {named}FOREIGN KEY ({column}) {clause}"));
                cuts.push((c.toks[from].start, c.toks[to - 1].end));
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

/// The (qualified) name in `CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name (`, as written,
/// leaving the cursor at the `(` that opens the column list.
fn table_name<'a>(c: &mut Cursor<'a>) -> Option<&'a str> {
    if !c.eat_kw(Keyword::CREATE) {
        return None;
    }
    while [Keyword::GLOBAL, Keyword::LOCAL, Keyword::TEMP, Keyword::TEMPORARY, Keyword::UNLOGGED]
        .iter()
        .any(|&k| c.eat_kw(k))
    {}
    if !c.eat_kw(Keyword::TABLE) {
        return None;
    }
    if c.eat_kw(Keyword::IF) {
        c.pos += 2;
    }
    // A name of one to three parts, then the list.
    let start = c.pos;
    for part in 0..3 {
        if !matches!(c.next(), Some(Token::Word(_))) {
            return None;
        }
        if part == 2 || !matches!(c.peek(), Some(Token::Period)) {
            break;
        }
        c.pos += 1;
    }
    (c.peek() == Some(&Token::LParen)).then(|| c.text(start, c.pos))
}

/// The elements of the list that starts at the cursor's `(`, as (first, end) token indexes
/// (empty elements skipped); None when the list does not close.
fn list_elements(c: &mut Cursor<'_>) -> Option<Vec<(usize, usize)>> {
    c.pos += 1;
    let mut out = Vec::new();
    loop {
        let first = c.pos;
        c.skip_to_item_end();
        if c.pos > first {
            out.push((first, c.pos));
        }
        match c.next()? {
            Token::Comma => {}
            _ => return Some(out),
        }
    }
}

/// True for a list element that is a table constraint or a `LIKE`, not a column.
fn starts_table_constraint(c: &Cursor<'_>, first: usize) -> bool {
    matches!(
        c.keyword_at(first),
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

/// The `[CONSTRAINT name] REFERENCES ...` clauses of the column definition between tokens `at`
/// and `end`, as (first, end) token indexes: the referenced table and columns, `MATCH`, the
/// actions and the deferral options.
fn column_references(c: &mut Cursor<'_>, at: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    c.pos = at;
    while c.pos < end {
        if c.peek() == Some(&Token::LParen) {
            c.group();
        } else if c.eat_kw(Keyword::REFERENCES) {
            let start = c.pos - 1;
            let named = start >= at + 2 && c.keyword_at(start - 2) == Some(Keyword::CONSTRAINT);
            references(c);
            c.pos = c.pos.min(end);
            out.push((if named { start - 2 } else { start }, c.pos));
        } else {
            c.pos += 1;
        }
    }
    out
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
