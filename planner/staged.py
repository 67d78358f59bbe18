"""The plans staged for a git commit, as they will be committed (`planner check --staged`).

A git hook must check what is in the index, not the working copy: a plan
fixed in the editor but not staged is still broken in the commit. The
staged files come from ``git diff --cached --name-only -z`` (so any file
name works, spaces and newlines included) and each one's staged bytes from
``git cat-file blob :PATH``.

A staged file is a plan when its name ends in ``.toml`` and its staged text
has a ``[campaign]`` table header on a line of its own, the one table every
plan has (so ``pyproject.toml`` and other TOML files are left alone), or
starts with a ``#:schema`` line naming ``planner.schema.json``. Paths named
on the command line are checked whatever they hold.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.plan.plan_file import Loaded, load_bytes

CAMPAIGN_HEADER = re.compile(rb"^[ \t]*\[[ \t]*campaign[ \t]*\][ \t]*(#[^\n]*)?\r?$", re.MULTILINE)
SCHEMA_DIRECTIVE = re.compile(rb"\A(\xef\xbb\xbf)?#:schema [^\n]*planner\.schema\.json[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class StagedFile:
    path: str  # relative to the top of the work tree, as git names it
    name: str  # as the report shows it: relative to the current folder
    raw: bytes


def looks_like_plan(path: str, raw: bytes) -> bool:
    """Whether a staged file is a plan (see the module's docstring)."""
    return path.lower().endswith(".toml") and bool(CAMPAIGN_HEADER.search(raw) or SCHEMA_DIRECTIVE.match(raw))


def staged_plans(paths: Sequence[str] = ()) -> Iterator[StagedFile]:
    """Each staged plan (added, copied, modified or renamed) in the index; only those under ``paths`` if any are given."""
    from planner.git.repo import git as _git  # git only here: `planner check` of files and folders runs without it

    top = Path(os.fsdecode(_git(["rev-parse", "--show-toplevel"]).rstrip(b"\n")))
    here = Path.cwd()
    # pathspecs are relative to the current folder; literal, so a name with * or : is itself
    specs = ["--", *(f":(literal){p}" for p in paths)] if paths else []
    names = _git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", *specs])
    for raw_name in filter(None, names.split(b"\0")):
        path = os.fsdecode(raw_name)
        raw = _git(["cat-file", "blob", f":{path}"], cwd=top)
        if paths or looks_like_plan(path, raw):
            yield StagedFile(path, os.path.relpath(top / path, here), raw)


def load_staged(staged: StagedFile) -> Loaded:
    """Read and validate a staged plan's bytes as `plan_file.load` reads a file; `PlanUnreadable` if it is no TOML plan."""
    return load_bytes(Path(staged.name), staged.raw)
