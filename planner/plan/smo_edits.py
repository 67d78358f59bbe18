"""Edits for the SMO checklist: ticking, adding, editing, deleting and moving items.

Pure functions from the plan's items and plain values (what the item form
returns) to the edits of `planner.plan.edits`; the app applies them, so undo,
redo and byte-minimal saving work. Nothing here imports Textual. Labels name
items by title (`planner.words.quoted`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from planner.plan.edits import AddEntry, Batch, DeleteEntry, MoveEntry, SetField
from planner.plan.ids import new_id
from planner.plan.model import SMO_ITEMS, SmoItem
from planner.plan.schema import SMO_ITEM_KEYS
from planner.words import quoted

# The form's fields that a new item leaves out when they are empty.
OPTIONAL = ("category", "owner", "url", "notes")


def tick(index: int, item: SmoItem, today: dt.date) -> Batch:
    """Tick ``item`` (at ``index``) done on ``today``, or untick it when it is done (its ``done_on`` goes too)."""
    path = (*SMO_ITEMS, index)
    if item.done:
        return Batch((SetField(path, "done", False), SetField(path, "done_on", None)), f"untick {quoted(item.title)}")
    return Batch((SetField(path, "done", True), SetField(path, "done_on", today)), f"tick {quoted(item.title)}")


def add_item(items: Sequence[SmoItem], values: Mapping[str, Any]) -> AddEntry:
    """A new item (not done) at the end, with an id made from its title that no item in ``items`` has; empty fields left out."""
    ident = new_id(values["title"], {item.id for item in items})
    entry = {"id": ident, "title": values["title"], "done": False}
    entry.update({key: values[key] for key in OPTIONAL if values.get(key)})
    ordered = {key: entry[key] for key in SMO_ITEM_KEYS if key in entry}
    return AddEntry(SMO_ITEMS, ordered, label=f"add item {quoted(values['title'])}")


def edit_item(index: int, item: SmoItem, values: Mapping[str, Any]) -> Batch | None:
    """A `SetField` for each value that differs from ``item``'s (an empty one removes its key, but the title stays); None when nothing changed."""
    edits = tuple(
        SetField((*SMO_ITEMS, index), key, value or None if key != "title" else value)
        for key, value in values.items()
        if value != getattr(item, key)
    )
    return Batch(edits, f"edit item {quoted(item.title)}") if edits else None


def delete_item(index: int, item: SmoItem) -> DeleteEntry:
    return DeleteEntry(SMO_ITEMS, index, label=f"delete item {quoted(item.title)}")


def move_item(items: Sequence[SmoItem], index: int, step: int) -> MoveEntry | None:
    """Move the item at ``index`` ``step`` places within its category (its group); None when it is already first or last there."""
    item = items[index]
    group = [i for i, other in enumerate(items) if other.category == item.category]
    position = group.index(index) + step
    if not 0 <= position < len(group):
        return None
    return MoveEntry(SMO_ITEMS, index, group[position], label=f"move item {quoted(item.title)}")
