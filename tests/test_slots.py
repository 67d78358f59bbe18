"""The rules behind the post editor: default times, typed dates and times, daylight saving, limits."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import pytest
from conftest import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planner.plan.model import BestTime, Campaign, Plan, PlatformChoice, Post
from planner.rules.checks import check
from planner.rules.platforms import Limits, limits_for, measure
from planner.rules.slots import (
    DAYS,
    MONTHS,
    check_local_time,
    date_warning,
    default_time,
    next_slot,
    parse_date,
    parse_day,
    parse_time,
)

TUE, WED, THU, SUN = dt.date(2027, 3, 16), dt.date(2027, 3, 17), dt.date(2027, 3, 18), dt.date(2027, 3, 21)
INSTAGRAM = PlatformChoice(
    "instagram",
    best_times=(
        BestTime(1, dt.time(19)),
        BestTime(3, dt.time(19)),
        BestTime(6, dt.time(10)),
        BestTime(1, dt.time(8, 30)),
    ),
)


def a_plan(*platforms: PlatformChoice, posts: tuple[Post, ...] = ()) -> Plan:
    campaign = Campaign("Launch", "Europe/Berlin", dt.date(2027, 3, 1), dt.date(2027, 12, 31))
    return Plan(campaign, smo_due=dt.date(2027, 3, 14), platforms=list(platforms), posts=list(posts))


# -- default time ---------------------------------------------------------------------


def test_a_day_with_slots_gets_its_first_slot() -> None:
    assert default_time(INSTAGRAM, TUE) == dt.time(8, 30)
    assert default_time(INSTAGRAM, SUN) == dt.time(10)


def test_today_gets_the_first_slot_still_to_come() -> None:
    assert default_time(INSTAGRAM, TUE, now=dt.datetime(2027, 3, 16, 12)) == dt.time(19)
    assert default_time(INSTAGRAM, TUE, now=dt.datetime(2027, 3, 15, 23)) == dt.time(8, 30)  # tomorrow: all slots count


def test_a_day_without_a_slot_left_gets_the_platforms_earliest_slot_time() -> None:
    assert default_time(INSTAGRAM, WED) == dt.time(8, 30)
    assert default_time(INSTAGRAM, TUE, now=dt.datetime(2027, 3, 16, 20)) == dt.time(8, 30)


def test_no_slots_or_no_choice_means_nine_oclock() -> None:
    assert default_time(PlatformChoice("x"), THU) == dt.time(9)
    assert default_time(None, THU) == dt.time(9)


def test_a_slot_on_several_days_counts_on_each_of_them() -> None:
    choice = PlatformChoice(
        "x",
        best_times=(
            BestTime("weekdays", dt.time(9)),
            BestTime("daily", dt.time(18)),
            BestTime("weekends", dt.time(11)),
        ),
    )
    assert default_time(choice, TUE) == dt.time(9)
    assert default_time(choice, SUN) == dt.time(11)
    assert default_time(choice, TUE, now=dt.datetime(2027, 3, 16, 12)) == dt.time(18)
    assert [str(slot) for slot in choice.best_times] == ["weekdays 09:00", "daily 18:00", "weekends 11:00"]


# -- the next free slot (a copy of a post) --------------------------------------------


def test_the_next_slot_is_the_first_at_or_after_the_time_given() -> None:
    assert next_slot(INSTAGRAM, dt.datetime(2027, 3, 16, 8, 30)) == dt.datetime(2027, 3, 16, 8, 30)
    assert next_slot(INSTAGRAM, dt.datetime(2027, 3, 16, 8, 31)) == dt.datetime(2027, 3, 16, 19)
    assert next_slot(INSTAGRAM, dt.datetime(2027, 3, 16, 20)) == dt.datetime(2027, 3, 18, 19)  # thu
    assert next_slot(INSTAGRAM, dt.datetime(2027, 3, 21, 11)) == dt.datetime(2027, 3, 23, 8, 30)  # over the week's end
    assert next_slot(PlatformChoice("x"), dt.datetime(2027, 3, 16, 8)) is None
    assert next_slot(None, dt.datetime(2027, 3, 16, 8)) is None


def test_the_next_slot_passes_over_taken_ones_and_those_the_clocks_skip() -> None:
    daily = PlatformChoice("x", best_times=(BestTime("daily", dt.time(2, 30)),))
    assert next_slot(daily, dt.datetime(2027, 3, 27, 12), "Europe/Berlin") == dt.datetime(
        2027, 3, 29, 2, 30
    )  # 28 March has no 02:30
    assert next_slot(daily, dt.datetime(2027, 3, 27, 12), "UTC") == dt.datetime(2027, 3, 28, 2, 30)
    taken = [dt.datetime(2027, 3, 28, 3, 0), dt.datetime(2027, 3, 29, 1, 31)]  # less than an hour from the next two
    assert next_slot(daily, dt.datetime(2027, 3, 27, 12), "UTC", taken) == dt.datetime(2027, 3, 30, 2, 30)
    every_day = [dt.datetime(2027, 3, 28, 2, 30) + dt.timedelta(days=n) for n in range(400)]
    assert next_slot(daily, dt.datetime(2027, 3, 27, 12), "UTC", every_day) == dt.datetime(
        2027, 3, 28, 2, 30
    )  # none free: the first
    assert next_slot(daily, dt.datetime(9999, 12, 31, 3), "UTC") is None


# -- typed dates and times ---------------------------------------------------------------


def test_typed_dates_and_times_are_read() -> None:
    assert parse_date(" 2027-03-16 ") == TUE
    assert parse_date("2027-3-5") == dt.date(2027, 3, 5)
    assert parse_time("9:05") == dt.time(9, 5)
    assert parse_time("23:59") == dt.time(23, 59)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("16.03.2027", "Type the date as YYYY-MM-DD, for example 2027-03-16."),
        ("", "Type the date as YYYY-MM-DD, for example 2027-03-16."),
        ("2027-02-30", "2027-02-30 is not a day in the calendar."),
    ],
)
def test_a_bad_date_says_what_to_type(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_date(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7pm", "Type the time as HH:MM (24-hour), for example 09:30."),
        ("24:00", "24:00 is not a time of day (00:00 to 23:59)."),
        ("12:60", "12:60 is not a time of day (00:00 to 23:59)."),
    ],
)
def test_a_bad_time_says_what_to_type(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_time(text)
    assert str(raised.value) == message


NEAR = dt.date(2027, 3, 25)  # a Thursday: the selected day that year-less dates, +3d and weekdays count from
TODAY = dt.date(2027, 3, 10)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2027-12-24", dt.date(2027, 12, 24)),
        ("03-30", dt.date(2027, 3, 30)),
        ("3-1", dt.date(2027, 3, 1)),
        ("dec 24", dt.date(2026, 12, 24)),  # nearer 25 March 2027 than the December after
        ("24 dec", dt.date(2026, 12, 24)),
        ("December 24", dt.date(2026, 12, 24)),
        ("24. Dec.", dt.date(2026, 12, 24)),
        ("sept 3", dt.date(2027, 9, 3)),
        ("dec 24 2027", dt.date(2027, 12, 24)),
        ("24 december, 2027", dt.date(2027, 12, 24)),
        ("02-29", dt.date(2028, 2, 29)),  # the nearest leap day
        ("+3d", dt.date(2027, 3, 28)),
        ("+3", dt.date(2027, 3, 28)),
        ("- 2w", dt.date(2027, 3, 11)),
        ("+1 week", dt.date(2027, 4, 1)),
        ("fri", dt.date(2027, 3, 26)),
        ("Thursday", dt.date(2027, 4, 1)),  # the next one, not the selected day itself
        ("next thu", dt.date(2027, 4, 1)),
        ("today", TODAY),
        ("tomorrow", dt.date(2027, 3, 11)),
        ("  TODAY ", TODAY),
    ],
)
def test_go_to_takes_dates_as_people_type_them(typed: str, day: dt.date) -> None:
    assert parse_day(typed, NEAR, TODAY) == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "christmas",
            "Not a date: 'christmas'. Type 2027-12-24, 12-24, dec 24, 24 dec, +3d, -2w, a weekday (fri) or today.",
        ),
        ("", "Not a date: ''. Type 2027-12-24, 12-24, dec 24, 24 dec, +3d, -2w, a weekday (fri) or today."),
        ("24/12", "Not a date: '24/12'. Type 2027-12-24, 12-24, dec 24, 24 dec, +3d, -2w, a weekday (fri) or today."),
        ("de 24", "Not a date: 'de 24'. Type 2027-12-24, 12-24, dec 24, 24 dec, +3d, -2w, a weekday (fri) or today."),
        ("2027-02-30", "2027-02-30 is not a day in the calendar."),
        ("13-01", "13-01 is not a day in the calendar."),
        ("feb 30", "02-30 is not a day in the calendar."),
        ("-800000w", "-800000w is past the ends of the calendar (years 1 to 9999)."),
    ],
)
def test_go_to_says_which_forms_it_takes(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_day(typed, NEAR, TODAY)
    assert str(raised.value) == message


DATES = st.dates(dt.date(2, 1, 1), dt.date(9998, 12, 31))


@settings(max_examples=200, deadline=None)
@given(near=DATES, offset=st.integers(-180, 180))
def test_a_date_without_a_year_is_the_one_nearest_the_selected_day(near: dt.date, offset: int) -> None:
    day = near + dt.timedelta(days=offset)
    for typed in (f"{day:%m-%d}", f"{MONTHS[day.month - 1][:3]} {day.day}", f"{day.day} {MONTHS[day.month - 1]}"):
        assert parse_day(typed, near, TODAY) == day
    assert parse_day(day.isoformat(), near, TODAY) == day
    assert parse_day(f"{offset:+d}d", near, TODAY) == day


@settings(max_examples=100, deadline=None)
@given(near=DATES, weekday=st.integers(0, 6))
def test_a_weekday_is_the_next_one_after_the_selected_day(near: dt.date, weekday: int) -> None:
    day = parse_day(DAYS[weekday], near, TODAY)
    assert day.weekday() == weekday and 1 <= (day - near).days <= 7


# -- daylight saving (Europe/Berlin: last Sunday of March and of October) ---------------


def test_a_time_the_clocks_skip_is_an_error_naming_the_next_valid_time() -> None:
    found = check_local_time(dt.datetime(2027, 3, 28, 2, 30), "Europe/Berlin")
    assert (
        found.error
        == "2027-03-28 02:30 does not exist in Europe/Berlin (the clocks skip it); the next valid time is 03:00."
    )
    assert not found.warning


def test_a_time_that_happens_twice_is_a_warning_only() -> None:
    found = check_local_time(dt.datetime(2027, 10, 31, 2, 30), "Europe/Berlin")
    assert not found.error
    assert (
        found.warning == "2027-10-31 02:30 happens twice in Europe/Berlin (the clocks go back); it is saved as typed."
    )


@pytest.mark.parametrize(
    "at", [dt.datetime(2027, 3, 28, 3, 0), dt.datetime(2027, 3, 28, 1, 59), dt.datetime(2027, 10, 31, 3, 0)]
)
def test_times_next_to_the_change_are_fine(at: dt.datetime) -> None:
    assert check_local_time(at, "Europe/Berlin") == check_local_time(at, "UTC")
    assert not check_local_time(at, "Europe/Berlin").error and not check_local_time(at, "Europe/Berlin").warning


# -- limits: one function for the editor and `planner check` -----------------------------


def test_the_plans_limits_win_over_the_rules_data() -> None:
    plan = a_plan(PlatformChoice("instagram", hashtag_limit=3), PlatformChoice("forum", text_limit=10))
    assert limits_for(plan, "instagram") == Limits("graphemes", text=2200, title=None, hashtags=3, mentions=20)
    assert limits_for(plan, "x") == Limits("x-weighted", text=280)
    assert limits_for(plan, "forum") == Limits("graphemes", text=10)
    assert limits_for(plan, "nowhere") == Limits()


def test_counts_are_made_the_way_the_platform_counts() -> None:
    family = "👩\u200d👩\u200d👧"  # one grapheme, five code points
    text = f"{family} hi #one #two"
    graphemes = {c.what: c.used for c in measure(Limits("graphemes"), "", text)}
    assert graphemes == {"text": 14, "title": 0, "hashtags": 2, "mentions": 0}
    assert [c.used for c in measure(Limits("x-weighted"), "", text) if c.what == "text"] == [
        15
    ]  # an emoji weighs 2 on X
    assert [c.used for c in measure(Limits("utf16"), "", text) if c.what == "text"] == [21]


def test_the_editor_counts_and_the_check_agree_on_what_is_over() -> None:
    choice = PlatformChoice("forum", text_limit=5, hashtag_limit=1, title_limit=3)
    post = Post("p", "forum", dt.datetime(2027, 3, 16, 9), title="abcd", text="#a #b")
    plan = a_plan(choice, posts=(post,))
    over = {c.what for c in measure(limits_for(plan, "forum"), post.title, post.text) if c.over}
    codes = {p.code for p in check(plan, now=dt.datetime(2027, 3, 1)) if p.code.endswith("-limit")}
    assert over == {"title", "hashtags"}
    assert codes == {"title-limit", "hashtag-limit"}


PIECES = st.sampled_from(
    [
        "a",
        "é",
        "陶",
        " ",
        "\n",
        "#tag",
        "#",
        "👍🏽",
        "👩\u200d👩\u200d👧",
        "🇩🇪",
        "shop.com/x",
        "https://a.de/#frag",
        "e\u0301",
    ]
)


@settings(max_examples=examples(60), deadline=None)
@given(
    platform=st.sampled_from(["x", "instagram", "tiktok", "youtube", "forum"]),
    title=st.lists(PIECES, max_size=8).map("".join),
    text=st.lists(PIECES, max_size=20).map("".join),
    own=st.tuples(*(st.none() | st.integers(1, 12) for _ in range(3))),
)
def test_the_editor_and_the_check_never_disagree(platform: str, title: str, text: str, own: tuple) -> None:
    choice = PlatformChoice(platform, text_limit=own[0], title_limit=own[1], hashtag_limit=own[2])
    plan = a_plan(choice, posts=(Post("p", platform, dt.datetime(2027, 3, 16, 9), title=title, text=text),))
    over = {c.what for c in measure(limits_for(plan, platform), title, text) if c.over}
    codes = {p.code for p in check(plan, now=dt.datetime(2027, 3, 1)) if p.code.endswith("-limit")}
    assert codes == {{"text": "text-limit", "title": "title-limit", "hashtags": "hashtag-limit"}[what] for what in over}


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Tehran", "America/St_Johns"]


@functools.cache
def transitions(zone: str, year: int) -> list[dt.datetime]:
    """The local times (before the change) at which ``zone`` changes its offset in ``year``."""
    info = zoneinfo.ZoneInfo(zone)
    hour = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    found = []
    while hour.year == year:
        step = hour + dt.timedelta(hours=1)
        if hour.astimezone(info).utcoffset() != step.astimezone(info).utcoffset():
            found.append(hour.astimezone(info).replace(tzinfo=None))
        hour = step
    return found


@settings(max_examples=examples(100), deadline=None)
@given(
    zone=st.sampled_from(ZONES), year=st.integers(2020, 2030), which=st.integers(0, 1), minutes=st.integers(-30, 150)
)
def test_near_a_clock_change_a_refused_time_names_the_first_time_that_exists(
    zone: str, year: int, which: int, minutes: int
) -> None:
    changes = transitions(zone, year)
    assume(changes)  # a zone that keeps one offset that year (Tehran since 2023) has no change to be near
    at = changes[which % len(changes)].replace(minute=0) + dt.timedelta(minutes=minutes)
    found = check_local_time(at, zone)
    assert not (found.error and found.warning)
    if found.error:
        suggested = dt.datetime.combine(at.date(), parse_time(found.error.rsplit(" ", 1)[1].rstrip(".")))
        assert suggested > at
        assert check_local_time(suggested, zone).error == ""
        assert check_local_time(suggested - dt.timedelta(minutes=1), zone).error  # the first one


def test_a_day_the_clocks_skip_entirely_names_the_next_day() -> None:
    found = check_local_time(dt.datetime(2011, 12, 30, 12, 0), "Pacific/Apia")  # Samoa crossed the date line
    assert (
        found.error
        == "2011-12-30 12:00 does not exist in Pacific/Apia (the clocks skip it); the next valid time is 2011-12-31 00:00."
    )


def test_a_day_before_the_smm_phase_or_outside_the_campaign_is_warned_about() -> None:
    plan = a_plan()
    assert (
        date_warning(plan, dt.date(2027, 3, 14))
        == "2027-03-14 is before the SMM phase starts on 2027-03-15 (SMM starts where SMO ends)."
    )
    assert date_warning(plan, dt.date(2027, 3, 15)) == ""
    assert date_warning(plan, dt.date(2027, 12, 31)) == ""
    assert date_warning(plan, dt.date(2028, 1, 1)) == "2028-01-01 is outside the campaign (2027-03-01 to 2027-12-31)."


def test_date_or_none_is_parse_date_without_the_exception() -> None:
    from planner.rules.slots import date_or_none

    assert date_or_none(" 2027-03-16 ") == dt.date(2027, 3, 16) == parse_date("2027-03-16")
    assert date_or_none("2027-02-30") is None
    assert date_or_none("16.03.2027") is None
    with pytest.raises(ValueError, match="not a day in the calendar"):
        parse_date("2027-02-30")
