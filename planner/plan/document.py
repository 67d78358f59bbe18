"""The editable TOML document: comment-preserving, byte-exact edits with tomlkit.

This is the only module that touches tomlkit's tree. It applies the edit
operations of `planner.plan.edits` so that:

* an edit changes only the lines of what it edits (comments, blank lines,
  quoting style, key order and unknown keys around it stay as they are);
* every edit returns a `Journal` that restores the tree exactly, so undoing
  any sequence of edits gives back the original bytes;
* array-of-tables entries own the comment directly above their header.

The layout of entries in an array of tables (``[[smm.posts]]`` and friends)
is thought of in blocks. An entry's block is the blank line(s) directly
above it, the comment lines directly above its header, its header and its
keys. A section comment with a blank line under it (``# --- Week 2 ---``)
belongs to no entry: it stays where it is when the entry under it is
deleted or moved. What follows the last entry's keys (blank lines,
comments) belongs to whatever comes next in the file. tomlkit keeps the
lines above a header at the end of the *previous* entry; `Document.__init__`
moves them into the header's own leading text ("adoption"), which renders
the same bytes and lets an entry be deleted or moved with its comment.

* Deleting an entry removes its block and nothing else. The only entry of
  an array takes the array's key with it (no ``posts = []`` is left).
* Moving an entry is deleting its block and inserting it again: moving
  up, it lands right above its new successor (below a section comment
  there); moving down, right below its new predecessor. No other line
  moves.
* A new entry goes right below its predecessor's last key line (at the
  end: below the last entry's keys, before what follows them).

New entries and keys use one canonical layout, documented in
``docs/plan-format.md``: a blank line, the header, one ``key = value`` per
line in the format's key order, multi-line text as ``\"\"\"`` strings.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import tomllib
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
    SingleKey,
    String,
    StringType,
    Table,
    Trivia,
    Whitespace,
)
from tomlkit.toml_document import TOMLDocument

from planner.errors import EditError
from planner.plan.edits import AddEntry, Batch, DeleteEntry, Edit, MoveEntry, SetField
from planner.plan.locate import split_message, split_table
from planner.plan.problems import KeyPath, dotted
from planner.plan.schema import COMPETITOR_KEYS, PLATFORM_KEYS, POST_KEYS, SMO_ITEM_KEYS

# The arrays of tables the app edits as lists of entries.
MANAGED_ARRAYS: tuple[KeyPath, ...] = (("smo", "items"), ("smm", "platforms"), ("smm", "posts"), ("competitors",))
# The format's key order, used for the lines of new entries.
KEY_ORDER: dict[KeyPath, tuple[str, ...]] = {
    ("smo", "items"): SMO_ITEM_KEYS,
    ("smm", "platforms"): PLATFORM_KEYS,
    ("smm", "posts"): POST_KEYS,
    ("competitors",): COMPETITOR_KEYS,
}

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)*")

Node = Container | Table | InlineTable


class Journal:
    """Undo records for one edit: call `revert` to put the tree back exactly."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []
        self._kept_aots: set[int] = set()  # ids of the arrays whose entries are kept already

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
        # Once per array and journal: the first copy is what `revert` restores, and a
        # copy per entry of a batch (an import of 20,000 posts) would be quadratic.
        if id(aot) in self._kept_aots:
            return
        self._kept_aots.add(id(aot))
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

    def keep_attr(self, owner: Any, name: str) -> None:
        saved = getattr(owner, name)

        def restore() -> None:
            setattr(owner, name, saved)

        self._undo.append(restore)


class _Faithful(TOMLDocument):
    """A tomlkit document that writes each ``[[...]]`` header as it was spelled.

    tomlkit builds an array-of-tables header from its keys, so
    ``[[ smm.posts ]]`` came back as ``[[smm.posts ]]`` from any save, edited
    or not. The parser keeps each header's text (``display_name``); this
    writes it. New entries are given the canonical spelling (`Document`).
    """

    def _render_aot_table(self, table: Table, prefix: str | None = None) -> str:
        if table.display_name is not None:
            prefix = table.display_name
        return super()._render_aot_table(table, prefix)


_UNFAITHFUL = (
    "planner cannot write this plan's layout back without changing lines that were not edited; "
    "edit it by hand (and please report this)"
)


