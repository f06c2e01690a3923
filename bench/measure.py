"""Timing of one command: median wall time over runs, and peak resident memory, through GNU time."""
from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field

GNU_TIME = "/usr/bin/time"


@dataclass
class Timing:
    """What the report prints for one command."""

    label: str
    runs: list = field(default_factory=list)  # wall seconds
    peak_kb: int = 0
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")


class CommandFailed(RuntimeError):
    """A timed or setup command exited with an unexpected code."""


def run(cmd: list[str], *, ok=(0,), stdin=None, env=None, capture=True) -> subprocess.CompletedProcess:
    """Runs `cmd`, raising CommandFailed (with its stderr) on an unexpected exit code."""
    p = subprocess.run(cmd, stdin=stdin, capture_output=capture, text=True, env=env)
    if p.returncode not in ok:
        raise CommandFailed(f"{' '.join(cmd)} exited {p.returncode}: {(p.stderr or '').strip()[-2000:]}")
    return p


def time_command(label: str, cmd: list[str], runs: int, *, ok=(0,), env=None) -> Timing:
    """Runs `cmd` `runs` times under GNU time; a failure is recorded, not raised."""
    t = Timing(label)
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
            full = [GNU_TIME, "-f", "%e %M", "-o", f.name, *cmd]
            p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
            if p.returncode not in ok:
                t.error = f"exit {p.returncode}: {p.stderr.strip().splitlines()[-1:] or ''}"
                return t
            wall, kb = f.read().split()[-2:]
            t.runs.append(float(wall))
            t.peak_kb = max(t.peak_kb, int(kb))
    return t
