"""The plans named on a command line: plan files as given, and every plan file in a folder.

A folder stands for the plan files directly in it (not in its subfolders),
in the order of their names. A file there is a plan file when its name ends
in ``.toml`` (any case), does not start with a dot, and its text has a
``[campaign]`` table header on a line of its own or starts with the
``#:schema ...planner.schema.json`` line: the rule `planner check --staged`
uses (`planner.staged.looks_like_plan`). Other ``.toml`` files
(``pyproject.toml``, a workspace file) are skipped with a note saying why;
files of other names are left alone without one. A file named on the
command line is read as a plan whatever it holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError
from planner.plan.plan_file import Loaded, load_bytes
from planner.plan.source import read_bytes
from planner.staged import looks_like_plan


@dataclass(frozen=True, slots=True)
class Listed:
    """One plan file as read (``loaded``), or why it was not (``error``), or why a folder's file is no plan (``skipped``)."""

    path: Path
    loaded: Loaded | None = None
    error: str = ""
    skipped: str = ""


def _read(path: Path, from_folder: bool) -> Listed:
    try:
        raw = read_bytes(path)
    except PlannerError as error:
        return Listed(path, error=error.message)
    if from_folder and not looks_like_plan(path.name, raw):
        return Listed(path, skipped="not a plan (no [campaign] table)")
    try:
        return Listed(path, loaded=load_bytes(path, raw))
    except PlannerError as error:
        return Listed(path, error=error.message)


def folder_plans(folder: Path) -> list[Path]:
    """The ``.toml`` files directly in ``folder`` that are not hidden, by name (a folder that cannot be listed: `PlannerError`)."""
    try:
        names = sorted(entry for entry in folder.iterdir() if entry.name.lower().endswith(".toml") and not entry.name.startswith("."))
    except OSError as error:
        raise PlannerError(f"{folder}: cannot list the folder ({error.strerror or error})") from None
    return [entry for entry in names if not entry.is_dir()]


def listed_plans(paths: Sequence[Path]) -> Iterator[Listed]:
    """Each path read as a plan, a folder as the plan files in it (see the module's docstring)."""
    for path in paths:
        if path.is_dir():
            try:
                files = folder_plans(path)
            except PlannerError as error:
                yield Listed(path, error=error.message)
                continue
            if not files:
                yield Listed(path, skipped="no .toml files in this folder")
            for file in files:
                yield _read(file, from_folder=True)
        else:
            yield _read(path, from_folder=False)
