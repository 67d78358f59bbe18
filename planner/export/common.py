"""Small helpers the exports share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from planner.plan.model import Plan, Post
from planner.rules.platforms import builtin_platforms

# The template's SMO categories (Bhargava's rules, and on-page work) by the titles people know them by.
CATEGORY_TITLES = {
    "on-page": "On-page basics",
    "increase-linkability": "Increase your linkability",
    "easy-tagging-bookmarking": "Make tagging and bookmarking easy",
    "reward-inbound-links": "Reward inbound links",
    "help-content-travel": "Help your content travel",
    "encourage-mashup": "Encourage the mashup",
    "connect-communities": "Connect with communities",
}


def category_title(category: str) -> str:
    """An SMO category's title: the template's for its own ids, else the category as written."""
    return CATEGORY_TITLES.get(category.strip(), category)


def platform_label(plan: Plan, name: str) -> str:
    """The platform's display name: the plan's label, the rules' label, or its id."""
    choice = plan.platform(name)
    if choice is not None and choice.label:
        return choice.label
    rule = builtin_platforms().get(name)
    return rule.label if rule is not None else name


def posts_in_order(posts: Iterable[Post]) -> list[Post]:
    """Posts by time, then platform and id: the calendar's order, the same on every run."""
    return sorted(posts, key=lambda post: (post.at, post.platform, post.id))


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())
