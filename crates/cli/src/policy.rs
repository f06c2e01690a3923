//! The safety policy: which hazards a run may carry.

use schema_diff::{HazardCode, Plan};

use crate::cli::PolicyArgs;
use crate::error::{CliError, CliResult};

/// The hazards a run allows.
pub struct Policy {
    destructive: bool,
    codes: Vec<HazardCode>,
}

impl Policy {
    /// Reads `--allow-destructive` and `--allow`.
    pub fn from_args(args: &PolicyArgs) -> CliResult<Self> {
        let codes = args
            .allow
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                HazardCode::parse(s).ok_or_else(|| {
                    let known: Vec<&str> = HazardCode::ALL.iter().map(|c| c.id()).collect();
                    CliError::Usage(format!("unknown hazard code {s:?} in --allow; known codes: {}", known.join(", ")))
                })
            })
            .collect::<CliResult<Vec<_>>>()?;
        Ok(Policy { destructive: args.allow_destructive, codes })
    }

    fn allows(&self, code: HazardCode) -> bool {
        (self.destructive && code.is_destructive()) || self.codes.contains(&code)
    }

    /// Refuses the plan when a step carries a hazard that is not allowed, listing each one,
    /// or when a live check found that a step will fail, whether its code is allowed or not.
    pub fn check(&self, plan: &Plan) -> CliResult<()> {
        let failing: Vec<String> = plan
            .hazards()
            .into_iter()
            .filter(|(_, h)| h.will_fail())
            .map(|(step, h)| {
                format!(
                    "  step {step}: {} {}",
                    h.code.id(),
                    h.verdict.as_ref().map(|v| v.to_string()).unwrap_or_default()
                )
            })
            .collect();
        if !failing.is_empty() {
            return Err(CliError::Refused(format!(
                "the live data makes the plan fail; nothing was run:\n{}\nFix the data first (see each hazard's help), then plan again.",
                failing.join("\n")
            )));
        }
        let refused: Vec<String> = plan
            .hazards()
            .into_iter()
            .filter(|(_, h)| !self.allows(h.code))
            .map(|(step, h)| format!("  step {step}: {} {}", h.code.id(), h.message))
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        let mut codes: Vec<&str> =
            plan.hazards().iter().filter(|(_, h)| !self.allows(h.code)).map(|(_, h)| h.code.id()).collect();
        codes.sort();
        codes.dedup();
        let destructive = codes.iter().any(|c| c.starts_with("DS"));
        Err(CliError::Refused(format!(
            "the plan has hazards that are not allowed:\n{}\nAllow them with {}--allow {} once you have checked them.",
            refused.join("\n"),
            if destructive { "--allow-destructive or " } else { "" },
            codes.join(",")
        )))
    }
}
