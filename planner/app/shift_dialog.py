"""Shift posts when a launch slips: all of them, those from a date on, or those of one platform, by days or weeks.

The dialog asks how far and which posts, and shows how many move as the
user types; the move itself is `planner.plan.phases.shift_posts`, the same
as `planner shift`, applied as one undoable edit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from planner.app.screen_text import SafeInput, shown_line
from planner.plan.model import Plan
from planner.plan.phases import parse_shift, selected_posts
from planner.rules.platforms import builtin_platforms
from planner.rules.slots import parse_date
from planner.words import counted


@dataclass(frozen=True, slots=True)
class ShiftRequest:
    """What to shift: by how many days, and which posts (on or after ``since``, on ``platform``; None: all)."""

    days: int
    since: dt.date | None = None
    platform: str | None = None


def platform_choices(plan: Plan) -> list[tuple[str, str]]:
    """The platforms that have posts, as ``(label with the count, name)``, in the order of the plan's platforms."""
    counts = Counter(post.platform for post in plan.posts)
    rules = builtin_platforms()
    labels = {choice.name: choice.label for choice in plan.platforms if choice.label}
    order = [choice.name for choice in plan.platforms if choice.name in counts] + sorted(
        name for name in counts if plan.platform(name) is None
    )
    choices = []
    for name in order:
        label = labels.get(name) or (rules[name].label if name in rules else name)
        choices.append((f"{label} ({counted(counts[name], 'post')})", name))
    return choices


class ShiftDialog(ModalScreen[ShiftRequest | None]):
    """Ask how far to shift which posts; dismisses with a `ShiftRequest`, or None when cancelled."""

    DEFAULT_CSS = """
    ShiftDialog { align: center middle; }
    ShiftDialog > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ShiftDialog .title { text-style: bold; margin-bottom: 1; }
    ShiftDialog .row { height: 1; margin-bottom: 1; }
    ShiftDialog .row Label { width: 10; color: $text-muted; }
    ShiftDialog .row Input, ShiftDialog .row Select { width: 1fr; }
    ShiftDialog #shift-preview { height: auto; }
    ShiftDialog #shift-preview.-error { color: $error; }
    ShiftDialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    ShiftDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "shift", "Shift", id="dialog.shift", priority=True),
    ]
    AUTO_FOCUS = "#shift-by"

    def __init__(self, plan: Plan, since: dt.date | None = None) -> None:
        """Shift posts of ``plan``; ``since`` fills in the first day (None: all posts)."""
        super().__init__()
        self.plan = plan
        self.since = since

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Shift posts", classes="title")
            with Horizontal(classes="row"):
                yield Label("By")
                yield SafeInput(id="shift-by", placeholder="days or weeks: 3, -2, 1w, 2 weeks", compact=True)
            with Horizontal(classes="row"):
                yield Label("From")
                yield SafeInput(
                    str(self.since or ""), id="shift-from", placeholder="YYYY-MM-DD (empty: every post)", compact=True
                )
            with Horizontal(classes="row"):
                yield Label("Platform")
                options = [("All platforms", ""), *platform_choices(self.plan)]
                yield Select(
                    [(shown_line(label), name) for label, name in options],
                    value="",
                    allow_blank=False,
                    compact=True,
                    id="shift-platform",
                )
            yield Static("", id="shift-preview")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Shift (ctrl+s)", id="shift", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._preview()

    def request(self) -> tuple[ShiftRequest | None, str]:
        """What the fields ask for, or why it cannot be done (said under them)."""
        typed = self.query_one("#shift-by", Input).value
        if not typed.strip():
            return None, "Say how far: 3 (days), -2 (earlier), 1w or 2 weeks."
        try:
            days = parse_shift(typed)
        except ValueError as error:
            return None, f"{error}."
        if days == 0:
            return None, "Say how far: not 0."
        since_text = self.query_one("#shift-from", Input).value
        try:
            since = parse_date(since_text) if since_text.strip() else None
        except ValueError as error:
            return None, f"From: {error}"
        platform = self.query_one("#shift-platform", Select).value
        return ShiftRequest(days, since, platform if isinstance(platform, str) and platform else None), ""

    def _preview(self) -> None:
        """How many posts the fields select, and how far they move (or what is wrong)."""
        request, problem = self.request()
        preview = self.query_one("#shift-preview", Static)
        preview.set_class(bool(problem), "-error")
        if request is None:
            preview.update(shown_line(problem))
            return
        count = len(selected_posts(self.plan, since=request.since, platform=request.platform))
        way = "later" if request.days > 0 else "earlier"
        weeks, rest = divmod(abs(request.days), 7)
        far = counted(weeks, "week") if weeks and not rest else counted(abs(request.days), "day")
        preview.update(
            shown_line(f"Moves {counted(count, 'post')} {far} {way}, each at its time of day; one undo takes it back.")
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self._preview()

    @on(Input.Submitted)
    @on(Button.Pressed, "#shift")
    def action_shift(self) -> None:
        request, _ = self.request()
        if request is None:
            self._preview()  # says what is wrong
            return
        self.dismiss(request)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
