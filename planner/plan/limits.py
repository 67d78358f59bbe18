"""Size limits: a hostile or broken plan is refused with one clear line, not a hang or a crash.

A plan arrives through git from other people. The file itself is capped
(`planner.plan.source.MAX_BYTES`); within it, one text of megabytes, an
array of a hundred thousand entries or tables nested a thousand deep would
make the checks, the line index and the app crawl or overflow the stack.
No real campaign comes near these limits.

The walks are iterative, so a deep plan cannot exhaust the stack here. A
quick walk that keeps no key paths says whether anything is over a limit;
only then does the walk that names the first place run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.plan.problems import KeyPath
from planner.plan.source import MAX_BYTES

MAX_TEXT = 100_000  # characters in one text (or key)
MAX_ENTRIES = 50_000  # entries in one array (posts, items, tags...): an agency keeps 20,000 posts
MAX_DEPTH = 32  # tables and arrays inside one another
MAX_KEYS = 500_000  # keys in the whole plan: the benchmark's 20,000 posts have about 160,000


def _count(number: int) -> str:
    return f"{number:,}"


def over_a_limit(data: dict[str, Any]) -> bool:
    """Whether anything in ``data`` is over a limit (what `first_excess` finds), without the key paths."""
    return _walk(data) is None


def _walk(data: dict[str, Any]) -> int | None:
    """The number of keys in ``data`` (as `count_keys`), or None as soon as something is over a limit: one walk for both."""
    keys = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        values: Iterable[Any]
        if isinstance(node, dict):
            values = node.values()
            keys += len(node)
            if any(len(key) > MAX_TEXT for key in node):
                return None
        elif isinstance(node, list):
            if len(node) > MAX_ENTRIES:
                return None
            values = node
        else:
            continue
        if values and depth >= MAX_DEPTH:  # its entries are nested deeper than the limit
            return None
        for value in values:
            if isinstance(value, str):
                if len(value) > MAX_TEXT:
                    return None
            elif isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
    return keys


def first_excess(data: dict[str, Any]) -> tuple[KeyPath, str] | None:
    """The first key path (in file order) over a limit and what is wrong there, or None."""
    keys = _walk(data)
    if keys is None:
        return first_place(data)
    return ((), keys_message(keys)) if keys > MAX_KEYS else None


def first_place(data: Any, at: KeyPath = ()) -> tuple[KeyPath, str] | None:
    """`first_excess` by the walk that keeps every key path (slower: `first_excess` runs it only when needed).

    ``data`` may be any value that sits at key path ``at`` in a plan (a new
    entry, a text): the limits are the reader's, nesting counted from the top.
    """
    stack: list[tuple[Any, KeyPath]] = [(data, at)]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path[:MAX_DEPTH], f"nested more than {MAX_DEPTH} levels deep; a plan nests at most {MAX_DEPTH}"
        if isinstance(node, dict):
            children: list[tuple[Any, KeyPath]] = []
            for key, value in node.items():
                if len(key) > MAX_TEXT:
                    return path, f"a key of {_count(len(key))} characters; planner reads at most {_count(MAX_TEXT)}"
                children.append((value, (*path, key)))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            if len(node) > MAX_ENTRIES:
                return path, too_many_entries(len(node))
            stack.extend(reversed([(value, (*path, index)) for index, value in enumerate(node)]))
        elif isinstance(node, str) and len(node) > MAX_TEXT:
            return path, f"text of {_count(len(node))} characters; planner reads at most {_count(MAX_TEXT)} in one text"
    return None


def too_many_entries(count: int) -> str:
    """What the reader says about an array of ``count`` entries (over `MAX_ENTRIES`)."""
    return f"{_count(count)} entries; a plan holds at most {_count(MAX_ENTRIES)} in one array"


def refusal(raw: bytes) -> str | None:
    """Why the reader would refuse a plan file of bytes ``raw`` for its size, or None: a save's last check.

    The limits inside the file are enforced earlier, when an edit is applied
    (`planner.plan.edits`): a plan is within them when it is read, and each
    edit is checked for what it adds. Only the file's size needs the bytes.
    """
    if len(raw) > MAX_BYTES:
        return f"it would be larger than {MAX_BYTES // (1024 * 1024)} MB; planner opens plan files up to {MAX_BYTES // (1024 * 1024)} MB"
    return None


def too_many_keys(data: dict[str, Any]) -> tuple[KeyPath, str] | None:
    """The whole plan (key path ``()``) when it has more than `MAX_KEYS` keys, or None.

    A million keys nobody reads (unknown keys are kept and noted) would take
    minutes to check, open and save.
    """
    count = count_keys(data)
    return ((), keys_message(count)) if count > MAX_KEYS else None


def keys_message(count: int) -> str:
    """What the reader says about a plan of ``count`` keys (over `MAX_KEYS`)."""
    return f"{_count(count)} keys; a plan holds at most {_count(MAX_KEYS)}"


def count_keys(value: Any) -> int:
    """The keys in ``value`` and everything in it (tables, inline tables, array entries), in one linear walk."""
    count = 0
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        values: Iterable[Any]
        if isinstance(node, dict):
            count += len(node)
            values = node.values()
        elif isinstance(node, list):
            values = node
        else:
            continue
        stack.extend(item for item in values if isinstance(item, (dict, list)))
    return count
