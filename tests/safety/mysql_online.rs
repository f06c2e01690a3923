//! `--online` on MariaDB: every ALTER asks for the cheapest algorithm the server allows for
//! it, the server accepts each one (an ALGORITHM it rejects would fail the apply), and the
//! changes only a copy can make carry LK105 and no ALGORITHM clause.

use crate::db::{codes, Db};

const T: &str = "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), \
                 PRIMARY KEY (id), KEY t_b (b));";
const SEED: &str = "INSERT INTO t VALUES (1, 'aa', 2, 3, 'x'), (2, 'bb', 3, 4, 'y');";

/// One change: the desired table, the clause the ALTER must carry (None: no ALGORITHM at all),
/// and whether LK105 is raised.
struct Change {
    name: &'static str,
    desired: &'static str,
    clause: Option<&'static str>,
    copies: bool,
}

const INPLACE: Option<&str> = Some("ALGORITHM=INPLACE, LOCK=NONE");

#[test]
fn every_online_alter_is_accepted_by_the_server() {
    let changes = [
        Change { name: "rename column", desired: "CREATE TABLE t (id int NOT NULL,\n a2 varchar(20), -- schema:renamed-from a\n b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: Some("ALGORITHM=INSTANT"), copies: false },
        Change { name: "add column", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), z int DEFAULT 5, PRIMARY KEY (id), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "add column first", desired: "CREATE TABLE t (z int, id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "drop column", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "add index", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b), KEY t_a (a));", clause: INPLACE, copies: false },
        Change { name: "add unique index", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b), UNIQUE KEY t_a (a));", clause: INPLACE, copies: false },
        Change { name: "drop index", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id));", clause: INPLACE, copies: false },
        Change { name: "change index", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b, a));", clause: INPLACE, copies: false },
        Change { name: "set not null", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NOT NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "set not null on a string", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20) NOT NULL, b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "longer varchar", desired: "CREATE TABLE t (id int NOT NULL, a varchar(300), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "enum label appended", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y','z'), PRIMARY KEY (id), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "default and comment", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20) DEFAULT 'q' COMMENT 'hi', b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b)) COMMENT 'tab';", clause: INPLACE, copies: false },
        Change { name: "change primary key", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int NOT NULL, n int NULL, e enum('x','y'), PRIMARY KEY (id, b), KEY t_b (b));", clause: INPLACE, copies: false },
        Change { name: "int to bigint", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b bigint, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: None, copies: true },
        Change { name: "shorter varchar", desired: "CREATE TABLE t (id int NOT NULL, a varchar(10), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b));", clause: None, copies: true },
        Change { name: "enum reordered", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('y','x'), PRIMARY KEY (id), KEY t_b (b));", clause: None, copies: true },
        Change { name: "drop primary key", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), KEY t_b (b));", clause: None, copies: true },
        Change { name: "add check", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), PRIMARY KEY (id), KEY t_b (b), CONSTRAINT t_chk CHECK (b > 0));", clause: None, copies: true },
        Change { name: "stored generated column", desired: "CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), g int AS (b + 1) STORED, PRIMARY KEY (id), KEY t_b (b));", clause: None, copies: true },
    ];
    let mut wrong = Vec::new();
    for c in &changes {
        let Some(db) = Db::mysql() else { return };
        db.exec(T);
        db.exec(SEED);
        let plan = db.plan(c.desired, &["--online"]);
        let sql: Vec<String> = plan["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["sql"].as_array().cloned().unwrap_or_default())
            .filter_map(|s| s.as_str().map(String::from))
            .collect();
        let alter = sql.iter().find(|s| s.starts_with("ALTER TABLE `t`")).cloned().unwrap_or_default();
        let has_clause = match c.clause {
            Some(clause) => alter.ends_with(clause),
            None => !alter.contains("ALGORITHM="),
        };
        if !has_clause {
            wrong.push(format!("{}: expected {:?} in {alter}", c.name, c.clause));
        }
        if codes(&plan).contains(&"LK105".to_string()) != c.copies {
            wrong.push(format!("{}: LK105 expected {}, got {:?}", c.name, c.copies, codes(&plan)));
        }
        let run = db.run(
            "apply",
            c.desired,
            &["--online", "--auto-approve", "--allow", "DS103,DS104,MF101,MF104,MF105,LK105,BC102"],
        );
        if run.code != 0 {
            wrong.push(format!("{}: the server refused the online plan: {}{}", c.name, run.stdout, run.stderr));
        }
        let again = db.plan(c.desired, &["--online"]);
        if !again["steps"].as_array().is_some_and(|s| s.is_empty()) {
            wrong.push(format!("{}: the apply did not converge: {again}", c.name));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn online_foreign_keys_drop_in_place_and_add_by_copy() {
    let Some(db) = Db::mysql() else { return };
    db.exec("CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int, KEY c_pid (pid));");
    db.exec("INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);");
    let with_fk = "CREATE TABLE p (id int PRIMARY KEY); \
                   CREATE TABLE c (pid int, KEY c_pid (pid), CONSTRAINT c_p FOREIGN KEY (pid) REFERENCES p (id));";
    let plan = db.plan(with_fk, &["--online"]);
    assert!(codes(&plan).contains(&"LK105".to_string()), "{plan}");
    let run = db.run("apply", with_fk, &["--online", "--auto-approve", "--allow", "LK105"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let without = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int, KEY c_pid (pid));";
    let run = db.run("apply", without, &["--online", "--auto-approve", "--allow-destructive"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("DROP FOREIGN KEY `c_p`, ALGORITHM=INPLACE, LOCK=NONE"), "{}", run.stdout);
}

#[test]
fn without_online_no_algorithm_is_asked_for() {
    let Some(db) = Db::mysql() else { return };
    db.exec(T);
    let plan = db.plan("CREATE TABLE t (id int NOT NULL, a varchar(20), b int, n int NULL, e enum('x','y'), z int, PRIMARY KEY (id), KEY t_b (b));", &[]);
    assert!(!plan.to_string().contains("ALGORITHM="), "{plan}");
}
