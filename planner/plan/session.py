"""The session on one open plan: the rules between the editing core and a screen.

A `Session` decides what the app does with a plan over its life: whether an
edit is allowed now, when the crash journal is written and what a save means
for it, what a change on disk means given unsaved edits, what happens after
save as, and whether edits kept from a crash still apply. It returns
outcomes (small dataclasses and messages); the app turns them into screens,
timers and workers. Nothing here imports Textual.

File work goes through `Files` (injected: tests give fakes) and time through
a clock. Methods marked *worker* do file work and are called off the UI
thread; the others only change the session's state and are called on it.

The crash journal follows three rules:

* It is written within `JOURNAL_DELAY` of a change, one write for a burst,
  and always holds what is unsaved *when it is written* (a write queued
  before a save and run after it writes the state after the save).
* A save records the fingerprint of the bytes it is about to write in the
  journal first, then writes the plan, then settles the journal (removes
  it, or keeps only edits made meanwhile) before it reports success. A
  journal whose edits are already in the file on disk is never offered.
* While recovered edits are being offered, nothing writes the journal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol

from planner.errors import EditError, PlannerError, SaveConflict
from planner.plan import recovery
from planner.plan.edits import Edit
from planner.plan.lock import PlanLock
from planner.plan.plan_file import Loaded, PlanFile
from planner.plan.recovery import JournalWriter, Recovered, RecoveryUnreadable, Restore
from planner.report import display_path
from planner.words import counted, listed, past, plural

Clock = Callable[[], dt.datetime]
DiskState = tuple[int, int, int]

# Unsaved edits reach the crash journal within JOURNAL_DELAY (plus the write) of each change.
JOURNAL_DELAY = 1.0
# The quit and recovery questions name this many unsaved edits, then say how many more there are.
EDITS_NAMED = 3


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def what_they_did(edits: Sequence[Edit]) -> str:
    """``"renamed the campaign; added post “Going live”"``: the first few edits, then how many more."""
    return listed([past(edit.describe()) for edit in edits], EDITS_NAMED)


def disk_state(path: Path) -> DiskState | None:
    """What a cheap ``stat`` says about the file (None when it is gone)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def disk_fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Lock(Protocol):
    @property
    def held(self) -> bool: ...

    def acquire(self) -> bool: ...
    def release(self) -> None: ...
    def holder(self) -> str: ...


@dataclass
class Files:
    """The file work of a session (the real one by default; tests replace parts)."""

    read_journal: Callable[[Path], Recovered | None] = recovery.read
    keep_aside: Callable[[Path, dt.datetime, str], Path] = recovery.keep_aside
    discard: Callable[[Path], None] = recovery.discard
    writer: Callable[[Path], JournalWriter] = JournalWriter
    fingerprint: Callable[[Path], str | None] = disk_fingerprint
    lock: Callable[[Path], Lock] = PlanLock


# -- outcomes -----------------------------------------------------------------------------------


@dataclass
class Opening:
    """What the first load found besides the plan: the lock, and edits kept from a crash."""

    held: bool = True  # this app holds the plan's lock (or locking is not possible here)
    holder: str = ""
    recovered: Recovered | None = None
    restore: Restore | None = None  # the recovered edits resolved against the file as it is now
    changed: bool = False  # the file changed on disk since the edits were kept
    notice: str | None = None  # something the user is told (a damaged journal set aside)

    @property
    def offer(self) -> bool:
        return self.recovered is not None and self.recovered.count > 0 and self.restore is not None

    def question(self, file: str, when: str) -> str:
        """What the offer of recovered edits asks, naming the edits (``when``: the time they were kept, as shown)."""
        assert self.recovered is not None and self.restore is not None
        edits = self.recovered.edits
        count = len(edits)
        them = plural(count, "it", "them")
        found = (
            f"{counted(count, 'unsaved edit')} to {file} from {when} {plural(count, 'was', 'were')} kept "
            f"when planner stopped without saving: {what_they_did(edits)}."
        )
        if self.restore.batch is None:
            applies = plural(count, "it no longer applies", "they no longer apply")
            since = (
                f"The file changed on disk since, and {applies}" if self.changed else applies[:1].upper() + applies[1:]
            )
            return (
                f"{found} {since} ({self.restore.why_not}). Keep {them} aside in the state folder, or discard {them}?"
            )
        since = (
            f" The file changed on disk since; restoring applies {them} to the file as it is now."
            if self.changed
            else ""
        )
        return f"{found}{since} Restore {them} (ctrl+z takes the restore back) or discard {them}?"


