"""Moving the phases' dates and shifting posts, checked on the saved bytes.

Each test opens a plan, applies the edit, saves, and compares the file on
bytes (only the moved fields' lines change, comments stay); then undoes
once (each change is one step) and saves again to get the original bytes back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import SAMPLES

from planner.errors import EditError
from planner.plan.edits import Batch
from planner.plan.phases import (
    campaign_start_change,
    move_campaign_start,
    move_smo_due,
    parse_shift,
    set_smm_start,
    shift_posts,
    smo_due_change,
)
from planner.plan.plan_file import PlanFile

SHOP = (SAMPLES / "shop-launch.toml").read_bytes()  # no smm.start: SMM starts the day after smo.due
WEBINAR = (SAMPLES / "webinar-series.toml").read_bytes()  # smm.start set

# A small plan in Europe/Berlin, where the clocks skip 02:00-03:00 on 2027-03-28.
DST_PLAN = (Path(__file__).parent / "fixtures" / "dst-plan.toml").read_bytes()


@pytest.fixture
def opened(tmp_path: Path):
    """Write the bytes given to a plan file and open it for editing."""

    def open_plan(content: bytes) -> PlanFile:
        (tmp_path / "plan.toml").write_bytes(content)
        return PlanFile.open(tmp_path / "plan.toml")

    return open_plan


def saved(plan_file: PlanFile) -> bytes:
    plan_file.save()
    return plan_file.path.read_bytes()


def undone_in_one_step(plan_file: PlanFile, original: bytes) -> None:
    assert plan_file.undo() is not None
    assert not plan_file.can_undo
    assert saved(plan_file) == original


# -- the SMM start ----------------------------------------------------------------


def test_setting_the_smm_start_adds_the_key_under_smm_and_undo_removes_it(opened, line_changes) -> None:
    plan_file = opened(SHOP)
    edit = set_smm_start(plan_file.plan, dt.date(2027, 3, 16))
    assert edit is not None and edit.describe() == "set the SMM start to 2027-03-16"
    plan_file.apply(edit)
    after = saved(plan_file)
    assert line_changes(SHOP, after) == ([], ["start = 2027-03-16"])
    assert after.index(b"start = 2027-03-16") > after.index(b"[smm]")
    assert plan_file.plan.smm_start == dt.date(2027, 3, 16)
    undone_in_one_step(plan_file, SHOP)


def test_setting_the_smm_start_changes_only_its_line(opened, line_changes) -> None:
    plan_file = opened(WEBINAR)
    plan_file.apply(set_smm_start(plan_file.plan, dt.date(2027, 4, 17)))
    assert line_changes(WEBINAR, saved(plan_file)) == (["start = 2027-04-19"], ["start = 2027-04-17"])
    undone_in_one_step(plan_file, WEBINAR)


def test_setting_the_smm_start_to_its_date_is_no_edit(opened) -> None:
    plan_file = opened(WEBINAR)
    assert set_smm_start(plan_file.plan, dt.date(2027, 4, 19)) is None


# -- the SMO due date -------------------------------------------------------------------


def test_moving_the_smo_due_date_with_the_smm_start_moves_both_lines_in_one_step(opened, line_changes) -> None:
    plan_file = opened(WEBINAR)
    edit = move_smo_due(plan_file.plan, dt.date(2027, 4, 23), move_smm_start=True)
    assert isinstance(edit, Batch) and edit.describe() == "move the SMO due date and the SMM start 7 days later"
    plan_file.apply(edit)
    assert line_changes(WEBINAR, saved(plan_file)) == (
        ["due = 2027-04-16", "start = 2027-04-19"],
        ["due = 2027-04-23", "start = 2027-04-26"],
    )
    undone_in_one_step(plan_file, WEBINAR)


def test_moving_the_smo_due_date_alone_leaves_a_set_smm_start(opened, line_changes) -> None:
    plan_file = opened(WEBINAR)
    plan_file.apply(move_smo_due(plan_file.plan, dt.date(2027, 4, 15), move_smm_start=False))
    assert line_changes(WEBINAR, saved(plan_file)) == (["due = 2027-04-16"], ["due = 2027-04-15"])
    undone_in_one_step(plan_file, WEBINAR)


def test_an_smm_start_that_follows_the_due_date_moves_with_it_without_a_new_line(opened, line_changes) -> None:
    plan_file = opened(SHOP)
    plan_file.apply(move_smo_due(plan_file.plan, dt.date(2027, 3, 13), move_smm_start=True))
    after = saved(plan_file)
    assert line_changes(SHOP, after) == (
        ["due = 2027-03-14                 # Sunday, so the calendar starts on a Monday"],
        ["due = 2027-03-13                 # Sunday, so the calendar starts on a Monday"],
    )
    assert plan_file.plan.smm_start == dt.date(2027, 3, 14)
    undone_in_one_step(plan_file, SHOP)


def test_keeping_an_smm_start_that_followed_the_due_date_writes_it(opened, line_changes) -> None:
    plan_file = opened(SHOP)
    plan_file.apply(move_smo_due(plan_file.plan, dt.date(2027, 3, 12), move_smm_start=False))
    _removed, added = line_changes(SHOP, saved(plan_file))
    assert added == [
        "due = 2027-03-12                 # Sunday, so the calendar starts on a Monday",
        "start = 2027-03-15",
    ]
    assert plan_file.plan.smm_start == dt.date(2027, 3, 15)
    undone_in_one_step(plan_file, SHOP)


# -- the campaign start -------------------------------------------------------------


def test_moving_the_campaign_start_alone_changes_one_line(opened, line_changes) -> None:
    plan_file = opened(DST_PLAN)
    move = move_campaign_start(plan_file.plan, dt.date(2027, 3, 3), shift_everything=False)
    assert move.days == 2 and move.posts.posts == ()
    plan_file.apply(move.edit)
    assert line_changes(DST_PLAN, saved(plan_file)) == (["start = 2027-03-01"], ["start = 2027-03-03"])
    undone_in_one_step(plan_file, DST_PLAN)


def test_moving_the_campaign_start_shifts_smo_smm_and_every_post_in_one_step(opened, line_changes) -> None:
    plan_file = opened(DST_PLAN)
    move = move_campaign_start(plan_file.plan, dt.date(2027, 3, 8), shift_everything=True)
    assert move.days == 7
    plan_file.apply(move.edit)
    assert line_changes(DST_PLAN, saved(plan_file)) == (
        [
            "start = 2027-03-01",
            "due = 2027-03-12   # Friday",
            "start = 2027-03-15 # Monday",
            "at = 2027-03-21T02:30:00",
            "at = 2027-03-21T09:15:00 # keep this comment",
            "at = 2027-04-25T19:00:00",
        ],
        [
            "start = 2027-03-08",
            "due = 2027-03-19   # Friday",
            "start = 2027-03-22 # Monday",
            "at = 2027-03-28T02:30:00",
            "at = 2027-03-28T09:15:00 # keep this comment",
            "at = 2027-05-02T19:00:00",
        ],
    )
    # The end stays: the last post now falls after it, and 02:30 is skipped that night.
    assert [moved.post.id for moved in move.posts.outside_campaign] == ["april"]
    (skipped,) = move.posts.in_skipped_hour
    assert skipped.name == "Night shift"
    assert (
        skipped.skipped
        == "2027-03-28 02:30 does not exist in Europe/Berlin (the clocks skip it); the next valid time is 03:00."
    )
    undone_in_one_step(plan_file, DST_PLAN)


def test_moving_the_campaign_start_keeps_a_following_smm_start_following(opened) -> None:
    plan_file = opened(SHOP)
    move = move_campaign_start(plan_file.plan, dt.date(2027, 2, 22), shift_everything=True)
    plan_file.apply(move.edit)
    after = saved(plan_file)
    assert b"[smm]\n\n" in after  # no start written: it still follows the due date
    assert plan_file.plan.smm_start == dt.date(2027, 3, 8)
    assert all(moved.post.at - moved.at == dt.timedelta(days=7) for moved in move.posts.posts)
    assert move.posts.outside_campaign == ()
    undone_in_one_step(plan_file, SHOP)


# -- shifting posts -------------------------------------------------------------------


def test_shifting_every_post_keeps_the_wall_clock_time_and_reports_the_skipped_hour(opened, line_changes) -> None:
    plan_file = opened(DST_PLAN)
    shift = shift_posts(plan_file.plan, 7)
    assert shift.by_platform() == {"instagram": 2, "x": 1}
    assert shift.edit is not None and shift.edit.describe() == "shift 3 posts 7 days later"
    plan_file.apply(shift.edit)
    assert line_changes(DST_PLAN, saved(plan_file)) == (
        ["at = 2027-03-21T02:30:00", "at = 2027-03-21T09:15:00 # keep this comment", "at = 2027-04-25T19:00:00"],
        ["at = 2027-03-28T02:30:00", "at = 2027-03-28T09:15:00 # keep this comment", "at = 2027-05-02T19:00:00"],
    )
    # Not changed silently: the skipped time is written as it was and reported with the next valid one.
    assert [moved.post.id for moved in shift.in_skipped_hour] == ["late"]
    assert "the next valid time is 03:00" in shift.in_skipped_hour[0].skipped
    assert [moved.post.id for moved in shift.outside_campaign] == ["april"]
    undone_in_one_step(plan_file, DST_PLAN)


def test_shifting_posts_from_a_date_on_moves_only_those(opened, line_changes) -> None:
    plan_file = opened(DST_PLAN)
    shift = shift_posts(plan_file.plan, -14, since=dt.date(2027, 4, 1))
    assert [moved.post.id for moved in shift.posts] == ["april"]
    assert shift.edit is not None and shift.edit.describe() == "shift 1 post from 2027-04-01 14 days earlier"
    plan_file.apply(shift.edit)
    assert line_changes(DST_PLAN, saved(plan_file)) == (["at = 2027-04-25T19:00:00"], ["at = 2027-04-11T19:00:00"])
    undone_in_one_step(plan_file, DST_PLAN)


def test_shifting_the_posts_of_one_platform_by_weeks(opened, line_changes) -> None:
    plan_file = opened(SHOP)
    shift = shift_posts(plan_file.plan, 14, platform="pinterest")
    assert shift.by_platform() == {"pinterest": 4}
    plan_file.apply(shift.edit)
    assert line_changes(SHOP, saved(plan_file)) == (
        [
            "at = 2027-03-19T20:00:00",
            "at = 2027-03-26T20:00:00",
            "at = 2027-04-02T20:00:00",
            "at = 2027-04-04T20:00:00",
        ],
        [
            "at = 2027-04-02T20:00:00",
            "at = 2027-04-09T20:00:00",
            "at = 2027-04-16T20:00:00",
            "at = 2027-04-18T20:00:00",
        ],
    )
    assert len(shift.outside_campaign) == 3  # past the campaign's end on 4 April
    undone_in_one_step(plan_file, SHOP)


def test_a_shift_that_moves_nothing_is_no_edit(opened) -> None:
    plan_file = opened(DST_PLAN)
    assert shift_posts(plan_file.plan, 0).edit is None
    assert shift_posts(plan_file.plan, 3, platform="tiktok").edit is None
    assert shift_posts(plan_file.plan, 3, since=dt.date(2027, 5, 1)).posts == ()


def test_a_shift_before_the_smm_start_is_reported(opened) -> None:
    plan_file = opened(DST_PLAN)
    shift = shift_posts(plan_file.plan, -7, platform="x")
    assert [moved.post.id for moved in shift.before_smm_start] == ["morning"]


def test_a_shift_off_the_calendar_is_an_edit_error(opened) -> None:
    plan_file = opened(DST_PLAN)
    with pytest.raises(EditError, match="would leave the calendar"):
        shift_posts(plan_file.plan, 4_000_000)


# -- new plans on any weekday -------------------------------------------------------


@pytest.mark.parametrize("offset", range(7), ids=["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
def test_a_new_plan_on_any_weekday_has_smm_start_the_monday_after_a_friday_due_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offset: int
) -> None:
    import tomllib

    from click.testing import CliRunner

    from planner.cli import main

    monkeypatch.chdir(tmp_path)
    start = dt.date(2027, 3, 1) + dt.timedelta(days=offset)
    runner = CliRunner()
    assert runner.invoke(main, ["new", "plan.toml", "--timezone", "UTC", "--start", start.isoformat()]).exit_code == 0
    data = tomllib.loads((tmp_path / "plan.toml").read_text("utf-8"))
    due, smm_start = data["smo"]["due"], data["smm"]["start"]
    assert data["campaign"]["start"] == start
    assert (due.weekday(), smm_start.weekday()) == (4, 0)  # a Friday, then a Monday
    assert smm_start == due + dt.timedelta(days=3)  # the Monday after the due date
    assert 14 <= (smm_start - start).days < 21  # at least two weeks of SMO, the first Monday after them
    check = runner.invoke(main, ["check", "plan.toml"])
    assert check.exit_code == 0, check.output  # no days between the phases to warn about


def test_moving_the_campaign_start_past_its_end_is_refused_and_changes_nothing(opened) -> None:
    plan_file = opened(DST_PLAN)
    move = move_campaign_start(plan_file.plan, dt.date(2027, 6, 1), shift_everything=True)
    with pytest.raises(EditError, match=r"end \(2027-04-30\) is before start \(2027-06-01\)"):
        plan_file.apply(move.edit)
    assert not plan_file.can_undo and saved(plan_file) == DST_PLAN


# -- what moving a phase's date asks -------------------------------------------------------


def test_setting_the_smm_start_to_the_day_it_follows_the_due_date_is_no_edit(opened) -> None:
    plan_file = opened(SHOP)  # no smm.start: SMM starts 2027-03-15, the day after SMO is due
    assert set_smm_start(plan_file.plan, dt.date(2027, 3, 15)) is None


def test_moving_the_smo_due_date_asks_to_move_the_smm_start_that_follows_it(opened, line_changes) -> None:
    plan_file = opened(SHOP)
    plan = plan_file.plan
    assert smo_due_change(plan, plan.smo_due) is None
    offer = smo_due_change(plan, dt.date(2027, 3, 17))
    assert offer is not None and offer.title == "Move the SMO due date"
    assert (
        offer.question
        == "The SMO due date moves from 2027-03-14 to 2027-03-17 (3 days later). SMM starts on 2027-03-15: move it to 2027-03-18 too? Kept on 2027-03-15, SMM would start before SMO ends."
    )
    assert [(answer.key, answer.label) for answer in offer.answers] == [
        ("cancel", "Cancel"),
        ("keep", "Keep the SMM start"),
        ("both", "Move both"),
    ]
    assert offer.default == "both"  # SMM starts where SMO ends: it moves along unless told otherwise
    assert offer.answer("cancel").edit is None and offer.answer(None) is None
    plan_file.apply(offer.answer("both").edit)
    assert line_changes(SHOP, saved(plan_file)) == (
        ["due = 2027-03-14                 # Sunday, so the calendar starts on a Monday"],
        ["due = 2027-03-17                 # Sunday, so the calendar starts on a Monday"],
    )
    assert plan_file.plan.smm_start == dt.date(2027, 3, 18)
    undone_in_one_step(plan_file, SHOP)


def test_keeping_the_smm_start_when_the_due_date_moves_writes_it(opened) -> None:
    plan_file = opened(SHOP)
    offer = smo_due_change(plan_file.plan, dt.date(2027, 3, 12))
    assert "Kept on" not in offer.question  # kept, it still starts after SMO ends
    plan_file.apply(offer.answer("keep").edit)
    assert (plan_file.plan.smo_due, plan_file.plan.smm_start) == (dt.date(2027, 3, 12), dt.date(2027, 3, 15))
    undone_in_one_step(plan_file, SHOP)


def test_a_gap_between_the_phases_on_purpose_is_kept_by_default(opened, line_changes) -> None:
    plan_file = opened(DST_PLAN)  # due Friday 12 March, SMM from Monday 15 March
    offer = smo_due_change(plan_file.plan, dt.date(2027, 3, 11))
    assert offer.default == "keep"
    plan_file.apply(offer.answer("both").edit)
    assert line_changes(DST_PLAN, saved(plan_file)) == (
        ["due = 2027-03-12   # Friday", "start = 2027-03-15 # Monday"],
        ["due = 2027-03-11   # Friday", "start = 2027-03-14 # Monday"],
    )


def test_moving_the_campaign_start_asks_to_shift_everything_and_tells_what_needs_a_look(opened) -> None:
    plan_file = opened(DST_PLAN)
    plan = plan_file.plan
    assert campaign_start_change(plan, plan.campaign.start) is None
    offer = campaign_start_change(plan, dt.date(2027, 3, 8))
    assert offer.title == "Move the campaign start" and offer.default == "all"
    assert offer.question == (
        "The campaign start moves from 2027-03-01 to 2027-03-08 (7 days later). Shift the SMO due date to 2027-03-19, "
        "the SMM start to 2027-03-22 and all 3 posts by 7 days too, as one step? The campaign end stays on 2027-04-30."
    )
    assert [(answer.key, answer.label) for answer in offer.answers] == [
        ("cancel", "Cancel"),
        ("start", "Only the start"),
        ("all", "Shift everything"),
    ]
    everything = offer.answer("all")
    assert everything.edit == move_campaign_start(plan, dt.date(2027, 3, 8), shift_everything=True).edit
    assert everything.note.splitlines() == [
        "1 post lands in an hour the clocks skip (moved as it was: fix the time):",
        "  Night shift (instagram): 2027-03-28 02:30 does not exist in Europe/Berlin (the clocks skip it); the next valid time is 03:00.",
        "1 post lands outside the campaign (2027-03-08 to 2027-04-30):",
        "  Last call (instagram): 2027-05-02 19:00",
    ]
    assert offer.answer("start").edit == move_campaign_start(plan, dt.date(2027, 3, 8), shift_everything=False).edit
    assert offer.answer("start").note == ""


def test_a_campaign_with_one_post_says_its_post(opened) -> None:
    one = DST_PLAN[: DST_PLAN.index(b'[[smm.posts]]\nid = "morning"')].replace(b"# the night owl's post\n", b"")
    plan_file = opened(one)
    offer = campaign_start_change(plan_file.plan, dt.date(2027, 2, 26))
    assert "the SMM start to 2027-03-12 and its post by 3 days too" in offer.question
    assert "(3 days earlier)" in offer.question


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("3", 3),
        ("-2", -2),
        ("+4", 4),
        ("3d", 3),
        ("3 days", 3),
        ("1 day", 1),
        ("1w", 7),
        ("-1 week", -7),
        ("2 Weeks", 14),
        (" 2w ", 14),
    ],
)
def test_how_far_a_shift_goes_is_typed_in_days_or_weeks(typed: str, days: int) -> None:
    assert parse_shift(typed) == days


@pytest.mark.parametrize("typed", ["", "three", "3 months", "1.5w", "w", "1234567"])
def test_a_shift_that_is_not_days_or_weeks_says_how_to_write_it(typed: str) -> None:
    with pytest.raises(ValueError, match="write 3, -2, 3d, 1w or 2 weeks"):
        parse_shift(typed)
