"""The export dialog: format, phase and file. Writing happens in the app's worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from planner.export import SUFFIXES

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
    ExportDialog .title { text-style: bold; margin: 1 0; }
    ExportDialog Horizontal.choices { height: auto; }
    ExportDialog RadioSet { width: 1fr; }
    ExportDialog #error { color: $error; height: auto; }
    ExportDialog Horizontal.buttons { height: auto; align-horizontal: right; margin: 1 0; }
    ExportDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.run", priority=True),
    ]

    def __init__(self, plan_path: Path) -> None:
        super().__init__()
        self.plan_path = plan_path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Export the plan"), classes="title")
            with Horizontal(classes="choices"):
                with RadioSet(id="format"):
                    for fmt, label in FORMAT_LABELS.items():
                        yield RadioButton(label, value=fmt == "md", id=f"format-{fmt}")
                with RadioSet(id="phase"):
                    for phase, label in PHASE_LABELS.items():
                        yield RadioButton(label, value=phase == "all", id=f"phase-{phase}")
            yield Label("File (CSV of both phases writes NAME-smo.csv and NAME-smm.csv)")
            yield Input(str(self._default_path("md")), id="path")
            yield Checkbox("Overwrite a file that is not an earlier export", id="force")
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export (ctrl+s)", id="export", variant="primary")

    def _default_path(self, fmt: str) -> Path:
        return self.plan_path.with_suffix(SUFFIXES[fmt])

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
        self.dismiss(
            ExportRequest(
                self._choice("format") or "md",
                self._choice("phase") or "all",
                Path(text).expanduser(),
                self.query_one("#force", Checkbox).value,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
