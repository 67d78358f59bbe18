"""A plan file open for editing: load, edit, undo, redo, save.

`PlanFile` is the editing core that the app and the command line share.
Loading reads with the fast standard parser and never writes. The tomlkit
tree that saving needs is built only when it is first needed (`document`),
so a large plan opens as fast as the parser can read it; edits made before
that are replayed onto it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import EditError, PlanInvalid, PlanUnreadable, SaveConflict, SaveError
from planner.plan import source as source_mod
from planner.plan.append import appended
from planner.plan.edits import Edit, apply_to_data
from planner.plan.limits import first_excess, refusal, too_many_keys
from planner.plan.locate import index_lines, line_of, lines_for, split_table
from planner.plan.model import Plan
from planner.plan.patch import fits, patchable, patched
from planner.plan.problems import Problem
from planner.plan.schema import read_plan, reread_entry
from planner.plan.source import Source
from planner.plan.storage import atomic_write, real_target

if TYPE_CHECKING:  # tomlkit (and the crash journal) are imported only when a plan is edited, not to read or check one
    from planner.plan.document import Document, Journal
    from planner.plan.recovery import JournalState


@dataclass
class Loaded:
    """A plan file as read: its source, plain data, model (if valid) and problems."""

    source: Source
    data: dict[str, Any]
    plan: Plan | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def with_lines(problems: list[Problem], text: str, data: Any = None) -> list[Problem]:
    """``problems`` with the line of each key path filled in.

    With ``data`` (``text`` parsed) only the entries the problems are in are
    scanned (`lines_for`); without it, or for paths outside an array of
    tables, the whole text once.
    """
    wanted = [p.path for p in problems if p.path and p.line is None]
    if not wanted:
        return problems
    lines = lines_for(text, wanted, data)
    return [replace(p, line=lines[p.path]) if p.path and p.line is None else p for p in problems]


# Values whose ``==`` is exact when the types are the same: `same_data` compares them without a call.
_EXACT = (str, int, bool, dt.datetime, dt.date, dt.time)


def same_data(a: Any, b: Any) -> bool:
    """Equality of plain TOML data, where a NaN equals a NaN (``nan != nan`` in Python) and the types must match."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and _same_pairs((x, b[key]) for key, x in a.items())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and _same_pairs(zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def _same_pairs(pairs: Iterable[tuple[Any, Any]]) -> bool:
    """`same_data` of each pair: leaves inline (a save checks hundreds of thousands of them), the rest recursively."""
    for x, y in pairs:
        kind = type(x)
        if not (kind is type(y) and kind in _EXACT and x == y) and not same_data(x, y):
            return False
    return True


def load(path: Path) -> Loaded:
    """Read and validate a plan; `PlanUnreadable` if it is not a TOML file at all, or is over a size limit."""
    return load_bytes(path, source_mod.read_bytes(path))


def load_bytes(path: Path, raw: bytes) -> Loaded:
    """`load` for bytes read elsewhere (git's index, a revision), named ``path`` in messages."""
    if len(raw) > source_mod.MAX_BYTES:
        raise PlanUnreadable(source_mod.too_large(path))
    source = Source.from_bytes(path, raw)
    data = source_mod.parse(source)
    excess = first_excess(data)
    if excess is not None:
        key_path, message = excess
        # The line index takes seconds on a huge number of lines; the key path says enough there.
        small = source.text.count("\n") <= 50_000
        try:
            line = line_of(index_lines(source.text), key_path) if key_path and small else None
        except RecursionError:  # the line scanner follows the nesting that is over the limit
            line = None
        raise PlanUnreadable(Problem("error", message, key_path, line).located(str(path)))
    plan, problems = read_plan(data)
    return Loaded(source, data, plan, with_lines(problems, source.text, data))


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


@dataclass
class _Step:
    edit: Edit
    inverse: Edit
    journal: Journal | None = None
    expect: Any = None  # what the edit found (for the crash journal)
    inverse_expect: Any = None  # what its undo found, once undone


