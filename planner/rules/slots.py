"""When a post goes out: default times from best-time slots, typed dates and times, daylight saving.

The post editor uses these; they import nothing from Textual. Times are naive
and local to the campaign's time zone, as in the plan file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass

from planner.plan.model import Plan, PlatformChoice
from planner.rules.checks import MIN_GAP, dst_problem, phase_hint

DEFAULT_TIME = dt.time(9, 0)

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def default_time(choice: PlatformChoice | None, day: dt.date, now: dt.datetime | None = None) -> dt.time:
    """The time a new post on ``day`` gets on a platform: its next best-time slot.

    The platform's first slot on that weekday (when ``day`` is today per
    ``now``, the first one still to come); else the earliest slot time of
    the platform; 09:00 when it has no slots (or is not chosen).
    """
    slots = choice.best_times if choice else ()
    if not slots:
        return DEFAULT_TIME
    times = sorted(slot.time for slot in slots if day.weekday() in slot.weekdays)
    if now is not None and day == now.date():
        times = [time for time in times if time > now.time()]
    return times[0] if times else min(slot.time for slot in slots)


def next_slot(
    choice: PlatformChoice | None, after: dt.datetime, timezone: str = "", taken: Collection[dt.datetime] = ()
) -> dt.datetime | None:
    """The platform's first free best-time slot at or after ``after``; None when it has no slots.

    A slot less than an hour from a time in ``taken`` (the platform's other
    posts: `planner check` warns about posts that close) is passed over, and
    so is one the clocks skip that day in ``timezone`` (daylight saving).
    When every slot of the coming year is taken, the first slot is the answer.
    """
    slots = choice.best_times if choice else ()
    if not slots:
        return None
    try:
        zone = zoneinfo.ZoneInfo(timezone) if timezone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    busy = sorted(taken)
    by_day = [sorted(slot.time for slot in slots if weekday in slot.weekdays) for weekday in range(7)]
    first = None
    try:
        for offset in range(367 if busy else 8):
            day = after.date() + dt.timedelta(days=offset)
            for time in by_day[day.weekday()]:
                at = dt.datetime.combine(day, time)
                if at < after or (zone and dst_problem(at, zone).startswith("does not exist")):
                    continue
                first = first or at
                near = bisect.bisect_left(busy, at - MIN_GAP)
                if near == len(busy) or busy[near] - at >= MIN_GAP:
                    return at
    except OverflowError:  # the end of the calendar (9999-12-31)
        pass
    return first


def parse_date(text: str) -> dt.date:
    """A typed ``YYYY-MM-DD`` date; `ValueError` with a one-line message otherwise."""
    found = _DATE.fullmatch(text.strip())
    if not found:
        raise ValueError("Type the date as YYYY-MM-DD, for example 2027-03-16.")
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        raise ValueError(f"{text.strip()} is not a day in the calendar.") from None


def date_or_none(text: str) -> dt.date | None:
    """`parse_date` for a field that shows its own message: the date, or None when ``text`` is not one."""
    try:
        return parse_date(text)
    except ValueError:
        return None


# Names are English whatever the locale (strftime's %b is not): a month or weekday by three or more of its first letters.
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_FORMS = "2027-12-24, 12-24, dec 24, 24 dec, +3d, -2w, a weekday (fri) or today"
_MONTH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})")
_RELATIVE = re.compile(r"([+-])\s*(\d{1,6})\s*(d|days?|w|weeks?)?")
_WORD_FIRST = re.compile(r"([a-z]{3,})\.?\s*(\d{1,2})(?:,?\s+(\d{4}))?")  # dec 24, december 24, dec 24 2027
_DAY_FIRST = re.compile(r"(\d{1,2})\.?\s*([a-z]{3,})\.?(?:,?\s+(\d{4}))?")  # 24 dec, 24. december 2027


def _named(word: str, names: tuple[str, ...]) -> int | None:
    """The index of the name ``word`` starts (``dec``, ``sept``, ``thurs``), or None."""
    return next((index for index, name in enumerate(names) if len(word) >= 3 and name.startswith(word)), None)


def nearest(month: int, day: int, near: dt.date) -> dt.date:
    """The ``month``-``day`` nearest ``near`` (a year back, this year or a year on: whichever is closest; the later on a tie)."""
    found = []
    for year in range(max(1, near.year - 4), min(9999, near.year + 4) + 1):  # 29 February: the nearest leap year
        try:
            found.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not found:
        raise ValueError(f"{month:02}-{day:02} is not a day in the calendar.")
    return min(found, key=lambda date: (abs((date - near).days), -date.toordinal()))


def parse_day(text: str, near: dt.date, today: dt.date) -> dt.date:
    """A date typed to go to, as a person writes it; `ValueError` says which forms are accepted.

    ``2027-12-24``; ``12-24``, ``dec 24``, ``24 dec``, ``december 24`` (the one
    nearest ``near``, the selected day: from January, ``12-24`` is the
    Christmas just past; from December, ``01-05`` the coming 5 January), with
    a year (``dec 24 2027``) exactly that; ``+3d``, ``-2w``, ``+3`` (days or
    weeks from ``near``); a weekday, ``fri`` or ``friday`` (the next one after
    ``near``); ``today``, ``tomorrow``, ``yesterday``.
    """
    words = " ".join(text.lower().split())
    wrong = ValueError(f"Not a date: {text.strip()!r}. Type {DAY_FORMS}.")
    try:
        if words in ("today", "tomorrow", "yesterday"):
            return today + dt.timedelta(days=("yesterday", "today", "tomorrow").index(words) - 1)
        if _DATE.fullmatch(words):
            return parse_date(words)
        if found := _RELATIVE.fullmatch(words):
            sign, number, unit = found.groups()
            days = int(number) * (7 if unit and unit.startswith("w") else 1)
            return near + dt.timedelta(days=-days if sign == "-" else days)
        if (weekday := _named(words.removeprefix("next "), DAYS)) is not None:
            return near + dt.timedelta(days=(weekday - near.weekday() - 1) % 7 + 1)
        if found := _MONTH_DAY.fullmatch(words):
            month, day = map(int, found.groups())
            return nearest(month, day, near)
        for pattern, month_first in ((_WORD_FIRST, True), (_DAY_FIRST, False)):
            if found := pattern.fullmatch(words):
                first, second, year = found.groups()
                named_month = _named(first if month_first else second, MONTHS)
                if named_month is None:
                    raise wrong
                day = int(second if month_first else first)
                if year:
                    return parse_date(f"{year}-{named_month + 1}-{day}")
                return nearest(named_month + 1, day, near)
    except OverflowError:
        raise ValueError(f"{text.strip()} is past the ends of the calendar (years 1 to 9999).") from None
    raise wrong


def parse_time(text: str) -> dt.time:
    """A typed 24-hour ``HH:MM`` time; `ValueError` with a one-line message otherwise."""
    found = _TIME.fullmatch(text.strip())
    if not found:
        raise ValueError("Type the time as HH:MM (24-hour), for example 09:30.")
    hour, minute = map(int, found.groups())
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()} is not a time of day (00:00 to 23:59).")
    return dt.time(hour, minute)


def date_warning(plan: Plan, day: dt.date) -> str:
    """What `planner check` will say about a post on ``day``: before the SMM phase, or outside the campaign."""
    campaign = plan.campaign
    if day < plan.smm_start:
        return f"{day} is before the SMM phase starts on {plan.smm_start} ({phase_hint(plan)})."
    if not campaign.start <= day <= campaign.end:
        return f"{day} is outside the campaign ({campaign.start} to {campaign.end})."
    return ""


@dataclass(frozen=True, slots=True)
class LocalTimeCheck:
    """What daylight saving does to a local time: an ``error`` (refuse it) or a ``warning`` (allow it)."""

    error: str = ""
    warning: str = ""


def check_local_time(local: dt.datetime, timezone: str) -> LocalTimeCheck:
    """Whether ``local`` is a real, unambiguous time in ``timezone``.

    A time the clocks skip (Europe/Berlin 2027-03-28 02:30) does not exist:
    it is an error, with the next time that does. A time the clocks pass
    twice (2027-10-31 02:30) is a warning only: the file stores local time,
    and `planner check` warns about it too.
    """
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return LocalTimeCheck()
    problem = dst_problem(local, zone)
    if not problem:
        return LocalTimeCheck()
    when = f"{local:%Y-%m-%d %H:%M}"
    if "twice" in problem:
        return LocalTimeCheck(warning=f"{when} happens twice in {timezone} (the clocks go back); it is saved as typed.")
    after = next_valid(local, zone)
    next_time = f"{after:%H:%M}" if after.date() == local.date() else f"{after:%Y-%m-%d %H:%M}"
    return LocalTimeCheck(
        error=f"{when} does not exist in {timezone} (the clocks skip it); the next valid time is {next_time}."
    )


def next_valid(local: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The first whole minute after ``local`` that exists in ``zone`` (a gap lasts a day at most)."""
    at = local.replace(second=0, microsecond=0)
    for _ in range(24 * 60 + 1):
        at += dt.timedelta(minutes=1)
        if not dst_problem(at, zone).startswith("does not exist"):
            return at
    return at
