"""View 1: the campaign form and the phase status at a glance."""

from __future__ import annotations

import datetime as dt
from functools import cache

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import DescendantBlur
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, ProgressBar, Static, TextArea

from planner.app.screen_text import SafeInput, SafeTextArea, shown_line
from planner.app.views.base import View
from planner.errors import EditError
from planner.plan.campaign_fields import DATES, campaign_value
from planner.plan.edits import Edit, SetField
from planner.plan.model import Plan
from planner.plan.phases import Offer, campaign_start_change, set_smm_start
from planner.plan.problems import Problem
from planner.plan.schema import timezone_names
from planner.plan.summary import summarize
from planner.rules.goals import goal_lines
from planner.textsafe import one_line

FIELDS = (
    ("name", "Name"),
    ("site", "Site"),
    ("timezone", "Time zone"),
    ("start", "Start"),
    ("end", "End"),
    ("smm_start", "SMM start"),
)
LABELS = dict(FIELDS)


@cache
def _timezone_suggester() -> SuggestFromList:
    return SuggestFromList(sorted(timezone_names()), case_sensitive=False)


def show_goals(widget: Static, plan: Plan, today: dt.date) -> None:
    """The goals' progress lines, as `planner status` prints them; hidden when the plan has no goals."""
    lines = goal_lines(plan, today)
    widget.display = bool(lines)
    widget.update(Text.assemble(("Goals", "bold"), *(f"\n  {one_line(line)}" for line in lines)))


