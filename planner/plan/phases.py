"""Moving the phases' dates as edits: the SMM start, the SMO due date, the campaign start, and shifting posts.

SMM starts where SMO ends, and the plan should keep that true as dates
move. Each function takes the plan as the app shows it and returns one edit
from `planner.plan.edits` (a `Batch` when several fields move together, so
one undo takes it all back), or a typed result holding that edit and what a
user should be told about it. The app's forms and `planner shift` call the
same functions. Nothing here imports Textual.

Moving the SMO due date or the campaign start asks first (`Offer`: the
question, and the edit each answer makes): whether the SMM start, or the SMO
due date, the SMM start and every post, move by the same days. These rules
live here, so the app only shows the question and applies the answer.

Post times are local wall-clock times in the campaign's time zone: a post
shifted by days keeps its time of day. A shifted post that lands on a time
the clocks skip is moved as it is and reported (with the next valid time,
as the post editor says it), never changed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from planner.errors import EditError
from planner.plan.edits import Batch, Edit, SetField
from planner.plan.model import POSTS, Plan, Post
from planner.rules.slots import check_local_time
from planner.words import counted, plural

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
        raise EditError(
            f"{what} at {at:%Y-%m-%d %H:%M} cannot move {counted(days, 'day')}: it would leave the calendar"
        ) from None


def _how_far(days: int) -> str:
    """``"3 days later"``, ``"1 day earlier"``."""
    return f"{counted(abs(days), 'day')} {'later' if days > 0 else 'earlier'}"


# -- the phases' dates --------------------------------------------------------------


def set_smm_start(plan: Plan, day: dt.date) -> SetField | None:
    """Set ``smm.start`` to ``day``; None when SMM starts on ``day`` already.

    That is also the case when the plan has no ``smm.start`` and ``day`` is
    the day after the SMO due date: confirming the date a form shows writes
    nothing. `planner check` warns when it is on or before the SMO due date.
    """
    if plan.smm_start == day:
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
        label = f"move the SMO due date and the SMM start {_how_far(days)}"
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
    """What shifting posts does: the posts it moves and the one edit that moves them (None when nothing moves).

    ``start``, ``end`` and ``smm_start`` are the dates the moved posts were
    checked against (as they are after the change).
    """

    days: int
    posts: tuple[ShiftedPost, ...]
    edit: Batch | None
    start: dt.date | None = None
    end: dt.date | None = None
    smm_start: dt.date | None = None

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

    def findings(self) -> list[str]:
        """What needs a look after the shift, one line per group then one per post: a skipped or repeated hour, before the SMM start, outside the campaign."""
        groups = [
            (self.in_skipped_hour, "in an hour the clocks skip (moved as it was: fix the time)", lambda m: m.skipped),
            (self.in_repeated_hour, "in an hour that happens twice", lambda m: m.twice),
            (self.before_smm_start, f"before the SMM start ({self.smm_start})", lambda m: f"{m.at:%Y-%m-%d %H:%M}"),
            (
                self.outside_campaign,
                f"outside the campaign ({self.start} to {self.end})",
                lambda m: f"{m.at:%Y-%m-%d %H:%M}",
            ),
        ]
        lines: list[str] = []
        for found, what, detail in groups:
            if found:
                lines.append(f"{counted(len(found), 'post')} {'lands' if len(found) == 1 else 'land'} {what}:")
                lines += [f"  {moved.name} ({moved.post.platform}): {detail(moved)}" for moved in found]
        return lines


def selected_posts(plan: Plan, *, since: dt.date | None = None, platform: str | None = None) -> list[int]:
    """The indexes of the posts on or after ``since`` and on ``platform`` (each when given)."""
    return [
        index
        for index, post in enumerate(plan.posts)
        if (since is None or post.at.date() >= since) and (platform is None or post.platform == platform)
    ]


def _shifted(
    plan: Plan, indexes: Iterable[int], days: int, *, start: dt.date, end: dt.date, smm_start: dt.date
) -> tuple[ShiftedPost, ...]:
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
    window = {"start": campaign.start, "end": campaign.end, "smm_start": plan.smm_start}
    moved = _shifted(plan, selected_posts(plan, since=since, platform=platform), days, **window)
    if days == 0 or not moved:
        return PostShift(days, moved, None, **window)
    where = f" on {platform}" if platform else ""
    when = f" from {since}" if since else ""
    label = f"shift {counted(len(moved), 'post')}{where}{when} {_how_far(days)}"
    return PostShift(days, moved, Batch(tuple(_post_edits(moved)), label), **window)


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
    window = {"start": day, "end": plan.campaign.end, "smm_start": new_smm_start}
    moved = _shifted(plan, range(len(plan.posts)), days, **window)
    edits += _post_edits(moved)
    label = f"move the campaign start, SMO, SMM and {counted(len(moved), 'post')} {_how_far(days)}"
    return CampaignMove(days, Batch(tuple(edits), label), PostShift(days, moved, None, **window))


# -- what to ask when a phase's date moves -------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer to an `Offer`: its button, the edit it makes (None: nothing changes) and what to tell once it is made."""

    key: str
    label: str
    edit: Edit | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Offer:
    """A date change that asks first: the question, and the answers in the order shown (``default`` is preselected)."""

    title: str
    question: str
    answers: tuple[Answer, ...]
    default: str

    def answer(self, key: str | None) -> Answer | None:
        return next((answer for answer in self.answers if answer.key == key), None)


