"""What a user does to posts, as edits: add, update, move, duplicate, delete.

Each function takes the plan as the app shows it and returns one edit from
`planner.plan.edits` (a `Batch` when it takes several steps), so undo, redo
and byte-minimal saving work the same for the calendar, the post form and
the command line. Posts are addressed by their index in ``[[smm.posts]]``,
which is the order of `Plan.posts`. Nothing here imports Textual.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Any

from planner.plan.edits import AddEntry, Batch, DeleteEntry, SetField
from planner.plan.ids import new_id, slugify, unique
from planner.plan.model import POSTS, STATUSES, Plan, Post
from planner.plan.schema import POST_KEYS
from planner.rules.platforms import formats_for
from planner.rules.slots import next_slot
from planner.words import quoted

# Values a key takes when it is left out of the file (see docs/plan-format.md).
DEFAULTS: dict[str, Any] = {
    "format": "post",
    "status": "idea",
    "title": "",
    "text": "",
    "link": "",
    "tags": (),
    "notes": "",
}
REQUIRED = ("id", "platform", "at")
# What a copy of a post does not take over: who approved the original, and what.
NOT_COPIED = ("approved_by", "approved_fingerprint")


def _plain(key: str, value: Any) -> Any:
    """A form value as it goes in the file: tags as a list, datetimes without a time zone."""
    if key == "tags":
        return [str(tag) for tag in value or ()]
    return value


def _empty(key: str, value: Any) -> bool:
    return key not in REQUIRED and (value is None or value == "" or (key == "tags" and not value))


def entry(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` as a new ``[[smm.posts]]`` entry: canonical key order, empty and default values left out."""
    out: dict[str, Any] = {}
    for key in POST_KEYS:
        if key not in fields:
            continue
        value = _plain(key, fields[key])
        if _empty(key, value) or (key in DEFAULTS and value == DEFAULTS[key]):
            continue
        out[key] = value
    return out


def named(post: Post) -> str:
    """How a message names a post: its title (else its id), quoted and cut."""
    return quoted(post.title or post.id)


def add_post(plan: Plan, fields: Mapping[str, Any]) -> tuple[str, AddEntry]:
    """The id for a new post made from ``fields`` (as the post form returns them) and the edit that adds it."""
    ident = new_id(str(fields.get("title") or fields.get("platform") or "post"), {post.id for post in plan.posts})
    value = entry({**fields, "id": ident})
    return ident, AddEntry(
        POSTS,
        value,
        date_order_index(plan, fields.get("at")),
        label=f"add post {quoted(str(fields.get('title') or ident))}",
    )


def date_order_index(plan: Plan, at: Any) -> int | None:
    """Where a new post at ``at`` goes: in date order when the plan's posts are in date order, else (None) after the last."""
    times = [post.at for post in plan.posts]
    if not isinstance(at, dt.datetime) or any(later < earlier for earlier, later in itertools.pairwise(times)):
        return None
    index = bisect.bisect_right(times, at)
    return None if index == len(times) else index


def update_post(plan: Plan, index: int, fields: Mapping[str, Any]) -> Batch | None:
    """The edit that gives post ``index`` the values in ``fields``; None if nothing changed.

    Only changed keys are written. An optional field that was emptied loses
    its key; a required one (``platform``, ``at``) is never removed.
    """
    post = plan.posts[index]
    edits = []
    for key in POST_KEYS:
        if key == "id" or key not in fields:
            continue
        value = _plain(key, fields[key])
        old = _plain(key, getattr(post, key))
        if value == old:
            continue
        if _empty(key, value):
            edits.append(SetField((*POSTS, index), key, None))
        elif value is not None:
            edits.append(SetField((*POSTS, index), key, value))
    if not edits:
        return None
    return Batch(tuple(edits), f"edit post {named(post)}")


def move_post(plan: Plan, index: int, days: int) -> SetField:
    """The edit that moves post ``index`` by ``days`` (negative: earlier), keeping its time of day."""
    post = plan.posts[index]
    at = post.at + dt.timedelta(days=days)
    return SetField((*POSTS, index), "at", at, f"move post {named(post)} to {at.date()}")


def next_status(status: str) -> str | None:
    """The status after ``status`` (idea, draft, review, approved, scheduled, published); None after the last."""
    at = STATUSES.index(status) if status in STATUSES else -1
    return STATUSES[at + 1] if at + 1 < len(STATUSES) else None


def advance_status(plan: Plan, index: int) -> SetField | None:
    """The edit that moves post ``index`` to its next status; None if it is published (the last one)."""
    post = plan.posts[index]
    status = next_status(post.status)
    if status is None:
        return None
    return SetField((*POSTS, index), "status", status, f"set {named(post)} to {status}")


def variant_id(post: Post, platform: str, taken: Collection[str]) -> str:
    """The id of ``post``'s copy for ``platform``: ``<id>-<platform>``, unique in ``taken``."""
    return unique(f"{post.id}-{slugify(platform)}", taken)


def copy_format(post: Post, platform: str) -> str:
    """The format of ``post``'s copy on ``platform``: its own if the platform has it, else the platform's first."""
    formats = formats_for(platform)
    return post.format if post.format in formats else formats[0]


def duplicate_post(
    plan: Plan, index: int, platforms: Iterable[str], now: dt.datetime | None = None
) -> tuple[list[Post], Batch]:
    """Copies of post ``index`` for each of ``platforms`` (the new posts, and one edit that adds them all).

    Each copy is a new entry after the last post, with its own id, as a
    ``draft`` (its text is yet to be fitted to its platform), at the
    platform's next free best-time slot from the original's time (from
    ``now`` when that is later; a slot less than an hour from another post
    there is not free; the original's time when the platform has no best
    times), in a format the platform has (`copy_format`); title, text, link,
    tags and notes are the original's; its approval is not (a copy on
    another platform is not what was approved).
    """
    post = plan.posts[index]
    platforms = list(platforms)
    taken = {other.id for other in plan.posts}
    start = max(post.at, now) if now is not None else post.at
    copies: list[Post] = []
    for platform in platforms:
        ident = variant_id(post, platform, taken)
        taken.add(ident)
        busy = [other.at for other in plan.posts if other.platform == platform]
        at = next_slot(plan.platform(platform), start, plan.campaign.timezone, busy) or post.at
        unapproved: dict[str, Any] = dict.fromkeys(NOT_COPIED, "")
        copies.append(
            replace(
                post,
                id=ident,
                platform=platform,
                at=at,
                status="draft",
                format=copy_format(post, platform),
                **unapproved,
            )
        )
    # A copy is a new post: the results the original got (kept by the plan, by post id) are not its.
    edits = tuple(
        AddEntry(POSTS, entry({key: getattr(copy, key) for key in POST_KEYS if key != "results"})) for copy in copies
    )
    where = ", ".join(f"{copy.platform} ({copy.at:%Y-%m-%d %H:%M})" for copy in copies)
    return copies, Batch(
        edits, f"duplicate post {named(post)} to {where} as {'a draft' if len(copies) == 1 else 'drafts'}"
    )


def delete_post(plan: Plan, index: int) -> DeleteEntry:
    return DeleteEntry(POSTS, index, label=f"delete post {named(plan.posts[index])}")
