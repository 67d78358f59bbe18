"""Warnings about a valid plan: the checks shared by `planner check`, `status` and the app.

Each check is a small function from the plan to problems. They never raise
and never read files; the caller adds lines (see `planner.plan.plan_file`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
import re
import tomllib
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, pairwise

from planner.plan import approval
from planner.plan.model import SMO_ITEMS, Competitor, Plan, Post, SmoItem
from planner.plan.problems import Problem
from planner.rules.platforms import Limits, limits_for, measure
from planner.words import counted, plural

MIN_GAP = dt.timedelta(hours=1)
# What a count over its limit is called, which field it points at, and how it is said.
_OVER = {
    "text": ("text-limit", "text", "text is {used} {unit}; {platform} allows {limit}"),
    "title": ("title-limit", "title", "title is {used} {unit}; {platform} allows {limit}"),
    "hashtags": ("hashtag-limit", "text", "text has {hashtags}; {platform} allows {limit}"),
    "mentions": ("mention-limit", "text", "text mentions {accounts}; {platform} allows {limit}"),
}


def _post(index: int, *rest: str) -> tuple:
    return ("smm", "posts", index, *rest)


def named(post: Post | SmoItem) -> str:
    """How a message names a post or an item: its title in quotes (what a user knows it by), or its id when it has none."""
    return f"“{post.title}”" if post.title.strip() else repr(post.id)


def _warn(path: tuple, message: str, code: str, hint: str = "") -> Problem:
    return Problem("warning", message, path, hint=hint, code=code)


def phase_gap(plan: Plan) -> tuple[dt.date, dt.date] | None:
    """The first and last day after the SMO due date and before the SMM start (None when SMM starts the day after)."""
    if (
        plan.smm_start.toordinal() - plan.smo_due.toordinal() <= 1
    ):  # ordinals: no date arithmetic past the calendar's ends
        return None
    return plan.smo_due + dt.timedelta(days=1), plan.smm_start - dt.timedelta(days=1)


def phase_hint(plan: Plan) -> str:
    """How the phases meet, for a message about a date before the SMM start: "SMM starts where SMO ends" only where it does."""
    if plan.smm_start_set is not None and plan.smm_start_set <= plan.smo_due:
        return f"SMM should start after SMO ends on {plan.smo_due}"
    if phase_gap(plan) is None:
        return "SMM starts where SMO ends"
    return f"SMO ends on {plan.smo_due} and SMM starts on {plan.smm_start}"


def phase_gate(plan: Plan) -> Iterator[Problem]:
    """SMM starts where SMO ends: no post before the SMM start."""
    start = plan.smm_start
    hint = phase_hint(plan)
    if plan.smm_start_set is not None and plan.smm_start_set <= plan.smo_due:
        yield _warn(
            ("smm", "start"), f"SMM starts on {start}, before the SMO phase ends on {plan.smo_due}", "phase-gate", hint
        )
    for index, post in enumerate(plan.posts):
        if post.at.date() < start:
            yield _warn(
                _post(index, "at"),
                f"post {named(post)} is dated {post.at.date()}, before the SMM phase starts on {start}",
                "phase-gate",
                hint,
            )


def days_between_phases(plan: Plan) -> Iterator[Problem]:
    """Days after the SMO due date and before the SMM start belong to neither phase.

    A weekend alone between them (SMO due on Friday, SMM from Monday) is
    left free on purpose, as the template does: no warning for that.
    """
    gap = phase_gap(plan)
    if gap is None:
        return
    first, last = gap
    days = (last - first).days + 1
    if days <= 2 and first.weekday() >= 5 and last.weekday() >= 5:
        return
    dates = str(first) if days == 1 else f"{first} and {last}" if days == 2 else f"{first} to {last}"
    yield _warn(
        ("smm", "start"),
        f"{counted(days, 'day')} between the SMO due date ({plan.smo_due}) and the SMM start ({plan.smm_start}) "
        f"{'belongs' if days == 1 else 'belong'} to neither phase: {dates}",
        "phase-gap",
        f"SMM starts where SMO ends: set smm.start to {first}, or smo.due to {last}",
    )


SMO_GATE_DAYS = 7  # how long before the SMM start open SMO items are worth a warning
_NAMED = 3  # open items named in the message; the rest are counted


def smo_open_at_smm_start(plan: Plan, now: dt.datetime) -> Iterator[Problem]:
    """SMO items still open when SMM starts (within a week, or started): the gate is the work, not only the date.

    Quiet once the campaign is over: the plan is history then.
    """
    today = now.date()
    start = plan.smm_start
    if today > plan.campaign.end or (start - today).days > SMO_GATE_DAYS:
        return
    open_items = [item for item in plan.smo_items if not item.done]
    if not open_items:
        return
    days = (start - today).days
    when = (
        f"started on {start}"
        if days < 0
        else f"starts today ({start})"
        if days == 0
        else f"starts tomorrow ({start})"
        if days == 1
        else f"starts in {days} days ({start})"
    )
    names = ", ".join(f"“{item.title or item.id}”" for item in open_items[:_NAMED])
    more = f" and {len(open_items) - _NAMED} more" if len(open_items) > _NAMED else ""
    verb = "is" if len(open_items) == 1 else "are"
    yield _warn(
        ("smo", "due"),
        f"SMM {when} and {counted(len(open_items), 'SMO item')} {verb} still open: {names}{more}",
        "smo-open",
        "finish them first, or move smo.due and smm.start; planner shift moves posts",
    )


@functools.cache
def _template_objective() -> str:
    from planner.plan.template import template_text

    return str(tomllib.loads(template_text())["campaign"].get("objective", "")).strip()


def placeholder_objective(plan: Plan) -> Iterator[Problem]:
    """A note when the objective is still the template's example text."""
    if plan.campaign.objective.strip() and plan.campaign.objective.strip() == _template_objective():
        yield Problem(
            "note",
            "the objective is still the template's example; say what this campaign should achieve",
            ("campaign", "objective"),
            code="placeholder-objective",
        )


