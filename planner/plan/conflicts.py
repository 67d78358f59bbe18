"""Merge conflicts left in a plan: finding them, and how planner's merge driver writes them.

A merge that cannot decide (the same field changed to different values on
both sides) leaves conflict markers in the file, git's way:

    <<<<<<< ours
    status = "approved"
    =======
    status = "review"
    >>>>>>> theirs

Such a file is not TOML. Reading it, planner names each unresolved conflict
with its line (`find_conflicts`), instead of a syntax error at the first
marker: `planner check` lists every one, and opening the plan fails with
one line that says where the first is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlanUnreadable

MARKER_SIZE = 7
OURS = "<" * MARKER_SIZE
BASE = "|" * MARKER_SIZE
SPLIT = "=" * MARKER_SIZE
THEIRS = ">" * MARKER_SIZE
_MARKER = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?:[ \t].*)?\r?$")
_KEY = re.compile(r"""^[ \t]*([A-Za-z0-9_."' -]+?)[ \t]*=""")
_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]\]?")
_IDENTITY = re.compile(r"""^[ \t]*(id|name)[ \t]*=[ \t]*("[^"\n]*"|'[^'\n]*')""")


ENTRY_NOUNS = {"smo.items": "item", "smm.platforms": "platform", "smm.posts": "post", "competitors": "competitor"}


@dataclass(frozen=True, slots=True)
class Conflict:
    """An unresolved conflict: the line of its ``<<<<<<<`` marker, and what it is about, as far as the text says."""

    line: int
    key: str = ""  # the first key inside it ("status"), if any
    table: str = ""  # the header above it ("smm.posts"), if any
    entry: str = ""  # the id or name of the entry it is in, if found above it

    def describe(self) -> str:
        where = ""
        if self.key:
            where = f" over {self.key}"
        if self.entry:
            where += f" of {ENTRY_NOUNS.get(self.table, self.table or 'entry')} {self.entry}"
        elif self.table:
            where += f" in [{self.table}]"
        return f"unresolved merge conflict{where}"


def find_conflicts(text: str) -> list[Conflict]:
    """Each ``<<<<<<<`` ... ``>>>>>>>`` region of ``text``, in order (a region left open counts too)."""
    lines = text.split("\n")
    found: list[Conflict] = []
    index = 0
    while index < len(lines):
        if not (lines[index].startswith(OURS) and _MARKER.match(lines[index])):
            index += 1
            continue
        start = index
        index += 1
        inside = []
        while index < len(lines) and not (lines[index].startswith(THEIRS) and _MARKER.match(lines[index])):
            if not _MARKER.match(lines[index]):
                inside.append(lines[index])
            index += 1
        headers = [match.group(1).replace(" ", "") for line in inside if (match := _HEADER.match(line))]
        if headers:  # a whole entry: what it is, and its id, are inside
            ids = [match.group(2) for line in inside if (match := _IDENTITY.match(line))]
            found.append(Conflict(start + 1, "", headers[0], ids[0] if ids else ""))
        else:
            keys = [match.group(1).strip() for line in inside if (match := _KEY.match(line))]
            table, entry = _context(lines, start)
            found.append(Conflict(start + 1, keys[0] if keys else "", table, entry))
        index += 1
    return found


def _context(lines: list[str], start: int) -> tuple[str, str]:
    """The header above line ``start`` and the id or name written between it and the conflict."""
    entry = ""
    for index in range(start - 1, -1, -1):
        line = lines[index]
        if not entry and (match := _IDENTITY.match(line)):
            entry = match.group(2)
        header = _HEADER.match(line)
        if header and not _MARKER.match(line):
            return header.group(1).replace(" ", ""), entry
    return "", entry


class PlanConflicted(PlanUnreadable):
    """The plan has unresolved merge conflicts (``conflicts``, each with its line)."""

    title = "Unresolved merge conflict"

    def __init__(self, path: Path, conflicts: list[Conflict]) -> None:
        first = conflicts[0]
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        super().__init__(f"{path}:{first.line}: {first.describe()}{more}; {RESOLVE}")
        self.path = path
        self.conflicts = conflicts

    def lines(self, file: str) -> list[str]:
        """One line per conflict: ``FILE:LINE: unresolved merge conflict over KEY of TABLE ID; ...``."""
        return [f"{file}:{c.line}: {c.describe()}; {RESOLVE}" for c in self.conflicts]


RESOLVE = f"keep one side and delete the {OURS}, {SPLIT} and {THEIRS} lines"
