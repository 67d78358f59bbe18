"""The status of a plan at a glance, computed once for `planner status` and the Overview.

Plain data: no Textual, no Rich, nothing sanitized yet (the text comes from
the plan; whoever shows it passes it through `planner.textsafe`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from planner.plan.model import STATUSES, Plan, Post
from planner.plan.problems import Problem
from planner.words import percent

NO_CATEGORY = "(no category)"
NEXT_POSTS = 5


@dataclass(frozen=True)
class CategoryCount:
    """SMO items of one category: how many are done of how many."""

    name: str
    done: int
    total: int


@dataclass(frozen=True)
class Summary:
    """What `planner status` and the Overview both show about a plan at ``now``."""

    smo_done: int
    smo_total: int
    smo_due: dt.date
    days_to_due: int  # negative once the SMO due date has passed
    categories: tuple[CategoryCount, ...]  # in the order they first appear
    by_status: tuple[tuple[str, int], ...]  # in `STATUSES` order, statuses with posts only
    by_platform: tuple[tuple[str, int], ...]  # sorted by platform
    next_posts: tuple[Post, ...]  # the first posts at or after ``now``, in time order
    warnings: tuple[Problem, ...]  # errors and warnings, in the order given (notes left out)

    @property
    def smo_share(self) -> str:
        """``" (42%)"`` after the done count, or ``""`` for an empty checklist."""
        return f" ({percent(self.smo_done, self.smo_total)})" if self.smo_total else ""

    @property
    def due_when(self) -> str:
        """When SMO is due, from today: ``in 3 days``, ``tomorrow``, ``today``, ``2 days ago``."""
        days = self.days_to_due
        return (
            f"in {days} days"
            if days > 1
            else "tomorrow"
            if days == 1
            else "today"
            if days == 0
            else f"{-days} days ago"
        )


def summarize(plan: Plan, problems: list[Problem], now: dt.datetime, next_count: int = NEXT_POSTS) -> Summary:
    """The `Summary` of ``plan`` with its ``problems`` at ``now`` (local to the plan)."""
    categories: dict[str, list[int]] = {}
    for item in plan.smo_items:
        counts = categories.setdefault(item.category or NO_CATEGORY, [0, 0])
        counts[0] += item.done
        counts[1] += 1
    statuses = Counter(post.status for post in plan.posts)
    platforms = Counter(post.platform for post in plan.posts)
    return Summary(
        smo_done=sum(item.done for item in plan.smo_items),
        smo_total=len(plan.smo_items),
        smo_due=plan.smo_due,
        days_to_due=(plan.smo_due - now.date()).days,
        categories=tuple(CategoryCount(name, done, total) for name, (done, total) in categories.items()),
        by_status=tuple((s, statuses[s]) for s in STATUSES if statuses[s]),
        by_platform=tuple(sorted(platforms.items())),
        next_posts=tuple(sorted((p for p in plan.posts if p.at >= now), key=lambda p: p.at)[:next_count]),
        warnings=tuple(p for p in problems if p.severity in ("error", "warning")),
    )
