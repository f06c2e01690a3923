//! Loading desired SQL the exact way: replay it in a scratch database created on the dev
//! server (with the dev database's character set and collation), inspect that, and drop it, so
//! the server itself decides what every statement means. The model's one schema is named after
//! the dev database, never after the scratch one, so repeated runs give the same model.

use std::hash::{BuildHasher, Hasher};

use futures_util::TryStreamExt;
use schema_model::sql::{
    joined_statements, mentioned_names, quoted_name_in, renames_in, significant_tokens, split_statements, RoundEnd,
    Rounds, SourceFile, Statement, STATEMENT_SEPARATOR,
};
use schema_model::{quote_ident, Dialect, Realm};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;
use sqlx::{Connection as _, Either, MySqlConnection};

use super::{catalog, Extras, Server, Target};
use crate::ddl_cursor::{references, Cursor};
use crate::error::db_err;
use crate::{apply_renames, DbUrl, Error, Result};

/// What the dev database holds: tables, views and sequences, routines, events.
const DEV_CONTENTS: &str = concat!(
    "SELECT CAST(CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' WHEN 'SEQUENCE' THEN 'sequence' ELSE 'table' END AS CHAR), ",
    "CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ",
    "UNION ALL SELECT CAST(LOWER(ROUTINE_TYPE) AS CHAR), CAST(ROUTINE_NAME AS CHAR) ",
    "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ",
    "UNION ALL SELECT CAST('event' AS CHAR), CAST(EVENT_NAME AS CHAR) FROM information_schema.EVENTS ",
    "WHERE EVENT_SCHEMA = ? ORDER BY 1, 2"
);

/// The dev database's default character set and collation, which the scratch database gets.
const DEV_DEFAULTS: &str = "SELECT CAST(DEFAULT_CHARACTER_SET_NAME AS CHAR), CAST(DEFAULT_COLLATION_NAME AS CHAR) \
     FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";

/// Replays `files` in order in a scratch database on the server of `dev_url` and returns its
/// model. A statement the server rejects is reported at its place in its file. The scratch
/// database is dropped whatever happens.
pub async fn replay(files: &[SourceFile], dev_url: &DbUrl, home: Option<&DbUrl>) -> Result<Realm> {
    Ok(replay_with_extras(files, dev_url, home).await?.0)
}

/// [`replay`], with what the model has no field for yet. `home` is the database the files
/// describe (the target of a plan or apply): names qualified with its name mean its own
/// objects, so in the scratch database they are read unqualified.
pub async fn replay_with_extras(
    files: &[SourceFile],
    dev_url: &DbUrl,
    home: Option<&DbUrl>,
) -> Result<(Realm, Extras)> {
    if dev_url.dialect != Dialect::Mysql {
        return Err(Error::BadUrl {
            url: dev_url.redacted().into(),
            reason: "the dev database for MySQL SQL must be a mysql:// or mariadb:// URL".into(),
        });
    }
    let target = Target::parse(dev_url)?;
    let home = home.map(Target::parse).transpose()?.map(|t| t.database);
    let mut admin = target.open(dev_url, None).await?;
    let server = Server::detect(&mut admin).await?;
    refuse_non_empty(&mut admin, &target.database, dev_url).await?;
    let (charset, collation): (String, String) = sqlx::query_as(DEV_DEFAULTS)
        .bind(&target.database)
        .fetch_one(&mut admin)
        .await
        .map_err(db_err("reading the dev database's character set"))?;
    let scratch = scratch_name();
    let quoted = quote_ident(Dialect::Mysql, &scratch);
    let create = format!("CREATE DATABASE {quoted} CHARACTER SET {charset} COLLATE {collation}");
    sqlx::raw_sql(&create).execute(&mut admin).await.map_err(db_err(format!(
        "creating the scratch database {scratch} on the dev server {dev_url} (the dev URL's user needs CREATE \
         and DROP on it)"
    )))?;
    let result = replay_in(&target, dev_url, &scratch, server, files, home.as_deref()).await;
    let dropped = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {quoted}")).execute(&mut admin).await.map_err(
        db_err(format!("dropping the scratch database {scratch} on the dev server {dev_url}; drop it by hand")),
    );
    let _ = admin.close().await;
    let (mut realm, extras) = result?;
    dropped?;
    for schema in &mut realm.schemas {
        schema.name = target.database.clone();
    }
    Ok((realm, extras))
}

