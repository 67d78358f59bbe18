"""`planner git setup`: git diffs plans in words and merges them by entry and field.

Two things make it work, and this writes both, only what is missing (so
running it twice changes nothing):

* ``.gitattributes`` at the top of the work tree (committed, so everyone
  who clones gets it) says which files are plans for the drivers:
  ``*.toml diff=planner merge=planner``;
* the repository's own git config (``.git/config``, never committed: each
  clone runs this once) says what the drivers run:

      [diff "planner"]
          command = planner diff --external
          textconv = planner diff --textconv
      [merge "planner"]
          name = planner: merge plans by entry and field
          driver = planner merge-driver %O %A %B %P

  written with the command of the planner that runs the setup (its Python
  and ``-m planner``), so git finds it whatever the ``PATH``.

``command`` is what ``git diff`` runs; ``git log -p`` and ``git show`` use
``textconv`` unless given ``--ext-diff``. TOML files that are not plans
(``pyproject.toml``) go through the same drivers and are diffed and merged
line by line, as git would.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planner.git import repo
from planner.plan.storage import atomic_write

DRIVER = "planner"
DEFAULT_PATTERNS = ("*.toml",)
COMMENT = "# planner git setup: plans are diffed in words and merged by entry and field"


def planner_command() -> str:
    """The shell words that run this planner, wherever git runs them from."""
    return shlex.join([sys.executable, "-m", "planner"])


def config_values(command: str) -> dict[str, str]:
    return {
        f"diff.{DRIVER}.command": f"{command} diff --external",
        f"diff.{DRIVER}.textconv": f"{command} diff --textconv",
        f"merge.{DRIVER}.name": "planner: merge plans by entry and field",
        f"merge.{DRIVER}.driver": f"{command} merge-driver %O %A %B %P",
    }


def attribute_line(pattern: str) -> str:
    return f"{pattern} diff={DRIVER} merge={DRIVER}"


@dataclass
class Setup:
    """What `set_up` wrote: lines added to ``.gitattributes``, config keys set (empty: it was all there)."""

    attributes: Path
    lines: list[str] = field(default_factory=list)
    config: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.lines or self.config)


def set_up(root: Path, patterns: Sequence[str] = DEFAULT_PATTERNS, command: str | None = None) -> Setup:
    """Write what is missing of the attributes and the config for the work tree at ``root``."""
    done = Setup(root / ".gitattributes")
    done.lines = _attributes(done.attributes, patterns)
    for key, value in config_values(command or planner_command()).items():
        current = _config(root, key)
        if current != value:
            repo.git(["config", "--local", key, value], root)
            done.config.append(key)
    return done


def _config(root: Path, key: str) -> str | None:
    try:
        return repo.git(["config", "--local", "--get", key], root).decode("utf-8", "replace").rstrip("\n")
    except repo.NotInGit:  # not set
        return None


def _attributes(path: Path, patterns: Sequence[str]) -> list[str]:
    """Add the attribute line of each pattern that ``.gitattributes`` lacks; the lines added."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        text = ""
    present = {line.strip() for line in text.splitlines()}
    missing = [attribute_line(p) for p in patterns if attribute_line(p) not in present]
    if not missing:
        return []
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = ([] if COMMENT in present else [COMMENT]) + missing
    if text and not text.endswith("\n"):
        text += newline
    atomic_write(path, (text + newline.join(lines) + newline).encode("utf-8"))
    return missing
