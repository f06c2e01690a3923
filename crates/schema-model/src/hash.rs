use sha2::{Digest, Sha256};

use crate::Realm;

/// A stable fingerprint of a model, recorded in revisions and plan files so that drift from
/// the state a plan was made against can be detected.
pub fn realm_hash(realm: &Realm) -> String {
    // Streamed into the digest: the JSON of a large catalog is never held whole. What the readers
    // hand over is already normalized, and is hashed as it is: a copy of a 10,000-table model is
    // 250,000 allocations, made twice for every plan.
    let mut digest = DigestWriter(Sha256::new());
    if realm.is_normalized() {
        debug_assert!(*realm == normalized(realm), "is_normalized agrees with normalize");
        serde_json::to_writer(&mut digest, realm).expect("the model always serializes");
    } else {
        serde_json::to_writer(&mut digest, &normalized(realm)).expect("the model always serializes");
    }
    hex::encode(digest.0.finalize())
}

/// A normalized copy of `realm` without the rename directives, which are not part of what a
/// database is.
fn normalized(realm: &Realm) -> Realm {
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
    normalized
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
    use crate::{Dialect, Index, Schema, Table};

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
    fn a_model_out_of_order_has_the_fingerprint_of_its_normalized_form() {
        let table = |name: &str, indexes: &[&str]| Table {
            name: name.into(),
            indexes: indexes.iter().map(|i| Index { name: (*i).into(), ..Default::default() }).collect(),
            ..Default::default()
        };
        let mut realm = Realm::new(Dialect::Postgres);
        let mut schema = Schema::named("public");
        schema.tables = vec![table("b", &["b_y", "b_x"]), table("a", &[])];
        realm.schemas.push(schema);
        assert!(!realm.is_normalized());
        let mut sorted = realm.clone();
        sorted.normalize();
        assert!(sorted.is_normalized());
        assert_eq!(realm_hash(&realm), realm_hash(&sorted));
        // Tables in order, but one table's indexes not.
        let mut half = sorted.clone();
        half.schemas[0].tables[1].indexes.reverse();
        assert!(!half.is_normalized());
        assert_eq!(realm_hash(&half), realm_hash(&sorted));
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
