"""Plain-text and JSON reports for the command line: `check`, `status` and `today`.

Everything that came from a plan goes through `planner.textsafe` before it
is printed, so a plan cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.plan.model import Plan
from planner.plan.plan_file import Loaded, with_lines
from planner.plan.problems import Problem
from planner.plan.summary import summarize
from planner.rules.checks import check, now_in
from planner.rules.goals import goal_lines
from planner.rules.today import PostLine, Today
from planner.textsafe import one_line
from planner.words import counted, quoted


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
        problems += check(loaded.plan, now=now)
    return sorted_problems(with_lines(problems, loaded.source.text, loaded.data))


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """By line, errors before warnings before notes on one line."""
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(problems, key=lambda p: (p.line or 0, order[p.severity]))


def _by_identity(path: tuple, data: Any) -> tuple:
    """``path`` with each index of an entry that has an ``id`` (or ``name``) replaced by it: a problem's place that survives entries added above it."""
    out: list[Any] = []
    node = data
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            ident = (node.get("id") or node.get("name")) if isinstance(node, dict) else None
            out.append(("entry", ident) if isinstance(ident, str) else part)
        else:
            node = node.get(part) if isinstance(node, dict) else None
            out.append(part)
    return tuple(out)


def introduced(problems: list[Problem], data: Any, before: list[Problem], before_data: Any) -> list[Problem]:
    """The problems of ``problems`` that are not in ``before`` (the same kind, message and entry, whatever the line)."""
    seen = Counter((p.severity, p.code, p.message, _by_identity(p.path, before_data)) for p in before)
    out = []
    for problem in problems:
        key = (problem.severity, problem.code, problem.message, _by_identity(problem.path, data))
        if seen[key]:
            seen[key] -= 1
        else:
            out.append(problem)
    return out


def exit_code(problems: list[Problem]) -> int:
    return 1 if any(p.severity in ("error", "warning") for p in problems) else 0


# How many problems of one kind are listed before the rest are folded into one line.
FOLD_AFTER = 3
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def problem_kind(problem: Problem) -> tuple[str, str, str]:
    """Problems of one kind have the same severity, code and message once quoted names and numbers are set aside."""
    return problem.severity, problem.code, _VARYING.sub("…", problem.message)


@dataclass
class Folded:
    """Problems to list, and for each kind with more than `FOLD_AFTER`, its first problem and how many were left out."""

    shown: list[Problem] = field(default_factory=list)
    folded: list[tuple[Problem, int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(n for _, n in self.folded)

    def lines(self, file: str, indent: str = "") -> list[str]:
        """The shown problems as FILE:LINE lines, then one line per folded kind."""
        out = [one_line(indent + p.located(file)) for p in self.shown]
        for first, n in self.folded:
            label = f"{first.severity}{'s' if n != 1 else ''}"
            like = f"line {first.line}" if first.line is not None else "the first"
            out.append(
                one_line(f"{indent}{file}: … {n} more {label} like {like}" + (f" ({first.code})" if first.code else ""))
            )
        return out


def fold(problems: list[Problem], keep: int = FOLD_AFTER) -> Folded:
    """Keep the first ``keep`` problems of each kind (in order) and count the rest."""
    seen: Counter = Counter()
    result = Folded()
    firsts: dict[tuple[str, str, str], Problem] = {}
    for problem in problems:
        kind = problem_kind(problem)
        seen[kind] += 1
        firsts.setdefault(kind, problem)
        if seen[kind] <= keep:
            result.shown.append(problem)
    result.folded = [(firsts[kind], n - keep) for kind, n in seen.items() if n > keep]
    return result


def status_text(
    plan: Plan, file: str, problems: list[Problem], now: dt.datetime | None = None, verbose: bool = False
) -> str:
    now = now or now_in(plan)
    c = plan.campaign
    lines = [one_line(f"{c.name}  ({file})"), f"Campaign {c.start} to {c.end}, {c.timezone}"]

    summary = summarize(plan, problems, now)
    lines += [
        "",
        f"SMO  {summary.smo_done} of {summary.smo_total} done{summary.smo_share}, due {summary.smo_due} ({summary.due_when})",
    ]
    width = max((len(category.name) for category in summary.categories), default=0)
    for category in summary.categories:
        lines.append(one_line(f"  {category.name:<{width}}  {category.done}/{category.total}"))

    lines += [
        "",
        f"SMM  from {plan.smm_start}: {counted(len(plan.posts), 'post')} on {counted(len(plan.platforms), 'chosen platform')}",
    ]
    if summary.by_status:
        lines.append("  by status:   " + ", ".join(f"{s} {n}" for s, n in summary.by_status))
        lines.append(one_line("  by platform: " + ", ".join(f"{p} {n}" for p, n in summary.by_platform)))
    if plan.goals:
        lines += ["", "Goals"]
        lines += [one_line(f"  {line}") for line in goal_lines(plan, now.date())]
    if summary.next_posts:
        lines += ["", "Next posts"]
        for post in summary.next_posts:
            lines.append(
                one_line(
                    f"  {post.at:%Y-%m-%d %H:%M}  {post.platform:<10} {post.format:<8} {post.status:<10} {post.title or post.id}"
                )
            )
    shown = list(summary.warnings)
    if shown:
        lines += ["", f"Warnings ({len(shown)})"]
        listed = Folded(shown) if verbose else fold(shown)
        lines += listed.lines(file, "  ")
        if listed.count:
            lines.append(folded_note(listed.count, "planner status --verbose"))
    return "\n".join(lines)


def folded_note(count: int, verbose: str) -> str:
    """The line that says how many repeated problems were folded, and how to see them all."""
    return f"{count} repeated problem{'s' if count != 1 else ''} folded; {verbose} lists every one"


def _post_line(line: PostLine, with_day: bool) -> str:
    when = f"{line.at:%a %Y-%m-%d %H:%M}" if with_day else f"{line.at:%H:%M}"
    return f"{when}  {line.status:<9}  {line.platform:<10}  {line.format:<8}  {quoted(line.name)}"


def today_lines(model: Today, file: str, name: str, verbose: bool = False) -> list[str]:
    """`planner today` for one plan: every line starts with ``file`` (the plan), and says which section it belongs to."""
    first, last = model.week
    lines = [f"{file}: {name}: {model.now:%A %Y-%m-%d %H:%M} ({model.timezone}); this week {first} to {last}"]
    lines += [f"{file}: today: {_post_line(line, False)}" for line in model.today_posts] or [f"{file}: today: no posts"]
    lines += [f"{file}: this week: {_post_line(line, True)}" for line in model.week_posts]
    for item in model.late_items:
        owner = f", {item.owner}" if item.owner.strip() else ""
        lines.append(
            f"{file}: late SMO item: {quoted(item.title or item.id)}{owner} (SMO was due {item.due}, {counted(item.days_late, 'day')} ago)"
        )
    for line in model.waiting:
        lines.append(f"{file}: waiting: {_post_line(line, True)} (goes out {line.goes_out}; not approved or scheduled)")
    for short in model.short:
        lines.append(
            f"{file}: short: {short.name} has {counted(short.planned, 'post')} this week, fewer than its cadence of {short.cadence}"
        )
    if model.warnings:
        listed = Folded([w.problem for w in model.warnings]) if verbose else fold([w.problem for w in model.warnings])
        lines += listed.lines(file)
        if listed.count:
            lines.append(f"{file}: {folded_note(listed.count, 'planner today --verbose')}")
    if not model.needs_you:
        lines.append(f"{file}: nothing late, waiting or short, and no warnings")
    return [one_line(line) for line in lines]