def campaign_dates(plan: Plan) -> Iterator[Problem]:
    campaign = plan.campaign
    for index, post in enumerate(plan.posts):
        if not campaign.start <= post.at.date() <= campaign.end:
            yield _warn(
                _post(index, "at"),
                f"post {named(post)} is outside the campaign ({campaign.start} to {campaign.end})",
                "outside-campaign",
            )


# Dates outside these years are taken for typos (a year of 2207 or 0226), and
# so are phase dates more than FAR from the campaign (see docs/plan-format.md).
SENSIBLE_YEARS = (1970, 2100)
FAR = dt.timedelta(days=5 * 366)


def absurd_dates(plan: Plan) -> Iterator[Problem]:
    """Every date before 1970 or after 2100, and an SMO due date or SMM start more than five years from the campaign."""
    campaign = plan.campaign
    phases: list[tuple[tuple, str, dt.date]] = [(("smo", "due"), "the SMO due date", plan.smo_due)]
    if plan.smm_start_set is not None:
        phases.append((("smm", "start"), "the SMM start", plan.smm_start_set))
    dates = [
        (("campaign", "start"), "the campaign start", campaign.start),
        (("campaign", "end"), "the campaign end", campaign.end),
        *phases,
        *(
            ((*SMO_ITEMS, index, "done_on"), f"item {named(item)} done_on", item.done_on)
            for index, item in enumerate(plan.smo_items)
            if item.done_on
        ),
        *((_post(index, "at"), f"post {named(post)}", post.at.date()) for index, post in enumerate(plan.posts)),
    ]
    first, last = SENSIBLE_YEARS
    for path, what, day in dates:
        if not first <= day.year <= last:
            yield _warn(
                path, f"{what} is dated {day}, before {first} or after {last}", "absurd-date", "a typo in the year?"
            )
    for path, what, day in phases:
        if first <= day.year <= last and (
            campaign.start - day > FAR or day - campaign.end > FAR
        ):  # differences: no date past 9999
            yield _warn(
                path,
                f"{what} is {day}, more than five years from the campaign ({campaign.start} to {campaign.end})",
                "absurd-date",
                "a typo in the year?",
            )


def chosen_platforms(plan: Plan) -> Iterator[Problem]:
    chosen = {p.name for p in plan.platforms}
    for index, post in enumerate(plan.posts):
        if post.platform not in chosen:
            yield _warn(
                _post(index, "platform"),
                f"post {named(post)} is on {post.platform}, which is not chosen for this campaign",
                "platform-not-chosen",
                "add it to [[smm.platforms]]",
            )


