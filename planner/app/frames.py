"""When a frame has been drawn, and keys sent as a terminal sends them: for the benchmarks and tests.

Textual has no public hook for "this frame is on the screen". `Frames`
keeps the one place that reaches into it: it wraps the app's display call
(what writes a finished frame to the terminal, headless too) and reads the
screen's pending work. The benchmarks time opening to the first frame
that shows a view (`PlannerApp.shows`) and each key to the frame that
shows its effect with this, on the real app and on a bare baseline app
alike, so both are timed by the same hook.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import events
from textual.app import App


class Frames:
    """Watches the frames ``app`` draws; install before the app runs."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.drawn = asyncio.Event()  # set by each frame drawn; clear it before waiting for the next
        self.count = 0
        self._listeners: list[Callable[[], None]] = []
        display = app._display

        def on_display(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is None:
                return
            self.count += 1
            self.drawn.set()
            for listener in list(self._listeners):
                listener()

        app._display = on_display  # type: ignore[method-assign]

    def on_frame(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each frame is drawn (in the app's event loop)."""
        self._listeners.append(listener)

    def text(self) -> str:
        """The text of the screen as last composed, line by line."""
        return "\n".join(strip.text for strip in self.app.screen._compositor.render_strips())

    def pending(self) -> bool:
        """Whether the screen has work that will draw another frame (a widget to repaint, a layout to redo)."""
        screen = self.app.screen
        return bool(screen._dirty_widgets or screen._layout_required or screen._repaint_required)

    def send_key(self, key: str) -> None:
        """Send ``key`` as the terminal driver does (through the app's message queue, not a Pilot)."""
        driver = self.app._driver
        if driver is None:
            raise RuntimeError("the app is not running")
        driver.send_message(events.Key(key, key if len(key) == 1 else None))

    async def next(self, timeout: float) -> bool:
        """Wait for the next frame drawn from now; False if none came within ``timeout`` seconds."""
        self.drawn.clear()
        try:
            await asyncio.wait_for(self.drawn.wait(), timeout)
        except TimeoutError:
            return False
        return True
