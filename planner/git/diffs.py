"""What `planner diff` compares, and how each pair of versions is shown.

The versions come from two files, from git (revisions and the work tree,
each file's bytes at a revision read with ``git show REV:PATH``), or from
git itself calling planner as its external diff driver (seven arguments:
the path, then the old and the new file with their hash and mode). A pair
where either side is a plan is compared by entry and field
(`planner.plan.diff`); any other file, or a side that cannot be read as
TOML (a merge conflict left in it), is shown as a plain line diff, as git
would.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.git import repo
from planner.plan.diff import diff_plans, in_words
from planner.plan.plan_file import Loaded, load_bytes
from planner.plan.source import MAX_BYTES, read_bytes
from planner.staged import CAMPAIGN_HEADER, SCHEMA_DIRECTIVE, looks_like_plan

NO_FILE = "/dev/null"  # git's name for the missing side of an added or deleted file


@dataclass(frozen=True, slots=True)
class Versions:
    """Two versions of one file (None: not there), named as the output names it."""

    name: str
    old: bytes | None
    new: bytes | None
    named: bool = False  # named on the command line: compared whatever it holds

    def is_plan(self) -> bool:
        return any(raw is not None and looks_like_plan(self.name, raw) for raw in (self.old, self.new))


def from_files(old: Path, new: Path) -> Versions:
    """``planner diff OLD.toml NEW.toml``: two files (`PlanUnreadable` if one cannot be read)."""
    return Versions(str(new) if old == new else f"{old} → {new}", read_bytes(old), read_bytes(new), named=True)


def from_external(args: Sequence[str]) -> Versions:
    """git's external diff arguments: ``path old-file old-hex old-mode new-file new-hex new-mode [new-path info]``."""
    if len(args) not in (7, 9):
        raise PlannerError(f"--external takes the 7 (or 9) arguments git passes to a diff driver, not {len(args)}")
    name = args[0] if len(args) == 7 else f"{args[0]} → {args[7]}"

    def side(path: str) -> bytes | None:
        return None if path == NO_FILE else read_bytes(Path(path))

    return Versions(name, side(args[1]), side(args[4]), named=True)


def from_git(revs: Sequence[str], paths: Sequence[str], cwd: Path | None = None) -> list[Versions]:
    """The changed plans between ``revs[0]`` (default HEAD) and ``revs[1]`` (default: the work tree), below ``paths`` if given.

    A path named on the command line that is a file is compared whatever it
    holds; other changed files only when they are plans (as `planner check
    --staged` tells them).
    """
    if len(revs) > 2:
        raise PlannerError(f"give at most two revisions (got {len(revs)}: {' '.join(revs)}); name plans after --")
    here = cwd or Path.cwd()
    root = repo.top(here)
    commits = [repo.commit(rev, here) for rev in (revs or ["HEAD"])]
    named = {(here / p).resolve() for p in paths if not (here / p).is_dir()}
    out = []
    for path in repo.changed(commits, paths, here):
        file = root / path
        old = repo.blob(commits[0], path, root)
        if len(commits) == 2:
            new = repo.blob(commits[1], path, root)
        else:
            try:
                new = read_bytes(file)
            except PlannerError:  # deleted in the work tree (or not a regular file)
                new = None
        versions = Versions(os.path.relpath(file, here), old, new, named=file.resolve() in named)
        if versions.named or versions.is_plan():
            out.append(versions)
    return out


def _loaded(name: str, raw: bytes | None) -> Loaded | None:
    return None if raw is None else load_bytes(Path(name), raw)


def compare(versions: Versions) -> tuple[list[str], dict[str, Any]]:
    """The changes as lines for people and as JSON; a line diff for a file that is not a plan or cannot be read."""
    if versions.is_plan():
        try:
            old, new = _loaded(versions.name, versions.old), _loaded(versions.name, versions.new)
        except PlannerError as error:
            note = f"{versions.name}: compared line by line: {error.message}"
            return [note, *line_diff(versions)], {
                "file": versions.name,
                "status": "lines",
                "note": note,
                "lines": line_diff(versions),
            }
        diff = diff_plans(old.data if old else None, new.data if new else None, new.plan if new else None)
        return diff.lines(versions.name), diff.as_json(versions.name)
    lines = line_diff(versions)
    return lines, {"file": versions.name, "status": "lines", "note": "not a plan", "lines": lines}


def line_diff(versions: Versions) -> list[str]:
    """A unified diff of the two versions' text, git's way (``--- a/NAME``, ``+++ b/NAME``)."""

    def text(raw: bytes | None) -> list[str]:
        return [] if raw is None else raw.decode("utf-8", "replace").splitlines()

    old_name = f"a/{versions.name}" if versions.old is not None else NO_FILE
    new_name = f"b/{versions.name}" if versions.new is not None else NO_FILE
    return list(difflib.unified_diff(text(versions.old), text(versions.new), old_name, new_name, lineterm=""))


def textconv(path: Path) -> list[str]:
    """A file as git's line diff should compare it: a plan in words, one line per entry; anything else as it is."""
    raw = read_bytes(path)
    if len(raw) <= MAX_BYTES and (CAMPAIGN_HEADER.search(raw) or SCHEMA_DIRECTIVE.match(raw)):
        try:
            return in_words(load_bytes(path, raw).data)
        except PlannerError:
            pass
    return raw.decode("utf-8", "replace").splitlines()
