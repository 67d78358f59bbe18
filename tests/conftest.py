"""Shared fixtures: every test runs with its own PLANNER_HOME below tmp_path."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_plans"
CORPUS = ROOT.parent / "shared" / "corpora" / "toml-test"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the locations module at a fresh folder; nothing reads real settings."""
    home = tmp_path / "planner-home"
    monkeypatch.setenv("PLANNER_HOME", str(home))
    return home


@pytest.fixture
def sample(tmp_path: Path):
    """Copy a sample plan into tmp_path and return the copy's path."""

    def copy(name: str = "shop-launch.toml") -> Path:
        target = tmp_path / name
        shutil.copyfile(SAMPLES / name, target)
        return target

    return copy


@pytest.fixture
def line_changes():
    """``(removed, added)``: the lines that turned a file's ``before`` bytes into ``after``, for edits that must touch only their lines."""

    def changes(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
        lines = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
        body = [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        return [line[1:] for line in body if line[0] == "-"], [line[1:] for line in body if line[0] == "+"]

    return changes


def corpus_files(kind: str) -> list[Path]:
    folder = CORPUS / kind
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
