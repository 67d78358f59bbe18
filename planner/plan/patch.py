"""Field edits written as text patches: a save that needs no tomlkit tree of the whole plan.

The app edits a post's title, status or time far more often than anything
else. Building tomlkit's tree of a large plan to save one such edit costs
seconds and several times the memory of the plan (at 5,000 posts the app
held three times the memory of a bare app after one edit). When every edit
to save sets a field that the file already writes as a plain value (a
string on one line, a number, a boolean, a date or time) to another such
value, the new text is the old one with each value replaced in place,
rendered as the tree renders it (`planner.plan.document.render_like`,
which keeps the string's quoting style), with the key, its spacing and its
comment as they were: the tree's bytes
(``tests/test_saving.py::test_a_field_patch_gives_the_bytes_of_the_tree``).

`PlanFile` takes this path only while no tree is built, and the save's
read-back check proves its result as it proves the tree's; anything else
(None here, or a result that does not read back) goes through the tree.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from planner.plan import source as source_mod
from planner.plan.append import _flat
from planner.plan.edits import Edit, SetField
from planner.plan.locate import _KEY, _Scanner, _split_key, header_lines
from planner.plan.problems import KeyPath

_PLAIN = (str, bool, int, float, dt.date, dt.datetime, dt.time)


def patchable(edits: Iterable[Edit]) -> bool:
    """Whether every edit sets a field to a plain value (the only edits `patched` may write)."""
    return all(isinstance(edit, SetField) and _plain(edit.value) for edit in _flat(edits))


def _plain(value: Any) -> bool:
    return isinstance(value, _PLAIN) and not (isinstance(value, str) and ("\n" in value or "\r" in value))


def patched(text: str, edits: Iterable[Edit], data: Any) -> str | None:
    """``text`` with each field edit of ``edits`` written in place, or None when one cannot be.

    ``data`` is the plan's data (after the edits: they change no array's
    length), which tells whether the quick look at the header lines found
    every entry of an array and nothing else.
    """
    edits = list(_flat(edits))
    if not edits or not patchable(edits):
        return None
    headers = _headers(text)  # header offsets in the text as it was
    shifts: list[tuple[int, int]] = []  # each patch so far: where, and how much longer the text got

    def now(offset: int) -> int:
        """Where ``offset`` of the text as it was is in the text as patched."""
        for at, delta in shifts:
            if at < offset:
                offset += delta
        return offset

    size = len(text)
    for edit in edits:
        assert isinstance(edit, SetField)
        region = _region(edit, data, headers, size)
        if region is None:
            return None
        start, end, table = region
        span = _value_span(text, now(start), now(end) if end < size else len(text), table, edit.key)
        if span is None:
            return None
        new = _rendered(text[span[0] : span[1]], edit.value)
        if new is None:
            return None
        text = "".join((text[: span[0]], new, text[span[1] :]))
        shifts.append((span[0], len(new) - (span[1] - span[0])))
    return text


def fits(text: str, edits: Iterable[Edit], data: Any) -> bool:
    """Whether `patched` can write ``edits`` (each field is written as a plain value in ``text``), without writing them.

    Each edit is looked for in ``text`` as it is, not after the edits
    before it (those only replace plain values with plain values): no copy
    of the text is made, which on a large plan is worth not making after
    every edit.
    """
    edits = list(_flat(edits))
    if not edits or not patchable(edits):
        return False
    headers = _headers(text)
    for edit in edits:
        assert isinstance(edit, SetField)
        region = _region(edit, data, headers, len(text))
        span = region and _value_span(text, region[0], region[1], region[2], edit.key)
        if not span or _plain_old(text[span[0] : span[1]]) is None:
            return False
    return True


def _region(edit: SetField, data: Any, headers, size: int) -> tuple[int, int, KeyPath] | None:
    """Where the table ``edit`` sets a field of is written (from its header to the next), and its path as scanned there."""
    starts, tables, every = headers
    table = tuple(edit.table)
    if table and isinstance(table[-1], int) and all(isinstance(part, str) for part in table[:-1]):
        array, index = table[:-1], table[-1]
        found = starts.get(array)
        entries = _value_at(data, array)  # type: ignore[arg-type]
        if found is None or not isinstance(entries, list) or len(found) != len(entries) or not 0 <= index < len(found):
            return None
        return found[index], found[index + 1] if index + 1 < len(found) else size, (*array, 0)
    found = tables.get(table)  # a table with a header of its own: from it to the next header line
    if not table or found is None or len(found) != 1:
        return None
    after = bisect.bisect_right(every, found[0])
    return found[0], every[after] if after < len(every) else size, table


@functools.lru_cache(maxsize=2)  # the file as read: asked again after each edit (`PlanFile.saves_without_tree`)
def _headers(text: str) -> tuple[dict[tuple[str, ...], list[int]], dict[tuple[str, ...], list[int]], list[int]]:
    """Where each header line starts: ``[[...]]`` and ``[...]`` by their key parts, and all of them (the quick look: `header_lines`)."""
    arrays: dict[tuple[str, ...], list[int]] = {}
    tables: dict[tuple[str, ...], list[int]] = {}
    every = []
    for parts, is_array, offset in header_lines(text):
        (arrays if is_array else tables).setdefault(parts, []).append(offset)
        every.append(offset)
    return arrays, tables, every


def _value_at(data: Any, parts: tuple[str, ...]) -> Any:
    for part in parts:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _value_span(text: str, start: int, end: int, table: KeyPath, key: str) -> tuple[int, int] | None:
    """Where the value of ``key``, written as a key of its own in the table ``table``, is in ``text[start:end]``."""
    scanner = _Scanner(text[start:end])
    scanner.spans = {}
    try:
        scanner.scan()
    except RecursionError:
        return None
    span = scanner.spans.get((*table, key))
    if span is None:
        return None
    statement = scanner.text[span[0] : span[1]]
    line_start = scanner.text.rfind("\n", 0, span[0]) + 1
    if scanner.text[line_start : span[0]].strip(" \t"):
        return None  # not at the start of its line: a key of an inline table
    match = _KEY.match(statement)
    if match is None or _split_key(match.group(1)) != (key,) or statement[match.end() : match.end() + 1] != "=":
        return None  # a dotted key, or not a key/value
    value = match.end() + 1
    while statement[value : value + 1] in (" ", "\t"):
        value += 1
    if value >= len(statement):
        return None
    return start + span[0] + value, start + span[1]


def _plain_old(old: str) -> Any:
    """The value written ``old`` if it is a plain one-line value, else None."""
    if old[:1] in ("[", "{") or old.startswith(('"""', "'''")) or "\n" in old:
        return None
    try:
        before = source_mod.loads(f"v = {old}\n")["v"]
    except source_mod.TOMLDecodeError:  # not a value on its own: leave it to the tree
        return None
    return before if isinstance(before, _PLAIN) else None


def _rendered(old: str, value: Any) -> str | None:
    """``value`` as the tree writes it in place of the value written ``old``, or None if ``old`` is not a plain one-line value."""
    before = _plain_old(old)
    if before is None:
        return None
    import tomlkit  # the item alone, not a tree of the plan

    from planner.plan.document import _same, render_like

    if _same(before, value):
        return old  # the tree writes back only what changed
    try:
        item = tomlkit.parse(f"v = {old}\n")["v"]
    except Exception:  # tomlkit reads it otherwise: leave it to the tree
        return None
    return render_like(item, value).as_string()