CANCEL = Answer("cancel", "Cancel", None)


def smo_due_change(plan: Plan, day: dt.date) -> Offer | None:
    """What moving the SMO due date to ``day`` asks: move the SMM start by the same days too, or keep it (None: no change).

    It is always asked, since SMM starts where SMO ends. Moving both is the
    default when the SMM start is where SMO ends (the day after the due
    date, or not set); keeping it is the default when the plan has a gap or
    an overlap between the phases on purpose. `EditError` when the SMM
    start would leave the calendar.
    """
    days = (day - plan.smo_due).days
    if days == 0:
        return None
    smm_start = plan.smm_start
    moved = _plus(smm_start, days, "The SMM start")
    follows = plan.smm_start_set is None or smm_start == _plus(plan.smo_due, 1, "The SMO due date")
    question = f"The SMO due date moves from {plan.smo_due} to {day} ({_how_far(days)}). SMM starts on {smm_start}: move it to {moved} too?"
    if smm_start <= day:
        question += f" Kept on {smm_start}, SMM would start before SMO ends."
    answers = (
        CANCEL,
        Answer("keep", "Keep the SMM start", move_smo_due(plan, day, move_smm_start=False)),
        Answer("both", "Move both", move_smo_due(plan, day, move_smm_start=True)),
    )
    return Offer("Move the SMO due date", question, answers, "both" if follows else "keep")


def campaign_start_change(plan: Plan, day: dt.date) -> Offer | None:
    """What moving the campaign start to ``day`` asks: shift the SMO due date, the SMM start and every post too (one step), or move only the start.

    None when ``day`` is the start already. Shifting everything is the
    default (a launch that slips takes its plan along); the campaign's end
    stays, and the posts the shift pushes past it are told about once it is
    made. `EditError` when a date would leave the calendar.
    """
    everything = move_campaign_start(plan, day, shift_everything=True)
    if everything.edit is None:
        return None
    days = everything.days
    alone = move_campaign_start(plan, day, shift_everything=False)
    due = _plus(plan.smo_due, days, "The SMO due date")
    smm_start = _plus(plan.smm_start, days, "The SMM start")
    posts = len(plan.posts)
    what = f"the SMO due date to {due}, the SMM start to {smm_start}" + (
        f" and {plural(posts, 'its post', f'all {posts} posts')}" if posts else ""
    )
    question = (
        f"The campaign start moves from {plan.campaign.start} to {day} ({_how_far(days)}). "
        f"Shift {what} by {counted(abs(days), 'day')} too, as one step? The campaign end stays on {plan.campaign.end}."
    )
    findings = everything.posts.findings()
    answers = (
        CANCEL,
        Answer("start", "Only the start", alone.edit),
        Answer("all", "Shift everything", everything.edit, "\n".join(findings)),
    )
    return Offer("Move the campaign start", question, answers, "all")


_AMOUNT = re.compile(r"([+-]?\d{1,6})\s*(d|days?|w|weeks?)?", re.IGNORECASE)


def parse_shift(text: str) -> int:
    """How far a shift moves, in days: ``3``, ``-2``, ``3d``, ``+1w``, ``2 weeks``; `ValueError` says how to write it."""
    found = _AMOUNT.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"“{text.strip()}” is not a number of days or weeks: write 3, -2, 3d, 1w or 2 weeks")
    count = int(found.group(1))
    return count * 7 if (found.group(2) or "d").lower().startswith("w") else count
