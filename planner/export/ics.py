"""iCalendar (RFC 5545): a VEVENT per post, a VTODO per SMO item, with the plan's VTIMEZONE.

Deterministic: UIDs come from the plan's ids and the campaign's identity (its
``id``, written once by `planner new`; a slug of the name in older plans, which
gives the UIDs earlier exports had), so renaming the campaign keeps them. DTSTAMP
is the campaign's first day at midnight UTC (never the current time), and
components are in a fixed order. Calendar apps that import the file again
update the events instead of duplicating them, because the UIDs are stable.

Text is made fit for calendar apps first (`calendar_text`): a title is one
line (calcurse skips an event with a line break in its title), and control
characters become U+FFFD (calcurse cuts a title at NUL). A link is read as
a browser reads it (`calendar_url`): a line break or a space cannot be in a
URL (and the icalendar library refuses one).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from urllib.parse import quote

from icalendar import Calendar, Event, Todo

from planner.export import MARKER
from planner.export.common import platform_label, posts_in_order
from planner.export.proof import PLACEHOLDER
from planner.plan.model import Plan, Post, SmoItem

DURATION = dt.timedelta(minutes=30)
PRODID = "-//planner//EN"
STATUS = {
    "idea": "TENTATIVE",
    "draft": "TENTATIVE",
    "review": "TENTATIVE",
    "approved": "CONFIRMED",
    "scheduled": "CONFIRMED",
    "published": "CONFIRMED",
}


# Everything `str.splitlines` breaks a line at: CR, LF, CRLF, VT, FF, the file,
# group and record separators, NEL, and the Unicode line and paragraph separators.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What is left that no calendar should get: C0 controls but tab, DEL, C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def calendar_text(text: str, *, one_line: bool = False) -> str:
    """``text`` for an iCalendar TEXT value: line breaks as ``\\n`` (or spaces on one line), controls as U+FFFD."""
    if one_line:
        return _CONTROL.sub(REPLACEMENT, _LINE_BREAK.sub(" ", text).replace("\t", " "))
    return _CONTROL.sub(REPLACEMENT, _LINE_BREAK.sub("\n", text))


# As the WHATWG URL parser: leading and trailing C0 controls and spaces go, tabs and line breaks go.
_URL_EDGE = re.compile("^[\x00-\x20]+|[\x00-\x20]+$")
_URL_DROP = re.compile("[\t\n\r]")
_URL_ESCAPE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def calendar_url(url: str) -> str:
    """``url`` as a browser would read it: tabs and line breaks removed, other spaces and controls percent-encoded."""
    url = _URL_DROP.sub("", _URL_EDGE.sub("", url))
    return _URL_ESCAPE.sub(lambda found: quote(found.group(), safe=""), url)


# Only a web address goes into URL: a calendar app opens it on a click (no javascript:, no "@evil").
# The host (and port) ends at "/", "?", "#" or the end; an "@" before it would hide the real host.
_WEB_URL = re.compile(r"https?://[^/?#@\s]*[^/?#@\s.:](?:[/?#]\S*)?", re.IGNORECASE)


def web_url(url: str) -> str:
    """``url`` for the URL property (`calendar_url`) when it is an http(s) address with a host, else ""."""
    url = calendar_url(url)
    return url if _WEB_URL.fullmatch(url) else ""


def post_uid(plan: Plan, post: Post) -> str:
    """The post's id and the campaign's identity (`Campaign.identity`): renaming the campaign keeps it."""
    return f"{post.id}.{plan.campaign.identity}@planner"


def item_uid(plan: Plan, item: SmoItem) -> str:
    # Another right-hand side than posts': an item and a post may share an id.
    return f"{item.id}.{plan.campaign.identity}@smo.planner"


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _calendar(name: str, timezone: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-generated-by", MARKER)
    calendar.add("x-planner-checksum", PLACEHOLDER)  # filled in by `render` (see planner.export.proof)
    calendar.add("x-wr-calname", calendar_text(name, one_line=True))
    if timezone:
        calendar.add("x-wr-timezone", timezone)
    return calendar


def _add_plan(calendar: Calendar, plan: Plan, phase: str, named: bool = False) -> list[dt.date]:
    """``plan``'s to-dos and events (each summary starting with the campaign's name when ``named``); the days they cover."""
    campaign = plan.campaign
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    stamp = _midnight_utc(campaign.start)
    if phase in ("all", "smo"):
        for item in plan.smo_items:
            calendar.add_component(_todo(plan, item, stamp, named))
    posts = posts_in_order(plan.posts) if phase in ("all", "smm") else []
    for post in posts:
        calendar.add_component(_event(plan, post, zone, stamp, named))
    return [campaign.start, campaign.end, *(post.at.date() for post in posts)] if posts else []


def _add_timezones(calendar: Calendar, days: list[dt.date]) -> None:
    """The VTIMEZONEs of the events, with transitions only for the years they cover, so the file stays short."""
    if days:
        first = dt.date(min(days).year, 1, 1)
        last = dt.date(min(max(days).year + 1, dt.MAXYEAR), 1, 1)
        calendar.add_missing_timezones(first_date=first, last_date=last)


def render_ics(plan: Plan, phase: str = "all") -> bytes:
    calendar = _calendar(plan.campaign.name, plan.campaign.timezone)
    _add_timezones(calendar, _add_plan(calendar, plan, phase))
    return calendar.to_ical()


def render_ics_of_plans(plans: list[Plan], phase: str = "all") -> bytes:
    """Several plans in one calendar, in the order given: each summary starts with its campaign's name.

    UIDs are each plan's own (`post_uid`, `item_uid`): two plans with the same
    campaign id and entry ids (a copied file) give the same UIDs.
    """
    zones = sorted({plan.campaign.timezone for plan in plans})
    calendar = _calendar(f"planner: {len(plans)} plans", zones[0] if len(zones) == 1 else "")
    days: list[dt.date] = []
    for plan in plans:
        days += _add_plan(calendar, plan, phase, named=True)
    _add_timezones(calendar, days)
    return calendar.to_ical()


def _named(plan: Plan, summary: str, named: bool) -> str:
    return calendar_text(f"{plan.campaign.name}: {summary}" if named else summary, one_line=True)


def _event(plan: Plan, post: Post, zone: zoneinfo.ZoneInfo, stamp: dt.datetime, named: bool = False) -> Event:
    event = Event()
    event.add("uid", post_uid(plan, post))
    event.add("dtstamp", stamp)
    event.add("dtstart", post.at.replace(tzinfo=zone))
    event.add("duration", DURATION)
    event.add("summary", _named(plan, f"[{platform_label(plan, post.platform)}] {post.title or post.id}", named))
    description = [part for part in (post.text, post.link) if part]
    if description:
        event.add("description", calendar_text("\n\n".join(description)))
    if web_url(post.link):
        event.add("url", web_url(post.link))
    if post.tags:
        event.add("categories", [calendar_text(tag, one_line=True) for tag in post.tags])
    event.add("status", STATUS[post.status])
    return event


def _todo(plan: Plan, item: SmoItem, stamp: dt.datetime, named: bool = False) -> Todo:
    todo = Todo()
    todo.add("uid", item_uid(plan, item))
    todo.add("dtstamp", stamp)
    todo.add("summary", _named(plan, item.title, named))
    todo.add("due", plan.smo_due)
    details = [item.notes] if item.notes else []
    if item.owner:
        details.append(f"Owner: {item.owner}")
    if details:
        todo.add("description", calendar_text("\n\n".join(details)))
    if web_url(item.url):
        todo.add("url", web_url(item.url))
    if item.category:
        todo.add("categories", [calendar_text(item.category, one_line=True)])
    if item.done:
        todo.add("status", "COMPLETED")
        if item.done_on is not None:
            todo.add("completed", _midnight_utc(item.done_on))
    else:
        todo.add("status", "NEEDS-ACTION")
    return todo
