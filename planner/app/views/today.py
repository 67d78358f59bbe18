"""View 0: what needs you today (`planner.rules.today`, the model `planner today` prints too).

Each line opens its entry where it lives: a post in the calendar, selected
(``e``: in its editor), an SMO item in the checklist, a platform in the
platforms view, a competitor in theirs, anything else in the overview. The
view follows the clock: a timer fires at the next midnight in the
campaign's time zone, and when the day has changed the view asks the app to
show every view again (`DayChanged`), with the checks run for the new day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planner.app.calendar.days import status_mark
from planner.app.screen_text import shown_line
from planner.app.views.base import View
from planner.places import Place
from planner.plan.model import Plan
from planner.plan.problems import Problem
from planner.rules import today as today_rules
from planner.rules.platforms import platform_marks
from planner.rules.today import WAITING_DAYS, Entry, PostLine, Today, local_now, next_midnight, today
from planner.words import counted

SOONEST = 0.05  # seconds: a midnight timer never fires sooner (a clock that stands still must not spin)


def place_of(entry: Entry, model: Today | None = None) -> Place:
    """Where an entry lives in the app: the view and the selection that shows it."""
    if entry.kind == "post":
        selection = {"post": entry.key}
        if model is not None:
            day = next(
                (
                    line.at.date()
                    for line in (*model.today_posts, *model.week_posts, *model.waiting)
                    if line.id == entry.key
                ),
                None,
            )
            if day is not None:
                selection["day"] = day.isoformat()  # a post id that repeats is looked for on this day first
        return Place("calendar", selection)
    if entry.kind == "smo-item":
        return Place("smo", {"item": entry.key})
    if entry.kind == "platform":
        return Place("platforms", {"platform": entry.key})
    if entry.kind == "competitor":
        return Place("competitors", {"competitor": entry.key})
    return Place("overview", {})


def opens_on_today(plan: Plan, now: dt.datetime, week_start: int, place: Place | None) -> bool:
    """Whether the app opens ``plan`` on this view rather than at ``place``, where it was left (see `today_rules.opens_on_today`)."""
    return today_rules.opens_on_today(today(plan, [], now, week_start), place.left if place is not None else None)


class TodayList(OptionList):
    """The sections and their lines; headings are disabled options the cursor skips."""


class TodayView(View):
    TITLE = "Today"
    EDITS = frozenset({"edit"})
    BINDINGS = [
        Binding("e", "edit", "Edit post", id="today.edit"),
    ]
    HELP_KEYS = [("enter", "Open the line's entry where it lives (a post in the calendar)"), ("↑ ↓", "Select")]

    class Open(Message):
        """Show ``place`` (a line's entry where it lives); ``edit``: open the post's editor there too."""

        def __init__(self, place: Place, edit: bool = False) -> None:
            super().__init__()
            self.place = place
            self.edit = edit

    class DayChanged(Message):
        """Midnight passed in the campaign's time zone: every view is shown again, for the new day."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.model: Today | None = None
        self._entries: dict[str, Entry] = {}
        self._details: dict[str, Text] = {}  # each line in full, for the line under the list
        self._timer: Timer | None = None
        self._timezone = ""
        self._day: dt.date | None = None  # the day the timer last saw

    def compose(self) -> ComposeResult:
        yield Static(id="today-title")
        yield TodayList(id="today-list")
        yield Static(id="today-detail")

    def focus_default(self) -> None:
        self.query_one("#today-list", TodayList).focus()

    # -- state -------------------------------------------------------------------------

    def _highlighted(self) -> str | None:
        option_list = self.query_one("#today-list", TodayList)
        if option_list.highlighted is None or option_list.option_count == 0:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def selected(self) -> Entry | None:
        """The entry of the highlighted line."""
        line = self._highlighted()
        return self._entries.get(line) if line else None

    def selection_state(self) -> dict[str, str]:
        line = self._highlighted()
        return {"line": line} if line else {}

    def restore_selection(self, state: Mapping[str, str]) -> None:
        self._highlight(state.get("line"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            entry = self.selected()
            return entry is not None and entry.kind == "post"
        return True

    def binding_state(self) -> tuple:
        entry = self.selected()
        return (entry is not None and entry.kind == "post",)

    # -- showing -----------------------------------------------------------------------------

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        self.model = today(plan, problems, now, self.host.settings.week_start_index)
        self._timezone = plan.campaign.timezone
        self._day = now.date()
        self._rebuild()
        self._arm()

    def _rebuild(self) -> None:
        model = self.model
        if model is None:
            return
        first, last = model.week
        self.query_one("#today-title", Static).update(
            shown_line(
                f"{model.now:%A} {model.day.day} {model.now:%B %Y}, {model.now:%H:%M} in {model.timezone} · this week {first.day} {first:%b} to {last.day} {last:%b}"
            )
        )
        option_list = self.query_one("#today-list", TodayList)
        current = self._highlighted()
        marks = platform_marks({line.platform for line in (*model.today_posts, *model.week_posts, *model.waiting)})
        self._entries = {}
        self._details = {}
        options: list[Option] = []

        def heading(text: str) -> None:
            options.append(Option(Text(text, style="bold"), disabled=True))

        def line(key: str, prompt: Text, entry: Entry, detail: Text | None = None) -> None:
            self._entries[key] = entry
            self._details[key] = detail if detail is not None else prompt
            options.append(Option(prompt, id=key))

        def post(item: PostLine, with_day: bool, after: str = "") -> Text:
            when = f"{item.at:%a} {item.at.day:>2}  {item.at:%H:%M}" if with_day else f"{item.at:%H:%M}"
            text = Text(
                f"  {when}  {status_mark(item.status)} {item.status:<9}  {marks.get(item.platform, '??'):<2}  {item.format:<8}  "
            )
            text.append_text(shown_line(item.name))
            if after:
                text.append(f"  {after}", style="dim")
            return text

        heading(f"Today ({counted(len(model.today_posts), 'post')})")
        for n, item in enumerate(model.today_posts):
            line(f"today-{n}", post(item, False), item.entry)
        if not model.today_posts:
            options.append(Option(Text("  No posts today.", style="dim"), disabled=True))
        heading(f"This week ({counted(len(model.week_posts), 'more post')})")
        for n, item in enumerate(model.week_posts):
            past = " (past)" if item.at.date() < model.day else ""
            line(f"week-{n}", post(item, True, past.strip()), item.entry)
        if model.late_items:
            heading(
                f"Late SMO items ({len(model.late_items)}; SMO was due {model.late_items[0].due}, {counted(model.late_items[0].days_late, 'day')} ago)"
            )
            for n, late in enumerate(model.late_items):
                text = Text("  ").append_text(shown_line(late.title or late.id))
                if late.owner.strip():
                    text.append("  ").append_text(shown_line(late.owner, "dim"))
                line(f"late-{n}", text, late.entry)
        if model.waiting:
            heading(
                f"Waiting for you ({len(model.waiting)}: going out within {WAITING_DAYS} days, not approved or scheduled)"
            )
            for n, item in enumerate(model.waiting):
                line(f"waiting-{n}", post(item, True, item.goes_out), item.entry)
        if model.short:
            heading(f"Short of their cadence this week ({len(model.short)})")
            for n, short in enumerate(model.short):
                text = Text("  ").append_text(shown_line(short.name))
                text.append(f": {counted(short.planned, 'post')} this week, cadence {short.cadence}")
                line(f"short-{n}", text, short.entry)
        if model.warnings:
            heading(f"Warnings ({len(model.warnings)})")
            for n, warning in enumerate(model.warnings):
                problem = warning.problem
                text = (
                    Text("  ")
                    .append(f"line {problem.line}: " if problem.line else "", style="dim")
                    .append_text(shown_line(problem.message))
                )
                full = text.copy()
                if problem.hint:
                    full.append(" (").append_text(shown_line(problem.hint)).append(")")
                line(f"warning-{n}", text, warning.entry, full)
        if not model.needs_you:
            options.append(Option(Text("Nothing late, waiting or short, and no warnings.", style="dim"), disabled=True))
        option_list.set_options(options)
        self._highlight(current)
        self._show_detail()
        self.update_bindings()

    def _show_detail(self) -> None:
        """The highlighted line in full (lines are cut to the view's width), and what enter does with it."""
        key = self._highlighted()
        entry = self._entries.get(key) if key else None
        detail = self.query_one("#today-detail", Static)
        if key is None or entry is None:
            detail.update("")
            return
        where = {
            "post": "the calendar (e: its editor)",
            "smo-item": "the SMO checklist",
            "platform": "the platforms",
            "competitor": "the competitors",
            "campaign": "the overview",
        }[entry.kind]
        text = self._details[key].copy()
        text.append(f"\nenter: open it in {where}", style="dim")
        detail.update(text)

    def _highlight(self, key: str | None) -> None:
        option_list = self.query_one("#today-list", TodayList)
        if key is not None and key in self._entries:
            option_list.highlighted = option_list.get_option_index(key)
        elif self._entries:
            option_list.highlighted = option_list.get_option_index(next(iter(self._entries)))
        else:
            option_list.highlighted = None

    # -- the clock ---------------------------------------------------------------------------

    def _arm(self) -> None:
        """Wake up at the next midnight in the campaign's time zone."""
        if self._timer is not None:
            self._timer.stop()
        instant = self.host.clock()
        delay = (next_midnight(self._timezone, instant) - instant).total_seconds()
        self._timer = self.set_timer(max(delay, SOONEST), self._midnight)

    def _midnight(self) -> None:
        self._timer = None
        day = local_now(self._timezone, self.host.clock()).date()
        if day != self._day:
            self._day = day
            self.post_message(self.DayChanged())
        self._arm()

    # -- opening a line's entry ---------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#today-list")
    def _highlight_moved(self) -> None:
        self._show_detail()
        self.update_bindings()

    @on(OptionList.OptionSelected, "#today-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._entries.get(event.option.id or "")
        if entry is not None:
            self.post_message(self.Open(place_of(entry, self.model)))

    def action_edit(self) -> None:
        entry = self.selected()
        if entry is not None and entry.kind == "post":
            self.post_message(self.Open(place_of(entry, self.model), edit=True))
