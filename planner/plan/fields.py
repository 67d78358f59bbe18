"""The plan format's fields, once: what `schema` validates and what `json_schema` describes.

Each table of a plan (``[campaign]``, each ``[[smm.posts]]`` entry, ...) is a
`Table` of `Field`s: the key, its TOML type (``kind``), whether it is
required, its default, a lower bound, the values it may take and a pattern
it must match. The validator (`planner.plan.schema`) reads a plan with these
definitions and `planner.plan.json_schema` turns the same definitions into a
JSON Schema, so the two cannot drift apart.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from planner.plan.model import DAY_GROUPS, FORMATS, GOAL_METRICS, GOAL_PERIODS, RESULT_METRICS, STATUSES, WEEKDAYS

# A slug: what an id may be. Written so that Python's re and ECMA-262 (JSON Schema) read it alike.
ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*"
# A weekly slot such as "tue 09:00" or "daily 18:00", the day word in any case (spelt out, as ECMA-262 has no inline flags).
BEST_TIME_PATTERN = (
    r"\s*("
    + "|".join("".join(f"[{c.upper()}{c}]" for c in day) for day in (*WEEKDAYS, *DAY_GROUPS))
    + r")\s+([01][0-9]|2[0-3]):([0-5][0-9])\s*"
)
SCHEMA_VERSION = 1  # the plan format version this planner reads and writes
AUDIT_RULES = ("title", "description", "og", "twitter", "share", "profiles", "canonical", "viewport", "lang", "h1")

# The kinds of value a field holds, as TOML types.
KINDS = ("integer", "number", "string", "boolean", "date", "local-datetime", "strings", "table", "tables", "handles")


@cache
def timezones() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows (what `campaign.timezone` may be)."""
    return tuple(sorted(zoneinfo.available_timezones()))