@dataclass(frozen=True)
class SaveOutcome:
    """What a save did: ``saved``, ``conflict`` (the file changed on disk) or ``failed`` (``message`` says why)."""

    kind: Literal["saved", "conflict", "failed"]
    message: str = ""
    disk: str | None = None  # on a conflict: the fingerprint on disk, which the question tells the user about
    journal_error: str | None = None  # saved, but the journal could not be settled
    new_name: bool = False  # saved as another file: the session follows it


@dataclass(frozen=True)
class DiskNews:
    """A change on disk to tell the user about: ``warn`` (a message) or ``ask`` (offer to reload)."""

    kind: Literal["warn", "ask"]
    message: str


@dataclass
class Session:
    """One plan open in an app: its file, its journal, its lock, and the rules between them."""

    path: Path
    clock: Clock = utc_now
    files: Files = field(default_factory=Files)
    plan_file: PlanFile | None = None
    saving: bool = False
    reloading: bool = False
    read_only: bool = False
    load_failed: bool = False
    opened: bool = False  # the lock and the recovered edits are dealt with once, at the first load
    offering: bool = False  # recovered edits are being offered: the journal is left as it is
    journal: JournalWriter | None = None
    journal_scheduled: bool = False
    journal_warned: bool = False
    plan_lock: Lock | None = None
    disk_state: DiskState | None = None
    disk_told: str | None = ""  # the fingerprint on disk the user was last told about

    @property
    def file(self) -> str:
        return display_path(self.path)

    # -- opening ---------------------------------------------------------------------------

    def open(self, loaded: Loaded) -> Opening | None:
        """*Worker.* At the first load of a valid plan: take its lock and look for edits kept from a crash."""
        if self.opened or loaded.plan is None:
            return None
        lock = self.plan_lock or self.files.lock(self.path)  # a first load that failed may have taken it
        opening = Opening(held=lock.acquire())
        if not opening.held:
            opening.holder = lock.holder()
            return opening  # the journal belongs to the app that has the plan open
        self.plan_lock = lock
        try:
            recovered = self.files.read_journal(self.path)
        except RecoveryUnreadable as error:
            opening.notice = self._set_aside(error.message)
            return opening
        if recovered is None:
            return opening
        if recovered.saved_in(loaded.source.fingerprint):
            self.files.discard(self.path)  # a save holds these edits: its journal was about to go
            return opening
        opening.recovered = recovered
        opening.changed = recovered.fingerprint != loaded.source.fingerprint
        opening.restore = recovered.resolve(loaded.data)
        return opening

    def _set_aside(self, message: str) -> str:
        """A journal that cannot be read is kept (renamed), never deleted, and no longer offered."""
        try:
            kept = self.files.keep_aside(self.path, self.clock(), "damaged")
        except OSError as error:
            return f"{message}. It could not be set aside ({error.strerror or error}); the plan opened without it."
        return f"{message}. It is kept as {kept}; the plan opened without it."

    def loaded(self, loaded: Loaded, opening: Opening | None) -> None:
        """The load worker read a valid plan (``opening``: the first load's findings)."""
        self.plan_file = PlanFile(loaded)
        self.reloading = False
        self.load_failed = False
        self.disk_told = loaded.source.fingerprint
        if opening is not None:
            self.opened = True
            if opening.held:
                self.journal = self.files.writer(self.path)
                self.offering = opening.offer

    def load_failed_now(self) -> None:
        """The plan could not be read (or is invalid): nothing is open."""
        self.load_failed = True
        self.reloading = False
        self.plan_file = None

    def offer_answered(self) -> None:
        """The user answered the offer of recovered edits: the journal is the session's again."""
        self.offering = False

    def begin_reload(self) -> None:
        self.reloading = True

    # -- editing ---------------------------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why no edit, undo or redo is possible now (None when it is)."""
        if self.read_only:
            return f"Read-only: {self.file} is open in another planner; not changed."
        if self.saving or self.reloading:
            return f"{'Saving' if self.saving else 'Reloading'}; try again in a moment."
        return None

    def quit_question(self) -> str | None:
        """What quitting asks about the unsaved edits, naming them; None when nothing is unsaved (quit at once)."""
        if self.plan_file is None or not self.plan_file.dirty:
            return None
        edits = self.plan_file.unsaved_edits()
        count = len(edits)
        if not count:
            return "Save your edits before quitting?"
        return f"{counted(count, 'unsaved edit')}: {what_they_did(edits)}. Save {plural(count, 'it', 'them')} before quitting?"

    def apply(self, edit: Edit) -> str | None:
        """Apply ``edit``; the message saying why not, or None when it was applied."""
        if self.plan_file is None:
            return "Nothing is open."
        refused = self.refusal()
        if refused is not None:
            return refused
        try:
            self.plan_file.apply(edit)
        except EditError as error:
            return f"Not changed: {error.message}"
        return None

    # -- the crash journal ---------------------------------------------------------------------

    def journal_delay(self) -> float | None:
        """After a change: in how many seconds to write the journal (None: nothing to schedule)."""
        if self.journal is None or self.plan_file is None or self.journal_scheduled:
            return None
        self.journal_scheduled = True
        return JOURNAL_DELAY

    def journal_due(self) -> bool:
        """The scheduled time came: whether a journal write should run now."""
        self.journal_scheduled = False
        return self.journal is not None and self.plan_file is not None and not self.offering

    def write_journal(self) -> None:
        """*Worker.* Keep what is unsaved now; `PlannerError` if it cannot be kept."""
        journal, plan_file = self.journal, self.plan_file
        if journal is None or plan_file is None or self.offering:
            return
        with journal.holding():  # the state is read inside the writer's lock: never an older one after a newer
            journal.write(plan_file.journal_state(), self.clock())

    def journal_failed(self, message: str) -> str | None:
        """The journal could not be written: the warning to show (once; the edits themselves are fine)."""
        if self.journal_warned:
            return None
        self.journal_warned = True
        return f"Unsaved edits cannot be kept for recovery: {message}"

    def end_journal(self) -> None:
        """Leaving on purpose (saved, or discarding the edits): the journal goes now."""
        self.journal_scheduled = False
        if self.journal is not None and not self.offering:
            try:
                self.journal.write(None, self.clock())
            except PlannerError:
                pass

    def stopping(self) -> None:
        """Ended from outside (SIGTERM, SIGHUP): keep exactly what is unsaved, now."""
        self.journal_scheduled = False
        try:
            self.write_journal()
        except PlannerError:
            pass

    # -- saving --------------------------------------------------------------------------------

    def begin_save(self) -> PlanFile | None:
        """The plan to save, marking the session as saving; None when a save cannot start now."""
        if self.plan_file is None or self.saving or self.read_only:
            return None
        self.saving = True
        return self.plan_file

    def save(self, plan_file: PlanFile, force: bool = False, path: Path | None = None) -> SaveOutcome:
        """*Worker.* Write the plan, and settle the journal before saying it is saved."""
        journal = self.journal if path is None else None
        try:
            if path is not None:
                plan_file.save_as(path, overwrite=True)
            elif journal is None:
                plan_file.save(force=force)
            else:
                with journal.holding():  # no journal write lands between the plan's and the settling
                    plan_file.save(force=force, before_write=lambda result: self._mark(journal, plan_file, result))
                    return SaveOutcome("saved", journal_error=self._settle(journal, plan_file))
        except SaveConflict:
            return SaveOutcome("conflict", disk=self.files.fingerprint(plan_file.path))
        except PlannerError as error:
            return SaveOutcome("failed", error.message)
        if path is not None and self.journal is not None and path != self.path:
            try:  # the edits are in the new file: the old name's journal goes (the new one starts empty)
                self.files.discard(self.path)
            except OSError:
                pass
        return SaveOutcome("saved", new_name=path is not None and path != self.path)

    def _mark(self, journal: JournalWriter, plan_file: PlanFile, result: str) -> None:
        """Before the plan is written: the journal says which file will hold its edits."""
        state = plan_file.journal_state()
        try:
            journal.write(replace(state, result=result) if state.edits else None, self.clock())
        except PlannerError:
            try:  # a journal that cannot say so must not outlive the save
                self.files.discard(self.path)
            except OSError:
                pass

    def _settle(self, journal: JournalWriter, plan_file: PlanFile) -> str | None:
        """After the plan is written: the journal holds only what is still unsaved (usually nothing)."""
        try:
            journal.write(plan_file.journal_state(), self.clock())
        except PlannerError as error:
            return error.message
        return None

    def saved(self, outcome: SaveOutcome) -> SaveOutcome:
        """The save worker is done: update the session (after save as, follow the new file)."""
        self.saving = False
        if outcome.kind == "conflict":
            self.disk_told = outcome.disk  # the question tells the user; the watcher need not
        elif outcome.kind == "saved" and self.plan_file is not None:
            if outcome.new_name:
                self._follow(self.plan_file.path)
            self.disk_told = self.plan_file.source.fingerprint
        return outcome

    def save_crashed(self) -> None:
        """The save worker raised something unexpected: the edits and the journal stay, saving is possible again."""
        self.saving = False

    def _follow(self, path: Path) -> None:
        """After save as: the journal and the lock follow the plan to its new file."""
        self.path = path
        if self.journal is not None:
            self.journal = self.files.writer(path)
        lock = self.files.lock(path)
        if self.plan_lock is not None and lock.acquire():
            self.plan_lock.release()
            self.plan_lock = lock

    def release(self) -> None:
        if self.plan_lock is not None:
            self.plan_lock.release()

    # -- changes on disk -------------------------------------------------------------------------

    def watching(self) -> bool:
        """Whether to look at the file on disk now."""
        return self.plan_file is not None and not self.saving and not self.reloading

    def disk_checked(
        self, plan_file: PlanFile, state: DiskState | None, fingerprint: str | None, busy: bool = False
    ) -> DiskNews | None:
        """The watcher saw ``state`` and ``fingerprint`` on disk: what to tell the user (``busy``: a dialog is open)."""
        if plan_file is not self.plan_file or self.saving:
            return None  # a newer plan, or a save in progress: look again next time
        self.disk_state = state
        if fingerprint == plan_file.source.fingerprint or fingerprint == self.disk_told:
            self.disk_told = fingerprint
            return None  # what was read or saved, or a change the user was already told about
        self.disk_told = fingerprint
        file = display_path(plan_file.path)
        if fingerprint is None:
            return DiskNews("warn", f"{file} is no longer on disk (moved or deleted); saving writes it again.")
        if plan_file.dirty:
            return DiskNews(
                "warn",
                f"{file} changed on disk (a git pull, another editor); your unsaved edits are kept. Saving will ask what to do.",
            )
        if busy:  # a form or dialog is open: do not pile a question on it
            return DiskNews("warn", f"{file} changed on disk. Reload it with “Reload from disk” (ctrl+p).")
        return DiskNews("ask", f"{file} changed on disk.")
