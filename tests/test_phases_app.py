"""The phases' dates in the app, driven with Textual's Pilot: the SMM start, the questions when the SMO due
date or the campaign start move, shifting posts, reopening where a plan was left, and what the quit
dialog says is unsaved.

The rules (what is asked, what each answer changes) are tested without the app in test_phases.py,
test_session.py and test_places.py; here the app asks, applies, and saves the bytes those rules give.
The clock is fixed at NOON (Wednesday 10 March 2027, inside the shop launch: SMO due Sunday 14 March,
no smm.start, so SMM starts on the 15th).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from test_app import changed_lines, running, save, screen_text, settle, status, unsaved
from textual.command import CommandList, CommandPalette
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select

from planner import locations, places
from planner.app.dialogs import ChoiceDialog, DayDialog
from planner.app.main import PlannerApp
from planner.app.shift_dialog import ShiftDialog
from planner.app.views.calendar import CalendarView
from planner.plan.lock import PlanLock

DUE_LINE = "due = 2027-03-14                 # Sunday, so the calendar starts on a Monday"


async def until(app: PlannerApp, pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


async def command(app: PlannerApp, pilot, words: str) -> None:
    """Run the palette's command that ``words`` finds first (the palette searches in the background)."""
    await pilot.press("ctrl+p", *words)
    assert isinstance(app.screen, CommandPalette)
    found = app.screen.query_one(CommandList)
    await until(app, pilot, lambda: found.highlighted == 0 and words in str(found.get_option_at_index(0).prompt))
    await pilot.press("enter")
    await settle(app, pilot)


def notifications(app: PlannerApp) -> list[str]:
    return [notification.message for notification in app._notifications]


# -- the SMM start ------------------------------------------------------------------------------


