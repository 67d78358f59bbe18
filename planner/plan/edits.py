"""Edit operations on a plan: the one vocabulary for the app, the command line and undo.

An edit names what it changes by key path. `apply_to_data` applies it to
the plain data (what tomllib would read from the saved file) and returns the
edit that undoes it; `planner.plan.document` applies it to the TOML text.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.errors import EditError
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
    """Add a ``[[array]]`` entry with ``value``; at the end unless ``index`` is given."""

    array: KeyPath
    value: Mapping[str, Any] = field(default_factory=dict)
    index: int | None = None
    label: str = ""

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


Edit = SetField | AddEntry | DeleteEntry | MoveEntry


def _walk(data: dict, path: KeyPath, create: bool = False) -> Any:
    node: Any = data
    for part in path:
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
            node = node[part]
    return node


def apply_to_data(data: dict, edit: Edit) -> Edit:
    """Apply ``edit`` to plain data in place; return the edit that undoes it."""
    if isinstance(edit, SetField):
        table = _walk(data, edit.table, create=edit.value is not None)
        if not isinstance(table, dict):
            raise EditError(f"{dotted(edit.table)} is not a table")
        old = table.get(edit.key)
        if edit.value is None:
            table.pop(edit.key, None)
        else:
            table[edit.key] = copy.deepcopy(_plain(edit.value))
        return SetField(edit.table, edit.key, old, edit.label)
    if isinstance(edit, AddEntry):
        parent = _walk(data, edit.array[:-1], create=True)
        array = parent.setdefault(edit.array[-1], [])
        index = len(array) if edit.index is None else max(0, min(edit.index, len(array)))
        array.insert(index, copy.deepcopy(_plain(edit.value)))
        return DeleteEntry(edit.array, index, edit.label)
    if isinstance(edit, DeleteEntry):
        parent = _walk(data, edit.array[:-1])
        array = parent.get(edit.array[-1])
        if not isinstance(array, list) or not -len(array) <= edit.index < len(array):
            raise EditError(f"there is no entry {edit.index} in {dotted(edit.array)}")
        index = edit.index % len(array)
        old = array.pop(index)
        if not array:
            del parent[edit.array[-1]]
        return AddEntry(edit.array, old, index, edit.label)
    if isinstance(edit, MoveEntry):
        array = _walk(data, edit.array)
        if not (0 <= edit.index < len(array) and 0 <= edit.to < len(array)):
            raise EditError(f"cannot move entry {edit.index} to {edit.to} in {dotted(edit.array)}")
        array.insert(edit.to, array.pop(edit.index))
        return MoveEntry(edit.array, edit.to, edit.index, edit.label)
    raise EditError(f"unknown edit {edit!r}")


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value
