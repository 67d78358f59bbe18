"""Modal forms that return plain values; the caller turns them into edits.

`Form` is what every form shares (layout, keys, the error line, Cancel and
Save); `SmoItemForm` is the SMO checklist's. The SMM forms are in
`planner.app.smm_forms`, the post editor in `planner.app.post_form`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from planner.app.screen_text import SafeInput, SafeTextArea, shown, shown_line
from planner.plan.model import SmoItem
from planner.words import quoted


class Form(ModalScreen[dict | None]):
    """A form of one-line fields (and optional text areas) with Cancel and Save.

    A subclass says what it asks (`fields`, with `row` for one-line fields)
    and checks the answers (`values`, calling `fail` with a one-line message).
    """

    DEFAULT_CSS = """
    Form { align: center middle; }
    Form > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    Form .title { text-style: bold; margin: 0 0 1 0; }
    Form .row { height: 1; margin-bottom: 1; }
    Form.-short .row { margin-bottom: 0; }
    Form .row Label { width: 15; color: $text-muted; }
    Form .row Input { width: 1fr; }
    Form .area-label { color: $text-muted; }
    Form #error { color: $error; height: auto; margin-bottom: 1; display: none; }
    Form TextArea { height: 4; }
    Form TextArea#notes { height: 6; }
    Form .buttons { height: auto; align-horizontal: right; margin: 1 0 0 0; }
    Form Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
    ]

    heading = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(shown_line(self.heading), classes="title")
            yield Static("", id="error")  # at the top: seen on a short terminal too
            yield from self.fields()
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)

    def fields(self) -> Iterator[Any]:
        raise NotImplementedError

    @staticmethod
    def row(field_id: str, label: str, value: str, placeholder: str = "", **extra: Any) -> Iterator[Any]:
        """A labelled one-line field (``extra`` goes to the `Input`: a suggester, say)."""
        with Horizontal(classes="row"):
            yield Label(shown_line(label))
            yield SafeInput(value, id=field_id, placeholder=placeholder, compact=True, **extra)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def fail(self, message: str, field_id: str) -> None:
        """Say what is wrong in one line and put the cursor where it is."""
        error = self.query_one("#error", Static)
        error.update(shown(message))
        error.display = True
        self.query_one(f"#{field_id}").focus()

    def values(self) -> dict | None:
        """The checked values, or None after `fail`."""
        raise NotImplementedError

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values = self.values()
        if values is not None:
            self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SmoItemForm(Form):
    """Add or edit an SMO checklist item; dismisses with the fields, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save the item", id="form.save", priority=True),
    ]

    def __init__(self, item: SmoItem | None, categories: list[str], category: str = "") -> None:
        """``categories`` are offered as completions; a new item starts in ``category`` (else the first)."""
        super().__init__()
        self.item = item
        self.categories = categories
        self.category = category or (categories[0] if categories else "")
        self.heading = f"Edit item {quoted(item.title or item.id)}" if item else "New SMO item"

    def fields(self) -> Iterator[Any]:
        item = self.item
        yield from self.row("title", "Title", item.title if item else "")
        suggester = SuggestFromList(self.categories, case_sensitive=False)
        yield from self.row(
            "category",
            "Category",
            item.category if item else self.category,
            ", ".join(self.categories[:3]),
            suggester=suggester,
        )
        yield from self.row("owner", "Owner", item.owner if item else "")
        yield from self.row("url", "URL", item.url if item else "", "https://")
        yield Label("Notes", classes="area-label")
        yield SafeTextArea(item.notes if item else "", id="notes", soft_wrap=True)

    def values(self) -> dict | None:
        title = self.value("title")
        if not title:
            self.fail("The item needs a title.", "title")
            return None
        return {
            "title": title,
            "category": self.value("category"),
            "owner": self.value("owner"),
            "url": self.value("url"),
            "notes": self.query_one("#notes", TextArea).text,
        }