/// Refuses a dev database that holds anything, listing what it holds.
async fn refuse_non_empty(conn: &mut MySqlConnection, database: &str, dev_url: &DbUrl) -> Result<()> {
    let found: Vec<(String, String)> = sqlx::query_as(DEV_CONTENTS)
        .bind(database)
        .bind(database)
        .bind(database)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err("checking that the dev database is empty"))?;
    if found.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = found.iter().take(10).map(|(kind, name)| format!("{kind} `{name}`")).collect();
    let more = match found.len() {
        n if n > 10 => format!(" and {} more", n - 10),
        _ => String::new(),
    };
    Err(Error::Unsupported(format!(
        "the dev database {dev_url} is not empty: it holds {}{more}. The desired state is replayed into a \
         scratch database that schema creates and drops on that server, and a dev database must hold nothing \
         of its own, so that no object of it can leak into the desired state and a real database is never \
         mistaken for a dev one; point --dev-url at an empty database (for example one made with CREATE \
         DATABASE schema_dev)",
        shown.join(", ")
    )))
}

/// A name no other run uses: the process id and 64 random bits.
fn scratch_name() -> String {
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    format!("schema_dev_{}_{random:016x}", std::process::id())
}

async fn replay_in(
    target: &Target,
    dev_url: &DbUrl,
    scratch: &str,
    server: Server,
    files: &[SourceFile],
    home: Option<&str>,
) -> Result<(Realm, Extras)> {
    let mut conn = target.open(dev_url, Some(scratch)).await?;
    let result = run_files(&mut conn, scratch, server, files, home).await;
    let _ = conn.close().await;
    result
}

async fn run_files(
    conn: &mut MySqlConnection,
    scratch: &str,
    server: Server,
    files: &[SourceFile],
    home: Option<&str>,
) -> Result<(Realm, Extras)> {
    let mut pending = Vec::new();
    let mut definers = Vec::new();
    for file in files {
        for mut st in split_statements(Dialect::Mysql, file)? {
            refuse_escape(file, &st)?;
            if let Some(home) = home {
                st.text = unqualify(&st.text, home);
            }
            definers.extend(event_with_definer(&st.text));
            pending.push((file, st));
        }
    }
    // A statement that fails is tried again after the others ([`Rounds`]: as soon as a
    // statement that mentions the table it missed has run, and round after round while a
    // round runs one), so files may name objects created further down; then the first
    // statement that still fails is reported at its place. The first round, in file order,
    // sends several statements per round trip ([`try_batch`]); retries go one at a time. Its
    // batches grow only once a statement has run, so a first round that runs nothing sends
    // each statement alone: an error is always reported as the server words it for the
    // statement alone (a syntax error quotes the text after it, which a batch runs on into).
    let mut rounds = Rounds::in_file_order(pending.into_iter().map(|(file, st)| (file, st, None)));
    let mut limit = 1;
    loop {
        while let Some(i) = rounds.next_to_try() {
            if rounds.waking() {
                try_alone(conn, &mut rounds, i).await;
            } else {
                limit = try_batch(conn, &mut rounds, i, limit).await;
            }
        }
        match rounds.end_round() {
            RoundEnd::Done => break,
            RoundEnd::Progressed => {}
            RoundEnd::Stalled => {
                let (file, st, e) = rounds.into_waiting().swap_remove(0);
                return Err(rejected(file, &st, &e.expect("a statement that failed"), scratch, server));
            }
        }
    }
    let (mut realm, extras) = catalog::inspect(conn, scratch, server).await?;
    // An event's definer is desired only where a statement states it; elsewhere it is
    // whoever runs the plan, as on the server.
    for event in realm.schemas.iter_mut().flat_map(|s| s.events.iter_mut()) {
        if !definers.contains(&event.name.to_lowercase()) {
            event.definer = None;
        }
    }
    for file in files {
        let directives = renames_in(Dialect::Mysql, file)?;
        apply_renames(&mut realm, file, &directives)?;
    }
    Ok((realm, extras))
}