def limits(plan: Plan) -> Iterator[Problem]:
    """Text, title, hashtags or mentions over the limit for the post's platform and format (`limits_for`, shared with the post editor)."""
    found: dict[tuple[str, str], Limits] = {}
    for index, post in enumerate(plan.posts):
        limits = found.get((post.platform, post.format))
        if limits is None:
            limits = found[post.platform, post.format] = limits_for(plan, post.platform, post.format)
        for count in measure(limits, post.title, post.text, limited_only=True):
            if count.over:
                code, key, message = _OVER[count.what]
                yield _warn(
                    _post(index, key),
                    message.format(
                        used=count.used,
                        limit=count.limit,
                        platform=post.platform,
                        unit=count.unit,
                        hashtags=counted(count.used, "hashtag"),
                        accounts=counted(count.used, "account"),
                    ),
                    code,
                )


def spacing(plan: Plan) -> Iterator[Problem]:
    """Two posts on one platform less than an hour apart."""
    by_platform: dict[str, list[tuple[dt.datetime, int, Post]]] = defaultdict(list)
    for index, post in enumerate(plan.posts):
        by_platform[post.platform].append((post.at, index, post))
    for entries in by_platform.values():
        entries.sort(key=lambda e: (e[0], e[1]))
        for (at_a, _, a), (at_b, index_b, b) in pairwise(entries):
            if at_b - at_a < MIN_GAP:
                yield _warn(
                    _post(index_b, "at"),
                    f"post {named(b)} is less than an hour after {named(a)} on {b.platform}",
                    "too-close",
                )


def cadence(plan: Plan, week_start: int = 0) -> Iterator[Problem]:
    """Full weeks of the SMM phase in which a chosen platform gets fewer posts than its cadence."""
    start, end = plan.smm_start, plan.campaign.end
    offset = (week_start - start.weekday()) % 7
    full_weeks = ((end - start).days - offset + 1) // 7  # no date arithmetic past the calendar's ends
    if full_weeks <= 0:
        return
    first = start + dt.timedelta(days=offset)
    last = first + dt.timedelta(days=7 * (full_weeks - 1))
    counts: Counter[tuple[str, dt.date]] = Counter()
    for post in plan.posts:
        date = post.at.date()
        back = (date.weekday() - week_start) % 7
        if date.toordinal() - back >= 1:  # a week starting before 0001-01-01 is not a full week here
            week = date - dt.timedelta(days=back)
            if first <= week <= last:
                counts[post.platform, week] += 1
    for index, choice in enumerate(plan.platforms):
        if choice.cadence <= 0:
            continue
        # Count the weeks that are fine rather than walking every week: a
        # campaign can run for centuries (a typo in a year) and stay fast.
        good = {week for (name, week), n in counts.items() if name == choice.name and n >= choice.cadence}
        short_weeks = full_weeks - len(good)
        if short_weeks:
            listed: list[dt.date] = []
            week = first
            while len(listed) < 3 and week <= last:
                if week not in good:
                    listed.append(week)
                if week == last:
                    break
                week += dt.timedelta(days=7)
            more = f" and {short_weeks - len(listed)} more" if short_weeks > len(listed) else ""
            yield _warn(
                ("smm", "platforms", index, "cadence"),
                f"{choice.name} gets fewer than {counted(choice.cadence, 'post')} in the {plural(short_weeks, 'week')} of {', '.join(map(str, listed))}{more}",
                "cadence",
            )


def published_future(plan: Plan, now: dt.datetime) -> Iterator[Problem]:
    for index, post in enumerate(plan.posts):
        if post.status == "published" and post.at > now:
            yield _warn(
                _post(index, "status"),
                f"post {named(post)} is marked published but dated {post.at:%Y-%m-%d %H:%M}, in the future",
                "published-future",
            )


def approvals(plan: Plan) -> Iterator[Problem]:
    """An approved post changed since (its text, link, time or platform), or an approval that says not what it approved."""
    for index, post in enumerate(plan.posts):
        if not (post.approved_by or post.approved_fingerprint):  # most posts: no approval to check
            continue
        found = approval.state(post)
        again = f"approve it again: planner approve PLAN {post.id}"
        if found == "changed":
            yield _warn(
                _post(index, "approved_by"),
                f"post {named(post)} changed after approval by {post.approved_by.strip()}",
                "changed-after-approval",
                again,
            )
        elif found == "no fingerprint":
            yield _warn(
                _post(index, "approved_by"),
                f"post {named(post)} says approved by {post.approved_by.strip()} but has no approved_fingerprint of what was approved",
                "approval-fingerprint",
                again.replace(" again", ""),
            )
        elif found == "not approved":
            yield _warn(
                _post(index, "approved_fingerprint"),
                f"post {named(post)} has an approved_fingerprint but no approved_by",
                "approval-fingerprint",
                again.replace(" again", ""),
            )


