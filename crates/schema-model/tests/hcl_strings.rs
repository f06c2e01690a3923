//! Text with template markers in HCL: values that hcl-edit 0.10 alone would write wrongly
//! (`${$${` comes back `${${` from its encoder) read back exactly, and names it cannot write as
//! block labels are refused by name rather than written.

use schema_model::sql::SourceFile;
use schema_model::{hcl, Column, ColumnType, Dialect, EnumType, Realm, Schema, Table};

fn postgres(tables: Vec<Table>, enums: Vec<EnumType>) -> Realm {
    let mut r = Realm::new(Dialect::Postgres);
    r.schemas.push(Schema { tables, enums, ..Schema::named("public") });
    r.normalize();
    r
}

fn column(name: &str, comment: Option<&str>, default: Option<&str>) -> Column {
    Column {
        name: name.into(),
        ty: ColumnType::new("text"),
        nullable: true,
        comment: comment.map(Into::into),
        default: default.map(Into::into),
        ..Default::default()
    }
}

#[test]
fn values_with_marker_runs_read_back_exactly() {
    let t = Table {
        name: "t".into(),
        columns: vec![column("a", Some("${$${"), Some("'${a}$${'::text")), column("b", Some("%{x}%%{ and $$"), None)],
        comment: Some("a${b}c$${d}$".into()),
        ..Default::default()
    };
    let e = EnumType { name: "e".into(), values: vec!["${$${".into(), "plain".into()], comment: None };
    let model = postgres(vec![t], vec![e]);
    assert!(hcl::uncovered(&model).is_empty());
    let text = hcl::write(&model);
    // The `$` of the run that meets `{` is spelled as an interpolation of the string "$".
    assert!(text.contains("comment = \"$${${\"$\"}$${\""), "{text}");
    assert!(text.contains("values = [\"$${${\"$\"}$${\", \"plain\"]"), "{text}");
    let back = hcl::load(Dialect::Postgres, &[SourceFile::new("t.hcl", text.clone())]).unwrap();
    assert_eq!(back, model, "{text}");
}

#[test]
fn a_hand_written_interpolation_of_a_string_reads_as_its_text() {
    let text = "schema \"main\" {}\ntable \"t\" {\n  column \"a\" {\n    type = text\n    comment = \"x${\"$\"}${\"{\"}y\"\n  }\n}\n";
    let realm = hcl::load(Dialect::Sqlite, &[SourceFile::new("t.hcl", text)]).unwrap();
    let c = realm.schema("main").unwrap().table("t").unwrap().column("a").unwrap();
    assert_eq!(c.comment.as_deref(), Some("x${y"));
    // Any other interpolation is not plain text: an error, not a guess.
    let other = text.replace("${\"{\"}", "${var.x}");
    let err = hcl::load(Dialect::Sqlite, &[SourceFile::new("t.hcl", other)]).unwrap_err();
    assert!(err.to_string().contains("attribute `comment` must be a string"), "{err}");
}

#[test]
fn names_hcl_cannot_write_as_labels_are_refused_by_name() {
    let t = Table { name: "t".into(), columns: vec![column("%{%%{", None, None)], ..Default::default() };
    let u = Table { name: "${$${".into(), columns: vec![column("id", None, None)], ..Default::default() };
    let fine = Table { name: "${x} or %{y}".into(), columns: vec![column("id", None, None)], ..Default::default() };
    let model = postgres(vec![t, u, fine], vec![]);
    assert_eq!(
        hcl::uncovered(&model),
        vec![
            "the name of table \"${$${\" (HCL cannot write it as a block label)".to_string(),
            "the name of column \"%{%%{\" in table \"t\" (HCL cannot write it as a block label)".to_string(),
        ]
    );
}