/// A statement to replay: its file, itself, and the error of its last try.
type Pending<'a> = (&'a SourceFile, Statement, Option<sqlx::Error>);

/// The most statement text one round trip of the first round carries: far below the smallest
/// default `max_allowed_packet` (4 MiB, MySQL 5.7).
const BATCH_BYTES: usize = 1 << 20;

/// Runs the statement at `i` in a round trip of its own and records how it went; true when it
/// ran.
async fn try_alone(conn: &mut MySqlConnection, rounds: &mut Rounds<Pending<'_>>, i: usize) -> bool {
    let outcome = sqlx::raw_sql(&rounds.get(i).1.text).execute(&mut *conn).await;
    let Err(e) = outcome else {
        record_ran(rounds, i);
        return true;
    };
    record_failure(conn, rounds, i, e).await;
    false
}

/// Runs the statement at `first` and the ready ones after it (see [`take_batch`]) as one
/// multi-statement query, which the server runs in order up to the first that fails: the
/// results counted say how many ran, the failed one is recorded as [`try_alone`] would, and
/// those after it go back to be tried next. Returns the next batch's limit: twice this one
/// when all ran, else as many as ran before the failure (at least one), so that the text sent
/// again after a failure stays within what ran (a file written backwards, every statement
/// failing once, would otherwise send its rest again after each).
async fn try_batch(conn: &mut MySqlConnection, rounds: &mut Rounds<Pending<'_>>, first: usize, limit: usize) -> usize {
    let batch = take_batch(rounds, first, limit);
    if let [i] = batch[..] {
        return if try_alone(conn, rounds, i).await { limit.saturating_mul(2) } else { 1 };
    }
    let text = joined_statements(batch.iter().map(|&i| rounds.get(i).1.text.as_str()));
    let (ran, error) = run_joined(conn, &text).await;
    match &error {
        None if ran == batch.len() => {}
        Some(_) if ran < batch.len() => {}
        // The server read the text otherwise than the split (more or fewer statements): which
        // ran is unknown, so each is run alone and recorded by its own outcome.
        _ => {
            for &i in &batch {
                try_alone(conn, rounds, i).await;
            }
            return 1;
        }
    }
    for &i in &batch[..ran] {
        record_ran(rounds, i);
    }
    let Some(e) = error else { return limit.saturating_mul(2) };
    record_failure(conn, rounds, batch[ran], e).await;
    for &i in &batch[ran + 1..] {
        rounds.put_back(i);
    }
    ran.max(1)
}

/// `first` and the ready statements after it in file order that share its round trip: at most
/// `limit` statements and [`BATCH_BYTES`] of text, none that must go [`alone`].
fn take_batch(rounds: &mut Rounds<Pending<'_>>, first: usize, limit: usize) -> Vec<usize> {
    let mut batch = vec![first];
    let mut bytes = rounds.get(first).1.text.len();
    if alone(&rounds.get(first).1.text) {
        return batch;
    }
    while batch.len() < limit {
        let Some(i) = rounds.next_to_try() else { break };
        let text = &rounds.get(i).1.text;
        bytes += STATEMENT_SEPARATOR.len() + text.len();
        if bytes > BATCH_BYTES || alone(text) {
            rounds.put_back(i);
            break;
        }
        batch.push(i);
    }
    batch
}

