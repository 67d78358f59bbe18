"""The platform rules data and the platforms' own counting rules, at their boundaries.

Each number in planner/data/platforms.toml needs the date it was checked and a
source URL; each counting rule is tested with text just under and just over
the limit, built from what the platform documents.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from importlib import resources
from urllib.parse import urlsplit

import pytest

from planner.plan.model import Campaign, Plan, PlatformChoice, Post
from planner.rules import checks
from planner.rules.platforms import builtin_platforms, limits_for
from planner.rules.text import METHODS, X_LIGHT_RANGES, count, mentions

# -- the data: every number dated and sourced ----------------------------------------------------


def data_problems(data: dict) -> list[str]:
    """What is wrong with parsed rules data: each number (a table with a ``value``) needs a
    positive integer, an ``as_of`` date and a ``source`` that is an http(s) URL; a
    ``*_limit`` key must be such a table; ``counting`` must be a method `count` knows."""
    problems: list[str] = []

    def walk(table: dict, path: str) -> None:
        for key, value in table.items():
            here = f"{path}.{key}" if path else key
            if key.endswith("_limit") and not (isinstance(value, dict) and "value" in value):
                problems.append(f"{here}: a limit must be a table with value, as_of and source")
            elif isinstance(value, dict) and "value" in value:
                number(here, value)
            elif isinstance(value, dict):
                walk(value, here)
            elif key == "counting" and value not in METHODS:
                problems.append(f"{here}: unknown counting {value!r}")

    def number(here: str, table: dict) -> None:
        value, as_of, source = table.get("value"), table.get("as_of"), table.get("source")
        if "counting" in table and table["counting"] not in METHODS:
            problems.append(f"{here}.counting: unknown counting {table['counting']!r}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"{here}: value must be a positive integer")
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            problems.append(f"{here}: no as_of date")
        if not isinstance(source, str) or not source:
            problems.append(f"{here}: no source")
        else:
            parts = urlsplit(source)
            if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in source):
                problems.append(f"{here}: source {source!r} is not a URL")

    walk(data, "")
    return problems


@pytest.fixture(scope="module")
def data() -> dict:
    return tomllib.loads(resources.files("planner.data").joinpath("platforms.toml").read_text("utf-8"))


def test_every_number_has_a_date_and_a_source_url(data: dict) -> None:
    assert data_problems(data) == []
    numbers = [(name, key) for name, rule in builtin_platforms().items() for key, _ in rule.limits()]
    assert len(numbers) >= 20  # the walk saw the data (and the loader read every number)
    assert all(
        limit.as_of and limit.source.startswith("https://")
        for rule in builtin_platforms().values()
        for _, limit in rule.limits()
    )


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ("[p.text_limit]\nvalue = 5\nsource = 'https://a.example/'", "p.text_limit: no as_of date"),
        ("[p.text_limit]\nvalue = 5\nas_of = 2026-12-02", "p.text_limit: no source"),
        (
            "[p.text_limit]\nvalue = 5\nas_of = 2026-12-02\nsource = 'Sprout Social'",
            "p.text_limit: source 'Sprout Social' is not a URL",
        ),
        (
            "[p.text_limit]\nvalue = 5\nas_of = 2026-12-02\nsource = 'docs.x.com/limits'",
            "p.text_limit: source 'docs.x.com/limits' is not a URL",
        ),
        (
            "[p.text_limit]\nvalue = 5\nas_of = 2026-12-02T10:00:00\nsource = 'https://a.example/'",
            "p.text_limit: no as_of date",
        ),
        (
            "[p.by_format.photo.title_limit]\nvalue = 90\nsource = 'https://a.example/'",
            "p.by_format.photo.title_limit: no as_of date",
        ),
        ("[p]\ntext_limit = 500", "p.text_limit: a limit must be a table with value, as_of and source"),
        (
            "[p.text_limit]\nvalue = 0\nas_of = 2026-12-02\nsource = 'https://a.example/'",
            "p.text_limit: value must be a positive integer",
        ),
        ("[p]\ncounting = 'utf-16'", "p.counting: unknown counting 'utf-16'"),
        (
            "[p.text_limit]\nvalue = 5\ncounting = 'bytes'\nas_of = 2026-12-02\nsource = 'https://a.example/'",
            "p.text_limit.counting: unknown counting 'bytes'",
        ),
    ],
)
def test_a_number_without_a_date_or_a_source_url_fails(broken: str, problem: str) -> None:
    assert data_problems(tomllib.loads(broken)) == [problem]


def test_each_number_in_the_shipped_data_fails_without_its_date_or_its_source() -> None:
    """Take one ``as_of`` or ``source`` line out of the real file at a time: the data test must name that number."""
    text = resources.files("planner.data").joinpath("platforms.toml").read_text("utf-8")
    lines = text.splitlines(keepends=True)
    removed = 0
    header = ""
    for index, line in enumerate(lines):
        if line.startswith("["):
            header = line.strip().strip("[]")
        elif line.startswith(("as_of = ", "source = ")):
            key = line.split(" = ")[0]
            broken = tomllib.loads("".join(lines[:index] + lines[index + 1 :]))
            assert data_problems(broken) == [f"{header}: {'no as_of date' if key == 'as_of' else 'no source'}"], (
                header,
                key,
            )
            removed += 1
    assert removed == 2 * len(
        [key for rule in builtin_platforms().values() for key, _ in rule.limits()]
    )  # every number, both lines


def test_patterns_and_formats_fit_together() -> None:
    for name, rule in builtin_platforms().items():
        assert "{handle}" in rule.profile_url, name
        assert all(pattern.startswith("https://") and "{url}" in pattern for pattern in rule.share_urls), name
        for by_format in rule.by_format:
            assert set(by_format.formats) <= set(rule.formats), (
                name
            )  # a per-format limit is for a format the platform lists


def test_every_platform_has_a_handle_pattern_with_its_source() -> None:
    for name, rule in builtin_platforms().items():
        assert rule.handle_pattern and rule.handle_source.startswith("https://"), name
        assert not rule.accepts_handle("two words"), name


def test_an_unknown_counting_method_is_refused_not_counted_as_graphemes() -> None:
    with pytest.raises(ValueError, match="unknown counting method 'utf-16'"):
        count("abc", "utf-16")


# -- share links ----------------------------------------------------------------------------------


def test_x_shares_through_its_documented_intent_and_still_knows_the_old_one() -> None:
    x = builtin_platforms()["x"]
    assert x.share_url == "https://x.com/intent/tweet?url={url}"
    assert "https://x.com/intent/post?url={url}" in x.share_urls  # what earlier plans' sites carry


def test_snapchat_has_its_web_share_link() -> None:
    assert builtin_platforms()["snapchat"].share_url == "https://www.snapchat.com/share?link={url}"


# -- checks on plans ------------------------------------------------------------------------------


def a_plan(platform: str, fmt: str, text: str = "", title: str = "", **own: int) -> Plan:
    campaign = Campaign("Launch", "Europe/Berlin", dt.date(2027, 3, 1), dt.date(2027, 12, 31))
    post = Post("p", platform, dt.datetime(2027, 3, 16, 9), format=fmt, title=title, text=text)
    return Plan(campaign, smo_due=dt.date(2027, 3, 14), platforms=[PlatformChoice(platform, **own)], posts=[post])


def over(plan: Plan) -> list[tuple[str, str]]:
    """The limit warnings about the plan's posts: (code, message)."""
    return [(p.code, p.message) for p in checks.limits(plan)]


