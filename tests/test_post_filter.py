"""The core behind what the calendar shows: the agenda's filter terms, a post's next status, the platforms' marks.

Plain pytest: nothing here starts the app.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from planner.plan.edits import SetField
from planner.plan.model import STATUSES, Campaign, Plan, PlatformChoice, Post
from planner.plan.plan_file import PlanFile
from planner.plan.post_filter import PostFilter, Vocabulary
from planner.plan.posts import advance_status, next_status
from planner.rules.platforms import builtin_platforms, platform_marks

POSTS = [
    Post(
        "a",
        "instagram",
        dt.datetime(2027, 3, 2, 9),
        status="draft",
        title="Launch day",
        tags=("launch",),
        format="reel",
    ),
    Post(
        "b", "tiktok", dt.datetime(2027, 3, 1, 9), status="idea", title="Glaze", text="the blue glaze", format="video"
    ),
    Post("c", "instagram", dt.datetime(2027, 3, 3, 9), status="review", title="Care guide"),
    Post("d", "forum", dt.datetime(2027, 3, 4, 9), status="published", title="Ask us anything"),
]


def plan_with(posts: list[Post], platforms: tuple[PlatformChoice, ...] = ()) -> Plan:
    return Plan(
        Campaign("c", "Etc/UTC", dt.date(2027, 2, 1), dt.date(2027, 4, 30)),
        dt.date(2027, 2, 14),
        platforms=list(platforms),
        posts=posts,
    )


@pytest.fixture(scope="module")
def words() -> Vocabulary:
    return Vocabulary.of(plan_with(POSTS, (PlatformChoice("forum", label="Kiln Forum"),)))


def ids(text: str, words: Vocabulary) -> list[str]:
    where = PostFilter.parse(text, words)
    return [post.id for post in POSTS if where.matches(post)]


# -- the filter's terms ------------------------------------------------------------------


def test_terms_match_by_key_and_words_match_the_text(words: Vocabulary) -> None:
    assert ids("", words) == ["a", "b", "c", "d"] and not PostFilter.parse("", words)
    assert ids("platform:instagram", words) == ["a", "c"]
    assert ids("platform:instagram status:review", words) == ["c"]
    assert ids("status:draft status:idea", words) == ["a", "b"]  # several values of one key: any of them
    assert ids("format:reel", words) == ["a"]
    assert ids("format:post", words) == ["c", "d"]  # the default format
    assert ids("tag:LAUNCH", words) == ["a"]
    assert ids("BLUE", words) == ["b"]
    assert ids("nothing:here", words) == []  # an unknown key is a word
    assert ids("platform:", words) == ["a", "b", "c", "d"]  # a term still being typed does not filter


def test_display_names_marks_and_unique_beginnings_are_accepted(words: Vocabulary) -> None:
    for term in ("platform:Instagram", "platform:IG", "platform:insta", "platform:INST"):
        where = PostFilter.parse(term, words)
        assert [p.id for p in POSTS if where.matches(p)] == ["a", "c"] and where.problems == (), term
    assert PostFilter.parse("platform:insta", words).readings == ("platform:insta is instagram",)
    assert PostFilter.parse("platform:instagram", words).readings == ()  # nothing to explain
    assert ids("platform:kiln", words) == ["d"]  # a word of a custom platform's label
    assert ids("platform:twitter", words) == []  # X's label, no post on X
    assert PostFilter.parse("platform:twitter", words).readings == ("platform:twitter is x",)
    assert ids("status:pub", words) == ["d"] and ids("status:DR", words) == ["a"]
    assert ids("format:vid", words) == ["b"]
    assert ids("tag:lau", words) == ["a"]


@pytest.mark.parametrize(
    ("term", "problem"),
    [
        ("platform:instgram", "no platform 'instgram' — did you mean instagram?"),
        ("status:drafts", "no status 'drafts' — did you mean draft?"),
        ("format:reels", "no format 'reels' — did you mean reel?"),
        ("status:zzz", "no status 'zzz' — one of approved, draft, idea, published, review, scheduled"),
        ("platform:zzz", "no platform 'zzz'"),
        ("tag:lunch", "no post has the tag 'lunch' — did you mean launch?"),
        ("platform:t", "platform 't' could be threads, tiktok or x"),
    ],
)
def test_a_term_that_names_nothing_says_so_and_matches_nothing(words: Vocabulary, term: str, problem: str) -> None:
    where = PostFilter.parse(term, words)
    assert where.problems == (problem,)
    assert [post for post in POSTS if where.matches(post)] == []


def test_a_term_that_names_nothing_does_not_undo_the_others_of_its_key(words: Vocabulary) -> None:
    where = PostFilter.parse("platform:tiktok platform:instgram", words)
    assert [p.id for p in POSTS if where.matches(p)] == ["b"] and len(where.problems) == 1


def test_a_typed_value_is_shown_on_one_line_in_a_problem(words: Vocabulary) -> None:
    (problem,) = PostFilter.parse("platform:\x1b]52;c;x\x07", words).problems
    assert "\x1b" not in problem and "\x07" not in problem


def test_the_vocabulary_knows_the_plans_own_formats_and_platforms() -> None:
    posts = [
        Post("p", "mastodon", dt.datetime(2027, 3, 1, 9), format="zine"),
        Post("q", "newsletter", dt.datetime(2027, 3, 1, 9)),
    ]
    words = Vocabulary.of(plan_with(posts))
    assert PostFilter.parse("format:zine platform:newsletter platform:mastodon", words).problems == ()


# -- the next status ------------------------------------------------------------------


def test_statuses_follow_each_other_and_published_is_the_last() -> None:
    assert [next_status(status) for status in STATUSES] == [*STATUSES[1:], None]


def test_advancing_a_post_is_one_edit_of_its_status(sample) -> None:
    plan = PlanFile.open(sample("shop-launch.toml")).plan
    index = next(i for i, post in enumerate(plan.posts) if post.id == "ig-launch-story")  # a draft
    edit = advance_status(plan, index)
    assert edit == SetField(("smm", "posts", index), "status", "review", "set “Going live on TikTok” to review")
    published = plan_with([Post("x", "instagram", dt.datetime(2027, 3, 1), status="published")])
    assert advance_status(published, 0) is None
    long = plan_with([Post("x", "instagram", dt.datetime(2027, 3, 1), title="A" * 60 + "\nsecond line")])
    assert advance_status(long, 0).label == f"set “{'A' * 39}…” to draft"  # type: ignore[union-attr]


# -- the platforms' marks ------------------------------------------------------------------


def test_every_platform_in_the_rules_data_has_two_capital_letters_of_its_own() -> None:
    marks = [rule.mark for rule in builtin_platforms().values()]
    assert all(re.fullmatch("[A-Z]{2}", mark) for mark in marks), marks
    assert len(set(marks)) == len(marks)
    assert platform_marks(["instagram", "facebook", "tiktok", "pinterest", "x", "linkedin"]) == {
        "instagram": "IG",
        "facebook": "FB",
        "tiktok": "TT",
        "pinterest": "PI",
        "x": "XT",
        "linkedin": "LI",
    }


def test_a_custom_platform_gets_a_mark_no_other_platform_has() -> None:
    marks = platform_marks(["whatsapp", "wharf", "instagram", "igloo", "微博", "-"])
    assert marks["wharf"] == "WH" and marks["instagram"] == "IG"
    assert marks["whatsapp"] == "WA"  # WH went to wharf, first in sorted order
    assert marks["igloo"] == "IL"  # IG is Instagram's
    assert all(len(mark) == 2 for mark in marks.values()) and len(set(marks.values())) == len(marks)
    assert marks == platform_marks(reversed(list(marks)))  # not the order they come in
