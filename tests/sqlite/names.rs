//! Names with quotes, spaces, capitals, reserved words and non-ASCII characters.

use crate::harness::converge;

#[test]
fn awkward_names_work_everywhere() {
    let before = r#"CREATE TABLE "Order Items" ("select" INTEGER, "it's" TEXT);"#;
    let after = r#"
        CREATE TABLE "Order Items" (
          "select" INTEGER NOT NULL DEFAULT 0,
          "it's" TEXT,
          "Straße ünd ""Quote""" TEXT COLLATE NOCASE,
          "from" INTEGER REFERENCES "Grüße" ("日本")
        );
        CREATE TABLE "Grüße" ("日本" INTEGER PRIMARY KEY, "Group" TEXT UNIQUE);
        CREATE INDEX "idx ""quoted"" name" ON "Order Items" ("it's", "select" DESC) WHERE "select" > 0;
        CREATE VIEW "the view" AS SELECT "select", "it's" FROM "Order Items";
    "#;
    let applied = converge(before, after, r#"INSERT INTO "Order Items" VALUES (1, 'x');"#);
    assert_eq!(applied.rows(r#"SELECT "select", "it's" FROM "the view""#), ["1|x"]);
    converge(after, before, "");
}

#[test]
fn a_renamed_awkward_table_and_column() {
    let before = r#"CREATE TABLE "Old ""T""" ("Col A" INTEGER);"#;
    let after = "CREATE TABLE \"Neue Tabelle\" ( -- schema:renamed-from \"Old \"\"T\"\"\"\n  \"Spalte ä\" INTEGER -- schema:renamed-from \"Col A\"\n);";
    let applied = converge(before, after, r#"INSERT INTO "Old ""T""" VALUES (7);"#);
    assert_eq!(applied.rows(r#"SELECT "Spalte ä" FROM "Neue Tabelle""#), ["7"]);
    assert!(applied.stdout.contains("rename table"), "{}", applied.stdout);
}
