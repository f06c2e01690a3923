//! The checks of one case (corpus README, "How our conformance runner should use a case"):
//! Check 0 loads `current` into A and requires an empty plan toward `current` (skipped when
//! `current` is empty: the last step of Check 3 is then the same plan); Check 1 applies
//! `desired` with our tool and compares A with B (`desired` loaded directly, or B' =
//! `current` + sqldef's `up` for partial-convergence cases); Check 2 re-plans to empty; Check
//! 3 goes back to `current` and compares with A's own snapshot from right after `current` was
//! loaded (or with `current` + `up` + `down` for partial cases), and re-plans. The first
//! failing check names the class. A dialect with expensive plans may skip the plans other
//! checks imply (`Engine::exhaustive`); the classes stay those of the full order.
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

/// The statements of the plan `apply` printed (its text format: SQL indented by 7 spaces).
fn printed_statements(stdout: &str) -> Vec<String> {
    let sql: Vec<&str> = stdout
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            l.starts_with("       ") && !t.starts_with("help:") && !t.starts_with("live check:")
        })
        .map(str::trim)
        .collect();
    head(&sql.join("\n"))
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

/// What an apply did: the statements it printed, and whether the policy withheld them.
struct Applied {
    plan: Vec<String>,
    withheld: bool,
}

/// A after the forward checks, and the snapshot it had right after `current` was loaded:
/// the reference of the way back (a fresh database loaded from `current` gives the same).
struct Forward<Db> {
    a: Db,
    loaded: String,
}