# TikTok's posting API: a video caption takes 2,200 UTF-16 units; a photo post a
# 4,000-unit description and a 90-unit title. Carousel is a photo post here.
@pytest.mark.parametrize(
    ("fmt", "limit"),
    [("video", 2200), ("live", 2200), ("post", 2200), ("photo", 4000), ("carousel", 4000)],
)
def test_tiktok_limits_follow_the_format(fmt: str, limit: int) -> None:
    assert over(a_plan("tiktok", fmt, "a" * limit)) == []
    assert over(a_plan("tiktok", fmt, "a" * (limit + 1))) == [
        ("text-limit", f"text is {limit + 1} characters; tiktok allows {limit}")
    ]
    assert over(a_plan("tiktok", fmt, "😀" * (limit // 2))) == []  # UTF-16: an emoji is 2 units
    assert over(a_plan("tiktok", fmt, "😀" * (limit // 2) + "a"))[0][0] == "text-limit"


def test_a_tiktok_photo_title_takes_90_and_a_video_has_no_title_limit() -> None:
    assert over(a_plan("tiktok", "photo", title="t" * 90)) == []
    assert over(a_plan("tiktok", "photo", title="t" * 91)) == [
        ("title-limit", "title is 91 characters; tiktok allows 90")
    ]
    assert over(a_plan("tiktok", "video", title="t" * 300)) == []


def test_the_plans_own_limit_wins_over_a_formats_limit() -> None:
    assert over(a_plan("tiktok", "photo", "a" * 3001, text_limit=3000))[0] == (
        "text-limit",
        "text is 3001 characters; tiktok allows 3000",
    )
    assert limits_for(a_plan("tiktok", "photo"), "tiktok", "photo").text == 4000


@pytest.mark.parametrize("fmt", ["pin", "carousel", "video"])
def test_a_pinterest_description_takes_800(fmt: str) -> None:
    assert "carousel" in builtin_platforms()["pinterest"].formats
    assert over(a_plan("pinterest", fmt, "a" * 800, title="t" * 100)) == []
    assert over(a_plan("pinterest", fmt, "a" * 801)) == [("text-limit", "text is 801 characters; pinterest allows 800")]


def test_instagram_allows_20_mentions_per_caption() -> None:
    twenty = " ".join(f"@maker{i}" for i in range(20))
    assert over(a_plan("instagram", "post", twenty)) == []
    assert over(a_plan("instagram", "post", twenty + " @one.more")) == [
        ("mention-limit", "text mentions 21 accounts; instagram allows 20")
    ]
    # an e-mail address, a link to a profile and a lone @ are not mentions
    assert (
        over(a_plan("instagram", "post", twenty + " mail hi@kiln.example, see https://x.com/@kiln or meet @ 5")) == []
    )


def test_mentions_are_account_names_after_an_at_sign() -> None:
    assert mentions("Thanks @kiln_co and @clay.works. Mail hi@kiln.example") == ["kiln_co", "clay.works"]


# -- Threads: "Emojis are counted as the number of UTF-8 bytes" ------------------------------------


@pytest.mark.parametrize(
    ("emoji", "weight"),
    [
        ("😀", 4),  # U+1F600: four bytes
        ("✨", 3),  # U+2728: three bytes
        ("❤️", 6),  # U+2764 U+FE0F: three and three
        ("👍🏽", 8),  # a skin tone is a second emoji code point: every byte of the sequence counts
    ],
)
def test_threads_counts_an_emoji_as_its_utf8_bytes(emoji: str, weight: int) -> None:
    assert count(emoji, "emoji-bytes") == weight == len(emoji.encode("utf-8"))
    fits = "a" * (500 - weight) + emoji
    assert over(a_plan("threads", "post", fits)) == []
    assert over(a_plan("threads", "post", "a" + fits)) == [("text-limit", "text is 501 characters; threads allows 500")]


def test_threads_counts_other_characters_once() -> None:
    assert count("Café 陶器 e\u0301", "emoji-bytes") == 9  # an accented letter or a CJK character is one, not its bytes
    assert over(a_plan("threads", "post", "陶" * 500)) == []


# -- YouTube: "a maximum length of 5000 bytes" for a description --------------------------------------


@pytest.mark.parametrize(
    ("piece", "size"),
    [
        ("a", 1),
        ("é", 2),  # U+00E9: two bytes
        ("e\u0301", 3),  # e and a combining accent: one character on screen, three bytes
        ("ж", 2),  # Cyrillic
        ("陶", 3),  # Chinese, Japanese: three bytes
        ("한", 3),  # Korean
        ("😀", 4),
        ("👍🏽", 8),  # an emoji and its skin tone
        ("👩\u200d👩\u200d👧", 18),  # a family: three emoji and two joiners
    ],
)
def test_a_youtube_description_is_5000_bytes_of_utf8(piece: str, size: int) -> None:
    assert count(piece, "utf8-bytes") == size == len(piece.encode("utf-8"))
    fits = "a" * (5000 % size) + piece * (5000 // size)  # exactly 5,000 bytes
    assert over(a_plan("youtube", "video", fits)) == []
    assert over(a_plan("youtube", "video", fits + "a")) == [("text-limit", "text is 5001 bytes; youtube allows 5000")]


def test_a_youtube_description_in_another_script_is_over_with_far_fewer_characters() -> None:
    text = "陶器の作り方 " * 300  # 2,100 characters, 5,700 bytes
    assert count(text) == 2100
    assert over(a_plan("youtube", "video", text)) == [("text-limit", "text is 5700 bytes; youtube allows 5000")]
    assert over(a_plan("youtube", "video", text, text_limit=7000)) == []  # the plan's own number is in bytes too


def test_a_youtube_title_is_still_100_characters() -> None:
    assert over(a_plan("youtube", "video", title="陶" * 100)) == []  # 300 bytes, 100 characters
    assert over(a_plan("youtube", "video", title="陶" * 101)) == [
        ("title-limit", "title is 101 characters; youtube allows 100")
    ]
    limits = limits_for(a_plan("youtube", "video"), "youtube", "video")
    assert (limits.counting, limits.text_counting, limits.title_counting) == ("graphemes", "utf8-bytes", "")


# -- Mastodon: every link counts 23 -----------------------------------------------------------------


@pytest.mark.parametrize("link", ["https://a.co", "http://a.co/x", "https://example.com/" + "long/" * 40])
def test_mastodon_counts_every_link_as_23_however_short_or_long(link: str) -> None:
    assert count(link, "mastodon") == 23
    assert over(a_plan("mastodon", "post", "a" * 476 + " " + link)) == []  # 476 + 1 + 23 = 500
    assert over(a_plan("mastodon", "post", "a" * 477 + " " + link)) == [
        ("text-limit", "text is 501 characters; mastodon allows 500")
    ]


def test_mastodon_counts_a_remote_mention_by_its_username_and_a_bare_domain_as_typed() -> None:
    assert count("hi @kiln@potters.social", "mastodon") == len("hi @kiln")
    assert count("see a.co", "mastodon") == 8  # no scheme: not a link to Mastodon
    assert count("👩\u200d👩\u200d👧 https://a.co", "mastodon") == 1 + 1 + 23  # graphemes around the link


# -- X: twitter-text config v3, weight 1 inside four ranges, 2 outside ------------------------------


def _x_sides() -> list[tuple[int, int]]:
    """Every code point on both sides of each boundary of X's ranges, with its weight."""
    sides = []
    for first, last in X_LIGHT_RANGES:
        sides += [(first, 1), (last, 1), (last + 1, 2)]
        if first:
            sides.append((first - 1, 2))
    return sides


def test_x_ranges_are_the_ones_in_twitter_texts_config_v3() -> None:
    assert X_LIGHT_RANGES == ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


@pytest.mark.parametrize(("code", "weight"), _x_sides(), ids=lambda v: f"U+{v:04X}" if v > 2 else str(v))
def test_x_weighs_each_side_of_each_boundary(code: int, weight: int) -> None:
    char = chr(code)
    assert count(char, "x-weighted") == weight
    assert count("a" + char, "x-weighted") == 1 + weight  # and after other text
    fits = "a" * (280 - weight) + char
    assert over(a_plan("x", "post", fits)) == []
    assert over(a_plan("x", "post", "a" + fits))[0][0] == "text-limit"


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("\u1f00", 2),  # Greek extended: outside the ranges, though it is neither CJK nor emoji
        ("\u2192", 2),  # an arrow
        ("\u2014", 1),  # an em dash: inside 8208 to 8223
        ("\u00e9", 1),  # é
        ("\u0915", 1),  # Devanagari: inside 0 to 4351
        ("\u1100", 2),  # Hangul jamo: the first code point past 4351
        ("👩\u200d👩\u200d👧", 2),  # an emoji sequence weighs 2 as a whole
        ("a\u200db", 3),  # a joiner between letters is not an emoji
        ("https://a.co", 23),  # every link weighs 23, a short one too
    ],
)
def test_x_weighs_what_twitter_text_weighs(text: str, weight: int) -> None:
    assert unicodedata.is_normalized("NFC", text)
    assert count(text, "x-weighted") == weight
