"""The editable TOML document: comment-preserving, byte-exact edits with tomlkit.

This is the only module that touches tomlkit's tree. It applies the edit
operations of `planner.plan.edits` so that:

* an edit changes only the lines of what it edits (comments, blank lines,
  quoting style, key order and unknown keys around it stay as they are);
* every edit returns a `Journal` that restores the tree exactly, so undoing
  any sequence of edits gives back the original bytes;
* array-of-tables entries own the comment directly above their header.

The layout of entries in an array of tables (``[[smm.posts]]`` and friends)
is thought of in blocks. An entry's block is the blank and comment lines
above its header (for the first entry: only the comment lines directly
above it), its header and its keys. What follows the last entry's keys
(blank lines, comments) belongs to whatever comes next in the file.
tomlkit keeps a comment above a header at the end of the *previous*
entry; `Document.__init__` moves those lines into the header's own
leading text ("adoption"), which renders the same bytes and lets an entry
be deleted or moved together with its comment.

New entries and keys use one canonical layout, documented in
``docs/plan-format.md``: a blank line, the header, one ``key = value`` per
line in the format's key order, multi-line text as ``\"\"\"`` strings.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import tomlkit
from tomlkit.container import Container, OutOfOrderTableProxy
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import (
    AoT,
    Array,
    Comment,
    InlineTable,
    Item,
    Null,
    String,
    StringType,
    Table,
    Whitespace,
)

from planner.errors import EditError
from planner.plan.edits import AddEntry, DeleteEntry, Edit, MoveEntry, SetField
from planner.plan.problems import KeyPath, dotted

# The arrays of tables the app edits as lists of entries.
MANAGED_ARRAYS: tuple[KeyPath, ...] = (("smo", "items"), ("smm", "platforms"), ("smm", "posts"), ("competitors",))

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)*")

Node = Container | Table | InlineTable


class Journal:
    """Undo records for one edit: call `revert` to put the tree back exactly."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def revert(self) -> None:
        while self._undo:
            self._undo.pop()()

    def keep_node(self, node: Node) -> None:
        """Remember a table (or the document) so `revert` restores it, keys and all."""
        container = node.value if isinstance(node, (Table, InlineTable)) else node
        state = (
            list(container._body),
            dict(container._map),
            list(container._table_keys),
            set(container._out_of_order_keys),
            dict(dict.items(container)),
            [(item, copy.copy(item.trivia)) for _, item in container._body if hasattr(item, "_trivia")],
        )
        wrapper = dict(dict.items(node)) if isinstance(node, (Table, InlineTable)) else None
        trivia = copy.copy(node.trivia) if isinstance(node, (Table, InlineTable)) else None

        def restore() -> None:
            body, map_, table_keys, ooo, content, trivias = state
            container._body[:] = body
            container._map.clear()
            container._map.update(map_)
            container._table_keys[:] = table_keys
            container._out_of_order_keys.clear()
            container._out_of_order_keys.update(ooo)
            container._validation_cache.clear()
            dict.clear(container)
            dict.update(container, content)
            for item, saved in trivias:
                item._trivia = saved
            if wrapper is not None:
                dict.clear(node)
                dict.update(node, wrapper)
                node._trivia = trivia

        self._undo.append(restore)

    def keep_aot(self, aot: AoT) -> None:
        tables = list(aot._body)

        def restore() -> None:
            aot._body[:] = tables
            list.__setitem__(aot, slice(None), tables)

        self._undo.append(restore)

    def keep_trivia(self, item: Item) -> None:
        saved = copy.copy(item.trivia)

        def restore() -> None:
            item._trivia = saved

        self._undo.append(restore)


