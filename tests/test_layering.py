"""The layers stay apart: the core runs without Textual, and `planner check` stays light.

Each check runs in a fresh interpreter, since the test process itself has
imported Textual for the app tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ("planner.plan", "planner.rules", "planner.export", "planner.audit", "planner.report")

# Import every module of the named packages, run what follows, and print which of WATCHED got loaded.
PROBE = """
import importlib, json, pkgutil, sys
WATCHED = ("textual", "rich", "tomlkit", "subprocess", "platformdirs", "zipfile", "difflib", "icalendar", "selectolax", "planner.git")
for name in sys.argv[1].split(","):
    if not name:
        continue
    module = importlib.import_module(name)
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), name + "."):
        importlib.import_module(info.name)
if sys.argv[2:]:
    import planner.cli
    sys.argv = ["planner", *sys.argv[2:]]
    try:
        planner.cli.main()
    except SystemExit:
        pass
print("\\n" + json.dumps(sorted(w for w in WATCHED if w in sys.modules)))
"""


def loaded_by(packages: tuple[str, ...], *command: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(packages), *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("package", CORE)
def test_the_core_imports_neither_textual_nor_rich(package: str) -> None:
    assert not loaded_by((package,)) & {"textual", "rich"}


def test_the_layering_probe_sees_an_import_of_textual() -> None:
    """The probe itself can fail: the app package does load Textual."""
    assert "textual" in loaded_by(("planner.app",))


def test_planner_check_imports_neither_textual_nor_tomlkit() -> None:
    plan = str(ROOT / "sample_plans" / "shop-launch.toml")
    assert not loaded_by((), "check", plan) & {"textual", "rich", "tomlkit"}


def test_planner_check_imports_only_what_checking_needs() -> None:
    """No git (subprocess), no settings folders (platformdirs), no file list of every time zone (zipfile), no typo hints (difflib) for a plan that has none."""
    plan = str(ROOT / "sample_plans" / "shop-launch.toml")
    assert loaded_by((), "check", plan) == set()


def test_the_markdown_export_does_not_import_the_icalendar_library(tmp_path: Path) -> None:
    plan = str(ROOT / "sample_plans" / "shop-launch.toml")
    assert not loaded_by((), "export", plan, "--format", "md", "-o", str(tmp_path / "plan.md")) & {
        "icalendar",
        "textual",
        "tomlkit",
    }
