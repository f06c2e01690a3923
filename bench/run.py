#!/usr/bin/env python3
"""The benchmark suite of `schema` against its peers, on one machine, in one run.

  python3 bench/run.py                       # PostgreSQL and MySQL at 1,000 and 5,000 tables, SQLite at 5,000
  python3 bench/run.py --sizes 200 --runs 1  # a quick check of the harness

For each dialect and size it generates schema A and its mutated twin B with
../shared/bench/gen_schema.py, loads them, times our diff/plan/inspect and the peers' commands
(median of --runs, peak memory from GNU time), checks that our diff applied to a copy of A
leaves no difference from B in a catalog fingerprint of its own (and does the same for the
peers that write a migration), times reading the same tables in either order (bench/order.py,
a section of its own), runs the criterion benchmarks of the differ and planner, counts
what one plan executes under callgrind (valgrind), and writes BENCHMARKS.md. Peers come from
../shared/peers/setup.sh; a missing one is reported.
"""
from __future__ import annotations

import argparse
import datetime
import difflib
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import criterion  # noqa: E402
import mysql  # noqa: E402
import order  # noqa: E402
import postgres  # noqa: E402
import report  # noqa: E402
import sqlite  # noqa: E402
import sqlite_form  # noqa: E402
from measure import CommandFailed, run, time_rounds  # noqa: E402

GENERATOR = Path(os.environ.get("BENCH_GENERATOR", ROOT.parent / "shared" / "bench" / "gen_schema.py"))
DIALECTS = {"postgres": postgres, "mysql": mysql, "sqlite": sqlite}


def generate(d, n: int, work: Path) -> tuple[Path, Path]:
    """a.sql and b.sql (the mutated twin) for dialect module `d`."""
    a, b = work / "a.sql", work / "b.sql"
    for path, mutate in ((a, False), (b, True)):
        if d.FLAVOUR:
            cmd = [sys.executable, str(GENERATOR), "--tables", str(n), "--seed", "1", "--dialect", d.FLAVOUR,
                   "-q", "-o", str(path)]
        else:
            cmd = [sys.executable, str(HERE / "sqlite_form.py"), "--generator", str(GENERATOR), "--tables", str(n),
                   "-o", str(path)]
        run(cmd + (["--mutate"] if mutate else []))
    return a, b


def names(d, n: int, work: Path) -> dict:
    if d is sqlite:
        return {k: str(work / f"{k}.db") for k in ("a", "b", "dev", "copy")}
    return {k: f"schema_bench_{k}_{n}" for k in ("a", "b", "dev", "copy")}


def fidelity(d, nm: dict, a_sql: Path, script: Path) -> str:
    """Applies `script` to a copy of A and compares the copy with B: 'ok' or what differs."""
    if d is postgres:
        d.copy(nm["a"], nm["copy"])
    else:
        d.copy(nm["a"], nm["copy"], a_sql)
    try:
        d.apply_script(nm["copy"], script)
    except CommandFailed as e:
        return f"apply failed: {str(e).splitlines()[0][:200]}"
    got, want = d.fingerprint(nm["copy"]), d.fingerprint(nm["b"])
    if got == want:
        return "ok"
    delta = [line for line in difflib.unified_diff(want, got, lineterm="", n=0) if line[:1] in "+-"][2:]
    return f"{len(delta)} catalog lines differ, e.g. {delta[0][:160] if delta else ''}"


def bench_dialect(d, n: int, args, schema: str) -> dict:
    work = args.out / d.NAME / str(n)
    work.mkdir(parents=True, exist_ok=True)
    print(f"== {d.NAME}, {n} tables", flush=True)
    a_sql, b_sql = generate(d, n, work)
    nm = names(d, n, work)
    d.load(nm["a"], a_sql)
    d.load(nm["b"], b_sql)
    if d is not sqlite:
        d.recreate(nm["dev"])
    result = {"dialect": d.NAME, "n": n, "ours": [], "peers": [], "fidelity": {}}
    ours = [(label, cmd, (0,)) for label, cmd in d.ours(schema, nm["a"], nm["b"], b_sql, nm["dev"])]
    timings = time_rounds(ours + d.peers(nm["a"], nm["b"], work), args.runs)
    result["ours"], result["peers"] = timings[:len(ours)], timings[len(ours):]
    ours_sql = work / "ours.sql"
    ours_sql.write_text(run([schema, "diff", "--from", d.url(nm["a"]), "--to", d.url(nm["b"])]).stdout)
    result["fidelity"]["schema diff"] = fidelity(d, nm, a_sql, ours_sql)
    for t in result["peers"]:
        script = d.peer_script(t.label, nm["a"], nm["b"], work)
        if script is not None:
            result["fidelity"][t.label.split()[0]] = fidelity(d, nm, a_sql, script)
    print(f"   fidelity: {result['fidelity']}", flush=True)
    if not args.keep:
        for db in nm.values():
            d.drop(db)
    return result


