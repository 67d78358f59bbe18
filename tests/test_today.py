"""What needs you today: the plain model (`planner.rules.today`), with an injected clock."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.plan.model import Campaign, Competitor, Plan, PlatformChoice, Post, SmoItem
from planner.plan.problems import Problem
from planner.rules.checks import check
from planner.rules.today import Entry, entry_at, local_now, next_midnight, opens_on_today, today, week_of

BERLIN = "Europe/Berlin"
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def post(id: str, when: str, platform: str = "instagram", status: str = "draft", title: str = "") -> Post:
    return Post(id=id, platform=platform, at=at(when), status=status, title=title or id.replace("-", " ").title())


def make_plan(*posts: Post, items: tuple[SmoItem, ...] = ()) -> Plan:
    """A Berlin campaign: SMO due Friday 12 March 2027, SMM from Monday 15 March to 30 April (clocks go forward on 28 March)."""
    return Plan(
        campaign=Campaign("Spring", BERLIN, dt.date(2027, 3, 1), dt.date(2027, 4, 30)),
        smo_due=dt.date(2027, 3, 12),
        smm_start_set=dt.date(2027, 3, 15),
        smo_items=list(items)
        or [
            SmoItem("og", "Open Graph tags"),
            SmoItem("done-one", "Done already", done=True),
            SmoItem("share", "Share buttons", owner="Ana"),
        ],
        platforms=[PlatformChoice("instagram", cadence=3), PlatformChoice("x", cadence=1), PlatformChoice("linkedin")],
        posts=list(posts),
    )


def ids(lines) -> list[str]:
    return [line.id for line in lines]


def test_todays_and_this_weeks_posts_in_time_order_with_status_platform_and_title() -> None:
    plan = make_plan(
        post("evening", "2027-03-17T19:00:00", status="review"),
        post("morning", "2027-03-17T09:00:00", platform="x", status="approved"),
        post("friday", "2027-03-19T10:00:00"),
        post("monday", "2027-03-15T08:00:00", status="published"),
        post("next-week", "2027-03-22T08:00:00"),
        post("last-week", "2027-03-14T08:00:00"),
    )
    model = today(plan, [], at("2027-03-17T12:00:00"))
    assert ids(model.today_posts) == ["morning", "evening"]
    assert ids(model.week_posts) == ["monday", "friday"]
    assert model.week == (dt.date(2027, 3, 15), dt.date(2027, 3, 21))
    morning = model.today_posts[0]
    assert (morning.status, morning.platform, morning.title, morning.at) == (
        "approved",
        "x",
        "Morning",
        at("2027-03-17T09:00:00"),
    )
    assert morning.entry == Entry("post", "morning", 1)


def test_the_week_starts_on_the_day_the_settings_say() -> None:
    plan = make_plan(
        post("sunday", "2027-03-14T10:00:00"),
        post("saturday", "2027-03-20T10:00:00"),
        post("monday", "2027-03-15T10:00:00"),
    )
    model = today(plan, [], at("2027-03-17T12:00:00"), week_start=6)
    assert model.week == (dt.date(2027, 3, 14), dt.date(2027, 3, 20))
    assert ids(model.week_posts) == ["sunday", "monday", "saturday"]


def test_the_day_changes_at_midnight_in_the_campaigns_time_zone_not_in_utc() -> None:
    plan = make_plan(post("wednesday", "2027-03-17T20:00:00"), post("thursday", "2027-03-18T00:30:00"))
    before = local_now(BERLIN, dt.datetime(2027, 3, 17, 22, 59, 59, tzinfo=UTC))  # 23:59:59 in Berlin (UTC+1)
    after = local_now(
        BERLIN, dt.datetime(2027, 3, 17, 23, 0, 0, tzinfo=UTC)
    )  # midnight in Berlin, still the 17th in UTC
    assert before == at("2027-03-17T23:59:59") and after == at("2027-03-18T00:00:00")
    assert ids(today(plan, [], before).today_posts) == ["wednesday"]
    assert ids(today(plan, [], after).today_posts) == ["thursday"]
    assert next_midnight(BERLIN, dt.datetime(2027, 3, 17, 22, 59, 59, tzinfo=UTC)) == dt.datetime(
        2027, 3, 17, 23, tzinfo=UTC
    )


def test_a_week_with_the_clocks_going_forward() -> None:
    """Sunday 28 March 2027 has 23 hours in Berlin: its midnight is 23:00 UTC on Saturday, the next one 22:00 UTC on Sunday."""
    plan = make_plan(
        post("sunday-late", "2027-03-28T20:00:00"),
        post("sunday-early", "2027-03-28T01:30:00"),  # before the clocks go forward (02:00 CET becomes 03:00 CEST)
        post("saturday", "2027-03-27T12:00:00", platform="x"),
        post("monday", "2027-03-22T09:00:00"),
    )
    saturday_noon = dt.datetime(2027, 3, 27, 11, tzinfo=UTC)  # 12:00 CET
    assert next_midnight(BERLIN, saturday_noon) == dt.datetime(2027, 3, 27, 23, tzinfo=UTC)
    sunday_noon = dt.datetime(2027, 3, 28, 10, tzinfo=UTC)  # 12:00 CEST
    assert next_midnight(BERLIN, sunday_noon) == dt.datetime(2027, 3, 28, 22, tzinfo=UTC)
    assert next_midnight(BERLIN, sunday_noon) - next_midnight(BERLIN, saturday_noon) == dt.timedelta(hours=23)

    sunday = today(plan, [], local_now(BERLIN, dt.datetime(2027, 3, 28, 1, 15, tzinfo=UTC)))  # 03:15 CEST
    assert sunday.now == at("2027-03-28T03:15:00")
    assert ids(sunday.today_posts) == ["sunday-early", "sunday-late"]
    assert ids(sunday.week_posts) == ["monday", "saturday"]
    assert sunday.week == (dt.date(2027, 3, 22), dt.date(2027, 3, 28))
    monday = today(plan, [], local_now(BERLIN, dt.datetime(2027, 3, 28, 22, tzinfo=UTC)))  # midnight CEST
    assert monday.day == dt.date(2027, 3, 29) and not monday.has_posts_this_week


@pytest.mark.parametrize(
    "zone, instant, first_local",
    [
        ("America/Havana", dt.datetime(2027, 3, 13, 12, tzinfo=UTC), at("2027-03-14T01:00:00")),
        ("America/Santiago", dt.datetime(2027, 9, 4, 12, tzinfo=UTC), at("2027-09-05T01:00:00")),
    ],
)
def test_where_the_clocks_skip_midnight_the_next_day_starts_at_its_first_time(
    zone: str, instant: dt.datetime, first_local: dt.datetime
) -> None:
    midnight = next_midnight(zone, instant)
    assert local_now(zone, midnight) == first_local
    assert local_now(zone, midnight - dt.timedelta(seconds=1)).date() == instant.date()


def test_smo_items_still_open_after_the_smo_due_date_are_late() -> None:
    plan = make_plan()
    assert today(plan, [], at("2027-03-12T23:00:00")).late_items == ()  # due today: not late yet
    late = today(plan, [], at("2027-03-15T09:00:00")).late_items
    assert [(item.id, item.days_late, item.owner) for item in late] == [("og", 3, ""), ("share", 3, "Ana")]
    assert late[1].entry == Entry("smo-item", "share", 2)


def test_posts_due_within_three_days_that_nobody_approved_or_scheduled_wait_for_you() -> None:
    plan = make_plan(
        post("today-draft", "2027-03-17T08:00:00", status="draft"),  # earlier today, still a draft
        post("idea", "2027-03-18T10:00:00", status="idea"),
        post("approved", "2027-03-18T11:00:00", status="approved"),
        post("scheduled", "2027-03-19T11:00:00", status="scheduled"),
        post("review-in-3", "2027-03-20T23:30:00", status="review"),
        post("in-4-days", "2027-03-21T09:00:00", status="draft"),
        post("yesterday", "2027-03-16T09:00:00", status="draft"),
    )
    waiting = today(plan, [], at("2027-03-17T12:00:00")).waiting
    assert ids(waiting) == ["today-draft", "idea", "review-in-3"]
    assert [line.days_left for line in waiting] == [0, 1, 3]
    assert [line.goes_out for line in waiting] == ["today", "tomorrow", "in 3 days"]


def test_platforms_short_of_their_cadence_this_week() -> None:
    plan = make_plan(
        post("ig-1", "2027-03-22T09:00:00"),
        post("ig-2", "2027-03-24T09:00:00", status="idea"),
        post("x-1", "2027-03-23T09:00:00", platform="x"),
    )
    short = today(plan, [], at("2027-03-24T12:00:00")).short
    assert [(s.name, s.planned, s.cadence) for s in short] == [
        ("instagram", 2, 3)
    ]  # linkedin has no cadence; x has its one
    assert short[0].entry == Entry("platform", "instagram", 0)
    # The week before the SMM start is not a week of the SMM phase: no cadence to keep.
    assert today(plan, [], at("2027-03-10T12:00:00")).short == ()


def test_the_plans_warnings_come_from_the_checks_each_with_its_entry() -> None:
    plan = make_plan(
        post("a", "2027-03-17T09:00:00", title="First"),
        post("b", "2027-03-17T09:30:00", title="Second"),  # less than an hour apart
    )
    now = at("2027-03-17T12:00:00")
    problems = check(plan, now=now)
    model = today(plan, [*problems, Problem("note", "just a note", ("campaign", "name"))], now)
    codes = {w.problem.code for w in model.warnings}
    assert "too-close" in codes and "cadence" in codes and "smo-open" in codes
    assert all(w.problem.severity != "note" for w in model.warnings)
    close = next(w for w in model.warnings if w.problem.code == "too-close")
    assert close.entry == Entry("post", "b", 1)
    assert next(w for w in model.warnings if w.problem.code == "cadence").entry == Entry("platform", "instagram", 0)
    assert next(w for w in model.warnings if w.problem.code == "smo-open").entry == Entry("campaign", "smo.due")
    assert model.needs_you


def test_entry_at_points_into_every_list_and_falls_back_to_the_campaign() -> None:
    plan = make_plan(post("a", "2027-03-17T09:00:00"))
    plan.competitors.append(Competitor("Rival"))
    assert entry_at(plan, ("smm", "posts", 0, "at")) == Entry("post", "a", 0)
    assert entry_at(plan, ("smo", "items", 1)) == Entry("smo-item", "done-one", 1)
    assert entry_at(plan, ("smm", "platforms", 2, "cadence")) == Entry("platform", "linkedin", 2)
    assert entry_at(plan, ("competitors", 0, "site")) == Entry("competitor", "Rival", 0)
    assert entry_at(plan, ("smm", "posts", 9, "at")) == Entry(
        "campaign", "smm.posts[9].at"
    )  # gone since: no entry to open
    assert entry_at(plan, ()) == Entry("campaign", "")


def test_nothing_needs_you_on_a_quiet_day() -> None:
    plan = make_plan(
        post("ig-1", "2027-03-15T09:00:00", status="scheduled"),
        post("ig-2", "2027-03-16T09:00:00", status="published"),
        post("ig-3", "2027-03-17T18:00:00", status="approved"),
        post("x-1", "2027-03-18T09:00:00", platform="x", status="scheduled"),
        items=(SmoItem("og", "Open Graph tags", done=True),),
    )
    model = today(plan, [], at("2027-03-17T12:00:00"))
    assert not model.needs_you and model.has_posts_this_week


def test_the_json_model_is_plain_data_with_stable_keys() -> None:
    plan = make_plan(post("a", "2027-03-17T09:00:00", title="Teaser"))
    data = today(plan, [], at("2027-03-17T12:00:00")).as_json("launch.toml")
    assert list(data) == [
        "file",
        "timezone",
        "now",
        "today",
        "week",
        "needs_you",
        "today_posts",
        "week_posts",
        "late_smo_items",
        "waiting_posts",
        "short_platforms",
        "warnings",
    ]
    assert data["today_posts"] == [
        {
            "id": "a",
            "at": "2027-03-17T09:00",
            "platform": "instagram",
            "format": "post",
            "status": "draft",
            "title": "Teaser",
        }
    ]
    assert data["waiting_posts"][0]["days_left"] == 0
    assert data["week"] == {"first": "2027-03-15", "last": "2027-03-21"}


def test_week_of_stays_inside_the_calendar() -> None:
    assert week_of(dt.date(1, 1, 3)) == (dt.date(1, 1, 1), dt.date(1, 1, 7))
    assert week_of(dt.date.max)[1] == dt.date.max


def test_the_app_opens_on_today_when_the_plan_has_posts_this_week_unless_it_was_left_earlier_today() -> None:
    busy = today(make_plan(post("a", "2027-03-18T09:00:00")), [], at("2027-03-18T00:10:00"))
    quiet = today(make_plan(post("a", "2027-04-18T09:00:00")), [], at("2027-03-18T00:10:00"))
    assert not opens_on_today(quiet, None)
    assert opens_on_today(busy, None)
    assert opens_on_today(busy, dt.datetime(2027, 3, 17, 22, 30, tzinfo=UTC))  # 23:30 in Berlin: yesterday there
    assert not opens_on_today(busy, dt.datetime(2027, 3, 17, 23, 5, tzinfo=UTC))  # 00:05 in Berlin: earlier today
