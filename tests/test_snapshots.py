"""What the screens look like, at the smallest supported size and a large one.

Run `pytest tests/test_snapshots.py --snapshot-update` after a deliberate
change to the look, and check the new SVGs in tests/__snapshots__ by eye.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.app.main import make_app
from planner.settings import Settings

SITE = Path(__file__).resolve().parent / "fixtures" / "site"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def clock() -> datetime:
    return datetime(2027, 3, 10, 12, tzinfo=UTC)


def after(*keys: str):
    """A `run_before` that lets the plan load, presses ``keys``, and waits for what they started."""

    async def run_before(pilot) -> None:
        app = pilot.app
        app.animation_level = "none"
        for _ in range(2):  # loading, then what loading started (checks, the editable tree)
            await app.workers.wait_for_complete()
            await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
        steady_cursors(app)
        await pilot.pause()

    return run_before


def steady_cursors(app) -> None:
    """Show every text cursor: a blinking one is on or off depending on how long the test took."""
    for screen in app.screen_stack:
        for field in screen.query("Input, TextArea"):
            field.cursor_blink = False


def app_for(path: Path):
    return make_app(path, Settings(theme="textual-dark"), clock=clock)


@pytest.mark.parametrize("size", SIZES)
def test_overview(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_smo_checklist_after_ticking_an_item(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("2", "down", "down", "space"))


LAUNCH_DAY = ("g", "ctrl+a", "ctrl+k", *"2027-03-25", "enter")  # go to Thursday 25 March: three posts


@pytest.mark.parametrize("size", SIZES)
def test_the_calendar_month(snap_compare, plan: Path, size) -> None:
    # Today (10 March) in the SMO phase; the launch day selected, its second post highlighted.
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("4", *LAUNCH_DAY, "tab"))


@pytest.mark.parametrize("size", SIZES)
def test_the_calendar_week(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("4", *LAUNCH_DAY, "w"))


@pytest.mark.parametrize("size", SIZES)
def test_the_calendar_agenda_sorted_by_status(snap_compare, plan: Path, size) -> None:
    # s reverses the sort, then sorts by the next column: date ▼, platform ▲ ▼, then status ▲ ▼ (the furthest along first)
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("4", "l", "s", "s", "s", "s", "s", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_the_item_form(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("2", "down", "e"))


@pytest.mark.parametrize("size", SIZES)
def test_the_help_screen(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("2", "question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_a_plan_that_does_not_load(snap_compare, plan: Path, size) -> None:
    text = plan.read_text("utf-8").replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berln"')
    plan.write_text(text.replace("done = true\ndone_on = 2026-11-16", 'done = "yes"\ndone_on = 2026-11-16'), "utf-8")
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_the_export_dialog(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("x", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_the_site_audit_results(snap_compare, plan: Path, size) -> None:
    shutil.copytree(SITE, plan.parent / "site")  # the current folder: pages show as site/...
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("2", "u", *"site", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_platforms_with_a_chosen_one_selected(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("3", "down", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_competitors_with_notes_selected(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("5", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_the_competitor_form(snap_compare, plan: Path, size) -> None:
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("5", "down", "e"))


@pytest.mark.parametrize("size", SIZES)
def test_the_post_editor(snap_compare, plan: Path, size) -> None:
    # enter on the launch day's second post opens it in the post editor
    assert snap_compare(app_for(plan), terminal_size=size, run_before=after("4", *LAUNCH_DAY, "tab", "enter"))


def wednesday() -> datetime:
    return datetime(2027, 3, 17, 11, tzinfo=UTC)  # 12:00 in Berlin: the shop launch's second SMM week


@pytest.mark.parametrize("size", SIZES)
def test_today_opens_with_the_weeks_posts_late_items_and_warnings(snap_compare, plan: Path, size) -> None:
    """The app opens on Today when the week has posts; the cursor is on today's first post."""
    assert snap_compare(
        make_app(plan, Settings(theme="textual-dark"), clock=wednesday), terminal_size=size, run_before=after()
    )
