"""The calendar's arithmetic, with no Textual: months, weeks, posts by day, the agenda's sort and filter.

`Shown` is built once per `CalendarView.show` (one pass over the posts);
the widgets draw only the month or week on screen from it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from rich.cells import cell_len, chop_cells

from planner.plan.model import STATUSES, Plan, Post
from planner.plan.post_filter import PostFilter
from planner.rules.platforms import platform_marks
from planner.textsafe import one_line

SORTS = ("date", "platform", "status", "title")

# What marks each status in the month, the week and the agenda. The mark
# alone tells the status (for those who do not see the colours apart): a
# circle that fills as the post gets ready, a tick once it is out. The
# colours are the calendar's `status--*` styles (grids.py), from the theme.
STATUS_MARKS = {"idea": "○", "draft": "◔", "review": "◑", "approved": "◕", "scheduled": "●", "published": "✓"}
# What marks a post changed since the last commit (in git), before its status.
CHANGED_MARK = "*"


def status_mark(status: str) -> str:
    return STATUS_MARKS.get(status, "?")


def post_title(post: Post) -> str:
    """What the calendar calls a post: its title, else its id; one line, no control characters."""
    return one_line(post.title or post.id)


def wrap_title(title: str, first: int, rest: int, lines: int | None = None) -> list[str]:
    """``title`` in lines of at most ``first`` cells (the first line), then ``rest``, broken between words.

    A word that does not fit goes to the next line (the first line stays
    empty if the first word fits only there); a word longer than a whole
    line is broken inside. With ``lines``, at most that many lines: the last
    then holds as much of the rest of the title as fits, ending in ``…``.
    """
    widths = lambda n: max(1, first if n == 0 else rest)  # noqa: E731
    out: list[tuple[int, str]] = []  # each line, and where in the title it starts
    line, start, offset = "", 0, 0
    for word in title.split(" "):
        at, offset = offset, offset + len(word) + 1
        joined = f"{line} {word}" if line else word
        if cell_len(joined) <= widths(len(out)):
            start = start if line else at
            line = joined
            continue
        if line or (not out and cell_len(word) <= widths(1)):
            out.append((start, line))
        line, start = word, at
        while cell_len(line) > widths(len(out)):
            head = chop_cells(line, widths(len(out)))[0] or line[0]  # a wide character in a one-cell line goes alone
            out.append((start, head))
            line, start = line[len(head) :], start + len(head)
    if line or not out:
        out.append((start, line))
    if lines is None or len(out) <= lines:
        return [text for _, text in out]
    kept = max(1, lines)
    width = widths(kept - 1)
    last = chop_cells(title[out[kept - 1][0] :].strip(), width - 1)[0] if width > 1 else ""
    return [*(text for _, text in out[: kept - 1]), last.rstrip() + "…"]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` later (or earlier), the day of the month clamped to the month's length."""
    month_index = max(
        dt.MINYEAR * 12, min(dt.MAXYEAR * 12 + 11, day.year * 12 + day.month - 1 + months)
    )  # no month past either end
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
    return [
        dt.date.fromordinal(ordinal) if 1 <= ordinal <= LAST_ORDINAL else None for ordinal in range(first, first + 7)
    ]


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
    changed: frozenset[str] | None = None  # ids of the posts changed since the last commit (None: not in git)

    @classmethod
    def of(cls, plan: Plan, today: dt.date, week_start: int, changed: frozenset[str] | None = None) -> Shown:
        posts = plan.posts
        by_day: dict[dt.date, list[int]] = {}
        for index in sorted(range(len(posts)), key=lambda i: (posts[i].at, posts[i].id)):
            by_day.setdefault(posts[index].at.date(), []).append(index)
        marks = platform_marks({post.platform for post in posts} | {choice.name for choice in plan.platforms})
        return cls(
            posts, by_day, today, (plan.campaign.start, plan.smo_due), plan.smm_start, week_start, marks, changed
        )

    def on(self, day: dt.date) -> list[int]:
        return self.by_day.get(day, [])

    def in_smo(self, day: dt.date) -> bool:
        return self.smo[0] <= day <= self.smo[1]

    def early(self, post: Post) -> bool:
        """A post before the SMM start: the phase gate says it is too early."""
        return post.at.date() < self.smm_start

    def uncommitted(self, post: Post) -> bool:
        """Changed since the last commit (in git)."""
        return self.changed is not None and post.id in self.changed

    def mark(self, post: Post) -> str:
        """The two-letter mark of the post's platform (the same in the month, the week and the agenda)."""
        return self.marks.get(post.platform) or platform_marks([post.platform])[post.platform]


# -- the agenda ------------------------------------------------------------------------


def _status_rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)


SORT_KEYS = {
    "date": lambda post: (post.at, post.id),
    "platform": lambda post: (post.platform.casefold(), post.at, post.id),
    "status": lambda post: (_status_rank(post.status), post.at, post.id),
    "title": lambda post: (post_title(post).casefold(), post.at, post.id),
}


def agenda_rows(posts: list[Post], sort: str, where: PostFilter, descending: bool = False) -> list[int]:
    """Indexes of the posts ``where`` lets through, in ``sort`` order (then by time and id); ``descending`` reverses it all."""
    indexes = [i for i, post in enumerate(posts) if where.matches(post)] if where else list(range(len(posts)))
    key = SORT_KEYS.get(sort, SORT_KEYS["date"])
    indexes.sort(key=lambda i: key(posts[i]), reverse=descending)
    return indexes
