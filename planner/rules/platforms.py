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
