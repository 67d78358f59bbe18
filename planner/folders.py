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
from planner.plan.source import read_bytes
from planner.staged import looks_like_plan


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path that gives no plan: a folder's file that is no plan, an empty folder (notes), or a folder that cannot be listed (``error``)."""

    path: Path
    reason: str
    error: bool = False


def folder_plans(folder: Path) -> list[Path]:
    """The ``.toml`` files directly in ``folder`` that are not hidden, by name (a folder that cannot be listed: `PlannerError`)."""
    try:
        names = sorted(
            entry
            for entry in folder.iterdir()
            if entry.name.lower().endswith(".toml") and not entry.name.startswith(".")
        )
    except OSError as error:
        raise PlannerError(f"{folder}: cannot list the folder ({error.strerror or error})") from None
    return [entry for entry in names if not entry.is_dir()]


def _is_plan(path: Path) -> bool:
    """Whether a folder's ``.toml`` file is a plan; one that cannot be read is kept, so that reading it says why."""
    try:
        return looks_like_plan(path.name, read_bytes(path))
    except PlannerError:
        return True


def plan_paths(paths: Sequence[Path]) -> Iterator[Path | Skipped]:
    """Each path as given, each folder as the plan files in it (see the module's docstring), and what was skipped."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        try:
            files = folder_plans(path)
        except PlannerError as error:
            yield Skipped(path, error.message, error=True)
            continue
        found = False
        for file in files:
            if _is_plan(file):
                found = True
                yield file
            else:
                yield Skipped(file, "not a plan (no [campaign] table)")
        if not found:
            yield Skipped(path, "no plan files in this folder")
