"""The code stays clean under the project's linters: ruff (lint and format) and mypy (types), configured in pyproject.toml.

They run here so that the README's test command, and so CI, fails on a lint or type error, as on a failing test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing_to_fix() -> None:
    done = run("ruff", "check", "--no-cache", "planner", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_is_formatted_as_ruff_formats_it() -> None:
    done = run("ruff", "format", "--check", "--no-cache", "planner", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_type_error() -> None:
    done = run("mypy")  # the files and settings are in pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr
