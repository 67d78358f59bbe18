"""Per-platform rules (text limits, hashtag limits, formats) from packaged data.

The numbers live in ``planner/data/platforms.toml`` with the date each was
checked and its source, because platforms change them.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pkgutil import get_data

from planner.plan.model import FORMATS, Plan, Post
from planner.rules import text as textrules


@dataclass(frozen=True, slots=True)
class Limit:
    value: int
    as_of: dt.date | None = None
    source: str = ""
    note: str = ""
    counting: str = ""  # how this limit counts when it differs from its platform (YouTube's description: utf8-bytes)


# The limits a post is checked against, as they are named in the rules data.
POST_LIMITS = ("text_limit", "title_limit", "hashtag_limit", "mention_limit")
# Numbers the data records for people but planner does not check (a plan has no comment field).
OTHER_LIMITS = ("comment_limit",)


@dataclass(frozen=True, slots=True)
class FormatRules:
    """Limits that differ for some formats (``[tiktok.by_format.photo]``); a missing one is the platform's."""

    formats: tuple[str, ...]  # the table's own name first, then its ``also`` names
    text_limit: Limit | None = None
    title_limit: Limit | None = None


@dataclass(frozen=True, slots=True)
class PlatformRules:
    name: str
    label: str
    mark: str
    counting: str = "graphemes"
    formats: tuple[str, ...] = ()
    text_limit: Limit | None = None
    title_limit: Limit | None = None
    hashtag_limit: Limit | None = None
    mention_limit: Limit | None = None
    comment_limit: Limit | None = None
    profile_url: str = ""
    share_url: str = ""
    share_url_also: tuple[str, ...] = ()  # other share links the platform accepts (older or undocumented forms)
    handle_pattern: str = ""  # a regular expression for the account names it accepts, without the leading @
    handle_source: str = ""
    by_format: tuple[FormatRules, ...] = ()

    def accepts_handle(self, handle: str) -> bool:
        """Whether ``handle`` (with or without one leading @) is an account name this platform accepts."""
        if not self.handle_pattern:
            return True
        return _compiled(self.handle_pattern).fullmatch(handle.removeprefix("@")) is not None

    @property
    def share_urls(self) -> tuple[str, ...]:
        """Every share link pattern the platform accepts, the documented one first."""
        return (self.share_url, *self.share_url_also) if self.share_url else self.share_url_also

    def limit(self, key: str, fmt: str = "") -> Limit | None:
        """The limit ``key`` (``text_limit``, ...) for a post of format ``fmt``: the format's own, else the platform's."""
        for rules in self.by_format:
            if fmt in rules.formats and getattr(rules, key, None) is not None:
                return getattr(rules, key)
        return getattr(self, key)

    def limits(self) -> list[tuple[str, Limit]]:
        """Every number in the rules data for this platform, named like ``text_limit`` or ``by_format.photo.title_limit``."""
        found = [(key, getattr(self, key)) for key in (*POST_LIMITS, *OTHER_LIMITS) if getattr(self, key) is not None]
        for rules in self.by_format:
            found += [
                (f"by_format.{rules.formats[0]}.{key}", getattr(rules, key))
                for key in ("text_limit", "title_limit")
                if getattr(rules, key)
            ]
        return found


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _limit(raw: object) -> Limit | None:
    if isinstance(raw, dict) and isinstance(raw.get("value"), int):
        return Limit(
            raw["value"], raw.get("as_of"), raw.get("source", ""), raw.get("note", ""), raw.get("counting", "")
        )
    return None


