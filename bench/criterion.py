"""Runs the criterion benchmarks of the pure parts and reads their estimates, and counts what one
plan executes under callgrind."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

BENCHES = [("schema-diff", "plan")]
LINE = re.compile(r"^test (\S+)\s+\.\.\. bench:\s+([\d,]+) ns/iter")
ALLOCATED = re.compile(r"^allocated (\S+) bytes (\d+) blocks (\d+)$")


def run(root: Path, models: Path) -> tuple[list[tuple[str, float]], list[tuple[str, int, int]]]:
    """(benchmark name, nanoseconds per iteration) for every criterion benchmark, and (benchmark
    name, bytes, blocks) of what one iteration allocates, where the bench counts it."""
    found, allocated = [], []
    for package, bench in BENCHES:
        p = subprocess.run(["cargo", "bench", "-q", "-p", package, "--bench", bench, "--", "--output-format",
                            "bencher"], cwd=root, capture_output=True, text=True, check=True,
                           env={**os.environ, "BENCH_MODELS": str(models)})
        for line in p.stdout.splitlines():
            m = LINE.match(line)
            if m:
                found.append((m.group(1), float(m.group(2).replace(",", ""))))
            m = ALLOCATED.match(line)
            if m:
                allocated.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return found, allocated


COUNTED_SIZES = (1000, 10000)


# The last-level cache callgrind simulates: fixed, so counts from different machines compare (a
# VM may report its host's whole cache: 32 MiB on one machine this ran on, 160 MiB on the next).
# BENCH_LLC="bytes,ways,line" picks another.
SIMULATED_CACHE = (32 * 2**20, 16, 64)


def last_level_cache() -> tuple[int, int, int]:
    """(bytes, ways, line) of the simulated last-level cache: BENCH_LLC, or SIMULATED_CACHE."""
    given = os.environ.get("BENCH_LLC")
    if not given:
        return SIMULATED_CACHE
    size, ways, line = (int(v) for v in given.split(","))
    return size, ways, line


def counted(root: Path, models: Path, work: Path) -> list[tuple[int, int, int, str]]:
    """(tables, instructions, last-level cache misses, cache described) of one `steps_with`
    at each of COUNTED_SIZES, counted by callgrind with a fixed last-level cache simulated;
    empty when valgrind is missing."""
    if shutil.which("valgrind") is None:
        return []
    p = subprocess.run(["cargo", "bench", "-q", "-p", "schema-diff", "--bench", "plan", "--no-run",
                        "--message-format=json"], cwd=root, capture_output=True, text=True, check=True)
    exe = next(m["executable"] for m in map(json.loads, p.stdout.splitlines())
               if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "plan" and m.get("executable"))
    cache = last_level_cache()
    sim = ["--cache-sim=yes", f"--LL={cache[0]},{cache[1]},{cache[2]}"]
    described = f"{cache[0] // 2**20} MiB, {cache[1]}-way"
    found = []
    for n in COUNTED_SIZES:
        out = work / f"callgrind-{n}.out"
        subprocess.run(["valgrind", "--tool=callgrind", *sim, "--toggle-collect=*one_plan*",
                        f"--callgrind-out-file={out}", exe], cwd=root, capture_output=True, check=True,
                       env={**os.environ, "BENCH_MODELS": str(models), "BENCH_ONCE": "1", "BENCH_SIZES": str(n)})
        text = out.read_text()
        events = re.search(r"^events: (.*)$", text, re.M).group(1).split()
        counts = dict(zip(events, map(int, re.search(r"^summary: (.*)$", text, re.M).group(1).split())))
        found.append((n, counts["Ir"], counts.get("DLmr", 0) + counts.get("DLmw", 0), described))
    return found
