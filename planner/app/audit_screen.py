"""The site audit in the app: progress while it runs, then the results per page and per rule.

The audit runs in a worker (`planner.audit.run_audit`); the screen shows a
progress bar updated per page, then a table (a row per page, a column per
rule) with the highlighted page's reasons below it, and the linked SMO
items. It dismisses with the `Batch` that ticks the items that pass (the
view posts it as an `EditRequested`, so it is undoable and saved like any
edit), or None.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from planner.app.screen_text import shown, shown_line
from planner.audit.apply import Linked, linked
from planner.audit.run import AuditReport, PageReport, run_audit
from planner.plan.edits import Edit
from planner.plan.model import Plan
from planner.plan.schema import AUDIT_RULES
from planner.report import display_path
from planner.textsafe import one_line
from planner.words import counted, quoted

# Column headings short enough for ten rules at 80 columns; the details use the full names.
HEADINGS = {"description": "desc", "twitter": "x", "profiles": "prof", "canonical": "canon", "viewport": "view"}
LISTED_TITLE = 28  # an item's title in the lists under the table is cut to this: ten of them fit at 80x24
MARKS = {"pass": ("✓", "green"), "warning": ("!", "yellow"), "fail": ("✗", "red"), "note": ("·", "")}


class _Stopped(Exception):
    """The screen was closed while the audit ran."""


class AuditScreen(ModalScreen[Edit | None]):
    DEFAULT_CSS = """
    AuditScreen { align: center middle; }
    AuditScreen > Vertical {
        width: 100%; height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    AuditScreen .title { text-style: bold; width: 1fr; }
    AuditScreen #audit-progress { height: 1; margin: 1 0 0 0; }
    AuditScreen #audit-progress Bar { width: 1fr; }
    AuditScreen #audit-table { height: 1fr; min-height: 4; scrollbar-size-vertical: 1; overflow-x: hidden; }
    AuditScreen #audit-detail { height: 1fr; border-top: solid $primary; scrollbar-size-vertical: 1; }
    AuditScreen #audit-items { height: auto; max-height: 8; border-top: solid $primary; scrollbar-size-vertical: 1; }
    AuditScreen #audit-items-text { height: auto; }
    AuditScreen Horizontal { height: 1; align-horizontal: right; }
    AuditScreen Button { margin-left: 2; }
    AuditScreen.-done #audit-progress, AuditScreen.-done #audit-now { display: none; }
    AuditScreen #audit-table, AuditScreen #audit-detail, AuditScreen #audit-items { display: none; }
    AuditScreen.-done #audit-table, AuditScreen.-done #audit-detail, AuditScreen.-done #audit-items { display: block; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="audit.close"),
        Binding("t", "tick", "Tick the passing items", id="audit.tick"),
    ]

    def __init__(self, plan: Plan, target: str, today: dt.date) -> None:
        super().__init__()
        self.plan = plan
        self.target = target
        self.today = today
        self.report: AuditReport | None = None
        self.linked: Linked | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(shown_line(f"Site audit: {self.target}"), classes="title", id="audit-title")
            yield Static(Text("Looking for pages…"), id="audit-now")
            yield ProgressBar(id="audit-progress", show_eta=False)
            yield DataTable(id="audit-table", cursor_type="row")
            with VerticalScroll(id="audit-detail"):
                yield Static(id="audit-detail-text")
            with VerticalScroll(id="audit-items"):  # the linked items, whole: they scroll if ever longer than 8 lines
                yield Static(id="audit-items-text")
            with Horizontal():
                yield Button("Tick (t)", id="audit-tick", compact=True, disabled=True)
                yield Button("Close (esc)", id="audit-close", compact=True)

    def on_mount(self) -> None:
        self.run_audit()

    # -- the worker ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="audit", exit_on_error=False)
    def run_audit(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int, name: str) -> None:
            if worker.is_cancelled:
                raise _Stopped
            self.app.call_from_thread(self._progress, done, total, name)

        report = run_audit(self.plan, [self.target], name=display_path, progress=progress)
        self.app.call_from_thread(self._finished, report)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.query_one("#audit-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#audit-now", Static).update(
            shown_line(f"{done} of {counted(total, 'page')}" + (f": {name}" if name else ""))
        )

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and not isinstance(event.worker.error, _Stopped):
            self.query_one("#audit-now", Static).update(shown_line(f"The audit stopped: {event.worker.error}"))

    # -- the results ----------------------------------------------------------------

    def _finished(self, report: AuditReport) -> None:
        self.report = report
        self.linked = linked(self.plan, report, self.today)
        self.add_class("-done")
        self.query_one("#audit-title", Label).update(
            shown_line(f"Site audit: {self.target}  ·  {self._summary(report)}")
        )
        table = self.query_one("#audit-table", DataTable)
        for rule in AUDIT_RULES:  # the marks first, so all of them fit however long the page names are
            table.add_column(HEADINGS.get(rule, rule), key=rule)
        table.add_column("page", key="page")
        for index, page in enumerate(report.pages):
            table.add_row(*self._cells(page), shown_line(page.name), key=str(index))
        for index, error in enumerate(report.errors):
            table.add_row(*self._cells(PageReport("", error=error)), shown_line(error), key=f"error-{index}")
        self._show_items()
        table.focus()
        self._show_detail(0 if report.pages else None)
        self.refresh_bindings()

    @staticmethod
    def _summary(report: AuditReport) -> str:
        audited = report.audited
        counts = report.page_counts()
        text = f"{counted(len(audited), 'page')}: {counts['pass']} pass, {counted(counts['warning'], 'warning')}, {counts['fail']} fail"
        return text + (f", {len(report.unreadable)} unreadable" if report.unreadable else "")

    @staticmethod
    def _cells(page: PageReport) -> list[Text | str]:
        if page.error:
            return [Text("-", style="red")] * len(AUDIT_RULES)
        cells: list[Text | str] = []
        for result in page.results:
            mark, style = MARKS[result.status]
            cells.append(Text(mark, style=style))
        return cells

    @on(DataTable.RowHighlighted, "#audit-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value or ""
        self._show_detail(int(key) if key.isdigit() else None, key)

    def _show_detail(self, index: int | None, key: str = "") -> None:
        detail = self.query_one("#audit-detail-text", Static)
        report = self.report
        if report is None:
            return
        if index is None:
            errors = (
                [report.errors[int(key.removeprefix("error-"))]] if key.startswith("error-") else list(report.errors)
            )
            detail.update(shown("\n".join(errors), style="red"))
            return
        page = report.pages[index]
        text = Text()
        text.append(one_line(page.name) + "\n", style="bold")
        if page.error:
            text.append(one_line(page.error), style="red")
        for result in page.results:
            for level, reason, value in [(f.level, f.reason, f.value) for f in result.findings] or [
                ("pass", result.evidence, "")
            ]:
                mark, style = MARKS["pass" if level == "note" else level]
                text.append(f"{mark} {level:<7} ", style=style)
                text.append(f"{result.rule:<11} ", style="bold")
                text.append(one_line(reason + (f": “{value}”" if value else "")) + "\n")
        text.rstrip()
        detail.update(text)

    def _show_items(self) -> None:
        items = self.linked
        assert items is not None
        text = Text()
        if items.tick:
            text.append("Passes on every page, can be ticked: ", style="green")
            text.append(
                one_line(
                    ", ".join(
                        f"{quoted(item.title or item.id, LISTED_TITLE)} ({item.audit})" for _, item, _ in items.tick
                    )
                )
                + "\n"
            )
        if items.failing:
            text.append("Ticked but not passing now: ", style="yellow")
            text.append(
                one_line(
                    ", ".join(
                        f"{quoted(item.title or item.id, LISTED_TITLE)} ({item.audit})" for item, _ in items.failing
                    )
                )
                + "\n"
            )
        if items.open:
            text.append("Not ticked: ", style="dim")
            text.append(
                one_line(
                    ", ".join(f"{quoted(item.title or item.id, LISTED_TITLE)} ({item.audit})" for item, _ in items.open)
                )
            )
        if not (items.tick or items.failing or items.open or items.passing):
            text.append("No SMO item has an audit key to tick.", style="dim")
        elif not (items.tick or items.failing or items.open):
            text.append("Every linked item is ticked and passes.", style="green")
        text.rstrip()
        self.query_one("#audit-items-text", Static).update(text)
        count = len(items.tick)
        button = self.query_one("#audit-tick", Button)
        button.label = f"Tick {count} item{'s' if count != 1 else ''} (t)"
        button.disabled = count == 0
        button.refresh(layout=True)

    # -- actions --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tick":
            return self.linked is not None and bool(self.linked.tick)
        return True

    def action_tick(self) -> None:
        if self.linked is not None and self.linked.tick:
            self.dismiss(self.linked.edit())

    def action_close(self) -> None:
        self.workers.cancel_group(self, "audit")
        self.dismiss(None)

    @on(Button.Pressed, "#audit-tick")
    def _tick_pressed(self) -> None:
        self.action_tick()

    @on(Button.Pressed, "#audit-close")
    def _close_pressed(self) -> None:
        self.action_close()
