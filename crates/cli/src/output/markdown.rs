//! The plan as a pull-request comment: a summary table, the hazards, and the SQL and its
//! reverse in collapsible sections.

use std::collections::BTreeMap;
use std::fmt::Write;

use schema_diff::Plan;

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The whole plan as Markdown.
pub fn plan_markdown(plan: &Plan, target: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### schema plan for `{}`\n", cell(target));
    if plan.is_empty() {
        let _ = writeln!(out, "No changes: the database matches the desired state.");
        return out;
    }
    let hazards = plan.hazards();
    let _ = writeln!(
        out,
        "**{} step(s), {} statement(s), {} hazard(s)**; {}.\n",
        plan.steps.len(),
        plan.statements().len(),
        hazards.len(),
        if plan.is_reversible() { "fully reversible" } else { "**not fully reversible**" }
    );
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for s in &plan.steps {
        let kind: Vec<&str> = s.description.split_whitespace().take(2).collect();
        *counts.entry(kind.join(" ")).or_default() += 1;
    }
    let _ = writeln!(out, "| change | count |\n|---|--:|");
    for (k, n) in &counts {
        let _ = writeln!(out, "| {} | {n} |", cell(k));
    }
    if !hazards.is_empty() {
        let _ =
            writeln!(out, "\n#### Hazards\n\n| step | code | what | live check | what to do |\n|--:|---|---|---|---|");
        for (step, h) in &hazards {
            let verdict = h.verdict.as_ref().map(|v| format!("**{v}**")).unwrap_or_else(|| "not checked".into());
            let _ = writeln!(
                out,
                "| {step} | `{}` | {} | {} | {} |",
                h.code.id(),
                cell(&h.message),
                cell(&verdict),
                cell(&h.help)
            );
        }
    }
    let irreversible: Vec<String> = plan
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.irreversible.as_ref().map(|why| format!("- step {}: {}", i + 1, why)))
        .collect();
    if !irreversible.is_empty() {
        let _ = writeln!(out, "\n#### Cannot be undone\n\n{}", irreversible.join("\n"));
    }
    let _ = writeln!(out, "\n<details><summary>SQL ({} statements)</summary>\n\n```sql", plan.statements().len());
    for (i, s) in plan.steps.iter().enumerate() {
        let _ = writeln!(out, "-- {}. {}", i + 1, s.description);
        super::sql::step_notes(&mut out, s);
        for st in &s.sql {
            let _ = writeln!(out, "{st};");
        }
    }
    let _ = writeln!(out, "```\n\n</details>\n\n<details><summary>Reverse SQL</summary>\n\n```sql");
    for st in plan.reverse_statements() {
        let _ = writeln!(out, "{st};");
    }
    let _ = writeln!(out, "```\n\n</details>");
    out
}
