"""The export dialog: format, phase and file. Writing happens in the app's worker.

Replacing a file that is not an earlier export is not a choice made up
front: the app asks when it meets one (see `PlannerApp.export_plan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static

from planner.app.screen_text import SafeInput, shown_line
from planner.app.toggles import Choice, ChoiceSet
from planner.export import SUFFIXES
from planner.report import display_path

FORMAT_LABELS = {"md": "Markdown checklist", "csv": "CSV for spreadsheets", "ics": "iCalendar events", "json": "JSON"}
PHASE_LABELS = {"all": "Both phases", "smo": "SMO checklist", "smm": "SMM calendar"}


@dataclass(frozen=True, slots=True)
class ExportRequest:
    fmt: str
    phase: str
    path: Path
    force: bool = False


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Ask what to export and where; dismisses with an `ExportRequest`, or None."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportDialog .title { text-style: bold; margin: 1 0 0 0; }
    ExportDialog .hint { color: $text-muted; margin-bottom: 1; }
    ExportDialog Horizontal.choices { height: auto; }
    ExportDialog RadioSet { width: 1fr; }
    ExportDialog #error { color: $error; height: auto; }
    ExportDialog Horizontal.buttons { height: auto; align-horizontal: right; margin: 1 0; }
    ExportDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.run", priority=True),
        Binding("left", "app.focus_previous", "Previous", show=False),  # from the formats to the phases and back
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, plan_path: Path, request: ExportRequest | None = None) -> None:
        """Start from the plan's name, or from an earlier ``request`` (asked again after a refusal)."""
        super().__init__()
        self.plan_path = plan_path
        self.request = request

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Export the plan"), classes="title")
            yield Static(
                Text(
                    "Unsaved edits are included. The same plan always gives the same bytes. ↑ ↓ choose, ← → or tab move."
                ),
                classes="hint",
            )
            fmt, phase = (self.request.fmt, self.request.phase) if self.request else ("md", "all")
            with Horizontal(classes="choices"):
                with ChoiceSet(id="format"):
                    for name, label in FORMAT_LABELS.items():
                        yield Choice(label, value=name == fmt, id=f"format-{name}")
                with ChoiceSet(id="phase"):
                    for name, label in PHASE_LABELS.items():
                        yield Choice(label, value=name == phase, id=f"phase-{name}")
            yield Label("File (CSV of both phases writes NAME-smo.csv and NAME-smm.csv)")
            yield SafeInput(str(self.request.path if self.request else self._default_path(fmt)), id="path")
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Export (ctrl+s)", id="export", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#format", RadioSet).focus()

    def _default_path(self, fmt: str) -> Path:
        return Path(display_path(self.plan_path.with_suffix(SUFFIXES[fmt])))

    def _choice(self, group: str) -> str:
        pressed = self.query_one(f"#{group}", RadioSet).pressed_button
        return (pressed.id or "").removeprefix(f"{group}-") if pressed else ""

    @on(RadioSet.Changed, "#format")
    def _format_changed(self) -> None:
        field = self.query_one("#path", Input)
        current = Path(field.value)
        if current.suffix in SUFFIXES.values():  # follow the format unless the user chose a name
            field.value = str(current.with_suffix(SUFFIXES[self._choice("format")]))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one("#error", Static).update("Type a file name.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self.query_one("#error", Static).update(shown_line(f"{text} is a folder; type a file name."))
            return
        self.dismiss(ExportRequest(self._choice("format") or "md", self._choice("phase") or "all", path))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
