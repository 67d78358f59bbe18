"""What the review gates look like in git (issue 17): the calendar with a post marked as changed since
the last commit, and a post's history, at the smallest supported size and a large one.

The repositories are made with fixed dates, so the commits' hashes are the
same on every run. Run with ``--snapshot-update`` after a deliberate change,
and look at the new SVGs.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES
from test_snapshots import LAUNCH_DAY, SIZES, clock, steady_cursors

from planner.app.history_screen import HistoryScreen
from planner.app.main import make_app
from planner.settings import Settings


@pytest.fixture
def repo_plan(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shop launch committed, then its launch post retitled in a second commit (fixed dates: fixed hashes)."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2027-03-01T09:30:00+01:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2027-03-01T09:30:00+01:00")
    plan = git_repo / "shop-launch.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", plan)
    git(git_repo, "add", "shop-launch.toml")
    git(git_repo, "commit", "-qm", "The shop launch plan")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2027-03-02T16:05:00+01:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2027-03-02T16:05:00+01:00")
    plan.write_text(
        plan.read_text("utf-8").replace('title = "Launch: Tide is here"', 'title = "Tide is here"'), "utf-8"
    )
    git(git_repo, "commit", "-qam", "Shorter launch title")
    monkeypatch.chdir(git_repo)  # the header shows the plan's path relative to here
    return plan


def waiting_for(condition, *keys: str):
    """A `run_before` that lets the plan load, presses ``keys`` and waits until ``condition(app)``."""

    async def run_before(pilot) -> None:
        app = pilot.app
        app.animation_level = "none"
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press(*keys)
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if condition(app):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the screen never got there")
        steady_cursors(app)
        await pilot.pause()

    return run_before


def app_for(path: Path):
    return make_app(path, Settings(theme="textual-dark"), clock=clock)


@pytest.mark.parametrize("mode", [pytest.param((), id="month"), pytest.param(("l",), id="agenda")])
@pytest.mark.parametrize("size", SIZES)
def test_the_calendar_marks_a_post_changed_since_the_last_commit(snap_compare, repo_plan: Path, size, mode) -> None:
    # The launch post moved a day (to Friday 26 March): marked *, the legend (in the month) says what * means.
    marked = lambda app: app.git_changes is not None and app.git_changes.count == 1  # noqa: E731
    assert snap_compare(
        app_for(repo_plan),
        terminal_size=size,
        run_before=waiting_for(marked, "4", *LAUNCH_DAY, "greater_than_sign", *mode),
    )


@pytest.mark.parametrize("size", SIZES)
def test_a_posts_history(snap_compare, repo_plan: Path, size) -> None:
    read = lambda app: isinstance(app.screen, HistoryScreen) and app.screen.read  # noqa: E731
    assert snap_compare(app_for(repo_plan), terminal_size=size, run_before=waiting_for(read, "4", *LAUNCH_DAY, "h"))