class Document:
    """A plan's TOML text as an editable tomlkit tree.

    The tree must write the file back byte for byte before any edit: then
    an edit changes only its own lines, and undoing it gives the bytes
    back. When it would not (an array of tables split by another table,
    which tomlkit joins into one place; some tables split that way), every
    edit is refused with the reason, before anything changes. `PlanFile`
    builds the tree before the first edit of a plan with a split table, so
    that the refusal comes before the edit is taken.
    """

    def __init__(self, text: str) -> None:
        self._text = text  # what `dumps` gives while every edit is refused
        self._doc: TOMLDocument = tomlkit.document()
        self._refusal: str | None = None
        split = split_table(text)
        if split is not None and split[2]:  # tomlkit always joins a split array of tables into one place
            self._refusal = split_message(*split)
            return
        try:
            self._doc = tomlkit.parse(text)
        except TOMLKitError:  # valid TOML (it was read) that tomlkit cannot take
            self._refusal = split_message(*split) if split is not None else _UNFAITHFUL
            return
        self._doc.__class__ = _Faithful
        for path in MANAGED_ARRAYS:
            aot = self._find(path)
            if isinstance(aot, AoT) and len(aot):
                self._adopt(path, aot)
        if self._doc.as_string() != text:  # a split table it cannot write back in place
            self._refusal = split_message(*split) if split is not None else _UNFAITHFUL

    def dumps(self) -> str:
        return self._text if self._refusal is not None else self._doc.as_string()

    # -- applying edits -------------------------------------------------------

    def apply(self, edit: Edit) -> Journal:
        """Apply ``edit``; the returned journal undoes it exactly."""
        if self._refusal is not None:
            raise EditError(f"cannot {edit.describe()}: {self._refusal}")
        journal = Journal()
        try:
            self._apply(journal, edit)
        except EditError:
            journal.revert()
            raise
        except Exception as error:  # noqa: BLE001 - a failed edit must change nothing, whatever went wrong
            journal.revert()
            reason = (
                str(error)
                if isinstance(error, (TOMLKitError, KeyError, IndexError, TypeError, ValueError))
                else repr(error)
            )
            raise EditError(f"cannot apply {edit.describe()}: {' '.join(reason.split())}") from None
        return journal

    def _apply(self, journal: Journal, edit: Edit) -> None:
        if isinstance(edit, SetField):
            self._set_field(journal, edit)
        elif isinstance(edit, AddEntry):
            self._add_entry(journal, edit)
        elif isinstance(edit, DeleteEntry):
            self._delete_entry(journal, edit)
        elif isinstance(edit, MoveEntry):
            self._move_entry(journal, edit)
        elif isinstance(edit, Batch):
            for part in edit.edits:  # one journal: undone together
                self._apply(journal, part)
        else:  # pragma: no cover - the Edit union is closed
            raise EditError(f"unknown edit {edit!r}")

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
            raise EditError(f"[{dotted(path)}] is split across the file; put its parts together to edit it in the app")
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
        key = edit.key
        if edit.value is None:
            table = self._table(edit.table)
            if key in table:
                journal.keep_node(table)
                _delete_key(table, key)
            return
        table = self._writable_table(journal, edit.table)
        if key in table:
            old = table.item(key)
            if _same(old.unwrap(), edit.value):
                return  # write back only what changed
            journal.keep_node(table)
            if isinstance(old, (Table, InlineTable)) and isinstance(edit.value, Mapping):
                self._update_table(journal, old, edit.value)
            else:
                table[key] = render_like(old, edit.value)
            return
        journal.keep_node(table)
        self._insert_key(journal, table, key, render_like(None, edit.value), _written_before(edit.table, key, table))

    def _writable_table(self, journal: Journal, path: KeyPath) -> Node:
        """The table at ``path`` ready to take a key: created if missing, given a header if implicit."""
        node = self._doc if not path else self._find(path)
        if node is None and path and not isinstance(path[-1], int):
            parent = self._writable_table(journal, path[:-1])
            if isinstance(parent, InlineTable):
                raise EditError(f"{dotted(path[:-1])} is an inline table; the app cannot add [{dotted(path)}] to it")
            table = tomlkit.table()
            self._append_child(journal, parent, path[-1], table, table)
            return table
        node = self._table(path)
        if isinstance(node, Table) and node.is_super_table():
            self._make_explicit(journal, node)
        return node

    def _update_table(self, journal: Journal, table: Table | InlineTable, values: Mapping[str, Any]) -> None:
        journal.keep_node(table)
        for key in [k for k in table if k not in values]:
            _delete_key(table, key)
        for key, value in values.items():
            if key in table:
                if not _same(table.item(key).unwrap(), value):
                    table[key] = render_like(table.item(key), value)
            else:
                self._insert_key(journal, table, key, render_like(None, value))

    def _insert_key(self, journal: Journal, table: Node, key: str, item: Item, after: str | None = None) -> None:
        """Add ``key`` on a line of its own after the line of ``after`` (a key of the table), else after its last key line.

        Blank lines and comments after that line belong to whatever comes next
        (the next header), so the new line goes before them. In a table with
        no keys yet the line goes directly under the header.
        """
        container = _container(table)
        body = container._body
        if after is not None and isinstance(table, Table):
            at = next(
                (
                    i
                    for i, (k, v) in enumerate(body)
                    if k is not None and not k.is_dotted() and k.key == after and not isinstance(v, (Table, AoT))
                ),
                None,
            )
            if at is not None and body[at][1].trivia.trail.endswith("\n"):
                item.trivia.indent = body[at][1].trivia.indent
                _insert_body(container, at + 1, SingleKey(key), item)
                dict.__setitem__(table, key, item)
                return
        if isinstance(table, InlineTable):
            last = max((i for i, (k, v) in enumerate(body) if k is not None), default=None)
            if last is None:
                table[key] = item
                return
            explicit_commas = any(isinstance(v, Whitespace) and "," in v.s for _, v in body)
            item.trivia.indent = body[last][1].trivia.indent if explicit_commas else " "
            new_key = SingleKey(key)
            neighbour = body[last][0]
            if neighbour.sep == "=" and not neighbour.as_string().endswith(" "):
                new_key.sep = "="  # written compactly, like its neighbour: `a=1`
            position = last + 1
            if explicit_commas:
                # The separator is written out (`, `) as between the last two keys, so
                # that it stays when a key before it is deleted later.
                previous = max(i for i, (k, v) in enumerate(body[:last]) if k is not None)
                for _, between in body[previous + 1 : last]:
                    if isinstance(between, Whitespace):
                        _insert_body(container, position, None, Whitespace(between.s))
                        position += 1
            _insert_body(container, position, new_key, item)
            dict.__setitem__(table, key, item)
            return
        last = first_table = None
        for index, (k, value) in enumerate(body):
            if k is None:
                continue
            if isinstance(value, (Table, AoT)) and not k.is_dotted():
                first_table = index
                break
            last = index
        if last is not None:
            previous = body[last][1]
            if not isinstance(previous, Table):  # a dotted key renders its own lines
                item.trivia.indent = previous.trivia.indent
                if not previous.trivia.trail.endswith("\n"):
                    previous.trivia.trail += "\n"
            position = last + 1
        elif isinstance(table, Table):
            position = 0
            if not table.trivia.trail.endswith("\n"):
                journal.keep_trivia(table)
                table.trivia.trail += "\n"
        else:  # the top level: before the comments above the first table
            position = first_table if first_table is not None else len(body)
            while position > 0 and (body[position - 1][0] is None):
                position -= 1
        _insert_body(container, position, SingleKey(key), item)
        if isinstance(table, Table):
            dict.__setitem__(table, key, item)

    def _make_explicit(self, journal: Journal, table: Table) -> None:
        """Give an implicit table (``[[smm.posts]]`` without ``[smm]``) its own header.

        The header goes where the table starts, above its first entry, and
        takes over the lines above that entry; a blank line separates the
        header's keys from the entry.
        """
        journal.keep_attr(table, "_is_super_table")
        journal.keep_trivia(table)
        table._is_super_table = False
        child = None
        for key, item in table.value._body:
            if isinstance(item, Table) and key is not None and not key.is_dotted():
                child = item
            elif isinstance(item, AoT) and len(item):
                child = item[0]
            if child is not None:
                break
        indent = ""
        if child is not None:
            journal.keep_trivia(child)
            indent = child.trivia.indent
            child.trivia.indent = "\n"
        table.trivia.indent = indent
        table.trivia.comment_ws = table.trivia.comment = ""
        if not table.trivia.trail.endswith("\n"):
            table.trivia.trail = "\n"

    # -- entries ------------------------------------------------------------------
    #
    # An entry's leading text (its header's ``trivia.indent``) is read as four
    # parts, top to bottom (see `_split`):
    #
    #   D  lines that only happen to sit above the entry: a section comment
    #      such as ``# --- Week 2 ---`` followed by a blank line;
    #   B  the blank line(s) directly above the entry;
    #   C  the comment lines directly above the header: the entry's comment;
    #   h  the spaces before ``[[`` on the header line.
    #
    # An entry's block is B + C + h, its header and its keys. Deleting an entry
    # removes its block and leaves D in place (above the next entry, or after
    # the previous one); moving an entry moves its block and nothing else.

    def _add_entry(self, journal: Journal, edit: AddEntry) -> None:
        current = self._find(edit.array)
        aot = None if isinstance(current, Array) and not len(current) else self._array(edit.array)
        written = _as_written(edit)
        if written is not None:
            comments, table = written
        else:
            comments, table = "", new_table(keys_in_order(edit.value, KEY_ORDER.get(tuple(edit.array), ())))
            table.display_name = ".".join(
                SingleKey(part).as_string() for part in edit.array
            )  # canonical: [[smm.posts]]
        if aot is None or not len(aot):
            self._add_first(journal, edit.array, table)
            return
        journal.keep_aot(aot)
        index = len(aot) if edit.index is None else max(0, min(edit.index, len(aot)))
        self._insert(journal, aot, index, table, "\n" + comments)

    def _delete_entry(self, journal: Journal, edit: DeleteEntry) -> None:
        aot = self._array(edit.array)
        if aot is None or not -len(aot) <= edit.index < len(aot):
            raise EditError(f"there is no entry {edit.index} in {dotted(edit.array)}")
        if len(aot) == 1:
            self._delete_only(journal, edit.array, aot)
            return
        journal.keep_aot(aot)
        self._remove(journal, aot, edit.index % len(aot))

    def _move_entry(self, journal: Journal, edit: MoveEntry) -> None:
        aot = self._array(edit.array)
        size = len(aot) if aot is not None else 0
        if not (0 <= edit.index < size and 0 <= edit.to < size):
            raise EditError(f"cannot move entry {edit.index} to {edit.to} in {dotted(edit.array)}")
        if edit.index == edit.to:
            return
        journal.keep_aot(aot)
        table = aot[edit.index]
        block = self._remove(journal, aot, edit.index)
        # Moving up, the entry lands right above its new successor (below any
        # section comment there); moving down, right below its new predecessor.
        self._insert(journal, aot, edit.to, table, block, below_section=edit.to < edit.index)

    def _remove(self, journal: Journal, aot: AoT, index: int) -> str:
        """Take entry ``index`` (of two or more) out of ``aot``; return its leading block text."""
        tables = aot._body
        table = tables[index]
        d, b, c, h = _split(table.trivia.indent)
        if index == 0:
            # The first entry's blank lines above it sit in what comes before the
            # array; the blank line that separated it from the next entry goes.
            following = tables[1]
            journal.keep_trivia(following)
            blank, rest = _blank_prefix(following.trivia.indent)
            following.trivia.indent = d + b + rest
            block = blank + c + h
        elif index == len(tables) - 1:
            previous = tables[index - 1]
            decor = _decor_items(d) + self._take_decor(journal, self._tail(table))
            self._end_with_newline(journal, self._tail(previous), previous)
            self._put_decor(journal, self._tail(previous), decor)
            block = b + c + h
        else:
            following = tables[index + 1]
            journal.keep_trivia(following)
            following.trivia.indent = d + following.trivia.indent
            block = b + c + h
        del tables[index]
        list.__delitem__(aot, index)
        return block

    def _insert(
        self, journal: Journal, aot: AoT, index: int, table: Table, block: str, below_section: bool = False
    ) -> None:
        """Put ``table`` into ``aot`` (not empty) at ``index`` with ``block`` as its leading text."""
        tables = aot._body
        journal.keep_trivia(table)
        if index >= len(tables):
            last = tables[-1]
            decor = self._take_decor(journal, self._tail(last))
            self._end_with_newline(journal, self._tail(last), last)
            self._put_decor(journal, self._tail(table), decor)
            table.trivia.indent = block
        elif index == 0:
            # The new first entry takes the old first entry's place; the old one
            # gets the new entry's blank line above it and keeps its own comment.
            first = tables[0]
            journal.keep_trivia(first)
            d0, b0, c0, h0 = _split(first.trivia.indent)
            _, b, c, h = _split(block)
            table.trivia.indent = d0 + b0 + c + h
            first.trivia.indent = (b or "\n") + c0 + h0
        else:
            following = tables[index]
            d, b, c, h = _split(following.trivia.indent)
            if below_section and d:
                journal.keep_trivia(following)
                table.trivia.indent = d + block
                following.trivia.indent = (b or "\n") + c + h
            else:
                table.trivia.indent = block
        tables.insert(index, table)
        list.insert(aot, index, table)

    def _add_first(self, journal: Journal, path: KeyPath, table: Table) -> None:
        """Add the first entry of an array that is missing (or written ``key = []``).

        The entry goes after the last key line of the table it belongs in (or
        after its last entry); comments and blank lines after that line stay
        below the new entry, as they belong to what comes next.
        """
        existing: Any = self._doc
        depth = 0
        for depth in range(len(path) - 1):
            node = self._find(path[: depth + 1])
            if node is None:
                break
            existing = node
        else:
            depth = len(path) - 1
            current = self._find(path)
            if current is not None:
                if not isinstance(current, (Array, AoT)) or len(current):
                    raise EditError(
                        f"{dotted(path)} is not written as [[{dotted(path)}]] entries; the app cannot edit it"
                    )
                journal.keep_node(existing)
                del existing[path[-1]]
        if isinstance(existing, OutOfOrderTableProxy):
            raise EditError(
                f"[{dotted(path[:depth])}] is split across the file; put its parts together to edit it in the app"
            )
        if not isinstance(existing, (Container, Table)):
            raise EditError(f"there is no table at {dotted(path[:depth]) or 'the top level'}")
        parent = existing
        for part in path[depth:-1]:
            if isinstance(part, int):
                raise EditError(f"there is no entry at {dotted(path)}")
            implicit = tomlkit.table(is_super_table=True)
            self._append_child(journal, parent, part, implicit, None)
            parent = implicit
        fresh = AoT([])
        fresh._body.append(table)
        list.append(fresh, table)
        self._append_child(journal, parent, path[-1], fresh, table, origin=existing, example=f"[[{dotted(path)}]]")

    def _append_child(
        self,
        journal: Journal,
        parent: Node,
        name: str,
        item: Table | AoT,
        first: Table | None,
        origin: Node | None = None,
        example: str = "",
    ) -> None:
        """Append a new table or array of tables at the end of ``parent``.

        ``first`` is the header that starts the new lines (``None`` for an
        implicit table, which writes none). The comments and blank lines at the
        end of ``origin`` (``parent`` unless given) move below the new lines,
        except those that show an ``example`` of the new lines (``# [[smm.posts]]``
        in the template) and the paragraphs above them: the first entry goes
        below its example.
        """
        if first is not None:
            source = self._end_source(parent if origin is None else origin)
            if source is not None:
                decor = self._take_decor(journal, source)
                kept = _through_example(decor, example)
                self._put_decor(journal, source, decor[:kept])
                decor = decor[kept:]
                self._end_with_newline(journal, source, None)
                self._put_decor(journal, self._tail(first), decor)
            elif isinstance(parent, Table) and not parent.trivia.trail.endswith("\n"):
                journal.keep_trivia(parent)
                parent.trivia.trail += "\n"
            first.trivia.indent = "\n"
        journal.keep_node(parent)
        parent.append(name, item)
        if first is None:
            item.trivia.indent = ""  # an implicit table writes no header and no blank line

    def _end_source(self, node: Node) -> Container | None:
        """The container whose last items are the last lines ``node`` renders (None: its header)."""
        container = _container(node)
        if any(not isinstance(item, Null) for _, item in container._body):
            return self._tail_of(container)
        if isinstance(node, Table):
            return None
        return container

    def _delete_only(self, journal: Journal, path: KeyPath, aot: AoT) -> None:
        """Delete the only entry: the array's key goes too (no ``posts = []`` is left)."""
        parent = self._table(path[:-1]) if len(path) > 1 else self._doc
        table = aot[0]
        d, b, _, _ = _split(table.trivia.indent)
        before = self._before(path)
        decor = _decor_items(d) + self._take_decor(journal, self._tail(table))
        journal.keep_node(parent)
        container = _container(parent)
        position = _position(container, path[-1])
        del parent[path[-1]]
        if (
            isinstance(parent, Table)
            and parent.is_super_table()
            and not any(not isinstance(item, (Null, Whitespace, Comment)) for _, item in container._body)
        ):
            # Nothing else keeps the implicit table alive, but the plan still has
            # it (empty): write its header where the entry was.
            journal.keep_attr(parent, "_is_super_table")
            journal.keep_trivia(parent)
            parent._is_super_table = False
            parent.trivia.indent = ""
            if not parent.trivia.trail.endswith("\n"):
                parent.trivia.trail = "\n"
            self._put_decor(journal, container, decor)
            return
        if before is None:
            journal.keep_node(container)
            _insert_items(container, position if position is not None else len(container._body), decor)
            return
        where, end = before
        journal.keep_node(where)
        if not (d or b):
            # The blank lines directly above the entry go with it.
            index = end - 1
            while index >= 0:
                key, item = where._body[index]
                if isinstance(item, Null):
                    index -= 1
                    continue
                if (
                    key is None
                    and isinstance(item, Whitespace)
                    and item.s.endswith("\n")
                    and not item.s.strip(" \t\r\n")
                ):
                    where._body[index] = (None, Null())
                    index -= 1
                    continue
                break
        _insert_items(where, end, decor)

    # -- layout helpers -----------------------------------------------------------

    @staticmethod
    def _tail_of(container: Container) -> Container:
        """The container whose items are rendered last within ``container``."""
        while True:
            found = next(((k, v) for k, v in reversed(container._body) if not isinstance(v, Null)), None)
            if found is None:
                return container
            key, last = found
            if isinstance(last, Table) and key is not None and not key.is_dotted():
                container = last.value
            elif isinstance(last, AoT) and len(last):
                container = last[-1].value
            else:
                return container

    def _tail(self, table: Table) -> Container:
        """The container whose items are rendered last within ``table``."""
        return self._tail_of(table.value)

    @staticmethod
    def _take_decor(journal: Journal, container: Container) -> list[Item]:
        """Remove and return the blank lines and comments at the end of ``container``."""
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

    @staticmethod
    def _put_decor(journal: Journal, container: Container, items: list[Item]) -> None:
        if items:
            journal.keep_node(container)
            for item in items:
                container._body.append((None, item))

    def _end_with_newline(self, journal: Journal, container: Container, owner: Table | None) -> None:
        """Make the last line rendered from ``container`` (or ``owner``'s header) end with a newline."""
        for index in range(len(container._body) - 1, -1, -1):
            _key, item = container._body[index]
            if isinstance(item, Null):
                continue
            if isinstance(item, Whitespace):
                if not item.s.endswith("\n"):
                    journal.keep_node(container)
                    container._body[index] = (None, Whitespace(item.s + "\n"))
                return
            if isinstance(item, Table):  # a dotted key: its last key line
                self._end_with_newline(journal, item.value, None)
                return
            if not item.trivia.trail.endswith("\n"):
                journal.keep_trivia(item)
                item.trivia.trail += "\n"
            return
        if owner is not None and not owner.trivia.trail.endswith("\n"):
            journal.keep_trivia(owner)
            owner.trivia.trail += "\n"

    def _before(self, path: KeyPath) -> tuple[Container, int] | None:
        """Where the lines directly above the node at ``path`` are: ``container._body[:end]``."""
        parent: Any = self._doc if len(path) == 1 else self._find(path[:-1])
        if not isinstance(parent, (Container, Table)):
            return None
        container = _container(parent)
        position = _position(container, path[-1])
        if position is None:
            return None
        index = position - 1
        while index >= 0 and isinstance(container._body[index][1], Null):
            index -= 1
        if index < 0:
            if (
                len(path) > 1
                and isinstance(parent, Table)
                and parent.is_super_table()
                and not any(isinstance(item, (Comment, Whitespace)) for _, item in container._body)
            ):
                return self._before(path[:-1])  # an implicit table writes no header
            return None
        key, item = container._body[index]
        if isinstance(item, (Table, AoT)) and key is not None and not key.is_dotted():
            if isinstance(item, AoT) and not len(item):
                return None
            tail = self._tail_of(item.value if isinstance(item, Table) else item[-1].value)
            return tail, len(tail._body)
        return container, index + 1

    def _adopt(self, path: KeyPath, aot: AoT) -> None:
        """Move each entry's leading blank and comment lines into its header's indent."""
        for previous, table in zip(aot.body, aot.body[1:]):
            text = "".join(item.as_string() for item in self._take_decor(Journal(), self._tail(previous)))
            table.trivia.indent = text + table.trivia.indent
        comments = self._comments_before(path)
        if comments:
            first = aot[0]
            first.trivia.indent = comments + first.trivia.indent

    def _comments_before(self, path: KeyPath) -> str:
        """Take the comment lines directly above the first header of the array at ``path``."""
        before = self._before(path)
        if before is None:
            return ""
        container, index = before
        run: list[int] = []
        index -= 1
        while index >= 0:
            key, item = container._body[index]
            if isinstance(item, Null):
                index -= 1
                continue
            if key is None and isinstance(item, Comment) and item.as_string().endswith("\n"):
                run.append(index)
                index -= 1
                continue
            break
        texts = []
        for i in reversed(run):
            texts.append(container._body[i][1].as_string())
            container._body[i] = (None, Null())
        return "".join(texts)


