"""Run this project's own commands in a child process, as an operator or the chart would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(
    env: dict[str, str], *args: str, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """`python ARGS…` from the repository root with env; output captured, never raises."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_flask(
    env: dict[str, str], *args: str, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """`flask --app wsgi ARGS…` (see run_python)."""
    return run_python(env, "-m", "flask", "--app", "wsgi", *args, timeout=timeout)
