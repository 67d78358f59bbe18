"""A post's history: its changes commit by commit, newest first, as `planner.git.history` reads them.

The screen opens at once saying it is reading; the app's worker gives it a
`History` (or the reason there is none: not in git) with `show_history`.
Everything from git or the plan (authors, subjects, titles, texts) is made
safe for the terminal and drawn as `Text`, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from planner.git.history import History
from planner.textsafe import one_line
from planner.words import counted


def history_text(history: History) -> Text:
    """Each commit that changed the post: its short hash, date, author and subject, then the change in words."""
    text = Text()
    if not history.revisions:
        text.append(f"No change to this post in the last {counted(history.read, 'commit')} of the plan file.", style="dim")
        return text
    for number, revision in enumerate(history.revisions):
        if number:
            text.append("\n")
        text.append(revision.short, style="bold")
        text.append(f"  {one_line(revision.date[:16].replace('T', ' '))}  ")
        text.append(one_line(revision.author), style="italic")
        text.append("  " + one_line(revision.subject) + "\n")
        for words in revision.words:
            text.append("    " + one_line(words) + "\n")
    older = "; older commits were not read" if history.more else ""
    text.append(f"\n{counted(len(history.revisions), 'commit')} changed it, of the last {counted(history.read, 'commit')} of the plan file{older}.", style="dim")
    return text


class HistoryScreen(ModalScreen[None]):
    """The history of one post; esc closes it."""

    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical {
        width: 110; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HistoryScreen #history-title { text-style: bold; }
    HistoryScreen VerticalScroll { height: auto; max-height: 1fr; }
    HistoryScreen #history-keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="history.close"), Binding("q", "close", show=False)]

    def __init__(self, name: str) -> None:
        """``name``: the post as the title names it (made safe here)."""
        super().__init__()
        self.post_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"History of {one_line(self.post_name)}"), id="history-title")
            with VerticalScroll(id="history-scroll"):
                yield Static(Text("Reading the plan's commits…", style="dim"), id="history-body")
            yield Static("esc: close   ↑ ↓: scroll", id="history-keys")

    def on_mount(self) -> None:
        self.query_one("#history-scroll", VerticalScroll).focus()

    def show_history(self, history: History | None, message: str = "") -> None:
        """Show ``history``, or ``message`` (why there is none)."""
        if not self.is_attached:
            return  # closed before the commits were read
        body = self.query_one("#history-body", Static)
        body.update(history_text(history) if history is not None else Text(one_line(message)))

    def action_close(self) -> None:
        self.dismiss(None)