/// True for a statement that goes in a round trip of its own, where counting results could go
/// wrong: one with a `;` of its own (a body, or an executable comment the split kept whole),
/// which may be several statements to the server; one that may answer with several results
/// (CALL, EXECUTE, MariaDB's compound statements); or one that may open a stored program's
/// body, which the server would read on past a separator if the split had cut the body short.
fn alone(text: &str) -> bool {
    if text.contains(';') {
        return true;
    }
    let Ok(tokens) = significant_tokens(Dialect::Mysql, text) else { return true };
    let is = |t: &Token, words: &[&str]| match t {
        Token::Word(w) if w.quote_style.is_none() => words.iter().any(|k| w.value.eq_ignore_ascii_case(k)),
        _ => false,
    };
    let anywhere = ["CALL", "EXECUTE", "PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE"];
    let opening = ["BEGIN", "IF", "CASE", "LOOP", "REPEAT", "WHILE", "FOR"];
    let labelled = tokens.get(1).is_some_and(|t| t.token == Token::Colon);
    labelled || tokens.first().is_some_and(|t| is(&t.token, &opening)) || tokens.iter().any(|t| is(&t.token, &anywhere))
}

/// Sends `text` (statements joined by [`joined_statements`]) in one round trip: how many results came
/// back (one per statement that ran, rows aside) and the error that stopped the rest.
async fn run_joined(conn: &mut MySqlConnection, text: &str) -> (usize, Option<sqlx::Error>) {
    let mut answers = sqlx::raw_sql(text).fetch_many(&mut *conn);
    let mut results = 0;
    loop {
        match answers.try_next().await {
            Ok(Some(Either::Left(_))) => results += 1,
            Ok(Some(Either::Right(_))) => {}
            Ok(None) => return (results, None),
            Err(e) => return (results, Some(e)),
        }
    }
}

/// Records that the statement at `i` ran, waking those that wait for a name it mentions.
fn record_ran(rounds: &mut Rounds<Pending<'_>>, i: usize) {
    rounds.ran(i, |(_, st, _)| mentioned_names(Dialect::Mysql, &st.text).into_iter().map(|n| n.to_lowercase()));
}

/// Records that the statement at `i` failed with `e`: it keeps the error and, once failed
/// statements are woken by name, waits for the table it missed.
async fn record_failure(conn: &mut MySqlConnection, rounds: &mut Rounds<Pending<'_>>, i: usize, e: sqlx::Error) {
    let name = if rounds.waking() { missing_table(conn, &rounds.get(i).1.text, &e).await } else { None };
    rounds.item(i).2 = Some(e);
    rounds.wait(i, name);
}

/// The tables of the database the replay runs in (own names, lower case), narrowed by the caller.
const TABLES_PRESENT: &str =
    "SELECT CAST(LOWER(TABLE_NAME) AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()";

/// The table (own name, lower case) whose absence made `e` fail: the one MySQL names
/// (`Table 'db.t' doesn't exist`, `Failed to open the referenced table 't'`), or for MariaDB's
/// `errno: 150` on a foreign key the first table the statement refers to that does not exist
/// yet (one query); None for other errors, or when that query fails.
async fn missing_table(conn: &mut MySqlConnection, text: &str, e: &sqlx::Error) -> Option<String> {
    let sqlx::Error::Database(d) = e else { return None };
    let code = d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>().map(|m| m.number());
    match code {
        Some(1146 | 1824) => quoted_name_in(d.message(), '\'').map(|n| n.to_lowercase()),
        Some(1005) if d.message().contains("errno: 150") => {
            let referenced = referenced_tables(text);
            if referenced.is_empty() {
                return None;
            }
            let marks = vec!["?"; referenced.len()].join(", ");
            let query = format!("{TABLES_PRESENT} AND LOWER(TABLE_NAME) IN ({marks})");
            let mut q = sqlx::query_scalar::<_, String>(&query);
            for name in &referenced {
                q = q.bind(name);
            }
            // Without the answer the statement just waits for the next round.
            let present = q.fetch_all(&mut *conn).await.ok()?;
            referenced.into_iter().find(|n| !present.contains(n))
        }
        _ => None,
    }
}