class PlanFile:
    """An open, valid plan with its edit history.

    It owns its thread safety: edits, undo, redo, rendering and the journal's
    snapshot take one lock, and the editable tree is built once, by whichever
    thread needs it first (another waits for it instead of building a second).
    """

    def __init__(self, loaded: Loaded) -> None:
        if loaded.plan is None:
            errors = loaded.errors
            raise PlanInvalid(errors[0].located(str(loaded.source.path)) if errors else "invalid plan", errors)
        self.source = loaded.source
        self.data = loaded.data
        self.plan: Plan = loaded.plan
        self.problems = loaded.problems
        self._document: Document | None = None
        self._done: list[_Step] = []
        self._undone: list[Edit] = []
        self._saved_at: list[_Step] | None = []  # the history at the last save (None: unreachable)
        self._lock = threading.RLock()  # edits, undo, redo and rendering vs. a tree built in a worker
        self._building = threading.Lock()  # held while the tree is parsed (never taken while holding _lock)
        self._target = _resolved(self.source.path)  # what a save writes (through a link, if the plan is one)
        self._tree_text = self.source.text  # what the tree is built from: every edit in the history replays onto it
        self._split_of: tuple[str, bool] | None = None  # `_split` for this text

    @classmethod
    def open(cls, path: Path) -> PlanFile:
        return cls(load(path))

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def dirty(self) -> bool:
        return self._saved_at is None or self._saved_at != self._done

    def unsaved_edits(self) -> list[Edit]:
        """The edits that turn the file as last read or saved into the plan as it is now (for the crash journal).

        Undo and redo are reflected: after undoing past the last save, the
        undone saved edits appear as their inverses. Empty when nothing is unsaved.
        """
        return list(self.journal_state().edits)

    def journal_state(self) -> JournalState:
        """The unsaved edits, what each expects to find, and the file they apply to: one consistent snapshot."""
        from planner.plan.recovery import JournalState

        with self._lock:
            saved, done = self._saved_at or [], self._done
            common = 0
            while common < min(len(saved), len(done)) and saved[common] is done[common]:
                common += 1
            undone = list(reversed(saved[common:]))
            # A saved edit undone is unsaved as its inverse, which says it takes that edit back.
            edits = [replace(step.inverse, label=f"undo {step.edit.describe()}") for step in undone] + [
                step.edit for step in done[common:]
            ]
            expects = [step.inverse_expect for step in undone] + [step.expect for step in done[common:]]
            return JournalState(tuple(edits), tuple(expects), self.source.fingerprint)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    # -- the tomlkit tree -------------------------------------------------------

    @property
    def document(self) -> Document:
        """The editable tree, built on first use with every edit so far replayed.

        `EditError` if an edit made before the tree existed cannot be replayed
        onto it (for example on a table split across the file).
        """
        from planner.plan.document import Document

        if self._document is None:
            with self._building:  # a second thread waits for the tree being built
                while self._document is None:
                    text = self._tree_text
                    self._install(Document(text), text)
        return self._document

    def install_document(self, document: Document, text: str) -> bool:
        """Use ``document``, parsed from ``text`` in a worker, as the editable tree.

        Parsing is the slow part and needs no lock; this replays the edits made
        meanwhile onto the tree and puts it in place (call it on the UI thread,
        or from any thread: edits and this take the same lock). Returns False,
        changing nothing, when a tree is already in place, when ``text`` is no
        longer the file's text (it was saved meanwhile), or when an edit cannot
        be replayed (saving will then say why).
        """
        try:
            return self._install(document, text)
        except EditError:
            return False

    def _install(self, document: Document, text: str) -> bool:
        with self._lock:
            if self._document is not None or text != self._tree_text:
                return False
            for step in self._done:
                step.journal = document.apply(step.edit)
            self._document = document
            return True

    def _split(self) -> bool:
        """Whether the file has a table or array split across it (scanned once per text)."""
        text = self._tree_text
        if self._split_of is None or self._split_of[0] is not text:
            self._split_of = (text, split_table(text) is not None)
        return self._split_of[1]

    def saves_without_tree(self) -> bool:
        """Whether a save now would write the edits as text, without the tomlkit tree (field edits; see `planner.plan.patch`).

        The save's read-back still proves it; should it not, the save builds the tree.
        """
        with self._lock:
            edits = [step.edit for step in self._done]
            return self._document is None and fits(self._tree_text, edits, self.data)

    def prepare(self) -> None:
        """Build the editable tree now (for a background worker, before the first save).

        An edit that cannot be replayed onto the tree is left for saving to explain.
        """
        try:
            _ = self.document
        except EditError:
            pass

    # -- editing ----------------------------------------------------------------

    def apply(self, edit: Edit) -> None:
        """Apply ``edit``; raise `EditError` and change nothing if the result would be invalid."""
        with self._lock:
            self._change(edit)
            self._undone.clear()

    def _change(self, edit: Edit) -> _Step:
        from planner.plan.recovery import apply_expecting  # not needed to read or check a plan

        if self._document is None and self._split():
            self.prepare()  # a table split across the file: the tree says now, not at the save, what it cannot write
        inverse, expect = apply_expecting(self.data, edit)
        plan, problems = reread_entry(self.plan, self.problems, self.data, edit) or read_plan(self.data)
        if plan is None:
            apply_to_data(self.data, inverse)
            first = next(p for p in problems if p.severity == "error")
            raise EditError(f"{first.located('plan').removeprefix('plan: ')}")
        step = _Step(edit, inverse, expect=expect)
        if self._document is not None:
            try:
                step.journal = self._document.apply(edit)
            except EditError:
                apply_to_data(self.data, inverse)
                raise
        self.plan, self.problems = plan, problems
        self._done.append(step)
        return step

    def undo(self) -> Edit | None:
        """Undo the last edit and return it, or ``None`` when there is nothing to undo."""
        from planner.plan.recovery import apply_expecting  # not needed to read or check a plan

        with self._lock:
            if not self._done:
                return None
            step = self._done.pop()
            _, step.inverse_expect = apply_expecting(self.data, step.inverse)
            if step.journal is not None:
                step.journal.revert()
            plan, problems = reread_entry(self.plan, self.problems, self.data, step.inverse) or read_plan(self.data)
            assert plan is not None, "undo returned to an invalid plan"
            self.plan, self.problems = plan, problems
            self._undone.append(step.edit)
            return step.edit

    def redo(self) -> Edit | None:
        """Redo the last undone edit and return it, or ``None`` when there is nothing to redo."""
        with self._lock:
            if not self._undone:
                return None
            edit = self._undone[-1]
            self._change(edit)  # on EditError the edit stays redoable
            self._undone.pop()
            return edit

    # -- saving -------------------------------------------------------------------

    def render(self) -> bytes:
        """The file's new bytes; refuses if they would not read back as the edited plan."""
        return self._render()[0]

    def _render(self) -> tuple[bytes, list[_Step]]:
        """The file's new bytes and the history they are the result of."""
        with self._lock:
            done = list(self._done)
            if not done and self._document is None:
                return self.source.encode(self._tree_text), done
            if (
                self._document is None
            ):  # entries added at the end (an import), or fields set, are written as text, proved by the read-back
                edits = [step.edit for step in done]
                fast = appended(self._tree_text, edits)
                same_keys = False
                if fast is None and patchable(edits):
                    fast = patched(self._tree_text, edits, self.data)
                    same_keys = True  # a plain value in place of another: the file as read had no more keys than it may
                if fast is not None:
                    with contextlib.suppress(SaveError):
                        data, reread = self._read_back(fast)
                        if reread is not None:
                            return self._within_limits(data, reread, count_keys=not same_keys), done
        while True:
            try:  # outside the edit lock: edits go on while the tree is parsed
                _ = self.document
            except EditError as error:  # an edit the data took but the file's layout cannot
                raise SaveError(f"{self.path}: not saved: {error}") from None
            with self._lock:  # a save from a worker sees one consistent state
                if self._document is None:
                    continue  # saved and replaced meanwhile: build the tree again
                done = list(self._done)
                try:
                    text = self._document.dumps()
                except EditError as error:
                    raise SaveError(f"{self.path}: not saved: {error}") from None
                data, reread = self._read_back(text)
                if reread is None:
                    raise SaveError(
                        f"{self.path}: not saved: the edited plan does not read back as edited; please report this"
                    )
                return self._within_limits(data, reread), done

    def _within_limits(self, data: bytes, reread: dict[str, Any], count_keys: bool = True) -> bytes:
        """``data`` (which reads back as ``reread``), unless the reader would refuse it: the last check before anything is written.

        Edits are checked for what they add when they are made; the file's
        size and the plan's number of keys are only known as a whole (the
        keys need no count when no key was added).
        """
        refused = refusal(data)
        if refused is None and count_keys and (many := too_many_keys(reread)) is not None:
            refused = many[1]
        if refused is not None:
            raise SaveError(f"{self.path}: not saved: {refused}")
        return data

    def _read_back(self, text: str) -> tuple[bytes, dict[str, Any] | None]:
        """The bytes for ``text`` and what they read back as, if that is the edited plan (else None)."""
        data = self.source.encode(text)
        # Check the bytes as written (line endings included), not just the tree's text.
        written = data.decode("utf-8").removeprefix(source_mod.BOM)
        try:
            reread = source_mod.loads(written)
        except source_mod.TOMLDecodeError as error:
            raise SaveError(
                f"{self.path}: not saved: the edited plan would not be valid TOML ({error}); please report this"
            ) from None
        return data, reread if same_data(reread, self.data) else None

    def changed_on_disk(self) -> bool:
        """Whether the file is no longer what was read (edited, replaced or deleted)."""
        try:
            raw = real_target(self.path).read_bytes()
        except OSError:
            return True
        return source_mod.fingerprint(raw) != self.source.fingerprint

    def save(self, *, force: bool = False, before_write: Callable[[str], None] | None = None) -> None:
        """Write the plan atomically; `SaveConflict` if the file changed since it was read.

        ``before_write`` is called with the fingerprint of the new bytes just
        before they replace the file (the crash journal records it).
        """
        if _resolved(self.path) != self._target:  # even when forced: it could point anywhere
            raise SaveError(
                f"{self.path}: not saved: it was replaced by a link to another file since it was read; reload it or save as"
            )
        if not force and self.changed_on_disk():
            raise SaveConflict(f"{self.path}: changed on disk since it was read; reload, overwrite or save as")
        self._write(self.path, before_write)

    def save_as(self, path: Path, *, overwrite: bool = False) -> None:
        if path.exists() and not overwrite:
            raise SaveError(f"{path}: already exists")
        self._write(path)

    def _write(self, path: Path, before_write: Callable[[str], None] | None = None) -> None:
        data, done = self._render()
        if before_write is not None:
            before_write(source_mod.fingerprint(data))
        atomic_write(path, data)
        text = data.decode("utf-8")
        if self.source.bom:
            text = text[1:]
        with self._lock:
            self.source = Source(path, text, self.source.bom, self.source.crlf, source_mod.fingerprint(data))
            self._saved_at = done  # edits made while writing are still unsaved
            self._target = _resolved(path)