def _by_format(raw: object) -> tuple[FormatRules, ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(
        FormatRules((fmt, *table.get("also", ())), _limit(table.get("text_limit")), _limit(table.get("title_limit")))
        for fmt, table in raw.items()
        if isinstance(table, dict)
    )


@cache
def builtin_platforms() -> dict[str, PlatformRules]:
    """The packaged platform rules, by platform id (``x``, ``linkedin``, ...)."""
    raw = get_data(
        "planner.data", "platforms.toml"
    )  # read by the package's loader (importlib.resources would import zipfile too)
    assert raw is not None
    text = raw.decode("utf-8")
    rules = {}
    for name, raw in tomllib.loads(text).items():
        rules[name] = PlatformRules(
            name=name,
            label=raw.get("label", name),
            mark=raw.get("mark", name[:2]),
            counting=raw.get("counting", "graphemes"),
            formats=tuple(raw.get("formats", ())),
            **{key: _limit(raw.get(key)) for key in (*POST_LIMITS, *OTHER_LIMITS)},
            profile_url=raw.get("profile_url", ""),
            share_url=raw.get("share_url", ""),
            share_url_also=tuple(raw.get("share_url_also", ())),
            handle_pattern=raw.get("handle_pattern", ""),
            handle_source=raw.get("handle_source", ""),
            by_format=_by_format(raw.get("by_format")),
        )
    return rules


def platform_marks(names: Iterable[str]) -> dict[str, str]:
    """The two-letter mark of each platform in ``names``: the rules data's, or one made from a custom platform's name.

    A made mark is capitals from the name (``whatsapp`` is ``WH``, then ``WA``,
    ``WT``... if that is taken) that no platform in the rules data uses and no
    other custom platform got first (custom names are served in sorted order,
    so a mark does not depend on the order posts come in).
    """
    rules = builtin_platforms()
    wanted = set(names)
    marks = {name: rules[name].mark for name in wanted if name in rules}
    taken = {rule.mark for rule in rules.values()}
    for name in sorted(wanted - marks.keys()):
        mark = next(candidate for candidate in _mark_candidates(name) if candidate not in taken)
        marks[name] = mark
        taken.add(mark)
    return marks


def _mark_candidates(name: str) -> Iterable[str]:
    """Two-cell marks for ``name``: its first letter with each later one, then with a digit, then any two capitals."""
    letters = [
        char
        for char in name.upper()
        if char.isalnum() and char.isprintable() and unicodedata.east_asian_width(char) not in "WF"
    ]
    if letters:
        yield from (letters[0] + other for other in letters[1:])
        yield from (letters[0] + digit for digit in "23456789")
    yield from (first + second for first in string.ascii_uppercase for second in string.ascii_uppercase)
    yield from (first + digit for first in string.ascii_uppercase for digit in string.digits)


def formats_for(platform: str) -> tuple[str, ...]:
    """The formats a post on ``platform`` can have: the rules data's, or every known format for a custom platform."""
    rule = builtin_platforms().get(platform)
    return rule.formats if rule and rule.formats else FORMATS


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits a post on one platform is held to in one plan, and how its text is counted.

    ``None`` means no known limit.
    """

    counting: str = "graphemes"
    text: int | None = None
    title: int | None = None
    hashtags: int | None = None
    mentions: int | None = None
    text_counting: str = ""  # the text's own counting where the platform counts it differently ("" for ``counting``)
    title_counting: str = ""


def limits_for(plan: Plan, platform: str, fmt: str = "") -> Limits:
    """The effective limits for a post of format ``fmt`` on ``platform`` in ``plan``.

    The plan's ``[[smm.platforms]]`` entry wins, then the rules data for the
    format (a TikTok photo post), then the platform's; a custom platform has
    only its own limits and is counted in graphemes. A field the platform
    counts its own way (YouTube's description, in bytes) is counted that way
    against the plan's own limit too. `planner check` and the post editor
    both use this, so they always agree.
    """
    rule = builtin_platforms().get(platform)
    choice = plan.platform(platform)

    def pick(own: int | None, key: str) -> int | None:
        known = rule.limit(key, fmt) if rule else None
        return own or (known.value if known else None) or None

    def counting(key: str) -> str:
        known = rule.limit(key, fmt) if rule else None
        return known.counting if known else ""

    return Limits(
        counting=rule.counting if rule else "graphemes",
        text=pick(choice.text_limit if choice else None, "text_limit"),
        title=pick(choice.title_limit if choice else None, "title_limit"),
        hashtags=pick(choice.hashtag_limit if choice else None, "hashtag_limit"),
        mentions=pick(None, "mention_limit"),
        text_counting=counting("text_limit"),
        title_counting=counting("title_limit"),
    )


@dataclass(frozen=True, slots=True)
class Count:
    """How much of a limit a post uses: ``used`` against ``limit`` (None: no limit)."""

    what: str  # "text", "title", "hashtags" or "mentions"
    used: int
    limit: int | None
    unit: str = ""  # of a text or title: "characters" or "bytes" (`planner.rules.text.unit`)

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


def measure(limits: Limits, title: str, text: str, *, limited_only: bool = False) -> list[Count]:
    """The text, title, hashtag and mention counts of a post, counted the way its platform counts.

    With ``limited_only`` only the counts that have a limit are made (counting is
    the slow part of checking a large plan).
    """
    counts = []
    if limits.text or not limited_only:
        method = limits.text_counting or limits.counting
        counts.append(Count("text", textrules.count(text, method), limits.text, textrules.unit(method)))
    if limits.title or not limited_only:
        method = limits.title_counting or limits.counting
        counts.append(Count("title", textrules.count(title, method), limits.title, textrules.unit(method)))
    if limits.hashtags or not limited_only:
        counts.append(Count("hashtags", len(textrules.hashtags(text)), limits.hashtags))
    if limits.mentions or not limited_only:
        counts.append(Count("mentions", len(textrules.mentions(text)), limits.mentions))
    return counts


def over_limits(plan: Plan, post: Post) -> list[Count]:
    """What of ``post`` is over its platform's limits in ``plan`` (`limits_for`, as `planner check` counts)."""
    counts = measure(limits_for(plan, post.platform, post.format), post.title, post.text, limited_only=True)
    return [count for count in counts if count.over]
