//! LK107: an enum type that loses or reorders labels is rebuilt, rewriting every column of it.

use super::{Fact, Hazard, HazardCode};

/// The code this analyzer raises.
pub const CODE: HazardCode = HazardCode::LK107;

/// What to do instead.
pub const HELP: &str = "add labels instead of removing or reordering them";

/// The hazard of `fact`, if it is one this analyzer flags.
pub fn analyze(fact: &Fact) -> Option<Hazard> {
    match fact {
        Fact::EnumRebuild { name } => Some(Hazard::new(
            CODE,
            format!("enum {name} loses or reorders labels: the type is rebuilt and every column using it is rewritten; rows holding a removed label make it fail"),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn err_on_rebuild() {
        assert!(analyze(&Fact::EnumRebuild { name: "public.mood".into() }).is_some());
    }

    #[test]
    fn ok_on_domain() {
        assert!(analyze(&Fact::TightenDomain { name: "public.d".into() }).is_none());
    }
}
