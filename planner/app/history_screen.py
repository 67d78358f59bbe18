"""A post's history: its changes commit by commit, newest first, as `planner.git.history` reads them.

The screen opens at once saying it is reading; the app's worker gives it a
`History` (or the reason there is none: not in git) with `show_history`.
Everything from git or the plan (authors, subjects, titles, texts) is made
safe for the terminal and drawn as `Text`, never as markup.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from planner.git.history import History
from planner.textsafe import one_line
from planner.words import counted


def history_text(history: History) -> Group:
    """Each commit that changed the post: its short hash, date, author and subject, then the change in words (wrapped under itself)."""
    if not history.revisions:
        return Group(
            Text(f"No change to this post in the last {counted(history.read, 'commit')} of the plan file.", style="dim")
        )
    parts: list[Text | Table] = []
    for number, revision in enumerate(history.revisions):
        heading = Text("\n" if number else "")
        heading.append(revision.short, style="bold")
        heading.append(f"  {one_line(revision.date[:16].replace('T', ' '))}  ")
        heading.append(one_line(revision.author), style="italic")
        heading.append("  " + one_line(revision.subject))
        words = Table.grid(expand=True)
        words.add_column(width=4, no_wrap=True)
        words.add_column(ratio=1)
        for line in revision.words:
            words.add_row("", Text(one_line(line)))
        parts += [heading, words]
    older = "; older commits were not read" if history.more else ""
    parts.append(
        Text(
            f"\n{counted(len(history.revisions), 'commit')} changed it, of the last {counted(history.read, 'commit')} of the plan file{older}.",
            style="dim",
        )
    )
    return Group(*parts)


class HistoryScreen(ModalScreen[None]):
    """The history of one post; esc closes it."""

    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical {
        width: 110; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HistoryScreen #history-title { text-style: bold; }
    HistoryScreen VerticalScroll { height: auto; }
    HistoryScreen #history-keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="history.close"), Binding("q", "close", show=False)]

    def __init__(self, name: str) -> None:
        """``name``: the post as the title names it (made safe here)."""
        super().__init__()
        self.post_name = name
        self.read = False  # the history (or why there is none) is shown

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"History of {one_line(self.post_name)}"), id="history-title")
            with VerticalScroll(id="history-scroll"):
                yield Static(Text("Reading the plan's commits…", style="dim"), id="history-body")
            yield Static("esc: close   ↑ ↓: scroll", id="history-keys")

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#history-scroll", VerticalScroll).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The commits scroll between the title and the keys: the box never grows past the screen."""
        self.query_one("#history-scroll", VerticalScroll).styles.max_height = max(
            1, self.app.size.height - 4
        )  # the border, the title, the keys

    class Read(Message):
        """The history, or (None) why there is none: from the worker that read it."""

        def __init__(self, history: History | None, why: str = "") -> None:
            super().__init__()
            self.history = history
            self.why = why

    def on_history_screen_read(self, message: Read) -> None:
        self.show_history(message.history, message.why)

    def show_history(self, history: History | None, message: str = "") -> None:
        """Show ``history``, or ``message`` (why there is none)."""
        body = self.query_one("#history-body", Static)
        body.update(history_text(history) if history is not None else Text(one_line(message)))
        self.read = True

    def action_close(self) -> None:
        self.dismiss(None)
