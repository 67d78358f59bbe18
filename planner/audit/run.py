"""Running an audit: read every page of the targets, check it, and sum up.

`run_audit` is what the command line and the app call. Reading a page that
fails (a missing file, a URL that times out) does not stop the others: the
page is reported with its reason. So does any unexpected error while one
page is read, parsed or checked: it becomes that page's error, never the
end of the audit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planner.audit.budget import TooComplex
from planner.audit.reading import Limits, PageRef, expand, read
from planner.audit.rules import PAGE_RULES, Audience, PageFacts, RuleResult, check_page, duplicates, parse
from planner.errors import AuditUnreadable
from planner.plan.model import Plan

Progress = Callable[[int, int, str], None]  # (pages done, pages in all, the page just done)


@dataclass(frozen=True, slots=True)
class PageReport:
    """One page: its results per rule, or ``error`` when it could not be read."""

    name: str
    results: tuple[RuleResult, ...] = ()
    error: str = ""

    def result(self, rule: str) -> RuleResult | None:
        return next((r for r in self.results if r.rule == rule), None)

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        statuses = {r.status for r in self.results}
        return "fail" if "fail" in statuses else "warning" if "warning" in statuses else "pass"


@dataclass(frozen=True, slots=True)
class RuleSummary:
    rule: str
    passed: int = 0
    warnings: int = 0
    failed: int = 0
    found: int = 0  # pages where the rule positively found what it checks for

    @property
    def status(self) -> str:
        return "fail" if self.failed else "warning" if self.warnings else "pass"


@dataclass(frozen=True, slots=True)
class AuditReport:
    targets: tuple[str, ...]
    pages: tuple[PageReport, ...] = ()
    errors: tuple[str, ...] = field(default=())  # targets that gave no page at all
    _summary: tuple[RuleSummary, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )  # computed once

    @property
    def unreadable(self) -> list[str]:
        """Every reason something could not be audited."""
        return [*self.errors, *(page.error for page in self.pages if page.error)]

    @property
    def audited(self) -> list[PageReport]:
        return [page for page in self.pages if not page.error]

    def page_counts(self) -> dict[str, int]:
        """How many audited pages pass, have warnings, fail."""
        return {status: sum(page.status == status for page in self.audited) for status in ("pass", "warning", "fail")}

    def summary(self) -> list[RuleSummary]:
        """Per rule, how many audited pages pass it, have warnings, fail (counted once per report)."""
        if self._summary is None:
            counts = {rule: {"pass": 0, "warning": 0, "fail": 0, "found": 0} for rule in PAGE_RULES}
            for page in self.audited:
                for result in page.results:
                    counts[result.rule][result.status] += 1
                    counts[result.rule]["found"] += result.found
            summary = tuple(
                RuleSummary(rule, c["pass"], c["warning"], c["fail"], c["found"]) for rule, c in counts.items()
            )
            object.__setattr__(self, "_summary", summary)  # a cache on a frozen report
        return list(self._summary)  # type: ignore[arg-type]

    def rule_passes(self, rule: str) -> bool:
        """Whether every page passes ``rule`` having found what it checks for, and every page could be read.

        A pass made of notes alone (no twitter:card at all) is not enough: the
        evidence must be there on every page to tick an item for it.
        """
        summary = next(s for s in self.summary() if s.rule == rule)
        pages = len(self.audited)
        return pages > 0 and not self.unreadable and summary.passed == pages and summary.found == pages

    @property
    def exit_code(self) -> int:
        """0 every page passes every rule; 1 warnings or failures; 2 something could not be read."""
        if self.unreadable or not self.pages:
            return 2
        return 0 if all(page.status == "pass" for page in self.pages) else 1


def run_audit(
    plan: Plan,
    targets: Sequence[str],
    *,
    name: Callable[[Path], str] = str,
    limits: Limits = Limits(),
    progress: Progress | None = None,
) -> AuditReport:
    """Audit every page of ``targets`` against the rules, using ``plan``'s platforms and handles.

    ``name`` turns a file's path into what the report shows; ``progress`` is
    called once the pages are known (0 done) and after each page, from this
    thread; it may raise to stop the audit.
    """
    audience = Audience.of(plan.platforms)
    refs: list[PageRef] = []
    errors: list[str] = []
    for target in targets:
        try:
            refs.extend(expand(target, name))
        except AuditUnreadable as error:
            errors.append(error.message)
    unique = list(dict.fromkeys(refs))  # a page named twice is audited once
    if progress is not None:
        progress(0, len(unique), "")
    read_pages: list[tuple[str, PageFacts, tuple[RuleResult, ...]]] = []
    failed: dict[str, str] = {}
    order: list[str] = []
    for done, ref in enumerate(unique, start=1):
        order.append(ref.name)
        try:
            raw = read(ref, limits)
            facts = parse(raw.text, limits.budget)
            read_pages.append((ref.name, facts, check_page(facts, audience)))
        except AuditUnreadable as error:
            failed[ref.name] = error.message
        except TooComplex as error:
            failed[ref.name] = f"{ref.name}: page too complex ({error.reason}); not audited"
        except Exception as error:  # noqa: BLE001 (one page's surprise must not end the audit of the others)
            failed[ref.name] = f"{ref.name}: unexpected {type(error).__name__}: {error} (please report this)"
        if progress is not None:
            progress(done, len(unique), ref.name)
    checked = {name: results for (name, _, _), results in zip(read_pages, duplicates(read_pages))}
    pages = tuple(
        PageReport(page, error=failed[page]) if page in failed else PageReport(page, checked[page]) for page in order
    )
    return AuditReport(tuple(targets), pages, tuple(errors))
