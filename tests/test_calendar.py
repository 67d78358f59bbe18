"""The calendar (view 4), driven with Textual's Pilot: its keys, its three modes and its edits.

Every edit is undone with ctrl+z, and saving is compared with the file on
bytes. The clock is fixed at NOON (Wednesday 10 March 2027, inside the shop
launch's campaign; SMO runs to 14 March, SMM from 15 March).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from test_app import NOON, changed_lines, running, save, screen_text, settle, status, unsaved
from textual.widgets import Checkbox, Input

from planner.app.calendar.agenda import AgendaList
from planner.app.calendar.days import Shown, add_months, agenda_rows, month_weeks, opening_day, wrap_title
from planner.app.calendar.dialogs import DateDialog, PlatformsDialog
from planner.app.calendar.grids import DayGrid
from planner.app.dialogs import ChoiceDialog
from planner.app.main import PlannerApp, make_app
from planner.app.post_form import PostForm
from planner.app.views.calendar import CalendarView
from planner.plan.model import STATUSES, Post
from planner.plan.plan_file import PlanFile
from planner.plan.post_filter import PostFilter, Vocabulary
from planner.plan.template import new_plan_text
from planner.settings import Settings


def notifications(app: PlannerApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def to_calendar(app: PlannerApp, pilot) -> CalendarView:
    await pilot.press("4")
    await settle(app, pilot)
    view = app.query_one("#calendar", CalendarView)
    assert app.focused is not None and view in app.focused.ancestors_with_self
    return view


def detail(app: PlannerApp) -> str:
    return str(app.query_one("#calendar-detail").content)


def posts_in(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text("utf-8"))["smm"]["posts"]


async def go_to(app: PlannerApp, pilot, day: str) -> None:
    await pilot.press("g")
    await pilot.pause()
    assert isinstance(app.screen, DateDialog)
    app.screen.query_one("#date", Input).value = day
    await pilot.press("enter")
    await settle(app, pilot)


async def undo_restores(app: PlannerApp, pilot, plan: Path, original: bytes) -> None:
    await pilot.press("ctrl+z")
    await settle(app, pilot)
    assert status(app).startswith("Undid: ")
    await save(app, pilot)
    assert plan.read_bytes() == original


# -- the pure part ---------------------------------------------------------------------


def test_months_change_keeping_the_day_clamped_to_the_month() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 12, 15), 1) == dt.date(2028, 1, 15)


def test_a_month_is_whole_weeks_from_the_week_start() -> None:
    weeks = month_weeks(2027, 3, 0)
    assert weeks[0][0] == dt.date(2027, 3, 1) and weeks[-1][-1] == dt.date(2027, 4, 4)
    sunday_weeks = month_weeks(2027, 3, 6)
    assert sunday_weeks[0][0] == dt.date(2027, 2, 28) and all(len(week) == 7 for week in sunday_weeks)


def test_the_calendar_opens_on_today_inside_the_campaign_else_on_the_smm_start(sample) -> None:
    plan = PlanFile.open(sample("shop-launch.toml")).plan
    assert opening_day(plan, dt.date(2027, 4, 2)) == dt.date(2027, 4, 2)
    assert opening_day(plan, dt.date(2026, 11, 26)) == dt.date(2027, 3, 15)
    assert opening_day(plan, dt.date(2027, 9, 1)) == dt.date(2027, 3, 15)


def test_the_agenda_sorts_each_way() -> None:
    posts = [
        Post("a", "instagram", dt.datetime(2027, 3, 2, 9), status="draft", title="Launch day", tags=("launch",)),
        Post("b", "tiktok", dt.datetime(2027, 3, 1, 9), status="idea", title="Glaze", text="the blue glaze"),
        Post("c", "instagram", dt.datetime(2027, 3, 3, 9), status="review", title="Care guide"),
    ]
    where = PostFilter.parse("platform:instagram", Vocabulary.of(plan_of(posts)))
    assert agenda_rows(posts, "date", PostFilter()) == [1, 0, 2]
    assert agenda_rows(posts, "date", PostFilter(), descending=True) == [2, 0, 1]
    assert agenda_rows(posts, "date", where) == [0, 2] and agenda_rows(posts, "date", where, descending=True) == [2, 0]
    assert agenda_rows(posts, "title", PostFilter()) == [2, 1, 0]
    assert agenda_rows(posts, "title", PostFilter(), descending=True) == [0, 1, 2]
    assert agenda_rows(posts, "status", PostFilter()) == [1, 0, 2]
    assert agenda_rows(posts, "status", PostFilter(), descending=True) == [2, 0, 1]


def plan_of(posts: list[Post]):
    from planner.plan.model import Campaign, Plan

    return Plan(Campaign("c", "Etc/UTC", dt.date(2027, 2, 1), dt.date(2027, 4, 30)), dt.date(2027, 2, 14), posts=posts)


def test_a_title_wraps_between_words_and_its_last_line_takes_what_fits() -> None:
    title = "Glaze test: 14 tries to get the Tide blue"
    assert wrap_title(title, 8, 10) == ["Glaze", "test: 14", "tries to", "get the", "Tide blue"]
    assert wrap_title(title, 8, 10, 2) == ["Glaze", "test: 14…"]
    assert wrap_title("Teaser: first kiln", 5, 10) == [
        "",
        "Teaser:",
        "first kiln",
    ]  # the first word fits only under the mark
    assert wrap_title("Teaser: first kiln", 5, 10, 1) == ["Teas…"]  # one line: as much as fits
    assert wrap_title("Supercalifragilistic", 10, 10) == ["Supercalif", "ragilistic"]
    assert wrap_title("微博微博", 3, 3) == [
        "微",
        "博",
        "微",
        "博",
    ]  # wide characters by their cells, one even in a one-cell line
    assert wrap_title("微博", 1, 1) == ["微", "博"]


def test_posts_are_bucketed_by_day_in_time_order(sample) -> None:
    plan = PlanFile.open(sample("shop-launch.toml")).plan
    shown = Shown.of(plan, dt.date(2027, 3, 10), 0)
    ids = [shown.posts[i].id for i in shown.on(dt.date(2027, 3, 25))]
    assert ids == ["ig-launch-day", "ig-launch-story", "tt-launch-live"]  # 09:00, 19:30, 20:00 (not file order)


# -- opening and moving around -----------------------------------------------------------


async def test_it_opens_on_today_when_today_is_in_the_campaign(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        screen = screen_text(app)
        assert "March 2027" in screen
        assert detail(app) == "Wednesday 10 March 2027: no posts"


async def test_it_opens_on_the_smm_start_when_today_is_outside_the_campaign(plan: Path) -> None:
    before = lambda: dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)  # noqa: E731
    async with running(plan, size=(120, 40), clock=before) as (app, pilot):
        await to_calendar(app, pilot)
        assert "March 2027" in screen_text(app)
        assert detail(app) == "Monday 15 March 2027: no posts"


async def test_weeks_start_on_the_users_setting(plan: Path) -> None:
    app = make_app(plan, Settings(week_start="sunday"), clock=lambda: NOON)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await to_calendar(app, pilot)
        header = next(line for line in screen_text(app).splitlines() if "Mon" in line and "Tue" in line)
        assert header.split()[:3] == ["Sun", "Mon", "Tue"]
        await pilot.press("w")
        await settle(app, pilot)
        assert "Sun 7" in screen_text(app) and "Sat 13" in screen_text(app)


async def test_arrows_move_the_selected_day_and_page_keys_the_month(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await pilot.press("right")
        assert detail(app).startswith("Thursday 11 March 2027")
        await pilot.press("down")
        assert detail(app).startswith("Thu 2027-03-18 19:00  instagram  carousel  approved  Behind the wheel")
        await pilot.press("left", "up", "up")
        assert detail(app).startswith("Wednesday 3 March 2027")
        await go_to(app, pilot, "2027-03-31")
        await pilot.press("pagedown")
        assert detail(app).startswith("Friday 30 April 2027")  # the day of the month clamped
        assert "April 2027" in screen_text(app)
        await pilot.press("pageup")
        assert detail(app).startswith("Tue 2027-03-30 19:00  instagram")  # the first post of 30 March
        await pilot.press("pageup")
        assert detail(app).startswith("Sunday 28 February 2027")
        await pilot.press("t")
        assert detail(app).startswith("Wednesday 10 March 2027")


def test_the_weeks_at_the_ends_of_the_calendar_have_no_days_past_them() -> None:
    last = month_weeks(9999, 12, 6)  # weeks from Sunday: 9999-12-31 is a Friday
    assert last[-1] == [dt.date(9999, 12, 26 + i) for i in range(6)] + [None]
    first = month_weeks(1, 1, 6)  # 0001-01-01 is a Monday
    assert first[0] == [None] + [dt.date(1, 1, 1 + i) for i in range(6)]
    assert add_months(dt.date(9999, 12, 15), 1) == dt.date(9999, 12, 15)
    assert add_months(dt.date(1, 1, 15), -1) == dt.date(1, 1, 15)


def far_plan(folder: Path) -> Path:
    """A valid plan whose campaign runs to the last day there is, with a post on it."""
    text = new_plan_text("Far", "Etc/UTC", dt.date(9999, 9, 1)).replace("end = 9999-11-30", "end = 9999-12-31")
    text += '\n[[smm.posts]]\nid = "last"\nplatform = "instagram"\nat = 9999-12-31T23:00:00\ntitle = "The last post there is"\n'
    path = folder / "far.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("week_start", ["monday", "sunday"])
async def test_a_plan_dated_in_december_9999_is_shown_and_the_keys_stop_at_the_end(
    tmp_path: Path, week_start: str
) -> None:
    app = make_app(far_plan(tmp_path), Settings(week_start=week_start), clock=lambda: NOON)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await to_calendar(app, pilot)
        await go_to(app, pilot, "9999-12-31")
        assert "December 9999" in screen_text(app)
        assert "○IG The last" in screen_text(app) and "The last post there is" in detail(app)
        for key in ("right", "down", "pagedown", "w", "right", "pagedown", "m", "l", "down", "m"):
            await pilot.press(key)
            await settle(app, pilot)
        assert app.is_running
        assert "9999-12-31" in detail(app) and "December 9999" in screen_text(app)


@pytest.mark.parametrize("week_start", ["monday", "sunday"])
async def test_the_first_day_there_is_is_shown_and_the_keys_stop_there(plan: Path, week_start: str) -> None:
    app = make_app(plan, Settings(week_start=week_start), clock=lambda: NOON)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await to_calendar(app, pilot)
        await go_to(app, pilot, "0001-01-01")
        for key in ("left", "up", "pageup", "w", "left", "pageup"):
            await pilot.press(key)
            await settle(app, pilot)
        assert detail(app).startswith("Monday 1 January 1: no posts")
        assert ("1 Jan – 7 Jan 1 " if week_start == "monday" else "1 Jan – 6 Jan 1 ") in screen_text(
            app
        )  # the week that starts on Sunday has no Sunday


async def test_go_to_a_date_refuses_a_wrong_one_in_one_line(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await pilot.press("g", "ctrl+a", "ctrl+k", *"2027-02-30", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DateDialog)
        assert str(app.screen.query_one("#date-error").content) == "2027-02-30 is not a day in the calendar."
        await pilot.press("ctrl+a", "ctrl+k", *"christmas", "enter")
        await pilot.pause()
        assert str(app.screen.query_one("#date-error").content) == (
            "Not a date: 'christmas'. Type 2027-12-24, 12-24, dec 24, 24 dec, +3d, -2w, a weekday (fri) or today."
        )
        await pilot.press("escape")
        await pilot.pause()
        assert detail(app).startswith("Wednesday 10 March 2027")


GO_TO = [
    ("03-25", "Thu 2027-03-25 09:00"),  # the nearest 25 March: this one
    ("mar 19", "Fri 2027-03-19 20:00"),
    ("19 march", "Fri 2027-03-19 20:00"),
    ("+9d", "Fri 2027-03-19 20:00"),  # from the selected day, 10 March
    ("+2w", "Wed 2027-03-24 18:00"),
    ("-1w", "Wednesday 3 March 2027"),
    ("fri", "Friday 12 March 2027"),  # the next Friday
    ("thursday", "Thursday 11 March 2027"),
    ("12-24", "Thursday 24 December 2026"),  # the Christmas nearest March 2027 is the one before
    ("dec 24 2027", "Friday 24 December 2027"),
    ("today", "Wednesday 10 March 2027"),
]


async def test_go_to_a_date_takes_the_forms_people_type(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        for typed, shown in GO_TO:
            await pilot.press("t", "g", "ctrl+a", "ctrl+k", *typed, "enter")  # from today, one burst, no pauses
            await settle(app, pilot)
            assert not isinstance(app.screen, DateDialog), typed
            assert detail(app).startswith(shown), (typed, detail(app))


async def test_days_show_their_posts_and_a_count_when_they_do_not_fit(plan: Path) -> None:
    async with running(plan, size=(80, 24)) as (app, pilot):
        await to_calendar(app, pilot)
        screen = screen_text(app)
        assert (
            "◕IG" in screen and "Teaser:…" in screen and "◕TT Glaze" in screen
        )  # a title wraps under its marks where a word does not fit
        assert "+2 more" in screen  # 25 March has three posts and room for one


async def test_tab_cycles_through_the_posts_of_the_selected_day(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-25")
        assert "Launch: Tide is here" in detail(app) and "1/3, tab: next" in detail(app)
        await pilot.press("tab")
        assert "Going live on TikTok" in detail(app)
        await pilot.press("tab", "tab")
        assert "Launch: Tide is here" in detail(app)
        await pilot.press("shift+tab")
        assert "Open studio live" in detail(app)


async def test_posts_before_the_smm_start_are_flagged(plan: Path) -> None:
    plan.write_text(plan.read_text("utf-8").replace("at = 2027-03-16T19:00:00", "at = 2027-03-12T19:00:00"), "utf-8")
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        assert " !◕IG Teaser:" in screen_text(app)
        await go_to(app, pilot, "2027-03-12")
        assert detail(app).startswith("! before the SMM start (2027-03-15)")
        await pilot.press("l")
        await settle(app, pilot)
        assert "! Fri 2027-03-12 19:00 IG instagram" in screen_text(app)


# -- week and agenda ---------------------------------------------------------------------


async def test_the_week_view_lists_posts_with_their_times_and_m_goes_back(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-25")
        await pilot.press("w")
        await settle(app, pilot)
        screen = screen_text(app)
        assert "22 Mar – 28 Mar 2027" in screen
        assert "09:00 ◑IG" in screen and "20:00 ◑TT" in screen and "19:30 ◔IG" in screen
        assert "Launch: Tide is" in screen and "Open studio" in screen  # titles under the times
        await pilot.press("right")
        assert detail(app).startswith("Fri 2027-03-26 20:00  pinterest")
        await pilot.press("m")
        await settle(app, pilot)
        assert "March 2027" in screen_text(app) and detail(app).startswith("Fri 2027-03-26 20:00")


async def test_the_agenda_sorts_and_filters(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        view = await to_calendar(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        agenda = app.query_one("#calendar-list", AgendaList)
        assert app.focused is agenda
        assert "17 posts, sorted by date ▲ oldest first  (s: reverse" in screen_text(app)
        first = next(line for line in screen_text(app).splitlines() if "2027-03-1" in line)
        assert first.split()[:8] == [
            "Tue",
            "2027-03-16",
            "19:00",
            "IG",
            "instagram",
            "reel",
            "◕",
            "approved",
        ]  # the weekday, the marks
        assert detail(app).startswith("Tue 2027-03-16 19:00")  # the first post on or after the selected day
        await pilot.press("down")
        assert detail(app).startswith("Wed 2027-03-17 18:00  tiktok")
        await pilot.press("s")  # the same sort, the other way
        assert "sorted by date ▼ newest first  (s: by platform" in screen_text(app) and "Date▼" in screen_text(app)
        assert [view.shown.posts[i].id for i in view.rows()][:2] == ["pin-gift-guide", "ig-last-call"]
        assert detail(app).startswith("Wed 2027-03-17 18:00  tiktok")  # the selection stays on its post
        await pilot.press("s")
        assert "sorted by platform ▲ A to Z" in screen_text(app) and "Platform▲" in screen_text(app)
        assert detail(app).startswith("Wed 2027-03-17 18:00  tiktok")
        await pilot.press("s", "s", "s", "s")
        assert "sorted by title ▲ A to Z" in screen_text(app)
        assert [view.shown.posts[i].title for i in view.rows()][:2] == ["Behind the wheel", "Care guide in 30 seconds"]
        await pilot.press("s")
        assert "sorted by title ▼ Z to A" in screen_text(app) and "Title▼" in screen_text(app)
        assert [view.shown.posts[i].title for i in view.rows()][-2:] == ["Care guide in 30 seconds", "Behind the wheel"]
        await pilot.press("s")
        assert "sorted by date ▲" in screen_text(app)

        await pilot.press("slash")
        assert app.focused is app.query_one("#calendar-filter", Input)
        await pilot.press(*"platform:tiktok tag:launch")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "2 of 17 posts" in screen_text(app)
        assert [view.shown.posts[i].id for i in view.rows()] == ["tt-launch-unboxing", "tt-launch-live"]
        assert app.focused is agenda
        await pilot.press("escape")
        await settle(app, pilot)
        assert "17 posts, sorted by date" in screen_text(app)
        assert not app.query_one("#calendar-filter", Input).display


async def test_the_agenda_filter_that_matches_nothing_says_so(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await pilot.press("l", "slash", *"status:published")
        await settle(app, pilot)
        assert "No posts match the filter (esc clears it)." in screen_text(app)
        assert "Edit" not in screen_text(app).splitlines()[-1]  # nothing to edit: the key is not offered


@pytest.mark.parametrize(
    ("typed", "said", "count"),
    [
        ("platform:instgram", "no platform 'instgram' — did you mean instagram?", "0 of 17 posts"),
        ("status:drafts", "no status 'drafts' — did you mean draft?", "0 of 17 posts"),
        ("format:reels", "no format 'reels' — did you mean reel?", "0 of 17 posts"),
        ("platform:insta", "platform:insta is instagram", "9 of 17 posts"),
        ("format:reel", "", "2 of 17 posts"),
        ("platform:IG status:DR", "platform:IG is instagram; status:DR is draft", "2 of 17 posts"),
    ],
)
async def test_a_filter_term_that_names_nothing_says_so_and_a_name_is_read_as_the_user_meant(
    plan: Path, typed: str, said: str, count: str
) -> None:
    async with running(plan, size=(80, 24)) as (app, pilot):
        await to_calendar(app, pilot)
        await pilot.press("l", "slash", *typed)
        await settle(app, pilot)
        title = str(app.query_one("#calendar-title").content)
        assert count in title and title.splitlines()[1:] == ([said] if said else [])
        assert said in screen_text(app)  # on the line under the count, whole at 80 columns


# -- status -------------------------------------------------------------------------------


async def test_posts_show_their_status_by_a_mark_and_a_colour_with_a_legend(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        screen = screen_text(app)
        assert "○ idea  ◔ draft  ◑ review  ◕ approved  ● scheduled  ✓ published" in screen  # the legend
        assert "◕IG Teaser:" in screen and "◔IG Countdown" in screen and "○IG Your Easter" in screen
        grid = app.query_one("#calendar-month", DayGrid)
        for theme in ("textual-dark", "textual-light", "nord", "ansi-dark"):
            app.theme = theme
            await pilot.pause()
            colours = [grid.status_style(status).color for status in STATUSES]
            assert None not in colours, theme  # each status has a colour from the theme
            assert len(set(colours)) >= 4, theme  # themes share some colours; the marks tell them apart
        await go_to(app, pilot, "2027-03-16")
        await pilot.press("w")
        await settle(app, pilot)
        assert "18:00 ◕TT" in screen_text(app) and "○ idea  ◔ draft" in screen_text(app)


async def test_n_moves_the_selected_post_to_its_next_status_as_one_undoable_edit(plan: Path) -> None:
    original = plan.read_bytes()
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-25")
        await pilot.press("tab", "n")  # the launch story, a draft
        await settle(app, pilot)
        assert status(app) == "Set “Going live on TikTok” to review"
        assert "story  review  Going live on TikTok" in detail(app) and unsaved(app)
        assert "◑IG Going live" in screen_text(app)
        (edit,) = app.plan_file.unsaved_edits()  # what the crash journal keeps
        assert (edit.key, edit.value) == ("status", "review")
        await save(app, pilot)
        assert changed_lines(original, plan.read_bytes()) == (['status = "draft"'], ['status = "review"'])
        await pilot.press("n", "n", "n")
        await settle(app, pilot)
        assert "story  published  Going live on TikTok" in detail(app) and "✓IG Going live" in screen_text(app)
        await pilot.press("n")  # published is the last: said, not wrapped to idea
        await settle(app, pilot)
        assert status(app) == "“Going live on TikTok” is published, the last status; enter opens the form to change it."
        assert "published" in detail(app)
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")
        await settle(app, pilot)
        assert "story  draft  Going live on TikTok" in detail(app)
        await save(app, pilot)
        assert plan.read_bytes() == original


async def test_n_gives_a_post_without_a_status_its_first_one_in_the_agenda_too(plan: Path) -> None:
    plan.write_text(
        plan.read_text("utf-8").replace(
            'format = "story"\nstatus = "idea"\ntitle = "Last sets', 'format = "story"\ntitle = "Last sets'
        ),
        "utf-8",
    )
    original = plan.read_bytes()
    async with running(plan, size=(80, 24)) as (app, pilot):
        await to_calendar(app, pilot)
        await pilot.press("l", "end", "up", "n")
        await settle(app, pilot)
        assert status(app) == "Set “Last sets of the first batch” to draft"
        assert "◔ draft     Last sets" in screen_text(app)
        await save(app, pilot)
        assert changed_lines(original, plan.read_bytes()) == ([], ['status = "draft"'])


async def test_n_is_in_the_footer_and_the_help_and_not_offered_on_an_empty_day(plan: Path) -> None:
    async with running(plan, size=(80, 24)) as (app, pilot):
        await to_calendar(app, pilot)
        assert "Next status" not in screen_text(app).splitlines()[-1]  # today has no posts
        await pilot.press("n")
        await settle(app, pilot)
        assert not unsaved(app)
        assert notifications(app) == ["No post on Wed 10 Mar to move on to its next status: a adds one."]
        await go_to(app, pilot, "2027-03-16")
        assert "n Next status" in screen_text(app).splitlines()[-1]
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Next status" in screen_text(app)


# -- what fits -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["m", "w", "l"])
async def test_at_80_columns_the_footer_keeps_save_undo_and_help(plan: Path, mode: str) -> None:
    async with running(plan, size=(80, 24)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-25")
        await pilot.press(mode, "greater_than_sign")  # an edit: save and undo are offered
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "^s Save" in footer and "^z Undo" in footer and "? Help" in footer and "^q Quit" in footer
        assert footer.startswith("a Add post ⏎ Edit n Next status")  # the view's keys that fit, most used first


async def test_the_footer_gives_the_views_keys_back_when_the_terminal_grows(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-16")
        await pilot.press("l", "n")
        await settle(app, pilot)
        assert "d Delete" in screen_text(app).splitlines()[-1] and "^p palette" in screen_text(app).splitlines()[-1]
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "d Delete" not in footer and "^s Save" in footer and "? Help" in footer
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert "d Delete" in screen_text(app).splitlines()[-1]


async def test_at_80_columns_a_long_title_wraps_in_the_detail_lines(plan: Path) -> None:
    async with running(plan, size=(80, 24)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-17")
        lines = screen_text(app).splitlines()
        at = next(n for n, line in enumerate(lines) if line.startswith(" Wed 2027-03-17 18:00"))
        both = lines[at].strip() + " " + lines[at + 1].strip()
        assert "Glaze test: 14 tries to get the Tide blue  (tt-glaze-test)" in both


async def test_at_120_columns_the_detail_line_with_a_warning_fits(plan: Path) -> None:
    plan.write_text(
        plan.read_text("utf-8").replace(
            'id = "pin-easter-table"\nplatform = "pinterest"', 'id = "pin-easter-table"\nplatform = "x"'
        ),
        "utf-8",
    )
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-19")
        shown = " ".join(
            line.strip()
            for line in screen_text(app).splitlines()
            if "Easter table" in line or "(pin-easter-table)" in line
        )
        assert "is on x, which is not chosen for this campaign" in shown and "(pin-easter-table)" in shown


async def test_the_week_gives_titles_the_room_it_has(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-17")
        await pilot.press("w")
        await settle(app, pilot)
        screen = screen_text(app)
        assert (
            "Glaze test: 14" in screen and "tries to get the" in screen and "Tide blue" in screen
        )  # the whole title, in 15-cell lines
        x, y = offset_of(app, "#calendar-week", "Tide blue")  # a click on a title's third line selects its post
        await pilot.click("#calendar-week", offset=(x, y))
        assert detail(app).startswith("Wed 2027-03-17 18:00  tiktok")


async def test_every_view_shows_a_platform_by_the_same_mark_from_the_rules_data(plan: Path) -> None:
    text = plan.read_text("utf-8").replace(
        'id = "pin-easter-table"\nplatform = "pinterest"', 'id = "pin-easter-table"\nplatform = "whatsapp"'
    )
    plan.write_text(
        text.replace("# --- Week 1", '[[smm.platforms]]\nname = "whatsapp"\nlabel = "WhatsApp"\n\n# --- Week 1'),
        "utf-8",
    )  # a custom platform
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        assert "◕WH Easter table" in screen_text(app) and "◔PI How to set" in screen_text(app)
        await go_to(app, pilot, "2027-03-19")
        await pilot.press("w")
        await settle(app, pilot)
        assert "20:00 ◕WH" in screen_text(app)
        await pilot.press("l")
        await settle(app, pilot)
        screen = screen_text(app)
        assert "20:00 WH whatsapp" in screen and "20:00 PI pinterest" in screen


# -- edits -------------------------------------------------------------------------------


async def test_a_adds_a_post_on_the_selected_day_through_the_post_form(plan: Path) -> None:
    original = plan.read_bytes()
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-22")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PostForm)
        assert form.query_one("#date", Input).value == "2027-03-22"
        form.query_one("#title", Input).value = "Studio tour"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Add post “Studio tour”"
        assert "Studio tour" in detail(app) and detail(app).startswith("Mon 2027-03-22")  # the new post is selected
        assert "IG Studio tour" in screen_text(app)
        await save(app, pilot)
        removed, added = changed_lines(original, plan.read_bytes())
        assert removed == []
        assert added[:3] == ["", "[[smm.posts]]", 'id = "studio-tour"']
        assert posts_in(plan)[-1]["title"] == "Studio tour"
        assert posts_in(plan)[-1]["at"].date() == dt.date(2027, 3, 22)
        await undo_restores(app, pilot, plan, original)
        assert "Studio tour" not in screen_text(app)


async def test_enter_edits_the_selected_post(plan: Path) -> None:
    original = plan.read_bytes()
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-25")
        await pilot.press("tab", "tab")  # the third post of the day: the TikTok live
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PostForm) and form.query_one("#title", Input).value == "Open studio live"
        form.query_one("#title", Input).value = "Open studio, live"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Edit post “Open studio live”"
        assert "Open studio, live" in detail(app)  # still selected after the edit
        await save(app, pilot)
        assert changed_lines(original, plan.read_bytes()) == (
            ['title = "Open studio live"'],
            ['title = "Open studio, live"'],
        )
        await undo_restores(app, pilot, plan, original)


async def test_cancelling_the_form_changes_nothing(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-16")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert not unsaved(app)


async def test_d_deletes_after_confirmation(plan: Path) -> None:
    original = plan.read_bytes()
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-19")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")  # cancelled: nothing happens
        await settle(app, pilot)
        assert not unsaved(app)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("d")  # the dialog's letter for Delete
        await settle(app, pilot)
        assert status(app) == "Delete post “Easter table in sea blue”"
        assert detail(app) == "Friday 19 March 2027: no posts"
        await save(app, pilot)
        assert "pin-easter-table" not in [p["id"] for p in posts_in(plan)]
        removed, added = changed_lines(original, plan.read_bytes())
        assert added == [] and 'id = "pin-easter-table"' in removed and len(removed) == 11  # blank line, header, 9 keys
        await undo_restores(app, pilot, plan, original)
        assert "Easter table in sea blue" in detail(app)


async def test_edit_keys_are_not_offered_on_a_day_without_posts_and_say_why_nothing_happens(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Add post" in footer and "Delete" not in footer and "Edit" not in footer
        await pilot.press("d", "enter", "greater_than_sign", "c")
        await settle(app, pilot)
        assert not isinstance(app.screen, ChoiceDialog) and not unsaved(app)
        assert notifications(app) == [
            "No post on Wed 10 Mar to delete: a adds one.",
            "No post on Wed 10 Mar to edit: a adds one.",
            "No post on Wed 10 Mar to move: a adds one.",
            "No post on Wed 10 Mar to copy: a adds one.",
        ]
        await go_to(app, pilot, "2027-03-16")
        footer = screen_text(app).splitlines()[-1]
        assert "Delete" in footer and "Edit" in footer
        await pilot.press("l", "slash", *"status:published", "enter", "enter")  # the agenda, nothing matches
        await settle(app, pilot)
        assert notifications(app)[-1] == "No post to edit: none matches the filter (esc clears it)."
        assert not isinstance(app.screen, PostForm)


@pytest.mark.parametrize(
    ("key", "new_at", "label"),
    [
        ("greater_than_sign", "2027-03-17T19:00:00", "Move post “Teaser: first kiln opening” to 2027-03-17"),
        ("less_than_sign", "2027-03-15T19:00:00", "Move post “Teaser: first kiln opening” to 2027-03-15"),
        ("right_square_bracket", "2027-03-23T19:00:00", "Move post “Teaser: first kiln opening” to 2027-03-23"),
        ("left_square_bracket", "2027-03-09T19:00:00", "Move post “Teaser: first kiln opening” to 2027-03-09"),
    ],
)
async def test_moving_the_selected_post_keeps_it_selected(plan: Path, key: str, new_at: str, label: str) -> None:
    original = plan.read_bytes()
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-16")
        await pilot.press(key)
        await settle(app, pilot)
        assert status(app) == label
        assert dt.datetime.fromisoformat(new_at).strftime("%a %Y-%m-%d 19:00  instagram") in detail(app)
        await save(app, pilot)
        assert changed_lines(original, plan.read_bytes()) == (["at = 2027-03-16T19:00:00"], [f"at = {new_at}"])
        await undo_restores(app, pilot, plan, original)
        assert detail(app).startswith("Tue 2027-03-16 19:00")


async def test_c_duplicates_to_the_chosen_platforms_ticked(plan: Path) -> None:
    original = plan.read_bytes()
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-19")  # the Pinterest pin, Friday 20:00, approved
        await pilot.press("c", "ctrl+s")  # nothing ticked: the dialog says so and stays
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PlatformsDialog)
        assert [str(box.label) for box in dialog.query(Checkbox)] == [
            "Instagram",
            "TikTok",
        ]  # the other chosen platforms
        assert "[ ] Instagram" in screen_text(app) and "[ ] TikTok" in screen_text(app)
        await pilot.press("space", "down", "space", "up", "space")  # ↑ ↓ move between the boxes
        await pilot.pause()
        assert "[ ] Instagram" in screen_text(app) and "[x] TikTok" in screen_text(app)  # a tick shows without colour
        await pilot.press("space", "ctrl+s")
        await settle(app, pilot)
        assert (
            status(app)
            == "Duplicate post “Easter table in sea blue” to instagram (2027-03-28 10:00), tiktok (2027-03-20 11:00) as drafts"
        )
        assert "◔TT Easter table" in screen_text(app) and "◔IG Easter" in screen_text(
            app
        )  # drafts, on Saturday 20 and Sunday 28
        await save(app, pilot)
        saved = posts_in(plan)
        assert [p["id"] for p in saved[-2:]] == ["pin-easter-table-instagram", "pin-easter-table-tiktok"]
        # Each at its platform's next free best time after Friday 20:00 (tiktok sat 11:00; instagram's sun 10:00,
        # tue 19:00 and thu 19:00 have posts, sun 28 10:00 is free), as a draft.
        assert [(p["platform"], p["at"], p["status"]) for p in saved[-2:]] == [
            ("instagram", dt.datetime(2027, 3, 28, 10), "draft"),
            ("tiktok", dt.datetime(2027, 3, 20, 11), "draft"),
        ]
        removed, added = changed_lines(original, plan.read_bytes())
        assert removed == [] and added.count("[[smm.posts]]") == 2
        await undo_restores(app, pilot, plan, original)


async def test_a_copy_over_its_new_platforms_limit_is_said_at_once(plan: Path) -> None:
    text = plan.read_text("utf-8").replace(
        'name = "pinterest"', 'name = "pinterest"\ntext_limit = 40', 1
    )  # the plan's own limit
    plan.write_text(text, "utf-8")
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-16")  # the Instagram reel, 131 characters
        await pilot.press("c", "down", "space", "ctrl+s")  # tick Pinterest only
        await pilot.pause()
        assert "The copy on Pinterest is over its limits: text 131/40; shorten it in the post editor." in notifications(
            app
        )
        await settle(app, pilot)
        await go_to(app, pilot, "2027-03-21")  # Pinterest's next free best time, sun 20:00
        await pilot.press("tab")  # after the story at 10:00
        assert detail(app).startswith(
            "⚠ text is 131 characters; pinterest allows 40 · Sun 2027-03-21 20:00  pinterest  pin  draft"
        )


async def test_c_says_so_when_no_other_platform_is_chosen(plan: Path) -> None:
    text = plan.read_text("utf-8")
    start, end = text.index('[[smm.platforms]]\nname = "tiktok"'), text.index("# --- Week 1")
    plan.write_text(text[:start] + text[end:], "utf-8")  # only Instagram is chosen now
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-16")
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, PlatformsDialog)
        assert status(app) == "No other chosen platform to copy it to: choose platforms in view 3."


async def test_the_agenda_edits_its_selected_post(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await pilot.press("l", "end")
        await settle(app, pilot)
        assert "pin-gift-guide" in detail(app)
        await pilot.press("less_than_sign")
        await settle(app, pilot)
        assert status(app) == "Move post “Handmade gifts for people who cook” to 2027-04-03"
        assert "pin-gift-guide" in detail(app)
        agenda = app.query_one("#calendar-list", AgendaList)
        assert agenda.cursor == len(agenda.rows) - 2  # before ig-last-call now, and still selected


# -- large plans -------------------------------------------------------------------------


def many_posts(plan: Path, count: int) -> None:
    """Replace the sample's posts with ``count`` generated ones over three weeks of SMM."""
    text = plan.read_text("utf-8")
    head, tail = text[: text.index("# --- Week 1")], text[text.index("# Who else our customers follow.") :]
    start = dt.datetime(2027, 3, 15, 8)
    posts = []
    for i in range(count):
        at = start + dt.timedelta(days=i % 21, minutes=(7 * i) % 600)
        posts.append(
            f'[[smm.posts]]\nid = "p{i}"\nplatform = "{("instagram", "tiktok", "pinterest")[i % 3]}"\nat = {at:%Y-%m-%dT%H:%M:%S}\ntitle = "Post {i}"\n'
        )
    plan.write_text(head + "\n".join(posts) + "\n" + tail, "utf-8")


