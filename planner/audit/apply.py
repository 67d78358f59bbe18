"""From an audit to the checklist: tick the SMO items whose rule every page passes.

An item is linked to a rule by its ``audit`` key. `linked` sorts the linked
items into those to tick now (with the evidence appended to their notes),
those already ticked whose rule no longer passes (reported, never unticked),
and those that stay open. The ticks are one `Batch`, so they are saved,
undone and redone together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.audit.run import AuditReport
from planner.plan.edits import Batch, SetField
from planner.plan.model import SMO_ITEMS, Plan, SmoItem
from planner.words import counted, quoted


@dataclass(frozen=True, slots=True)
class Linked:
    """What an audit means for the plan's linked items, on ``today``."""

    today: dt.date
    tick: list[tuple[int, SmoItem, str]] = field(default_factory=list)  # (index, item, evidence)
    failing: list[tuple[SmoItem, str]] = field(default_factory=list)  # ticked, but the rule does not pass: why
    open: list[tuple[SmoItem, str]] = field(default_factory=list)  # not ticked and not passing: why
    passing: list[SmoItem] = field(default_factory=list)  # ticked already and passing
    readable: bool = True  # False: no page could be read, so there are no verdicts

    def edit(self) -> Batch | None:
        """The edit that ticks `tick`, dated and with the evidence in the notes; None if there is nothing to tick."""
        if not self.tick:
            return None
        edits = []
        for index, item, evidence in self.tick:
            path = (*SMO_ITEMS, index)
            notes = f"{item.notes.rstrip()}\n{evidence}" if item.notes.strip() else evidence
            edits += [
                SetField(path, "done", True),
                SetField(path, "done_on", self.today),
                SetField(path, "notes", notes),
            ]
        return Batch(
            tuple(edits), "audit: tick " + ", ".join(quoted(item.title or item.id) for _, item, _ in self.tick)
        )


def why_not(report: AuditReport, rule: str) -> str:
    """Why ``rule`` does not pass on every page, in a few words."""
    if not report.audited:
        return "no page could be audited"
    summary = next(s for s in report.summary() if s.rule == rule)
    total = len(report.audited)
    parts = []
    if summary.failed:
        parts.append(f"fails on {summary.failed} of {counted(total, 'page')}")
    if summary.warnings:
        parts.append(f"warnings on {summary.warnings} of {counted(total, 'page')}")
    missing = total - summary.found - summary.failed - summary.warnings
    if missing > 0:
        parts.append(f"nothing it checks for found on {missing} of {counted(total, 'page')}")
    if report.unreadable:
        count = len(report.unreadable)
        parts.append(f"{count} {'target or page' if count == 1 else 'targets or pages'} could not be read")
    return "; ".join(parts)


def _fails_where_read(report: AuditReport, rule: str) -> bool:
    """Whether a page that was read does not pass ``rule`` (or passes it without finding anything)."""
    summary = next(s for s in report.summary() if s.rule == rule)
    return summary.passed < len(report.audited) or summary.found < len(report.audited)


def evidence(report: AuditReport, rule: str, today: dt.date) -> str:
    pages = len(report.audited)
    return f"Site audit {today}: every page passes the {rule} rule ({pages} page{'s' if pages != 1 else ''}: {', '.join(report.targets)})."


def linked(plan: Plan, report: AuditReport, today: dt.date) -> Linked:
    """Sort the items with an ``audit`` key by what ``report`` says about their rule.

    No page read gives no verdicts at all (``readable`` False). A ticked item
    is listed as failing only when a page that was read does not pass its
    rule; pages that could not be read make nothing fail.
    """
    if not report.audited:
        return Linked(today, readable=False)
    result = Linked(today)
    for index, item in enumerate(plan.smo_items):
        if not item.audit:
            continue
        passes = report.rule_passes(item.audit)
        if item.done and passes:
            result.passing.append(item)
        elif item.done:
            if _fails_where_read(report, item.audit):
                result.failing.append((item, why_not(report, item.audit)))
        elif passes:
            result.tick.append((index, item, evidence(report, item.audit, today)))
        else:
            result.open.append((item, why_not(report, item.audit)))
    return result
