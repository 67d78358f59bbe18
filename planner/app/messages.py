"""Messages that views post up to the app. The app answers with method calls down."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from planner.plan.edits import Edit


class EditRequested(Message):
    """A view wants ``edit`` applied to the plan (the app owns the plan and its history).

    Once it is applied, the app shows ``note`` (what the user should know
    about it, if anything) and calls ``then`` (what was waiting for it: a
    save that asked about a date first).
    """

    def __init__(self, edit: Edit, *, note: str = "", then: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.edit = edit
        self.note = note
        self.then = then


class StatusMessage(Message):
    """A view has something to say on the status line."""

    def __init__(self, text: str, error: bool = False) -> None:
        super().__init__()
        self.text = text
        self.error = error
