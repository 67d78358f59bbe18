"""Every keystroke lands, in a real terminal: a whole burst of keys in one `tmux send-keys`.

A paste without bracketed paste, a slow SSH link or key repeat delivers many
keys before the app has handled the first. For each form and box the burst
clears a field (End, then backspaces), types a new value, moves on (Tab,
Enter) and saves; what was saved or selected must be exactly what was typed,
run after run. One app is launched per form and takes all the runs: open,
burst, check the file (or the screen), again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLES, Terminal

from planner.app.calendar.days import SORTS

pytestmark = pytest.mark.tmux  # the terminal fixture skips without tmux, and fails in CI

RUNS = 20


class Planner:
    """The real app on a copy of the shop sample, in a terminal of its own."""

    def __init__(self, tmp_path: Path, terminal: Callable[..., Terminal]) -> None:
        self.plan = tmp_path / "launch.toml"
        shutil.copyfile(SAMPLES / "shop-launch.toml", self.plan)
        self.term = terminal("launch.toml")
        self.term.wait_for("Tide collection launch")

    def saved_after(self, *keys: str, timeout: float = 20) -> dict:
        """Send ``keys`` as one burst (it must end in a save) and return the plan once the file changed."""
        before = self.plan.read_bytes()
        self.term.keys(*keys)
        deadline = time.monotonic() + timeout
        while (now := self.plan.read_bytes()) == before:
            assert time.monotonic() < deadline, f"nothing was saved; the screen shows:\n{self.term.screen()}"
            time.sleep(0.05)
        return tomllib.loads(now.decode("utf-8"))

    def quit(self) -> None:
        self.term.keys("C-q")
        self.term.wait_for("[exit 0]")


def clear(count: int) -> list[str]:
    """Keys that empty a one-line field of up to ``count`` characters, wherever its cursor is."""
    return ["End", *["BSpace"] * count]


@pytest.fixture
def app(tmp_path: Path, terminal):
    running = Planner(tmp_path, terminal)
    yield running
    running.quit()


def test_the_overview_takes_every_key_of_a_burst(app: Planner) -> None:
    for run in range(RUNS):
        name, site, end = f"Kaffeewerk Holiday {run}", f"https://kaffee{run}.example", dt.date(2027, 4, 10 + run)
        keys = [
            "1",
            "e",
            *clear(50),
            name,
            "Tab",
            *clear(50),
            site,
            "Tab",
            "Tab",
            "Tab",
            *clear(12),
            str(end),
            "Enter",
            "C-s",
            "Escape",
        ]
        campaign = app.saved_after(*keys)["campaign"]
        assert (campaign["name"], campaign["site"], campaign["end"]) == (name, site, end), f"run {run}"


def test_the_smo_item_form_takes_every_key_of_a_burst(app: Planner) -> None:
    for run in range(RUNS):
        title, owner, url = f"Keywords for the pages, round {run}", f"owner{run}", f"https://kilnandco.example/{run}"
        keys = ["2", "e", *clear(100), title, "Tab", "Tab", *clear(30), owner, "Tab", *clear(60), url, "C-s", "C-s"]
        item = app.saved_after(*keys)["smo"]["items"][0]
        assert (item["id"], item["title"], item["owner"], item["url"]) == ("keyword-research", title, owner, url), (
            f"run {run}"
        )


def test_the_platform_form_takes_every_key_of_a_burst(app: Planner) -> None:
    app.term.keys("3", "Down", "Down")  # X and LinkedIn (not chosen) come first
    app.term.wait_for("Instagram  (instagram)")
    for run in range(RUNS):
        handle, why, cadence = f"@kiln{run}", f"Reason number {run} to be there", 1 + run % 7
        best = [f"tue {8 + run % 10:02d}:30", "daily 18:00"]
        keys = [
            "3",
            "e",
            *clear(30),
            handle,
            "Tab",
            *clear(100),
            why,
            "Tab",
            *clear(5),
            str(cadence),
            "Tab",
            *clear(80),
            ", ".join(best),
            "C-s",
            "C-s",
        ]
        platform = app.saved_after(*keys)["smm"]["platforms"][0]
        assert platform["name"] == "instagram", f"run {run}"
        assert (platform["handle"], platform["why"], platform["cadence"], platform["best_times"]) == (
            handle,
            why,
            cadence,
            best,
        ), f"run {run}"


def test_the_post_form_takes_every_key_of_a_burst(app: Planner) -> None:
    for run in range(RUNS):
        title, time_of_day = f"Teaser take {run}", f"{8 + run % 12:02d}:{run * 7 % 60:02d}"
        # Go to the post's day, edit it (enter), a new title, back to the time (status, format, time), save.
        goto = ["4", "g", *clear(12), "2027-03-16", "Enter"]
        keys = [*goto, "Enter", *clear(60), title, "BTab", "BTab", "BTab", *clear(6), time_of_day, "C-s", "C-s"]
        post = app.saved_after(*keys)["smm"]["posts"][0]
        assert (post["id"], post["title"], f"{post['at']:%Y-%m-%d %H:%M}") == (
            "ig-teaser-glaze",
            title,
            f"2027-03-16 {time_of_day}",
        ), f"run {run}"


def test_the_competitor_form_takes_every_key_of_a_burst(app: Planner) -> None:
    for run in range(RUNS):
        name, handle, cadence = f"Globex {run}", f"@globex{run}", f"{run} posts a week"
        strengths, weaknesses, notes = f"Cheap {run}", f"Slow {run}", f"Loud {run}"
        handles = [handle, "Tab", "Tab", "Tab"]  # a row per chosen platform: only Instagram's is filled in
        keys = [
            "5",
            "a",
            name,
            "Tab",
            "Tab",
            *handles,
            "Tab",
            cadence,
            "Tab",
            strengths,
            "Tab",
            weaknesses,
            "Tab",
            notes,
            "C-s",
            "C-s",
        ]
        competitor = app.saved_after(*keys)["competitors"][-1]
        typed = (name, {"instagram": handle}, cadence, strengths, weaknesses, notes)
        assert (
            tuple(competitor.get(key) for key in ("name", "handles", "cadence", "strengths", "weaknesses", "notes"))
            == typed
        ), f"run {run}"


def test_the_agenda_filter_takes_every_key_of_a_burst(app: Planner) -> None:
    posts = tomllib.loads(app.plan.read_text("utf-8"))["smm"]["posts"]
    platforms = ["instagram", "tiktok", "pinterest"]
    app.term.keys("4", "l")
    app.term.wait_for("Agenda  ")
    for run in range(RUNS):
        platform = platforms[run % len(platforms)]
        # The key after Enter is the agenda's (s: the next sort), not one more letter of the filter.
        app.term.keys("/", *clear(30), f"platform:{platform}", "Enter", "s")
        sort, descending = SORTS[(run + 1) // 2 % len(SORTS)], (run + 1) % 2 == 1
        count = sum(post["platform"] == platform for post in posts)
        title = f"Agenda  {count} of {len(posts)} posts, sorted by {sort} {'▼' if descending else '▲'}"
        screen = app.term.wait_for(title)
        assert f"platform:{platform}s" not in screen, f"run {run}"


def test_go_to_date_takes_every_key_of_a_burst(app: Planner) -> None:
    app.term.keys("4")
    app.term.wait_for("Add post")
    for run in range(RUNS):
        day = dt.date(2028, 1, 1) + dt.timedelta(days=3 * run)
        # The key after Enter is the calendar's (right: the next day), not the dialog's.
        app.term.keys("g", *clear(12), day.isoformat(), "Enter", "Right")
        selected = day + dt.timedelta(days=1)
        app.term.wait_for(f"{selected:%A} {selected.day} {selected:%B %Y}: no posts")
