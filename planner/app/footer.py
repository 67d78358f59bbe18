"""The footer: the app's own keys always, and as many of the view's as fit.

Textual's footer lists the focused view's keys first and the app's after
them, and cuts the line at the terminal's edge: at 80 columns the calendar's
keys pushed Save and Help off the screen. `KeptFooter` keeps every key the
app binds (save, undo, help, quit) and drops the view's keys from the end of
its list until the line fits; a view lists its bindings with the ones to
keep first. Every key is still in the help screen (``?``) and the palette.
It draws keys as Textual's footer does, but for binding groups, which the
app does not use (each key of a group would show on its own).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeptFooter(Footer):
    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        app = self.app
        shown: dict[
            str, tuple[Binding, bool, str, bool]
        ] = {}  # by action: binding, enabled, tooltip, whether the app binds it
        for namespace, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                shown.setdefault(binding.action, (binding, enabled, tooltip, namespace is app))
        keys = list(shown.values())
        room = self.app.size.width - (self._palette_width() if self.show_command_palette else 0)
        while (
            sum(self._width(binding) for binding, *_ in keys) - (1 if self.compact else 0) > room
        ):  # no space after the last
            dropped = next((n for n in range(len(keys) - 1, -1, -1) if not keys[n][3]), None)
            if dropped is None:
                break
            del keys[dropped]
        for binding, enabled, tooltip, _ in keys:
            yield FooterKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, tooltip = found
                yield FooterKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )

    def _width(self, binding: Binding) -> int:
        """The cells a key takes: compact, its key, a space, its description and a space before the next; else padded."""
        key, description = cell_len(self.app.get_key_display(binding)), cell_len(binding.description)
        if self.compact:
            return key + (1 + description if description else 0) + 1
        return key + 2 + (description + 1 if description else 0)

    def _palette_width(self) -> int:
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return self._width(found[1]) + 2 if found is not None else 0  # docked right, after a border

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)
