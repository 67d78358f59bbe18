"""View 4: the post calendar, as a month grid, a week of columns or an agenda list.

The view keeps the selection (a day, and a post on it or in the agenda)
and turns keys into edits from `planner.plan.posts`. `show` buckets the
posts by day once; moving the selection redraws only the two day cells (or
agenda rows) it leaves and enters, and the title only when the month changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Input, Static

from planner.app.calendar.agenda import AgendaList, heading
from planner.app.calendar.days import (
    CHANGED_MARK,
    SORTS,
    STATUS_MARKS,
    Shown,
    add_months,
    agenda_rows,
    opening_day,
    post_title,
    shift_day,
    week_days,
)
from planner.app.calendar.dialogs import DateDialog, PlatformsDialog
from planner.app.calendar.grids import DayGrid, MonthGrid, WeekGrid
from planner.app.dialogs import confirm
from planner.app.messages import EditRequested
from planner.app.post_form import PostForm
from planner.app.review import ApprovalRequested, HistoryRequested
from planner.app.screen_text import SafeInput
from planner.app.shift_dialog import ShiftDialog, ShiftRequest
from planner.app.views.base import View
from planner.errors import EditError
from planner.git.history import Changed
from planner.plan.approval import in_words
from planner.plan.model import Plan, Post
from planner.plan.phases import shift_posts
from planner.plan.post_filter import PostFilter, Vocabulary
from planner.plan.posts import add_post, advance_status, delete_post, duplicate_post, move_post, named, update_post
from planner.plan.problems import Problem
from planner.rules.platforms import builtin_platforms, over_limits
from planner.textsafe import one_line
from planner.words import counted

MODES = ("month", "week", "agenda")
# The keys that need a selected post, and what each would have done to it.
NO_POST_KEYS = (
    ("enter", "edit"),
    ("n", "move on to its next status"),
    ("d", "delete"),
    ("c", "copy"),
    ("A", "approve"),
    ("h", "show the history of"),
    *((key, "move") for key in ("less_than_sign", "greater_than_sign", "left_square_bracket", "right_square_bracket")),
)
FILTER_HELP = "platform:NAME status:STATUS format:FORMAT tag:TAG and words, all must match; esc clears"
# How each sort reads, ascending and descending.
SORT_WORDS = {
    "date": ("oldest first", "newest first"),
    "platform": ("A to Z", "Z to A"),
    "status": ("idea first", "published first"),
    "title": ("A to Z", "Z to A"),
}


def post_warnings(problems: list[Problem]) -> dict[int, list[str]]:
    """The warnings about each post, by its index (the phase gate left out: the calendar flags that with ``!``)."""
    found: dict[int, list[str]] = {}
    for problem in problems:
        path = problem.path
        if (
            len(path) > 2
            and path[:2] == ("smm", "posts")
            and isinstance(path[2], int)
            and problem.severity != "note"
            and problem.code != "phase-gate"
        ):
            found.setdefault(path[2], []).append(problem.message)
    return found


class CalendarView(View):
    TITLE = "Calendar"
    EDITS = frozenset({"add", "edit", "delete", "move", "duplicate", "next_status", "shift", "approve"})
    BINDINGS = [
        # In the order the footer drops them from the end when the terminal is narrow (see KeptFooter).
        Binding("a", "add", "Add post", id="calendar.add"),
        Binding("enter", "edit", "Edit", id="calendar.edit"),
        Binding("n", "next_status", "Next status", id="calendar.next_status"),
        Binding("slash", "filter", "Filter", id="calendar.filter"),
        Binding("s", "sort", "Sort", id="calendar.sort"),
        Binding("m", "mode('month')", "Month", id="calendar.month"),
        Binding("w", "mode('week')", "Week", id="calendar.week"),
        Binding("l", "mode('agenda')", "Agenda", id="calendar.agenda"),
        Binding("d", "delete", "Delete", id="calendar.delete"),
        Binding("c", "duplicate", "Duplicate", id="calendar.duplicate"),
        Binding("S", "shift", "Shift posts", id="calendar.shift", show=False),
        Binding("A", "approve", "Approve the post", id="calendar.approve", show=False),
        Binding("h", "history", "Post history (git)", id="calendar.history", show=False),
        Binding("less_than_sign", "move(-1)", "Move a day earlier", id="calendar.earlier", show=False),
        Binding("greater_than_sign", "move(1)", "Move a day later", id="calendar.later", show=False),
        Binding("left_square_bracket", "move(-7)", "Move a week earlier", id="calendar.week_earlier", show=False),
        Binding("right_square_bracket", "move(7)", "Move a week later", id="calendar.week_later", show=False),
        # Without a selected post the keys above are off (and out of the footer); these say why nothing happens.
        *(Binding(key, f"no_post('{what}')", show=False) for key, what in NO_POST_KEYS),
        Binding("t", "today", "Today", id="calendar.today", show=False),
        Binding("g", "goto", "Go to date", id="calendar.goto", show=False),
        Binding("tab", "cycle(1)", "Next post of the day", id="calendar.next_post", show=False),
        Binding("shift+tab", "cycle(-1)", "Previous post of the day", id="calendar.previous_post", show=False),
        Binding("pageup", "page(-1)", "Previous month", id="calendar.previous_month", show=False),
        Binding("pagedown", "page(1)", "Next month", id="calendar.next_month", show=False),
        Binding("escape", "clear_filter", "Clear filter", id="calendar.clear_filter", show=False),
        Binding("left", "arrow(-1)", show=False),
        Binding("right", "arrow(1)", show=False),
        Binding("up", "arrow(-7)", show=False),
        Binding("down", "arrow(7)", show=False),
        Binding("home", "edge(-1)", show=False),
        Binding("end", "edge(1)", show=False),
    ]
    HELP_KEYS = [
        ("← → ↑ ↓", "Select a day (in the agenda ↑ ↓ select a post)"),
        ("click", "Select a day or post; a double click edits it"),
        ("/ syntax", f"In the agenda: {FILTER_HELP}"),
        (
            "/ names",
            "A name, a display name, a mark (IG) or its start (insta); a term that names nothing says so under the count",
        ),
        ("s order", "date, platform, status, title, in turn, each one way then the other (▲ ▼)"),
        ("n order", "idea, draft, review, approved, scheduled, published (the last)"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._plan: Plan | None = None
        self._now = dt.datetime.now()
        self.shown: Shown | None = None
        self.mode = "month"
        self.day: dt.date | None = None
        self.slot = 0  # which post of the selected day is selected
        self.sort = "date"
        self.descending = False
        self.where = PostFilter()
        self._vocabulary: Vocabulary | None = (
            None  # what the filter's values can name, made when the agenda is filtered
        )
        self._rows: list[int] | None = None  # the agenda's rows, made when the agenda is shown
        self._select_next: str | None = None  # the post to select once the plan shows an edit
        self._warnings: dict[int, list[str]] = {}  # what planner check says about each post, by index
        self._titled: tuple = ()  # what the title line shows now (it is only redrawn when that changes)
        self._changed: frozenset[str] | None = None  # the posts changed since the last commit (None: not in git)

    def compose(self) -> ComposeResult:
        yield Static(id="calendar-title")
        with ContentSwitcher(initial="calendar-month", id="calendar-modes"):
            yield MonthGrid(id="calendar-month")
            yield WeekGrid(id="calendar-week")
            with Vertical(id="calendar-agenda"):
                yield SafeInput(id="calendar-filter", placeholder=FILTER_HELP, compact=True)
                yield Static(id="calendar-heading")
                yield AgendaList(id="calendar-list")
        yield Static(id="calendar-detail")

    def on_mount(self) -> None:
        self.query_one("#calendar-filter", Input).display = False

    def focus_default(self) -> None:
        self.query_one(f"#calendar-{'list' if self.mode == 'agenda' else self.mode}").focus()

    # -- the selection ------------------------------------------------------------------

    def day_posts(self) -> list[int]:
        return self.shown.on(self.day) if self.shown is not None and self.day is not None else []

    def selected(self) -> int | None:
        """The selected post, as its index in the plan's posts."""
        if self.shown is None:
            return None
        if self.mode == "agenda":
            rows = self.rows()
            agenda = self.query_one("#calendar-list", AgendaList)
            return rows[min(agenda.cursor, len(rows) - 1)] if rows else None
        posts = self.day_posts()
        return posts[min(self.slot, len(posts) - 1)] if posts else None

    def selected_post(self) -> Post | None:
        index = self.selected()
        return None if index is None or self._plan is None else self._plan.posts[index]

    def rows(self) -> list[int]:
        if self._rows is None:
            self._rows = agenda_rows(self.shown.posts, self.sort, self.where, self.descending) if self.shown else []
        return self._rows

    def select_post(self, index: int) -> None:
        """Select post ``index``: its day, and it on that day (and in the agenda, if it is listed)."""
        assert self.shown is not None
        post = self.shown.posts[index]
        self.day = post.at.date()
        self.slot = self.shown.on(self.day).index(index)
        if self.mode == "agenda":
            rows = self.rows()
            if index in rows:
                agenda = self.query_one("#calendar-list", AgendaList)
                if (
                    agenda.rows is not rows
                ):  # the list still has the rows it last showed (none, the first time): its cursor would be clamped to them
                    agenda.set_rows(self.shown, rows, agenda.cursor, agenda.empty)
                agenda.move_cursor(rows.index(index))

    def select_day(self, day: dt.date) -> None:
        self.day, self.slot = day, 0
        if self.mode == "agenda":
            rows, posts = self.rows(), self.shown.posts if self.shown else []
            agenda = self.query_one("#calendar-list", AgendaList)
            if rows and self.sort == "date":  # the first post on or after the day
                agenda.move_cursor(next((n for n, i in enumerate(rows) if posts[i].at.date() >= day), len(rows) - 1))
            elif rows:  # the first post on the day, if there is one
                agenda.move_cursor(next((n for n, i in enumerate(rows) if posts[i].at.date() == day), agenda.cursor))
            self._after_agenda_move()
        self.redraw()

    def selection_state(self) -> dict[str, str]:
        state = {"mode": self.mode}
        if self.day is not None:
            state["day"] = self.day.isoformat()
        post = self.selected_post()
        if post is not None:
            state["post"] = post.id
        return state

    def restore_selection(self, state: Mapping[str, str]) -> None:
        if self.shown is None:
            return
        if state.get("mode") in MODES and state["mode"] != self.mode:
            self.action_mode(state["mode"])
        try:
            day = dt.date.fromisoformat(state.get("day", ""))
        except ValueError:
            day = None
        if day is not None:
            self.day = day  # a post id that repeats is looked for on this day first
        index = self._find(state["post"]) if state.get("post") else None
        if index is not None:
            self.select_post(index)
            self.redraw()
        elif day is not None:
            self.select_day(day)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.shown is None:
            return action in ("mode",)
        if action in ("edit", "delete", "move", "duplicate", "next_status", "approve", "history"):
            return self.selected() is not None
        if action == "no_post":
            return self.selected() is None
        if action == "cycle":  # always taken in the grids, so tab does not leave them on a quiet day
            return self.mode != "agenda"
        if action in ("filter", "sort", "edge"):
            return self.mode == "agenda"
        if action == "clear_filter":
            return self.mode == "agenda" and (bool(self.where) or self.query_one("#calendar-filter", Input).display)
        if action == "mode" and parameters:
            return parameters[0] != self.mode
        if action == "arrow" and parameters and parameters[0] in (-1, 1):
            return self.mode != "agenda"
        return True

    def binding_state(self) -> tuple:
        return (self.mode, self.selected() is not None, bool(self.where))

    # -- showing ---------------------------------------------------------------------

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        keep = self._select_next or (post.id if (post := self.selected_post()) is not None else None)
        self._select_next = None
        self._plan, self._now = plan, now
        self.shown = Shown.of(plan, now.date(), self.host.settings.week_start_index, self._changed)
        self._rows = None
        self._vocabulary = None
        if self.where:  # its names are read again in the plan as it is now (a new tag, a custom platform)
            self.where = PostFilter.parse(self.query_one("#calendar-filter", Input).value, self.vocabulary())
        self._warnings = post_warnings(problems)
        if self.day is None:
            self.day = opening_day(plan, now.date())
        index = self._find(keep) if keep else None
        if index is not None:
            self.select_post(index)
        else:
            self.slot = min(self.slot, max(0, len(self.day_posts()) - 1))
        self.redraw()

    def show_changes(self, changed: Changed | None) -> None:
        self._changed = changed.of("post") if changed is not None else None
        if self.shown is not None and self.shown.changed != self._changed:
            self.shown = replace(self.shown, changed=self._changed)
            self._rows = None
            self.redraw()

    def _find(self, post_id: str) -> int | None:
        """The post with ``post_id`` on the selected day if it is there (ids may repeat), else anywhere."""
        assert self.shown is not None
        for index in self.day_posts():
            if self.shown.posts[index].id == post_id:
                return index
        return next((i for i, post in enumerate(self.shown.posts) if post.id == post_id), None)

    def redraw(self) -> None:
        """Draw the selection: the month or week on screen, or the agenda's rows; then the title and the detail line."""
        if self.shown is None or self.day is None:
            return
        title = self.query_one("#calendar-title", Static)
        if self.mode == "agenda":
            agenda = self.query_one("#calendar-list", AgendaList)
            rows = self.rows()
            empty = "No posts match the filter (esc clears it)." if self.where else "No posts yet: press a to add one."
            agenda.set_rows(self.shown, rows, agenda.cursor, empty)
            self._sync_day()
            self._set_title(title, self._agenda_title(rows))
            width = agenda.scrollable_content_region.width or self.size.width
            self.query_one("#calendar-heading", Static).update(heading(self.sort, width, self.descending), layout=False)
        else:
            grid = self.query_one(f"#calendar-{self.mode}", DayGrid)
            grid.set_view(self.shown, self.day, self.selected())
            if self.mode == "month":
                label = f"{self.day:%B %Y}"
            else:
                days = [day for day in week_days(self.day, self.shown.week_start) if day is not None]
                first, last = days[0], days[-1]
                label = f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
            key = (label, self.app.theme, self.shown.changed is not None)
            if self._titled != key:
                self._set_title(
                    title,
                    Text.assemble((label, "bold"), "   ", *self._legend(grid), "\n", *self._status_legend(grid)),
                    key,
                )
        self._show_detail()
        self.update_bindings()

    def _set_title(self, title: Static, text: Text, key: tuple = ()) -> None:
        """Show ``text`` as the title; ``key`` says what it shows, so the same month is not drawn twice."""
        self._titled = key
        title.update(text)  # its height follows what it says (app.tcss): what a filter says may take more lines

    @staticmethod
    def _legend(grid: DayGrid) -> list[tuple[str, Style] | str]:
        """What the looks of the days mean, each word in the look it explains."""
        return [
            (" today ", grid.style("grid--today")),
            " ",
            (" selected ", grid.style("grid--selected")),
            " ",
            (" SMO phase ", grid.style("grid--smo")),
            " ",
            ("!", grid.style("grid--early")),
            " before SMM start",
        ]

    def _status_legend(self, grid: DayGrid) -> list[tuple[str, Style] | str]:
        """Each status's mark in its colour, and its name; in git, the mark of a post changed since the last commit."""
        legend: list[tuple[str, Style] | str] = []
        marked = self.shown is not None and self.shown.changed is not None
        gap = " " if marked else "  "  # one more entry: it still fits in 80 columns
        for status, mark in STATUS_MARKS.items():
            legend += [(mark, grid.status_style(status)), f" {status}{gap}"]
        if marked:
            legend += [(CHANGED_MARK, grid.style("grid--changed")), " not committed"]
        return [*legend[:-1], str(legend[-1]).rstrip()]

    def _agenda_title(self, rows: list[int]) -> Text:
        """The agenda's count, sort and keys; under them what the filter could not read, or how it read a name."""
        assert self.shown is not None
        posts = len(self.shown.posts)
        count = f"{len(rows)} of {counted(posts, 'post')}" if self.where else counted(len(rows), "post")
        ascending, descending = SORT_WORDS.get(self.sort, ("", ""))
        then = "by " + SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)] if self.descending else "reverse"
        arrow = "▼" if self.descending else "▲"
        text = Text.assemble(
            ("Agenda", "bold"),
            f"  {count}, sorted by {self.sort} {arrow} {descending if self.descending else ascending}  (s: {then})",
        )
        if self.shown.changed is not None:
            text.append(f"  {CHANGED_MARK} not committed")
        text.append("\n")
        if self.where.problems:
            text.append("; ".join(self.where.problems), style="bold")
        elif self.where.readings:
            text.append("; ".join(self.where.readings))
        return text

    def _show_detail(self) -> None:
        """One line about the selected post (what planner check warns about first), or about the selected day."""
        index = self.selected()
        detail = self.query_one("#calendar-detail", Static)
        if index is None or self.shown is None:
            day = self.day
            detail.update(Text(f"{day:%A} {day.day} {day:%B %Y}: no posts" if day else ""), layout=False)
            return
        post = self.shown.posts[index]
        text = Text()
        if self.shown.early(post):
            text.append(f"! before the SMM start ({self.shown.smm_start}) ", style="bold")
        warnings = self._warnings.get(index, [])
        if warnings:
            more = f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else ""
            text.append(f"⚠ {one_line(warnings[0])}{more} · ", style="bold")
        text.append(one_line(f"{post.at:%a %Y-%m-%d %H:%M}  {post.platform}  {post.format}  {post.status}  "))
        text.append(post_title(post), style="bold")
        text.append(f"  ({one_line(post.id)})", style="dim")
        approval = in_words(post)
        if approval:
            text.append(
                f"  {'✓' if approval.startswith('approved') else '⚠'} {one_line(approval)}",
                style="" if approval.startswith("approved") else "bold",
            )
        if self.shown.changed is not None and post.id in self.shown.changed:
            text.append(f"  {CHANGED_MARK} not committed", style="dim")
        posts = self.day_posts()
        if self.mode != "agenda" and len(posts) > 1:
            text.append(f"  {self.slot + 1}/{len(posts)}, tab: next", style="dim")
        detail.update(text, layout=False)  # a fixed height in app.tcss: no layout to redo

    # -- moving around ---------------------------------------------------------------

    def action_arrow(self, step: int) -> None:
        if self.day is None:
            return
        if self.mode == "agenda":
            agenda = self.query_one("#calendar-list", AgendaList)
            agenda.move_cursor(agenda.cursor + (1 if step > 0 else -1))
            self._after_agenda_move()
            return
        self.select_day(shift_day(self.day, step))

    def action_page(self, step: int) -> None:
        if self.day is None:
            return
        if self.mode == "agenda":
            agenda = self.query_one("#calendar-list", AgendaList)
            agenda.move_cursor(agenda.cursor + step * agenda.page)
            self._after_agenda_move()
            return
        self.select_day(add_months(self.day, step))

    def action_edge(self, step: int) -> None:
        agenda = self.query_one("#calendar-list", AgendaList)
        agenda.move_cursor(0 if step < 0 else len(self.rows()) - 1)
        self._after_agenda_move()

    def _after_agenda_move(self) -> None:
        self._sync_day()
        self._show_detail()
        self.update_bindings()

    def _sync_day(self) -> None:
        """In the agenda, the selected day is the selected post's (a post added with a goes there)."""
        index = self.selected()
        if index is not None and self.shown is not None:
            self.day = self.shown.posts[index].at.date()
            self.slot = self.shown.on(self.day).index(index)

    @on(DayGrid.Clicked)
    async def _day_clicked(self, event: DayGrid.Clicked) -> None:
        if event.post is not None:
            self.select_post(event.post)
            self.redraw()
        else:
            self.select_day(event.day)
        if event.chain == 2:  # as the keys do (a plan open read-only says so)
            await self.run_action("edit" if event.post is not None else "add")

    @on(AgendaList.Clicked)
    async def _row_clicked(self, event: AgendaList.Clicked) -> None:
        event.agenda.move_cursor(event.row)
        self._after_agenda_move()
        if event.chain == 2:
            await self.run_action("edit")

    def action_cycle(self, step: int) -> None:
        posts = self.day_posts()
        if posts:
            self.slot = (min(self.slot, len(posts) - 1) + step) % len(posts)
            self.redraw()

    def action_no_post(self, what: str) -> None:
        """A key for the selected post with none selected: say why nothing happens."""
        day = self.day
        if self.mode == "agenda":
            why = "none matches the filter (esc clears it)" if self.where else "a adds one"
            message = f"No post to {what}: {why}."
        else:
            message = f"No post on {day:%a} {day.day} {day:%b} to {what}: a adds one." if day else f"No post to {what}."
        self.app.notify(message, title="Nothing selected", timeout=4, markup=False)

    def action_today(self) -> None:
        self.select_day(self._now.date())

    def action_goto(self) -> None:
        def chosen(day: dt.date | None) -> None:
            if day is not None:
                self.select_day(day)

        self.app.push_screen(DateDialog(self.day or self._now.date(), self._now.date()), chosen)

    def action_mode(self, mode: str) -> None:
        if mode not in MODES or mode == self.mode:
            return
        index = self.selected()
        self.mode = mode
        self.query_one("#calendar-modes", ContentSwitcher).current = f"calendar-{mode}"
        if mode == "agenda" and index is not None:
            self.select_post(index)
        elif mode == "agenda" and self.day is not None:
            self.select_day(self.day)
        self.redraw()
        self.focus_default()

    # -- the agenda's sort and filter ------------------------------------------------------

    def action_sort(self) -> None:
        """The same sort the other way, or (when it is already descending) the next sort, ascending."""
        index = self.selected()
        if self.descending:
            self.sort, self.descending = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)], False
        else:
            self.descending = True
        self._rows = None
        if index is not None:
            self.select_post(index)
        self.redraw()

    def action_filter(self) -> None:
        field = self.query_one("#calendar-filter", Input)
        field.display = True
        field.focus()
        self.update_bindings()

    def action_clear_filter(self) -> None:
        field = self.query_one("#calendar-filter", Input)
        field.value = ""
        field.display = False
        self._set_filter("")
        self.focus_default()

    @on(Input.Changed, "#calendar-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._set_filter(event.value)

    @on(Input.Submitted, "#calendar-filter")
    def _filter_done(self) -> None:
        self.focus_default()

    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            assert self._plan is not None
            self._vocabulary = Vocabulary.of(self._plan)
        return self._vocabulary

    def _set_filter(self, text: str) -> None:
        if self._plan is None:
            return
        where = PostFilter.parse(text, self.vocabulary())
        if where == self.where and where.readings == self.where.readings:
            return
        index = self.selected()
        self.where = where
        self._rows = None
        agenda = self.query_one("#calendar-list", AgendaList)
        agenda.cursor = 0
        if index is not None and index in self.rows():
            agenda.cursor = self.rows().index(index)
        self.redraw()
        self._after_agenda_move()

    # -- editing -------------------------------------------------------------------------

    def action_add(self) -> None:
        if self._plan is None:
            return
        day = self.day or self._now.date()
        self.app.push_screen(PostForm(self._plan, None, day=day, now=self._now), self._added)

    def _added(self, fields: dict | None) -> None:
        if fields is None or self._plan is None:
            return
        ident, edit = add_post(self._plan, fields)
        self._select_next = ident
        self.request(edit)

    def action_edit(self) -> None:
        index, post = self.selected(), self.selected_post()
        if index is None or post is None or self._plan is None:
            return
        plan = self._plan

        def edited(fields: dict | None) -> None:
            if fields is None:
                return
            edit = update_post(plan, index, fields)
            if edit is None:
                self.say(f"No change to post {named(post)}")
                return
            self._select_next = post.id
            self.request(edit)

        self.app.push_screen(PostForm(plan, post, day=post.at.date(), now=self._now), edited)

    def action_delete(self) -> None:
        index, post = self.selected(), self.selected_post()
        if index is None or post is None or self._plan is None:
            return
        plan = self._plan

        def answer(choice: str | None) -> None:
            if choice == "yes":
                self.request(delete_post(plan, index))

        message = (
            f"Delete the {post.platform} post “{post_title(post)}” on {post.at:%Y-%m-%d %H:%M}? (ctrl+z undoes it)"
        )
        self.app.push_screen(confirm("Delete post", message, "Delete"), answer)

    def action_move(self, days: int) -> None:
        index, post = self.selected(), self.selected_post()
        if index is None or post is None or self._plan is None:
            return
        try:
            edit = move_post(self._plan, index, days)
        except OverflowError:
            self.say("That date is out of range.", error=True)
            return
        self._select_next = post.id
        self.request(edit)

    def action_next_status(self) -> None:
        """Move the selected post on to its next status: one edit, undone with ctrl+z."""
        index, post = self.selected(), self.selected_post()
        if index is None or post is None or self._plan is None:
            return
        edit = advance_status(self._plan, index)
        if edit is None:
            self.say(f"“{post_title(post)}” is published, the last status; enter opens the form to change it.")
            return
        self._select_next = post.id
        self.request(edit)

    def action_duplicate(self) -> None:
        index, post = self.selected(), self.selected_post()
        if index is None or post is None or self._plan is None:
            return
        plan = self._plan
        others = [choice for choice in plan.platforms if choice.name != post.platform]
        if not others:
            self.say("No other chosen platform to copy it to: choose platforms in view 3.", error=True)
            return
        rules = builtin_platforms()
        labels = [(c.name, c.label or (rules[c.name].label if c.name in rules else c.name)) for c in others]

        def chosen(names: list[str] | None) -> None:
            if names:
                copies, edit = duplicate_post(plan, index, names, self._now)
                self._select_next = post.id
                self.request(edit)
                for copy in copies:  # said at once, not only when the checks come back
                    if over := over_limits(plan, copy):
                        counts = ", ".join(f"{count.what} {count.used}/{count.limit}" for count in over)
                        label = next(label for name, label in labels if name == copy.platform)
                        self.app.notify(
                            f"The copy on {label} is over its limits: {counts}; shorten it in the post editor.",
                            title="Over the limit",
                            severity="warning",
                            timeout=8,
                            markup=False,
                        )

        self.app.push_screen(PlatformsDialog(f"Copy “{post_title(post)}” to", labels), chosen)

    def action_approve(self) -> None:
        """Approve the selected post as it is now (who: the approver setting, else git config user.name)."""
        index, post = self.selected(), self.selected_post()
        if index is not None and post is not None:
            self._select_next = post.id
            self.post_message(ApprovalRequested(index, post.id))

    def action_history(self) -> None:
        """The selected post's changes, commit by commit (in git)."""
        post = self.selected_post()
        if post is not None:
            self.post_message(HistoryRequested(post.id, f"{post.platform} {post.format} {named(post)} ({post.id})"))

    def action_shift(self) -> None:
        """Shift posts by days or weeks (all, from a date on, or one platform's), as one undoable edit."""
        if self._plan is not None:
            self.app.push_screen(ShiftDialog(self._plan), self._shift)

    def _shift(self, request: ShiftRequest | None) -> None:
        if request is None or self._plan is None:
            return
        try:
            shift = shift_posts(self._plan, request.days, since=request.since, platform=request.platform)
        except EditError as error:
            self.say(f"Not shifted: {error.message}", error=True)
            return
        if shift.edit is None:
            self.say("No posts to shift: none matches.")
            return
        self.post_message(EditRequested(shift.edit, note="\n".join(shift.findings())))