def _as_written(edit: AddEntry) -> tuple[str, Table] | None:
    """The comment lines above the entry and its table as ``edit.text`` writes them, if that reads as ``edit.value``."""
    if not edit.text:
        return None
    lines = _lines(edit.text if edit.text.endswith("\n") else edit.text + "\n")
    first = next((i for i, line in enumerate(lines) if not _is_comment(line)), len(lines))
    comments = "".join(lines[:first])
    try:
        node: Any = tomlkit.parse("".join(lines[first:]))
        for part in edit.array:
            node = node[part]
    except (TOMLKitError, KeyError, TypeError):
        return None
    if not isinstance(node, AoT) or len(node) != 1 or any(_is_blank(line) for line in lines[:first]):
        return None
    table = node[0]
    if not _same(table.unwrap(), _plain_value(edit.value)):
        return None
    indent = table.trivia.indent  # the spaces before its header
    return comments + (indent if not indent.strip(" \t") else ""), table


def _through_example(decor: list[Item], example: str) -> int:
    """How many of ``decor`` (comment and blank lines) run through the paragraph that comments out ``example``; 0 without one."""
    if not example:
        return 0
    found = max(
        (
            i
            for i, item in enumerate(decor)
            if isinstance(item, Comment) and item.as_string().lstrip(" \t#").startswith(example)
        ),
        default=None,
    )
    if found is None:
        return 0
    end = found + 1
    while end < len(decor) and isinstance(decor[end], Comment):
        end += 1
    return end


