"""git's merge driver protocol for plans: `planner merge-driver %O %A %B %P`.

git writes the common ancestor (%O), our version (%A) and their version
(%B) to temporary files and names the path being merged (%P). The driver
leaves the result in %A and exits 0 when the merge is clean, non-zero when
conflicts are left in it (git then reports the path as conflicted).

Plans are merged by entry and field (`planner.plan.merge`). When one side
is unchanged, the result is the other side's bytes; when both sides are the
same, ours, byte for byte. A file that is not a plan (``pyproject.toml``
matched by ``*.toml``), or one that cannot be merged by entry (not valid
TOML, entries without ids, a layout the document engine cannot edit), is
merged line by line by ``git merge-file``, as git would have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import PlannerError
from planner.git import repo
from planner.plan.merge import Unmergeable, merge_texts
from planner.plan.source import Source, read_bytes
from planner.plan.storage import atomic_write
from planner.staged import looks_like_plan


@dataclass
class Outcome:
    """How a merge went: "unchanged", "one side", "by entry" or "by line"; the conflicts left, one line each."""

    how: str
    conflicts: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def exit_code(self) -> int:
        return 1 if self.conflicts else 0


def merge_files(base: Path, ours: Path, theirs: Path, name: str) -> Outcome:
    """Merge ``theirs`` into ``ours`` (written in place) since ``base``; ``name`` is the path git merges."""
    raw_o, raw_a, raw_b = (read_bytes(path) for path in (base, ours, theirs))
    if raw_a == raw_b or raw_o == raw_b:
        return Outcome("unchanged")
    if raw_o == raw_a:
        atomic_write(ours, raw_b)
        return Outcome("one side")
    if not any(
        looks_like_plan(name if name.lower().endswith(".toml") else "plan.toml", raw) for raw in (raw_o, raw_a, raw_b)
    ):
        return _by_line(base, ours, theirs, name)
    try:
        sources = [Source.from_bytes(Path(name), raw) for raw in (raw_o, raw_a, raw_b)]
        result = merge_texts(*(source.text for source in sources))
    except (Unmergeable, PlannerError) as error:
        reason = error.reason if isinstance(error, Unmergeable) else str(error)
        return _by_line(base, ours, theirs, name, f"{name}: not merged by entry ({reason}); merged line by line")
    atomic_write(ours, sources[1].encode(result.text))
    return Outcome("by entry", [f"{name}:{c.line}: {c.describe()}" for c in result.conflicts])


def _by_line(base: Path, ours: Path, theirs: Path, name: str, note: str = "") -> Outcome:
    """git's own line merge (``git merge-file``), conflict markers and all."""
    try:
        count = repo.merge_file(ours, base, theirs)
    except repo.NotInGit as error:
        raise PlannerError(f"{name}: {error.message}") from None
    conflicts = [f"{name}: {count} conflict{'s' if count != 1 else ''} left by the line merge"] if count else []
    return Outcome("by line", conflicts, note)
