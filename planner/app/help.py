"""The help screen: every key of the app and of each view."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from planner.app.screen_text import shown_line

KeyList = list[tuple[str, list[tuple[str, str]]]]  # (section, [(keys, what they do)])


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 95%; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, sections: KeyList) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for section, keys in self.sections:
                table = Table(title=section, title_justify="left", show_header=False, box=None, expand=True)
                table.add_column("key", style="bold", width=12, no_wrap=True)
                table.add_column("action", ratio=1)
                for key, description in keys:
                    table.add_row(shown_line(key), shown_line(description))
                yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
