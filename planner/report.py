"""Plain-text and JSON reports for the command line: `check` and `status`.

Everything that came from a plan goes through `planner.textsafe` before it
is printed, so a plan cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from planner.plan.model import STATUSES, Plan
from planner.plan.plan_file import Loaded, with_lines
from planner.plan.problems import Problem
from planner.rules.checks import check, now_in
from planner.textsafe import one_line
from planner.words import counted


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def all_problems(loaded: Loaded, now: dt.datetime | None = None) -> list[Problem]:
    """Schema problems and, for a valid plan, the checks' warnings, with lines."""
    problems = list(loaded.problems)
    if loaded.plan is not None:
        problems += with_lines(check(loaded.plan, now=now), loaded.source.text)
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(problems, key=lambda p: (p.line or 0, order[p.severity]))


def exit_code(problems: list[Problem]) -> int:
    return 1 if any(p.severity in ("error", "warning") for p in problems) else 0


def status_text(plan: Plan, file: str, problems: list[Problem], now: dt.datetime | None = None) -> str:
    now = now or now_in(plan)
    today = now.date()
    c = plan.campaign
    lines = [one_line(f"{c.name}  ({file})"), f"Campaign {c.start} to {c.end}, {c.timezone}"]

    done = sum(item.done for item in plan.smo_items)
    total = len(plan.smo_items)
    percent = f" ({(done * 200 + total) // (2 * total)}%)" if total else ""  # rounded half up: 5 of 12 is 42%
    days = (plan.smo_due - today).days
    when = f"in {days} days" if days > 1 else "tomorrow" if days == 1 else "today" if days == 0 else f"{-days} days ago"
    lines += ["", f"SMO  {done} of {total} done{percent}, due {plan.smo_due} ({when})"]
    categories: dict[str, list[int]] = {}
    for item in plan.smo_items:
        counts = categories.setdefault(item.category or "(no category)", [0, 0])
        counts[0] += item.done
        counts[1] += 1
    width = max((len(name) for name in categories), default=0)
    for name, (d, t) in categories.items():
        lines.append(one_line(f"  {name:<{width}}  {d}/{t}"))

    lines += ["", f"SMM  from {plan.smm_start}: {counted(len(plan.posts), 'post')} on {counted(len(plan.platforms), 'chosen platform')}"]
    by_status = Counter(post.status for post in plan.posts)
    if by_status:
        lines.append("  by status:   " + ", ".join(f"{s} {by_status[s]}" for s in STATUSES if by_status[s]))
        by_platform = Counter(post.platform for post in plan.posts)
        lines.append(one_line("  by platform: " + ", ".join(f"{p} {n}" for p, n in sorted(by_platform.items()))))
    upcoming = sorted((p for p in plan.posts if p.at >= now), key=lambda p: p.at)[:5]
    if upcoming:
        lines += ["", "Next posts"]
        for post in upcoming:
            lines.append(one_line(f"  {post.at:%Y-%m-%d %H:%M}  {post.platform:<10} {post.format:<8} {post.status:<10} {post.title or post.id}"))
    shown = [p for p in problems if p.severity != "note"]
    if shown:
        lines += ["", f"Warnings ({len(shown)})"]
        lines += [one_line("  " + p.located(file)) for p in shown]
    return "\n".join(lines)
