"""The calendar's arithmetic, with no Textual: months, weeks, posts by day, the agenda's sort and filter.

`Shown` is built once per `CalendarView.show` (one pass over the posts);
the widgets draw only the month or week on screen from it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from planner.plan.model import STATUSES, Plan, Post
from planner.rules.platforms import builtin_platforms
from planner.textsafe import one_line

SORTS = ("date", "platform", "status", "title")
FILTER_KEYS = ("platform", "status", "tag")


def mark(platform: str) -> str:
    """The platform's two-letter mark (``IG``), or the first two letters of a custom platform."""
    rules = builtin_platforms().get(platform)
    return rules.mark if rules is not None else one_line(platform)[:2]


def post_title(post: Post) -> str:
    """What the calendar calls a post: its title, else its id; one line, no control characters."""
    return one_line(post.title or post.id)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` later (or earlier), the day of the month clamped to the month's length."""
    month_index = max(dt.MINYEAR * 12, min(dt.MAXYEAR * 12 + 11, day.year * 12 + day.month - 1 + months))  # no month past either end
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# The calendar's range is Python's: 0001-01-01 to 9999-12-31. A week at either
# end has days outside it, drawn as empty cells (None), and the keys stop there.
LAST_ORDINAL = dt.date.max.toordinal()


def shift_day(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, stopping at the first or last day there is."""
    return dt.date.fromordinal(max(1, min(LAST_ORDINAL, day.toordinal() + days)))


def _first_ordinal(day: dt.date, week_start: int) -> int:
    return day.toordinal() - (day.weekday() - week_start) % 7


def week_days(day: dt.date, week_start: int) -> list[dt.date | None]:
    """The seven days of the week holding ``day`` (weeks start on ``week_start``, 0 = Monday); None past either end of the calendar."""
    first = _first_ordinal(day, week_start)
    return [dt.date.fromordinal(ordinal) if 1 <= ordinal <= LAST_ORDINAL else None for ordinal in range(first, first + 7)]


def week_of(day: dt.date, week_start: int) -> dt.date:
    """The first day of the week holding ``day`` (the first day there is, in the very first week)."""
    return dt.date.fromordinal(max(1, _first_ordinal(day, week_start)))


def month_weeks(year: int, month: int, week_start: int) -> list[list[dt.date | None]]:
    """The weeks (seven days each) that cover the month, from the week holding its first day."""
    day = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    weeks = []
    while True:
        weeks.append(week_days(day, week_start))
        if last in weeks[-1]:
            return weeks
        day = shift_day(day, 7)


def weekday_names(week_start: int) -> list[str]:
    return [calendar.day_abbr[(week_start + i) % 7] for i in range(7)]


def opening_day(plan: Plan, today: dt.date) -> dt.date:
    """The day the calendar opens on: today inside the campaign, else the first day of SMM."""
    if plan.campaign.start <= today <= plan.campaign.end:
        return today
    return plan.smm_start


@dataclass
class Shown:
    """The plan as the calendar draws it: posts bucketed by day, in time order."""

    posts: list[Post]
    by_day: dict[dt.date, list[int]]  # indexes into ``posts`` (file order), sorted by time then id
    today: dt.date
    smo: tuple[dt.date, dt.date]  # campaign start .. SMO due
    smm_start: dt.date
    week_start: int = 0
    marks: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan, today: dt.date, week_start: int) -> Shown:
        posts = plan.posts
        by_day: dict[dt.date, list[int]] = {}
        for index in sorted(range(len(posts)), key=lambda i: (posts[i].at, posts[i].id)):
            by_day.setdefault(posts[index].at.date(), []).append(index)
        marks = {name: mark(name) for name in {post.platform for post in posts}}
        return cls(posts, by_day, today, (plan.campaign.start, plan.smo_due), plan.smm_start, week_start, marks)

    def on(self, day: dt.date) -> list[int]:
        return self.by_day.get(day, [])

    def in_smo(self, day: dt.date) -> bool:
        return self.smo[0] <= day <= self.smo[1]

    def early(self, post: Post) -> bool:
        """A post before the SMM start: the phase gate says it is too early."""
        return post.at.date() < self.smm_start

    def mark(self, post: Post) -> str:
        return self.marks.get(post.platform) or mark(post.platform)


# -- the agenda ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """``platform:x status:draft tag:launch free text``: every part must match (several values of one key: any)."""

    platforms: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Filter:
        found: dict[str, set[str]] = {key: set() for key in FILTER_KEYS}
        words = []
        for part in text.split():
            key, colon, value = part.partition(":")
            if colon and key.casefold() in found and value:
                found[key.casefold()].add(value.casefold())
            else:
                words.append(part.casefold())
        return cls(frozenset(found["platform"]), frozenset(found["status"]), frozenset(found["tag"]), tuple(words))

    def __bool__(self) -> bool:
        return bool(self.platforms or self.statuses or self.tags or self.words)

    def matches(self, post: Post) -> bool:
        if self.platforms and post.platform.casefold() not in self.platforms:
            return False
        if self.statuses and post.status.casefold() not in self.statuses:
            return False
        if self.tags and not self.tags & {tag.casefold() for tag in post.tags}:
            return False
        if self.words:
            haystack = " ".join((post.id, post.title, post.text, post.notes, post.link, post.format)).casefold()
            return all(word in haystack for word in self.words)
        return True


def _status_rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)


SORT_KEYS = {
    "date": lambda post: (post.at, post.id),
    "platform": lambda post: (post.platform.casefold(), post.at, post.id),
    "status": lambda post: (_status_rank(post.status), post.at, post.id),
    "title": lambda post: (post_title(post).casefold(), post.at, post.id),
}


def agenda_rows(posts: list[Post], sort: str, where: Filter) -> list[int]:
    """Indexes of the posts ``where`` lets through, in ``sort`` order (then by time and id)."""
    indexes = [i for i, post in enumerate(posts) if where.matches(post)] if where else list(range(len(posts)))
    key = SORT_KEYS.get(sort, SORT_KEYS["date"])
    indexes.sort(key=lambda i: key(posts[i]))
    return indexes
