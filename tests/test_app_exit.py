"""The process ends once the app has returned, even when a terminal thread would keep it alive (issue 12)."""

from __future__ import annotations

import subprocess
import sys
import time

# A thread like Textual's input thread on a terminal that has gone: not a daemon, never ending.
STUCK = """
import sys, threading, time
from planner.app import end_even_if_stuck

def spin():
    while True:
        time.sleep(0.01)

threading.Thread(target=spin).start()
end_even_if_stuck(7, grace=0.5)
print("returned", flush=True)
"""

QUICK = """
from planner.app import end_even_if_stuck
end_even_if_stuck(0, grace=30)
print("done")
"""


def test_a_process_left_with_a_stuck_thread_ends_with_the_apps_code() -> None:
    done = subprocess.run([sys.executable, "-c", STUCK], capture_output=True, text=True, timeout=30)
    assert done.returncode == 7
    assert done.stdout == "returned\n"


def test_a_process_that_ends_by_itself_does_not_wait_for_the_grace() -> None:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", QUICK], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout == "done\n"
    assert time.monotonic() - started < 25  # not the 30 s grace
