"""Shown instead of the plan when it does not load: the errors, and a way to fix them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from planner.app.screen_text import shown, shown_line


class LoadErrorScreen(Screen[str]):
    """Lists why the plan did not load; dismisses with "edit" or "quit". Never writes the file."""

    BINDINGS = [
        Binding("e", "choose('edit')", "Open in $EDITOR", id="load.edit"),
        Binding("r", "choose('reload')", "Reload", id="load.reload"),
        Binding("q", "choose('quit')", "Quit", id="load.quit", show=False),  # the footer shows ctrl+q
    ]
    DEFAULT_CSS = """
    LoadErrorScreen > Vertical { padding: 1 2; }
    LoadErrorScreen .title { color: $error; text-style: bold; margin-bottom: 1; }
    LoadErrorScreen Horizontal { height: auto; margin-top: 1; }
    LoadErrorScreen Button { margin-right: 1; }
    """

    def __init__(self, file: str, messages: list[str]) -> None:
        super().__init__()
        self.file = file
        self.messages = messages

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(shown_line(f"{self.file} did not load. It has not been changed."), classes="title")
            with VerticalScroll(id="errors"):
                yield Static(shown("\n".join(self.messages)), id="messages")
            with Horizontal():
                yield Button("Open in editor (e)", id="edit", variant="primary")
                yield Button("Reload (r)", id="reload")
                yield Button("Quit (q)", id="quit")
        yield Footer()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "quit")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
