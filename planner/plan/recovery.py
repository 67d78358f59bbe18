"""Crash recovery: the unsaved edits of a plan, kept in the state folder until it is saved.

The app journals the edits that turn the plan file (as last read or saved)
into what the user sees, shortly after every change: an edit, an undo, a
redo. After a crash or ``kill -9`` the next app on the same plan finds the
journal and offers to restore the edits as one undoable step (a `Batch`).
A clean save, or quitting without saving, removes it.

A journal is one JSON file per plan (`planner.locations.journal_file`),
written atomically. Values are tagged so that dates, datetimes, times,
non-finite floats, tuples and tables come back exactly as they went in.
It records the fingerprint of the file the edits apply to, so the app can
tell when the file changed on disk since.

Each edit carries what it expects to find (`apply_expecting` records it as
the edit is made): the entries its positions point at, named by ``id`` (or
``name``), and the value it replaces. Restoring (`Recovered.resolve`) finds
the entries by name in the file as it is now, so a post a teammate inserted
at the top does not shift a delete onto the wrong post, and an edit whose
value changed on disk is not applied but named.

A save first records in the journal the fingerprint of the bytes it is about
to write (``result``): a journal whose edits are already in the file on disk
(the app died between writing the plan and settling the journal) is never
offered.

Nothing here imports Textual. `JournalWriter` serialises the writes of one
plan's journal, so an older state never lands after a newer one.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import math
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner import locations
from planner.errors import PlannerError, SaveError
from planner.plan.edits import AddEntry, Batch, DeleteEntry, Edit, MoveEntry, SetField, apply_to_data
from planner.plan.problems import dotted
from planner.plan.schema import read_plan
from planner.plan.storage import atomic_write

FORMAT = 2  # 2: edits carry what they expect to find, and a save's result; 1 (positions only) is still read
# The errors `loads` turns into "damaged": anything a hostile or truncated file can raise while decoding.
DAMAGED = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OverflowError, MemoryError)


class RecoveryUnreadable(PlannerError):
    """A journal exists but cannot be read back (damaged, or from a newer planner)."""

    title = "Cannot read recovered edits"


@dataclass(frozen=True)
class Recovered:
    """A journal as read: the edits, the file they apply to, and when they were written."""

    plan: str
    fingerprint: str
    written: dt.datetime  # aware, UTC
    edits: tuple[Edit, ...]
    expects: tuple[Any, ...] = ()  # per edit, what it expects to find (None: positions only)
    result: str | None = None  # the fingerprint of a save that holds these edits (being written when this was)

    @property
    def count(self) -> int:
        return len(self.edits)

    def batch(self, edits: Sequence[Edit] | None = None) -> Batch:
        """All the edits (or ``edits``, their resolved form) as one step, so one undo takes the restore back."""
        noun = "edit" if self.count == 1 else "edits"
        return Batch(tuple(self.edits if edits is None else edits), f"restore {self.count} unsaved {noun}")

    def saved_in(self, fingerprint: str) -> bool:
        """Whether the file with ``fingerprint`` already holds these edits (a save finished, its journal did not)."""
        return self.result is not None and self.result == fingerprint

    def resolve(self, data: dict[str, Any]) -> Restore:
        """These edits made to apply to ``data`` (the file as it is now): found by name, checked against what they replace."""
        scratch = copy.deepcopy(data)
        resolved: list[Edit] = []
        refused: list[str] = []
        expects = self.expects or (None,) * self.count
        for edit, expect in zip(self.edits, expects):
            try:
                found = _resolve(scratch, edit, expect)
                apply_to_data(scratch, found)
            except (Mismatch, PlannerError) as error:
                refused.append(f"{edit.describe()}: {error}")
                continue
            except DAMAGED:  # what it expects is not what planner writes
                refused.append(f"{edit.describe()}: its record is damaged")
                continue
            resolved.append(found)
        if refused:
            return Restore(None, tuple(refused))
        plan, problems = read_plan(scratch)
        if plan is None:
            first = next(p for p in problems if p.severity == "error")
            return Restore(None, (first.located("plan").removeprefix("plan: "),))
        return Restore(self.batch(resolved), ())


@dataclass(frozen=True)
class Restore:
    """What restoring recovered edits onto a file does: one undoable batch, or why each refused edit no longer applies."""

    batch: Batch | None
    refused: tuple[str, ...]

    @property
    def why_not(self) -> str | None:
        return "; ".join(self.refused) if self.refused else None


class Mismatch(Exception):
    """An edit does not find what it expects (its entry is gone, or the value it replaces changed)."""


# -- what an edit expects to find ------------------------------------------------------------


def _canon(value: Any) -> Any:
    """``value`` as JSON data that compares equal only for equal TOML values (tables in key order)."""
    if isinstance(value, Mapping):
        return {"$table": sorted([str(k), _canon(v)] for k, v in value.items())}
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    return _value(value)


def _same(value: Any, expected: Any) -> bool:
    return json.dumps(_canon(value), sort_keys=True) == json.dumps(expected, sort_keys=True)


def _ident(entry: Any) -> dict[str, Any]:
    """How an entry of an array of tables is found again: its ``id`` or ``name``, or else all of it."""
    if isinstance(entry, Mapping):
        for key in ("id", "name"):
            if isinstance(entry.get(key), str):
                return {key: entry[key]}
    return {"value": _canon(entry)}


def _named(ident: Mapping[str, Any] | None) -> str:
    if not ident:
        return "the entry"
    key, value = next(iter(ident.items()))
    return f"the entry with {key} {value!r}" if key != "value" else "the entry"


def _anchors(data: Any, path: Sequence[Any]) -> list[list[Any]]:
    """For each position in ``path``: [its place in the path, the entry there]."""
    out: list[list[Any]] = []
    node = data
    for place, part in enumerate(path):
        if isinstance(part, int) and isinstance(node, list) and -len(node) <= part < len(node):
            node = node[part]
            out.append([place, _ident(node)])
        elif isinstance(part, str) and isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            break  # the edit itself says what is missing
    return out


def _node(data: Any, path: Sequence[Any]) -> Any:
    node = data
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and -len(node) <= part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return None
    return node


def expectation(data: dict[str, Any], edit: Edit) -> Any:
    """What ``edit`` finds in ``data`` before it is applied (JSON data; a `Batch` is `apply_expecting`'s)."""
    if isinstance(edit, SetField):
        table = _node(data, edit.table)
        old = table.get(edit.key) if isinstance(table, Mapping) else None
        return {"at": _anchors(data, edit.table), "old": _canon(old)}
    if isinstance(edit, Batch):
        raise TypeError("a batch's expectation is its parts': use apply_expecting")
    array = _node(data, edit.array)
    array = array if isinstance(array, list) else []
    at = _anchors(data, edit.array)
    if isinstance(edit, AddEntry):
        before = array[edit.index] if edit.index is not None and 0 <= edit.index < len(array) else None
        return {"at": at, "before": None if before is None else _ident(before), "new": _ident(edit.value)}
    if isinstance(edit, DeleteEntry):
        entry = array[edit.index] if -len(array) <= edit.index < len(array) else None
        return {"at": at, "entry": _ident(entry), "old": _canon(entry)}
    if isinstance(edit, MoveEntry):
        valid = 0 <= edit.index < len(array) and 0 <= edit.to < len(array)
        return {
            "at": at,
            "entry": _ident(array[edit.index]) if valid else None,
            "target": _ident(array[edit.to]) if valid else None,
        }
    return None


def apply_expecting(data: dict[str, Any], edit: Edit) -> tuple[Edit, Any]:
    """`apply_to_data`, also returning what the edit expected to find (each part of a batch as it came to it)."""
    if not isinstance(edit, Batch):
        expect = expectation(data, edit)
        return apply_to_data(data, edit), expect
    inverses: list[Edit] = []
    expects: list[Any] = []
    try:
        for part in edit.edits:
            inverse, expect = apply_expecting(data, part)
            inverses.append(inverse)
            expects.append(expect)
    except PlannerError:
        for inverse in reversed(inverses):
            apply_to_data(data, inverse)
        raise
    return Batch(tuple(reversed(inverses)), edit.label), {"batch": expects}


def _find(array: Any, ident: Any) -> int:
    if not isinstance(ident, Mapping) or len(ident) != 1:
        raise Mismatch("its record is damaged")
    if not isinstance(array, list):
        raise Mismatch(f"{_named(ident)} is gone")
    key, value = next(iter(ident.items()))
    if key == "value":
        found = [i for i, entry in enumerate(array) if _same(entry, value)]
    else:
        found = [i for i, entry in enumerate(array) if isinstance(entry, Mapping) and entry.get(key) == value]
    if len(found) != 1:
        raise Mismatch(f"{_named(ident)} is {'gone' if not found else 'there more than once'}")
    return found[0]


def _located(data: Any, path: Sequence[Any], at: Any) -> tuple[str | int, ...]:
    """``path`` with each recorded position replaced by where its entry is in ``data`` now."""
    where = {int(place): ident for place, ident in (at or [])}
    parts = list(path)
    node = data
    for place, _part in enumerate(parts):
        if place in where:
            parts[place] = _find(node, where[place])  # a missing array: its entry is gone
        node = None if node is None else _node(node, [parts[place]])
    return tuple(parts)


def _resolve(data: dict[str, Any], edit: Edit, expect: Any) -> Edit:
    """``edit`` as it applies to ``data`` now; `Mismatch` when it does not find what it expects."""
    if expect is None:  # a journal from planner 1.x: positions only
        return edit
    if not isinstance(expect, Mapping):
        raise Mismatch("its record is damaged")
    if isinstance(edit, Batch):
        parts = expect.get("batch")
        if not isinstance(parts, list) or len(parts) != len(edit.edits):
            raise Mismatch("its record is damaged")
        resolved: list[Edit] = []
        inverses: list[Edit] = []
        try:
            for part, part_expect in zip(edit.edits, parts):
                found = _resolve(data, part, part_expect)
                inverses.append(apply_to_data(data, found))
                resolved.append(found)
        finally:
            for inverse in reversed(inverses):
                apply_to_data(data, inverse)
        return Batch(tuple(resolved), edit.label)
    if isinstance(edit, SetField):
        table_path = _located(data, edit.table, expect.get("at"))
        table = _node(data, table_path)
        old = table.get(edit.key) if isinstance(table, Mapping) else None
        if not _same(old, expect.get("old")):
            raise Mismatch(f"{dotted((*table_path, edit.key))} changed on disk")
        return SetField(table_path, edit.key, edit.value, edit.label)
    array_path = _located(data, edit.array, expect.get("at"))
    array = _node(data, array_path)
    if isinstance(edit, AddEntry):
        new = expect.get("new")
        if (
            isinstance(new, Mapping)
            and "value" not in new
            and isinstance(array, list)
            and any(isinstance(e, Mapping) and e.get(k) == v for k, v in new.items() for e in array)
        ):
            raise Mismatch(f"{_named(new)} is already there")
        before = expect.get("before")
        if edit.index is None:
            index = None
        elif before is not None:
            index = _find(array, before)  # right above the entry it went above
        else:
            index = len(array) if isinstance(array, list) else 0  # it went at the end
        return AddEntry(array_path, edit.value, index, edit.label)
    if isinstance(edit, DeleteEntry):
        index = _find(array, expect.get("entry"))
        if not _same(array[index], expect.get("old")):
            raise Mismatch(f"{_named(expect.get('entry'))} changed on disk")
        return DeleteEntry(array_path, index, edit.label)
    if isinstance(edit, MoveEntry):
        index, to = _find(array, expect.get("entry")), _find(array, expect.get("target"))
        if (to > index) != (edit.to > edit.index) and to != index:
            raise Mismatch("the entries around it moved on disk")
        return MoveEntry(array_path, index, to, edit.label)
    raise Mismatch("unknown edit")


# -- encoding -------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_value(v) for v in value]}
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, Mapping):
        return {"$table": [[str(k), _value(v)] for k, v in value.items()]}
    raise TypeError(f"cannot journal a {type(value).__name__}")


