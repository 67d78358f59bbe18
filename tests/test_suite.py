"""The test suite's own settings: how many examples properties get, and what CI refuses."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import PROFILE_SCALES, ROOT, refusal

GOLDEN = ROOT / "tests" / "golden"

PROPERTY = "tests/test_slots.py::test_the_editor_and_the_check_never_disagree"  # a quick one; its everyday budget is 60


def pytest_run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """This suite's pytest in a child process, with ``env`` over a copy of ours (without CI's own variables)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE", "PLANNER_UPDATE_GOLDEN")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def budget(**env: str) -> int:
    run = pytest_run(PROPERTY, "--hypothesis-show-statistics", **env)
    assert run.returncode == 0, run.stdout + run.stderr
    return int(re.search(r"Stopped because settings\.max_examples=(\d+)", run.stdout).group(1))


def test_the_ci_profile_runs_every_property_a_multiple_of_its_everyday_budget() -> None:
    assert PROFILE_SCALES["dev"] == 1 and PROFILE_SCALES["ci"] > 1
    assert budget() == 60
    assert budget(HYPOTHESIS_PROFILE="ci") == 60 * PROFILE_SCALES["ci"]


def test_an_unknown_profile_is_refused_rather_than_run_with_the_everyday_budget() -> None:
    assert (
        refusal({"HYPOTHESIS_PROFILE": "fast"})
        == "HYPOTHESIS_PROFILE='fast' is not a profile of this suite; use one of dev, ci, thorough"
    )
    assert refusal({"HYPOTHESIS_PROFILE": "ci"}) is None


def test_updating_the_golden_files_is_refused_in_ci() -> None:
    # With PLANNER_UPDATE_GOLDEN=1 each golden test writes its file and then compares with it: it passes whatever the export gives.
    before = {path.name: path.read_bytes() for path in GOLDEN.iterdir()}
    run = pytest_run("tests/test_export.py", "-k", "golden", CI="1", PLANNER_UPDATE_GOLDEN="1")
    assert run.returncode == 4, run.stdout + run.stderr  # pytest's exit code for a usage error: nothing ran
    assert "PLANNER_UPDATE_GOLDEN is set in CI" in run.stderr
    assert {path.name: path.read_bytes() for path in GOLDEN.iterdir()} == before
    assert refusal({"PLANNER_UPDATE_GOLDEN": "1"}) is None  # outside CI it is how the files are made


def test_ci_runs_the_readme_command_with_ci_set_and_the_ci_profile() -> None:
    script = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    readme = (ROOT / "README.md").read_text("utf-8")
    command = next(line for line in script if line.startswith("python3 -m venv"))
    assert command.replace("pip install -q ", "pip install ") in readme  # the README's command, quiet
    exports = [line for line in script[: script.index(command)] if line.startswith("export ")]
    assert "export CI=1 HYPOTHESIS_PROFILE=ci" in exports
