"""The calendar's two small questions: which date to go to, and which platforms to copy a post to."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from planner.app.screen_text import SafeInput, shown_line
from planner.app.toggles import TickBox
from planner.rules.slots import parse_day

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 60; max-width: 95%; height: auto; max-height: 95%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .error {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} Button {{ margin-left: 1; }}
"""


class DateDialog(ModalScreen[dt.date | None]):
    """Ask for a date, as a person writes it (`planner.rules.slots.parse_day`); a wrong one is said on one line and the dialog stays."""

    DEFAULT_CSS = DIALOG_CSS.format(name="DateDialog") + "DateDialog .hint { color: $text-muted; height: auto; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, value: dt.date, today: dt.date | None = None) -> None:
        """Start from ``value`` (the selected day, from which ``12-24``, ``+3d`` or ``fri`` are counted)."""
        super().__init__()
        self.value = value
        self.today = today or value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Go to date", classes="title")
            yield SafeInput(str(self.value), placeholder="2027-12-24, dec 24, +3d, fri, today", id="date")
            yield Static("", classes="error", id="date-error")
            yield Static(
                f"Also 12-24, 24 dec, -2w, friday. Without a year: the one nearest {self.value:%d %b %Y}.",
                classes="hint",
            )

    @on(Input.Submitted, "#date")
    def submit(self, event: Input.Submitted) -> None:
        try:
            date = parse_day(event.value, self.value, self.today)
        except ValueError as error:
            self.query_one("#date-error", Static).update(shown_line(str(error)))
            return
        self.dismiss(date)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlatformsDialog(ModalScreen[list[str] | None]):
    """Tick the platforms to copy a post to; dismisses with their names (in the order shown), or None.

    The boxes show ``[x]`` or ``[ ]``; ↑ and ↓ move between them, space ticks.
    """

    DEFAULT_CSS = DIALOG_CSS.format(name="PlatformsDialog") + "PlatformsDialog .hint { color: $text-muted; }"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "done", "Duplicate", id="dialog.done", priority=True),
        Binding("up", "app.focus_previous", "Previous", show=False),
        Binding("down", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, title: str, platforms: list[tuple[str, str]]) -> None:
        """``platforms`` are ``(name, label)`` pairs."""
        super().__init__()
        self.title_text = title
        self.platforms = platforms

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(shown_line(self.title_text), classes="title")
            for number, (_name, label) in enumerate(self.platforms):
                yield TickBox(shown_line(label), id=f"platform-{number}", compact=True)
            yield Static(
                "space ticks, ↑ ↓ move; each copy is a draft at its platform's next free best time", classes="hint"
            )
            yield Static("", classes="error", id="platforms-error")
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Duplicate (ctrl+s)", id="done", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query(Checkbox).first().focus()

    def chosen(self) -> list[str]:
        return [
            name
            for number, (name, _) in enumerate(self.platforms)
            if self.query_one(f"#platform-{number}", Checkbox).value
        ]

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self.query_one("#platforms-error", Static).update("Tick at least one platform (space ticks).")
            return
        self.dismiss(chosen)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