class Document:
    """A plan's TOML text as an editable tomlkit tree."""

    def __init__(self, text: str) -> None:
        self._doc = tomlkit.parse(text)
        for path in MANAGED_ARRAYS:
            aot = self._find(path)
            if isinstance(aot, AoT) and len(aot):
                self._adopt(path, aot)

    def dumps(self) -> str:
        return self._doc.as_string()

    # -- applying edits -------------------------------------------------------

    def apply(self, edit: Edit) -> Journal:
        """Apply ``edit``; the returned journal undoes it exactly."""
        journal = Journal()
        try:
            if isinstance(edit, SetField):
                self._set_field(journal, edit)
            elif isinstance(edit, AddEntry):
                self._add_entry(journal, edit)
            elif isinstance(edit, DeleteEntry):
                self._delete_entry(journal, edit)
            elif isinstance(edit, MoveEntry):
                self._move_entry(journal, edit)
            else:  # pragma: no cover - the Edit union is closed
                raise EditError(f"unknown edit {edit!r}")
        except EditError:
            journal.revert()
            raise
        except (TOMLKitError, KeyError, IndexError, TypeError, ValueError) as error:
            journal.revert()
            raise EditError(f"cannot apply {edit.describe()}: {error}") from None
        return journal

    # -- navigation -------------------------------------------------------------

    def _find(self, path: KeyPath) -> Any:
        node: Any = self._doc
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, (AoT, Array)) or not -len(node) <= part < len(node):
                    return None
                node = node[part]
            else:
                if not isinstance(node, (Container, Table, InlineTable, OutOfOrderTableProxy)) or part not in node:
                    return None
                node = node[part]
        return node

    def _table(self, path: KeyPath) -> Node:
        node = self._doc if not path else self._find(path)
        if isinstance(node, OutOfOrderTableProxy):
            raise EditError(
                f"[{dotted(path)}] is split across the file; put its parts together to edit it in the app"
            )
        if not isinstance(node, (Container, Table, InlineTable)):
            raise EditError(f"there is no table at {dotted(path) or 'the top level'}")
        return node

    def _array(self, path: KeyPath) -> AoT | None:
        node = self._find(path)
        if node is None:
            return None
        if not isinstance(node, AoT):
            raise EditError(f"{dotted(path)} is not written as [[{dotted(path)}]] entries; the app cannot edit it")
        return node

    # -- fields -----------------------------------------------------------------

    def _set_field(self, journal: Journal, edit: SetField) -> None:
        table = self._table(edit.table)
        journal.keep_node(table)
        key = edit.key
        if edit.value is None:
            if key in table:
                del table[key]
            return
        if key in table:
            old = table.item(key)
            if isinstance(old, (Table, InlineTable)) and isinstance(edit.value, Mapping):
                self._update_table(journal, old, edit.value)
            else:
                table[key] = render_like(old, edit.value)
            return
        self._insert_key(table, key, render_like(None, edit.value))

    def _update_table(self, journal: Journal, table: Table | InlineTable, values: Mapping[str, Any]) -> None:
        journal.keep_node(table)
        for key in [k for k in table if k not in values]:
            del table[key]
        for key, value in values.items():
            if key in table:
                if table[key] != value:
                    table[key] = render_like(table.item(key), value)
            elif isinstance(table, InlineTable):
                table[key] = render_like(None, value)
            else:
                self._insert_key(table, key, render_like(None, value))

    @staticmethod
    def _insert_key(table: Node, key: str, item: Item) -> None:
        """Add ``key`` after the table's last key line, before trailing comments and sub-tables."""
        container = table.value if isinstance(table, (Table, InlineTable)) else table
        body = container._body
        last = None
        for index, (k, value) in enumerate(body):
            if k is not None and not isinstance(value, (Table, AoT)):
                last = index
            elif isinstance(value, (Table, AoT)) and k is not None and not k.is_dotted():
                break
        if isinstance(table, InlineTable) or last is None:
            if last is None and isinstance(table, (Table, Container)) and body:
                position = next((i for i, (k, v) in enumerate(body) if isinstance(v, (Table, AoT))), None)
                if position is not None:
                    container._insert_at(position, key, item)
                    if isinstance(table, Table):
                        dict.__setitem__(table, key, item)
                    return
            table[key] = item
            return
        previous = body[last][1]
        item.trivia.indent = previous.trivia.indent
        if not previous.trivia.trail.endswith("\n"):
            previous.trivia.trail += "\n"
        if last + 1 < len(body):
            container._insert_at(last + 1, key, item)
            if isinstance(table, Table):
                dict.__setitem__(table, key, item)
        else:
            table[key] = item

    # -- entries ------------------------------------------------------------------

    def _add_entry(self, journal: Journal, edit: AddEntry) -> None:
        parent = self._table(edit.array[:-1]) if len(edit.array) > 1 else self._doc
        name = edit.array[-1]
        aot = self._array(edit.array)
        table = new_table(edit.value)
        if aot is None or not len(aot):
            journal.keep_node(parent)
            if aot is not None:
                del parent[name]
            fresh = tomlkit.aot()
            fresh.append(table)
            if isinstance(parent, Table):
                parent.append(name, fresh)
            else:
                parent.append(name, fresh)
            return
        journal.keep_aot(aot)
        index = len(aot) if edit.index is None else max(0, min(edit.index, len(aot)))
        table.trivia.indent = "\n"
        if index == len(aot):
            last = aot[-1]
            self._ensure_final_newline(journal, last)
            self._move_decor(journal, last, table)
        elif index == 0:
            first = aot[0]
            journal.keep_trivia(first)
            table.trivia.indent = ""
            first.trivia.indent = "\n" + first.trivia.indent
        aot._body.insert(index, table)
        list.insert(aot, index, table)

    def _delete_entry(self, journal: Journal, edit: DeleteEntry) -> None:
        aot = self._array(edit.array)
        if aot is None or not -len(aot) <= edit.index < len(aot):
            raise EditError(f"there is no entry {edit.index} in {dotted(edit.array)}")
        index = edit.index % len(aot)
        journal.keep_aot(aot)
        table = aot[index]
        if len(aot) == 1:
            parent = self._table(edit.array[:-1]) if len(edit.array) > 1 else self._doc
            journal.keep_node(parent)
            decor = self._take_decor(journal, table)
            del parent[edit.array[-1]]
            container = parent.value if isinstance(parent, Table) else parent
            for item in decor:
                container._body.append((None, item))
            return
        if index == len(aot) - 1:
            previous = aot[index - 1]
            self._ensure_final_newline(journal, previous)
            self._move_decor(journal, table, previous)
        elif index == 0:
            following = aot[1]
            journal.keep_trivia(following)
            following.trivia.indent = _BLANK_LINES.sub("", following.trivia.indent, count=1)
        del aot._body[index]
        list.__delitem__(aot, index)

    def _move_entry(self, journal: Journal, edit: MoveEntry) -> None:
        aot = self._array(edit.array)
        size = len(aot) if aot is not None else 0
        if not (0 <= edit.index < size and 0 <= edit.to < size):
            raise EditError(f"cannot move entry {edit.index} to {edit.to} in {dotted(edit.array)}")
        if edit.index == edit.to:
            return
        journal.keep_aot(aot)
        tables = list(aot._body)
        low, high = min(edit.index, edit.to), max(edit.index, edit.to)
        # Blank lines above an entry stay where they are; its comment travels with it.
        prefixes = [_split_leading(tables[i].trivia.indent)[0] for i in range(low, high + 1)]
        old_last = tables[-1]
        moved = tables.pop(edit.index)
        tables.insert(edit.to, moved)
        for offset, position in enumerate(range(low, high + 1)):
            table = tables[position]
            journal.keep_trivia(table)
            table.trivia.indent = prefixes[offset] + _split_leading(table.trivia.indent)[1]
        if tables[-1] is not old_last:
            self._ensure_final_newline(journal, old_last)
            self._move_decor(journal, old_last, tables[-1])
        aot._body[:] = tables
        list.__setitem__(aot, slice(None), tables)

    # -- layout helpers -----------------------------------------------------------

    @staticmethod
    def _tail(table: Table) -> Container:
        """The container whose items are rendered last within ``table``."""
        container = table.value
        while True:
            last = next((v for k, v in reversed(container._body) if not isinstance(v, Null)), None)
            if isinstance(last, Table) and not last.is_super_table():
                container = last.value
            elif isinstance(last, Table):
                container = last.value
            elif isinstance(last, AoT) and len(last):
                container = last[-1].value
            else:
                return container

    def _take_decor(self, journal: Journal, table: Table) -> list[Item]:
        """Remove and return the blank lines and comments after the entry's last key."""
        container = self._tail(table)
        journal.keep_node(container)
        taken: list[Item] = []
        for index in range(len(container._body) - 1, -1, -1):
            key, item = container._body[index]
            if isinstance(item, Null):
                continue
            if key is not None or not isinstance(item, (Comment, Whitespace)):
                break
            taken.append(item)
            container._body[index] = (None, Null())
        taken.reverse()
        return taken

    def _move_decor(self, journal: Journal, source: Table, target: Table) -> None:
        decor = self._take_decor(journal, source)
        if decor:
            container = self._tail(target)
            journal.keep_node(container)
            for item in decor:
                container._body.append((None, item))

    def _ensure_final_newline(self, journal: Journal, table: Table) -> None:
        container = self._tail(table)
        for key, item in reversed(container._body):
            if isinstance(item, Null):
                continue
            if isinstance(item, Whitespace):
                if not item.as_string().endswith("\n"):
                    journal.keep_node(container)
                    item._s += "\n"
                return
            if not item.trivia.trail.endswith("\n"):
                journal.keep_trivia(item)
                item.trivia.trail += "\n"
            return
        if not table.trivia.trail.endswith("\n"):
            journal.keep_trivia(table)
            table.trivia.trail += "\n"

    def _adopt(self, path: KeyPath, aot: AoT) -> None:
        """Move each entry's leading blank and comment lines into its header's indent."""
        for previous, table in zip(aot.body, aot.body[1:]):
            text = "".join(item.as_string() for item in self._take_decor(Journal(), previous))
            table.trivia.indent = text + table.trivia.indent
        comments = self._comments_before(path)
        if comments:
            first = aot[0]
            first.trivia.indent = "".join(text for text in comments) + first.trivia.indent

    def _comments_before(self, path: KeyPath) -> list[str]:
        """Take the comment lines directly above the first header of the array at ``path``."""
        parent: Any = self._doc if len(path) == 1 else self._find(path[:-1])
        container = parent.value if isinstance(parent, Table) else parent
        if not isinstance(container, Container):
            return []
        position = next((i for i, (k, _) in enumerate(container._body) if k is not None and k.key == path[-1]), None)
        if position is None:
            return []
        # Walk back over the items rendered just before the array.
        index = position - 1
        while index >= 0 and isinstance(container._body[index][1], Null):
            index -= 1
        if index >= 0 and isinstance(container._body[index][1], (Table, AoT)) and container._body[index][0] is not None:
            item = container._body[index][1]
            tail = self._tail(item) if isinstance(item, Table) else (self._tail(item[-1]) if len(item) else None)
            if tail is None:
                return []
            container, index = tail, len(tail._body) - 1
        run: list[int] = []
        while index >= 0:
            key, item = container._body[index]
            if isinstance(item, Null):
                index -= 1
                continue
            if key is None and isinstance(item, Comment):
                run.append(index)
                index -= 1
                continue
            break
        texts = []
        for i in reversed(run):
            texts.append(container._body[i][1].as_string())
            container._body[i] = (None, Null())
        return texts


