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


def render_ics(plan: Plan, phase: str = "all") -> bytes:
    """The calendar: its properties and VTIMEZONE by the icalendar library, its VTODOs and VEVENTs written here.

    The icalendar library builds and folds each line through several
    objects: 5 to 7 times the parse of a large plan. The components are
    written directly, to the bytes the library writes for them (its
    property order, TEXT escapes and folding; tests/test_export.py
    compares the two on hostile text); the calendar's own lines and the
    time zone, which need the library's knowledge, are still its.
    """
    return _render([plan], phase, plan.campaign.name, plan.campaign.timezone, named=False)


def render_ics_of_plans(plans: list[Plan], phase: str = "all") -> bytes:
    """Several plans in one calendar, in the order given: each summary starts with its campaign's name.

    UIDs are each plan's own (`post_uid`, `item_uid`): two plans with the same
    campaign id and entry ids (a copied file) give the same UIDs.
    """
    zones = sorted({plan.campaign.timezone for plan in plans})
    return _render(plans, phase, f"planner: {len(plans)} plans", zones[0] if len(zones) == 1 else "", named=True)


def _render(plans: list[Plan], phase: str, name: str, timezone: str, named: bool) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-generated-by", MARKER)
    calendar.add("x-planner-checksum", PLACEHOLDER)  # filled in by `render` (see planner.export.proof)
    calendar.add("x-wr-calname", calendar_text(name, one_line=True))
    if timezone:
        calendar.add("x-wr-timezone", timezone)

    posts_of = [posts_in_order(plan.posts) if phase in ("all", "smm") else [] for plan in plans]
    days: list[dt.date] = []
    probes: dict[str, Event] = {}  # one event in each zone tells the library which VTIMEZONEs the posts need
    for plan, posts in zip(plans, posts_of):
        if posts:
            days += [plan.campaign.start, plan.campaign.end, *(post.at.date() for post in posts)]
            if plan.campaign.timezone not in probes:
                probe = Event()
                probe.add("dtstart", dt.datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo(plan.campaign.timezone)))
                probes[plan.campaign.timezone] = probe
    starts: dict[str, tuple[str, str]] = {}
    if probes:
        # Transitions only for the years the plans cover, so the file stays short.
        first = dt.date(min(days).year, 1, 1)
        last = dt.date(min(max(days).year + 1, dt.MAXYEAR), 1, 1)
        for probe in probes.values():
            calendar.add_component(probe)
        calendar.add_missing_timezones(first_date=first, last_date=last)
        for zone, probe in probes.items():
            calendar.subcomponents.remove(probe)
            starts[zone] = _start_line(probe)

    lines: list[str] = []
    for plan, posts in zip(plans, posts_of):
        stamp = _utc_text(_midnight_utc(plan.campaign.start))
        if phase in ("all", "smo"):
            for item in plan.smo_items:
                _todo_lines(lines, plan, item, stamp, named)
        for post in posts:
            _event_lines(lines, plan, post, starts[plan.campaign.timezone], stamp, named)
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return head[: -len(end)] + "".join(lines).encode("utf-8") + end


def _named(plan: Plan, summary: str, named: bool) -> str:
    return calendar_text(f"{plan.campaign.name}: {summary}" if named else summary, one_line=True)


def _start_line(probe) -> tuple[str, str]:
    """How the library writes DTSTART in the plan's zone: the text before the value and after it (``Z`` in UTC)."""
    line = str(probe.content_line("DTSTART", probe["DTSTART"]))
    value = "20000101T000000"
    at = line.index(":" + value) + 1
    return line[:at], line[at + len(value) :]


def _utc_text(moment: dt.datetime) -> str:
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"


def _escaped(text: str) -> str:
    """A TEXT value as RFC 5545 escapes it (and as the icalendar library does, in its order)."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


FOLD = 74  # the most bytes on one line of the file: a longer line goes on in the next, after a space


def _folded(line: str) -> str:
    """``line`` and CRLF, folded as the icalendar library folds (never after a lone ``\\`` or ``^``, nor inside a character)."""
    if len(line) <= FOLD // 4 or (len(line) <= FOLD and len(line.encode("utf-8")) <= FOLD):
        return line + "\r\n"
    data = line.encode("utf-8")
    parts = []
    start = 0
    while len(data) - start > FOLD:
        end = start + FOLD
        while data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":  # an escape stays whole
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8") + "\r\n"


def _event_lines(
    out: list[str], plan: Plan, post: Post, start: tuple[str, str], stamp: str, named: bool = False
) -> None:
    """A VEVENT: the library's order (SUMMARY, DTSTART, DURATION, DTSTAMP, UID, then the rest by name)."""
    at = post.at
    summary = _named(plan, f"[{platform_label(plan, post.platform)}] {post.title or post.id}", named)
    out.append("BEGIN:VEVENT\r\n")
    out.append(_folded(f"SUMMARY:{_escaped(summary)}"))
    out.append(
        _folded(f"{start[0]}{at.year:04}{at.month:02}{at.day:02}T{at.hour:02}{at.minute:02}{at.second:02}{start[1]}")
    )
    out.append("DURATION:PT30M\r\n")
    out.append(f"DTSTAMP:{stamp}\r\n")
    out.append(_folded(f"UID:{_escaped(post_uid(plan, post))}"))
    if post.tags:
        out.append(_folded("CATEGORIES:" + ",".join(_escaped(calendar_text(tag, one_line=True)) for tag in post.tags)))
    description = [part for part in (post.text, post.link) if part]
    if description:
        out.append(_folded("DESCRIPTION:" + _escaped(calendar_text("\n\n".join(description)))))
    out.append(f"STATUS:{STATUS[post.status]}\r\n")
    url = web_url(post.link)
    if url:
        out.append(_folded(f"URL:{url}"))
    out.append("END:VEVENT\r\n")


def _todo_lines(out: list[str], plan: Plan, item: SmoItem, stamp: str, named: bool = False) -> None:
    """A VTODO: every property by name, as the library orders them."""
    out.append("BEGIN:VTODO\r\n")
    if item.category:
        out.append(_folded(f"CATEGORIES:{_escaped(calendar_text(item.category, one_line=True))}"))
    if item.done and item.done_on is not None:
        out.append(f"COMPLETED:{_utc_text(_midnight_utc(item.done_on))}\r\n")
    details = [item.notes] if item.notes else []
    if item.owner:
        details.append(f"Owner: {item.owner}")
    if details:
        out.append(_folded("DESCRIPTION:" + _escaped(calendar_text("\n\n".join(details)))))
    out.append(f"DTSTAMP:{stamp}\r\n")
    due = plan.smo_due
    out.append(f"DUE;VALUE=DATE:{due.year:04}{due.month:02}{due.day:02}\r\n")
    out.append(f"STATUS:{'COMPLETED' if item.done else 'NEEDS-ACTION'}\r\n")
    out.append(_folded(f"SUMMARY:{_escaped(_named(plan, item.title, named))}"))
    out.append(_folded(f"UID:{_escaped(item_uid(plan, item))}"))
    url = web_url(item.url)
    if url:
        out.append(_folded(f"URL:{url}"))
    out.append("END:VTODO\r\n")