def _written_before(path: KeyPath, key: str, table: Node) -> str | None:
    """The key that ``key`` follows in the format's order (``done_on`` after ``done``) among those ``table`` has, if any."""
    if not path or not isinstance(path[-1], int):
        return None
    order = KEY_ORDER.get(tuple(path[:-1]), ())
    if key not in order:
        return None
    return next((earlier for earlier in reversed(order[: order.index(key)]) if earlier in table), None)


def _container(node: Any) -> Container:
    return node.value if isinstance(node, (Table, InlineTable)) else node


def _position(container: Container, name: str) -> int | None:
    return next((i for i, (k, _) in enumerate(container._body) if k is not None and k.key == name), None)


def _insert_body(container: Container, index: int, key: SingleKey | None, item: Item) -> None:
    """Insert ``(key, item)`` into ``container``'s body at ``index``, keeping its key index right."""
    for k, v in container._map.items():
        if isinstance(v, tuple):
            container._map[k] = tuple(i + 1 if i >= index else i for i in v)
        elif v >= index:
            container._map[k] = v + 1
    container._body.insert(index, (key, item))
    if key is not None:
        container._map[key] = index
        dict.__setitem__(container, key.key, item.value)


def _delete_key(table: Node, key: str) -> None:
    """Delete ``key``; in an inline table its separator goes too (``{ a = 1, c = 3 }``, not ``{ a = 1,  c = 3 }``)."""
    if not isinstance(table, InlineTable):
        del table[key]
        return
    body = table.value._body
    keys = [i for i, (k, v) in enumerate(body) if k is not None and not isinstance(v, Null)]
    index = next(i for i in keys if body[i][0].key == key)
    position = keys.index(index)
    if position + 1 < len(keys):
        low, high = index, keys[position + 1]  # the key and the separator after it
    elif position > 0:
        low, high = keys[position - 1] + 1, index + 1  # the separator before the last key, and the key
    else:
        low, high = index, index + 1
    del table[key]
    for i in range(low, high):
        if isinstance(body[i][1], Whitespace):
            body[i] = (None, Null())


