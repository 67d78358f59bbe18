"""Moving the phases' dates as edits: the SMM start, the SMO due date, the campaign start, and shifting posts.

SMM starts where SMO ends, and the plan should keep that true as dates
move. Each function takes the plan as the app shows it and returns one edit
from `planner.plan.edits` (a `Batch` when several fields move together, so
one undo takes it all back), or a typed result holding that edit and what a
user should be told about it. The app's forms and `planner shift` call the
same functions. Nothing here imports Textual.

Post times are local wall-clock times in the campaign's time zone: a post
shifted by days keeps its time of day. A shifted post that lands on a time
the clocks skip is moved as it is and reported (with the next valid time,
as the post editor says it), never changed silently.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from planner.errors import EditError
from planner.plan.edits import Batch, Edit, SetField
from planner.plan.model import POSTS, Plan, Post
from planner.rules.slots import check_local_time
from planner.words import counted

SMM = ("smm",)
SMO = ("smo",)
CAMPAIGN = ("campaign",)


def _plus(day: dt.date, days: int, what: str) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise EditError(f"{what} {day} cannot move {counted(days, 'day')}: it would leave the calendar") from None


def _plus_time(at: dt.datetime, days: int, what: str) -> dt.datetime:
    try:
        return at + dt.timedelta(days=days)
    except OverflowError:
        raise EditError(f"{what} at {at:%Y-%m-%d %H:%M} cannot move {counted(days, 'day')}: it would leave the calendar") from None


# -- the phases' dates --------------------------------------------------------------


def set_smm_start(plan: Plan, day: dt.date) -> SetField | None:
    """Set ``smm.start`` to ``day``; None when the plan already says so.

    Writes the key even when ``day`` is the default (the day after the SMO
    due date): a date someone typed is kept as typed. `planner check`
    warns when it is on or before the SMO due date.
    """
    if plan.smm_start_set == day:
        return None
    return SetField(SMM, "start", day, f"set the SMM start to {day}")


def move_smo_due(plan: Plan, day: dt.date, *, move_smm_start: bool) -> Edit | None:
    """Move ``smo.due`` to ``day``; with ``move_smm_start`` the SMM start moves by the same days (one undo step).

    A plan without ``smm.start`` has SMM start the day after the SMO due
    date, so it follows the due date by itself; when it should stay where
    it is (``move_smm_start=False``), its current date is written.
    """
    days = (day - plan.smo_due).days
    if days == 0:
        return None
    edits: list[Edit] = [SetField(SMO, "due", day)]
    if move_smm_start:
        if plan.smm_start_set is not None:
            edits.append(SetField(SMM, "start", _plus(plan.smm_start_set, days, "The SMM start")))
        label = f"move the SMO due date and the SMM start by {counted(days, 'day')}"
    else:
        if plan.smm_start_set is None:
            edits.append(SetField(SMM, "start", plan.smm_start))
        label = f"move the SMO due date to {day}"
    return Batch(tuple(edits), label)


@dataclass(frozen=True, slots=True)
class ShiftedPost:
    """One post a shift moves: where it was, where it lands, and what a user should know about that."""

    index: int
    post: Post
    at: dt.datetime  # the new local time
    skipped: str = ""  # the clocks skip this time: the post editor's message, naming the next valid time
    twice: str = ""  # this time happens twice (the clocks go back)
    outside: bool = False  # outside the campaign's dates
    before_smm: bool = False  # before the SMM start (after the shift)

    @property
    def name(self) -> str:
        """How a message names the post: its title, or its id when it has none."""
        return self.post.title or self.post.id


@dataclass(frozen=True, slots=True)
class PostShift:
    """What shifting posts does: the posts it moves and the one edit that moves them (None when nothing moves)."""

    days: int
    posts: tuple[ShiftedPost, ...]
    edit: Batch | None

    def by_platform(self) -> dict[str, int]:
        """How many posts move on each platform, by platform name."""
        return dict(sorted(Counter(moved.post.platform for moved in self.posts).items()))

    @property
    def in_skipped_hour(self) -> tuple[ShiftedPost, ...]:
        return tuple(moved for moved in self.posts if moved.skipped)

    @property
    def in_repeated_hour(self) -> tuple[ShiftedPost, ...]:
        return tuple(moved for moved in self.posts if moved.twice)

    @property
    def outside_campaign(self) -> tuple[ShiftedPost, ...]:
        return tuple(moved for moved in self.posts if moved.outside)

    @property
    def before_smm_start(self) -> tuple[ShiftedPost, ...]:
        return tuple(moved for moved in self.posts if moved.before_smm and not moved.outside)


def selected_posts(plan: Plan, *, since: dt.date | None = None, platform: str | None = None) -> list[int]:
    """The indexes of the posts on or after ``since`` and on ``platform`` (each when given)."""
    return [
        index
        for index, post in enumerate(plan.posts)
        if (since is None or post.at.date() >= since) and (platform is None or post.platform == platform)
    ]


def _shifted(plan: Plan, indexes: Iterable[int], days: int, *, start: dt.date, end: dt.date, smm_start: dt.date) -> tuple[ShiftedPost, ...]:
    """Each post at ``indexes`` moved by ``days``, with what the user should know (against the dates as they will be)."""
    out = []
    for index in indexes:
        post = plan.posts[index]
        at = _plus_time(post.at, days, f"Post {post.title or post.id!r}")
        found = check_local_time(at, plan.campaign.timezone)
        out.append(
            ShiftedPost(
                index,
                post,
                at,
                skipped=found.error,
                twice=found.warning,
                outside=not start <= at.date() <= end,
                before_smm=at.date() < smm_start,
            )
        )
    return tuple(out)


def _post_edits(moved: Iterable[ShiftedPost]) -> list[Edit]:
    return [SetField((*POSTS, shifted.index), "at", shifted.at) for shifted in moved]


def shift_posts(plan: Plan, days: int, *, since: dt.date | None = None, platform: str | None = None) -> PostShift:
    """Move the posts (all; those on or after ``since``; those on ``platform``) by ``days``, as one edit.

    Each post keeps its wall-clock time. The result lists the posts that
    land in a skipped hour, an hour that happens twice, before the SMM start
    or outside the campaign; they are moved all the same (`planner check`
    keeps warning about them until they are fixed).
    """
    campaign = plan.campaign
    moved = _shifted(plan, selected_posts(plan, since=since, platform=platform), days, start=campaign.start, end=campaign.end, smm_start=plan.smm_start)
    if days == 0 or not moved:
        return PostShift(days, moved, None)
    where = f" on {platform}" if platform else ""
    when = f" from {since}" if since else ""
    label = f"shift {counted(len(moved), 'post')}{where}{when} by {counted(days, 'day')}"
    return PostShift(days, moved, Batch(tuple(_post_edits(moved)), label))


@dataclass(frozen=True, slots=True)
class CampaignMove:
    """Moving the campaign start: the one edit, and the posts it shifts (empty unless everything moves)."""

    days: int
    edit: Batch | None
    posts: PostShift


def move_campaign_start(plan: Plan, day: dt.date, *, shift_everything: bool) -> CampaignMove:
    """Move ``campaign.start`` to ``day``; with ``shift_everything`` the SMO due date, the SMM start and every post move by the same days.

    All of it is one edit, undone in one step. The campaign's end stays
    where it is (a holiday or an event does not move with a late start);
    posts that a shift pushes past it are listed in the result.
    """
    days = (day - plan.campaign.start).days
    if days == 0:
        return CampaignMove(0, None, PostShift(0, (), None))
    edits: list[Edit] = [SetField(CAMPAIGN, "start", day)]
    if not shift_everything:
        return CampaignMove(days, Batch(tuple(edits), f"move the campaign start to {day}"), PostShift(0, (), None))
    due = _plus(plan.smo_due, days, "The SMO due date")
    edits.append(SetField(SMO, "due", due))
    smm_start = _plus(plan.smm_start, days, "The SMM start") if plan.smm_start_set is not None else None
    if smm_start is not None:
        edits.append(SetField(SMM, "start", smm_start))
    new_smm_start = smm_start or (due + dt.timedelta(days=1) if due < dt.date.max else due)
    moved = _shifted(plan, range(len(plan.posts)), days, start=day, end=plan.campaign.end, smm_start=new_smm_start)
    edits += _post_edits(moved)
    label = f"move the campaign start, SMO, SMM and {counted(len(moved), 'post')} by {counted(days, 'day')}"
    return CampaignMove(days, Batch(tuple(edits), label), PostShift(days, moved, None))
