"""View 5: notes on competitors, with their handles per platform."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from planner import textsafe
from planner.app.calendar.days import CHANGED_MARK
from planner.app.dialogs import confirm
from planner.app.screen_text import SafeInput
from planner.app.smm_forms import CompetitorForm
from planner.app.views.base import View
from planner.app.views.platforms import cut_to_one_row
from planner.git.history import Changed
from planner.plan.model import Competitor, Plan
from planner.plan.problems import Problem
from planner.plan.smm_edits import add_competitor, delete_competitor, edit_competitor, platform_label


def matches(competitor: Competitor, needle: str) -> bool:
    """Whether ``needle`` is in any of the competitor's text, notes and handles included."""
    needle = needle.casefold()
    texts = (
        competitor.name,
        competitor.site,
        competitor.cadence,
        competitor.strengths,
        competitor.weaknesses,
        competitor.notes,
    )
    handles = (part for pair in competitor.handles for part in pair)
    return any(needle in text.casefold() for text in (*texts, *handles))


class CompetitorList(OptionList):
    """The competitors; the view handles their keys."""


class CompetitorsView(View):
    TITLE = "Competitors"
    EDITS = frozenset({"add", "edit", "delete"})
    BINDINGS = [
        Binding("a", "add", "Add", id="competitors.add"),
        Binding("e", "edit", "Edit", id="competitors.edit"),
        Binding("d", "delete", "Delete", id="competitors.delete"),
        Binding("slash", "filter", "Filter", id="competitors.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="competitors.clear_filter", show=False),
    ]
    HELP_KEYS = [("enter", "Edit the selected competitor"), ("↑ ↓", "Select")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._plan: Plan | None = None
        self._filter = ""
        self._select_next: int | None = None  # the competitor to highlight once the plan shows an edit
        self._changed: frozenset[str] | None = None  # the competitors changed since the last commit (None: not in git)

    def compose(self) -> ComposeResult:
        yield SafeInput(
            id="competitors-filter", placeholder="filter by any text, notes included; esc clears", compact=True
        )
        with Horizontal(id="competitors-body"):
            yield CompetitorList(id="competitors-list")
            with VerticalScroll(id="competitors-detail") as detail:
                detail.border_title = "Details"
                yield Static(id="competitors-detail-text")

    def on_mount(self) -> None:
        self.query_one("#competitors-filter", Input).display = False

    def focus_default(self) -> None:
        self.query_one("#competitors-list", CompetitorList).focus()

    # -- state -------------------------------------------------------------------------

    @property
    def competitors(self) -> list[Competitor]:
        return self._plan.competitors if self._plan else []

    def _highlighted_index(self) -> int | None:
        """The index in ``[[competitors]]`` of the highlighted row (of the plan shown last)."""
        option_list = self.query_one("#competitors-list", CompetitorList)
        if option_list.highlighted is None:
            return None
        option_id = option_list.get_option_at_index(option_list.highlighted).id
        return int(option_id.removeprefix("competitor-")) if option_id else None

    def selected(self) -> tuple[int, Competitor] | None:
        """The highlighted competitor and its index in ``[[competitors]]``."""
        index = self._highlighted_index()
        return (index, self.competitors[index]) if index is not None and index < len(self.competitors) else None

    def selection_state(self) -> dict[str, str]:
        current = self.selected()
        return {"competitor": current[1].name} if current is not None else {}

    def restore_selection(self, state: Mapping[str, str]) -> None:
        found = next(
            (index for index, competitor in enumerate(self.competitors) if competitor.name == state.get("competitor")),
            None,
        )
        if found is not None:
            self._select_next = found
            self._rebuild()

    def _filtering(self) -> bool:
        return bool(self._filter) or self.query_one("#competitors-filter", Input).display

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            return self.selected() is not None
        if action == "add":
            return self._plan is not None
        if action == "clear_filter":
            return self._filtering()
        return True

    def binding_state(self) -> tuple:
        return (self.selected() is not None, self._plan is not None, self._filtering())

    # -- showing ---------------------------------------------------------------------------

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        self._plan = plan
        self._rebuild()

    def show_changes(self, changed: Changed | None) -> None:
        names = changed.of("competitor") if changed is not None else None
        if names != self._changed:
            self._changed = names
            if self._plan is not None:
                self._rebuild()

    def _rebuild(self) -> None:
        option_list = self.query_one("#competitors-list", CompetitorList)
        current = self._highlighted_index()
        wanted = self._select_next if self._select_next is not None else (current or 0)
        self._select_next = None
        shown = [
            index
            for index, competitor in enumerate(self.competitors)
            if not self._filter or matches(competitor, self._filter)
        ]
        changed = self._changed or frozenset()
        options = [
            Option(
                self._prompt(self.competitors[index], self.competitors[index].name in changed), id=f"competitor-{index}"
            )
            for index in shown
        ]
        if not options:
            empty = "No competitor matches." if self._filter else "None yet: a adds one."
            options.append(Option(Text(empty, style="dim"), disabled=True))
        option_list.set_options(options)
        option_list.border_title = (
            f"Competitors · {len(shown)} of {len(self.competitors)}"
            if self._filter
            else f"Competitors · {len(self.competitors)}"
        )
        if shown:
            # The wanted competitor, else the nearest one shown (after a delete: the next one).
            nearest = min(range(len(shown)), key=lambda i: (abs(shown[i] - wanted), shown[i] < wanted))
            option_list.highlighted = nearest
        else:
            option_list.highlighted = None
        self._show_detail()
        self.update_bindings()

    @staticmethod
    def _prompt(competitor: Competitor, uncommitted: bool = False) -> Table:
        text = Text(textsafe.one_line(competitor.name), style="bold")
        if uncommitted:  # changed since the last commit, as in the calendar
            text.append(f" {CHANGED_MARK}", style="bold")
        if competitor.site:
            text.append("  " + textsafe.one_line(competitor.site), style="dim")
        return cut_to_one_row(text)

    def _show_detail(self) -> None:
        detail = self.query_one("#competitors-detail-text", Static)
        current = self.selected()
        detail.update(self.describe(current[1], self._plan) if current and self._plan else "")

    @staticmethod
    def describe(competitor: Competitor, plan: Plan) -> Text:
        text = Text()
        text.append(textsafe.one_line(competitor.name) + "\n", style="bold")
        if competitor.site:
            text.append(textsafe.one_line(competitor.site) + "\n", style="cyan")
        text.append("\nHandles\n", style="bold")
        for platform, handle in competitor.handles:
            text.append(f"  {textsafe.one_line(platform_label(platform, plan.platform(platform)))}: ")
            text.append(textsafe.one_line(handle) + "\n", style="cyan")
        if not competitor.handles:
            text.append("  none noted\n", style="dim")
        for label, value in (
            ("Cadence", competitor.cadence),
            ("Strengths", competitor.strengths),
            ("Weaknesses", competitor.weaknesses),
            ("Notes", competitor.notes),
        ):
            if value:
                text.append(f"\n{label}\n", style="bold")
                text.append(textsafe.for_terminal(value.strip("\n")) + "\n")
        return text

    @on(OptionList.OptionHighlighted, "#competitors-list")
    def _highlighted(self) -> None:
        self._show_detail()
        self.update_bindings()

    @on(OptionList.OptionSelected, "#competitors-list")
    async def _selected(self) -> None:
        await self.run_action("edit")  # as e does (a plan open read-only says so)

    # -- actions -----------------------------------------------------------------------------

    def _platforms(self) -> list[tuple[str, str]]:
        return (
            [(choice.name, platform_label(choice.name, choice)) for choice in self._plan.platforms]
            if self._plan
            else []
        )

    def action_add(self) -> None:
        if self._plan is not None:
            self.app.push_screen(CompetitorForm(None, self._platforms()), self._added)

    def _added(self, values: dict | None) -> None:
        if values is None:
            return
        if self._filter and not matches(
            Competitor(**{**values, "handles": tuple(values["handles"].items())}), self._filter
        ):
            self.action_clear_filter()  # show the new one
        self._select_next = len(self.competitors)
        self.request(add_competitor(values))

    def action_edit(self) -> None:
        current = self.selected()
        if current is None or self._plan is None:
            return
        index, competitor = current
        plan = self._plan

        def edited(values: dict | None) -> None:
            if values is None:
                return
            edit = edit_competitor(plan, index, values)
            if edit is None:
                self.say(f"{competitor.name}: nothing changed")
                return
            self._select_next = index
            self.request(edit)

        self.app.push_screen(CompetitorForm(competitor, self._platforms()), edited)

    def action_delete(self) -> None:
        current = self.selected()
        if current is None or self._plan is None:
            return
        index, competitor = current
        edit = delete_competitor(self._plan, index)

        def answer(choice: str | None) -> None:
            if choice == "yes":
                self._select_next = index
                self.request(edit)

        self.app.push_screen(
            confirm(
                "Delete competitor", f"Delete {competitor.name} and the notes on them? (ctrl+z undoes it)", "Delete"
            ),
            answer,
        )

    def action_filter(self) -> None:
        field = self.query_one("#competitors-filter", Input)
        field.display = True
        field.focus()
        self.update_bindings()

    def action_clear_filter(self) -> None:
        field = self.query_one("#competitors-filter", Input)
        field.value = ""
        field.display = False
        self._filter = ""
        self._rebuild()
        self.focus_default()

    @on(Input.Changed, "#competitors-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self._filter:  # not the clearing that escape already showed
            self._filter = event.value.strip()
            self._rebuild()

    @on(Input.Submitted, "#competitors-filter")
    def _filter_done(self) -> None:
        self.focus_default()