async def test_moving_around_a_large_plan_buckets_and_lists_its_posts_only_once(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys neither bucket every post by day again nor make the agenda's rows again, and the agenda has no widget per post.

    (How long a key takes is measured by the benchmarks, not here.)
    """
    many_posts(plan, 3000)
    import planner.app.views.calendar as calendar_view

    calls = {"shown": 0, "rows": 0}
    shown_of, rows_of = Shown.of.__func__, calendar_view.agenda_rows

    def counting_shown(cls, *args):
        calls["shown"] += 1
        return shown_of(cls, *args)

    def counting_rows(*args):
        calls["rows"] += 1
        return rows_of(*args)

    monkeypatch.setattr(Shown, "of", classmethod(counting_shown))
    monkeypatch.setattr(calendar_view, "agenda_rows", counting_rows)
    async with running(plan, size=(80, 24)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-16")
        assert "+" in screen_text(app) and "more" in screen_text(app)
        before = dict(calls)
        await pilot.press("right", "down", "pagedown", "pageup", "tab", "w", "left", "m", "t")
        await pilot.press("l", "down", "down", "pagedown", "end", "home")
        await settle(app, pilot)
        assert calls["shown"] == before["shown"]  # posts are bucketed once per show, not per key
        assert calls["rows"] == before["rows"] + 1  # the agenda's rows are made once, when it is opened
        agenda = app.query_one("#calendar-list", AgendaList)
        assert len(agenda.rows) == 3000 and not agenda.children  # lines drawn on demand, no widget per post
        assert detail(app).startswith("Mon 2027-03-15 08:00  instagram")


async def test_moving_the_selection_leaves_the_screen_as_a_full_redraw_draws_it(plan: Path) -> None:
    """An arrow key redraws only the cells or rows it changes; what is left on screen must not be stale."""

    async def redrawn_in_full() -> str:
        await pilot.resize_terminal(121, 40)  # a new size draws every line afresh
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        return app.export_screenshot()

    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        for keys in (
            ("right", "right", "down", "left"),
            ("down", "tab", "up", "up"),
            ("w", "right", "tab", "left"),
            ("m", "l", "down", "down", "up"),
        ):
            await pilot.press(*keys)
            await settle(app, pilot)
            moved = app.export_screenshot()
            assert moved == await redrawn_in_full(), keys


# -- the mouse ---------------------------------------------------------------------------


def offset_of(app: PlannerApp, widget_id: str, text: str) -> tuple[int, int]:
    """Where ``text`` is drawn, relative to the widget ``widget_id``."""
    region = app.query_one(widget_id).region
    for y, line in enumerate(screen_text(app).splitlines()):
        if text in line and region.y <= y < region.bottom:
            return line.index(text) - region.x, y - region.y
    raise AssertionError(f"{text!r} is not in {widget_id}")


async def test_a_click_selects_a_day_or_a_post_and_a_double_click_edits_it(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        x, y = offset_of(app, "#calendar-month", "PI")  # 19 March's pin, the first Pinterest post
        await pilot.click("#calendar-month", offset=(x, y))
        assert detail(app).startswith("Fri 2027-03-19 20:00  pinterest")
        await pilot.click("#calendar-month", offset=(x, y + 2))  # an empty line of the same day
        assert detail(app).startswith("Fri 2027-03-19 20:00  pinterest")  # the day is selected, with its post
        await pilot.click("#calendar-month", offset=(x + 20, y))  # the Saturday next to it: no posts
        assert detail(app) == "Saturday 20 March 2027: no posts"
        await pilot.double_click("#calendar-month", offset=(x, y))
        await pilot.pause()
        assert (
            isinstance(app.screen, PostForm)
            and app.screen.query_one("#title", Input).value == "Easter table in sea blue"
        )
        await pilot.press("escape")
        await pilot.press("w")
        await settle(app, pilot)
        x, y = offset_of(app, "#calendar-week", "20:00")
        await pilot.click("#calendar-week", offset=(x, y + 1))  # the title under the time
        assert detail(app).startswith("Fri 2027-03-19 20:00  pinterest")

        await pilot.press("l")
        await settle(app, pilot)
        x, y = offset_of(app, "#calendar-list", "Open studio live")
        await pilot.click("#calendar-list", offset=(x, y))
        assert "Open studio live" in detail(app)
        await pilot.double_click("#calendar-list", offset=(x, y))
        await pilot.pause()
        assert isinstance(app.screen, PostForm) and app.screen.query_one("#title", Input).value == "Open studio live"


async def test_tab_on_a_day_without_posts_keeps_the_focus_in_the_grid(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await pilot.press("tab")
        assert app.focused is app.query_one("#calendar-month")
        await pilot.press("right")
        assert detail(app).startswith("Thursday 11 March 2027")


async def test_the_selected_post_shows_what_planner_check_says_about_it(plan: Path) -> None:
    plan.write_text(
        plan.read_text("utf-8").replace(
            'id = "pin-easter-table"\nplatform = "pinterest"', 'id = "pin-easter-table"\nplatform = "x"'
        ),
        "utf-8",
    )
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        await go_to(app, pilot, "2027-03-19")
        assert detail(app).startswith(
            "⚠ post “Easter table in sea blue” is on x, which is not chosen for this campaign · Fri 2027-03-19 20:00  x"
        )
        await pilot.press("left")
        assert "⚠" not in detail(app)


async def test_a_mouse_selection_in_the_month_copies_its_text(plan: Path) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_calendar(app, pilot)
        grid = app.query_one("#calendar-month")
        await pilot.mouse_down(grid, offset=(0, 0))
        await pilot.hover(grid, offset=(40, 1))
        await pilot.mouse_up(grid, offset=(40, 1))
        await pilot.pause()
        selected = app.screen.get_selected_text() or ""
        assert "Mon" in selected and "Tue" in selected, selected
