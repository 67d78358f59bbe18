"""The planner app: a shell of five views over one plan file.

The app holds a `Session` (`planner.plan.session`): the open `PlanFile` and
the rules about the crash journal, saving, changes on disk and recovered
edits. The app turns the session's outcomes into screens, timers and
workers. Views are shown plain model objects through `View.show` and ask for
changes by posting `EditRequested`. Reading and writing the file happen in
worker threads; a worker that fails goes through one handler
(`on_worker_state_changed`), which says so and gives the controls back.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import gc
import os
import re
import shlex
import signal
import subprocess
import threading
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual import actions, events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Header, Static, Tab, Tabs
from textual.worker import Worker, WorkerState

from planner import places, textsafe
from planner.app.dialogs import ChoiceDialog, DayDialog, PathDialog, confirm
from planner.app.export_dialog import ExportDialog, ExportRequest
from planner.app.footer import KeptFooter
from planner.app.forms import SmoItemForm
from planner.app.help import HelpScreen, KeyList
from planner.app.keys import KeyInOrder
from planner.app.load_error import LoadErrorScreen
from planner.app.messages import EditRequested, StatusMessage
from planner.app.post_form import PostForm
from planner.app.review import ReviewGates
from planner.app.screen_text import OutsideTextApp, shown
from planner.app.smm_forms import SMM_FORMS
from planner.app.views.base import View
from planner.app.views.calendar import CalendarView
from planner.app.views.checklist import ChecklistView
from planner.app.views.competitors import CompetitorsView
from planner.app.views.overview import OverviewView
from planner.app.views.platforms import PlatformsView
from planner.app.views.today import TodayView, opens_on_today
from planner.errors import EditError, NotAnExport, PlannerError
from planner.places import Place
from planner.plan import recovery
from planner.plan.edits import Edit
from planner.plan.model import Plan
from planner.plan.phases import set_smm_start
from planner.plan.plan_file import Loaded, PlanFile, load, with_lines
from planner.plan.problems import Problem
from planner.plan.session import DiskNews, Opening, SaveOutcome, Session, disk_fingerprint, disk_state
from planner.report import display_path
from planner.rules.checks import check
from planner.settings import Settings, default_theme, load_settings, save_setting
from planner.words import counted, plural

Clock = Callable[[], dt.datetime]

VIEWS = (
    ("today", "0", "Today"),
    ("overview", "1", "Overview"),
    ("smo", "2", "SMO checklist"),
    ("platforms", "3", "Platforms"),
    ("calendar", "4", "Calendar"),
    ("competitors", "5", "Competitors"),
)


def settle_memory() -> None:
    """Take what is alive after loading out of the garbage collector's rounds.

    A large plan is hundreds of thousands of objects that live as long as it
    is open; a full collection walking all of them is a pause of tens of
    milliseconds in the middle of someone's typing. Unfreezing first lets a
    plan that was replaced (reloaded) be collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def error_line(error: BaseException) -> str:
    """An unexpected error as one line for the user (its type, and its message if it has one, made safe)."""
    text = " ".join(textsafe.one_line(str(error)).split())[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def sentence(text: str) -> str:
    """``text`` with a capital first letter (``str.capitalize`` would lower "SMO")."""
    return text[:1].upper() + text[1:]


# The plan file is checked for changes on disk every WATCH_INTERVAL (the journal's delay is the session's).
WATCH_INTERVAL = 1.0
# Ended from outside: the crash journal keeps what is unsaved, then the app ends (closing the terminal sends SIGHUP).
SIGNAL_GRACE = 3.0  # seconds a signalled app has to end by itself before the process is ended
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def unreadable(message: str, path: Path) -> tuple[str, int | None]:
    """A `PlanUnreadable` message for the screen (the path as the user typed it) and its line, if it has one."""
    full = str(path)
    if not message.startswith(full + ":"):
        return message, None
    rest = message[len(full) :]
    found = re.match(r":(\d+)(?::\d+)?:", rest)
    return display_path(path) + rest, int(found.group(1)) if found else None


def read_plan_file(path: Path) -> Loaded | str:
    """What the app's load worker reads: the loaded plan, or the one-line reason it cannot be read."""
    try:
        return load(path)
    except PlannerError as error:
        return error.message


def load_failure(path: Path, loaded: Loaded | str) -> tuple[list[str], int | None] | None:
    """The lines `LoadErrorScreen` lists for a plan that did not load, and the line to open an editor at; None if it loaded."""
    if isinstance(loaded, str):
        message, line = unreadable(loaded, path)
        return [message], line
    if loaded.plan is not None:
        return None
    errors = loaded.errors
    return [p.located(display_path(path)) for p in errors], next((p.line for p in errors if p.line), None)


class PlannerApp(ReviewGates, KeyInOrder, OutsideTextApp, App[int]):
    """The app on one plan. Build it with `make_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "planner"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # app.tcss packs the forms tighter on short terminals
    BINDINGS = [
        *(Binding(key, f"view('{name}')", title, id=f"view.{name}", show=False) for name, key, title in VIEWS),
        Binding("ctrl+s", "save", "Save", id="app.save"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", id="app.redo"),
        Binding(
            "x", "export", "Export", id="app.export", show=False
        ),  # in the help and the palette; the footer keeps room for the view
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, path: Path, settings: Settings, clock: Clock = _utc_now) -> None:
        super().__init__()
        self.session = Session(path, clock)
        self.settings = settings
        self.clock = clock
        self.problems: list[Problem] = []
        self._journal_timer: Timer | None = None
        self._warned: set[str] = set()  # the failed background workers already told about
        self._stale: set[str] = set()
        self._binding_state: tuple = ()
        self._preparing: PlanFile | None = None  # the plan whose editable tree is being (or was) built

    # The session's state, as the views, tests and benchmarks read it.
    @property
    def plan_file(self) -> PlanFile | None:
        return self.session.plan_file

    @property
    def plan_path(self) -> Path:
        return self.session.path

    @property
    def saving(self) -> bool:
        return self.session.saving

    @property
    def read_only(self) -> bool:
        return self.session.read_only

    @property
    def load_failed(self) -> bool:
        return self.session.load_failed

    # Readiness, as the benchmarks (`planner.app.frames`) and tests ask for it.
    def shows(self, view: str) -> bool:
        """Whether ``view`` is on screen showing the plan as it is now (not waiting to be redrawn)."""
        return self.plan_file is not None and self.current_view == view and view not in self._stale

    @property
    def busy(self) -> bool:
        """Whether background work (reading, checks, building the editable tree, saving) is running or waiting."""
        return any(worker.is_running or worker.state.name == "PENDING" for worker in self.workers)

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs(
            *(Tab(f"{key} {title}", id=f"tab-{name}") for name, key, title in VIEWS),
            active="tab-overview",
            id="view-tabs",
        )
        with ContentSwitcher(initial="overview", id="views"):
            yield TodayView(id="today")
            yield OverviewView(id="overview")
            yield ChecklistView(id="smo")
            yield PlatformsView(id="platforms")
            yield CalendarView(id="calendar")
            yield CompetitorsView(id="competitors")
        yield Static("", id="status-line")
        yield KeptFooter(compact=True, id="footer")

    def on_mount(self) -> None:
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else default_theme()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.sub_title = display_path(self.plan_path)
        for problem in self.settings.problems:
            self.notify(problem, severity="warning", markup=False)
        self.query_one("#views").display = False
        self.say("Loading…")
        self.load_plan()
        self.set_interval(WATCH_INTERVAL, self._watch_disk)
        self._handle_signals(True)

    def on_unmount(self) -> None:
        self._handle_signals(False)
        self.session.release()

    def _handle_signals(self, on: bool) -> None:
        """SIGTERM and SIGHUP end the app cleanly, through the event loop (not in the middle of a frame)."""
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            try:
                if on:
                    loop.add_signal_handler(number, partial(self._stopped_by_signal, number))
                else:
                    loop.remove_signal_handler(number)
            except (NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows, not the main thread)
                pass

    def _stopped_by_signal(self, number: int) -> None:
        """Keep exactly the unsaved edits in the crash journal, then end."""
        if self._journal_timer is not None:
            self._journal_timer.stop()
            self._journal_timer = None
        self.session.stopping()
        self._remember_place()
        self.exit(128 + number, return_code=128 + number)
        # A closed window takes the terminal with it, and Textual's driver can then wait forever to
        # write to it or read from it. The edits are in the journal: the process ends regardless.
        ender = threading.Timer(SIGNAL_GRACE, os._exit, args=(128 + number,))
        ender.daemon = True
        ender.start()

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns the keys need the room; ctrl+p is listed in the help screen.
        for screen in self.screen_stack:
            for footer in screen.query(Footer):
                footer.show_command_palette = event.size.width >= 100

    # -- a worker that fails ------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One handler for every worker of the app that raised: say so, keep the edits and the journal, give the controls back."""
        if event.state != WorkerState.ERROR:
            return
        worker: Worker = event.worker
        error = error_line(worker.error) if worker.error is not None else "unknown error"
        group = worker.group
        if group == "load":
            if self.plan_file is not None:  # a reload: the plan as it was stays open
                self.session.reloading = False
                self.say(f"Not reloaded: {error}. The plan is as it was.", error=True)
                self.notify(f"Not reloaded: {error}", title="Not reloaded", severity="error", timeout=8, markup=False)
            else:
                self._loaded(f"{self.plan_path}: cannot be opened: {error}")
        elif group == "save":
            self.session.save_crashed()
            self.update_bindings()
            self._save_failed(f"Not saved: {error}")
        elif group == "journal":
            self._journal_failed(error)
        elif group == "export":
            self._export_failed(error)
        else:  # watching the disk, checks, the editable tree, settings, recovered edits: told once per kind
            what = {"watch": "Changes on disk are not watched", "checks": "The plan's checks did not run"}.get(
                group, "A background task failed"
            )
            if group not in self._warned:
                self._warned.add(group)
                self.notify(
                    f"{what}: {error}", title="Something went wrong", severity="warning", timeout=10, markup=False
                )

    # -- loading ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_plan(self) -> None:
        loaded = read_plan_file(self.plan_path)
        opening = None if isinstance(loaded, str) else self.session.open(loaded)
        left = (
            places.read(self.plan_path) if opening is not None else (None, None)
        )  # where it was left, at the first load
        self.call_from_thread(self._loaded, loaded, opening, left)

    def _loaded(
        self, loaded: Loaded | str, opening: Opening | None = None, left: tuple[Place | None, str | None] = (None, None)
    ) -> None:
        failure = load_failure(self.plan_path, loaded)
        if failure is not None:
            messages, line = failure
            self.session.load_failed_now()
            self.query_one("#views").display = False
            self.push_screen(
                LoadErrorScreen(display_path(self.plan_path), messages), partial(self._load_error_choice, line)
            )
            return
        assert isinstance(loaded, Loaded)
        self.session.loaded(loaded, opening)
        settle_memory()
        self.query_one("#views").display = True
        self.say(f"Opened {display_path(self.plan_path)}")
        self._changed()
        self._reopen(*left, first=opening is not None)
        self.focus_view()
        if opening is not None:
            self._first_open(opening)

    # -- another app on the same plan, and edits kept from a crash ------------------------------

    def _reopen(self, place: Place | None, notice: str | None, first: bool = False) -> None:
        """Go back to the view and the selection the plan was left on (what is gone: the view's own selection).

        When the plan is opened (``first``) with posts this week, on the Today
        view instead, unless it was left earlier the same day (`opens_on_today`).
        """
        if notice is not None:
            self.notify(notice, title="Where the plan was left", timeout=8, markup=False)
        if (
            first
            and self.plan_file is not None
            and opens_on_today(self.plan_file.plan, self.now(), self.settings.week_start_index, place)
        ):
            place = Place("today")
        if place is None or place.view not in {name for name, _, _ in VIEWS}:
            return
        self.go_to(place)

    def go_to(self, place: Place) -> None:
        """Show ``place``'s view with its selection."""
        self.query_one("#view-tabs", Tabs).active = f"tab-{place.view}"
        self.query_one("#views", ContentSwitcher).current = place.view
        self._show_view(place.view)
        self.query_one(f"#{place.view}", View).restore_selection(place.selection)

    def _remember_place(self) -> None:
        """Keep the view and the selection for the next time this plan is opened (in the state folder, never in the plan)."""
        if self.plan_file is None:
            return
        view = self.query_one(f"#{self.current_view}", View)
        try:
            places.write(self.plan_path, Place(self.current_view, view.selection_state()), self.clock())
        except (PlannerError, OSError):
            pass  # a place is a convenience: leaving never fails for it

    def _first_open(self, opening: Opening) -> None:
        file = display_path(self.plan_path)
        if not opening.held:
            dialog = ChoiceDialog(
                "Open elsewhere",
                f"{file} is open in another planner ({opening.holder}). Open it read-only here, "
                "or open it anyway (if both save, the second is told the file changed on disk)?",
                [("quit", "Quit"), ("anyway", "Open anyway"), ("readonly", "Read-only")],
                default="readonly",
            )
            self.push_screen(dialog, self._open_elsewhere_choice)
            return
        if opening.notice is not None:
            self.notify(opening.notice, title="Recovered edits not read", severity="warning", timeout=10, markup=False)
        if opening.offer:
            self._offer_restore(opening)

    def _open_elsewhere_choice(self, choice: str | None) -> None:
        if choice == "quit":
            self.exit(0)
        elif choice == "anyway":
            # The other app keeps the plan's crash journal; this one keeps none.
            self.say(
                f"Opened {display_path(self.plan_path)}, which is also open in another planner (no crash recovery here)."
            )
        else:
            self.session.read_only = True
            self.say(f"Read-only: {display_path(self.plan_path)} is open in another planner.")
            self._changed()

    def _offer_restore(self, opening: Opening) -> None:
        recovered, restore = opening.recovered, opening.restore
        assert recovered is not None and restore is not None
        count = recovered.count
        when = recovered.written.astimezone().strftime("%Y-%m-%d %H:%M")
        if restore.batch is None:
            choices = [("discard", "Discard"), ("aside", "Keep aside")]
        else:
            choices = [("discard", "Discard"), ("restore", "Restore")]
        message = opening.question(display_path(self.plan_path), when)
        dialog = ChoiceDialog("Unsaved edits found", message, choices, default=choices[-1][0])

        def answer(choice: str | None) -> None:
            self.session.offer_answered()
            if choice == "restore" and restore.batch is not None:
                if self.apply_edit(restore.batch):
                    self.say(
                        f"Restored {counted(count, 'unsaved edit')} from {when}; ctrl+z takes {plural(count, 'it', 'them')} back."
                    )
            elif choice == "discard":
                self.journal_file_work(recovery.discard, "discarded")
            else:  # keep aside, or escape: nothing is lost
                self.journal_file_work(lambda path: recovery.keep_aside(path, self.clock()), "kept aside")

        self.push_screen(dialog, answer)

    @work(thread=True, group="recovered", exit_on_error=False)
    def journal_file_work(self, action: Callable[[Path], object], done: str) -> None:
        """Discard or keep aside the recovered edits (file work, off the UI thread)."""
        try:
            result = action(self.plan_path)
        except (OSError, PlannerError) as error:
            self.call_from_thread(self.notify, f"Recovered edits not {done}: {error}", severity="warning", markup=False)
            return
        where = f" in {result}" if isinstance(result, Path) else ""
        self.call_from_thread(self.say, f"Recovered edits {done}{where}.")

    # -- the crash journal ------------------------------------------------------------------------

    def _journal_soon(self) -> None:
        """Journal the unsaved edits shortly (one write for a burst of edits, within the session's delay)."""
        delay = self.session.journal_delay()
        if delay is not None:
            self._journal_timer = self.set_timer(delay, self._journal_now)

    def _journal_now(self) -> None:
        self._journal_timer = None
        if self.session.journal_due():
            self.write_journal()

    @work(thread=True, group="journal", exit_on_error=False)
    def write_journal(self) -> None:
        try:
            self.session.write_journal()
        except PlannerError as error:
            self.call_from_thread(self._journal_failed, error.message)

    def _journal_failed(self, message: str) -> None:
        warning = self.session.journal_failed(message)
        if warning is not None:
            self.notify(warning, title="No crash recovery", severity="warning", timeout=10, markup=False)

    def _end_journal(self) -> None:
        """Leaving on purpose (saved, or discarding): the journal goes, now, before the app ends."""
        if self._journal_timer is not None:
            self._journal_timer.stop()
            self._journal_timer = None
        self.session.end_journal()

    def _leave(self, code: int = 0) -> None:
        self._end_journal()
        self._remember_place()
        self.exit(code)

    # -- changes on disk ------------------------------------------------------------------------------

    def _watch_disk(self) -> None:
        if not self.session.watching():
            return
        if any(w.is_running for w in self.workers if w.group in ("watch", "load")):
            return
        self.check_disk(self.plan_file, self.session.disk_state)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def check_disk(self, plan_file: PlanFile, known: tuple[int, int, int] | None) -> None:
        """A ``stat`` of the plan; its fingerprint only when size, time or inode changed."""
        state = disk_state(plan_file.path)
        if state is not None and state == known:
            return
        self.call_from_thread(self._disk_checked, plan_file, state, disk_fingerprint(plan_file.path))

    def _disk_checked(self, plan_file: PlanFile, state: tuple[int, int, int] | None, fingerprint: str | None) -> None:
        news: DiskNews | None = self.session.disk_checked(
            plan_file, state, fingerprint, busy=isinstance(self.screen, ModalScreen)
        )
        if news is None:
            return
        self.say(news.message, error=True)
        if news.kind == "warn":
            self.notify(news.message, title="Changed on disk", severity="warning", timeout=10, markup=False)
            return
        file = display_path(plan_file.path)
        dialog = ChoiceDialog(
            "Changed on disk",
            f"{file} changed on disk (a git pull, another editor). You have no unsaved edits. "
            "Reload it? The view and the selection stay.",
            [("keep", "Keep this version"), ("reload", "Reload")],
            default="reload",
        )
        self.push_screen(dialog, lambda choice: self.reload_plan() if choice == "reload" else None)

    def reload_plan(self) -> None:
        """Read the file again, keeping the current view and selection."""
        self.session.begin_reload()
        self.say("Reloading…")
        self.load_plan()

    def action_reload(self) -> None:
        if self.plan_file is None or self.saving:
            return
        if self.plan_file.dirty:
            self.confirm_reload()
        else:
            self.reload_plan()

    def _load_error_choice(self, line: int | None, choice: str | None) -> None:
        if choice == "edit":
            self.open_editor(line)
            self.load_plan()
        elif choice == "reload":
            self.load_plan()
        else:
            self.exit(1, return_code=1)

    def open_editor(self, line: int | None) -> None:
        """Run $VISUAL or $EDITOR on the plan (at ``line``), with the app suspended."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        command = [*shlex.split(editor), *([f"+{line}"] if line else []), str(self.plan_path)]
        try:
            with self.suspend():
                subprocess.run(command, check=False)
        except (OSError, ValueError) as error:
            self.notify(f"Could not run {editor}: {error}", severity="error", markup=False)
        except Exception as error:  # suspend is not possible (for example in a web terminal)
            self.notify(
                f"Cannot open an editor here ({error}); edit {self.plan_path} and reload.",
                severity="error",
                markup=False,
            )

    def prepare_for_saving(self) -> None:
        """Build the editable tree in the background once the plan is first edited, so its save is quick.

        Not on opening: the tree (tomlkit) takes seconds and several times the
        memory of the plan on a large plan, and someone who only looks never needs it.
        Nor while every edit sets a field: those are saved as text patches
        (`planner.plan.patch`), without the tree.
        """
        if (
            self.plan_file is not None
            and self._preparing is not self.plan_file
            and not self.plan_file.saves_without_tree()
        ):
            self._preparing = self.plan_file
            self.prepare_document(self.plan_file)

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def prepare_document(self, plan_file: PlanFile) -> None:
        plan_file.prepare()  # tomlkit only once the plan is edited; a save waits for this tree

    # -- showing the plan -----------------------------------------------------------

    def now(self) -> dt.datetime:
        """The current local time in the campaign's time zone (naive)."""
        assert self.plan_file is not None
        zone = zoneinfo.ZoneInfo(self.plan_file.plan.campaign.timezone)
        return self.clock().astimezone(zone).replace(tzinfo=None)

    def _changed(self) -> None:
        """The plan changed: update the header and the views, then the warnings."""
        plan_file = self.plan_file
        if plan_file is None:
            return
        self.title = plan_file.plan.campaign.name
        marks = ("  ● unsaved" if plan_file.dirty else "") + ("  [read-only]" if self.read_only else "")
        self.sub_title = display_path(plan_file.path) + marks
        self._stale = {name for name, _, _ in VIEWS}
        self._show_view(self.current_view)
        self.run_checks(plan_file)
        self.update_bindings()
        self._journal_soon()
        self.marks_soon()

    def update_bindings(self) -> None:
        """Refresh the footer when what the app's keys can do changed (a refresh rebuilds the footer)."""
        plan_file = self.plan_file
        state = (
            plan_file is not None,
            plan_file is not None and plan_file.can_undo,
            plan_file is not None and plan_file.can_redo,
            self.saving,
        )
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @work(thread=True, exclusive=True, group="checks", exit_on_error=False)
    def run_checks(self, plan_file: PlanFile) -> None:
        plan = plan_file.plan
        problems = [*plan_file.problems, *check(plan, now=self.now(), week_start=self.settings.week_start_index)]
        if any(p.path and p.line is None for p in problems):
            try:  # the lines as they will be once saved (after the tree being built, not a second one)
                text = plan_file.render().decode("utf-8").removeprefix("\ufeff")
                problems = with_lines(problems, text)
            except PlannerError:
                pass  # shown without lines; saving will say what is wrong
        self.call_from_thread(self._checked, plan, problems)

    def _checked(self, plan, problems: list[Problem]) -> None:
        if self.plan_file is None or self.plan_file.plan is not plan:
            return  # the plan changed meanwhile; a newer check is on its way
        if problems == self.problems:
            return  # the views already show these
        self.problems = problems
        self._stale = {name for name, _, _ in VIEWS}
        self._show_view(self.current_view)

    def _show_view(self, name: str) -> None:
        if self.plan_file is None or name not in self._stale:
            return
        self._stale.discard(name)
        view = self.query_one(f"#{name}", View)
        view.show(self.plan_file.plan, self.problems, self.now())

    @property
    def current_view(self) -> str:
        return self.query_one("#views", ContentSwitcher).current or "overview"

    def focus_view(self) -> None:
        self.query_one(f"#{self.current_view}", View).focus_default()

    def say(self, text: str, error: bool = False) -> None:
        line = self.query_one("#status-line", Static)
        line.set_class(error, "error")
        line.update(shown(text))

    # -- views -------------------------------------------------------------------------

    def action_view(self, name: str) -> None:
        self.query_one("#view-tabs", Tabs).active = f"tab-{name}"

    @on(Tabs.TabActivated, "#view-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        name = (event.tab.id or "tab-overview").removeprefix("tab-")
        self.query_one("#views", ContentSwitcher).current = name
        self._show_view(name)
        if self.plan_file is not None:
            self.focus_view()
        self.refresh_bindings()

    # -- editing -------------------------------------------------------------------------

    @on(EditRequested)
    def _edit_requested(self, message: EditRequested) -> None:
        message.stop()
        if self.apply_edit(message.edit):
            if message.note:
                self.notify(message.note, title="Have a look", severity="warning", timeout=15, markup=False)
            if message.then is not None:
                self.call_later(message.then)  # after the views show the edit (a save or a quit may be waiting)

    @on(TodayView.Open)
    def _open_from_today(self, message: TodayView.Open) -> None:
        message.stop()
        self.go_to(message.place)
        self.focus_view()
        if message.edit:
            self.call_later(self.run_action, "edit", self.query_one(f"#{message.place.view}", View))

    @on(TodayView.DayChanged)
    def _day_changed(self, message: TodayView.DayChanged) -> None:
        message.stop()
        if self.plan_file is not None:
            self._stale = {name for name, _, _ in VIEWS}
            self._show_view(self.current_view)
            self.run_checks(self.plan_file)

    @on(StatusMessage)
    def _status_message(self, message: StatusMessage) -> None:
        message.stop()
        self.say(message.text, message.error)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Run an action; one that edits a plan open read-only is refused here, at once, for every view's keys and commands."""
        if self.read_only and isinstance(default_namespace, View) and isinstance(action, str):
            namespace, name, parameters = actions.parse(action)
            if not namespace and name in default_namespace.EDITS and default_namespace.check_action(name, parameters):
                self.refuse_read_only()
                return True
        return await super().run_action(action, default_namespace, namespaces)

    def refuse_read_only(self) -> None:
        """Say that nothing can be changed, before a form is filled in for nothing."""
        message = self.session.refusal() or ""
        self.say(message, error=True)
        self.notify(message, title="Read-only", severity="warning", timeout=6, markup=False)

    def apply_edit(self, edit: Edit) -> bool:
        if self.plan_file is None:
            return False
        refused = self.session.apply(edit)
        if refused is not None:
            self.say(refused, error=True)
            return False
        self.say(sentence(edit.describe()))
        self._changed()
        self.prepare_for_saving()
        return True

    def ask_first(self, then: Callable[[], object] | None = None) -> bool:
        """Whether the focused field holds a date change that asks first (asked now; ``then`` runs once it is applied)."""
        if self.plan_file is None:
            return False
        view = self.query_one(f"#{self.current_view}", View)
        offer = view.pending_offer()
        if offer is None:
            return False
        view.ask(offer, then)
        return True

    def commit_pending(self) -> bool:
        """Apply what the user typed in the focused field but did not yet commit; False if it was refused."""
        if self.plan_file is None:
            return True
        edit = self.query_one(f"#{self.current_view}", View).pending_edit()
        return edit is None or self.apply_edit(edit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        plan_file = self.plan_file
        if action in ("undo", "redo", "save", "save_as", "view", "export") and isinstance(self.screen, ModalScreen):
            return False  # a dialog or form is open about the plan as it is now
        if action == "undo":
            return plan_file is not None and plan_file.can_undo and not self.saving
        if action == "redo":
            return plan_file is not None and plan_file.can_redo and not self.saving
        if action in ("save", "save_as"):
            return plan_file is not None and not self.saving and not self.read_only
        if action == "reload":
            return plan_file is not None and not self.saving
        if action == "export":
            return plan_file is not None
        return True

    def action_undo(self) -> None:
        if self.plan_file is None or self.saving or self.ask_first():
            return
        self.commit_pending()
        edit = self.plan_file.undo()
        self.say(f"Undid: {edit.describe()}" if edit else "Nothing to undo.")
        self._changed()

    def action_redo(self) -> None:
        if self.plan_file is None or self.saving:
            return
        try:
            edit = self.plan_file.redo()
        except EditError as error:
            self.say(f"Cannot redo: {error.message}", error=True)
            return
        self.say(f"Redid: {edit.describe()}" if edit else "Nothing to redo.")
        self._changed()

    # -- saving ----------------------------------------------------------------------------

    def action_save(self) -> None:
        if not self.ask_first(self.action_save) and self.commit_pending():
            self.start_save()

    def start_save(self, *, force: bool = False, path: Path | None = None, then_quit: bool = False) -> None:
        plan_file = self.session.begin_save()
        if plan_file is None:
            return
        self.say("Saving…")
        self.update_bindings()
        self.save_plan(plan_file, force, path, then_quit)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_plan(self, plan_file: PlanFile, force: bool, path: Path | None, then_quit: bool) -> None:
        """Write the plan and settle the crash journal (the session's rules), then report."""
        self.call_from_thread(self._saved, self.session.save(plan_file, force, path), then_quit)

    def _saved(self, outcome: SaveOutcome, then_quit: bool) -> None:
        outcome = self.session.saved(outcome)
        self.update_bindings()
        if outcome.kind == "conflict":
            self.say("Not saved: the file changed on disk.", error=True)
            self._ask_conflict(then_quit)
            return
        if outcome.kind == "failed":
            self._save_failed(outcome.message)
            return
        if outcome.journal_error is not None:
            self._journal_failed(outcome.journal_error)
        assert self.plan_file is not None  # a plan was saved, so one is open
        self.say(f"Saved {display_path(self.plan_file.path)}")
        if then_quit:  # nothing to redraw or check: no worker is started only to be cancelled
            self._leave(0)
            return
        self._changed()

    def _save_failed(self, message: str) -> None:
        self.say(message.rstrip(".") + ". Your edits are kept.", error=True)
        self.notify(message, title="Not saved", severity="error", timeout=8, markup=False)

    def _ask_conflict(self, then_quit: bool) -> None:
        file = display_path(self.plan_path)
        dialog = ChoiceDialog(
            "Changed on disk",
            f"{file} changed on disk since it was read (a git pull, another editor). What now?",
            [("cancel", "Cancel"), ("reload", "Reload"), ("overwrite", "Overwrite"), ("saveas", "Save as…")],
            default="cancel",
        )

        def answer(choice: str | None) -> None:
            if choice == "reload":
                self.confirm_reload()
            elif choice == "overwrite":
                self.start_save(force=True, then_quit=then_quit)
            elif choice == "saveas":
                self.ask_save_as(then_quit)

        self.push_screen(dialog, answer)

    def confirm_reload(self) -> None:
        def answer(choice: str | None) -> None:
            if choice == "yes":
                self.reload_plan()

        self.push_screen(
            confirm("Reload", "Drop your unsaved edits and load the file as it is on disk?", "Reload"), answer
        )

    def ask_save_as(self, then_quit: bool = False) -> None:
        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path.exists():
                self.push_screen(
                    confirm("Replace?", f"{display_path(path)} exists. Replace it?", "Replace"),
                    lambda choice: self._save_as(path, then_quit) if choice == "yes" else None,
                )
            else:
                self._save_as(path, then_quit)

        self.push_screen(PathDialog("Save as", str(self.plan_path)), chosen)

    def _save_as(self, path: Path, then_quit: bool) -> None:
        self.start_save(path=path, then_quit=then_quit)

    def action_save_as(self) -> None:
        if not self.ask_first(self.action_save_as) and self.commit_pending():
            self.ask_save_as()

    # -- exporting -------------------------------------------------------------------------

    def action_export(self, request: ExportRequest | None = None) -> None:
        """Ask what to export and where (again from ``request`` after a refusal), then write it."""
        if self.plan_file is None or self.ask_first(partial(self.action_export, request)) or not self.commit_pending():
            return

        def chosen(answer: ExportRequest | None) -> None:
            if answer is not None and self.plan_file is not None:
                self.say("Exporting…")
                # JSON carries the keys planner does not know: a copy of the data, as edits go on meanwhile.
                source = copy.deepcopy(self.plan_file.data) if answer.fmt == "json" else None
                self.export_plan(self.plan_file.plan, answer, source)

        self.push_screen(ExportDialog(self.plan_path, request), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export_plan(self, plan: Plan, request: ExportRequest, source: dict | None = None) -> None:
        """Write ``plan`` (the app's, unsaved edits included) to the export's file(s)."""
        from planner.export import write_export

        try:
            written = write_export(plan, request.fmt, request.phase, request.path, force=request.force, source=source)
        except NotAnExport as refusal:
            self.call_from_thread(self._ask_replace_export, plan, request, refusal, source)
        except PlannerError as error:
            self.call_from_thread(self._export_failed, error.message)
        else:
            self.call_from_thread(self.say, "Exported " + ", ".join(display_path(path) for path in written))

    def _ask_replace_export(
        self, plan: Plan, request: ExportRequest, refusal: NotAnExport, source: dict | None = None
    ) -> None:
        def answer(choice: str | None) -> None:
            if choice == "yes":
                self.export_plan(plan, replace(request, force=True), source)
            else:
                self.say("Not exported.")
                self.action_export(request)

        file = display_path(refusal.path or request.path)
        self.push_screen(confirm("Replace?", f"{file} {refusal.reason}. Replace it?", "Replace"), answer)

    def _export_failed(self, message: str) -> None:
        self.say(f"Not exported: {message}", error=True)
        self.notify(message, title="Not exported", severity="error", timeout=8, markup=False)

    # -- quitting, help, theme -------------------------------------------------------------

    async def action_quit(self) -> None:
        if self.plan_file is None:
            self.exit(1 if self.load_failed else 0, return_code=1 if self.load_failed else 0)
            return
        if self.ask_first(self.action_quit):
            return
        self.commit_pending()
        question = self.session.quit_question()
        if question is None:
            self._leave(0)
            return
        dialog = ChoiceDialog(
            "Unsaved edits",
            question,
            [("cancel", "Cancel"), ("discard", "Discard"), ("save", "Save")],
            default="save",
        )

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.start_save(then_quit=True)
            elif choice == "discard":
                self._leave(0)

        self.push_screen(dialog, answer)

    def action_shift_posts(self) -> None:
        """The calendar's shift (S), from any view."""
        if self.read_only:
            self.refuse_read_only()
            return
        self._show_view("calendar")  # the calendar has the plan as it is now, even when not on screen
        self.query_one("#calendar", CalendarView).action_shift()

    def action_smm_start(self) -> None:
        """Ask for the SMM start's new date and set it (the overview's form sets it too)."""
        if self.plan_file is None:
            return
        if self.read_only:
            self.refuse_read_only()
            return
        plan = self.plan_file.plan
        hint = f"The first day of the SMM phase. SMO is due on {plan.smo_due}; SMM starts where SMO ends."

        def chosen(day: object) -> None:
            if isinstance(day, dt.date) and self.plan_file is not None:
                edit = set_smm_start(self.plan_file.plan, day)
                if edit is None:
                    self.say(f"SMM starts on {day} already.")
                else:
                    self.apply_edit(edit)

        self.push_screen(DayDialog("SMM start", str(plan.smm_start), hint), chosen)

    def key_sections(self) -> KeyList:
        def describe(bindings: Iterable[Binding]) -> list[tuple[str, str]]:
            return [(self.get_key_display(b), b.description) for b in bindings if b.description]

        sections: KeyList = [
            ("Everywhere", [("0 … 5", "Switch view"), *describe(self._bindings_list()), ("ctrl+p", "Command palette")])
        ]
        for name, _, _ in VIEWS:
            view = self.query_one(f"#{name}", View)
            keys = [*describe(Binding.make_bindings(view.BINDINGS)), *view.HELP_KEYS]
            if keys:
                sections.append((view.TITLE, keys))
        form_keys: dict[
            str, str
        ] = {}  # the forms share their keys: each is listed once, in the post form's general words
        for form in (PostForm, SmoItemForm, *SMM_FORMS):
            for key, description in describe(Binding.make_bindings(form.BINDINGS)):
                form_keys.setdefault(key, description)
        sections.append(
            ("Forms and dialogs", [*form_keys.items(), ("tab", "Next field"), ("enter", "Press the focused button")])
        )
        return sections

    def _bindings_list(self) -> list[Binding]:
        return [b for b in Binding.make_bindings(self.BINDINGS) if not (b.id or "").startswith("view.")]

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.plan_file is None:
            return
        yield SystemCommand("Save", "Write the plan to its file (ctrl+s)", self.action_save)
        yield SystemCommand("Save as…", "Write the plan to another file", self.action_save_as)
        yield SystemCommand("Undo", "Undo the last edit (ctrl+z)", self.action_undo)
        yield SystemCommand("Redo", "Redo the last undone edit (ctrl+y)", self.action_redo)
        yield SystemCommand("Export…", "The plan as Markdown, CSV, iCalendar or JSON (x)", self.action_export)
        yield SystemCommand(
            "Reload from disk", "Read the plan file again (asks first if there are unsaved edits)", self.action_reload
        )
        yield SystemCommand(
            "Set the SMM start…", "The first day of the SMM phase (also in the overview's form)", self.action_smm_start
        )
        yield SystemCommand(
            "Shift posts…",
            "Move posts by days or weeks when a launch slips (S in the calendar)",
            self.action_shift_posts,
        )
        yield SystemCommand("Help", "All keys (?)", self.action_help)
        for name, key, title in VIEWS:
            yield SystemCommand(f"Go to {title}", f"View {key}", partial(self.action_view, name))
        view = self.query_one(f"#{self.current_view}", View)
        for binding in Binding.make_bindings(view.BINDINGS):
            if binding.description and view.check_action(binding.action.split("(")[0], ()) is not False:
                yield SystemCommand(
                    binding.description,
                    f"{view.TITLE} ({self.get_key_display(binding)})",
                    partial(view.run_action, binding.action),
                )

    def _theme_changed(self, theme) -> None:
        name = getattr(theme, "name", str(theme))
        if name != self.settings.theme:
            self.settings = replace(self.settings, theme=name)
            self.remember_theme(name)

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def remember_theme(self, name: str) -> None:
        try:
            save_setting("theme", name)
        except PlannerError as error:
            self.call_from_thread(self.notify, error.message, severity="warning")


def make_app(path: Path, settings: Settings | None = None, clock: Clock | None = None) -> PlannerApp:
    """Build the app for the plan at ``path`` (settings are read from the config folder by default)."""
    return PlannerApp(path, settings if settings is not None else load_settings(), clock or _utc_now)
