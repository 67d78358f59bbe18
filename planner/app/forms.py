"""Modal forms that return plain values; the caller turns them into edits."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from planner.plan.model import SmoItem


class SmoItemForm(ModalScreen[dict | None]):
    """Add or edit an SMO checklist item; dismisses with the fields, or None when cancelled."""

    DEFAULT_CSS = """
    SmoItemForm { align: center middle; }
    SmoItemForm > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SmoItemForm .title { text-style: bold; margin: 0 0 1 0; }
    SmoItemForm .row { height: 1; margin-bottom: 1; }
    SmoItemForm .row Label { width: 10; color: $text-muted; }
    SmoItemForm .row Input { width: 1fr; }
    SmoItemForm .notes-label { color: $text-muted; }
    SmoItemForm #error { color: $error; height: auto; }
    SmoItemForm TextArea { height: 6; }
    SmoItemForm .buttons { height: auto; align-horizontal: right; margin: 1 0 0 0; }
    SmoItemForm Button { margin-left: 1; }
    """
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

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll():
            yield Static(Text(f"Edit {item.id}" if item else "New SMO item"), classes="title")
            for key, label, value, extra in (
                ("title", "Title", item.title if item else "", {}),
                (
                    "category",
                    "Category",
                    item.category if item else self.category,
                    {"suggester": SuggestFromList(self.categories, case_sensitive=False), "placeholder": ", ".join(self.categories[:3])},
                ),
                ("owner", "Owner", item.owner if item else "", {}),
                ("url", "URL", item.url if item else "", {"placeholder": "https://"}),
            ):
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(value, id=key, compact=True, **extra)
            yield Label("Notes", classes="notes-label")
            yield TextArea(item.notes if item else "", id="notes", soft_wrap=True)
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "url":
            self.query_one("#notes", TextArea).focus()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.query_one("#error", Static).update("The item needs a title.")
            self.query_one("#title", Input).focus()
            return
        self.dismiss(
            {
                "title": title,
                "category": self.query_one("#category", Input).value.strip(),
                "owner": self.query_one("#owner", Input).value.strip(),
                "url": self.query_one("#url", Input).value.strip(),
                "notes": self.query_one("#notes", TextArea).text,
            }
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