def _unvalue(value: Any) -> Any:
    if isinstance(value, list):
        return [_unvalue(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise ValueError("a tagged value has exactly one key")
    ((tag, inner),) = value.items()
    if tag == "$float":
        return float(inner)
    if tag == "$datetime":
        return dt.datetime.fromisoformat(inner)
    if tag == "$date":
        return dt.date.fromisoformat(inner)
    if tag == "$time":
        return dt.time.fromisoformat(inner)
    if tag == "$tuple":
        return tuple(_unvalue(v) for v in inner)
    if tag == "$table":
        return {str(k): _unvalue(v) for k, v in inner}
    raise ValueError(f"unknown tag {tag!r}")


def _path(parts: Sequence[Any]) -> tuple[str | int, ...]:
    if not isinstance(parts, list) or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in parts):
        raise ValueError("a key path holds keys and indices")
    return tuple(parts)


def _index(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"an index is a whole number, not {value!r:.40}")
    return value


def encode_edit(edit: Edit) -> dict[str, Any]:
    if isinstance(edit, SetField):
        return {
            "op": "set",
            "table": list(edit.table),
            "key": edit.key,
            "value": _value(edit.value),
            "label": edit.label,
        }
    if isinstance(edit, AddEntry):
        return {
            "op": "add",
            "array": list(edit.array),
            "value": _value(edit.value),
            "index": edit.index,
            "label": edit.label,
        }
    if isinstance(edit, DeleteEntry):
        return {"op": "delete", "array": list(edit.array), "index": edit.index, "label": edit.label}
    if isinstance(edit, MoveEntry):
        return {"op": "move", "array": list(edit.array), "index": edit.index, "to": edit.to, "label": edit.label}
    if isinstance(edit, Batch):
        return {"op": "batch", "edits": [encode_edit(e) for e in edit.edits], "label": edit.label}
    raise TypeError(f"cannot journal {edit!r}")


def decode_edit(data: Mapping[str, Any]) -> Edit:
    op, label = data["op"], str(data.get("label", ""))
    if op == "set":
        return SetField(_path(data["table"]), str(data["key"]), _unvalue(data["value"]), label)
    if op == "add":
        index = data.get("index")
        return AddEntry(_path(data["array"]), _unvalue(data["value"]), None if index is None else _index(index), label)
    if op == "delete":
        return DeleteEntry(_path(data["array"]), _index(data["index"]), label)
    if op == "move":
        return MoveEntry(_path(data["array"]), _index(data["index"]), _index(data["to"]), label)
    if op == "batch":
        return Batch(tuple(decode_edit(e) for e in data["edits"]), label)
    raise ValueError(f"unknown edit {op!r}")


def dumps(recovered: Recovered) -> bytes:
    expects = recovered.expects or (None,) * recovered.count
    body = {
        "format": FORMAT,
        "plan": recovered.plan,
        "fingerprint": recovered.fingerprint,
        "written": recovered.written.isoformat(),
        "result": recovered.result,
        "edits": [{**encode_edit(e), "expect": x} for e, x in zip(recovered.edits, expects)],
    }
    return json.dumps(body, indent=1).encode("ascii")  # ASCII: any text, even a lone surrogate, survives


def loads(raw: bytes) -> Recovered:
    """A journal's content; one of `DAMAGED` (`ValueError`, `RecursionError`, ...) when it is not one."""
    body = json.loads(raw.decode("utf-8"))
    if not isinstance(body, dict) or body.get("format") not in (1, FORMAT):
        raise ValueError(f"journal format {body.get('format') if isinstance(body, dict) else None!r:.40}")
    written = dt.datetime.fromisoformat(body["written"])
    if written.tzinfo is None:
        raise ValueError("the time it was written has no zone")
    if not isinstance(body["edits"], list):
        raise ValueError("the edits are not a list")
    edits = tuple(decode_edit(e) for e in body["edits"])
    expects = tuple(e.get("expect") for e in body["edits"])
    result = body.get("result")
    return Recovered(
        str(body["plan"]),
        str(body["fingerprint"]),
        written,
        edits,
        expects,
        result if isinstance(result, str) else None,
    )


# -- the journal of one plan ------------------------------------------------------------


def write(
    plan: Path,
    edits: Sequence[Edit],
    fingerprint: str,
    written: dt.datetime,
    expects: Sequence[Any] = (),
    result: str | None = None,
) -> None:
    """Keep ``edits`` (to the file with ``fingerprint``) as ``plan``'s journal; `SaveError` if it cannot."""
    target = locations.journal_file(plan)
    recovered = Recovered(str(plan), fingerprint, written.astimezone(dt.UTC), tuple(edits), tuple(expects), result)
    data = dumps(recovered)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SaveError(f"{target.parent}: cannot keep unsaved edits there: {error.strerror or error}") from None
    atomic_write(target, data, default_mode=0o600)


def read(plan: Path) -> Recovered | None:
    """``plan``'s journal, or None when there is none; `RecoveryUnreadable` when it is damaged."""
    target = locations.journal_file(plan)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise RecoveryUnreadable(f"{target}: cannot read the recovered edits: {error.strerror or error}") from None
    try:
        return loads(raw)
    except DAMAGED as error:  # UnicodeDecodeError and json's errors are ValueErrors
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise RecoveryUnreadable(f"{target}: the recovered edits are damaged ({reason})") from None


def discard(plan: Path) -> None:
    """Remove ``plan``'s journal (nothing to do when there is none)."""
    with contextlib.suppress(FileNotFoundError):
        locations.journal_file(plan).unlink()


def keep_aside(plan: Path, now: dt.datetime, why: str = "kept") -> Path:
    """Move ``plan``'s journal out of the way (kept, no longer offered) and return where it went.

    ``why`` names the kept file (``kept``: the user chose to; ``damaged``: it could not be read).
    """
    source = locations.journal_file(plan)
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = source.with_name(f"{source.stem}-{why}-{stamp}.json")
    for n in range(2, 1000):
        if not target.exists():
            break
        target = source.with_name(f"{source.stem}-{why}-{stamp}-{n}.json")
    os.replace(source, target)
    return target


@dataclass(frozen=True)
class JournalState:
    """What a plan's journal should hold: the unsaved edits, what each expects, the file they apply to."""

    edits: tuple[Edit, ...]
    expects: tuple[Any, ...]
    fingerprint: str
    result: str | None = None


class JournalWriter:
    """Writes one plan's journal; writes are serialised, and each writes the state as it is when it writes.

    `write` takes a function that returns the state (read under the plan's
    lock) and calls it inside the writer's lock: a write queued before a save
    and run after it writes what is unsaved after the save, never what was
    unsaved before it. `holding` keeps the journal still across a save.
    A state without edits removes the journal.
    """

    def __init__(self, plan: Path) -> None:
        self.plan = plan
        self._writing = threading.RLock()

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        with self._writing:
            yield

    def write(self, state: JournalState | None, now: dt.datetime) -> None:
        """Keep ``state`` (None or no edits: remove the journal); `PlannerError` (`SaveError`) if it cannot."""
        with self._writing:
            if state is None or not state.edits:
                discard(self.plan)
            else:
                write(self.plan, state.edits, state.fingerprint, now, state.expects, state.result)
