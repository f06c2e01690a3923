//! The checks of one case (corpus README, "How our conformance runner should use a case"):
//! Check 0 loads `current` into A and requires an empty plan toward `current`; Check 1
//! applies `desired` with our tool and compares A with B (`desired` loaded directly, or B' =
//! `current` + sqldef's `up` for partial-convergence cases); Check 2 re-plans to empty; Check
//! 3 goes back to `current` and compares again. The first failing check names the class.
//! Cases with rename hints our directive can express also get a row in every table before
//! applying, which the renamed tables and columns must still hold afterwards.

use schema_diff::{HazardCode, Plan};
use schema_e2e::{schema, Outcome, Scratch};

use crate::case::Case;
use crate::engine::Engine;
use crate::guard::guarded;
use crate::hints::translate;

/// What kind of check a case failed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// A fixture (`current`, or a reference built from `desired`/`up`) did not load as written.
    Load,
    /// Our tool could not plan toward `desired`.
    PlanError,
    /// Applying the plan failed.
    ApplyError,
    /// The catalog after apply differs from the reference.
    NotConverged,
    /// A re-plan (toward `current` before, or `desired` after) is not empty.
    NotIdempotent,
    /// The forward checks passed; going back to `current` did not.
    Reverse,
    /// A case with `error` was accepted, refused silently, or changed the database.
    NotRefused,
}

impl Class {
    /// Every class, for parsing.
    pub const ALL: [Class; 7] = [
        Class::Load,
        Class::PlanError,
        Class::ApplyError,
        Class::NotConverged,
        Class::NotIdempotent,
        Class::Reverse,
        Class::NotRefused,
    ];

    /// The class as written in reports and the known-failure list.
    pub fn label(self) -> &'static str {
        match self {
            Class::Load => "load",
            Class::PlanError => "plan error",
            Class::ApplyError => "apply error",
            Class::NotConverged => "not converged",
            Class::NotIdempotent => "not idempotent",
            Class::Reverse => "reverse",
            Class::NotRefused => "not refused",
        }
    }
}

/// A failed check: its class and the first lines of what went wrong.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The class.
    pub class: Class,
    /// What happened: the check, then plan lines, differences or the error.
    pub detail: Vec<String>,
}

/// The result of one case.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The case name.
    pub name: String,
    /// The case expects a refusal (`error`).
    pub error_case: bool,
    /// Checks 0-2 passed (for an error case: refused properly).
    pub forward: bool,
    /// Check 3 passed.
    pub reverse: bool,
    /// The first failure, if any.
    pub failure: Option<Failure>,
    /// Remarks, e.g. how rename hints were translated.
    pub notes: Vec<String>,
}

/// Lines of detail kept per section.
const KEEP: usize = 8;

type Checked<T> = Result<T, Failure>;

fn fail(class: Class, what: impl Into<String>, more: Vec<String>) -> Failure {
    let mut detail = vec![what.into()];
    detail.extend(more);
    Failure { class, detail }
}

/// The first `KEEP` non-empty lines of a text, and a count of the rest.
fn head(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out: Vec<String> = lines.iter().take(KEEP).map(|l| format!("  {l}")).collect();
    if lines.len() > KEEP {
        out.push(format!("  ... {} more lines", lines.len() - KEEP));
    }
    out
}

/// The plan's statements, one line each.
fn statements(plan: &Plan) -> Vec<String> {
    let all: Vec<String> =
        plan.statements().iter().map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    head(&all.join("\n"))
}

/// `--allow...` arguments: every hazard, or every hazard but the destructive ones.
fn policy(enable_drop: bool) -> Vec<String> {
    let codes: Vec<&str> =
        HazardCode::ALL.iter().filter(|c| enable_drop || !c.is_destructive()).map(|c| c.id()).collect();
    let mut args = vec!["--allow".to_string(), codes.join(",")];
    if enable_drop {
        args.push("--allow-destructive".into());
    }
    args
}

/// The CLI, in-process; a panic becomes exit code 101.
fn cli(args: &[String]) -> Outcome {
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    guarded(|| schema(&argv)).unwrap_or_else(|panic| Outcome {
        code: 101,
        stdout: String::new(),
        stderr: format!("the tool panicked: {panic}"),
    })
}

/// One case against one engine, with its scratch directory and source files.
struct Run<'a, E: Engine> {
    engine: &'a E,
    case: &'a Case,
    scratch: Scratch,
    desired: String,
    current: String,
    renamed: Vec<(String, Option<String>)>,
}

