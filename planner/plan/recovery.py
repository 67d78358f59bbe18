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

Nothing here imports Textual. `JournalWriter` lets a UI submit the latest
state from its own thread and write it from a worker.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import math
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner import locations
from planner.errors import PlannerError, SaveError
from planner.plan.edits import AddEntry, Batch, DeleteEntry, Edit, MoveEntry, SetField, apply_to_data
from planner.plan.schema import read_plan
from planner.plan.storage import atomic_write

FORMAT = 1


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

    @property
    def count(self) -> int:
        return len(self.edits)

    def batch(self) -> Batch:
        """All the edits as one step, so one undo takes the restore back."""
        noun = "edit" if self.count == 1 else "edits"
        return Batch(self.edits, f"restore {self.count} unsaved {noun}")


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
    (tag, inner), = value.items()
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
    if not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in parts):
        raise ValueError("a key path holds keys and indices")
    return tuple(parts)


def encode_edit(edit: Edit) -> dict[str, Any]:
    if isinstance(edit, SetField):
        return {"op": "set", "table": list(edit.table), "key": edit.key, "value": _value(edit.value), "label": edit.label}
    if isinstance(edit, AddEntry):
        return {"op": "add", "array": list(edit.array), "value": _value(edit.value), "index": edit.index, "label": edit.label}
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
        return AddEntry(_path(data["array"]), _unvalue(data["value"]), None if index is None else int(index), label)
    if op == "delete":
        return DeleteEntry(_path(data["array"]), int(data["index"]), label)
    if op == "move":
        return MoveEntry(_path(data["array"]), int(data["index"]), int(data["to"]), label)
    if op == "batch":
        return Batch(tuple(decode_edit(e) for e in data["edits"]), label)
    raise ValueError(f"unknown edit {op!r}")


def dumps(recovered: Recovered) -> bytes:
    body = {
        "format": FORMAT,
        "plan": recovered.plan,
        "fingerprint": recovered.fingerprint,
        "written": recovered.written.isoformat(),
        "edits": [encode_edit(e) for e in recovered.edits],
    }
    return json.dumps(body, indent=1).encode("ascii")  # ASCII: any text, even a lone surrogate, survives


def loads(raw: bytes) -> Recovered:
    """A journal's content; `ValueError` (or `KeyError`, `TypeError`) when it is not one."""
    body = json.loads(raw.decode("utf-8"))
    if body.get("format") != FORMAT:
        raise ValueError(f"journal format {body.get('format')!r}")
    written = dt.datetime.fromisoformat(body["written"])
    if written.tzinfo is None:
        raise ValueError("the time it was written has no zone")
    edits = tuple(decode_edit(e) for e in body["edits"])
    return Recovered(str(body["plan"]), str(body["fingerprint"]), written, edits)


def why_not_applicable(data: dict[str, Any], recovered: Recovered) -> str | None:
    """Why the recovered edits cannot be restored onto ``data`` (a file changed since), or None if they can."""
    scratch = copy.deepcopy(data)
    try:
        apply_to_data(scratch, recovered.batch())
    except PlannerError as error:
        return error.message
    plan, problems = read_plan(scratch)
    if plan is None:
        first = next(p for p in problems if p.severity == "error")
        return first.located("plan").removeprefix("plan: ")
    return None


# -- the journal of one plan ------------------------------------------------------------


def write(plan: Path, edits: Sequence[Edit], fingerprint: str, written: dt.datetime) -> None:
    """Keep ``edits`` (to the file with ``fingerprint``) as ``plan``'s journal; `SaveError` if it cannot."""
    target = locations.journal_file(plan)
    data = dumps(Recovered(str(plan), fingerprint, written.astimezone(dt.timezone.utc), tuple(edits)))
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
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
        raise RecoveryUnreadable(f"{target}: the recovered edits are damaged ({error})") from None


def discard(plan: Path) -> None:
    """Remove ``plan``'s journal (nothing to do when there is none)."""
    with contextlib.suppress(FileNotFoundError):
        locations.journal_file(plan).unlink()


def keep_aside(plan: Path, now: dt.datetime) -> Path:
    """Move ``plan``'s journal out of the way (kept, no longer offered) and return where it went."""
    source = locations.journal_file(plan)
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = source.with_name(f"{source.stem}-kept-{stamp}.json")
    os.replace(source, target)
    return target


class JournalWriter:
    """Keeps one plan's journal up to date from a UI: submit on the UI thread, flush in a worker.

    Only the latest submitted state is written; flushes are serialised, so an
    older state never overwrites a newer one. An empty list of edits removes
    the journal.
    """

    def __init__(self, plan: Path) -> None:
        self.plan = plan
        self._pending: tuple[tuple[Edit, ...], str, dt.datetime] | None = None
        self._state = threading.Lock()
        self._writing = threading.Lock()

    def submit(self, edits: Sequence[Edit], fingerprint: str, now: dt.datetime) -> None:
        with self._state:
            self._pending = (tuple(edits), fingerprint, now)

    @property
    def pending(self) -> bool:
        with self._state:
            return self._pending is not None

    def flush(self) -> None:
        """Write the latest submitted state, if any; `PlannerError` (`SaveError`) if it cannot be kept."""
        with self._writing:
            with self._state:
                pending, self._pending = self._pending, None
            if pending is None:
                return
            edits, fingerprint, now = pending
            if edits:
                write(self.plan, edits, fingerprint, now)
            else:
                discard(self.plan)