class OverviewView(View):
    TITLE = "Overview"
    EDITS = frozenset({"edit_campaign"})
    BINDINGS = [
        Binding("e", "edit_campaign", "Edit campaign", id="overview.edit"),
        Binding("escape", "leave_form", "Done editing", id="overview.leave", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._plan: Plan | None = None
        self._shown: dict[str, str] = {}  # what each field last showed from the plan

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(id="campaign-form") as form:
                form.border_title = "Campaign"
                for key, label in FIELDS:
                    with Horizontal(classes="field-row"):
                        yield Label(label, classes="field-label")
                        suggester = _timezone_suggester() if key == "timezone" else None
                        placeholder = "YYYY-MM-DD" if key in DATES else ""
                        yield SafeInput(
                            id=f"campaign-{key}", suggester=suggester, placeholder=placeholder, compact=True
                        )
                    yield Static("", id=f"campaign-{key}-error", classes="field-error")
                yield Label("Objective", classes="field-label objective-label")
                yield SafeTextArea(id="campaign-objective", soft_wrap=True)
            with VerticalScroll(id="phase-status") as status:
                status.border_title = "Status"
                yield Static(id="smo-heading")
                yield ProgressBar(id="smo-progress", show_eta=False, show_percentage=False)
                yield Static(id="smo-categories")
                yield Static(id="phase-dates")
                yield Static(id="posts-by-status")
                yield Static(id="goals")
                yield Static(id="next-posts")
                yield Static(id="warnings")

    def focus_default(self) -> None:
        self.query_one("#phase-status").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_form":  # only while a campaign field has the focus
            focused = self.screen.focused
            return focused is not None and self.query_one("#campaign-form") in focused.ancestors
        return True

    def action_edit_campaign(self) -> None:
        self.query_one("#campaign-name", Input).focus()

    def action_leave_form(self) -> None:
        self.focus_default()

    # -- showing ---------------------------------------------------------------

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        self._plan = plan
        campaign = plan.campaign
        values = {
            "name": campaign.name,
            "site": campaign.site,
            "timezone": campaign.timezone,
            "start": str(campaign.start),
            "end": str(campaign.end),
            "smm_start": str(plan.smm_start),
        }
        for key, value in values.items():
            field = self.query_one(f"#campaign-{key}", Input)
            if not self._typing(key, field.value, field.has_focus):
                if field.value != value:
                    field.value = value
                self._error(key, "")
            self._shown[key] = value
        objective = self.query_one("#campaign-objective", TextArea)
        if not self._typing("objective", objective.text, objective.has_focus) and objective.text != campaign.objective:
            objective.load_text(campaign.objective)
        self._shown["objective"] = campaign.objective
        self._show_status(plan, problems, now)
        show_goals(self.query_one("#goals", Static), plan, now.date())

    def _typing(self, key: str, value: str, focused: bool) -> bool:
        """Whether the field holds typing the user has not committed (then showing the plan must not overwrite it)."""
        return focused and value != self._shown.get(key, value)

    def _show_status(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        summary = summarize(plan, problems, now)
        done, total = summary.smo_done, summary.smo_total
        # the share is not the bar's own figure: it rounds 12.5% to 12%
        self.query_one("#smo-heading", Static).update(
            Text.assemble(("SMO checklist  ", "bold"), f"{done} of {total} done{summary.smo_share}")
        )
        self.query_one("#smo-progress", ProgressBar).update(total=max(total, 1), progress=done)
        table = Table.grid(padding=(0, 2))
        table.add_column()
        table.add_column(justify="right")
        for category in summary.categories:
            table.add_row(shown_line(category.name), f"{category.done}/{category.total}")
        self.query_one("#smo-categories", Static).update(table)

        self.query_one("#phase-dates", Static).update(
            Text.assemble(
                ("SMO due  ", "bold"),
                f"{summary.smo_due} ({summary.due_when})\n",
                ("SMM starts  ", "bold"),
                f"{plan.smm_start}",
            )
        )
        by_status = "  ".join(f"{s} {n}" for s, n in summary.by_status) or "no posts yet"
        self.query_one("#posts-by-status", Static).update(Text.assemble(("Posts  ", "bold"), by_status))
        lines = Text("Next posts\n", style="bold")
        for post in summary.next_posts:
            lines.append(f"{post.at:%Y-%m-%d %H:%M}  {one_line(post.platform):<9} ", style="")
            lines.append(one_line(post.title or post.id), style="")
            lines.append("\n")
        if not summary.next_posts:
            lines.append("none scheduled\n", style="dim")
        self.query_one("#next-posts", Static).update(lines)
        warnings = summary.warnings
        text = Text(f"Warnings ({len(warnings)})\n", style="bold")
        for problem in warnings[:20]:
            line = f"line {problem.line}: " if problem.line else ""
            text.append(f"{line}{one_line(problem.message)}", style="")
            if problem.hint:
                text.append(f" ({one_line(problem.hint)})", style="dim")
            text.append("\n")
        if len(warnings) > 20:
            text.append(f"and {len(warnings) - 20} more: run planner check\n", style="dim")
        self.query_one("#warnings", Static).update(text)

    # -- editing -----------------------------------------------------------------

    def _error(self, key: str, message: str) -> None:
        error = self.query_one(f"#campaign-{key}-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._commit(event.input)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self._commit(event.widget)

    def pending_edit(self) -> Edit | None:
        change = self._change_for(self.screen.focused)
        return None if isinstance(change, Offer) else change

    def pending_offer(self) -> Offer | None:
        change = self._change_for(self.screen.focused)
        return change if isinstance(change, Offer) else None

    def _commit(self, widget) -> None:
        if self.asking:
            return  # the question about this field is open
        change = self._change_for(widget)
        if isinstance(change, Offer):
            self.ask(change)
        elif change is not None:
            self.request(change)

    def declined(self) -> None:
        """The date change was cancelled: the start shows the plan's again."""
        self.query_one("#campaign-start", Input).value = self._shown.get("start", "")
        self._error("start", "")

    def _change_for(self, widget) -> Edit | Offer | None:
        """The edit (or the question) for what ``widget`` (a campaign field) holds, or None (unchanged, or refused: the field says why)."""
        if self._plan is None:
            return None
        if isinstance(widget, TextArea) and widget.id == "campaign-objective":
            text = widget.text
            return (
                SetField(("campaign",), "objective", text, "edit the objective")
                if text != self._plan.campaign.objective
                else None
            )
        if isinstance(widget, Input) and (widget.id or "").startswith("campaign-"):
            key = (widget.id or "").removeprefix("campaign-")
            try:
                return self._field_edit(key, widget.value)
            except EditError as error:
                self._error(key, error.message)
        return None

    def _field_edit(self, key: str, text: str) -> Edit | Offer | None:
        assert self._plan is not None
        plan = self._plan
        campaign = plan.campaign
        try:
            value = campaign_value(campaign, key, text)
        except ValueError as refused:
            self._error(key, str(refused))
            return None
        self._error(key, "")
        if key == "smm_start" and isinstance(value, dt.date):
            return set_smm_start(plan, value)
        if value == getattr(campaign, key):
            return None
        if key == "start" and isinstance(value, dt.date):
            return campaign_start_change(plan, value)
        return SetField(
            ("campaign",),
            key,
            value,
            "rename the campaign" if key == "name" else f"edit the campaign {LABELS[key].lower()}",
        )
