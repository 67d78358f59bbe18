"""Running git: the work tree's top, a file's bytes at a revision, what changed, who the user is.

Every call is ``git`` with an argument list (no shell), from a given folder;
a failure is a `NotInGit` with git's own last line of complaint.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from planner.errors import PlannerError


class NotInGit(PlannerError):
    """Outside a git work tree, an unknown revision, or git could not be run."""

    title = "No git repository"


def _run(args: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as error:
        raise NotInGit(f"cannot run git: {error.strerror or error}") from None


def git(args: Sequence[str], cwd: Path | None = None) -> bytes:
    """git's standard output, or `NotInGit` with the last line git wrote to standard error."""
    done = _run(args, cwd)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise NotInGit(f"git {args[0]}: {message[-1] if message else f'exit {done.returncode}'}")
    return done.stdout


def top(cwd: Path | None = None) -> Path:
    """The top folder of the work tree that ``cwd`` (default: the current folder) is in."""
    return Path(os.fsdecode(git(["rev-parse", "--show-toplevel"], cwd).rstrip(b"\n")))


def in_work_tree(cwd: Path | None = None) -> bool:
    try:
        return _run(["rev-parse", "--is-inside-work-tree"], cwd).stdout.strip() == b"true"
    except NotInGit:
        return False


def commit(rev: str, cwd: Path | None = None) -> str:
    """The commit ``rev`` names (its full hash), or `NotInGit` saying it names none."""
    if rev.startswith("-"):  # never an option to git
        raise NotInGit(f"{rev!r} is not a revision")
    done = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd)
    if done.returncode != 0:
        raise NotInGit(f"{rev!r} names no commit here")
    return done.stdout.decode("ascii").strip()


def blob(rev: str, path: str, cwd: Path) -> bytes | None:
    """The bytes of ``path`` (relative to the top of the work tree) at commit ``rev``; None if it is not there.

    ``rev`` must name a commit (see `commit`): then a failure means the path is missing.
    """
    done = _run(["show", "--no-textconv", f"{rev}:{path}"], cwd)
    return done.stdout if done.returncode == 0 else None


def changed(revs: Sequence[str], pathspecs: Sequence[str], cwd: Path | None = None) -> list[str]:
    """The paths (relative to the top) that differ between ``revs[0]`` and ``revs[1]``, or the work tree with one."""
    specs = ["--", *(f":(literal){p}" for p in pathspecs)] if pathspecs else []
    names = git(["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", *revs, *specs], cwd)
    return [os.fsdecode(name) for name in names.split(b"\0") if name]


def relative(path: Path) -> tuple[Path, str]:
    """The top of the work tree ``path`` is in, and ``path`` relative to it as git names it."""
    folder = path.parent if path.parent != Path("") else Path(".")
    root = top(folder)
    try:
        inside = path.resolve().relative_to(root.resolve())
    except ValueError:
        raise NotInGit(f"{path}: is not in the git work tree at {root}") from None
    return root, inside.as_posix()


def user_name(cwd: Path | None = None) -> str | None:
    """``git config user.name``, or None when it is not set (or git is missing)."""
    try:
        done = _run(["config", "user.name"], cwd)
    except NotInGit:
        return None
    name = done.stdout.decode("utf-8", "replace").strip()
    return name if done.returncode == 0 and name else None


def merge_file(ours: Path, base: Path, theirs: Path) -> int:
    """``git merge-file``: git's line merge of ``theirs`` into ``ours`` since ``base``, conflict markers and all; how many conflicts."""
    done = _run(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs", "--", str(ours), str(base), str(theirs)])
    if done.returncode < 0 or done.returncode >= 128:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise NotInGit(f"git merge-file failed: {message or done.returncode}")
    return done.returncode