def _insert_items(container: Container, index: int, items: list[Item]) -> None:
    for offset, item in enumerate(items):
        _insert_body(container, index + offset, None, item)


def _lines(text: str) -> list[str]:
    """``text`` split after each ``\\n`` only (comments may hold other line separators)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r\n")


def _is_comment(line: str) -> bool:
    return line.lstrip(" \t").startswith("#")


def _split(indent: str) -> tuple[str, str, str, str]:
    """A header's leading text as (section lines, blank lines, comment lines directly above, header indent)."""
    cut = indent.rfind("\n") + 1
    lines, h = _lines(indent[:cut]), indent[cut:]
    c = len(lines)
    while c and _is_comment(lines[c - 1]):
        c -= 1
    b = c
    while b and _is_blank(lines[b - 1]):
        b -= 1
    return "".join(lines[:b]), "".join(lines[b:c]), "".join(lines[c:]), h


def _blank_prefix(text: str) -> tuple[str, str]:
    blank = _BLANK_LINES.match(text).group(0)
    return blank, text[len(blank) :]


def _decor_items(text: str) -> list[Item]:
    """Comment and whitespace items that render exactly as ``text`` (whole lines)."""
    items: list[Item] = []
    for line in _lines(text):
        if _is_comment(line):
            stripped = line.lstrip(" \t")
            comment = stripped.rstrip("\r\n")
            items.append(
                Comment(
                    Trivia(
                        indent=line[: len(line) - len(stripped)],
                        comment_ws="",
                        comment=comment,
                        trail=stripped[len(comment) :],
                    )
                )
            )
        elif items and isinstance(items[-1], Whitespace):
            items[-1] = Whitespace(items[-1].s + line)
        else:
            items.append(Whitespace(line))
    return items


