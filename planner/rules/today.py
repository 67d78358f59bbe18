"""What needs the marketer today: the plain model behind `planner today` and the app's Today view.

Given a plan, its problems and "now" (naive, local to the campaign's time
zone: `local_now` turns an instant into it), `today` returns:

- today's posts and the rest of this week's, in time order;
- the SMO items still open after ``smo.due`` (items have no due date of
  their own: the SMO phase's is theirs);
- the posts going out from today to three days after it that are not
  approved, scheduled or published yet;
- the chosen platforms with fewer posts this week than their cadence (as
  the `cadence` check counts them: all statuses, full weeks of the SMM
  phase only);
- the plan's warnings (errors and warnings of `planner.rules.checks`, as
  given; notes are left out).

Each line knows the entry it is about (`Entry`), so a view can open it where
it lives. Nothing here reads the clock, a file or the terminal.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from planner.plan.model import Plan, Post
from planner.plan.problems import Problem, dotted

WAITING_DAYS = 3  # posts going out within this many days after today are waiting for you unless approved or scheduled
READY = ("approved", "scheduled", "published")  # statuses that need nobody before the post goes out

EntryKind = Literal["post", "smo-item", "platform", "competitor", "campaign"]


@dataclass(frozen=True, slots=True)
class Entry:
    """Where a line's entry lives: a post (its id), an SMO item (its id), a platform or a competitor (its name), or the campaign."""

    kind: EntryKind
    key: str = ""
    index: int | None = None  # its place in the plan's list, when it is in one


@dataclass(frozen=True, slots=True)
class PostLine:
    index: int  # in `Plan.posts`
    id: str
    at: dt.datetime
    platform: str
    format: str
    status: str
    title: str
    days_left: int = 0  # from today to the post's day

    @property
    def entry(self) -> Entry:
        return Entry("post", self.id, self.index)

    @property
    def name(self) -> str:
        return self.title.strip() or self.id

    @property
    def goes_out(self) -> str:
        """When it goes out, from today: "today", "tomorrow", "in 3 days"."""
        return "today" if self.days_left == 0 else "tomorrow" if self.days_left == 1 else f"in {self.days_left} days"


@dataclass(frozen=True, slots=True)
class LateItem:
    index: int  # in `Plan.smo_items`
    id: str
    title: str
    owner: str
    due: dt.date
    days_late: int

    @property
    def entry(self) -> Entry:
        return Entry("smo-item", self.id, self.index)


@dataclass(frozen=True, slots=True)
class ShortPlatform:
    index: int  # in `Plan.platforms`
    name: str
    cadence: int
    planned: int  # posts this week, any status

    @property
    def entry(self) -> Entry:
        return Entry("platform", self.name, self.index)


@dataclass(frozen=True, slots=True)
class TodayWarning:
    problem: Problem
    entry: Entry


@dataclass(frozen=True, slots=True)
class Today:
    now: dt.datetime  # naive, local to the campaign's time zone
    week: tuple[dt.date, dt.date]  # its first and last day
    today_posts: tuple[PostLine, ...]
    week_posts: tuple[PostLine, ...]  # the week's other days
    late_items: tuple[LateItem, ...]
    waiting: tuple[PostLine, ...]
    short: tuple[ShortPlatform, ...]
    warnings: tuple[TodayWarning, ...]
    timezone: str = ""

    @property
    def day(self) -> dt.date:
        return self.now.date()

    @property
    def has_posts_this_week(self) -> bool:
        return bool(self.today_posts or self.week_posts)

    @property
    def needs_you(self) -> bool:
        """Anything late, waiting, short or wrong (what `planner today`'s exit code 1 says)."""
        return bool(self.late_items or self.waiting or self.short or self.warnings)

    def as_json(self, file: str) -> dict:
        """The model for scripts: stable keys, dates and times in ISO 8601, local to the campaign's time zone."""

        def post(line: PostLine) -> dict:
            return {
                "id": line.id,
                "at": line.at.isoformat(timespec="minutes"),
                "platform": line.platform,
                "format": line.format,
                "status": line.status,
                "title": line.title,
            }

        return {
            "file": file,
            "timezone": self.timezone,
            "now": self.now.isoformat(timespec="minutes"),
            "today": self.day.isoformat(),
            "week": {"first": self.week[0].isoformat(), "last": self.week[1].isoformat()},
            "needs_you": self.needs_you,
            "today_posts": [post(line) for line in self.today_posts],
            "week_posts": [post(line) for line in self.week_posts],
            "late_smo_items": [
                {
                    "id": item.id,
                    "title": item.title,
                    "owner": item.owner,
                    "due": item.due.isoformat(),
                    "days_late": item.days_late,
                }
                for item in self.late_items
            ],
            "waiting_posts": [{**post(line), "days_left": line.days_left} for line in self.waiting],
            "short_platforms": [
                {"platform": short.name, "cadence": short.cadence, "planned": short.planned} for short in self.short
            ],
            "warnings": [warning.problem.as_json(file) for warning in self.warnings],
        }


