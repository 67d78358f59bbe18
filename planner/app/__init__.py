"""The Textual app. Only this package imports Textual."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

# Seconds the process has to end by itself once the app has returned, before it is ended.
EXIT_GRACE = 2.0


def run_app(path: Path) -> int:
    from planner.app.main import make_app

    app = make_app(path)
    app.run()
    code = app.return_code or 0
    end_even_if_stuck(code)
    return code


def end_even_if_stuck(code: int, grace: float = EXIT_GRACE) -> None:
    """End the process ``grace`` seconds from now if it has not ended by then.

    When the terminal goes away (a closed window, a killed tmux), Textual's
    input thread can be left selecting on the dead terminal, and the
    interpreter waits for it at exit for ever, spinning a core. By the time
    the app has returned, its work is done: the plan saved or journaled, the
    lock released. So the process ends regardless, with the app's code.
    """

    def end() -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # the terminal is gone, or the stream closed
                pass
        os._exit(code)

    timer = threading.Timer(grace, end)
    timer.daemon = True  # a process that ends by itself does not wait for it
    timer.start()