def _same(old: Any, new: Any) -> bool:
    """Whether ``new`` is the value ``old`` already has, type and all."""
    if isinstance(old, list) and isinstance(new, (list, tuple)):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new))
    if isinstance(old, dict) and isinstance(new, Mapping):
        return old.keys() == {k for k, v in new.items() if v is not None} and all(_same(old[k], new[k]) for k in old)
    return type(old) is type(new) and old == new


# -- rendering values ---------------------------------------------------------------


def render_like(old: Item | None, value: Any) -> Item:
    """A tomlkit item for ``value``, in the style of ``old`` where that fits."""
    if isinstance(value, str):
        return _string_like(old, value)
    if isinstance(value, (list, tuple)):
        if isinstance(old, Array) and value:
            return _array_like(old, value)
        return _new_array(old, value)
    if isinstance(value, Mapping):
        return _inline_table(value)
    if isinstance(value, (bool, int, float, dt.date, dt.datetime, dt.time)):
        return tomlkit.item(value)
    raise EditError(f"cannot write a value of type {type(value).__name__}")


def _array_like(old: Array, value: list | tuple) -> Array:
    """``old`` (a copy) turned into ``value`` element by element: the elements that stay keep their lines.

    The elements are matched as difflib matches lines. An element that
    stays (or moves) keeps its spelling, its end-of-line comment and the
    comment lines directly above it; one that is removed (or changed) takes
    them along. A new element goes above the comment lines of the element
    it is put before.
    """
    if any(group.indent is not None and "," in group.indent.s for group in old._value):
        return _new_array(old, value)  # commas first (`, "b"`): written anew rather than guessed at
    array = copy.deepcopy(old)
    keys_old = [_element_key(v) for v in old.unwrap()]
    keys_new = [_element_key(_plain_value(v)) for v in value]
    opcodes = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False).get_opcodes()
    # An element removed in one place and put back in another is a move: it keeps its comments.
    moved: dict[str, list[tuple[list[Any], Any]]] = {}
    for tag, i1, i2, _j1, _j2 in opcodes:
        if tag in ("delete", "replace"):
            for index in range(i1, i2):
                group = array._index_map[index]
                start = _comment_lines_above(array, group)
                lines = copy.deepcopy(array._value[start:group])
                moved.setdefault(keys_old[index], []).append((lines, copy.deepcopy(array._value[group].comment)))
    for tag, i1, i2, j1, j2 in reversed(opcodes):
        if tag == "equal":
            continue
        for index in range(i2 - 1, i1 - 1, -1):
            _delete_element(array, index)
        for offset, element in enumerate(value[j1:j2]):
            comments = moved.get(keys_new[j1 + offset])
            _insert_element(array, i1 + offset, render_like(None, element), comments.pop(0) if comments else None)
    groups = [group for group in array._value if group.value is not None and not isinstance(group.value, Null)]
    for group in groups[:-1]:  # tomlkit leaves out the comma after an element followed by a comment line
        if group.comma is None or "," not in group.comma.s:
            group.comma = Whitespace(",")
    try:
        reads_back = _same(tomllib.loads(f"v = {array.as_string()}")["v"], _plain_value(value))
    except tomllib.TOMLDecodeError:
        reads_back = False
    return array if reads_back else _new_array(old, value)  # a layout not foreseen: its comments go, never its values


