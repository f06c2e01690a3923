//! A SQLite catalog snapshot from `sqlite_master` and the pragmas, written independently of
//! `schema`'s inspector. Two databases with the same structure give the same snapshot; column
//! order is ignored (SQLite cannot reorder columns without a rebuild).

use std::path::Path;
use std::process::Command;

/// Runs a query with the `sqlite3` shell and returns its rows (`|`-separated).
fn query(db: &Path, sql: &str) -> Vec<String> {
    let out = Command::new("sqlite3").arg("-batch").arg(db).arg(sql).output().expect("the sqlite3 shell is installed");
    assert!(out.status.success(), "sqlite3 failed on {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// Lower-case, single-spaced, spaces around punctuation removed: a crude but independent
/// normal form for expression text.
pub fn squash(s: &str) -> String {
    let mut out = String::new();
    let mut in_quote = None;
    for c in s.chars() {
        match in_quote {
            Some(q) if c == q => in_quote = None,
            Some(_) => {}
            None if c == '\'' => in_quote = Some(c),
            None => {}
        }
        if in_quote.is_some() || c == '\'' {
            out.push(c);
        } else if c.is_whitespace() || c == '"' || c == '`' {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    let mut s = out.trim().to_string();
    for p in ["(", ")", ",", "=", "<", ">", "+", "-", "*", "/", "|", "."] {
        s = s.replace(&format!(" {p}"), p).replace(&format!("{p} "), p);
    }
    s
}

/// The text inside each balanced `KEYWORD (...)` of a CREATE statement, outside quotes.
fn clauses(sql: &str, keyword: &str) -> Vec<String> {
    let lower = sql.to_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'\'' || c == b'"' || c == b'`' {
            quote = Some(c);
            i += 1;
            continue;
        }
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if boundary && lower[i..].starts_with(keyword) {
            let mut j = i + keyword.len();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'(' {
                let start = j + 1;
                let mut depth = 1;
                let mut k = start;
                let mut q2: Option<u8> = None;
                while k < bytes.len() && depth > 0 {
                    let ch = bytes[k];
                    match q2 {
                        Some(q) if ch == q => q2 = None,
                        Some(_) => {}
                        None if ch == b'\'' || ch == b'"' => q2 = Some(ch),
                        None if ch == b'(' => depth += 1,
                        None if ch == b')' => depth -= 1,
                        None => {}
                    }
                    k += 1;
                }
                out.push(squash(&sql[start..k - 1]));
                i = k;
                continue;
            }
        }
        i += 1;
    }
    out.sort();
    out
}

/// The snapshot as text, one fact a line, sorted, so a failing comparison reads as a diff.
pub fn snapshot(db: &Path) -> String {
    let mut lines = Vec::new();
    let user = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_revisions'";
    for row in query(db, &format!("SELECT type || '|' || lower(name) || '|' || lower(tbl_name) FROM sqlite_master WHERE {user} AND type <> 'index'")) {
        lines.push(format!("object {row}"));
    }
    for table in query(db, &format!("SELECT name FROM sqlite_master WHERE type = 'table' AND {user}")) {
        let t = table.to_lowercase();
        let quoted = table.replace('\'', "''");
        for c in query(db, &format!("SELECT lower(name), upper(type), \"notnull\", coalesce(dflt_value, '<none>'), pk, hidden FROM pragma_table_xinfo('{quoted}')")) {
            let f: Vec<&str> = c.splitn(6, '|').collect();
            lines.push(format!("column {t}.{} type={} notnull={} default={} pk={} hidden={}", f[0], f[1], f[2], squash(f[3]), f[4], f.get(5).unwrap_or(&"")));
        }
        for i in query(db, &format!("SELECT name, \"unique\", origin, partial FROM pragma_index_list('{quoted}')")) {
            let f: Vec<&str> = i.split('|').collect();
            let name = if f[2] == "c" { f[0].to_lowercase() } else { format!("<{}>", f[2]) };
            let cols = query(db, &format!("SELECT coalesce(lower(name), '<expr>') || ':' || \"desc\" || ':' || lower(coll) FROM pragma_index_xinfo('{}') WHERE key = 1 ORDER BY seqno", f[0].replace('\'', "''")));
            lines.push(format!("index {t}.{name} unique={} partial={} cols={}", f[1], f[3], cols.join(",")));
        }
        for fk in query(db, &format!("SELECT lower(\"table\"), group_concat(lower(\"from\"), ','), group_concat(coalesce(lower(\"to\"), '<pk>'), ','), on_update, on_delete FROM pragma_foreign_key_list('{quoted}') GROUP BY id")) {
            lines.push(format!("fk {t} {fk}"));
        }
        let sql =
            query(db, &format!("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{quoted}'")).join("\n");
        for c in clauses(&sql, "check") {
            lines.push(format!("check {t} ({c})"));
        }
        let lower = sql.to_lowercase();
        lines.push(format!(
            "options {t} without_rowid={} strict={} autoincrement={}",
            lower.contains("without rowid"),
            lower.trim_end().ends_with("strict") || lower.contains("strict,") || lower.contains(") strict"),
            lower.contains("autoincrement")
        ));
    }
    for (kind, name, sql) in query(db, &format!("SELECT type, lower(name), replace(sql, char(10), ' ') FROM sqlite_master WHERE type IN ('view', 'trigger') AND {user}"))
        .iter()
        .filter_map(|r| {
            let mut f = r.splitn(3, '|');
            Some((f.next()?.to_string(), f.next()?.to_string(), f.next()?.to_string()))
        })
    {
        lines.push(format!("{kind} {name} {}", squash(&sql)));
    }
    for (name, sql) in query(db, &format!("SELECT lower(name), replace(sql, char(10), ' ') FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND {user}"))
        .iter()
        .filter_map(|r| r.split_once('|').map(|(a, b)| (a.to_string(), b.to_string())))
    {
        let lower = sql.to_lowercase();
        let pred = lower.find(" where ").map(|i| squash(&sql[i + 7..])).unwrap_or_default();
        lines.push(format!("index-predicate {name} {pred}"));
    }
    lines.sort();
    lines.join("\n")
}

/// Loads SQL into a fresh database file with the `sqlite3` shell, as a user would.
pub fn load(db: &Path, sql: &str) {
    use std::io::Write;
    let mut child = Command::new("sqlite3")
        .arg("-batch")
        .arg("-bail")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the sqlite3 shell is installed");
    child.stdin.take().expect("stdin").write_all(sql.as_bytes()).expect("write SQL");
    let out = child.wait_with_output().expect("sqlite3 runs");
    assert!(out.status.success(), "loading failed: {}\n{sql}", String::from_utf8_lossy(&out.stderr));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_keeps_literals_and_drops_layout() {
        assert_eq!(squash("a >  0 AND \"B\" IN ('X Y')"), "a>0 and b in('X Y')");
        assert_eq!(
            clauses("create table t(a int check (a > 0), check(length('(x') > 1))", "check"),
            vec!["a>0", "length('(x')>1"]
        );
    }
}
