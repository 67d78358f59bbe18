"""The planner app: for now a read-only overview of the plan.

The editing views (SMO checklist, platforms, calendar, competitors) are
built on top of this shell; see the open issues.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from planner.errors import PlannerError
from planner.plan.plan_file import Loaded, load
from planner.report import all_problems, display_path, status_text


class PlannerApp(App[int]):
    """Shows one plan. Built by `make_app`; holds no module-level state."""

    CSS_PATH = "app.tcss"
    TITLE = "planner"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.plan_path = path

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(Text("Loading…"), id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = display_path(self.plan_path)
        self.load_plan()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_plan(self) -> None:
        try:
            loaded = load(self.plan_path)
        except PlannerError as error:
            self.call_from_thread(self.show_error, error.message)
            return
        self.call_from_thread(self.show_plan, loaded)

    def show_error(self, message: str) -> None:
        summary = self.query_one("#summary", Static)
        summary.add_class("error")
        summary.update(Text(message))  # plan text is never markup

    def show_plan(self, loaded: Loaded) -> None:
        file = display_path(self.plan_path)
        problems = all_problems(loaded)
        summary = self.query_one("#summary", Static)
        if loaded.plan is None:
            summary.add_class("error")
            summary.update(Text("\n".join(p.located(file) for p in problems if p.severity == "error")))
            return
        self.title = loaded.plan.campaign.name
        summary.update(Text(status_text(loaded.plan, file, problems)))


def make_app(path: Path) -> PlannerApp:
    return PlannerApp(path)