/// The own names (lower case) of the tables after each `REFERENCES` in `text`, read by the
/// shared DDL cursor.
fn referenced_tables(text: &str) -> Vec<String> {
    let Ok(tokens) = significant_tokens(Dialect::Mysql, text) else { return Vec::new() };
    let mut c = Cursor::new(text, tokens);
    let mut out = Vec::new();
    while c.peek().is_some() {
        if c.eat_kw(Keyword::REFERENCES) {
            out.push(references(&mut c).table.to_lowercase());
        } else {
            c.pos += 1;
        }
    }
    out
}

/// `text` with every `home.` qualifier (quoted or not) blanked out, so the name after it means
/// the object of the database the statement runs in. Blanks keep every offset, so errors
/// still point at the right place.
fn unqualify(text: &str, home: &str) -> String {
    let Ok(tokens) = significant_tokens(Dialect::Mysql, text) else { return text.to_string() };
    let mut out = text.to_string();
    for pair in tokens.windows(3) {
        let is_home = matches!(&pair[0].token, Token::Word(w) if w.value == home);
        let then_name = pair[1].token == Token::Period && matches!(pair[2].token, Token::Word(_));
        if is_home && then_name {
            let (from, to) = (pair[0].start, pair[1].end);
            out.replace_range(from..to, &" ".repeat(to - from));
        }
    }
    out
}

/// The name (lower case) of the event a `CREATE|ALTER DEFINER = ... EVENT [IF NOT EXISTS]
/// [db.]name` statement defines, when it states a definer.
fn event_with_definer(text: &str) -> Option<String> {
    let tokens = significant_tokens(Dialect::Mysql, text).ok()?;
    let words: Vec<Option<String>> = tokens
        .iter()
        .map(|t| match &t.token {
            Token::Word(w) => {
                Some(if w.quote_style.is_none() { w.value.to_ascii_uppercase() } else { w.value.clone() })
            }
            _ => None,
        })
        .collect();
    let is = |i: usize, k: &str| words.get(i).and_then(|w| w.as_deref()) == Some(k);
    if !(is(0, "CREATE") || is(0, "ALTER")) || !is(1, "DEFINER") {
        return None;
    }
    let mut at = words.iter().position(|w| w.as_deref() == Some("EVENT"))? + 1;
    while is(at, "IF") || is(at, "NOT") || is(at, "EXISTS") {
        at += 1;
    }
    if tokens.get(at + 1).is_some_and(|t| t.token == Token::Period) {
        at += 2;
    }
    match &tokens.get(at)?.token {
        Token::Word(w) => Some(w.value.to_lowercase()),
        _ => None,
    }
}

/// Refuses statements that would act outside the scratch database, and the client-only
/// `DELIMITER` command.
fn refuse_escape(file: &SourceFile, st: &Statement) -> Result<()> {
    let Ok(tokens) = significant_tokens(Dialect::Mysql, &st.text) else { return Ok(()) };
    let word = |i: usize| match tokens.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
        _ => String::new(),
    };
    let (first, second) = (word(0), word(1));
    let why = match (first.as_str(), second.as_str()) {
        ("USE", _) => {
            "USE would leave the scratch database the desired state is replayed in; desired-state files \
             describe one database and name no other"
        }
        ("CREATE" | "DROP" | "ALTER", "DATABASE" | "SCHEMA") => {
            "desired-state files describe the objects of one database; they do not create, change or drop databases"
        }
        ("DELIMITER", _) => {
            "DELIMITER is a command of the mysql client, not SQL; write trigger and routine bodies with plain \
             semicolons (schema keeps BEGIN ... END bodies whole)"
        }
        _ => return Ok(()),
    };
    let head = tokens.first().map(|t| (st.start + t.start, t.end - t.start)).unwrap_or((st.start, 0));
    Err(file.error_at(head, format!("this statement is not allowed here: {why}"), "not allowed", None).into())
}

