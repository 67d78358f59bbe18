"""The planner app: a shell of five views over one plan file.

The app owns the open `PlanFile` (the editing core). Views are shown plain
model objects through `View.show` and ask for changes by posting
`EditRequested`; the app applies the edit, keeps undo and redo, and shows
the plan again. Reading and writing the file happen in worker threads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import threading
import zoneinfo
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, Footer, Header, Static, Tab, Tabs

from planner.app.dialogs import ChoiceDialog, PathDialog, confirm
from planner.app.forms import SmoItemForm
from planner.app.help import HelpScreen, KeyList
from planner.app.load_error import LoadErrorScreen
from planner.app.messages import EditRequested, StatusMessage
from planner.app.views.base import View
from planner.app.views.checklist import ChecklistView
from planner.app.views.later import ComingView
from planner.app.views.overview import OverviewView
from planner.errors import EditError, PlannerError, SaveConflict
from planner.plan.edits import Edit
from planner.plan.plan_file import Loaded, PlanFile, load, with_lines
from planner.plan.problems import Problem
from planner.report import display_path
from planner.rules.checks import check
from planner.settings import Settings, default_theme, load_settings, save_setting

Clock = Callable[[], dt.datetime]

VIEWS = (
    ("overview", "1", "Overview"),
    ("smo", "2", "SMO checklist"),
    ("platforms", "3", "Platforms"),
    ("calendar", "4", "Calendar"),
    ("competitors", "5", "Competitors"),
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def sentence(text: str) -> str:
    """``text`` with a capital first letter (``str.capitalize`` would lower "SMO")."""
    return text[:1].upper() + text[1:]


def unreadable(message: str, path: Path) -> tuple[str, int | None]:
    """A `PlanUnreadable` message for the screen (the path as the user typed it) and its line, if it has one."""
    full = str(path)
    if not message.startswith(full + ":"):
        return message, None
    rest = message[len(full) :]
    found = re.match(r":(\d+)(?::\d+)?:", rest)
    return display_path(path) + rest, int(found.group(1)) if found else None


class PlannerApp(App[int]):
    """The app on one plan. Build it with `make_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "planner"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # app.tcss packs the forms tighter on short terminals
    BINDINGS = [
        *(Binding(key, f"view('{name}')", title, id=f"view.{name}", show=False) for name, key, title in VIEWS),
        Binding("ctrl+s", "save", "Save", id="app.save"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", id="app.redo"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, path: Path, settings: Settings, clock: Clock = _utc_now) -> None:
        super().__init__()
        self.plan_path = path
        self.settings = settings
        self.clock = clock
        self.plan_file: PlanFile | None = None
        self.problems: list[Problem] = []
        self.saving = False
        self.load_failed = False
        self._stale: set[str] = set()
        self._binding_state: tuple = ()
        self._preparing: PlanFile | None = None  # the plan whose editable tree is being (or was) built
        self._tree_lock = threading.Lock()  # a save waits for the tree being built instead of building another

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs(*(Tab(f"{key} {title}", id=f"tab-{name}") for name, key, title in VIEWS), id="view-tabs")
        with ContentSwitcher(initial="overview", id="views"):
            yield OverviewView(id="overview")
            yield ChecklistView(id="smo")
            yield ComingView("Platforms", "Choose platforms, their handles, cadence and best times.", id="platforms")
            yield ComingView("Calendar", "The month, week and agenda of posts.", id="calendar")
            yield ComingView("Competitors", "Notes on competitors and their handles.", id="competitors")
        yield Static("", id="status-line")
        yield Footer(compact=True, id="footer")

    def on_mount(self) -> None:
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else default_theme()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.sub_title = display_path(self.plan_path)
        for problem in self.settings.problems:
            self.notify(problem, severity="warning")
        self.query_one("#views").display = False
        self.say("Loading…")
        self.load_plan()

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns the keys need the room; ctrl+p is listed in the help screen.
        for screen in self.screen_stack:
            for footer in screen.query(Footer):
                footer.show_command_palette = event.size.width >= 100

    # -- loading ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_plan(self) -> None:
        try:
            loaded: Loaded | str = load(self.plan_path)
        except PlannerError as error:
            loaded = error.message
        self.call_from_thread(self._loaded, loaded)

    def _loaded(self, loaded: Loaded | str) -> None:
        file = display_path(self.plan_path)
        if isinstance(loaded, str) or loaded.plan is None:
            if isinstance(loaded, str):
                message, line = unreadable(loaded, self.plan_path)
                messages = [message]
            else:
                errors = loaded.errors
                messages = [p.located(file) for p in errors]
                line = next((p.line for p in errors if p.line), None)
            self.load_failed = True
            self.push_screen(LoadErrorScreen(file, messages), partial(self._load_error_choice, line))
            return
        self.load_failed = False
        self.plan_file = PlanFile(loaded)
        self.query_one("#views").display = True
        self.say(f"Opened {file}")
        self._changed()
        self.focus_view()

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
            self.notify(f"Could not run {editor}: {error}", severity="error")
        except Exception as error:  # suspend is not possible (for example in a web terminal)
            self.notify(f"Cannot open an editor here ({error}); edit {self.plan_path} and reload.", severity="error")

    def prepare_for_saving(self) -> None:
        """Build the editable tree in the background once the plan is first edited, so its save is quick.

        Not on opening: the tree (tomlkit) takes seconds and several times the
        memory of the plan on a large plan, and someone who only looks never needs it.
        """
        if self.plan_file is not None and self._preparing is not self.plan_file:
            self._preparing = self.plan_file
            self.prepare_document(self.plan_file)

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def prepare_document(self, plan_file: PlanFile) -> None:
        from planner.plan.document import Document  # tomlkit only once the plan is edited

        with self._tree_lock:
            text = plan_file.source.text
            plan_file.install_document(Document(text), text)

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
        self.sub_title = display_path(plan_file.path) + ("  ● unsaved" if plan_file.dirty else "")
        self._stale = {name for name, _, _ in VIEWS}
        self._show_view(self.current_view)
        self.run_checks(plan_file)
        self.update_bindings()

    def update_bindings(self) -> None:
        """Refresh the footer when what the app's keys can do changed (a refresh rebuilds the footer)."""
        plan_file = self.plan_file
        state = (plan_file is not None, plan_file is not None and plan_file.can_undo, plan_file is not None and plan_file.can_redo, self.saving)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @work(thread=True, exclusive=True, group="checks", exit_on_error=False)
    def run_checks(self, plan_file: PlanFile) -> None:
        plan = plan_file.plan
        problems = [*plan_file.problems, *check(plan, now=self.now(), week_start=self.settings.week_start_index)]
        if any(p.path and p.line is None for p in problems):
            try:  # the lines as they will be once saved (after the tree being built, not a second one)
                with self._tree_lock:
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
        line.update(Text(text))

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
        self.apply_edit(message.edit)

    @on(StatusMessage)
    def _status_message(self, message: StatusMessage) -> None:
        message.stop()
        self.say(message.text, message.error)

    def apply_edit(self, edit: Edit) -> bool:
        if self.plan_file is None:
            return False
        if self.saving:
            self.say("Saving; try again in a moment.", error=True)
            return False
        try:
            self.plan_file.apply(edit)
        except EditError as error:
            self.say(f"Not changed: {error.message}", error=True)
            return False
        self.say(sentence(edit.describe()))
        self._changed()
        self.prepare_for_saving()
        return True

    def commit_pending(self) -> bool:
        """Apply what the user typed in the focused field but did not yet commit; False if it was refused."""
        if self.plan_file is None:
            return True
        edit = self.query_one(f"#{self.current_view}", View).pending_edit()
        return edit is None or self.apply_edit(edit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        plan_file = self.plan_file
        if action in ("undo", "redo", "save", "save_as", "view") and isinstance(self.screen, ModalScreen):
            return False  # a dialog or form is open about the plan as it is now
        if action == "undo":
            return plan_file is not None and plan_file.can_undo and not self.saving
        if action == "redo":
            return plan_file is not None and plan_file.can_redo and not self.saving
        if action in ("save", "save_as"):
            return plan_file is not None and not self.saving
        return True

    def action_undo(self) -> None:
        if self.plan_file is None or self.saving:
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
        if self.commit_pending():
            self.start_save()

    def start_save(self, *, force: bool = False, path: Path | None = None, then_quit: bool = False) -> None:
        if self.plan_file is None or self.saving:
            return
        self.saving = True
        self.say("Saving…")
        self.update_bindings()
        self.save_plan(self.plan_file, force, path, then_quit)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_plan(self, plan_file: PlanFile, force: bool, path: Path | None, then_quit: bool) -> None:
        try:
            with self._tree_lock:  # the tree may be half built in the background: wait for it
                if path is not None:
                    plan_file.save_as(path, overwrite=True)
                else:
                    plan_file.save(force=force)
        except SaveConflict:
            self.call_from_thread(self._saved, None, then_quit, conflict=True)
        except PlannerError as error:
            self.call_from_thread(self._saved, error.message, then_quit)
        else:
            self.call_from_thread(self._saved, None, then_quit)

    def _saved(self, error: str | None, then_quit: bool, conflict: bool = False) -> None:
        self.saving = False
        self.update_bindings()
        if conflict:
            self.say("Not saved: the file changed on disk.", error=True)
            self._ask_conflict(then_quit)
            return
        if error is not None:
            self.say(error + " Your edits are kept.", error=True)
            self.notify(error, title="Not saved", severity="error", timeout=8)
            return
        self.plan_path = self.plan_file.path  # a new name after save as
        self.say(f"Saved {display_path(self.plan_file.path)}")
        self._changed()
        if then_quit:
            self.exit(0)

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
                self.plan_file = None
                self.query_one("#views").display = False
                self.load_plan()

        self.push_screen(confirm("Reload", "Drop your unsaved edits and load the file as it is on disk?", "Reload"), answer)

    def ask_save_as(self, then_quit: bool = False) -> None:
        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path.exists():
                self.push_screen(
                    confirm("Replace?", f"{display_path(path)} exists. Replace it?", "Replace"),
                    lambda choice: choice == "yes" and self._save_as(path, then_quit),
                )
            else:
                self._save_as(path, then_quit)

        self.push_screen(PathDialog("Save as", str(self.plan_path)), chosen)

    def _save_as(self, path: Path, then_quit: bool) -> None:
        self.start_save(path=path, then_quit=then_quit)

    def action_save_as(self) -> None:
        if self.commit_pending():
            self.ask_save_as()

    # -- quitting, help, theme -------------------------------------------------------------

    async def action_quit(self) -> None:
        if self.plan_file is None:
            self.exit(1 if self.load_failed else 0, return_code=1 if self.load_failed else 0)
            return
        self.commit_pending()
        if not self.plan_file.dirty:
            self.exit(0)
            return
        dialog = ChoiceDialog(
            "Unsaved edits",
            "Save your edits before quitting?",
            [("cancel", "Cancel"), ("discard", "Discard"), ("save", "Save")],
            default="save",
        )

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.start_save(then_quit=True)
            elif choice == "discard":
                self.exit(0)

        self.push_screen(dialog, answer)

    def key_sections(self) -> KeyList:
        def describe(bindings: Iterable[Binding]) -> list[tuple[str, str]]:
            return [(self.get_key_display(b), b.description) for b in bindings if b.description]

        sections: KeyList = [("Everywhere", [("1 … 5", "Switch view"), *describe(self._bindings_list()), ("ctrl+p", "Command palette")])]
        for name, _, _ in VIEWS:
            view = self.query_one(f"#{name}", View)
            keys = [*describe(Binding.make_bindings(view.BINDINGS)), *view.HELP_KEYS]
            if keys:
                sections.append((view.TITLE, keys))
        form_keys = describe(Binding.make_bindings(SmoItemForm.BINDINGS))
        sections.append(("Forms and dialogs", [*form_keys, ("tab", "Next field"), ("enter", "Press the focused button")]))
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
        yield SystemCommand("Help", "All keys (?)", self.action_help)
        for name, key, title in VIEWS:
            yield SystemCommand(f"Go to {title}", f"View {key}", partial(self.action_view, name))
        view = self.query_one(f"#{self.current_view}", View)
        for binding in Binding.make_bindings(view.BINDINGS):
            if binding.description and view.check_action(binding.action.split("(")[0], ()) is not False:
                yield SystemCommand(binding.description, f"{view.TITLE} ({self.get_key_display(binding)})", partial(view.run_action, binding.action))

    def _theme_changed(self, theme) -> None:
        name = getattr(theme, "name", str(theme))
        if name != self.settings.theme:
            self.settings = Settings(theme=name, week_start=self.settings.week_start)
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