def _new_array(old: Item | None, value: list | tuple) -> Array:
    """``value`` as a new array: one line, or one element per line if ``old`` was written over several."""
    array = tomlkit.array()
    for element in value:
        array.append(render_like(None, element))
    if isinstance(old, Array) and "\n" in old.as_string() and len(value) > 0:
        array.multiline(True)
    return array


def _element_key(value: Any) -> str:
    return f"{type(value).__name__}:{value!r}"


def _plain_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain_value(v) for k, v in value.items() if v is not None}
    return value


def _comment_lines_above(array: Array, group: int) -> int:
    """The index of the first of the comment-only lines directly above ``array._value[group]``."""
    start = group
    while start > 0:
        above = array._value[start - 1]
        if (above.value is None or isinstance(above.value, Null)) and above.comment is not None:
            start -= 1
        else:
            break
    return start


def _delete_element(array: Array, index: int) -> None:
    group = array._index_map[index]
    start = _comment_lines_above(array, group)
    if start < group:
        del array._value[start:group]
        array._reindex()
    del array[index]


def _insert_element(array: Array, index: int, item: Item, comments: tuple[list[Any], Any] | None = None) -> None:
    """Insert ``item`` at ``index``, with the comment lines above it and the end-of-line comment it had (a move)."""
    if index >= len(array):
        array.append(item)
        group = start = array._index_map[index]
    else:
        group = array._index_map[index]
        start = _comment_lines_above(array, group)
        array.insert(index, item)
        if start < group:  # tomlkit put it between the comment lines and their element
            array._value.insert(start, array._value.pop(group))
        group = start
    lines, comment = comments if comments is not None else ([], None)
    if (lines or comment is not None) and "\n" in array.as_string():  # a comment needs a multi-line array
        array._value[group].comment = comment
        array._value[group:group] = lines
    array._reindex()


