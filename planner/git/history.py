"""What the app shows of a plan in git: the entries changed since the last commit, and a post's history.

Both compare versions of the plan with the semantic diff
(`planner.plan.diff`), so they name entries by id as `planner diff` does:
moving a post in the file, or a change of layout, changes nothing.

* `SinceCommit.changes` compares the plan as it is in the app (its plain
  data, a `snapshot` taken on the app's thread) with the file at ``HEAD``;
* `post_history` goes through the last commits of the plan file (``git
  log``), newest first, and keeps those that changed one post, in words.

Outside a git work tree, without git, or for a plan not committed yet,
both say so with None or `NotInGit`: the app then shows nothing of this.
Nothing here imports Textual; the results are plain models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.git import repo
from planner.git.repo import NotInGit
from planner.plan.diff import Change, diff_plans
from planner.plan.plan_file import load_bytes

HISTORY_COMMITS = 50  # how many of the plan file's last commits a post's history reads
NOUNS = ("post", "item", "platform", "competitor")


def snapshot(data: Any) -> Any:
    """A copy of plain plan data (tables and arrays copied, values shared): what a worker may read while edits go on."""
    if isinstance(data, dict):
        out = dict(data)
        for key, value in out.items():
            if isinstance(value, (dict, list)):
                out[key] = snapshot(value)
        return out
    if isinstance(data, list):
        return [snapshot(value) if isinstance(value, (dict, list)) else value for value in data]
    return data


@dataclass(frozen=True)
class Changed:
    """The entries that differ from the plan at commit ``commit`` (ids by noun: "post", "item", "platform", "competitor")."""

    commit: str
    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def of(self, noun: str) -> frozenset[str]:
        return self.ids.get(noun, frozenset())

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.ids.values())


def changed_ids(changes: list[Change]) -> dict[str, frozenset[str]]:
    """The entries (present now) that ``changes`` added, changed or renamed, by noun."""
    found: dict[str, set[str]] = {noun: set() for noun in NOUNS}
    for change in changes:
        if change.kind in ("added", "changed", "renamed") and change.id is not None and change.what in found:
            found[change.what].add(change.id)
    return {noun: frozenset(ids) for noun, ids in found.items()}


def _parsed(path: Path, raw: bytes) -> Mapping[str, Any] | None:
    """The plain data of a version of the plan; None if it cannot be read as one (a conflict left in it)."""
    try:
        return load_bytes(path, raw).data
    except PlannerError:
        return None


class SinceCommit:
    """The plan file's version at ``HEAD``, read once per commit, compared with the plan in the app.

    One object per open plan, used from one worker at a time.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._head: tuple[str, Mapping[str, Any] | None] | None = None  # (commit, its data), the last read

    def changes(self, data: Mapping[str, Any]) -> Changed | None:
        """What differs between ``data`` and the file at ``HEAD``; None outside git, before the first commit, or for a file not committed."""
        try:
            root, inside = repo.relative(self.path)
            commit = repo.commit("HEAD", root)
        except NotInGit:
            return None
        if self._head is None or self._head[0] != commit:
            raw = repo.blob(commit, inside, root)
            self._head = (commit, None if raw is None else _parsed(self.path, raw))
        old = self._head[1]
        if old is None:
            return None
        return Changed(commit, changed_ids(diff_plans(old, data).changes))


@dataclass(frozen=True)
class Revision:
    """One commit's change to a post: who, when, why (the subject), and what changed in words."""

    commit: str
    author: str
    date: str  # ISO 8601, as git writes it
    subject: str
    words: tuple[str, ...]

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class History:
    """A post's changes, newest first, from the last ``read`` commits of the file (``more``: older ones were not read)."""

    post_id: str
    revisions: tuple[Revision, ...]
    read: int
    more: bool


LOG_FORMAT = "%H%x00%P%x00%an%x00%aI%x00%s%x00"


def post_history(path: Path, post_id: str, limit: int = HISTORY_COMMITS) -> History:
    """The commits among the last ``limit`` of the plan file that changed post ``post_id``, newest first.

    Each commit is compared with its first parent. A rename of the post's id
    is followed: older commits are searched for the id it had before.
    `NotInGit` outside a work tree, without git, or before the first commit.
    """
    root, inside = repo.relative(path)
    repo.commit("HEAD", root)
    raw = repo.git(
        [
            "log",
            f"--max-count={limit + 1}",
            f"--format={LOG_FORMAT}",
            "--no-textconv",
            "HEAD",
            "--",
            f":(literal){inside}",
        ],
        root,
    )
    fields = raw.decode("utf-8", "replace").split("\0")
    commits: list[tuple[str, list[str], str, str, str]] = []
    for start in range(0, len(fields) - 4, 5):
        sha, parent_list, author, date, subject = (part.strip("\n") for part in fields[start : start + 5])
        commits.append((sha, parent_list.split(), author, date, subject))
    more = len(commits) > limit
    commits = commits[:limit]
    cache: dict[str, Mapping[str, Any] | None] = {}

    def version(commit: str | None) -> Mapping[str, Any] | None:
        if commit is None:
            return None
        blob = repo.blob(commit, inside, root)
        if blob is None:
            return None
        key = hashlib.sha256(blob).hexdigest()
        if key not in cache:
            cache[key] = _parsed(path, blob)
        return cache[key]

    wanted = post_id
    revisions = []
    for sha, parents, author, date, subject in commits:
        new = version(sha)
        old = version(parents[0] if parents else None)
        if new is None and old is None:
            continue
        if old is None:  # the file was added (or could not be read before): the post is new with it, if it is there
            diff_changes = diff_plans({}, new).changes if new is not None else []
        else:
            diff_changes = diff_plans(old, new if new is not None else {}).changes
        mine = [c for c in diff_changes if c.what == "post" and wanted in (c.id, c.old_id)]
        if not mine:
            continue
        revisions.append(Revision(sha, author, date, subject, tuple(c.words for c in mine)))
        renamed = next((c.old_id for c in mine if c.kind == "renamed" and c.id == wanted and c.old_id), None)
        if renamed is not None:
            wanted = renamed
    return History(post_id, tuple(revisions), len(commits), more)
