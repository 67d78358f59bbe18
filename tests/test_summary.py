"""The status summary (`planner.plan.summary`) that `planner status` and the Overview both show."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.plan.model import Campaign, Plan, PlatformChoice, Post, SmoItem
from planner.plan.problems import Problem
from planner.plan.summary import CategoryCount, summarize


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def post(id: str, when: str, platform: str = "instagram", status: str = "draft") -> Post:
    return Post(id=id, platform=platform, at=at(when), status=status, title=id.title())


def make_plan(posts: list[Post] | None = None, items: list[SmoItem] | None = None) -> Plan:
    """SMO due Friday 12 March 2027."""
    return Plan(
        campaign=Campaign("Spring", "Europe/Berlin", dt.date(2027, 3, 1), dt.date(2027, 4, 30)),
        smo_due=dt.date(2027, 3, 12),
        smo_items=[
            SmoItem("og", "Open Graph tags", category="Tags"),
            SmoItem("twitter", "Twitter cards", category="Tags", done=True),
            SmoItem("share", "Share buttons", category="Buttons"),
            SmoItem("misc", "Something else"),
        ]
        if items is None
        else items,
        platforms=[PlatformChoice("instagram"), PlatformChoice("x")],
        posts=posts or [],
    )


NOON = at("2027-03-10T12:00:00")


def test_smo_done_of_total_with_the_words_percentage_and_categories_in_first_seen_order() -> None:
    summary = summarize(make_plan(), [], NOON)
    assert (summary.smo_done, summary.smo_total, summary.smo_share) == (1, 4, " (25%)")
    assert summary.categories == (
        CategoryCount("Tags", 1, 2),
        CategoryCount("Buttons", 0, 1),
        CategoryCount("(no category)", 0, 1),
    )


def test_one_of_eight_rounds_half_up_and_an_empty_checklist_has_no_share() -> None:
    items = [SmoItem(f"i{n}", f"Item {n}", done=n == 0) for n in range(8)]
    assert summarize(make_plan(items=items), [], NOON).smo_share == " (13%)"
    empty = summarize(make_plan(items=[]), [], NOON)
    assert (empty.smo_done, empty.smo_total, empty.smo_share, empty.categories) == (0, 0, "", ())


@pytest.mark.parametrize(
    ("now", "days", "when"),
    [
        ("2027-03-09T23:59:00", 3, "in 3 days"),
        ("2027-03-11T00:00:00", 1, "tomorrow"),
        ("2027-03-12T18:00:00", 0, "today"),
        ("2027-03-14T08:00:00", -2, "2 days ago"),
    ],
)
def test_when_smo_is_due_counts_days_from_the_date_of_now(now: str, days: int, when: str) -> None:
    summary = summarize(make_plan(), [], at(now))
    assert (summary.smo_due, summary.days_to_due, summary.due_when) == (dt.date(2027, 3, 12), days, when)


def test_posts_by_status_in_the_workflow_order_and_by_platform_sorted() -> None:
    posts = [
        post("a", "2027-03-15T09:00:00", "x", "published"),
        post("b", "2027-03-16T09:00:00", "instagram", "idea"),
        post("c", "2027-03-17T09:00:00", "x", "idea"),
        post("d", "2027-03-18T09:00:00", "instagram", "review"),
    ]
    summary = summarize(make_plan(posts), [], NOON)
    assert summary.by_status == (("idea", 2), ("review", 1), ("published", 1))
    assert summary.by_platform == (("instagram", 2), ("x", 2))
    none = summarize(make_plan(), [], NOON)
    assert (none.by_status, none.by_platform, none.next_posts) == ((), (), ())


def test_next_posts_are_the_first_five_at_or_after_now_in_time_order() -> None:
    posts = [post(f"p{n}", f"2027-03-{20 - n}T09:00:00") for n in range(8)] + [
        post("past", "2027-03-10T11:59:00"),
        post("now", "2027-03-10T12:00:00"),
    ]
    summary = summarize(make_plan(posts), [], NOON)
    assert [p.id for p in summary.next_posts] == ["now", "p7", "p6", "p5", "p4"]
    assert [p.id for p in summarize(make_plan(posts), [], NOON, next_count=2).next_posts] == ["now", "p7"]


def test_warnings_are_the_errors_and_warnings_in_order_without_notes() -> None:
    problems = [
        Problem("warning", "first", ("posts", 0)),
        Problem("note", "a note", ("posts", 1)),
        Problem("error", "second", ("campaign",)),
    ]
    assert [p.message for p in summarize(make_plan(), problems, NOON).warnings] == ["first", "second"]