impl<E: Engine> Run<'_, E> {
    /// A fresh database with the scripts loaded in order.
    fn db(&self, label: &str, scripts: &[(&str, &str)], class: Class) -> Checked<E::Db> {
        let db = self.engine.fresh(&self.scratch, label).map_err(|e| fail(Class::Load, e, vec![]))?;
        for (what, sql) in scripts {
            self.engine
                .load(&db, sql)
                .map_err(|e| fail(class, format!("loading `{what}` into {label} failed: {e}"), vec![]))?;
        }
        Ok(db)
    }

    fn plan(&self, db: &E::Db, to: &str, class: Class, toward: &str) -> Checked<Plan> {
        let url = self.engine.url(db);
        let args = ["plan", "--url", &url, "--to", to, "--format", "json"];
        let out = cli(&args.map(String::from));
        if out.code != 0 {
            let what = format!("plan toward `{toward}` failed (exit {}):", out.code);
            return Err(fail(class, what, head(&out.stderr)));
        }
        serde_json::from_str(&out.stdout)
            .map_err(|e| fail(class, format!("plan toward `{toward}` is not JSON: {e}"), head(&out.stdout)))
    }

    /// `schema apply --auto-approve` under the case's policy.
    fn run_apply(&self, db: &E::Db, to: &str) -> Outcome {
        let url = self.engine.url(db);
        let mut args: Vec<String> = ["apply", "--url", &url, "--to", to, "--auto-approve"].map(String::from).to_vec();
        args.extend(policy(self.case.enable_drop));
        cli(&args)
    }

    /// Applies; with drops disabled, a refusal for destructive hazards only is "withheld".
    fn apply(&self, db: &E::Db, to: &str, plan: &Plan, class: Class, toward: &str) -> Checked<()> {
        let out = self.run_apply(db, to);
        let withheld = out.code == 3 && !self.case.enable_drop && destructive(plan);
        if out.code == 0 || withheld {
            return Ok(());
        }
        let mut more = head(&out.stderr);
        more.push("plan:".into());
        more.extend(statements(plan));
        Err(fail(class, format!("apply toward `{toward}` failed (exit {}):", out.code), more))
    }

    /// The snapshots of `got` and `want` must be equal.
    fn same(&self, got: &E::Db, want: &E::Db, plan: &Plan, class: Class, what: &str) -> Checked<()> {
        let snap = |db| self.engine.snapshot(db).map_err(|e| fail(class, e, vec![]));
        let (got, want) = (snap(got)?, snap(want)?);
        if got == want {
            return Ok(());
        }
        let only = |a: &str, b: &str, sign: char| -> Vec<String> {
            let other: Vec<&str> = b.lines().collect();
            a.lines().filter(|l| !other.contains(l)).map(|l| format!("{sign}{l}")).collect()
        };
        let mut diff = only(&want, &got, '-');
        diff.extend(only(&got, &want, '+'));
        let mut more = vec!["plan:".to_string()];
        more.extend(statements(plan));
        more.push("difference (- reference, + ours):".into());
        more.extend(head(&diff.join("\n")));
        Err(fail(class, format!("{what} differs from the reference"), more))
    }

    /// A re-plan must be empty, except for destructive steps withheld when drops are disabled.
    fn settled(&self, db: &E::Db, to: &str, class: Class, toward: &str) -> Checked<()> {
        let plan = self.plan(db, to, class, toward)?;
        let withheld =
            !self.case.enable_drop && plan.steps.iter().all(|s| s.hazards.iter().any(|h| h.code.is_destructive()));
        if plan.is_empty() || withheld {
            return Ok(());
        }
        let what = format!("re-plan toward `{toward}` is not empty:");
        Err(fail(class, what, statements(&plan)))
    }

    fn forward(&self) -> Checked<E::Db> {
        let c = self.case;
        let a = self.db("A", &[("current", &c.current)], Class::Load)?;
        self.settled(&a, &self.current, Class::NotIdempotent, "current (before apply)")?;
        if !self.renamed.is_empty() {
            let seeded = self.engine.seed(&a);
            seeded.map_err(|e| fail(Class::Load, format!("seeding rows into A failed: {e}"), vec![]))?;
        }
        if c.error.is_some() {
            self.refused(&a)?;
            return Ok(a);
        }
        let plan = self.plan(&a, &self.desired, Class::PlanError, "desired")?;
        self.apply(&a, &self.desired, &plan, Class::ApplyError, "desired")?;
        let b = match (c.partial(), &c.up) {
            (true, Some(up)) => self.db("B", &[("current", &c.current), ("up", up)], Class::Load)?,
            _ => self.db("B", &[("desired", &c.desired)], Class::Load)?,
        };
        self.same(&a, &b, &plan, Class::NotConverged, "after apply, A")?;
        self.kept_rows(&a, &plan)?;
        self.settled(&a, &self.desired, Class::NotIdempotent, "desired")?;
        Ok(a)
    }

    fn reverse(&self, a: &E::Db) -> Checked<()> {
        let c = self.case;
        let r = Class::Reverse;
        let plan = self.plan(a, &self.current, r, "current")?;
        self.apply(a, &self.current, &plan, r, "current")?;
        let mut scripts = vec![("current", c.current.as_str())];
        if let (true, Some(up), Some(down)) = (c.partial(), &c.up, &c.down) {
            scripts.extend([("up", up.as_str()), ("down", down.as_str())]);
        }
        let back = self.db("C", &scripts, r)?;
        self.same(a, &back, &plan, r, "after going back, A")?;
        self.settled(a, &self.current, r, "current")
    }

    /// Every renamed table still has its row, every renamed column its value.
    fn kept_rows(&self, a: &E::Db, plan: &Plan) -> Checked<()> {
        for (table, column) in &self.renamed {
            let n = self.engine.count(a, table, column.as_deref());
            let what = match column {
                Some(c) => format!("column {table}.{c}"),
                None => format!("table {table}"),
            };
            if n.as_ref().is_ok_and(|n| *n > 0) {
                continue;
            }
            let got = n.map_or_else(|e| e, |n| format!("{n} values"));
            let mut more = vec!["plan:".to_string()];
            more.extend(statements(plan));
            return Err(fail(Class::NotConverged, format!("the renamed {what} lost its data ({got})"), more));
        }
        Ok(())
    }

    /// An `error` case: the tool must refuse with a message and leave the database as it was.
    fn refused(&self, a: &E::Db) -> Checked<()> {
        let before = self.engine.snapshot(a).map_err(|e| fail(Class::Load, e, vec![]))?;
        let out = self.run_apply(a, &self.desired);
        let after = self.engine.snapshot(a).map_err(|e| fail(Class::Load, e, vec![]))?;
        let problem = if out.code == 0 {
            "accepted"
        } else if out.stderr.trim().is_empty() {
            "refused without a message"
        } else if before != after {
            "refused but changed the database"
        } else {
            return Ok(());
        };
        Err(fail(Class::NotRefused, format!("expected a refusal; {problem}"), head(&out.stdout)))
    }
}

