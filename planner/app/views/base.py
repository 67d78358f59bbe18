"""What every view shares: it is shown a plan, and asks the app for edits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import ClassVar, Protocol, cast

from textual.containers import Container

from planner.app.messages import EditRequested, StatusMessage
from planner.git.history import Changed
from planner.plan.edits import Edit
from planner.plan.model import Plan
from planner.plan.phases import Offer
from planner.plan.problems import Problem
from planner.settings import Settings


class Host(Protocol):
    """What a view may read of the app that shows it (PlannerApp): its settings and its clock."""

    settings: Settings

    def clock(self) -> dt.datetime: ...


class View(Container):
    """A view of the plan. The app calls `show`; the view posts `EditRequested`."""

    TITLE = ""
    HELP_KEYS: ClassVar[list[tuple[str, str]]] = []  # keys the help screen lists besides the bindings
    # The view's actions that change the plan (or open a form to): a plan open read-only says so when one is asked for.
    EDITS: ClassVar[frozenset[str]] = frozenset()
    _binding_state: tuple | None = None  # what `binding_state` said when the footer was last rebuilt
    asking: bool = False  # an `Offer`'s question is open

    @property
    def host(self) -> Host:
        return cast(Host, self.app)

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

    def show_changes(self, changed: Changed | None) -> None:
        """Mark the entries changed since the last commit (None: not in git, nothing to mark)."""

    def pending_edit(self) -> Edit | None:
        """The edit typed into the focused field but not committed yet (the app applies it before saving)."""
        return None

    def pending_offer(self) -> Offer | None:
        """The date change typed into the focused field that asks first (see `ask`), not committed yet."""
        return None

    def request(self, edit: Edit) -> None:
        self.post_message(EditRequested(edit))

    def ask(self, offer: Offer, then: Callable[[], object] | None = None) -> None:
        """Ask ``offer``'s question; the answer's edit is requested (``then`` runs once it is applied), else `declined`."""
        from planner.app.dialogs import ChoiceDialog

        def answered(key: str | None) -> None:
            self.asking = False
            answer = offer.answer(key)
            if answer is None or answer.edit is None:
                self.declined()
            else:
                self.post_message(EditRequested(answer.edit, note=answer.note, then=then))

        self.asking = True
        choices = [(answer.key, answer.label) for answer in offer.answers]
        self.app.push_screen(ChoiceDialog(offer.title, offer.question, choices, default=offer.default), answered)

    def declined(self) -> None:
        """The question of an `Offer` was cancelled: the fields show the plan's values again."""

    def say(self, text: str, error: bool = False) -> None:
        self.post_message(StatusMessage(text, error))

    def focus_default(self) -> None:
        """Give the focus to the view's main widget."""
        self.focus()

    def selection_state(self) -> dict[str, str]:
        """What the view needs to find its selection again when the plan is reopened (ids, dates; never plan text to obey)."""
        return {}

    def restore_selection(self, state: Mapping[str, str]) -> None:
        """Select again what `selection_state` described, after `show`; what is gone leaves the view's own selection."""