impl<E: Engine> Run<'_, E> {
    /// A fresh database with the scripts loaded in order.
    fn db(&self, label: &str, scripts: &[(&str, &str)], class: Class) -> Checked<E::Db> {
        let db = self.engine.fresh(&self.scratch, self.case, label).map_err(|e| fail(Class::Load, e, vec![]))?;
        for (what, sql) in scripts {
            self.engine
                .load(&db, sql)
                .map_err(|e| fail(class, format!("loading `{what}` into {label} failed: {e}"), vec![]))?;
        }
        Ok(db)
    }

    fn plan(&self, db: &E::Db, to: &str, class: Class, toward: &str) -> Checked<Plan> {
        let url = self.engine.url(db);
        let mut args: Vec<String> = ["plan", "--url", &url, "--to", to, "--format", "json"].map(String::from).to_vec();
        args.extend(self.engine.tool_args(db));
        args.extend(self.case_args());
        let out = cli(&args);
        if out.code != 0 {
            let what = format!("plan toward `{toward}` failed (exit {}):", out.code);
            return Err(fail(class, what, head(&out.stderr)));
        }
        serde_json::from_str(&out.stdout)
            .map_err(|e| fail(class, format!("plan toward `{toward}` is not JSON: {e}"), head(&out.stdout)))
    }

    /// `--online` for a case whose config asks for `CREATE INDEX CONCURRENTLY`, and the
    /// case's privilege scope as `--manage-roles` rules.
    fn case_args(&self) -> Vec<String> {
        let mut args: Vec<String> =
            self.case.create_index_concurrently.then(|| "--online".to_string()).into_iter().collect();
        for rule in &self.case.manage_roles {
            args.extend(["--manage-roles".to_string(), rule.clone()]);
        }
        args
    }

    /// `schema apply --auto-approve` under the case's policy.
    fn run_apply(&self, db: &E::Db, to: &str) -> Outcome {
        let url = self.engine.url(db);
        let mut args: Vec<String> = ["apply", "--url", &url, "--to", to, "--auto-approve"].map(String::from).to_vec();
        args.extend(self.engine.tool_args(db));
        args.extend(self.case_args());
        args.extend(policy(self.case.enable_drop));
        cli(&args)
    }

    /// Applies, and returns the statements of the plan apply printed and whether it was
    /// withheld. Apply plans itself, so there is no separate `plan` call: one replay of the
    /// desired state fewer. A failure before any plan was printed is a plan error
    /// (`plan_class`). Apply re-inspects before it commits and rolls back unless the database
    /// then matches the desired state; that verification failing is Check 2 failing
    /// (`replan_class`); any other failure is `class`. With drops disabled, a refusal (exit
    /// 3) is "withheld": every non-destructive hazard is allowed, so only a destructive one
    /// can have been refused.
    fn apply(&self, db: &E::Db, to: &str, classes: [Class; 3], toward: &str) -> Checked<Applied> {
        let [plan_class, class, replan_class] = classes;
        let out = self.run_apply(db, to);
        let plan = printed_statements(&out.stdout);
        if out.code == 0 || (out.code == 3 && !self.case.enable_drop) {
            return Ok(Applied { plan, withheld: out.code == 3 });
        }
        if out.stdout.trim().is_empty() {
            let what = format!("plan toward `{toward}` failed (exit {}):", out.code);
            return Err(fail(plan_class, what, head(&out.stderr)));
        }
        let mut more = head(&out.stderr);
        more.push("plan:".into());
        more.extend(plan);
        if out.stderr.contains("schema::verify") {
            let what = format!("apply toward `{toward}` did not reach it: its own re-inspection differs");
            return Err(fail(replan_class, what, more));
        }
        Err(fail(class, format!("apply toward `{toward}` failed (exit {}):", out.code), more))
    }

    /// The snapshot of `got` must equal `want`; with `superset`, it may also hold more.
    fn same(&self, got: &E::Db, want: &str, superset: bool, plan: &[String], class: Class, what: &str) -> Checked<()> {
        let got = self.engine.snapshot(got).map_err(|e| fail(class, e, vec![]))?;
        if got == want {
            return Ok(());
        }
        let only = |a: &str, b: &str, sign: char| -> Vec<String> {
            let other: std::collections::HashSet<&str> = b.lines().collect();
            a.lines().filter(|l| !other.contains(l)).map(|l| format!("{sign}{l}")).collect()
        };
        let mut diff = only(want, &got, '-');
        if superset && diff.is_empty() {
            return Ok(());
        }
        diff.extend(only(&got, want, '+'));
        let mut more = vec!["plan:".to_string()];
        more.extend(plan.iter().cloned());
        more.push("difference (- reference, + ours):".into());
        more.extend(head(&diff.join("\n")));
        Err(fail(class, format!("{what} differs from the reference"), more))
    }

    /// The snapshot of a reference database.
    fn reference(&self, db: &E::Db, class: Class) -> Checked<String> {
        self.engine.snapshot(db).map_err(|e| fail(class, e, vec![]))
    }

    /// A re-plan must be empty, except for destructive steps withheld when drops are disabled.
    /// A plan that fails is `plan_class`.
    fn settled(&self, db: &E::Db, to: &str, plan_class: Class, class: Class, toward: &str) -> Checked<()> {
        let plan = self.plan(db, to, plan_class, toward)?;
        let withheld =
            !self.case.enable_drop && plan.steps.iter().all(|s| s.hazards.iter().any(|h| h.code.is_destructive()));
        if plan.is_empty() || withheld {
            return Ok(());
        }
        let what = format!("re-plan toward `{toward}` is not empty:");
        Err(fail(class, what, statements(&plan)))
    }

    /// Whether Check 0 runs first, or only after another check failed (`Engine::exhaustive`).
    fn check0_first(&self) -> bool {
        self.engine.exhaustive() || self.case.partial() || self.case.error.is_some()
    }

    /// Check 0: our plan toward `current` from A as loaded is empty. An empty `current` makes
    /// it the same plan as the last one of the way back.
    fn check0(&self, a: &E::Db) -> Checked<()> {
        if self.case.current.trim().is_empty() {
            return Ok(());
        }
        self.settled(a, &self.current, Class::PlanError, Class::NotIdempotent, "current (before apply)")
    }

    /// Check 0 on a fresh A, after another check failed.
    fn check0_late(&self) -> Checked<()> {
        if self.case.current.trim().is_empty() {
            return Ok(());
        }
        let a = self.db("A0", &[("current", &self.case.current)], Class::Load)?;
        self.check0(&a)
    }

    fn forward(&self) -> Checked<Forward<E::Db>> {
        let c = self.case;
        let a = self.db("A", &[("current", &c.current)], Class::Load)?;
        let loaded = self.reference(&a, Class::Load)?;
        let carried = self.engine.carried(&a, &c.desired).map_err(|e| fail(Class::Load, e, vec![]))?;
        if self.check0_first() {
            self.check0(&a)?;
        }
        if !self.renamed.is_empty() {
            let seeded = self.engine.seed(&a);
            seeded.map_err(|e| fail(Class::Load, format!("seeding rows into A failed: {e}"), vec![]))?;
        }
        if c.error.is_some() {
            self.refused(&a)?;
            return Ok(Forward { a, loaded });
        }
        let classes = [Class::PlanError, Class::ApplyError, Class::NotIdempotent];
        let applied = self.apply(&a, &self.desired, classes, "desired")?;
        let want = {
            let b = match (c.partial(), &c.up) {
                (true, Some(up)) => self.db("B", &[("current", &c.current), ("up", up)], Class::Load)?,
                _ => {
                    self.db("B", &[("schemas", &carried), ("desired", &self.engine.reference_desired(c))], Class::Load)?
                }
            };
            self.reference(&b, Class::Load)?
        };
        // A partial case without sqldef's `up` has no exact reference: A must hold everything
        // `desired` holds, and may keep more (what is withheld or out of scope).
        let superset = c.partial() && c.up.is_none();
        self.same(&a, &want, superset, &applied.plan, Class::NotConverged, "after apply, A")?;
        self.kept_rows(&a, &applied.plan)?;
        if !self.renamed.is_empty() {
            let emptied = self.engine.unseed(&a);
            emptied.map_err(|e| fail(Class::Load, format!("deleting the seeded rows from A failed: {e}"), vec![]))?;
        }
        if applied.withheld || self.engine.exhaustive() {
            self.settled(&a, &self.desired, Class::NotIdempotent, Class::NotIdempotent, "desired")?;
        }
        Ok(Forward { a, loaded })
    }

    fn reverse(&self, f: &Forward<E::Db>) -> Checked<()> {
        let c = self.case;
        let r = Class::Reverse;
        let applied = self.apply(&f.a, &self.current, [r, r, r], "current")?;
        let want = match (c.partial(), &c.up, &c.down) {
            (true, Some(up), Some(down)) => {
                let back = self.db("C", &[("current", &c.current), ("up", up), ("down", down)], r)?;
                self.reference(&back, r)?
            }
            _ => f.loaded.clone(),
        };
        self.same(&f.a, &want, false, &applied.plan, r, "after going back, A")?;
        if applied.withheld || self.engine.exhaustive() {
            self.settled(&f.a, &self.current, r, r, "current")?;
        }
        Ok(())
    }

    /// Every renamed table still has its row, every renamed column its value.
    fn kept_rows(&self, a: &E::Db, plan: &[String]) -> Checked<()> {
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
            more.extend(plan.iter().cloned());
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
    if case.create_index_concurrently {
        notes.push("create_index_concurrently: planned and applied with --online".into());
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
    let mut outcome = run.forward().and_then(|f| {
        result.forward = true;
        if case.error.is_none() {
            run.reverse(&f)?;
            result.reverse = true;
        }
        Ok(())
    });
    if outcome.is_err() && !run.check0_first() {
        if let Err(first) = run.check0_late() {
            (result.forward, result.reverse) = (false, false);
            outcome = Err(first);
        }
    }
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
