//! Loading a MySQL/MariaDB fixture the way sqldef's test runner does, without `schema`'s code:
//! split at top-level semicolons (quotes, comments and `BEGIN ... END` bodies honoured, since
//! the corpus writes trigger bodies without `DELIMITER`), `USE` statements skipped (sqldef
//! ignores them), and the rest run in dependency order through one sqlx connection.

use sqlx::Connection as _;

/// Words after `END` that close a block other than `BEGIN`/`CASE` (which open none here).
const END_OF_OTHER: [&str; 4] = ["IF", "LOOP", "WHILE", "REPEAT"];

/// Splits a MySQL script into trimmed statements without their semicolons; statements that
/// hold only comments are dropped.
pub fn split_statements(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let word_char = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    let (mut out, mut start, mut i, mut code, mut depth) = (Vec::new(), 0, 0, false, 0usize);
    let mut last_word = String::new();
    while i < b.len() {
        let c = b[i];
        if (c == b'-' && b.get(i + 1) == Some(&b'-') && b.get(i + 2).is_none_or(|c| c.is_ascii_whitespace()))
            || c == b'#'
        {
            i = sql[i..].find('\n').map_or(b.len(), |n| i + n);
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = sql[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            continue;
        }
        if matches!(c, b'\'' | b'"' | b'`') {
            if !code {
                (start, code) = (i, true);
            }
            i += 1;
            while i < b.len() {
                let escaped = b[i] == b'\\' && c != b'`';
                if escaped || (b[i] == c && b.get(i + 1) == Some(&c)) {
                    i += 2;
                } else if b[i] == c {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        if word_char(c) {
            let end =
                sql[i..].find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$')).map_or(b.len(), |n| i + n);
            let w = sql[i..end].to_ascii_uppercase();
            let after_end = last_word == "END";
            match w.as_str() {
                // `END CASE`: the END already closed the CASE.
                "CASE" if after_end => {}
                "BEGIN" | "CASE" => depth += 1,
                "END" => depth = depth.saturating_sub(1),
                // `END IF` and the like close blocks that opened nothing: give the END back.
                w if after_end && END_OF_OTHER.contains(&w) => depth += 1,
                _ => {}
            }
            last_word = w;
            if !code {
                (start, code) = (i, true);
            }
            i = end;
            continue;
        }
        if c == b';' {
            if depth == 0 {
                if code {
                    out.push(sql[start..i].trim().to_string());
                }
                start = i + 1;
                code = false;
            }
            last_word.clear();
        } else if !c.is_ascii_whitespace() {
            if !code {
                (start, code) = (i, true);
            }
            last_word.clear();
        }
        i += 1;
    }
    if code {
        out.push(sql[start..].trim().to_string());
    }
    out
}

/// True for `USE db`, which sqldef ignores and which would leave the case's database.
fn is_use(statement: &str) -> bool {
    let first = statement.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or_default();
    first.eq_ignore_ascii_case("USE")
}

/// Loads a script into the database of `url` the way sqldef loads a fixture: statement by
/// statement (`USE` skipped), in dependency order found by retrying. Never panics.
pub fn load_ordered(url: &str, sql: &str) -> Result<usize, String> {
    let pending: Vec<String> = split_statements(sql).into_iter().filter(|s| !is_use(s)).collect();
    if pending.is_empty() {
        return Ok(0);
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let mut conn = rt.block_on(sqlx::MySqlConnection::connect(url)).map_err(|e| format!("cannot connect: {e}"))?;
    let ran = crate::fixpoint::run_until_fixpoint(pending, |st| {
        rt.block_on(sqlx::raw_sql(st).execute(&mut conn)).map(drop).map_err(|e| crate::pg::message(&e))
    });
    let _ = rt.block_on(conn.close());
    ran
}

/// Runs statements in the database of `url` through sqlx, one connection, in order.
pub fn exec(url: &str, sql: &str) -> Result<(), String> {
    crate::pg::block_on(|| async {
        let mut conn = sqlx::MySqlConnection::connect(url).await.map_err(|e| format!("cannot connect: {e}"))?;
        let done = sqlx::raw_sql(sql).execute(&mut conn).await.map(drop).map_err(|e| crate::pg::message(&e));
        let _ = conn.close().await;
        done
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_quotes_and_comments_keep_their_semicolons() {
        let sql = "CREATE TABLE `a;b` (x text DEFAULT 'it''s; \\'; fine');\n\
                   # a comment; here\n-- and here;\n\
                   CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n\
                     IF NEW.x = 'y' THEN SET NEW.x = CASE WHEN 1 THEN 'a' END; END IF;\n\
                     CASE NEW.x WHEN 'b' THEN SET NEW.x = 'c'; END CASE;\n\
                   END;\n\
                   /* block; */ USE other;\nCREATE VIEW v AS SELECT 1";
        let got = split_statements(sql);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[1].starts_with("CREATE TRIGGER") && got[1].ends_with("END"), "{}", got[1]);
        assert!(is_use(&got[2]) && !is_use(&got[3]), "{got:?}");
    }
}