def local_now(timezone: str, instant: dt.datetime) -> dt.datetime:
    """``instant`` (aware) as the naive local time of ``timezone``: what "now" is for a plan."""
    return instant.astimezone(zoneinfo.ZoneInfo(timezone)).replace(tzinfo=None)


def next_midnight(timezone: str, instant: dt.datetime) -> dt.datetime:
    """The first instant (aware, UTC) of the day after ``instant``'s day in ``timezone``.

    Days are not all 24 hours: a day of a daylight saving change has 23 or 25,
    and where the clocks skip midnight the day starts at the first time that
    exists (a local midnight in a gap is read with the offset before it).
    """
    zone = zoneinfo.ZoneInfo(timezone)
    local = instant.astimezone(zone)
    if local.date() == dt.date.max:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return midnight.astimezone(dt.UTC)


def week_of(day: dt.date, week_start: int = 0) -> tuple[dt.date, dt.date]:
    """The first and last day of the week holding ``day`` (weeks start on ``week_start``, 0 = Monday), kept inside the calendar."""
    first = dt.date.fromordinal(max(1, day.toordinal() - (day.weekday() - week_start) % 7))
    last = dt.date.fromordinal(min(dt.date.max.toordinal(), first.toordinal() + 6))
    return first, last


def entry_at(plan: Plan, path: tuple) -> Entry:
    """The entry a problem's key path points into (the campaign when it is none of the lists)."""
    # The key of entry ``i`` of each list, looked up only for the one a path names.
    lists: dict[tuple, tuple[EntryKind, int, Callable[[int], str]]] = {
        ("smm", "posts"): ("post", len(plan.posts), lambda i: plan.posts[i].id),
        ("smo", "items"): ("smo-item", len(plan.smo_items), lambda i: plan.smo_items[i].id),
        ("smm", "platforms"): ("platform", len(plan.platforms), lambda i: plan.platforms[i].name),
    }
    if len(path) >= 3 and tuple(path[:2]) in lists and isinstance(path[2], int):
        kind, size, key = lists[tuple(path[:2])]
        if 0 <= path[2] < size:
            return Entry(kind, key(path[2]), path[2])
    if (
        len(path) >= 2
        and path[0] == "competitors"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(plan.competitors)
    ):
        return Entry("competitor", plan.competitors[path[1]].name, path[1])
    return Entry("campaign", dotted(tuple(path)))


def _line(index: int, post: Post, day: dt.date) -> PostLine:
    return PostLine(
        index, post.id, post.at, post.platform, post.format, post.status, post.title, (post.at.date() - day).days
    )


def today(plan: Plan, problems: list[Problem], now: dt.datetime, week_start: int = 0) -> Today:
    """What needs you on ``now``'s day (see the module's docstring); ``now`` is naive, in the campaign's time zone."""
    day = now.date()
    first, last = week_of(day, week_start)
    waiting_last = (
        day + dt.timedelta(days=WAITING_DAYS)
        if day.toordinal() + WAITING_DAYS <= dt.date.max.toordinal()
        else dt.date.max
    )
    today_posts: list[PostLine] = []
    week_posts: list[PostLine] = []
    waiting: list[PostLine] = []
    counts: dict[str, int] = {}
    for index, post in enumerate(plan.posts):
        date = post.at.date()
        if first <= date <= last:
            (today_posts if date == day else week_posts).append(_line(index, post, day))
            counts[post.platform] = counts.get(post.platform, 0) + 1
        if day <= date <= waiting_last and post.status not in READY:
            waiting.append(_line(index, post, day))

    def in_time_order(lines: list[PostLine]) -> tuple[PostLine, ...]:
        return tuple(sorted(lines, key=lambda line: (line.at, line.index)))

    late: tuple[LateItem, ...] = ()
    if day > plan.smo_due:
        late = tuple(
            LateItem(index, item.id, item.title, item.owner, plan.smo_due, (day - plan.smo_due).days)
            for index, item in enumerate(plan.smo_items)
            if not item.done
        )
    short: tuple[ShortPlatform, ...] = ()
    if (
        plan.smm_start <= first and last <= plan.campaign.end
    ):  # a full week of the SMM phase, as the cadence check counts
        short = tuple(
            ShortPlatform(index, choice.name, choice.cadence, counts.get(choice.name, 0))
            for index, choice in enumerate(plan.platforms)
            if choice.cadence > 0 and counts.get(choice.name, 0) < choice.cadence
        )
    warnings = tuple(TodayWarning(p, entry_at(plan, p.path)) for p in problems if p.severity in ("error", "warning"))
    return Today(
        now,
        (first, last),
        in_time_order(today_posts),
        in_time_order(week_posts),
        late,
        in_time_order(waiting),
        short,
        warnings,
        plan.campaign.timezone,
    )


def opens_on_today(model: Today, left: dt.datetime | None) -> bool:
    """Whether the app opens a plan on its Today view rather than where it was left (``left``: when, aware; None: never).

    The Today view when the plan has posts this week, unless the plan was
    left earlier the same day (in the campaign's time zone): then the work
    goes on where it was.
    """
    if not model.has_posts_this_week:
        return False
    if left is None or left.tzinfo is None:
        return True
    return local_now(model.timezone, left).date() != model.day
