"""The campaign plan as plain Python objects.

These are what the command line, the checks, the exports and the app's
widgets work with. They are built from validated data (see `schema`), never
hold TOML wrapper types, and import nothing from Textual or tomlkit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.plan.ids import slugify

STATUSES = ("idea", "draft", "review", "approved", "scheduled", "published")
FORMATS = ("post", "story", "reel", "video", "short", "thread", "carousel", "pin", "ad", "live", "article", "newsletter")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Where each collection lives in the file, as a key path.
SMO_ITEMS = ("smo", "items")
PLATFORMS = ("smm", "platforms")
POSTS = ("smm", "posts")
COMPETITORS = ("competitors",)


@dataclass(frozen=True, slots=True)
class Campaign:
    name: str
    timezone: str
    start: dt.date
    end: dt.date
    site: str = ""
    objective: str = ""
    id: str = ""  # stable across renames; "" in plans made before it existed (see `identity`)

    @property
    def identity(self) -> str:
        """What the exports know the campaign by: its ``id``, or for older plans a slug of its name."""
        return self.id or slugify(self.name)


@dataclass(frozen=True, slots=True)
class SmoItem:
    id: str
    title: str
    category: str = ""
    done: bool = False
    done_on: dt.date | None = None
    owner: str = ""
    url: str = ""
    notes: str = ""
    audit: str = ""


@dataclass(frozen=True, slots=True)
class BestTime:
    """A weekly slot such as ``tue 09:00``."""

    weekday: int  # 0 = Monday, as in `datetime.date.weekday()`
    time: dt.time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.time:%H:%M}"


@dataclass(frozen=True, slots=True)
class PlatformChoice:
    """A platform chosen for this campaign (an entry of ``[[smm.platforms]]``).

    ``text_limit``, ``title_limit`` and ``hashtag_limit`` override the rules
    data; for a custom platform (a forum, a newsletter) they are its only limits.
    """

    name: str
    handle: str = ""
    why: str = ""
    cadence: int = 0
    best_times: tuple[BestTime, ...] = ()
    label: str = ""
    text_limit: int | None = None
    title_limit: int | None = None
    hashtag_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    platform: str
    at: dt.datetime  # naive, local to the campaign's time zone
    format: str = "post"
    status: str = "idea"
    title: str = ""
    text: str = ""
    link: str = ""
    tags: tuple[str, ...] = ()
    notes: str = ""
    approved_by: str = ""  # who approved it ("" = not approved); see `planner.plan.approval`
    approved_fingerprint: str = ""  # what they approved: `approval.fingerprint` of text, link, time and platform


@dataclass(frozen=True, slots=True)
class Competitor:
    name: str
    site: str = ""
    handles: tuple[tuple[str, str], ...] = ()  # (platform, handle), in file order
    cadence: str = ""
    strengths: str = ""
    weaknesses: str = ""
    notes: str = ""


@dataclass(slots=True)
class Plan:
    campaign: Campaign
    smo_due: dt.date
    smm_start_set: dt.date | None = None
    smo_items: list[SmoItem] = field(default_factory=list)
    platforms: list[PlatformChoice] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    competitors: list[Competitor] = field(default_factory=list)
    schema: int = 1

    @property
    def smm_start(self) -> dt.date:
        """The first day of the SMM phase: as set, or the day after SMO is due."""
        if self.smm_start_set is not None:
            return self.smm_start_set
        return self.smo_due + dt.timedelta(days=1) if self.smo_due < dt.date.max else self.smo_due

    def platform(self, name: str) -> PlatformChoice | None:
        for choice in self.platforms:
            if choice.name == name:
                return choice
        return None
