"""The child process of the open, keys and memory benchmarks (run as a script, not imported).

    python benchmarks/harness.py planner|bare PLAN --view calendar|smo [--keys SPEC] [--expect TEXT]

It runs an app headless at 120x40 and prints one JSON object per line on
standard output as things happen:

- ``{"event": "ready"}`` when the first frame that shows the target view's
  rows has been rendered (the parent times process start to this line);
- ``{"event": "settled", "hwm_kb": N}`` when the background work is done
  (no worker of the app is running), with the peak resident memory so far
  (VmHWM);
- ``{"event": "keys", "latencies": [...]}`` with the seconds from sending
  each key to the frame that shows its effect (``null`` for a key that
  changed nothing on screen within half a second);
- ``{"event": "probe", "views": {...}}`` for ``--probe``: each view's class.

``planner`` is the real app built with `make_app`; ``bare`` is the baseline:
a Textual app that parses the same file with tomllib and shows the same rows
in a DataTable. Both are timed by the same frame hook.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import resource
import sys
import time
import tomllib
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable

SIZE = (120, 40)
KEY_GAP = 0.01  # seconds between key presses (not counted)
FRAME_TIMEOUT = 0.5


def emit(**payload) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def peak_rss_kb() -> int:
    """The process's peak resident memory in KiB (VmHWM; getrusage where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def parse_keys(spec: str) -> list[str]:
    """``"down*3,up"`` -> ``["down", "down", "down", "up"]``."""
    keys: list[str] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, _, count = part.partition("*")
        keys += [key] * (int(count) if count else 1)
    return keys


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# -- the baseline ---------------------------------------------------------------------


def rows_for(data: dict, view: str) -> list[tuple[str, ...]]:
    if view == "smo":
        items = data.get("smo", {}).get("items", [])
        return [("[x]" if i.get("done") else "[ ]", i.get("title", ""), i.get("category", ""), i.get("owner", "")) for i in items]
    posts = sorted(data.get("smm", {}).get("posts", []), key=lambda p: p["at"])
    return [(f"{p['at']:%Y-%m-%d %H:%M}", p.get("platform", ""), p.get("status", "idea"), p.get("title", "")) for p in posts]


class BareApp(App[None]):
    """The baseline: tomllib and a DataTable, nothing else."""

    def __init__(self, path: Path, view: str) -> None:
        super().__init__()
        self.path = path
        self.view = view

    def compose(self) -> ComposeResult:
        yield DataTable(id="rows")

    def on_mount(self) -> None:
        data = tomllib.loads(self.path.read_text("utf-8"))
        table = self.query_one(DataTable)
        table.add_columns("when" if self.view != "smo" else "done", "what", "", "")
        table.add_rows(rows_for(data, self.view))
        table.focus()

    def shows_rows(self) -> bool:
        return self.query_one(DataTable).row_count > 0

    def settled(self) -> bool:
        return True


# -- the planner app ------------------------------------------------------------------


def planner_app(path: Path, view: str) -> App:
    from benchmarks.generate import CLOCK
    from planner.app.main import make_app
    from planner.settings import Settings

    app = make_app(path, Settings(), clock=lambda: CLOCK.replace(tzinfo=dt.UTC))

    def shows_rows() -> bool:
        return app.plan_file is not None and app.current_view == view and view not in app._stale

    def settled() -> bool:
        busy = any(worker.is_running or worker.state.name == "PENDING" for worker in app.workers)
        return app.plan_file is not None and not busy

    app.shows_rows = shows_rows  # type: ignore[attr-defined]
    app.settled = settled  # type: ignore[attr-defined]
    app.call_after_refresh(app.action_view, view)
    return app


def probe_views(app: App) -> dict[str, dict]:
    from planner.app.main import VIEWS

    try:
        from planner.app.views.later import ComingView
    except ImportError:  # every view is built: the stand-in is gone
        ComingView = None  # noqa: N806

    views = {}
    for name, _, _ in VIEWS:
        widget = app.query_one(f"#{name}")
        views[name] = {"class": type(widget).__name__, "coming": ComingView is not None and isinstance(widget, ComingView)}
    return views


# -- running ----------------------------------------------------------------------------


async def run(kind: str, path: Path, view: str, keys: list[str], expect: str, probe: bool) -> None:
    app = planner_app(path, view) if kind == "planner" else BareApp(path, view)
    app.animation_level = "none"
    frame = asyncio.Event()
    state = {"ready": False}
    display = app._display

    def on_display(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is None:
            return
        frame.set()
        if not state["ready"] and app.shows_rows() and (not expect or expect in screen_text(app)):
            state["ready"] = True
            emit(event="ready")

    app._display = on_display  # type: ignore[method-assign]

    async with app.run_test(headless=True, size=SIZE) as pilot:
        if probe:
            emit(event="probe", views=probe_views(app))
            return
        while not state["ready"]:
            await asyncio.sleep(0.002)
        while not app.settled():
            await asyncio.sleep(0.01)
        await pilot.pause()
        emit(event="settled", hwm_kb=peak_rss_kb())
        if keys:
            emit(event="keys", latencies=await press(app, keys, frame))


async def press(app: App, keys: list[str], frame: asyncio.Event) -> list[float | None]:
    """Send each key as the terminal would and time it until its frame is rendered."""
    driver = app._driver
    assert driver is not None
    latencies: list[float | None] = []
    for key in keys:
        await asyncio.sleep(KEY_GAP)
        frame.clear()
        start = time.perf_counter()
        driver.send_message(events.Key(key, key if len(key) == 1 else None))
        try:
            await asyncio.wait_for(frame.wait(), FRAME_TIMEOUT)
        except TimeoutError:  # nothing changed on screen: not a latency
            latencies.append(None)
            continue
        else:
            # A key can take more than one frame (the list moves, then the details follow).
            await asyncio.sleep(0)
            screen = app.screen
            while screen._dirty_widgets or screen._layout_required or screen._repaint_required:
                frame.clear()
                try:
                    await asyncio.wait_for(frame.wait(), FRAME_TIMEOUT)
                except TimeoutError:
                    break
        latencies.append(time.perf_counter() - start)
    return latencies


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("planner", "bare"))
    parser.add_argument("plan", type=Path)
    parser.add_argument("--view", default="calendar")
    parser.add_argument("--keys", default="")
    parser.add_argument("--expect", default="")
    parser.add_argument("--probe", action="store_true")
    args = parser.parse_args(argv)
    asyncio.run(run(args.kind, args.plan, args.view, parse_keys(args.keys), args.expect, args.probe))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `benchmarks` and `planner` from this checkout
    main(sys.argv[1:])
