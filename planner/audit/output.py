"""The audit report for the command line: text for people, JSON for scripts.

Page text (titles, descriptions, links) comes from someone's site: it is
made harmless with `planner.textsafe` before it reaches the terminal.
"""

from __future__ import annotations

import json

from planner.audit.apply import Linked
from planner.audit.run import AuditReport
from planner.plan.schema import AUDIT_RULES
from planner.textsafe import json_for_terminal, one_line
from planner.words import quoted

WIDTH = max(len(rule) for rule in AUDIT_RULES)
VALUE_MAX = 80


def short(text: str, limit: int = VALUE_MAX) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: str) -> str:
    return f": “{short(value)}”" if value else ""


def text_report(report: AuditReport, linked: Linked | None = None, applied: bool = False) -> str:
    lines: list[str] = []
    for error in report.errors:
        lines.append(one_line(f"cannot audit: {error}"))
    for page in report.pages:
        if lines:
            lines.append("")
        if page.error:
            lines.append(one_line(f"{page.name}  could not be read: {page.error.removeprefix(page.name + ': ')}"))
            continue
        lines.append(one_line(f"{page.name}  {page.status}"))
        for result in page.results:
            if not result.findings:
                lines.append(f"  {'pass':<8} {result.rule:<{WIDTH}}  {short(result.evidence)}".rstrip())
            for finding in result.findings:
                lines.append(
                    f"  {finding.level:<8} {result.rule:<{WIDTH}}  {one_line(finding.reason)}{_quoted(finding.value)}"
                )
    lines += ["", summary_line(report)]
    if (
        not report.audited
    ):  # nothing was read: a table of zeros and "no page could be audited" per item say nothing more
        return "\n".join(lines)
    lines.append(f"  {'rule':<{WIDTH}}  {'pass':>4}  {'warning':>7}  {'fail':>4}")
    for rule in report.summary():
        lines.append(f"  {rule.rule:<{WIDTH}}  {rule.passed:>4}  {rule.warnings:>7}  {rule.failed:>4}")
    if linked is not None:
        lines += linked_lines(linked, applied)
    return "\n".join(lines)


def summary_line(report: AuditReport) -> str:
    audited = report.audited
    counts = report.page_counts()
    text = f"{len(audited)} page{'s' if len(audited) != 1 else ''} audited: {counts['pass']} pass, {counts['warning']} with warnings, {counts['fail']} failing"
    unreadable = len(report.unreadable)
    if unreadable:
        text += f"; {unreadable} could not be read"
    return text


def linked_lines(linked: Linked, applied: bool) -> list[str]:
    lines: list[str] = []
    if linked.tick:
        verb = "Ticked" if applied else "Would tick with --apply"
        lines += ["", f"{verb}:"] + [
            one_line(f"  {quoted(item.title or item.id)} ({item.audit})") for _, item, _ in linked.tick
        ]
    if linked.failing:
        lines += ["", "Ticked, but the audit does not pass now (left ticked; check them):"]
        lines += [one_line(f"  {quoted(item.title or item.id)} ({item.audit}): {why}") for item, why in linked.failing]
    if linked.open:
        lines += ["", "Not ticked:"] + [
            one_line(f"  {quoted(item.title or item.id)} ({item.audit}): {why}") for item, why in linked.open
        ]
    return lines


def json_report(report: AuditReport, linked: Linked | None = None, applied: bool = False) -> str:
    data: dict = {
        "exit_code": report.exit_code,
        "targets": list(report.targets),
        "errors": list(report.errors),
        "pages": [
            {
                "page": page.name,
                "status": page.status,
                **({"error": page.error} if page.error else {}),
                "rules": [
                    {
                        "rule": result.rule,
                        "status": result.status,
                        "evidence": result.evidence,
                        "findings": [{"level": f.level, "reason": f.reason, "value": f.value} for f in result.findings],
                    }
                    for result in page.results
                ],
            }
            for page in report.pages
        ],
        "summary": [
            {
                "rule": s.rule,
                "status": s.status,
                "pass": s.passed,
                "warning": s.warnings,
                "fail": s.failed,
                "found": s.found,
            }
            for s in report.summary()
        ],
    }
    if linked is not None:
        data["items"] = {
            "applied": applied,
            "verdicts": linked.readable,  # false: no page could be read, so no item is listed anywhere
            "tick": [{"id": item.id, "audit": item.audit, "evidence": evidence} for _, item, evidence in linked.tick],
            "failing": [{"id": item.id, "audit": item.audit, "why": why} for item, why in linked.failing],
            "open": [{"id": item.id, "audit": item.audit, "why": why} for item, why in linked.open],
            "passing": [{"id": item.id, "audit": item.audit} for item in linked.passing],
        }
    return json_for_terminal(json.dumps(data, indent=2, ensure_ascii=False))
