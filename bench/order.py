"""The order of desired-state statements, timed: the same tables written first to last and last
to first. Each table refers to the next one (with, on PostgreSQL, an index and a comment after
it), so read backwards every statement names something defined further down and must wait for
it. Reading must stay linear whatever the order: rounds that retried every waiting statement
once per link of the chain took 18 s offline and 204 s with --dev-url for what the first order
reads in well under a second. Each pair must also give the same plan, or the figure is a
failure.
"""
from __future__ import annotations

from pathlib import Path

import mysql
import postgres
from measure import run, time_rounds

TABLES = 1000


def chain_sql(dialect: str, n: int, backwards: bool) -> str:
    """`n` tables where table i refers to table i + 1: first to last, each table after the one it
    refers to; backwards, the same statements last to first."""
    statements = []
    for i in reversed(range(n)):
        if dialect == "postgres":
            key = f" REFERENCES link_{i + 1} (id)" if i + 1 < n else ""
            statements += [f"CREATE TABLE link_{i} (id int PRIMARY KEY, next int{key});",
                           f"CREATE INDEX link_{i}_next ON link_{i} (next);",
                           f"COMMENT ON TABLE link_{i} IS 'link {i}';"]
        else:
            key = f", FOREIGN KEY (next) REFERENCES link_{i + 1} (id)" if i + 1 < n else ""
            statements.append(f"CREATE TABLE link_{i} (id int PRIMARY KEY, next int{key});")
    if backwards:
        statements.reverse()
    return "\n".join(statements) + "\n"


def bench(schema: str, runs: int, work: Path, dialects: list[str], n: int = TABLES) -> list[dict]:
    """For each way of reading the files, the timings first to last and last to first, and
    whether both give the same plan."""
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, d in (("postgres", postgres), ("mysql", mysql)):
        if name not in dialects:
            continue
        print(f"== statement order, {name}, {n} tables", flush=True)
        empty, dev = f"schema_bench_order_empty_{name}", f"schema_bench_order_dev_{name}"
        d.recreate(empty)
        d.recreate(dev)
        files = {}
        for backwards in (False, True):
            path = work / f"{name}-{'backwards' if backwards else 'forwards'}.sql"
            path.write_text(chain_sql(name, n, backwards))
            files[backwards] = path
        ways = [("--dev-url", ["--dev-url", d.url(dev)])]
        if name == "postgres":
            ways.insert(0, ("offline", []))
        for way, extra in ways:
            cmds = [(f"{name} {way} {'last to first' if b else 'first to last'}",
                     [schema, "diff", "--from", d.url(empty), "--to", str(files[b]), *extra], (0,))
                    for b in (False, True)]
            forwards, backwards = time_rounds(cmds, runs)
            plans = [run(cmd).stdout for _, cmd, _ in cmds]
            same = "ok" if plans[0] == plans[1] and plans[0].strip() else "the plans differ"
            rows.append({"dialect": name, "way": way, "n": n, "forwards": forwards, "backwards": backwards,
                         "same": same})
        d.drop(empty)
        d.drop(dev)
    return rows


def section(rows: list[dict]) -> list[str]:
    """The rows as a Markdown table for BENCHMARKS.md."""
    if not rows:
        return []
    out = ["### Order of statements", "",
           "`bench/order.py`: tables that each refer to the next, written first to last and last to first",
           "(on PostgreSQL with an index and a comment after each table), planned against an empty",
           "database. Backwards, every statement names something defined further down and waits for it;",
           "the time must stay linear. Same plan: both orders give the same plan text.", "",
           "| dialect, reading | tables | first to last | last to first | last ÷ first | same plan |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        f, b = r["forwards"], r["backwards"]
        ratio = "—" if f.error or b.error else f"{b.median / f.median:.2f}"
        secs = (lambda t: f"failed ({t.error})" if t.error else f"{t.median:.3f} s")
        out.append(f"| {r['dialect']} {r['way']} | {r['n']:,} | {secs(f)} | {secs(b)} | {ratio} | {r['same']} |")
    return out + [""]
