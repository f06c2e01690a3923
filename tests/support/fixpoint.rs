//! Loading a fixture the way sqldef's test runner does, for every dialect: statement by
//! statement, in dependency order, found by retrying until a round makes no progress.

/// Runs `statements` with `run`; the ones that fail are tried again after the others, round
/// after round, until a round makes no progress. Returns how many statements ran, or, when
/// some never did, each of them with the server's last message.
pub fn run_until_fixpoint(
    mut pending: Vec<String>,
    mut run: impl FnMut(&str) -> Result<(), String>,
) -> Result<usize, String> {
    let total = pending.len();
    loop {
        let tried = pending.len();
        let mut failed = Vec::new();
        for st in std::mem::take(&mut pending) {
            if let Err(e) = run(&st) {
                failed.push((st, e));
            }
        }
        if failed.is_empty() {
            return Ok(total);
        }
        if failed.len() == tried {
            let shown: Vec<String> = failed
                .iter()
                .map(|(st, e)| format!("{e} (in: {})", st.split_whitespace().collect::<Vec<_>>().join(" ")))
                .collect();
            return Err(shown.join("; "));
        }
        pending = failed.into_iter().map(|(st, _)| st).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_retried_until_no_progress() {
        let mut made: Vec<String> = Vec::new();
        let statements = vec!["b needs a".to_string(), "a".to_string()];
        let ran = run_until_fixpoint(statements, |st| match st {
            "a" => {
                made.push("a".into());
                Ok(())
            }
            _ if made.contains(&"a".to_string()) => Ok(()),
            _ => Err("no a yet".into()),
        });
        assert_eq!(ran, Ok(2));
        let err = run_until_fixpoint(vec!["x".into()], |_| Err("never".into())).unwrap_err();
        assert_eq!(err, "never (in: x)");
    }
}
