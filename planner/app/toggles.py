"""Check boxes and radio buttons that show their state in characters, not only in colour.

Textual draws a ticked and an unticked box with the same ``X`` in two
colours, which some themes and terminals make look alike. Here a ticked box
is ``[x]`` and an empty one ``[ ]``; the chosen radio button is ``(•)`` and
the others ``( )``: plain characters that read the same at 80x24, in any theme
and without colour. In a `ChoiceSet` the arrow keys choose (as radio buttons
do elsewhere), so what is highlighted is what is chosen.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Checkbox, RadioButton, RadioSet

TICKED, UNTICKED = "[x]", "[ ]"
CHOSEN, NOT_CHOSEN = "(•)", "( )"

TOGGLE_CSS = """
{name} > .toggle--button {{ color: $foreground; background: transparent; }}
{name}.-on > .toggle--button {{ color: $text-success; background: transparent; text-style: bold; }}
"""


class TickBox(Checkbox):
    """A check box drawn ``[x]`` when ticked and ``[ ]`` when not."""

    DEFAULT_CSS = TOGGLE_CSS.format(name="TickBox")

    @property
    def _button(self) -> Content:
        return Content.styled(TICKED if self.value else UNTICKED, self.get_visual_style("toggle--button"))


class Choice(RadioButton):
    """A radio button drawn ``(•)`` when chosen and ``( )`` when not."""

    DEFAULT_CSS = TOGGLE_CSS.format(name="Choice")

    @property
    def _button(self) -> Content:
        return Content.styled(CHOSEN if self.value else NOT_CHOSEN, self.get_visual_style("toggle--button"))


class ChoiceSet(RadioSet, inherit_bindings=False):
    """Radio buttons of which ↑ and ↓ choose the previous or next one (← → are left to the dialog)."""

    BINDINGS = [
        Binding("down", "choose(1)", "Next choice", show=False),
        Binding("up", "choose(-1)", "Previous choice", show=False),
        Binding("enter,space", "toggle_button", "Choose", show=False),
    ]

    def on_mount(self) -> None:
        if self.pressed_index >= 0:  # the highlight starts on the chosen one, not the first
            self._selected = self.pressed_index

    def action_choose(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        button = self.children[self._selected] if self._selected is not None else None
        if isinstance(button, RadioButton) and not button.value:
            button.value = True
