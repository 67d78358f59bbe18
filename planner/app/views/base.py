"""What every view shares: it is shown a plan, and asks the app for edits."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.containers import Container

from planner.app.messages import EditRequested, StatusMessage
from planner.plan.edits import Edit
from planner.plan.model import Plan
from planner.plan.problems import Problem


class View(Container):
    """A view of the plan. The app calls `show`; the view posts `EditRequested`."""

    TITLE = ""
    HELP_KEYS: ClassVar[list[tuple[str, str]]] = []  # keys the help screen lists besides the bindings
    # The view's actions that change the plan (or open a form to): a plan open read-only says so when one is asked for.
    EDITS: ClassVar[frozenset[str]] = frozenset()
    _binding_state: tuple | None = None  # what `binding_state` said when the footer was last rebuilt

    def binding_state(self) -> tuple:
        """What the view's keys can do now (which apply, in which mode); see `update_bindings`."""
        return ()

    def update_bindings(self) -> None:
        """Refresh the footer when what the keys can do changed, and only then (a refresh rebuilds the footer)."""
        state = self.binding_state()
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        """Display ``plan`` (called after loading and after every edit, undo and redo)."""

    def pending_edit(self) -> Edit | None:
        """The edit typed into the focused field but not committed yet (the app applies it before saving)."""
        return None

    def request(self, edit: Edit) -> None:
        self.post_message(EditRequested(edit))

    def say(self, text: str, error: bool = False) -> None:
        self.post_message(StatusMessage(text, error))

    def focus_default(self) -> None:
        """Give the focus to the view's main widget."""
        self.focus()
