//! URL forms: `mysql://` and `mariadb://` reach the same database; a URL must name one;
//! passwords never show in errors.

use schema_e2e::my::{server_url, MyDb};
use schema_inspect::{load_sql, ConnectOptions, DbUrl};
use schema_model::sql::SourceFile;
use schema_model::Dialect;

use crate::driver;

#[tokio::test]
async fn mysql_and_mariadb_urls_reach_the_same_database() {
    let Some(db) = MyDb::create("myd_url") else { return };
    db.exec("CREATE TABLE t (id int PRIMARY KEY);");
    let url = db.url();
    let as_mariadb = format!("mariadb://{}", url.split_once("://").unwrap().1);
    let a = driver(&url).await.inspect().await.unwrap();
    let b = driver(&as_mariadb).await.inspect().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(a.schemas[0].tables[0].name, "t");
}

#[tokio::test]
async fn a_url_must_name_a_database() {
    let url = DbUrl::parse("mysql://root:pw-in-url@127.0.0.1:3306").unwrap();
    let err = schema_inspect::connect(&url, ConnectOptions::default()).await.err().unwrap().to_string();
    assert!(err.contains("name one database"), "{err}");
    assert!(!err.contains("pw-in-url"), "{err}");
}

#[tokio::test]
async fn connection_errors_never_show_the_password() {
    let url = DbUrl::parse("mysql://bob:s3cr3t-pw@127.0.0.1:1/app").unwrap();
    let err = schema_inspect::connect(&url, ConnectOptions::default()).await.err().expect("nothing listens on port 1");
    let text = err.to_string();
    assert!(!text.contains("s3cr3t-pw"), "{text}");
    assert!(text.contains("bob:***@127.0.0.1:1/app"), "{text}");
    let files = [SourceFile::new("a.sql", "CREATE TABLE a (x int);")];
    let dev_err = load_sql(Dialect::Mysql, &files, Some(&url)).await.unwrap_err().to_string();
    assert!(!dev_err.contains("s3cr3t-pw"), "{dev_err}");

    // A server that is there but refuses the password.
    let Some(_db) = MyDb::create("myd_pw") else { return };
    let server = server_url();
    let rest = server.split_once("://").unwrap().1;
    let user_end = rest.find(['@', ':']).unwrap();
    let host = &rest[rest.find('@').map(|i| i + 1).unwrap_or(0)..];
    let wrong = format!("mysql://{}:wr0ng-s3cret@{host}", &rest[..user_end]);
    let url = DbUrl::parse(&wrong).unwrap();
    let text =
        schema_inspect::connect(&url, ConnectOptions::default()).await.err().expect("a wrong password").to_string();
    assert!(text.contains("Access denied"), "{text}");
    assert!(!text.contains("wr0ng-s3cret"), "{text}");
}