async def test_the_smm_start_is_edited_in_the_overview_form(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        field = app.query_one("#campaign-smm_start", Input)
        assert field.value == "2027-03-15"  # the day after SMO is due, though the plan does not say so
        await pilot.press("e", *["tab"] * 5, "enter")  # confirming the date it shows writes nothing
        assert app.focused is field and not unsaved(app)
        await pilot.press("ctrl+a", "ctrl+k", *"16 March", "enter")
        assert str(app.query_one("#campaign-smm_start-error").content) == "Write a date as YYYY-MM-DD."
        assert not unsaved(app)
        await pilot.press("ctrl+a", "ctrl+k", *"2027-03-16", "enter")
        assert status(app) == "Set the SMM start to 2027-03-16"
        assert "SMM starts  2027-03-16" in str(app.query_one("#phase-dates").content)
        await save(app, pilot)
        assert changed_lines(before, plan.read_bytes()) == ([], ["start = 2027-03-16"])
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: set the SMM start to 2027-03-16"
        assert field.value == "2027-03-15"
        await save(app, pilot)
        assert plan.read_bytes() == before


async def test_the_smm_start_is_set_from_the_command_palette(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("4")  # from any view
        await command(app, pilot, "Set the SMM start")
        assert isinstance(app.screen, DayDialog)
        assert app.screen.query_one("#path", Input).value == "2027-03-15"
        await pilot.press("ctrl+a", "ctrl+k", *"next monday", "enter")
        assert "Type the date as YYYY-MM-DD" in str(app.screen.query_one("#error").content)
        await pilot.press("ctrl+a", "ctrl+k", *"2027-03-22", "enter")
        assert status(app) == "Set the SMM start to 2027-03-22"
        assert app.plan_file.plan.smm_start_set.isoformat() == "2027-03-22"
        await command(app, pilot, "Set the SMM start")
        await pilot.press("enter")  # the date it has
        assert status(app) == "SMM starts on 2027-03-22 already."


# -- moving the SMO due date ---------------------------------------------------------------------


async def test_moving_the_smo_due_date_can_keep_the_smm_start_or_be_cancelled(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await pilot.press("2", "t", "ctrl+a", "ctrl+k", *"2027-03-12", "enter")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog) and dialog.title_text == "Move the SMO due date"
        assert (
            dialog.message
            == "The SMO due date moves from 2027-03-14 to 2027-03-12 (2 days earlier). SMM starts on 2027-03-15: move it to 2027-03-13 too?"
        )
        assert dialog.default == "both"
        await pilot.press("escape")  # cancelled: the field shows the plan's date again
        assert not unsaved(app) and app.query_one("#smo-due", Input).value == "2027-03-14"

        await pilot.press("t", "ctrl+a", "ctrl+k", *"2027-03-12", "enter", "k")  # keep the SMM start
        assert status(app) == "Move the SMO due date to 2027-03-12"
        await save(app, pilot)
        assert changed_lines(before, plan.read_bytes()) == (
            [DUE_LINE],
            [DUE_LINE.replace("03-14", "03-12"), "start = 2027-03-15"],
        )
        await pilot.press("ctrl+z")  # one step takes both back
        await save(app, pilot)
        assert plan.read_bytes() == before


# -- moving the campaign start ---------------------------------------------------------------------


async def test_moving_the_campaign_start_shifts_everything_in_one_undoable_step(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await pilot.press("e", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"2027-03-08", "enter")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog) and dialog.title_text == "Move the campaign start"
        assert (
            "Shift the SMO due date to 2027-03-21, the SMM start to 2027-03-22 and all 17 posts by 7 days too"
            in dialog.message
        )
        await pilot.press("s")  # shift everything
        await settle(app, pilot)
        assert status(app) == "Move the campaign start, SMO, SMM and 17 posts 7 days later"
        (note,) = notifications(app)
        assert note.startswith(
            "6 posts land outside the campaign (2027-03-08 to 2027-04-04):\n  Your Easter tables (instagram): 2027-04-06 19:00\n"
        )
        assert app.plan_file.plan.posts[0].at.isoformat() == "2027-03-23T19:00:00"
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert len(removed) == len(added) == 19  # the start, the due date and 17 posts' times, nothing else
        assert removed[:2] == ["start = 2027-03-01", DUE_LINE]
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: move the campaign start, SMO, SMM and 17 posts 7 days later"
        await save(app, pilot)
        assert plan.read_bytes() == before


async def test_moving_only_the_campaign_start_changes_one_line(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await pilot.press("e", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"2027-02-26", "enter", "o")
        assert status(app) == "Move the campaign start to 2027-02-26"
        await save(app, pilot)
        assert changed_lines(before, plan.read_bytes()) == (["start = 2027-03-01"], ["start = 2027-02-26"])


async def test_saving_with_a_moved_start_typed_asks_first_then_saves(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("e", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"2027-03-02", "ctrl+s")
        assert isinstance(app.screen, ChoiceDialog) and app.screen.title_text == "Move the campaign start"
        await pilot.press("s")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml" and not unsaved(app)
        assert "due = 2027-03-15" in plan.read_text("utf-8")


async def test_quitting_with_a_moved_start_typed_asks_first_then_names_the_edit(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("e", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"2027-03-02", "ctrl+q")
        assert isinstance(app.screen, ChoiceDialog) and app.screen.title_text == "Move the campaign start"
        await pilot.press("o")  # only the start
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.message == "1 unsaved edit: moved the campaign start to 2027-03-02. Save it before quitting?"
        await pilot.press("c")
        assert app.is_running


# -- shifting posts ---------------------------------------------------------------------------------


async def test_shift_moves_the_posts_from_a_date_on_in_one_undoable_step(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await pilot.press("4", "S")
        dialog = app.screen
        assert isinstance(dialog, ShiftDialog)
        await pilot.press("enter")
        assert str(dialog.query_one("#shift-preview").content) == "Say how far: 3 (days), -2 (earlier), 1w or 2 weeks."
        await pilot.press(*"1 month")
        assert "“1 month” is not a number of days or weeks" in str(dialog.query_one("#shift-preview").content)
        await pilot.press(*["backspace"] * 7, *"1w", "tab", *"2027-03-25")
        assert (
            str(dialog.query_one("#shift-preview").content)
            == "Moves 10 posts 1 week later, each at its time of day; one undo takes it back."
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Shift 10 posts from 2027-03-25 7 days later"
        assert any(message.startswith("6 posts land outside the campaign") for message in notifications(app))
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert len(removed) == 10 and all(line.startswith("at = ") for line in removed + added)
        assert "at = 2027-04-01T09:00:00" in added  # launch day, a week later at the same time
        await pilot.press("ctrl+z")
        await save(app, pilot)
        assert plan.read_bytes() == before


async def test_shift_moves_the_posts_of_one_platform_from_the_palette(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await command(app, pilot, "Shift posts")
        dialog = app.screen
        assert isinstance(dialog, ShiftDialog)
        platforms = dialog.query_one("#shift-platform", Select)
        assert [str(label) for label, _ in platforms._options] == [
            "All platforms",
            "Instagram (9 posts)",
            "TikTok (4 posts)",
            "Pinterest (4 posts)",
        ]
        platforms.value = "tiktok"
        await pilot.press(*"-2", "enter")
        await settle(app, pilot)
        assert status(app) == "Shift 4 posts on tiktok 2 days earlier"
        assert [post.at.day for post in app.plan_file.plan.posts if post.platform == "tiktok"] == [15, 22, 23, 29]
        assert not notifications(app)  # nothing lands before the SMM start or outside the campaign


async def test_a_shift_that_is_cancelled_changes_nothing(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("4", "S", *"3", "escape")
        assert not isinstance(app.screen, ShiftDialog) and not unsaved(app)


# -- reopening where the plan was left -----------------------------------------------------------------


async def test_the_plan_reopens_on_the_view_and_post_it_was_left_on(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await pilot.press("4", "w")
        view = app.query_one("#calendar", CalendarView)
        view.select_post(next(n for n, post in enumerate(app.plan_file.plan.posts) if post.id == "tt-launch-live"))
        view.redraw()
        await pilot.press("ctrl+q")
    assert plan.read_bytes() == before  # kept in the state folder, never in the plan
    assert places.read(plan)[0] == places.Place(
        "calendar", {"mode": "week", "day": "2027-03-25", "post": "tt-launch-live"}
    )
    async with running(plan) as (app, pilot):
        assert app.current_view == "calendar"
        view = app.query_one("#calendar", CalendarView)
        assert view.mode == "week" and view.selected_post().id == "tt-launch-live"
        assert app.focused is app.query_one("#calendar-week")


async def test_an_item_that_is_gone_falls_back_to_the_first_and_the_view_stays(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("2")
        option_list = app.query_one("#smo-list", OptionList)
        option_list.highlighted = option_list.get_option_index("og-tags")
        await pilot.pause()
        await pilot.press("ctrl+q")
    async with running(plan) as (app, pilot):
        assert app.current_view == "smo" and app.query_one("#smo").selected()[1].id == "og-tags"
        await pilot.press("ctrl+q")
    text = plan.read_text("utf-8")
    plan.write_text(text.replace('id = "og-tags"', 'id = "open-graph"'), "utf-8")  # renamed by a teammate
    async with running(plan) as (app, pilot):
        assert app.current_view == "smo"
        assert app.query_one("#smo").selected()[1].id == "keyword-research"
        assert app.focused is app.query_one("#smo-list", OptionList)


async def test_a_damaged_places_file_opens_on_the_overview_with_one_line(plan: Path) -> None:
    target = locations.places_file()
    target.parent.mkdir(parents=True)
    target.write_text("{ damaged", "utf-8")
    async with running(plan) as (app, pilot):
        assert app.current_view == "overview"
        (note,) = notifications(app)
        assert note.startswith(f"{target}: damaged (") and "\n" not in note
        await pilot.press("5", "ctrl+q")
    assert places.read(plan) == (places.Place("competitors", {"competitor": "Claywork Studio"}), None)


async def test_a_view_that_no_longer_exists_opens_on_the_overview(plan: Path) -> None:
    places.write(plan, places.Place("audience", {"row": "3"}), dt.datetime.now(dt.UTC))
    async with running(plan) as (app, _pilot):
        assert app.current_view == "overview" and not notifications(app)
        assert "Tide collection launch" in screen_text(app)


async def test_read_only_says_so_at_once_for_the_shift_and_the_smm_start(plan: Path) -> None:
    other = PlanLock(plan)
    assert other.acquire()
    refused = "Read-only: shop-launch.toml is open in another planner; not changed."
    try:
        async with running(plan) as (app, pilot):
            await pilot.press("r")  # Read-only
            await settle(app, pilot)
            await pilot.press("4")
            for words in ("", "Shift posts", "Set the SMM start"):
                app.clear_notifications()  # each is told once (a slow machine may outlast a notification's timeout)
                if words:
                    await command(app, pilot, words)
                else:
                    await pilot.press("S")
                    await settle(app, pilot)
                assert not isinstance(app.screen, ModalScreen), words
                assert notifications(app) == [refused], words
    finally:
        other.release()
