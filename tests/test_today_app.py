"""The Today view (key 0): what it shows, where its lines lead, when the app opens on it, and midnight."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path

from planner import places
from planner.app.main import PlannerApp, make_app
from planner.app.post_form import PostForm
from planner.app.views.today import TodayList
from planner.places import Place
from planner.settings import Settings

UTC = dt.UTC
WEDNESDAY = dt.datetime(2027, 3, 17, 11, tzinfo=UTC)  # 12:00 in Berlin, the shop launch's second SMM week
QUIET = dt.datetime(2027, 3, 10, 11, tzinfo=UTC)  # a week without posts (SMO still running)


class Clock:
    """A clock the test moves."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@contextlib.asynccontextmanager
async def running(
    path: Path, clock=lambda: WEDNESDAY, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[PlannerApp, object]]:
    app = make_app(path, Settings(), clock=clock)
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        yield app, pilot


def lines(app: PlannerApp) -> list[str]:
    option_list = app.query_one("#today-list", TodayList)
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


def highlighted(app: PlannerApp) -> str:
    option_list = app.query_one("#today-list", TodayList)
    return str(option_list.get_option_at_index(option_list.highlighted).prompt)


async def select_line(app: PlannerApp, pilot, starting: str) -> None:
    """Move the cursor down to the first line that starts with ``starting`` (stripped)."""
    for _ in range(60):
        if highlighted(app).strip().startswith(starting):
            return
        await pilot.press("down")
    raise AssertionError(f"no line starts with {starting!r}: {lines(app)}")


async def wait_for(pilot, condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def test_the_app_opens_on_today_when_the_plan_has_posts_this_week(plan: Path) -> None:
    async with running(plan) as (app, _):
        assert app.current_view == "today"
        assert (
            str(app.query_one("#today-title").content)
            == "Wednesday 17 March 2027, 12:00 in Europe/Berlin · this week 15 Mar to 21 Mar"
        )
        shown = lines(app)
        assert shown[:2] == [
            "Today (1 post)",
            "  18:00  ◕ approved   TT  video     Glaze test: 14 tries to get the Tide blue",
        ]
        assert shown[2] == "This week (4 more posts)"
        assert shown[3].startswith("  Tue 16  19:00  ◕ approved   IG  reel      Teaser: first kiln opening") and shown[
            3
        ].endswith("(past)")
        assert "Late SMO items (7; SMO was due 2027-03-14, 3 days ago)" in shown
        assert any(line.startswith("  line 15: SMM started on 2027-03-15") for line in shown)
        assert highlighted(app).strip().startswith("18:00")  # the first line, not a heading


async def test_a_week_without_posts_opens_on_the_overview(plan: Path) -> None:
    async with running(plan, clock=lambda: QUIET) as (app, pilot):
        assert app.current_view == "overview"
        await pilot.press("0")
        assert app.current_view == "today"
        assert lines(app)[:2] == ["Today (0 posts)", "  No posts today."]


async def test_where_the_plan_was_left_earlier_today_wins_over_today(plan: Path) -> None:
    places.write(
        plan, Place("competitors", {}), dt.datetime(2027, 3, 16, 23, 30, tzinfo=UTC)
    )  # 00:30 on the 17th in Berlin
    async with running(plan) as (app, _):
        assert app.current_view == "competitors"
    places.write(
        plan, Place("competitors", {}), dt.datetime(2027, 3, 16, 22, 30, tzinfo=UTC)
    )  # 23:30 on the 16th in Berlin
    async with running(plan) as (app, _):
        assert app.current_view == "today"


async def test_a_post_opens_selected_in_the_calendar_and_e_opens_its_editor(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await select_line(app, pilot, "Thu 18")
        await pilot.press("enter")
        assert app.current_view == "calendar"
        assert app.query_one("#calendar").selection_state()["post"] == "ig-behind-the-wheel"
        await pilot.press("0")
        assert app.current_view == "today"
        await select_line(app, pilot, "18:00")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, PostForm))
        assert app.current_view == "calendar"
        assert app.query_one("#calendar").selection_state()["post"] == "tt-glaze-test"


