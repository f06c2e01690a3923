"""Runs the criterion benchmarks of the pure parts and reads their estimates."""
from __future__ import annotations

import os
import re
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