/// The error for a statement the server rejected: at the place a syntax error names, or at
/// the first name the message quotes, else over the whole statement.
fn rejected(file: &SourceFile, st: &Statement, e: &sqlx::Error, scratch: &str, server: Server) -> Error {
    let hide = |text: &str| {
        text.replace(&format!("{scratch}."), "").replace(&format!("`{scratch}`."), "").replace(scratch, "<scratch>")
    };
    let sqlx::Error::Database(d) = e else {
        return Error::Database {
            context: format!("replaying {}", file.name),
            reason: crate::redact_text(&hide(&e.to_string())),
        };
    };
    let reason = hide(d.message());
    let span = syntax_error_at(&st.text, &reason)
        .or_else(|| quoted_name_at(&st.text, &reason))
        .map(|(at, len)| (st.start + at, len))
        .unwrap_or((st.start, st.end - st.start));
    let who = if server.mariadb { "MariaDB" } else { "MySQL" };
    file.error_at(span, format!("{who} rejected this statement: {reason}"), reason, None).into()
}

/// Where "... near 'TEXT' at line N" points in `text`: TEXT is the rest of the statement (cut
/// after some 80 characters) from the offending token, or from just after it when the server
/// had already read it (then TEXT starts with a blank, or follows a punctuation mark); N is
/// its line within the statement.
fn syntax_error_at(text: &str, message: &str) -> Option<(usize, usize)> {
    let start = message.find(" near '")? + " near '".len();
    let end = message.rfind("' at line ")?;
    let line: usize = message[end + "' at line ".len()..].trim().parse().ok()?;
    let near = message.get(start..end)?;
    let from = if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2)?.0 + 1 };
    if near.is_empty() {
        let at = text.trim_end().len();
        return Some((at, 0));
    }
    let at = match text.len().checked_sub(near.len()) {
        Some(at) if at >= from && text.ends_with(near) => at,
        _ => from + text[from..].find(near)?,
    };
    let read = near.starts_with(char::is_whitespace)
        || text[..at].chars().next_back().is_some_and(|c| !c.is_whitespace() && !is_word(c) && !"'\"`".contains(c));
    if !read {
        return Some((at, token_len(&text[at..])));
    }
    let before = text[..at].trim_end();
    let last = before.chars().next_back()?;
    let start = if is_word(last) {
        before.char_indices().rev().take_while(|&(_, c)| is_word(c)).last().map(|(i, _)| i)?
    } else {
        before.len() - last.len_utf8()
    };
    Some((start, before.len() - start))
}

/// A character of a name.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// The first `'quoted'` name of the message, found as a name in `text`.
fn quoted_name_at(text: &str, message: &str) -> Option<(usize, usize)> {
    let start = message.find('\'')? + 1;
    let name = &message[start..start + message[start..].find('\'')?];
    let name = name.rsplit('.').next()?;
    if name.is_empty() {
        return None;
    }
    let (lower, wanted) = (text.to_lowercase(), name.to_lowercase());
    if lower.len() != text.len() || wanted.len() != name.len() {
        return None;
    }
    let word = |c: Option<char>| c.is_some_and(is_word);
    let at = lower
        .match_indices(&wanted)
        .map(|(i, _)| i)
        .find(|&i| !word(text[..i].chars().next_back()) && !word(text[i + name.len()..].chars().next()))?;
    Some((at, name.len()))
}