def unapproved_soon(plan: Plan, now: dt.datetime, days: int) -> Iterator[Problem]:
    """`planner check --strict`: posts going out within ``days`` days of ``now`` that nobody approved.

    Posts approved and changed since are `approvals`' to report (as errors, in strict mode).
    """
    end = now + dt.timedelta(days=days)
    for index, post in enumerate(plan.posts):
        if now <= post.at <= end and approval.state(post) == "not approved":
            yield Problem(
                "error",
                f"post {named(post)} goes out {post.at:%Y-%m-%d %H:%M}, within {counted(days, 'day')}, and is not approved",
                _post(index, "status"),
                hint=f"planner approve PLAN {post.id}",
                code="not-approved",
            )


def strict(plan: Plan, problems: list[Problem], now: dt.datetime, days: int) -> list[Problem]:
    """``problems`` for `planner check --strict`: approvals that no longer hold become errors; unapproved posts due within ``days`` are added."""
    raised = [
        dataclasses.replace(p, severity="error") if p.code in APPROVAL_CODES and p.severity == "warning" else p
        for p in problems
    ]
    return raised + list(unapproved_soon(plan, now, days))


APPROVAL_CODES = ("changed-after-approval", "approval-fingerprint")


def look_alike_posts(plan: Plan) -> Iterator[Problem]:
    """Two posts on one platform with the same text, or the same title on the same day (both sides of a merge added it?)."""
    by_text: dict[tuple[str, str], Post] = {}
    by_title: dict[tuple[str, dt.date, str], Post] = {}
    for index, post in enumerate(plan.posts):
        text, title = post.text.strip(), post.title.strip().casefold()
        first = by_text.get((post.platform, text)) if text else None
        why = "the same text"
        if first is None and title:
            first = by_title.get((post.platform, post.at.date(), title))
            why = "the same title on the same day"
        if first is not None:
            yield _warn(
                _post(index, "id"),
                f"post {post.id!r} looks like the same post as {first.id!r}: {post.platform}, {why}",
                "look-alike",
                "keep one of them, or make them differ",
            )
            continue
        if text:
            by_text[post.platform, text] = post
        if title:
            by_title[post.platform, post.at.date(), title] = post


def daylight_saving(plan: Plan) -> Iterator[Problem]:
    """Local times that do not exist or happen twice in the campaign's time zone."""
    zone = zoneinfo.ZoneInfo(plan.campaign.timezone)
    for index, post in enumerate(plan.posts):
        problem = dst_problem(post.at, zone)
        if problem:
            yield _warn(
                _post(index, "at"), f"{post.at:%Y-%m-%d %H:%M} {problem} in {plan.campaign.timezone}", "daylight-saving"
            )