def _split_leading(indent: str) -> tuple[str, str]:
    """Split a header's leading text into (positional part, comment lines directly above)."""
    lines = indent.splitlines(keepends=True)
    cut = len(lines)
    while cut > 0 and lines[cut - 1].lstrip().startswith("#"):
        cut -= 1
    return "".join(lines[:cut]), "".join(lines[cut:])


# -- rendering values ---------------------------------------------------------------


def render_like(old: Item | None, value: Any) -> Item:
    """A tomlkit item for ``value``, in the style of ``old`` where that fits."""
    if isinstance(value, str):
        return _string_like(old, value)
    if isinstance(value, (list, tuple)):
        array = tomlkit.array()
        for element in value:
            array.append(render_like(None, element))
        if isinstance(old, Array) and "\n" in old.as_string() and len(value) > 0:
            array.multiline(True)
        return array
    if isinstance(value, Mapping):
        table = tomlkit.inline_table()
        for key, element in value.items():
            table[key] = render_like(None, element)
        return table
    if isinstance(value, (bool, int, float, dt.date, dt.datetime, dt.time)):
        return tomlkit.item(value)
    raise EditError(f"cannot write a value of type {type(value).__name__}")


def _string_like(old: Item | None, value: str) -> String:
    kind = old.type if isinstance(old, String) else None
    multiline = "\n" in value
    if kind is StringType.SLL and not multiline and "'" not in value and not _CONTROL.search(value):
        return tomlkit.string(value, literal=True)
    if kind is StringType.MLL and "'''" not in value and not value.endswith("'") and not _CONTROL.search(value.replace("\n", "")):
        return tomlkit.string(value, literal=True, multiline=True)
    if multiline or kind is StringType.MLB:
        return tomlkit.string(value, multiline=True)
    return tomlkit.string(value)


def new_table(values: Mapping[str, Any]) -> Table:
    """A new ``[[...]]`` entry in canonical layout: one key per line, in the given order."""
    table = tomlkit.table()
    for key, value in values.items():
        if value is None:
            continue
        table.append(key, render_like(None, value))
    return table


def keys_in_order(values: Mapping[str, Any], order: Iterable[str]) -> dict[str, Any]:
    """``values`` with the format's keys first, in the format's order."""
    ordered = {key: values[key] for key in order if key in values}
    ordered.update({key: value for key, value in values.items() if key not in ordered})
    return ordered
