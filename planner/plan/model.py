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
FORMATS = (
    "post",
    "story",
    "reel",
    "video",
    "short",
    "thread",
    "carousel",
    "pin",
    "ad",
    "live",
    "article",
    "newsletter",
)
# Goals: what each may measure, and over which period.
GOAL_METRICS = (
    "followers_gained",
    "impressions",
    "reach",
    "engagements",
    "engagement_rate",
    "link_clicks",
    "sessions_from_social",
    "conversions",
)
GOAL_PERIODS = ("campaign", "month", "week")
# The numbers a post's result snapshot may hold.
RESULT_METRICS = (
    "impressions",
    "reach",
    "engagements",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Words for one best time on several days ("daily 18:00"), and the days each means (0 = Monday).
DAY_GROUPS = {"daily": (0, 1, 2, 3, 4, 5, 6), "weekdays": (0, 1, 2, 3, 4), "weekends": (5, 6)}

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
    """A weekly slot such as ``tue 09:00``, or one time on several days: ``daily 18:00``, ``weekdays 09:00``.

    It is written in the plan as it reads (``str``), the day word in lower case.
    """

    day: int | str  # a weekday, 0 = Monday as in `datetime.date.weekday()`; or a word of DAY_GROUPS
    time: dt.time

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The days of the week the slot is on (0 = Monday)."""
        return DAY_GROUPS[self.day] if isinstance(self.day, str) else (self.day,)

    def __str__(self) -> str:
        day = self.day if isinstance(self.day, str) else WEEKDAYS[self.day]
        return f"{day} {self.time:%H:%M}"


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
class Goal:
    """A campaign goal (an entry of ``[[smm.goals]]``); ``platform`` "" means every platform."""

    id: str
    metric: str
    target: float
    period: str = "campaign"
    platform: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    """One snapshot of a post's numbers (an entry of ``[[smm.posts.results]]``); None = not given."""

    as_of: dt.date
    impressions: int | None = None
    reach: int | None = None
    engagements: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    video_views: int | None = None


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
    goals: list[Goal] = field(default_factory=list)
    results: dict[str, tuple[Result, ...]] = field(default_factory=dict)  # post id -> its snapshots, in file order

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