def dst_problem(local: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """``"does not exist"``, ``"happens twice"`` or ``""`` for a naive local time."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return ""
    roundtrip = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return "does not exist (the clocks skip it)" if roundtrip != local else "happens twice (the clocks go back)"


def tag_commas(plan: Plan) -> Iterator[Problem]:
    """Tags are written comma-separated in CSV and typed that way in the app: a comma would split one."""
    for index, post in enumerate(plan.posts):
        for tag in post.tags:
            if "," in tag:
                yield _warn(
                    _post(index, "tags"),
                    f"tag {tag!r} of post {named(post)} has a comma; CSV and the app would read it as two tags",
                    "tag-comma",
                    "use - or a space instead",
                )


# Invisible control characters: C0 but tab and newline (a carriage return only
# before a newline), DEL and C1. Exports drop or mangle them and readers of
# the file cannot see them.
_CONTROL = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MAYBE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # one class (fast); a carriage return may be fine
# A URL holds neither whitespace (a line break, a tab, any kind of space) nor a control character.
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
URL_FIELDS = ("site", "url", "link")
_COLLECTIONS = (
    ("smo_items", ("smo", "items")),
    ("platforms", ("smm", "platforms")),
    ("posts", ("smm", "posts")),
    ("competitors", ("competitors",)),
)


@functools.cache
def _string_fields(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind) if field.type == "str")


@functools.cache
def _strings_of(kind: type) -> Callable[[object], tuple[str, ...]]:
    names = _string_fields(kind)
    return operator.attrgetter(*names) if len(names) > 1 else lambda entry: (getattr(entry, names[0]),)


def _entries(plan: Plan) -> Iterator[tuple[tuple, object]]:
    yield ("campaign",), plan.campaign
    for attribute, path in _COLLECTIONS:
        for index, entry in enumerate(getattr(plan, attribute)):
            yield (*path, index), entry


def _any_control(entries: Iterable[object]) -> bool:
    """Whether any text of ``entries`` (all of one kind) may hold a control character.

    One pass in C over the texts: on 20,000 posts the objects a Python loop
    would make are most of what this check costs.
    """
    entries = list(entries)
    if not entries:
        return False
    kind: type = type(entries[0])
    texts = chain.from_iterable(map(_strings_of(kind), entries))
    if kind is Post:
        texts = chain(texts, chain.from_iterable(entry.tags for entry in entries))  # type: ignore[attr-defined]
    elif kind is Competitor:
        texts = chain(texts, (handle for entry in entries for _, handle in entry.handles))  # type: ignore[attr-defined]
    return any(map(_MAYBE_CONTROL.search, texts))


def _texts(entry: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every text of one entry with its key path (tags and handles too), in the order of the format."""
    for field in dataclasses.fields(entry):  # type: ignore[arg-type]
        value = getattr(entry, field.name)
        if isinstance(value, str):
            yield (*path, field.name), value
        elif field.name == "tags":
            for index, tag in enumerate(value):
                yield (*path, "tags", index), tag
        elif field.name == "handles":
            for platform, handle in value:
                yield (*path, "handles", platform), handle


def _char(char: str) -> str:
    return f"U+{ord(char):04X}"


def control_characters(plan: Plan) -> Iterator[Problem]:
    """Text with invisible control characters (not tab or newline): exports and calendar apps drop or break on them."""
    groups = [[plan.campaign], *(getattr(plan, attribute) for attribute, _ in _COLLECTIONS)]
    if not any(_any_control(group) for group in groups):  # the usual case
        return
    for entry_path, entry in _entries(plan):
        if not _any_control([entry]):
            continue
        for path, text in _texts(entry, entry_path):
            found = [] if path[-1] in URL_FIELDS else _CONTROL.findall(text)  # `url_whitespace` says it there
            if found:
                kinds = ", ".join(sorted({_char(char) for char in found}))
                yield _warn(
                    path,
                    f"{path[-1]} has {len(found)} invisible control character{'s' if len(found) > 1 else ''} ({kinds})",
                    "control-character",
                    "remove them: exports and calendar apps drop or break on them",
                )


def url_whitespace(plan: Plan) -> Iterator[Problem]:
    """A site, URL or link with a space, a line break or a control character is not a URL."""
    urls = chain(
        [plan.campaign.site],
        (item.url for item in plan.smo_items),
        (post.link for post in plan.posts),
        (c.site for c in plan.competitors),
    )
    if not any(map(_NOT_IN_URL.search, urls)):  # the usual case
        return
    for entry_path, entry in _entries(plan):
        for name in URL_FIELDS:
            bad = _NOT_IN_URL.search(getattr(entry, name, ""))
            if bad:
                yield _warn(
                    (*entry_path, name),
                    f"{name} is not a URL: it holds {_char(bad.group())} ({_describe(bad.group())})",
                    "url-whitespace",
                    "remove it, or write a space as %20",
                )


def _describe(char: str) -> str:
    if char in "\r\n\u2028\u2029\x85\x0b\x0c":
        return "a line break"
    if char == "\t":
        return "a tab"
    if char.isspace():
        return "a space"
    return "a control character"


def now_in(plan: Plan) -> dt.datetime:
    return dt.datetime.now(zoneinfo.ZoneInfo(plan.campaign.timezone)).replace(tzinfo=None)


def check(plan: Plan, *, now: dt.datetime | None = None, week_start: int = 0) -> list[Problem]:
    """Every warning (and note) about ``plan``."""
    now = now or now_in(plan)
    problems: list[Problem] = []
    for found in (
        phase_gate(plan),
        days_between_phases(plan),
        smo_open_at_smm_start(plan, now),
        placeholder_objective(plan),
        campaign_dates(plan),
        absurd_dates(plan),
        chosen_platforms(plan),
        limits(plan),
        spacing(plan),
        cadence(plan, week_start),
        published_future(plan, now),
        daylight_saving(plan),
        approvals(plan),
        look_alike_posts(plan),
        tag_commas(plan),
        control_characters(plan),
        url_whitespace(plan),
    ):
        problems.extend(found)
    return problems
