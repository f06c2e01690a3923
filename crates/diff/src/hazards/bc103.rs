//! BC103: revoking a privilege, or giving an object another owner, breaks running
//! applications that connect as the role losing access.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::BC103;

/// What to do instead.
pub const HELP: &str =
    "make sure no running application connects as that role and relies on the access, then allow BC103";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::RevokePrivilege { object, grantee, privileges, option_only } => Some(Hazard::new(
            CODE,
            if *option_only {
                format!("{grantee} can no longer grant {privileges} on {object} to others")
            } else {
                format!("{grantee} loses {privileges} on {object}; running code that connects as it breaks")
            },
        )),
        Fact::ChangeOwner { object, from, to } => Some(Hazard::new(
            CODE,
            format!(
                "{object} changes owner to {to}; {} loses the owner's privileges on it",
                from.as_deref().unwrap_or("the connecting role")
            ),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::testing::*;

    fn revoke(option_only: bool) -> Fact {
        Fact::RevokePrivilege {
            object: "TABLE \"public\".\"users\"".into(),
            grantee: "\"app\"".into(),
            privileges: "SELECT".into(),
            option_only,
        }
    }

    #[test]
    fn err_on_revoke() {
        let h = analyze(&revoke(false)).unwrap();
        assert_eq!(h.code, CODE);
        assert_eq!(
            h.message,
            "\"app\" loses SELECT on TABLE \"public\".\"users\"; running code that connects as it breaks"
        );
        assert_eq!(h.help, HELP);
        assert!(analyze(&revoke(true)).unwrap().message.contains("can no longer grant SELECT"));
    }

    #[test]
    fn err_on_owner_change() {
        let f = Fact::ChangeOwner { object: "VIEW \"v\"".into(), from: Some("a".into()), to: "b".into() };
        assert_eq!(analyze(&f).unwrap().message, "VIEW \"v\" changes owner to b; a loses the owner's privileges on it");
    }

    #[test]
    fn ok_on_other_facts() {
        assert!(analyze(&Fact::CreateTable { table: users() }).is_none());
        assert!(analyze(&Fact::RenameTable { from: users(), to: "people".into() }).is_none());
    }
}
