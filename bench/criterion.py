"""Runs the criterion benchmarks of the pure parts and reads their estimates."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

BENCHES = [("schema-diff", "plan")]
LINE = re.compile(r"^test (\S+)\s+\.\.\. bench:\s+([\d,]+) ns/iter")


def run(root: Path, models: Path) -> list[tuple[str, float]]:
    """(benchmark name, nanoseconds per iteration) for every criterion benchmark."""
    found = []
    for package, bench in BENCHES:
        p = subprocess.run(["cargo", "bench", "-q", "-p", package, "--bench", bench, "--", "--output-format",
                            "bencher"], cwd=root, capture_output=True, text=True, check=True,
                           env={**os.environ, "BENCH_MODELS": str(models)})
        for line in p.stdout.splitlines():
            m = LINE.match(line)
            if m:
                found.append((m.group(1), float(m.group(2).replace(",", ""))))
    return found
