"""How far each campaign goal has got: its current value from the posts' results.

A goal (``[[smm.goals]]``) counts the posts on its platform (or every
platform) whose date lies in its period: the whole campaign, or the month
or week (Monday to Sunday) that contains ``today``. Each post counts with
its latest result snapshot (``[[smm.posts.results]]``, by ``as_of``).
engagement_rate is the engagements over the impressions of those posts, as
a percentage. followers_gained, sessions_from_social and conversions have
no source in the plan yet, so they have no value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.plan.model import Goal, Plan, Result

# Where a goal's metric comes from in a snapshot (a sum over posts); the others have no source yet.
_FROM_RESULTS = {"impressions": "impressions", "reach": "reach", "engagements": "engagements", "link_clicks": "clicks"}
# What counts as engagements when a snapshot gives only their parts.
_ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")


@dataclass(frozen=True, slots=True)
class Progress:
    goal: Goal
    value: float | None  # None: no results yet

    @property
    def share(self) -> float | None:
        """The value as a fraction of the target (may be over 1), or None."""
        if self.value is None or self.goal.target <= 0:
            return None
        return self.value / self.goal.target


def _in_period(goal: Goal, plan: Plan, day: dt.date, today: dt.date) -> bool:
    if goal.period == "month":
        return (day.year, day.month) == (today.year, today.month)
    if goal.period == "week":
        return day.isocalendar()[:2] == today.isocalendar()[:2]
    return plan.campaign.start <= day <= plan.campaign.end


def _engagements(result: Result) -> int | None:
    if result.engagements is not None:
        return result.engagements
    parts = [getattr(result, name) for name in _ENGAGEMENT_PARTS]
    given = [part for part in parts if part is not None]
    return sum(given) if given else None


def latest(plan: Plan) -> dict[str, Result]:
    """Each post's latest snapshot, by post id (posts without results are left out)."""
    return {
        ident: max(snapshots, key=lambda result: result.as_of) for ident, snapshots in plan.results.items() if snapshots
    }


def progress(plan: Plan, today: dt.date, latest_results: dict[str, Result] | None = None) -> list[Progress]:
    """Each goal of ``plan``, in file order, with its current value."""
    latest_results = latest(plan) if latest_results is None else latest_results
    out = []
    for goal in plan.goals:
        results = [
            latest_results[post.id]
            for post in plan.posts
            if post.id in latest_results
            and (not goal.platform or post.platform == goal.platform)
            and _in_period(goal, plan, post.at.date(), today)
        ]
        out.append(Progress(goal, _value(goal.metric, results)))
    return out


def _value(metric: str, results: list[Result]) -> float | None:
    if metric == "engagement_rate":
        pairs = [(_engagements(result), result.impressions) for result in results]
        counted = [(e, i) for e, i in pairs if e is not None and i]
        if not counted:
            return None
        return 100 * sum(e for e, _ in counted) / sum(i for _, i in counted)
    if metric == "engagements":
        values = [_engagements(result) for result in results]
    elif metric in _FROM_RESULTS:
        values = [getattr(result, _FROM_RESULTS[metric]) for result in results]
    else:
        return None
    given = [value for value in values if value is not None]
    return sum(given) if given else None


def _number(value: float, rate: bool) -> str:
    if rate:
        return f"{value:.1f}%"
    return f"{value:,.0f}"


def progress_line(item: Progress, label: str = "") -> str:
    """One goal as a line: ``impressions 12,400 of 50,000 (25%)``, its scope after it; ``label`` names the platform."""
    goal = item.goal
    rate = goal.metric == "engagement_rate"
    name = goal.metric.replace("_", " ")
    scope = [label or goal.platform] if goal.platform else []
    if goal.period != "campaign":
        scope.append(f"this {goal.period}")
    where = f" ({', '.join(scope)})" if scope else ""
    target = _number(goal.target, rate)
    if item.value is None:
        return f"{name}{where}: no results yet, target {target}"
    share = item.share
    done = f" ({share * 100:.0f}%)" if share is not None else ""
    return f"{name}{where} {_number(item.value, rate)} of {target}{done}"


def goal_lines(plan: Plan, today: dt.date) -> list[str]:
    """`progress_line` for every goal of ``plan``."""
    return [progress_line(item) for item in progress(plan, today)]