MODEL_SIZES = (1000, 5000, 10000)
HEADING = "## Catalog reads and diffs beside the peers"


def write_section(path: Path, section: str, heading: str = HEADING) -> None:
    """Replaces one benchmark's section of BENCHMARKS.md (from its heading to the next `## `),
    keeping the others (the write stall's, the statement order's), as bench/src/report.rs does for
    its own."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = section.rstrip("\n") + "\n"
    if heading in text:
        i = text.index(heading)
        j = text.find("\n## ", i + len(heading))
        text = text[:i] + section + ("" if j < 0 else text[j + 1:])
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def write_models(args) -> None:
    """The generated PostgreSQL SQL of A and B that the criterion benchmarks parse offline (no server)."""
    models = args.out / "models"
    models.mkdir(parents=True, exist_ok=True)
    for n in MODEL_SIZES:
        if all((models / f"{k}-{n}.sql").exists() for k in "ab"):
            continue
        print(f"== models at {n} tables", flush=True)
        a_sql, b_sql = generate(postgres, n, models)
        a_sql.rename(models / f"a-{n}.sql")
        b_sql.rename(models / f"b-{n}.sql")


def sizes_for(spec: str | None, dialect: str) -> list[int]:
    """The table counts `--sizes` gives `dialect`: one list for all, or `dialect:n,n;...` groups."""
    if not spec:
        return []
    if ":" not in spec:
        return [int(s) for s in spec.split(",")]
    for group in spec.split(";"):
        name, _, counts = group.partition(":")
        if name.strip() == dialect:
            return [int(s) for s in counts.split(",")]
    return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dialects", default="postgres,mysql,sqlite")
    ap.add_argument("--sizes", help="table counts for every dialect (default: 1000,5000; SQLite 5000), or per "
                    "dialect as postgres:1000,5000;mysql:1000;sqlite:5000")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per command (median reported)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="work directory")
    ap.add_argument("--report", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--no-criterion", action="store_true", help="skip the criterion benchmarks")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    ap.add_argument("--schema", type=Path, help="the `schema` binary to time (default: build a release one)")
    ap.add_argument("--models-only", action="store_true",
                    help="only write the SQL the criterion benchmarks parse, then stop")
    args = ap.parse_args()

    if args.schema:
        schema = str(args.schema)
    else:
        print("building schema (release)", flush=True)
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "schema-cli"], cwd=ROOT, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        schema = str(target / "release" / "schema")
    if not args.no_criterion or args.models_only:
        write_models(args)
    if args.models_only:
        return 0
    results = []
    for name in args.dialects.split(","):
        d = DIALECTS[name]
        sizes = sizes_for(args.sizes, name) or ([5000] if d is sqlite else [1000, 5000])
        for n in sizes:
            results.append(bench_dialect(d, n, args, schema))
    crit, allocated = ([], []) if args.no_criterion else criterion.run(ROOT, args.out / "models")
    counted = [] if args.no_criterion else criterion.counted(ROOT, args.out / "models", args.out)
    machine = f"{platform.node()}, {os.cpu_count()} cores, {platform.platform()}"
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    write_section(args.report, report.markdown(results, crit, machine, when, args.runs, allocated, counted))
    ordered = order.bench(schema, args.runs, args.out / "order", args.dialects.split(","))
    write_section(args.report, order.section(ordered, machine, args.runs), order.HEADING)
    print(f"wrote {args.report}")
    failed = [r for r in results for v in [r["fidelity"]["schema diff"]] if v != "ok"]
    failed += [r for r in results for t in r["ours"] if t.error]
    return 1 if failed or order.failed(ordered) else 0


if __name__ == "__main__":
    sys.exit(main())
