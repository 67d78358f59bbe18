"""New entries at the end of an array of tables, written as text: the fast path of a save.

`planner import` adds thousands of posts to a plan it has only read with the
fast parser. Building tomlkit's tree of the whole plan to append them costs
far more than reading the plan (about 10 seconds for 20,000 posts). When
every edit to save adds an entry at the end of one array that is written
as ``[[...]]`` entries, the new text is the old one with each entry, in the
canonical layout, inserted past the last entry's last key line: where
`planner.plan.document` puts it, byte for byte
(``tests/test_import.py::test_appending_as_text_gives_the_bytes_of_the_tree``).

`PlanFile` takes this path only while no tree is built, and the save's
read-back check proves its result as it proves the tree's; anything else
(None here, or a result that does not read back) goes through the tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from planner.plan.edits import AddEntry, Batch, Edit
from planner.plan.locate import append_point
from planner.plan.problems import KeyPath


def appended(text: str, edits: Iterable[Edit]) -> str | None:
    """``text`` with the entries that ``edits`` add at the end of one array, or None if they do anything else."""
    entries: list[Mapping[str, Any]] = []
    array: KeyPath | None = None
    for edit in _flat(edits):
        if (
            not isinstance(edit, AddEntry)
            or edit.index is not None
            or (array is not None and tuple(edit.array) != array)
        ):
            return None
        array = tuple(edit.array)
        entries.append(edit.value)
    if array is None or not all(
        isinstance(part, str) and part.replace("-", "").replace("_", "").isalnum() and part.isascii() for part in array
    ):
        return None  # nothing to add, or a key that would need quotes in the header
    point = append_point(text, array)
    if point is None:
        return None
    from planner.plan.document import KEY_ORDER, keys_in_order  # tomlkit only now

    order = KEY_ORDER.get(array, ())
    header = "\n[[" + ".".join(array) + "]]\n"  # type: ignore[arg-type]
    parts = [text[:point]]
    if point and not text[:point].endswith("\n"):
        parts.append("\n")
    keys: dict[str, str] = {}  # "key = " as written, per key
    for entry in entries:
        parts.append(header)
        for key, value in keys_in_order(entry, order).items():
            if value is not None:
                written = keys.get(key)
                if written is None:
                    written = keys[key] = f"{_key(key)} = "
                parts += (written, _value(value), "\n")
    parts.append(text[point:])
    return "".join(parts)


def _flat(edits: Iterable[Edit]) -> Iterable[Edit]:
    for edit in edits:
        if isinstance(edit, Batch):
            yield from _flat(edit.edits)
        else:
            yield edit


def _key(key: str) -> str:
    if key and key.isascii() and key.replace("-", "").replace("_", "").isalnum():
        return key
    from tomlkit.items import SingleKey

    return SingleKey(key).as_string()


def _value(value: Any) -> str:
    """The value as `planner.plan.document.render_like` writes a new one; the usual cases without tomlkit."""
    kind = type(value)
    if kind is str:
        if "\n" not in value:
            if value.isprintable():
                return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif value[0] != "\n" and '"' not in value and "\\" not in value and value.replace("\n", "").isprintable():
            return f'"""{value}"""'
    elif kind is dt.datetime and value.tzinfo is None and not value.microsecond:
        return value.isoformat()
    elif kind is bool:
        return "true" if value else "false"
    elif kind is list or kind is tuple:
        return "[" + ", ".join(_value(element) for element in value) + "]"
    from planner.plan.document import render_like

    return render_like(None, value).as_string()
