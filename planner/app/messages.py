"""Messages that views post up to the app. The app answers with method calls down."""

from __future__ import annotations

from textual.message import Message

from planner.plan.edits import Edit


class EditRequested(Message):
    """A view wants ``edit`` applied to the plan (the app owns the plan and its history)."""

    def __init__(self, edit: Edit) -> None:
        super().__init__()
        self.edit = edit


class StatusMessage(Message):
    """A view has something to say on the status line."""

    def __init__(self, text: str, error: bool = False) -> None:
        super().__init__()
        self.text = text
        self.error = error