@cache
def known_platforms() -> tuple[str, ...]:
    """The platform ids of the rules data (``planner/data/platforms.toml``), in its order."""
    from planner.rules.platforms import builtin_platforms

    return tuple(builtin_platforms())


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a table.

    ``values`` gives the allowed values; with ``open_values`` they are only
    the known ones and any other non-empty string is allowed too (a custom
    platform, your own format word). ``pattern`` is matched against the
    whole value (each item, for ``strings``).
    """

    key: str
    kind: str
    description: str
    required: bool = False
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    values: Callable[[], tuple[str, ...]] | None = None
    open_values: bool = False
    pattern: str = ""
    table: str = ""  # for kind "table" or "tables": the name of the table it holds

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    by_key: dict[str, Field] = field(init=False, repr=False, compare=False)  # read once per field of every entry

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {entry.key: entry for entry in self.fields})

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.fields)

    def __getitem__(self, key: str) -> Field:
        return self.by_key[key]


def _const(*values: str) -> Callable[[], tuple[str, ...]]:
    return lambda: values


PLAN = Table(
    "plan",
    "A campaign plan for planner: the SMO checklist, then the SMM calendar.",
    (
        Field(
            "schema",
            "integer",
            "The format version. Always 1 for this format; a newer number means the plan needs a newer planner.",
            required=True,
            minimum=1,
            maximum=SCHEMA_VERSION,
        ),
        Field("campaign", "table", "What the campaign is.", required=True, table="campaign"),
        Field("smo", "table", "Phase 1: the on-site checklist.", required=True, table="smo"),
        Field("smm", "table", "Phase 2: platforms and the post calendar.", table="smm"),
        Field("competitors", "tables", "Notes on competitors.", table="competitor"),
    ),
)

CAMPAIGN = Table(
    "campaign",
    "What the campaign is.",
    (
        Field("name", "string", "The campaign's name, shown in the app's header.", required=True),
        Field(
            "id",
            "string",
            "The campaign's identity, written once by `planner new`; keep it when you rename the campaign (calendar apps know its events by it). Without it the exports use a slug of the name.",
            default="",
            pattern=ID_PATTERN,
        ),
        Field("site", "string", "The site the campaign promotes.", default=""),
        Field(
            "timezone",
            "string",
            "IANA time zone name (Europe/Berlin, America/New_York). Every local date-time in the plan is in this zone.",
            required=True,
            values=timezones,
        ),
        Field("start", "date", "First day of the campaign, a bare date such as 2026-03-02 (no quotes).", required=True),
        Field("end", "date", "Last day; must not be before start. A bare date (no quotes).", required=True),
        Field("objective", "string", "What the campaign is for; may be multi-line.", default=""),
    ),
)

SMO = Table(
    "smo",
    "SMO (social media optimization): the on-site work that makes the site ready to be shared.",
    (
        Field("due", "date", "The SMO phase ends on this day. A bare date (no quotes).", required=True),
        Field("items", "tables", "The checklist, one [[smo.items]] entry per item.", table="smo_item"),
    ),
)

SMO_ITEM = Table(
    "smo_item",
    "One checklist item.",
    (
        Field(
            "id",
            "string",
            "Stable identifier, unique among the items: letters, digits, -, _ and ., starting with a letter or digit.",
            required=True,
            pattern=ID_PATTERN,
        ),
        Field("title", "string", "What to do.", required=True),
        Field("category", "string", "Free text used to group items.", default=""),
        Field("done", "boolean", "Whether it is done.", default=False),
        Field("done_on", "date", "When it was ticked. A bare date (no quotes)."),
        Field("owner", "string", "Who does it.", default=""),
        Field("url", "string", "The page it is about.", default=""),
        Field("notes", "string", "Anything else; may be multi-line.", default=""),
        Field("audit", "string", "The site-audit rule that can verify this item.", values=_const(*AUDIT_RULES)),
    ),
)

SMM = Table(
    "smm",
    "SMM (social media marketing): the off-site work, after SMO.",
    (
        Field("start", "date", "First day of the SMM phase (default: the day after smo.due). A bare date (no quotes)."),
        Field("platforms", "tables", "The platforms chosen for this campaign.", table="platform"),
        Field("posts", "tables", "The calendar, one [[smm.posts]] entry per post.", table="post"),
        Field("goals", "tables", "What the campaign aims for, one [[smm.goals]] entry per goal.", table="goal"),
    ),
)

PLATFORM = Table(
    "platform",
    "A platform chosen for this campaign.",
    (
        Field(
            "name",
            "string",
            "A platform id from the rules data, or your own name for a custom platform (a forum, a newsletter).",
            required=True,
            values=known_platforms,
            open_values=True,
        ),
        Field(
            "handle", "string", "The brand's handle there, with or without @, as the platform accepts it.", default=""
        ),
        Field("why", "string", "Why this platform: the audience.", default=""),
        Field("cadence", "integer", "Posts per week you aim for; 0 means no target.", default=0, minimum=0),
        Field(
            "best_times",
            "strings",
            'Weekly slots, each a weekday (or daily, weekdays, weekends) and a 24-hour time: "tue 09:00", "daily 18:00".',
            default=(),
            pattern=BEST_TIME_PATTERN,
        ),
        Field("label", "string", "Display name; useful for a custom platform.", default=""),
        Field(
            "text_limit",
            "integer",
            "Overrides the platform's text limit, for every format; for a custom platform, its only limit.",
            minimum=1,
        ),
        Field("title_limit", "integer", "Overrides the platform's title limit.", minimum=1),
        Field("hashtag_limit", "integer", "Overrides the platform's hashtag limit.", minimum=1),
    ),
)

POST = Table(
    "post",
    "One post on the calendar.",
    (
        Field(
            "id",
            "string",
            "Stable identifier, unique among the posts: letters, digits, -, _ and ., starting with a letter or digit.",
            required=True,
            pattern=ID_PATTERN,
        ),
        Field(
            "platform",
            "string",
            "A platform from the rules data or a chosen custom platform.",
            required=True,
            values=known_platforms,
            open_values=True,
        ),
        Field(
            "at",
            "local-datetime",
            "When it goes out, in campaign.timezone: a bare date and time without an offset, such as 2026-03-17T09:00:00.",
            required=True,
        ),
        Field(
            "format",
            "string",
            "What it is: a known format or your own word. Some limits depend on it.",
            default="post",
            values=_const(*FORMATS, "photo"),
            open_values=True,
        ),
        Field("status", "string", "Where the post stands.", default="idea", values=_const(*STATUSES)),
        Field("title", "string", "A short name for the calendar.", default=""),
        Field("text", "string", "The post's text; may be multi-line.", default=""),
        Field("link", "string", "The link it promotes.", default=""),
        Field("tags", "strings", "Your own labels for filtering (not hashtags; hashtags go in text).", default=()),
        Field("notes", "string", "Anything else.", default=""),
        Field(
            "approved_by",
            "string",
            "Who approved the post (planner approve writes it); empty: not approved.",
            default="",
        ),
        Field(
            "approved_fingerprint",
            "string",
            "A fingerprint of what was approved (text, link, time and platform), written with approved_by; planner check warns when the post no longer matches it.",
            default="",
        ),
        Field(
            "results",
            "tables",
            "What the post got, one [[smm.posts.results]] snapshot per day you looked (after the post's other keys).",
            table="result",
        ),
    ),
)

GOAL = Table(
    "goal",
    "One campaign goal: a metric, a target and a period.",
    (
        Field("id", "string", "Stable identifier, unique among the goals.", required=True, pattern=ID_PATTERN),
        Field(
            "metric",
            "string",
            "What is measured; engagement_rate is a percentage (engagements per impression).",
            required=True,
            values=_const(*GOAL_METRICS),
        ),
        Field(
            "target",
            "number",
            "The number to reach in each period; for engagement_rate a percentage such as 4.5.",
            required=True,
            minimum=0,
        ),
        Field(
            "period",
            "string",
            "campaign (the whole campaign), month or week (the current one, by the posts' dates).",
            default="campaign",
            values=_const(*GOAL_PERIODS),
        ),
        Field(
            "platform",
            "string",
            "One chosen platform the goal is about; without it, all of them.",
            values=known_platforms,
            open_values=True,
        ),
    ),
)

RESULT = Table(
    "result",
    "One snapshot of a published post's numbers, as the platform showed them on as_of.",
    (
        Field("as_of", "date", "The day the numbers were read. A bare date (no quotes).", required=True),
        *(
            Field(metric, "integer", f"{metric.replace('_', ' ').capitalize()} so far.", minimum=0)
            for metric in RESULT_METRICS
        ),
    ),
)

COMPETITOR = Table(
    "competitor",
    "Notes on one competitor.",
    (
        Field("name", "string", "The competitor.", required=True),
        Field("site", "string", "Their site.", default=""),
        Field("handles", "handles", 'Their handle per platform: { linkedin = "globex", x = "@globex" }.', default={}),
        Field("cadence", "string", "How often they post, in your words.", default=""),
        Field("strengths", "string", "", default=""),
        Field("weaknesses", "string", "", default=""),
        Field("notes", "string", "May be multi-line.", default=""),
    ),
)

TABLES = {table.name: table for table in (PLAN, CAMPAIGN, SMO, SMO_ITEM, SMM, PLATFORM, POST, GOAL, RESULT, COMPETITOR)}
