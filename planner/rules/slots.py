"""When a post goes out: default times from best-time slots, typed dates and times, daylight saving.

The post editor uses these; they import nothing from Textual. Times are naive
and local to the campaign's time zone, as in the plan file.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from planner.plan.model import Plan, PlatformChoice
from planner.rules.checks import dst_problem, phase_hint

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


def parse_date(text: str) -> dt.date:
    """A typed ``YYYY-MM-DD`` date; `ValueError` with a one-line message otherwise."""
    found = _DATE.fullmatch(text.strip())
    if not found:
        raise ValueError("Type the date as YYYY-MM-DD, for example 2027-03-16.")
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        raise ValueError(f"{text.strip()} is not a day in the calendar.") from None


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
    return LocalTimeCheck(error=f"{when} does not exist in {timezone} (the clocks skip it); the next valid time is {next_time}.")


def next_valid(local: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The first whole minute after ``local`` that exists in ``zone`` (a gap lasts a day at most)."""
    at = local.replace(second=0, microsecond=0)
    for _ in range(24 * 60 + 1):
        at += dt.timedelta(minutes=1)
        if not dst_problem(at, zone).startswith("does not exist"):
            return at
    return at
