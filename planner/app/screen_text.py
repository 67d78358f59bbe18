"""Text from outside on screen: shown, never obeyed.

A plan, its file name, an audited page and a CSV are other people's text. Each
string from them passes `planner.textsafe.for_terminal` (control characters
made visible as ``^[``, combining marks capped) on its way to the screen:

- `shown` and `shown_line` make the `Text` every view, form and dialog builds
  from such a string (never markup);
- `OutsideTextApp` does it for what the app is handed as plain strings: its
  title and sub-title (the header) and notifications;
- `SafeInput` and `SafeTextArea` show a value being edited with each control
  character as one visible symbol (``␛``) while the value keeps its real
  characters, so saving gives back exactly what was typed or read;
- `guard_terminal_output` is the last line: where Textual turns a laid-out line
  into what it writes to the terminal (`Strip.render`), a control character
  left in the text of a line is dropped. The app's own sequences (colours,
  cursor moves, the clipboard it is asked to write) are added around that text,
  not inside it, so they pass; a string that missed the functions above is
  shown without its control characters instead of being obeyed.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from rich.style import StyleType
from rich.text import Text
from textual._cells import cell_len
from textual.expand_tabs import expand_tabs_inline
from textual.notifications import SeverityLevel
from textual.strip import Strip
from textual.widgets import Input, TextArea

from planner.textsafe import for_terminal, one_line

# Whatever a terminal may take as control: C0 (tab and newline too: a laid-out
# line holds neither), DEL, C1, line separators and the bidi overrides.
_RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: str, style: StyleType = "") -> Text:
    """``text`` from outside as the app shows it, line breaks kept."""
    return Text(for_terminal(text), style=style)


def shown_line(text: str, style: StyleType = "") -> Text:
    """``text`` from outside on one line (line breaks and tabs as spaces)."""
    return Text(one_line(text), style=style)


class OutsideTextApp:
    """Mixin for the `App`: the header and notifications show strings from outside safely."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        guard_terminal_output()

    def validate_title(self, title: str) -> str:
        return one_line(title)

    def validate_sub_title(self, sub_title: str) -> str:
        return one_line(sub_title)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; its message is plain text unless ``markup`` is asked for (a message names files and entries)."""
        super().notify(for_terminal(message), title=one_line(title), severity=severity, timeout=timeout, markup=markup)  # type: ignore[misc]


def _pictured(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC is ␛
    return "\u2421" if code == 0x7F else "\ufffd"


def pictured(text: str) -> str:
    """``text`` with each control character (tab aside) as one visible symbol: the same length, so positions agree."""
    return _RAW_CONTROL.sub(lambda match: match.group() if match.group() == "\t" else _pictured(match.group()), text)


class SafeInput(Input):
    """An `Input` whose value keeps its characters and is shown with its control characters as symbols."""

    def validate_placeholder(self, placeholder: str) -> str:
        return one_line(placeholder)  # a plan's categories, say

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        return Text(pictured(self.value), no_wrap=True, overflow="ignore", end="")

    def _position_to_cell(self, position: int) -> int:
        return cell_len(expand_tabs_inline(pictured(self.value[:position]), 4))

    def _cell_offset_to_index(self, offset: int) -> int:
        shown_value = pictured(self.value)
        scroll_x, _ = self.scroll_offset
        offset += scroll_x
        cells = 0
        for index, char in enumerate(shown_value):
            width = cell_len(char)
            if cells <= offset < cells + width:
                return index
            cells += width
        return max(0, min(offset, len(self.value)))


class SafeTextArea(TextArea):
    """A `TextArea` whose text keeps its characters and is shown with its control characters as symbols."""

    def get_line(self, line_index: int) -> Text:
        return Text(pictured(self.document.get_line(line_index)), end="", no_wrap=True)


_unguarded_render = Strip.render


def _render_without_controls(strip: Strip, console) -> str:
    """`Strip.render`, with any control character in the strip's text dropped first (it takes no cell: the layout holds)."""
    if _RAW_CONTROL.search(strip.text):
        clean = Strip(
            [Segment(_RAW_CONTROL.sub("", text), style, control) for text, style, control in strip], strip.cell_length
        )
        return _unguarded_render(clean, console)
    return _unguarded_render(strip, console)


def guard_terminal_output() -> None:
    """Make every line Textual writes to the terminal free of control characters (done once)."""
    Strip.render = _render_without_controls  # type: ignore[method-assign,assignment]
