"""Per-platform rules (text limits, hashtag limits, formats) from packaged data.

The numbers live in ``planner/data/platforms.toml`` with the date each was
checked and its source, because platforms change them.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from planner.plan.model import Plan
from planner.rules import text as textrules


@dataclass(frozen=True, slots=True)
class Limit:
    value: int
    as_of: dt.date | None = None
    source: str = ""
    note: str = ""


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
    profile_url: str = ""
    share_url: str = ""


def _limit(raw: object) -> Limit | None:
    if isinstance(raw, dict) and isinstance(raw.get("value"), int):
        return Limit(raw["value"], raw.get("as_of"), raw.get("source", ""), raw.get("note", ""))
    return None


@cache
def builtin_platforms() -> dict[str, PlatformRules]:
    """The packaged platform rules, by platform id (``x``, ``linkedin``, ...)."""
    text = resources.files("planner.data").joinpath("platforms.toml").read_text("utf-8")
    rules = {}
    for name, raw in tomllib.loads(text).items():
        rules[name] = PlatformRules(
            name=name,
            label=raw.get("label", name),
            mark=raw.get("mark", name[:2]),
            counting=raw.get("counting", "graphemes"),
            formats=tuple(raw.get("formats", ())),
            text_limit=_limit(raw.get("text_limit")),
            title_limit=_limit(raw.get("title_limit")),
            hashtag_limit=_limit(raw.get("hashtag_limit")),
            profile_url=raw.get("profile_url", ""),
            share_url=raw.get("share_url", ""),
        )
    return rules


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits a post on one platform is held to in one plan, and how its text is counted.

    ``None`` means no known limit.
    """

    counting: str = "graphemes"
    text: int | None = None
    title: int | None = None
    hashtags: int | None = None


def limits_for(plan: Plan, platform: str) -> Limits:
    """The effective limits for ``platform`` in ``plan``.

    The plan's ``[[smm.platforms]]`` entry wins, then the rules data; a custom
    platform has only its own limits and is counted in graphemes. `planner
    check` and the post editor both use this, so they always agree.
    """
    rule = builtin_platforms().get(platform)
    choice = plan.platform(platform)

    def pick(own: int | None, known: Limit | None) -> int | None:
        return own or (known.value if known else None) or None

    return Limits(
        counting=rule.counting if rule else "graphemes",
        text=pick(choice and choice.text_limit, rule and rule.text_limit),
        title=pick(choice and choice.title_limit, rule and rule.title_limit),
        hashtags=pick(choice and choice.hashtag_limit, rule and rule.hashtag_limit),
    )


@dataclass(frozen=True, slots=True)
class Count:
    """How much of a limit a post uses: ``used`` against ``limit`` (None: no limit)."""

    what: str  # "text", "title" or "hashtags"
    used: int
    limit: int | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


def measure(limits: Limits, title: str, text: str, *, limited_only: bool = False) -> list[Count]:
    """The text, title and hashtag counts of a post, counted the way its platform counts.

    With ``limited_only`` only the counts that have a limit are made (counting is
    the slow part of checking a large plan).
    """
    counts = []
    if limits.text or not limited_only:
        counts.append(Count("text", textrules.count(text, limits.counting), limits.text))
    if limits.title or not limited_only:
        counts.append(Count("title", textrules.count(title, limits.counting), limits.title))
    if limits.hashtags or not limited_only:
        counts.append(Count("hashtags", len(textrules.hashtags(text)), limits.hashtags))
    return counts
