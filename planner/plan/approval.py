"""Review gates: who approved a post, and whether it is still what they approved.

A post is approved by writing who approved it (``approved_by``) and a
fingerprint of what they approved (``approved_fingerprint``): the post's
text, link, time and platform, the things a reader of the post sees or
that decide where and when it goes out. Changing any of them afterwards
leaves the fingerprint behind, and `planner check` warns "changed after
approval by NAME" until the post is approved again. The title, tags, notes
and status are the team's own bookkeeping and can change freely.

Nothing here runs git or reads settings: the command line finds the
approver's name (``--by``, else ``git config user.name``) and passes it in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from planner.plan.edits import Batch, SetField
from planner.plan.model import POSTS, Plan, Post
from planner.words import quoted

# What an approval covers, in the order the fingerprint reads them.
APPROVED_CONTENT = ("text", "link", "at", "platform")
# The statuses a post leaves when it is approved; later ones (scheduled, published) stay.
BEFORE_APPROVAL = ("idea", "draft", "review")

State = Literal["not approved", "approved", "changed", "no fingerprint"]


def fingerprint(post: Post) -> str:
    """16 hexadecimal digits that change when the post's text, link, time or platform does."""
    at = post.at.isoformat() if isinstance(post.at, dt.datetime) else str(post.at)
    payload = json.dumps([post.text, post.link, at, post.platform], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def state(post: Post) -> State:
    """Whether ``post`` is approved as it is now.

    "changed": approved, then its text, link, time or platform changed;
    "no fingerprint": an ``approved_by`` written by hand, without what it approved.
    """
    if not post.approved_by.strip():
        return "not approved"
    if not post.approved_fingerprint:
        return "no fingerprint"
    return "approved" if post.approved_fingerprint == fingerprint(post) else "changed"


def approve(plan: Plan, index: int, by: str) -> Batch | None:
    """The edit that records ``by`` approving post ``index`` as it is now; None if that is already recorded.

    A post still an idea, a draft or in review becomes ``approved``; a
    scheduled or published one keeps its status.
    """
    post = plan.posts[index]
    by = by.strip()
    stamp = fingerprint(post)
    edits = []
    if post.approved_by != by:
        edits.append(SetField((*POSTS, index), "approved_by", by))
    if post.approved_fingerprint != stamp:
        edits.append(SetField((*POSTS, index), "approved_fingerprint", stamp))
    if post.status in BEFORE_APPROVAL:
        edits.append(SetField((*POSTS, index), "status", "approved"))
    if not edits:
        return None
    return Batch(tuple(edits), f"approved post {quoted(post.title or post.id)} as {by}")


def in_words(post: Post) -> str:
    """The post's approval as the app shows it ("" when nobody approved it)."""
    found = state(post)
    by = post.approved_by.strip()
    if found == "approved":
        return f"approved by {by}"
    if found == "changed":
        return f"changed after approval by {by}"
    if found == "no fingerprint":
        return f"says approved by {by}, but not what was approved"
    return "has an approval fingerprint but no approver" if post.approved_fingerprint else ""