/// Whether the plan carries a destructive hazard.
fn destructive(plan: &Plan) -> bool {
    plan.hazards().iter().any(|(_, h)| h.code.is_destructive())
}

/// Runs every check of one applicable case.
pub fn run_case<E: Engine>(engine: &E, case: &Case) -> CaseResult {
    let scratch = Scratch::new();
    let hinted = translate(&case.desired);
    let mut notes = Vec::new();
    if hinted.translated > 0 {
        notes.push(format!("{} rename hint(s) translated", hinted.translated));
    }
    if hinted.untranslated > 0 {
        notes.push(format!("{} rename hint(s) with no directive form left as comments", hinted.untranslated));
    }
    let run = Run {
        engine,
        case,
        desired: scratch.write("desired.sql", &hinted.sql),
        current: scratch.write("current.sql", &case.current),
        renamed: hinted.renamed,
        scratch,
    };
    let mut result = CaseResult {
        name: case.name.clone(),
        error_case: case.error.is_some(),
        forward: false,
        reverse: false,
        failure: None,
        notes,
    };
    let outcome = run.forward().and_then(|a| {
        result.forward = true;
        if case.error.is_none() {
            run.reverse(&a)?;
            result.reverse = true;
        }
        Ok(())
    });
    if let Err(mut f) = outcome {
        let root = run.scratch.path("x");
        let root = root.parent().map(|p| p.display().to_string()).unwrap_or_default();
        for line in &mut f.detail {
            *line = line.replace(&root, "<tmp>");
        }
        result.failure = Some(f);
    }
    result
}
