//! A MySQL/MariaDB catalog snapshot taken with the suites' own `information_schema` queries
//! through the command-line client, independent of `schema`'s inspector. Column order is kept
//! (each column line carries its position: MySQL places columns where `AFTER`/`FIRST` says);
//! partitions are listed one a line with their method, key and bounds; the audit table is
//! left out; the database's own name is taken out of view definitions so that databases of
//! different names compare. Every `information_schema` table a query reads is given the database
//! as a constant of its own (MariaDB walks every database otherwise: a join condition or the
//! wrong column does not count), so that a big database beside the test's costs nothing.

use crate::my::mysql;

/// Everything but the audit table.
const NOT_OURS: &str = "TABLE_NAME <> 'schema_revisions'";

fn queries() -> Vec<(&'static str, String)> {
    vec![
        (
            "table",
            format!(
                "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT \
                 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND {NOT_OURS}"
            ),
        ),
        (
            "column",
            format!(
                "SELECT TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, \
                 CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_COMMENT, GENERATION_EXPRESSION \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND {NOT_OURS}"
            ),
        ),
        (
            "index",
            format!(
                "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, SUB_PART, \
                 INDEX_TYPE, INDEX_COMMENT FROM information_schema.STATISTICS \
                 WHERE TABLE_SCHEMA = DATABASE() AND {NOT_OURS}"
            ),
        ),
        (
            "fk",
            "SELECT rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.UPDATE_RULE, rc.DELETE_RULE, \
             k.REFERENCED_TABLE_SCHEMA = DATABASE(), rc.REFERENCED_TABLE_NAME, \
             GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION), \
             GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION) \
             FROM information_schema.REFERENTIAL_CONSTRAINTS rc JOIN information_schema.KEY_COLUMN_USAGE k \
             ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = rc.TABLE_NAME \
             AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME WHERE rc.CONSTRAINT_SCHEMA = DATABASE() \
             AND k.TABLE_SCHEMA = DATABASE() \
             GROUP BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.UPDATE_RULE, rc.DELETE_RULE, \
             k.REFERENCED_TABLE_SCHEMA, rc.REFERENCED_TABLE_NAME"
                .into(),
        ),
        (
            "partition",
            format!(
                "SELECT TABLE_NAME, PARTITION_ORDINAL_POSITION, PARTITION_NAME, PARTITION_METHOD, \
                 PARTITION_EXPRESSION, PARTITION_DESCRIPTION, SUBPARTITION_NAME FROM information_schema.PARTITIONS \
                 WHERE TABLE_SCHEMA = DATABASE() AND PARTITION_NAME IS NOT NULL AND {NOT_OURS}"
            ),
        ),
        (
            "view",
            "SELECT TABLE_NAME, REPLACE(VIEW_DEFINITION, CONCAT('`', TABLE_SCHEMA, '`.'), ''), CHECK_OPTION, \
             SECURITY_TYPE FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()"
                .into(),
        ),
        (
            "event",
            // STARTS is left out: the server fills in the creation time when none is declared.
            "SELECT EVENT_NAME, EVENT_TYPE, EXECUTE_AT, INTERVAL_VALUE, INTERVAL_FIELD, ENDS, STATUS, ON_COMPLETION, \
             EVENT_DEFINITION, EVENT_COMMENT FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"
                .into(),
        ),
        (
            "trigger",
            "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, \
             ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() \
             AND EVENT_OBJECT_SCHEMA = DATABASE()"
                .into(),
        ),
    ]
}

/// Check constraints: MariaDB's CHECK_CONSTRAINTS names the table; MySQL 8's does not, and
/// the table comes from TABLE_CONSTRAINTS there.
const CHECKS_MARIADB: &str =
    "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
     WHERE CONSTRAINT_SCHEMA = DATABASE()";
const CHECKS_MYSQL: &str =
    "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS tc \
     JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
     AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME WHERE tc.CONSTRAINT_TYPE = 'CHECK' AND tc.TABLE_SCHEMA = DATABASE() \
     AND cc.CONSTRAINT_SCHEMA = DATABASE()";

/// The snapshot as sorted lines, one fact each (`kind` then the row, tab-separated).
pub fn snapshot(url: &str) -> String {
    snapshot_with(url, &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// [`snapshot`] with more `(kind, query)` pairs, in one run of the client (each query is a
/// plain `SELECT`); errors as text.
pub fn snapshot_with(url: &str, extra: &[(&str, &str)]) -> Result<String, String> {
    let script = |checks: &str| -> String {
        let mut all: Vec<(&str, String)> = queries();
        all.extend(extra.iter().map(|(k, q)| (*k, q.to_string())));
        all.push(("check", checks.to_string()));
        all.iter().map(|(kind, sql)| format!("SELECT '{kind}', {};\n", &sql["SELECT ".len()..])).collect()
    };
    let rows = mysql(url, &script(CHECKS_MARIADB))
        .or_else(|_| mysql(url, &script(CHECKS_MYSQL)))
        .map_err(|e| format!("catalog query failed: {e}"))?;
    let mut lines = rows;
    lines.sort();
    Ok(lines.join("\n"))
}
