"""Edit operations on a plan: the one vocabulary for the app, the command line and undo.

An edit names what it changes by key path. `apply_to_data` applies it to
the plain data (what tomllib would read from the saved file) and returns the
edit that undoes it; `planner.plan.document` applies it to the TOML text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.errors import EditError
from planner.plan.limits import MAX_DEPTH, MAX_ENTRIES, MAX_TEXT, first_place, too_many_entries
from planner.plan.problems import KeyPath, dotted


@dataclass(frozen=True, slots=True)
class SetField:
    """Set ``key`` of the table at ``table`` to ``value``; ``None`` removes the key."""

    table: KeyPath
    key: str
    value: Any
    label: str = ""

    def describe(self) -> str:
        if self.label:
            return self.label
        target = dotted((*self.table, self.key))
        return f"remove {target}" if self.value is None else f"set {target}"


@dataclass(frozen=True, slots=True)
class AddEntry:
    """Add a ``[[array]]`` entry with ``value``; at the end unless ``index`` is given.

    ``text`` is how the entry is written in another file it comes from (a
    merge brings it from the other side): the comment lines directly above
    its header, the header and its keys. The document writes it so when it
    reads as ``value``, else in the canonical layout; the data ignore it.
    """

    array: KeyPath
    value: Mapping[str, Any] = field(default_factory=dict)
    index: int | None = None
    label: str = ""
    text: str = ""

    def describe(self) -> str:
        return self.label or f"add to {dotted(self.array)}"


@dataclass(frozen=True, slots=True)
class DeleteEntry:
    array: KeyPath
    index: int
    label: str = ""

    def describe(self) -> str:
        return self.label or f"delete {dotted((*self.array, self.index))}"


@dataclass(frozen=True, slots=True)
class MoveEntry:
    """Move entry ``index`` of ``array`` so that it ends up at position ``to``."""

    array: KeyPath
    index: int
    to: int
    label: str = ""

    def describe(self) -> str:
        return self.label or f"move {dotted((*self.array, self.index))}"


@dataclass(frozen=True, slots=True)
class Batch:
    """Several edits made together (tick an item and date it): one step to undo and redo.

    The plan only has to be valid after the last of them.
    """

    edits: tuple[Edit, ...]
    label: str = ""

    def describe(self) -> str:
        return self.label or "; ".join(edit.describe() for edit in self.edits) or "no change"


Edit = SetField | AddEntry | DeleteEntry | MoveEntry | Batch


def _walk(data: dict, path: KeyPath, create: bool = False, created: list[KeyPath] | None = None) -> Any:
    """The node at ``path``; missing tables are made when ``create`` (the first one made is noted in ``created``)."""
    node: Any = data
    for depth, part in enumerate(path):
        if isinstance(part, int):
            if not isinstance(node, list) or not -len(node) <= part < len(node):
                raise EditError(f"there is no entry at {dotted(path)}")
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise EditError(f"{dotted(path)} is not a table")
            if part not in node:
                if not create:
                    raise EditError(f"there is no {dotted(path)}")
                node[part] = {}
                if created is not None and not created:
                    created.append(path[: depth + 1])
            node = node[part]
    return node


def _remove_created(created: list[KeyPath], label: str) -> Edit:
    """The edit that removes the table an edit had to make (and what is in it)."""
    path = created[0]
    return SetField(path[:-1], str(path[-1]), None, label)  # a created table is named by a key


def apply_to_data(data: dict, edit: Edit) -> Edit:
    """Apply ``edit`` to plain data in place; return the edit that undoes it."""
    if isinstance(edit, SetField):
        value = None if edit.value is None else _checked({edit.key: _plain(edit.value)}, edit.table)[edit.key]
        created: list[KeyPath] = []
        table = _walk(data, edit.table, create=value is not None, created=created)
        if not isinstance(table, dict):
            raise EditError(f"{dotted(edit.table)} is not a table")
        old = table.get(edit.key)
        if value is None:
            table.pop(edit.key, None)
        else:
            table[edit.key] = value  # `_plain` made it a fresh copy
        if created:
            return _remove_created(created, edit.label)
        return SetField(edit.table, edit.key, old, edit.label)
    if isinstance(edit, AddEntry):
        value = _plain(edit.value)
        created = []
        parent = _walk(data, edit.array[:-1], create=True, created=created)
        if not isinstance(parent, dict):
            raise EditError(f"{dotted(edit.array[:-1])} is not a table")
        name = str(edit.array[-1])  # an array of tables is named by a key
        was_empty = isinstance(parent.get(name), list) and not parent[name]
        if name not in parent:
            created = created or [edit.array]
        array = parent.setdefault(name, [])
        if not isinstance(array, list):
            raise EditError(f"{dotted(edit.array)} is not an array of tables")
        index = len(array) if edit.index is None else max(0, min(edit.index, len(array)))
        try:
            if len(array) >= MAX_ENTRIES:
                raise EditError(f"{dotted(edit.array)}: {too_many_entries(len(array) + 1)}")
            _checked(value, (*edit.array, index))
        except EditError:
            if created:  # the tables made on the way go again: a refused edit changes nothing
                apply_to_data(data, _remove_created(created, edit.label))
            raise
        array.insert(index, value)  # `_plain` made it a fresh copy
        if created:
            return _remove_created(created, edit.label)
        if was_empty:  # written `key = []`: undo gives that back
            return SetField(edit.array[:-1], name, [], edit.label)
        return DeleteEntry(edit.array, index, edit.label)
    if isinstance(edit, DeleteEntry):
        parent = _walk(data, edit.array[:-1])
        array = parent.get(edit.array[-1]) if isinstance(parent, dict) else None
        if not isinstance(array, list) or not -len(array) <= edit.index < len(array):
            raise EditError(f"there is no entry {edit.index} in {dotted(edit.array)}")
        index = edit.index % len(array)
        old = array.pop(index)
        if not array:
            del parent[edit.array[-1]]
        return AddEntry(edit.array, old, index, edit.label)
    if isinstance(edit, Batch):
        inverses: list[Edit] = []
        try:
            for part in edit.edits:
                inverses.append(apply_to_data(data, part))
        except EditError:
            for inverse in reversed(inverses):
                apply_to_data(data, inverse)
            raise
        return Batch(tuple(reversed(inverses)), edit.label)
    if isinstance(edit, MoveEntry):
        array = _walk(data, edit.array)
        if not isinstance(array, list) or not (0 <= edit.index < len(array) and 0 <= edit.to < len(array)):
            raise EditError(f"cannot move entry {edit.index} to {edit.to} in {dotted(edit.array)}")
        array.insert(edit.to, array.pop(edit.index))
        return MoveEntry(edit.array, edit.to, edit.index, edit.label)
    raise EditError(f"unknown edit {edit!r}")


def _checked(value: Any, at: KeyPath) -> Any:
    """``value``, to be put at key path ``at``, if a TOML file can hold it and the reader's size limits allow it.

    Otherwise `EditError` (before anything changes), over a limit in the
    reader's own words: a plan that planner would refuse to open is never
    made, so never written.
    """
    if _unsaveable_or_over(value, len(at)):
        excess = first_place(value, at)  # what is over, and where
        if excess is not None:
            path, message = excess
            raise EditError(f"{dotted(path)}: {message}" if path else message)
    return value


def _unsaveable_or_over(value: Any, depth: int) -> bool:
    """`EditError` for a text TOML cannot hold; whether anything may be over a size limit (one walk, no key paths)."""
    if isinstance(value, str):
        return _text_over(value)
    if isinstance(value, list):
        elements: Any = value
        over = len(value) > MAX_ENTRIES
    elif isinstance(value, dict):
        elements = value.values()
        over = False
        for key in value:  # keys are texts too
            if len(key) > MAX_TEXT or not key.isascii():
                over = _text_over(key) or over
    else:
        return False
    if value and depth >= MAX_DEPTH:
        return True  # nested deeper than the reader reads (and no deeper here)
    for element in elements:
        if type(element) is str:  # most values: checked here, without a call per value
            if len(element) > MAX_TEXT or not element.isascii():
                over = _text_over(element) or over
        elif isinstance(element, (list, dict)):
            over = _unsaveable_or_over(element, depth + 1) or over
    return over


def _text_over(text: str) -> bool:
    """`EditError` if TOML cannot hold ``text`` (a lone surrogate); whether it is longer than the reader reads."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise EditError("the text has a character that cannot be saved (a lone surrogate)") from None
    return len(text) > MAX_TEXT


_SCALARS = frozenset((str, int, float, bool, dt.datetime, dt.date, dt.time))


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:  # most values, without the Mapping check
        return value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in value.items() if v is not None}
    return value
