//! The text forms the catalog reports, brought to one spelling: column types, defaults, and
//! expressions with the database's own name taken out (the desired state is replayed in a
//! scratch database of another name).

use schema_model::{quote_literal, Dialect};

use crate::mysql::Server;

/// Types whose literal defaults are written without quotes.
const NUMERIC_TYPES: &[&str] = &[
    "tinyint",
    "smallint",
    "mediumint",
    "int",
    "integer",
    "bigint",
    "decimal",
    "numeric",
    "float",
    "double",
    "real",
    "bit",
];

/// A column default as an SQL expression in MariaDB's spelling: string literals quoted,
/// numbers bare, `current_timestamp(n)` in lower case with parentheses; `NULL` is no default.
pub fn default_expr(server: Server, raw: Option<&str>, data_type: &str, extra: &str) -> Option<String> {
    let raw = raw?;
    if server.mariadb {
        // MariaDB 10.2.7+ reports an expression already; a nullable column without a default
        // reads as the word NULL.
        return (raw != "NULL").then(|| raw.to_string());
    }
    // MySQL 8: COLUMN_DEFAULT is the raw value; EXTRA says DEFAULT_GENERATED when it is an
    // expression, and CURRENT_TIMESTAMP comes in upper case without parentheses.
    if extra.to_ascii_uppercase().contains("DEFAULT_GENERATED") {
        return Some(now_expr(raw).unwrap_or_else(|| raw.to_string()));
    }
    if NUMERIC_TYPES.contains(&data_type.to_ascii_lowercase().as_str()) {
        return Some(raw.to_string());
    }
    Some(quote_literal(Dialect::Mysql, raw))
}

/// `CURRENT_TIMESTAMP`, `now(3)` and the like as `current_timestamp()` / `current_timestamp(3)`.
pub fn now_expr(raw: &str) -> Option<String> {
    let lower = raw.trim().to_ascii_lowercase();
    let (name, args) = match lower.find('(') {
        Some(i) => (&lower[..i], lower[i..].trim()),
        None => (lower.as_str(), ""),
    };
    if !matches!(name.trim(), "current_timestamp" | "now" | "localtime" | "localtimestamp") {
        return None;
    }
    let precision = args.trim_start_matches('(').trim_end_matches(')').trim();
    if !precision.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("current_timestamp({precision})"))
}

/// The `ON UPDATE` expression of an `EXTRA` value (`on update current_timestamp(3)`).
pub fn on_update(extra: &str) -> Option<String> {
    let lower = extra.to_ascii_lowercase();
    let at = lower.find("on update ")?;
    let expr = extra[at + "on update ".len()..].split_whitespace().next()?;
    Some(now_expr(expr).unwrap_or_else(|| expr.to_string()))
}

/// Removes every `` `database`. `` qualifier outside string literals and comments, so that the
/// same view or trigger reads the same in databases of different names. Qualifiers of other
/// databases stay.
pub fn strip_database(text: &str, database: &str) -> String {
    let qualifier = format!("`{}`.", database.replace('`', "``"));
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let c = bytes[i];
        if c == b'\'' || c == b'"' {
            let end = literal_end(bytes, i);
            out.push_str(&text[i..end]);
            i = end;
        } else if c == b'`' {
            if text[i..].starts_with(&qualifier) {
                i += qualifier.len();
                continue;
            }
            let end = quoted_ident_end(bytes, i);
            out.push_str(&text[i..end]);
            i = end;
        } else {
            let len = text[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            out.push_str(&text[i..i + len]);
            i += len;
        }
    }
    out
}

/// The end of a string literal opened at `start` (backslash escapes and doubled quotes).
fn literal_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            q if q == quote && bytes.get(i + 1) == Some(&quote) => i += 2,
            q if q == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a back-quoted identifier opened at `start` (doubled back quotes inside).
fn quoted_ident_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            if bytes.get(i + 1) == Some(&b'`') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::types::mysql_canonical as canonical_type;

    const MARIADB: Server = Server { mariadb: true, version: (10, 11) };
    const MYSQL8: Server = Server { mariadb: false, version: (8, 0) };

    #[test]
    fn integer_widths_are_dropped_but_not_meaningful_ones() {
        assert_eq!(canonical_type("int(11)"), "int");
        assert_eq!(canonical_type("bigint(20) unsigned"), "bigint unsigned");
        assert_eq!(canonical_type("tinyint(1)"), "tinyint(1)");
        assert_eq!(canonical_type("tinyint(4)"), "tinyint");
        assert_eq!(canonical_type("smallint(5) unsigned zerofill"), "smallint(5) unsigned zerofill");
        assert_eq!(canonical_type("year(4)"), "year");
        assert_eq!(canonical_type("DECIMAL(10,2)"), "decimal(10,2)");
        assert_eq!(canonical_type("varchar(255)"), "varchar(255)");
        assert_eq!(canonical_type("enum('Ok','it''s','A B')"), "enum('Ok','it''s','A B')");
        assert_eq!(canonical_type("SET('X','y')"), "set('X','y')");
    }

    #[test]
    fn defaults_read_the_same_from_both_servers() {
        assert_eq!(default_expr(MARIADB, Some("NULL"), "int", ""), None);
        assert_eq!(default_expr(MARIADB, None, "int", ""), None);
        assert_eq!(default_expr(MARIADB, Some("'it''s'"), "varchar", "").as_deref(), Some("'it''s'"));
        assert_eq!(default_expr(MARIADB, Some("'NULL'"), "varchar", "").as_deref(), Some("'NULL'"));
        assert_eq!(default_expr(MYSQL8, Some("it's"), "varchar", "").as_deref(), Some("'it''s'"));
        assert_eq!(default_expr(MYSQL8, Some("a\\b"), "varchar", "").as_deref(), Some("'a\\\\b'"));
        assert_eq!(default_expr(MYSQL8, Some("0.00"), "decimal", "").as_deref(), Some("0.00"));
        assert_eq!(default_expr(MYSQL8, None, "int", "").as_deref(), None);
        let ts = default_expr(MYSQL8, Some("CURRENT_TIMESTAMP(3)"), "timestamp", "DEFAULT_GENERATED");
        assert_eq!(ts.as_deref(), Some("current_timestamp(3)"));
        let ts = default_expr(MYSQL8, Some("CURRENT_TIMESTAMP"), "datetime", "DEFAULT_GENERATED on update");
        assert_eq!(ts.as_deref(), Some("current_timestamp()"));
        assert_eq!(default_expr(MYSQL8, Some("2020-01-01"), "date", "").as_deref(), Some("'2020-01-01'"));
    }

    #[test]
    fn on_update_is_read_from_extra() {
        assert_eq!(on_update("on update current_timestamp()").as_deref(), Some("current_timestamp()"));
        assert_eq!(
            on_update("DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)").as_deref(),
            Some("current_timestamp(3)")
        );
        assert_eq!(on_update("auto_increment"), None);
    }

    #[test]
    fn only_this_databases_qualifier_is_removed() {
        let v =
            "select `db`.`t`.`a` AS `a`,'`db`.' AS `s`,`other`.`u`.`b` from `db`.`t` join `other`.`u` join `x``db`.`y`";
        assert_eq!(
            strip_database(v, "db"),
            "select `t`.`a` AS `a`,'`db`.' AS `s`,`other`.`u`.`b` from `t` join `other`.`u` join `x``db`.`y`"
        );
        assert_eq!(strip_database("select 'it''s' `é`, `db`.`é`", "db"), "select 'it''s' `é`, `é`");
    }
}
