"""The checks: each warns on a small plan that breaks it and stays quiet on a clean one."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.plan.model import STATUSES, Campaign, Plan, PlatformChoice, Post, SmoItem
from planner.plan.plan_file import load
from planner.report import fold, status_text
from planner.rules import checks
from planner.rules.text import count, graphemes, hashtags

NOW = dt.datetime(2026, 3, 1, 12, 0)  # before every post below


def _toml(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def plan_text(
    posts: list[dict] = (),
    platforms: list[dict] = ({"name": "instagram"},),
    *,
    timezone: str = "Europe/Berlin",
    end: str = "2026-05-31",
    smm_start: str = "2026-03-16",
) -> str:
    lines = [
        "schema = 1",
        "[campaign]",
        'name = "Spring sale"',
        f'timezone = "{timezone}"',
        "start = 2026-03-02",
        f"end = {end}",
        "[smo]",
        "due = 2026-03-13",
        "[smm]",
        f"start = {smm_start}",
    ]
    for platform in platforms:
        lines.append("[[smm.platforms]]")
        lines += [f"{key} = {_toml(value)}" for key, value in platform.items()]
    for index, post in enumerate(posts):
        post = {"id": f"post-{index}", "platform": "instagram", "status": "draft", **post}
        lines.append("[[smm.posts]]")
        lines += [f"{key} = {_toml(value)}" for key, value in post.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def plan(tmp_path: Path):
    """Build, write and load a plan; return the model."""

    def build(*args, **kwargs) -> Plan:
        path = tmp_path / "plan.toml"
        path.write_text(plan_text(*args, **kwargs), encoding="utf-8")
        loaded = load(path)
        assert loaded.errors == [], loaded.errors
        assert loaded.plan is not None
        return loaded.plan

    return build


def warnings(plan: Plan, now: dt.datetime = NOW) -> list[tuple[str, str]]:
    """(code, dotted path) of every warning, for compact asserts."""
    from planner.plan.problems import dotted

    return [(p.code, dotted(p.path)) for p in checks.check(plan, now=now)]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_a_clean_plan_has_no_warnings(plan) -> None:
    clean = plan(
        [
            {"at": at("2026-03-17T09:00"), "text": "Spring is here #spring #sale", "status": "published"},
            {"at": at("2026-03-17T10:00"), "platform": "x", "text": "a" * 280},
            {"at": at("2026-03-17T10:00"), "title": "Tide"},
        ],
        [{"name": "instagram", "cadence": 0}, {"name": "x"}],
    )
    assert checks.check(clean, now=at("2026-03-20T00:00")) == []


# -- phase gate -----------------------------------------------------------------


def test_days_between_the_phases_are_a_warning_with_their_count_and_dates(plan) -> None:
    problems = checks.check(plan(smm_start="2026-03-18"), now=NOW)  # SMO due Friday 13
    assert [(p.code, p.path) for p in problems] == [("phase-gap", ("smm", "start"))]
    assert problems[0].message == (
        "4 days between the SMO due date (2026-03-13) and the SMM start (2026-03-18) belong to neither phase: 2026-03-14 to 2026-03-17"
    )
    assert problems[0].hint == "SMM starts where SMO ends: set smm.start to 2026-03-14, or smo.due to 2026-03-17"
    assert warnings(plan(smm_start="2026-03-17")) == [("phase-gap", "smm.start")]  # a weekend and a Monday


def test_a_weekend_alone_between_the_phases_is_left_free(plan) -> None:
    assert warnings(plan(smm_start="2026-03-16")) == []  # Friday due, Monday start
    assert warnings(plan(smm_start="2026-03-15")) == []  # Saturday only
    assert warnings(plan(smm_start="2026-03-14")) == []  # no gap


def test_one_weekday_between_the_phases_reads_as_one_day(tmp_path: Path) -> None:
    text = plan_text(smm_start="2026-03-13").replace("due = 2026-03-13", "due = 2026-03-11")
    path = tmp_path / "gap.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    (problem,) = checks.check(loaded.plan, now=NOW)
    assert (
        problem.message
        == "1 day between the SMO due date (2026-03-11) and the SMM start (2026-03-13) belongs to neither phase: 2026-03-12"
    )


def test_a_post_before_the_smm_start_is_a_phase_gate_warning(plan) -> None:
    early = plan([{"at": at("2026-03-15T09:00")}, {"at": at("2026-03-16T09:00")}])
    problems = checks.check(early, now=NOW)
    assert [(p.code, p.path) for p in problems] == [("phase-gate", ("smm", "posts", 0, "at"))]
    (problem,) = problems
    assert "before the SMM phase starts on 2026-03-16" in problem.message
    # SMO ends on Friday 13, SMM starts on Monday 16: the hint says so, not "SMM starts where SMO ends".
    assert problem.hint == "SMO ends on 2026-03-13 and SMM starts on 2026-03-16"


def test_the_hint_says_smm_starts_where_smo_ends_only_where_it_does(plan) -> None:
    meeting = plan([{"at": at("2026-03-13T09:00")}], smm_start="2026-03-14")
    (problem,) = checks.check(meeting, now=NOW)
    assert problem.hint == "SMM starts where SMO ends"
    (problem,) = checks.check(plan(smm_start="2026-03-12"), now=NOW)
    assert problem.hint == "SMM should start after SMO ends on 2026-03-13"


def test_an_smm_start_before_smo_ends_is_a_phase_gate_warning(plan) -> None:
    assert warnings(plan(smm_start="2026-03-13")) == [("phase-gate", "smm.start")]
    assert warnings(plan(smm_start="2026-03-14")) == []


def test_the_phase_gate_shows_on_the_posts_line_in_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = plan_text([{"at": at("2026-03-15T09:00")}])
    Path("plan.toml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("at = 2026-03-15T09:00:00") + 1
    result = CliRunner().invoke(main, ["check", "plan.toml"])
    assert result.exit_code == 1
    assert result.output.startswith(f"plan.toml:{line}: smm.posts[0].at: warning: post 'post-0' is dated 2026-03-15")
    assert result.output.rstrip().endswith("(SMO ends on 2026-03-13 and SMM starts on 2026-03-16)")


# -- platforms and limits -----------------------------------------------------------


def test_a_post_on_a_platform_not_chosen_warns(plan) -> None:
    assert warnings(plan([{"at": at("2026-03-17T09:00"), "platform": "x"}])) == [
        ("platform-not-chosen", "smm.posts[0].platform")
    ]
    assert warnings(plan([{"at": at("2026-03-17T09:00"), "platform": "x"}], [{"name": "x"}])) == []


def test_a_post_outside_the_campaign_warns(plan) -> None:
    assert warnings(plan([{"at": at("2026-06-01T09:00")}])) == [("outside-campaign", "smm.posts[0].at")]


def _x_post(text: str) -> list[dict]:
    return [{"at": at("2026-03-17T09:00"), "platform": "x", "text": text}]


@pytest.mark.parametrize(
    ("text", "warns"),
    [
        ("a" * 280, False),
        ("a" * 281, True),
        ("日" * 140, False),  # CJK weighs 2: 140 of them are 280
        ("日" * 141, True),
        ("a" * 256 + " https://example.com/" + "long/" * 20, False),  # a link counts 23: 256 + 1 + 23 = 280
        ("a" * 257 + " https://example.com/" + "long/" * 20, True),
        ("a" * 256 + " https://x.co", False),  # a short link still counts 23
        ("a" * 257 + " https://x.co", True),
        ("😀" * 140, False),  # emoji weigh 2
        ("😀" * 141, True),
    ],
)
def test_x_counts_weighted_characters(plan, text: str, warns: bool) -> None:
    problems = warnings(plan(_x_post(text), [{"name": "x"}]))
    assert problems == ([("text-limit", "smm.posts[0].text")] if warns else [])


def test_the_text_limit_message_says_the_count_and_the_limit(plan) -> None:
    (problem,) = checks.check(plan(_x_post("日" * 141), [{"name": "x"}]), now=NOW)
    assert problem.message == "text is 282 characters; x allows 280"


def test_a_chosen_platform_can_set_its_own_limits(plan) -> None:
    custom = [{"name": "forum", "label": "Our forum", "text_limit": 10}]
    post = [{"at": at("2026-03-17T09:00"), "platform": "forum", "text": "eleven char"}]
    assert warnings(plan(post, custom)) == [("text-limit", "smm.posts[0].text")]
    post[0]["text"] = "ten chars!"
    assert warnings(plan(post, custom)) == []


def test_a_title_over_the_limit_warns(plan) -> None:
    post = [{"at": at("2026-03-17T09:00"), "platform": "youtube", "format": "video", "title": "t" * 101}]
    assert warnings(plan(post, [{"name": "youtube"}])) == [("title-limit", "smm.posts[0].title")]
    post[0]["title"] = "t" * 100
    assert warnings(plan(post, [{"name": "youtube"}])) == []


@pytest.mark.parametrize(("tags", "warns"), [(5, False), (6, True)])
def test_instagram_allows_five_hashtags(plan, tags: int, warns: bool) -> None:
    text = "New plates! " + " ".join(f"#tag{i}x" for i in range(tags))
    problems = warnings(plan([{"at": at("2026-03-17T09:00"), "text": text}]))
    assert problems == ([("hashtag-limit", "smm.posts[0].text")] if warns else [])


def test_links_and_numbers_are_not_hashtags() -> None:
    assert hashtags("#one #two https://shop.example/p#details #2026 a#b ＃three") == ["one", "two", "three"]


# -- timing ---------------------------------------------------------------------


def test_posts_less_than_an_hour_apart_on_one_platform_warn(plan) -> None:
    close = [{"at": at("2026-03-17T09:00")}, {"at": at("2026-03-17T09:59")}]
    assert warnings(plan(close)) == [("too-close", "smm.posts[1].at")]


def test_posts_an_hour_apart_or_on_other_platforms_are_fine(plan) -> None:
    spaced = [
        {"at": at("2026-03-17T09:00")},
        {"at": at("2026-03-17T10:00")},
        {"at": at("2026-03-17T10:00"), "platform": "x"},
    ]
    assert warnings(plan(spaced, [{"name": "instagram"}, {"name": "x"}])) == []


def test_the_later_of_two_close_posts_is_named_whatever_the_file_order(plan) -> None:
    close = [{"at": at("2026-03-17T09:30"), "id": "late"}, {"at": at("2026-03-17T09:00"), "id": "early"}]
    (problem,) = checks.check(plan(close), now=NOW)
    assert problem.path == ("smm", "posts", 0, "at")
    assert "'late' is less than an hour after 'early'" in problem.message


def test_weeks_short_of_the_cadence_warn(plan) -> None:
    # SMM runs two full weeks: 16-22 March and 23-29 March
    posts = [{"at": at("2026-03-17T09:00")}, {"at": at("2026-03-19T09:00")}, {"at": at("2026-03-24T09:00")}]
    short = plan(posts, [{"name": "instagram", "cadence": 2}], end="2026-03-29")
    problems = checks.check(short, now=NOW)
    assert [(p.code, p.path) for p in problems] == [("cadence", ("smm", "platforms", 0, "cadence"))]
    assert problems[0].message == "instagram gets fewer than 2 posts in the week of 2026-03-23"
    posts.append({"at": at("2026-03-26T09:00")})
    assert warnings(plan(posts, [{"name": "instagram", "cadence": 2}], end="2026-03-29")) == []


def test_a_published_post_in_the_future_warns(plan) -> None:
    published = plan([{"at": at("2026-03-17T09:00"), "status": "published"}])
    assert warnings(published, now=at("2026-03-17T08:59")) == [("published-future", "smm.posts[0].status")]
    assert warnings(published, now=at("2026-03-17T09:00")) == []


def test_a_tag_with_a_comma_warns_because_csv_and_the_app_would_split_it(plan) -> None:
    tagged = plan([{"at": at("2026-03-17T09:00"), "tags": ["spring, sale", "launch"]}])
    assert warnings(tagged) == [("tag-comma", "smm.posts[0].tags")]
    assert warnings(plan([{"at": at("2026-03-17T09:00"), "tags": ["spring-sale", "launch day"]}])) == []


def test_a_local_time_the_clocks_skip_warns(plan) -> None:
    problems = checks.check(plan([{"at": at("2026-03-29T02:30")}]), now=NOW)
    assert [(p.code, p.path) for p in problems] == [("daylight-saving", ("smm", "posts", 0, "at"))]
    assert "2026-03-29 02:30 does not exist" in problems[0].message
    assert "Europe/Berlin" in problems[0].message


def test_a_local_time_that_happens_twice_warns(plan) -> None:
    problems = checks.check(plan([{"at": at("2026-10-25T02:30")}], end="2026-11-30"), now=NOW)
    assert [(p.code, p.path) for p in problems] == [("daylight-saving", ("smm", "posts", 0, "at"))]
    assert "2026-10-25 02:30 happens twice" in problems[0].message


@pytest.mark.parametrize("time", ["2026-03-29T01:59", "2026-03-29T03:00", "2026-10-25T01:59", "2026-10-25T03:00"])
def test_times_next_to_a_clock_change_are_fine(plan, time: str) -> None:
    assert warnings(plan([{"at": at(time)}], end="2026-11-30")) == []


def test_daylight_saving_follows_the_campaign_time_zone(plan) -> None:
    # New York changes on 8 March and 1 November 2026, not on Berlin's dates
    assert warnings(plan([{"at": at("2026-03-29T02:30")}], timezone="America/New_York")) == []
    assert warnings(plan([{"at": at("2026-11-01T01:30")}], timezone="America/New_York", end="2026-11-30")) == [
        ("daylight-saving", "smm.posts[0].at")
    ]


# -- counting characters --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("👍🏽", 1),  # thumbs up + skin tone
        ("👨\u200d👩\u200d👧\u200d👦", 1),  # family, joined with ZWJ
        ("🇩🇪", 1),  # flag: two regional indicators
        ("🇩🇪🇫🇷", 2),  # two flags, not four halves
        ("e\u0301", 1),  # e + combining acute accent
        ("1\ufe0f\u20e3", 1),  # keycap
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 1),  # England: tag sequence
        ("Hello, world", 12),
        ("a\r\nb", 3),
    ],
)
def test_count_counts_what_a_reader_sees_as_one_character(text: str, length: int) -> None:
    assert count(text) == length
    assert len(graphemes(text)) == length


def test_other_counting_methods() -> None:
    assert count("👍🏽", "utf16") == 4
    assert count("日本", "x-weighted") == 4
    assert count("👨\u200d👩\u200d👧\u200d👦", "x-weighted") == 2  # one emoji weighs 2
    assert count("e\u0301" * 3, "x-weighted") == 3  # X counts the composed é
    assert count("see https://example.com/a/b/c.", "x-weighted") == 4 + 23 + 1  # the full stop is not the link's
    assert count("shop at example.com/sale", "x-weighted") == 8 + 23  # X links bare domains too
    assert count("mail hi@example.com", "x-weighted") == 19  # an address is not a link


_PIECES = [
    "a",
    "é",
    "ÿ",
    "\u02ff",
    "\r",
    "\n",
    " ",
    "#",
    "x.com",
    "https://a.de/x",
    "日",
    "👍",
    "🏽",
    "\u0301",
    "\u200d",
    "🇩",
    "🇪",
    "\ufe0f",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_the_quick_count_of_plain_text_agrees_with_splitting_it(text: str) -> None:
    # Text below U+0300 is counted without splitting it into graphemes; the result must not change.
    assert count(text) == len(graphemes(text))

    from planner.rules.text import _URL, X_URL_LENGTH, _x_weight

    composed = unicodedata.normalize("NFC", text)
    pieces = _URL.split(composed)
    expected = sum(_x_weight(c) for piece in pieces for c in graphemes(piece)) + X_URL_LENGTH * (len(pieces) - 1)
    assert count(text, "x-weighted") == expected


# -- never a traceback ----------------------------------------------------------------

_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date.max)
_times = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))
_platforms = st.sampled_from(["x", "instagram", "youtube", "tiktok", "bluesky", "forum\x1b[2J"])
# Text with what a terminal would act on: escape sequences, C1 controls, line breaks, bidi overrides.
_CONTROLS = [
    "\x1b[2J",
    "\x1b]52;c;aGk=\x07",
    "\x9b31m",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x7f",
    "\x85",
    "\u2028",
    "\u202e",
    "\u2066",
]


def _hostile(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_CONTROLS) | st.text(max_size=5), max_size=max_size // 4).map("".join)


def _shows_no_controls(line: str) -> bool:
    """No character a terminal acts on: C0 and C1 controls (tab and CR too), DEL, line and paragraph separators, bidi controls."""
    return not any(
        unicodedata.category(c) == "Cc" or c in "\u2028\u2029" or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"
        for c in line
    )


@st.composite
def _plans(draw) -> Plan:
    start, end = sorted([draw(_dates), draw(_dates)])
    names = draw(st.lists(_platforms, unique=True, max_size=3))
    return Plan(
        campaign=Campaign(
            name=draw(_hostile(20)),
            timezone=draw(st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])),
            start=start,
            end=end,
        ),
        smo_due=draw(_dates),
        smm_start_set=draw(st.none() | _dates),
        smo_items=[
            SmoItem(id=f"i{n}", title="t", category=draw(_hostile(8)), done=draw(st.booleans()))
            for n in range(draw(st.integers(0, 3)))
        ],
        platforms=[
            PlatformChoice(name=name, cadence=draw(st.integers(0, 5)), text_limit=draw(st.none() | st.integers(1, 50)))
            for name in names
        ],
        posts=[
            Post(
                id=f"p{n}",
                platform=draw(_platforms),
                at=draw(_times),
                status=draw(st.sampled_from(STATUSES)),
                title=draw(_hostile(30)),
                text=draw(_hostile(60)),
            )
            for n in range(draw(st.integers(0, 6)))
        ],
    )


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=_plans(), now=_times, week_start=st.integers(0, 6))
def test_checks_never_raise_and_no_line_of_status_or_check_shows_a_control_character(
    plan: Plan, now: dt.datetime, week_start: int
) -> None:
    problems = checks.check(plan, now=now, week_start=week_start)
    assert all(p.severity == "warning" for p in problems)
    printed = [
        *status_text(plan, "plan.toml", problems, now=now).split("\n"),
        *status_text(plan, "plan.toml", problems, now=now, verbose=True).split("\n"),
        *fold(problems).lines("plan.toml"),  # what `planner check` prints for them
    ]
    assert [line for line in printed if not _shows_no_controls(line)] == []


def test_cadence_lists_three_short_weeks_and_counts_the_rest(plan) -> None:
    # A typo in the year makes the campaign two centuries long; the check stays quick.
    long = plan([{"at": at("2026-03-24T09:00")}], [{"name": "instagram", "cadence": 1}], end="2226-03-29")
    absurd, problem = checks.check(long, now=NOW)
    assert absurd.code == "absurd-date"  # the year is said to be a likely typo, too
    weeks = (dt.date(2226, 3, 29) - dt.date(2026, 3, 16)).days // 7
    assert problem.message == (
        f"instagram gets fewer than 1 post in the weeks of 2026-03-16, 2026-03-30, 2026-04-06 and {weeks - 4} more"
    )


def test_a_campaign_at_the_end_of_the_calendar_is_checked(plan) -> None:
    last = plan([{"at": at("9999-12-20T09:00")}], [{"name": "instagram", "cadence": 1}], end="9999-12-31")
    problems = checks.check(last, now=NOW)
    assert [p.code for p in problems] == [
        "absurd-date",
        "absurd-date",
        "cadence",
    ]  # the campaign's end and the post's date
    assert problems[-1].message.endswith(" more")


# -- invisible characters and URLs that are not URLs ----------------------------------


def test_control_characters_in_any_text_warn_but_tabs_and_newlines_do_not(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    posts = [
        {
            "at": at("2026-03-17T09:00"),
            "title": "Launch\x00day",
            "text": "line one\r\nline two\tand a tab",
            "tags": ["ok", "esc\x1b"],
            "notes": "bell\x07 and del DEL and c1\x85",
        }
    ]
    path.write_text(plan_text(posts).replace("DEL", "\\u007f"), encoding="utf-8")  # TOML wants DEL escaped
    found = load(path).plan
    assert warnings(found) == [
        ("control-character", "smm.posts[0].title"),
        ("control-character", "smm.posts[0].tags[1]"),
        ("control-character", "smm.posts[0].notes"),
    ]
    messages = [p.message for p in checks.check(found, now=NOW)]
    assert messages[0] == "title has 1 invisible control character (U+0000)"
    assert messages[2] == "notes has 3 invisible control characters (U+0007, U+007F, U+0085)"


def test_control_characters_in_the_campaign_items_platforms_and_competitors_warn(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(
        plan_text().replace('name = "Spring sale"', 'name = "Spring\\u000csale"')
        + '[[smm.platforms]]\nname = "x"\nwhy = "vt\\u000b"\n'
        + "[smo]\n" * 0
        + '[[competitors]]\nname = "Globex"\nhandles = { x = "@glo\\u0000bex" }\n',
        encoding="utf-8",
    )
    loaded = load(path)
    assert loaded.plan is not None, loaded.errors
    from planner.plan.problems import dotted

    assert [(p.code, dotted(p.path)) for p in checks.check(loaded.plan, now=NOW) if p.code == "control-character"] == [
        ("control-character", "campaign.name"),
        ("control-character", "smm.platforms[1].why"),
        ("control-character", "competitors[0].handles.x"),
    ]


def test_planner_check_names_the_line_of_a_control_character(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.toml").write_text(
        plan_text([{"at": at("2026-03-17T09:00"), "text": "a\u0000=HYPERLINK()"}]), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", "plan.toml"])
    assert result.exit_code == 1
    assert result.output == (
        "plan.toml:18: smm.posts[0].text: warning: text has 1 invisible control character (U+0000)"
        " (remove them: exports and calendar apps drop or break on them)\n"
    )


@pytest.mark.parametrize(
    ("link", "says"),
    [
        ("https://a.example/\r\nx", "U+000D (a line break)"),
        ("https://a.example/x\n", "U+000A (a line break)"),
        ("https://a.example/a b", "U+0020 (a space)"),
        ("https://a.example/\x00", "U+0000 (a control character)"),
    ],
)
def test_a_link_with_a_line_break_space_or_control_character_warns(plan, link: str, says: str) -> None:
    found = plan([{"at": at("2026-03-17T09:00"), "link": link}])
    assert warnings(found) == [("url-whitespace", "smm.posts[0].link")]
    assert checks.check(found, now=NOW)[0].message == f"link is not a URL: it holds {says}"


def test_an_smo_url_a_site_and_a_competitor_site_with_a_line_break_warn(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    text = plan_text().replace('name = "Spring sale"', 'name = "Spring sale"\nsite = "https://a.example/\\n"')
    text = text.replace("[smm]", '[[smo.items]]\nid = "og"\ntitle = "OG tags"\nurl = "https://a.example/\\rog"\n[smm]')
    path.write_text(text + '[[competitors]]\nname = "Globex"\nsite = "https://globex.example/ x"\n', encoding="utf-8")
    loaded = load(path)
    assert loaded.plan is not None, loaded.errors
    assert [p.path for p in checks.check(loaded.plan, now=NOW) if p.code == "url-whitespace"] == [
        ("campaign", "site"),
        ("smo", "items", 0, "url"),
        ("competitors", 0, "site"),
    ]


# -- absurd dates --------------------------------------------------------------------


def test_a_date_before_1970_or_after_2100_is_an_absurd_date_warning(plan) -> None:
    far = plan([{"at": at("2207-03-17T09:00")}, {"at": at("2026-03-17T09:00")}], end="9999-12-31")
    assert warnings(far) == [("absurd-date", "campaign.end"), ("absurd-date", "smm.posts[0].at")]
    (problem, _) = checks.check(far, now=NOW)
    assert problem.message == "the campaign end is dated 9999-12-31, before 1970 or after 2100"
    assert warnings(plan(end="2100-12-31")) == []


def test_a_phase_date_more_than_five_years_from_the_campaign_is_an_absurd_date_warning(plan) -> None:
    absurd = lambda found: [w for w in warnings(found) if w[0] == "absurd-date"]  # noqa: E731 (the SMM start far away leaves a gap too)
    assert absurd(plan(smm_start="2036-03-16")) == [("absurd-date", "smm.start")]
    assert absurd(plan(smm_start="2031-03-16")) == []  # under five years after the campaign's end


# -- SMO items open when SMM starts, and the template's objective ----------------------------


def _with_items(tmp_path: Path, items: list[tuple[str, bool]], objective: str = "") -> Plan:
    text = plan_text()
    if objective:
        text = text.replace('name = "Spring sale"', f'name = "Spring sale"\nobjective = {_toml(objective)}')
    for index, (title, done) in enumerate(items):
        text += f'[[smo.items]]\nid = "item-{index}"\ntitle = {_toml(title)}\ndone = {_toml(done)}\n'
    path = tmp_path / "items.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert loaded.plan is not None, loaded.errors
    return loaded.plan


def open_items(plan: Plan, now: dt.datetime) -> list[str]:
    return [p.message for p in checks.check(plan, now=now) if p.code == "smo-open"]


def test_open_smo_items_are_named_from_a_week_before_the_smm_start(tmp_path: Path) -> None:
    plan = _with_items(tmp_path, [("Meta titles", False), ("Share buttons", True)])
    assert open_items(plan, at("2026-03-08T12:00")) == []  # SMM starts on 2026-03-16: 8 days ahead
    assert open_items(plan, at("2026-03-09T12:00")) == [
        "SMM starts in 7 days (2026-03-16) and 1 SMO item is still open: “Meta titles”"
    ]
    assert open_items(plan, at("2026-03-15T12:00")) == [
        "SMM starts tomorrow (2026-03-16) and 1 SMO item is still open: “Meta titles”"
    ]
    assert open_items(plan, at("2026-03-16T08:00")) == [
        "SMM starts today (2026-03-16) and 1 SMO item is still open: “Meta titles”"
    ]
    (problem,) = [p for p in checks.check(plan, now=at("2026-03-16T08:00")) if p.code == "smo-open"]
    assert (problem.severity, problem.path) == ("warning", ("smo", "due"))


def test_many_open_smo_items_name_three_and_count_the_rest(tmp_path: Path) -> None:
    plan = _with_items(tmp_path, [("A", False), ("B", True), ("C", False), ("D", False), ("E", False), ("F", False)])
    assert open_items(plan, at("2026-03-20T12:00")) == [
        "SMM started on 2026-03-16 and 5 SMO items are still open: “A”, “C”, “D” and 2 more"
    ]


def test_no_open_items_warning_when_all_are_done_or_the_campaign_is_over(tmp_path: Path) -> None:
    assert open_items(_with_items(tmp_path, [("A", True)]), at("2026-03-20T12:00")) == []
    assert open_items(_with_items(tmp_path, [("A", False)]), at("2026-06-01T12:00")) == []  # ended 2026-05-31


def test_the_templates_placeholder_objective_is_a_note(tmp_path: Path) -> None:
    from planner.plan.template import template_text

    placeholder = tomllib.loads(template_text())["campaign"]["objective"]
    (note,) = [
        p for p in checks.check(_with_items(tmp_path, [], placeholder), now=NOW) if p.code == "placeholder-objective"
    ]
    assert (note.severity, note.path) == ("note", ("campaign", "objective"))
    assert [p for p in checks.check(_with_items(tmp_path, [], "120 sets sold"), now=NOW)] == []
    assert [p for p in checks.check(_with_items(tmp_path, []), now=NOW)] == []  # no objective: nothing to say here


def test_status_counts_read_right_and_percentages_round_half_up(tmp_path: Path) -> None:
    plan = _with_items(tmp_path, [(f"Item {n}", n < 5) for n in range(12)], "120 sets")
    text = status_text(plan, "items.toml", [], now=NOW)
    assert "SMO  5 of 12 done (42%)" in text  # 41.7%, not 41%
    assert "SMM  from 2026-03-16: 0 posts on 1 chosen platform" in text


def test_phase_dates_at_the_ends_of_the_calendar_do_not_break_the_checks(plan) -> None:
    assert warnings(plan(smm_start="0001-01-01")) == [("phase-gate", "smm.start"), ("absurd-date", "smm.start")]
    far = checks.check(plan(smm_start="9999-12-31", end="9999-12-31"), now=NOW)
    assert [p.code for p in far if p.code == "phase-gap"] == ["phase-gap"]


def test_a_count_over_its_limit_is_said_in_words_that_agree_with_it(plan) -> None:
    problems = checks.check(
        plan(
            [{"at": at("2026-03-17T09:00"), "platform": "threads", "text": "Open studio #one #two"}],
            [{"name": "threads"}],
        )
    )
    assert [p.message for p in problems if p.code == "hashtag-limit"] == ["text has 2 hashtags; threads allows 1"]
    _code, _key, message = checks._OVER["hashtags"]  # a limit of 0 (none today) would say "1 hashtag"
    assert message.format(hashtags="1 hashtag", limit=0, platform="threads") == "text has 1 hashtag; threads allows 0"