def _inline_table(value: Mapping[str, Any]) -> InlineTable:
    """``{ linkedin = "globex", x = "@globex" }``: spaces inside the braces, as in the format's examples.

    Read back from its text, so that later edits treat it like a table read from a file.
    """
    table = tomlkit.inline_table()
    for key, element in value.items():
        table[key] = render_like(None, element)
    if not table:
        return table
    text = "{ " + table.as_string()[1:-1].strip() + " }"
    item = tomlkit.parse(f"v = {text}\n").item("v")
    item._trivia = Trivia()  # placed like a new value, not like the line it was read from
    return item


def _string_like(old: Item | None, value: str) -> String:
    kind = old.type if isinstance(old, String) else None
    multiline = "\n" in value
    if kind is StringType.SLL and not multiline and "'" not in value and not _CONTROL.search(value):
        return tomlkit.string(value, literal=True)
    if (
        kind is StringType.MLL
        and "'''" not in value
        and not value.endswith("'")
        and not _CONTROL.search(value.replace("\n", ""))
    ):
        return tomlkit.string(value, literal=True, multiline=True)
    if multiline or kind is StringType.MLB:
        item = tomlkit.string(value, multiline=True)
        if "\r" in item._original:
            # A raw CR (even in CRLF) would be read back as a newline: escape it.
            item = String(StringType.MLB, value, item._original.replace("\r", "\\r"), Trivia())
        return item
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
