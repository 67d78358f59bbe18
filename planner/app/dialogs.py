"""Small modal dialogs: a choice between buttons, and a prompt for a path or a day."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from planner.app.screen_text import SafeInput, shown, shown_line
from planner.audit.reading import is_url
from planner.rules.slots import parse_date


def choice_keys(labels: list[str]) -> list[str]:
    """A letter for each label: its first letter not taken by an earlier one ("" if none is free)."""
    taken: set[str] = set()
    keys = []
    for label in labels:
        key = next((c for c in label.lower() if c.isalpha() and c not in taken), "")
        taken.add(key)
        keys.append(key)
    return keys


class ChoiceDialog(ModalScreen[str | None]):
    """A question with one button per choice; dismisses with the choice's id, or None on escape.

    Each choice also has a letter (shown on its button): pressing it chooses without tabbing.
    """

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ChoiceDialog .title { text-style: bold; margin-bottom: 1; }
    ChoiceDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ChoiceDialog Button { margin-left: 1; min-width: 10; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str]], *, default: str | None = None) -> None:
        """``choices`` are ``(id, label)`` pairs; ``default`` gets the focus."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices
        self.default = default or choices[0][0]
        self.keys = dict(zip(choice_keys([label for _, label in choices]), (choice for choice, _ in choices)))
        self.keys.pop("", None)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(shown_line(self.title_text), classes="title")
            yield Static(shown(self.message))
            with Horizontal():
                letters = {choice: key for key, choice in self.keys.items()}
                for choice, label in self.choices:
                    text = f"{label} ({letters[choice]})" if choice in letters else label
                    yield Button(
                        text, id=f"choice-{choice}", variant="primary" if choice == self.default else "default"
                    )

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.default}", Button).focus()

    @on(Button.Pressed)
    def choose(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def on_key(self, event: events.Key) -> None:
        choice = self.keys.get(event.character or "")
        if choice is not None:
            event.stop()
            self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm(title: str, message: str, yes: str = "Yes") -> ChoiceDialog:
    return ChoiceDialog(title, message, [("no", "Cancel"), ("yes", yes)], default="no")


class PathDialog(ModalScreen[Any]):
    """Ask for a file path (for example for save as); subclasses ask for other values, each `check` says which."""

    DEFAULT_CSS = """
    PathDialog { align: center middle; }
    PathDialog > Vertical {
        width: 72; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    PathDialog .title { text-style: bold; margin-bottom: 1; }
    PathDialog .hint { color: $text-muted; height: auto; margin-bottom: 1; }
    PathDialog #error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, value: str = "", hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(shown_line(self.title_text), classes="title")
            if self.hint:
                yield Static(shown(self.hint), classes="hint")
            yield SafeInput(self.value, id="path")
            yield Static("", id="error")

    @on(Input.Submitted, "#path")
    def submit(self, event: Input.Submitted) -> None:
        value, error = self.check(event.value.strip())
        if error:
            self.query_one("#error", Static).update(shown(error))
            return
        self.dismiss(value)

    def check(self, text: str) -> tuple[object, str]:
        """What the dialog answers for ``text``, or an error to show (and the dialog stays)."""
        if not text:
            return None, "Type a file name."
        path = Path(text).expanduser()
        if path.is_dir():
            return None, f"{path} is a folder."
        return path, ""

    def action_cancel(self) -> None:
        self.dismiss(None)


class TargetDialog(PathDialog):
    """Ask what to audit: a page, a folder of built pages, or an http(s):// URL; dismisses with the text."""

    def check(self, text: str) -> tuple[object, str]:
        if not text:
            return None, "Type a page, a folder or a URL."
        if is_url(text):
            return text, ""
        if not Path(text).expanduser().exists():
            return None, f"{text}: no such file or folder."
        return text, ""


class DayDialog(PathDialog):
    """Ask for a day as YYYY-MM-DD; dismisses with the date (a wrong one is said, and the dialog stays)."""

    def check(self, text: str) -> tuple[object, str]:
        try:
            return parse_date(text), ""
        except ValueError as error:
            return None, str(error)