async def test_an_smo_item_opens_in_the_checklist_and_a_warning_at_its_entry(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await select_line(app, pilot, "Alt text on all product photos")
        await pilot.press("enter")
        assert app.current_view == "smo"
        assert app.query_one("#smo").selection_state() == {"item": "image-alt-text"}
        await pilot.press("0")
        await select_line(app, pilot, "line 15:")
        await pilot.press("e")  # not a post: nothing to edit
        assert app.current_view == "today"
        await pilot.press("enter")
        assert app.current_view == "overview"  # smo.due is the campaign's, shown in the overview


async def test_a_platform_short_of_its_cadence_opens_in_the_platforms_view(plan: Path) -> None:
    text = plan.read_text("utf-8")
    plan.write_text(
        text.replace('product photos do the selling"\ncadence = 2', 'product photos do the selling"\ncadence = 9', 1),
        "utf-8",
    )
    async with running(plan) as (app, pilot):
        assert "Short of their cadence this week (1)" in lines(app)
        await select_line(app, pilot, "instagram: 3 posts this week, cadence 9")
        await pilot.press("enter")
        assert app.current_view == "platforms"
        assert app.query_one("#platforms").selection_state() == {"platform": "instagram"}


async def test_the_day_changes_at_midnight_in_the_campaigns_time_zone(plan: Path) -> None:
    clock = Clock(dt.datetime(2027, 3, 17, 22, 59, 59, 700_000, tzinfo=UTC))  # 23:59:59.7 in Berlin
    async with running(plan, clock=clock) as (app, pilot):
        assert lines(app)[1].startswith("  18:00  ◕ approved   TT  video     Glaze test")
        await pilot.press("4")  # midnight comes while another view is shown
        clock.now = dt.datetime(
            2027, 3, 17, 23, 0, 0, 100_000, tzinfo=UTC
        )  # 00:00:00.1 on Thursday in Berlin (still Wednesday in UTC)
        await wait_for(
            pilot, lambda: app.query_one("#calendar").shown.today == dt.date(2027, 3, 18)
        )  # the calendar marks the new day
        await pilot.press("0")
        assert str(app.query_one("#today-title").content).startswith("Thursday 18 March 2027, 00:00")
        assert lines(app)[1].startswith("  19:00  ◕ approved   IG  carousel  Behind the wheel")


async def test_a_title_cannot_drive_the_terminal(plan: Path) -> None:
    text = plan.read_text("utf-8")
    plan.write_text(
        text.replace('title = "Behind the wheel"', 'title = "Behind\\u001b]52;c;cHduZWQ=\\u0007 wheel"'), "utf-8"
    )
    async with running(plan) as (app, _):
        shown = "\n".join(lines(app))
        assert "\x1b" not in shown and "\x07" not in shown
        assert "Behind^[]52;c;cHduZWQ=^G wheel" in shown


async def test_a_post_waiting_for_approval_is_listed_and_opens_in_the_calendar(plan: Path) -> None:
    thursday = dt.datetime(2027, 3, 18, 11, tzinfo=UTC)  # Sunday's draft story goes out in 3 days
    async with running(plan, clock=lambda: thursday) as (app, pilot):
        shown = lines(app)
        waiting = shown.index("Waiting for you (1: going out within 3 days, not approved or scheduled)")
        assert shown[waiting + 1] == "  Sun 21  10:00  ◔ draft      IG  story     Countdown sticker  in 3 days"
        assert "Warnings (1)" in shown and "  line 15: " + "SMM started on 2027-03-15" in shown[-1]
        for _ in range(len(shown)):
            if app.query_one("#today").selected() is not None and highlighted(app) == shown[waiting + 1]:
                break
            await pilot.press("down")
        assert "enter: open it in the calendar (e: its editor)" in str(app.query_one("#today-detail").content)
        await pilot.press("enter")
        assert app.current_view == "calendar"
        assert app.query_one("#calendar").selection_state() == {
            "mode": "month",
            "day": "2027-03-21",
            "post": "ig-countdown-story",
        }
