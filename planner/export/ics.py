"""iCalendar (RFC 5545): a VEVENT per post, a VTODO per SMO item, with the plan's VTIMEZONE.

Deterministic: UIDs come from the plan's ids and the campaign's name, DTSTAMP
is the campaign's first day at midnight UTC (never the current time), and
components are in a fixed order. Calendar apps that import the file again
update the events instead of duplicating them, because the UIDs are stable.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from icalendar import Calendar, Event, Todo

from planner.export import MARKER
from planner.export.common import platform_label, posts_in_order
from planner.plan.ids import slugify
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


def post_uid(plan: Plan, post: Post) -> str:
    return f"{post.id}.{slugify(plan.campaign.name)}@planner"


def item_uid(plan: Plan, item: SmoItem) -> str:
    # Another right-hand side than posts': an item and a post may share an id.
    return f"{item.id}.{slugify(plan.campaign.name)}@smo.planner"


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def render_ics(plan: Plan, phase: str = "all") -> bytes:
    campaign = plan.campaign
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    stamp = _midnight_utc(campaign.start)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-generated-by", MARKER)
    calendar.add("x-wr-calname", campaign.name)
    calendar.add("x-wr-timezone", campaign.timezone)

    if phase in ("all", "smo"):
        for item in plan.smo_items:
            calendar.add_component(_todo(plan, item, stamp))
    posts = posts_in_order(plan.posts) if phase in ("all", "smm") else []
    for post in posts:
        calendar.add_component(_event(plan, post, zone, stamp))

    if posts:
        # Transitions only for the years the plan covers, so the file stays short.
        days = [campaign.start, campaign.end, *(post.at.date() for post in posts)]
        first = dt.date(min(days).year, 1, 1)
        last = dt.date(min(max(days).year + 1, dt.MAXYEAR), 1, 1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def _event(plan: Plan, post: Post, zone: zoneinfo.ZoneInfo, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", post_uid(plan, post))
    event.add("dtstamp", stamp)
    event.add("dtstart", post.at.replace(tzinfo=zone))
    event.add("duration", DURATION)
    event.add("summary", f"[{platform_label(plan, post.platform)}] {post.title or post.id}")
    description = [part for part in (post.text, post.link) if part]
    if description:
        event.add("description", "\n\n".join(description))
    if post.link:
        event.add("url", post.link)
    if post.tags:
        event.add("categories", list(post.tags))
    event.add("status", STATUS[post.status])
    return event


def _todo(plan: Plan, item: SmoItem, stamp: dt.datetime) -> Todo:
    todo = Todo()
    todo.add("uid", item_uid(plan, item))
    todo.add("dtstamp", stamp)
    todo.add("summary", item.title)
    todo.add("due", plan.smo_due)
    details = [item.notes] if item.notes else []
    if item.owner:
        details.append(f"Owner: {item.owner}")
    if details:
        todo.add("description", "\n\n".join(details))
    if item.url:
        todo.add("url", item.url)
    if item.category:
        todo.add("categories", [item.category])
    if item.done:
        todo.add("status", "COMPLETED")
        if item.done_on is not None:
            todo.add("completed", _midnight_utc(item.done_on))
    else:
        todo.add("status", "NEEDS-ACTION")
    return todo
