use sha2::{Digest, Sha256};

use crate::Realm;

/// A stable fingerprint of a model, recorded in revisions and plan files so that drift from
/// the state a plan was made against can be detected.
pub fn realm_hash(realm: &Realm) -> String {
    let mut normalized = realm.clone();
    normalized.normalize();
    for s in &mut normalized.schemas {
        for t in &mut s.tables {
            t.renamed_from = None;
            for c in &mut t.columns {
                c.renamed_from = None;
            }
        }
    }
    // Streamed into the digest: the JSON of a large catalog is never held whole.
    let mut digest = DigestWriter(Sha256::new());
    serde_json::to_writer(&mut digest, &normalized).expect("the model always serializes");
    hex::encode(digest.0.finalize())
}

/// Feeds what is written into a SHA-256 digest.
struct DigestWriter(Sha256);

impl std::io::Write for DigestWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dialect, Schema, Table};

    #[test]
    fn the_streamed_digest_is_the_digest_of_the_json() {
        let mut realm = Realm::new(Dialect::Postgres);
        let mut schema = Schema::named("public");
        schema.tables.push(Table { name: "é \"t\"".into(), ..Default::default() });
        realm.schemas.push(schema);
        realm.normalize();
        let whole = hex::encode(Sha256::digest(serde_json::to_vec(&realm).unwrap()));
        assert_eq!(realm_hash(&realm), whole);
    }

    #[test]
    fn renames_do_not_change_the_fingerprint() {
        let mut realm = Realm::new(Dialect::Sqlite);
        let mut schema = Schema::named("main");
        schema.tables.push(Table { name: "t".into(), ..Default::default() });
        realm.schemas.push(schema);
        let before = realm_hash(&realm);
        realm.schemas[0].tables[0].renamed_from = Some("old".into());
        assert_eq!(realm_hash(&realm), before);
    }
}
