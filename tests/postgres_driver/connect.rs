//! URL forms: passwords never show, `sslmode` is understood, `search_path` scopes apply too.

use std::time::Duration;

use schema_e2e::pg::{psql, with_param, PgDb};
use schema_inspect::{ApplyRequest, ConnectOptions, DbUrl, Revision, StatementGroup};

use crate::driver;

#[tokio::test]
async fn connection_errors_never_show_the_password() {
    let url = DbUrl::parse("postgres://bob:s3cr3t-pw@127.0.0.1:1/app?sslmode=disable").unwrap();
    let err = schema_inspect::connect(&url, ConnectOptions::default()).await.err().expect("nothing listens on port 1");
    let text = err.to_string();
    assert!(!text.contains("s3cr3t-pw"), "{text}");
    assert!(text.contains("bob:***@127.0.0.1:1/app"), "{text}");
    let dev_err = schema_inspect::load_sql(schema_model::Dialect::Postgres, &[], Some(&url)).await.unwrap_err();
    assert!(!dev_err.to_string().contains("s3cr3t-pw"), "{dev_err}");
}

#[tokio::test]
async fn sslmode_and_a_password_in_the_url_are_accepted() {
    let Some(db) = PgDb::create("pgd_url") else { return };
    // The local server trusts every connection, so any password gets in; the URL must parse
    // and connect with it, in every sslmode that does not demand TLS.
    let with_password = db.url().replacen("postgres@", "postgres:any%20pw@", 1);
    for mode in ["disable", "prefer", "allow"] {
        let mut d = driver(&with_param(&with_password, "sslmode", mode)).await;
        d.inspect().await.unwrap();
    }
}

#[tokio::test]
async fn sslmode_require_connects_over_tls_and_verify_full_refuses_an_unverifiable_server() {
    let Some(db) = PgDb::create("pgd_tls") else { return };
    if psql(&db.url(), "SHOW ssl").ok().as_deref() != Some(&["on".to_string()][..]) {
        assert!(!schema_e2e::in_ci(), "the CI server has TLS on (Debian's default); this one does not");
        println!("skipping: the server has ssl = off");
        return;
    }
    let name = db.name.clone();
    let mut d =
        driver(&with_param(&with_param(&db.url(), "sslmode", "require"), "application_name", "schema_tls_probe")).await;
    d.inspect().await.unwrap();
    // Seen from the server, through a connection of its own: our session is encrypted.
    let seen = psql(
        &db.url(),
        &format!(
            "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.datname = '{name}' AND a.application_name = 'schema_tls_probe'"
        ),
    )
    .unwrap();
    assert_eq!(seen, ["t"], "our connection is not encrypted");
    drop(d);
    // Debian's snakeoil certificate is self-signed for the host's name: verify-full cannot
    // trust it, and says why without the password.
    let url =
        DbUrl::parse(&with_param(&db.url().replacen("postgres@", "postgres:pw-77@", 1), "sslmode", "verify-full"))
            .unwrap();
    let err = schema_inspect::connect(&url, ConnectOptions::default()).await.err().expect("an unverifiable server");
    let text = err.to_string();
    assert!(!text.contains("pw-77"), "{text}");
    assert!(text.to_lowercase().contains("certificate") || text.to_lowercase().contains("tls"), "{text}");
}

#[tokio::test]
async fn an_apply_scoped_by_search_path_runs_unqualified_statements_in_that_schema() {
    let Some(db) = PgDb::create("pgd_scoped") else { return };
    db.exec("CREATE SCHEMA billing; CREATE TABLE public.untouched (id int);");
    let mut d = driver(&with_param(&db.url(), "search_path", "billing")).await;
    let ok = |_: &schema_model::Realm| Ok(());
    let request = ApplyRequest {
        groups: vec![StatementGroup {
            transactional: true,
            statements: vec!["CREATE TABLE invoices (id int)".into()],
            timeouts: None,
        }],
        expected_from_hash: None,
        verify: &ok,
        revision: Revision { kind: "apply".into(), ..Default::default() },
        lock_timeout: Duration::from_secs(5),
        undo: Vec::new(),
        retry: Default::default(),
        report: &|_| {},
    };
    d.apply(request).await.unwrap();
    assert_eq!(db.exec("SELECT to_regclass('billing.invoices') IS NOT NULL"), ["t"]);
    let realm = d.inspect().await.unwrap();
    assert_eq!(realm.schemas.len(), 1);
    assert_eq!(realm.schemas[0].tables[0].name, "invoices");
    // An invalid index (a failed CREATE INDEX CONCURRENTLY) is refused rather than taken as built.
    let _ = psql(
        &db.url(),
        "CREATE TABLE billing.d (x int); INSERT INTO billing.d VALUES (1), (1); CREATE UNIQUE INDEX CONCURRENTLY d_x ON billing.d (x);",
    );
    let err = d.inspect().await.unwrap_err().to_string();
    assert!(err.contains("index \"billing\".\"d_x\" is invalid"), "{err}");
}
