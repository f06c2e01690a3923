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
    let json = serde_json::to_vec(&normalized).expect("the model always serializes");
    hex::encode(Sha256::digest(json))
}