/// The length in bytes of the token at the start of `text` (a name, or one character).
fn token_len(text: &str) -> usize {
    match text.chars().next() {
        None => 0,
        Some(c) if is_word(c) => text.find(|c: char| !is_word(c)).unwrap_or(text.len()),
        Some(c) => c.len_utf8(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referenced_tables_are_read_after_each_references() {
        let sql = "CREATE TABLE t (a int, b int, FOREIGN KEY (a) REFERENCES `Users` (id) ON DELETE CASCADE, \
                   CONSTRAINT k FOREIGN KEY (b) REFERENCES app.Orders (id))";
        assert_eq!(referenced_tables(sql), ["users", "orders"]);
        assert!(referenced_tables("CREATE TABLE t (a int)").is_empty());
    }

    #[test]
    fn syntax_errors_are_placed_by_line_and_rest() {
        let text = "CREATE TABLE b (\n  y int,, z int\n)";
        // The server had read the second comma already.
        let msg = "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server \
                   version for the right syntax to use near ' z int\n)' at line 2";
        let (at, len) = syntax_error_at(text, msg).unwrap();
        assert_eq!((&text[at..at + len], at), (",", 25));
        // It had not read the second `int`.
        let text = "CREATE TABLE b (\n  y int int\n)";
        let (at, len) = syntax_error_at(text, "... to use near 'int\n)' at line 2").unwrap();
        assert_eq!((&text[at..at + len], at), ("int", 25));
        let text = "CREATE TABLE b (y int  ";
        let msg = "... for the right syntax to use near '' at line 1";
        assert_eq!(syntax_error_at(text, msg), Some((21, 0)));
    }

    #[test]
    fn quoted_names_are_found_as_whole_words() {
        let text = "CREATE TABLE t (xx int, x int REFERENCES nope (id))";
        let (at, len) = quoted_name_at(text, "Failed to open the referenced table 'nope'").unwrap();
        assert_eq!(&text[at..at + len], "nope");
        let (at, _) = quoted_name_at(text, "Unknown column 'x' in 'field list'").unwrap();
        assert_eq!(&text[at..at + 2], "x ");
        assert_eq!(quoted_name_at(text, "no quotes"), None);
    }

    #[test]
    fn the_home_database_name_is_blanked_where_it_qualifies() {
        let text = "CREATE VIEW v AS SELECT `app`.`u`.`id`, app.u.x, 'app.u' FROM app.u JOIN other.u";
        let got = unqualify(text, "app");
        assert_eq!(got.len(), text.len());
        assert_eq!(
            got.split_whitespace().collect::<Vec<_>>().join(" "),
            "CREATE VIEW v AS SELECT .`u`.`id`, .u.x, 'app.u' FROM .u JOIN other.u".replace(" .", " ")
        );
    }

    #[test]
    fn stated_event_definers_are_found() {
        let stated = "CREATE DEFINER='root'@'%' EVENT IF NOT EXISTS app.`Daily` ON SCHEDULE EVERY 1 DAY DO SELECT 1";
        assert_eq!(event_with_definer(stated).as_deref(), Some("daily"));
        assert_eq!(event_with_definer("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1"), None);
        assert_eq!(event_with_definer("CREATE DEFINER=CURRENT_USER VIEW v AS SELECT 1"), None);
    }

    #[test]
    fn statements_that_may_answer_more_than_once_or_hold_a_body_go_alone() {
        for text in [
            "CALL p()",
            "EXECUTE s",
            "SET STATEMENT max_statement_time = 1 FOR CALL p()",
            "CREATE DEFINER = `root`@`%` PROCEDURE p() BEGIN SELECT 1",
            "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1",
            "ALTER EVENT e DO BEGIN DELETE FROM a",
            "begin not atomic select 1",
            "IF 1 THEN SELECT 1",
            "l: LOOP SELECT 1",
            "/*!50000 CREATE TABLE a (x int); CREATE TABLE b (y int) */",
            "CREATE TABLE t (x int) COMMENT 'a; b'",
        ] {
            assert!(alone(text), "{text}");
        }
        for text in [
            "CREATE TABLE IF NOT EXISTS `call` (`event` int, x int DEFAULT (CASE WHEN 1 THEN 2 END))",
            "ALTER TABLE a ADD COLUMN b int",
            "CREATE VIEW v AS SELECT IF(1, 2, 3) AS x",
            "SELECT 'CALL p()'",
        ] {
            assert!(!alone(text), "{text}");
        }
    }

    #[test]
    fn scratch_names_differ() {
        assert_ne!(scratch_name(), scratch_name());
        assert!(scratch_name().len() <= 64);
    }
}
