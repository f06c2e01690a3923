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


def time_rounds(commands: list[tuple[str, list[str], tuple]], runs: int, *, env=None) -> list[Timing]:
    """Times each (label, command, accepted exit codes) `runs` times in rounds: every round runs
    every command once, in order, so a drift of the machine's speed over the minutes of a run
    reaches all of them alike instead of whichever ran while it lasted. A command that fails is
    recorded and left out of the later rounds."""
    timings = [Timing(label) for label, _, _ in commands]
    for _ in range(runs):
        for t, (label, cmd, ok) in zip(timings, commands):
            if not t.error:
                print(f"   {label}", flush=True)
                _once(t, cmd, ok, env)
    return timings


def _once(t: Timing, cmd: list[str], ok, env) -> None:
    """One timed run of `cmd` under GNU time, added to `t` (or recorded as its error)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
        full = [GNU_TIME, "-f", "%e %M", "-o", f.name, *cmd]
        p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, **(env or {})})
        if p.returncode not in ok:
            t.error = f"exit {p.returncode}: {p.stderr.strip().splitlines()[-1:] or ''}"
            return
        wall, kb = f.read().split()[-2:]
        t.runs.append(float(wall))
        t.peak_kb = max(t.peak_kb, int(kb))
