"""The child process of the open, keys and memory benchmarks (run as a script, not imported).

    python benchmarks/harness.py planner|bare|weeks PLAN --view calendar|smo [--keys SPEC] [--expect TEXT] [--edit]

It runs an app headless at 120x40 and prints one JSON object per line on
standard output as things happen:

- ``{"event": "ready"}`` when the first frame that shows the target view's
  rows has been drawn (the parent times process start to this line);
- ``{"event": "settled", "hwm_kb": N}`` when the background work is done
  (no worker of the app is running), with the peak resident memory so far
  (VmHWM);
- ``{"event": "keys", "latencies": [...], "timed_out": [...]}`` with the
  seconds from sending each key to the frame that shows its effect. A key
  whose frame takes longer than `FRAME_TIMEOUT` is not dropped: it counts
  the time until the app handled it (at least the timeout), and its index
  is listed in ``timed_out``;
- ``{"event": "edited", "hwm_kb": N}`` with ``--edit``: after one edit
  (the middle post's title, or a cell of the baseline's table) and the
  background work it starts, the peak resident memory;
- ``{"event": "probe", "views": {...}}`` for ``--probe``: each view's class.

``planner`` is the real app built with `make_app`; ``bare`` is the
baseline: a Textual app that parses the same file with tomli (the parser
the app reads with) and shows every row in a DataTable (all the posts, more
work than the calendar's month); ``weeks`` is the same with only the rows
of the weeks the calendar's month shows. All are timed by the same frame
hook (`planner.app.frames.Frames`).

``PLANNER_BENCH_STALL="KEY:SECONDS"`` (for the harness's own test) makes
the app's handling of ``KEY`` take that much longer: a slow key.
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

import tomli
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable

SIZE = (120, 40)
KEY_GAP = 0.01  # seconds between key presses (not counted)
FRAME_TIMEOUT = 0.5  # a key with no frame by then is a slow key (or one that changed nothing)
DRAIN = 2.0  # how long a slow key's frame is still waited for, so that it is not taken for the next key's


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


# -- the baselines ---------------------------------------------------------------------

# The calendar opens on the benchmarks' clock (mid-June: `benchmarks.generate.CLOCK`), weeks from Monday.
MONTH = (2026, 6)


def month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the weeks (Monday to Sunday) that cover the month, as the month grid draws them."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())


def rows_for(data: dict, view: str, weeks: bool = False) -> list[tuple[str, ...]]:
    if view == "smo":
        items = data.get("smo", {}).get("items", [])
        return [
            ("[x]" if i.get("done") else "[ ]", i.get("title", ""), i.get("category", ""), i.get("owner", ""))
            for i in items
        ]
    posts = data.get("smm", {}).get("posts", [])
    if weeks:
        first, last = month_days(*MONTH)
        posts = [p for p in posts if first <= p["at"].date() <= last]
    posts = sorted(posts, key=lambda p: p["at"])
    return [
        (f"{p['at']:%Y-%m-%d %H:%M}", p.get("platform", ""), p.get("status", "idea"), p.get("title", "")) for p in posts
    ]


class BareApp(App[None]):
    """The baseline: tomli and a DataTable, nothing else (every row, or with ``weeks`` the calendar month's).

    ``l`` and ``m`` (into the calendar's agenda and back) redraw the whole
    table with its stripes turned on or off, so that every key of the
    calendar's list draws a frame here too.
    """

    BINDINGS = [("l", "stripes", "Stripes"), ("m", "stripes", "Stripes")]

    def __init__(self, path: Path, view: str, weeks: bool = False) -> None:
        super().__init__()
        self.path = path
        self.view = view
        self.weeks = weeks

    def compose(self) -> ComposeResult:
        yield DataTable(id="rows")

    def on_mount(self) -> None:
        data = tomli.loads(self.path.read_text("utf-8"))
        table = self.query_one(DataTable)
        table.add_columns("when" if self.view != "smo" else "done", "what", "", "")
        table.add_rows(rows_for(data, self.view, self.weeks))
        table.focus()

    def shows(self, view: str) -> bool:
        return self.query_one(DataTable).row_count > 0

    @property
    def busy(self) -> bool:
        return False

    def action_stripes(self) -> None:
        table = self.query_one(DataTable)
        table.zebra_stripes = not table.zebra_stripes

    def edit_one(self) -> None:
        table = self.query_one(DataTable)
        table.update_cell_at((table.row_count // 2, 3), "Edited title")


# -- the planner app ------------------------------------------------------------------


def planner_app(path: Path, view: str) -> App:
    from benchmarks.generate import CLOCK
    from planner.app.main import make_app
    from planner.settings import Settings

    app = make_app(path, Settings(), clock=lambda: CLOCK.replace(tzinfo=dt.UTC))
    app.call_after_refresh(app.action_view, view)
    return app


def edit_one(app: App) -> None:
    """One edit as the user makes it: the middle post's title."""
    from planner.plan.edits import SetField
    from planner.plan.model import POSTS

    middle = len(app.plan_file.plan.posts) // 2
    assert app.apply_edit(SetField((*POSTS, middle), "title", "Edited title")), "the edit was refused"


def probe_views(app: App) -> dict[str, dict]:
    from planner.app.main import VIEWS

    return {name: {"class": type(app.query_one(f"#{name}")).__name__} for name, _, _ in VIEWS}


def stall(app: App, spec: str) -> None:
    """Make the app's handling of one key slower (``"KEY:SECONDS"``): a slow key for the harness's own test."""
    key, _, seconds = spec.partition(":")
    handle = app.on_event

    async def on_event(event: events.Event) -> None:
        if isinstance(event, events.Key) and event.key == key:
            time.sleep(float(seconds))  # blocks the app's loop, as slow work on a key does
        await handle(event)

    app.on_event = on_event  # type: ignore[method-assign]


# -- running ----------------------------------------------------------------------------


WAIT_LIMIT = 300.0  # seconds: a run that waits longer for its first frame or its background work fails, saying which


async def settle(app: App) -> None:
    waited = time.perf_counter()
    while app.busy:
        if time.perf_counter() - waited > WAIT_LIMIT:
            busy = [
                f"{worker.name} ({worker.state.name})"
                for worker in app.workers
                if worker.is_running or worker.state.name == "PENDING"
            ]
            raise RuntimeError(f"background work still running after {WAIT_LIMIT:.0f} s: {', '.join(busy)}")
        await asyncio.sleep(0.01)


async def run(kind: str, path: Path, view: str, keys: list[str], expect: str, probe: bool, edit: bool) -> None:
    from planner.app.frames import Frames

    app = planner_app(path, view) if kind == "planner" else BareApp(path, view, weeks=kind == "weeks")
    app.animation_level = "none"
    if os.environ.get("PLANNER_BENCH_STALL"):
        stall(app, os.environ["PLANNER_BENCH_STALL"])
    frames = Frames(app)
    ready = asyncio.Event()

    def first_full_frame() -> None:
        if not ready.is_set() and app.shows(view) and (not expect or expect in frames.text()):
            ready.set()
            emit(event="ready")

    frames.on_frame(first_full_frame)

    async with app.run_test(headless=True, size=SIZE) as pilot:
        if probe:
            emit(event="probe", views=probe_views(app))
            return
        try:
            await asyncio.wait_for(ready.wait(), WAIT_LIMIT)
        except TimeoutError:
            raise RuntimeError(f"no frame showed the {view} view within {WAIT_LIMIT:.0f} s") from None
        await settle(app)
        await pilot.pause()
        emit(event="settled", hwm_kb=peak_rss_kb())
        if keys:
            latencies, timed_out = await press(frames, keys)
            emit(event="keys", latencies=latencies, timed_out=timed_out)
        if edit:
            (edit_one(app) if kind == "planner" else app.edit_one())
            await pilot.pause()
            await settle(app)
            await pilot.pause()
            emit(event="edited", hwm_kb=peak_rss_kb())


async def press(frames, keys: list[str]) -> tuple[list[float], list[int]]:
    """Send each key as the terminal would and time it until its frame is drawn.

    A key with no frame within `FRAME_TIMEOUT` is counted, not dropped: as
    the time until its frame came (up to `DRAIN` more) or, if none came (a
    key that changed nothing on screen, or one still working), as the time
    waited, which is at least the timeout. Its index goes in the second list.
    """
    latencies: list[float] = []
    timed_out: list[int] = []
    for index, key in enumerate(keys):
        await asyncio.sleep(KEY_GAP)
        frames.drawn.clear()
        start = time.perf_counter()
        frames.send_key(key)
        try:
            await asyncio.wait_for(frames.drawn.wait(), FRAME_TIMEOUT)
        except TimeoutError:
            timed_out.append(index)
            if not frames.drawn.is_set():
                await frames.next(DRAIN)
            latencies.append(time.perf_counter() - start)
            continue
        # A key can take more than one frame (the list moves, then the details follow); a screen
        # that keeps drawing (a blinking cursor) is waited for up to DRAIN, not for ever.
        await asyncio.sleep(0)
        while frames.pending() and time.perf_counter() - start < DRAIN:
            if not await frames.next(FRAME_TIMEOUT):
                break
        latencies.append(time.perf_counter() - start)
    return latencies, timed_out


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("planner", "bare", "weeks"))
    parser.add_argument("plan", type=Path)
    parser.add_argument("--view", default="calendar")
    parser.add_argument("--keys", default="")
    parser.add_argument("--expect", default="")
    parser.add_argument("--edit", action="store_true")
    parser.add_argument("--probe", action="store_true")
    args = parser.parse_args(argv)
    asyncio.run(run(args.kind, args.plan, args.view, parse_keys(args.keys), args.expect, args.probe, args.edit))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `benchmarks` and `planner` from this checkout
    main(sys.argv[1:])
