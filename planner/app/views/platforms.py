"""View 3: the platforms, which of them the campaign uses, and each one's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from planner import textsafe
from planner.app.calendar.days import CHANGED_MARK
from planner.app.dialogs import confirm
from planner.app.screen_text import shown
from planner.app.smm_forms import PlatformForm
from planner.app.views.base import View
from planner.git.history import Changed
from planner.plan.model import Plan, PlatformChoice
from planner.plan.problems import Problem
from planner.plan.smm_edits import choose_platform, edit_platform, platform_label, unchoose_platform
from planner.rules import text as textrules
from planner.rules.platforms import Limit, PlatformRules, builtin_platforms

NEXT_POSTS = 5  # how many of a platform's coming posts the details list


def platform_names(plan: Plan) -> list[str]:
    """Every platform the view lists: the rules data's, then the plan's custom ones."""
    names = list(builtin_platforms())
    return names + [choice.name for choice in plan.platforms if choice.name not in names]


def cut_to_one_row(text: Text) -> Table:
    """``text`` cut to one line with an ellipsis when the list is narrow."""
    line = Table.grid(expand=True)
    line.add_column(no_wrap=True, overflow="ellipsis")
    line.add_row(text)
    return line


def _grid(label_width: int = 14) -> Table:
    """Two columns: an indented label and its value, which wraps under itself."""
    grid = Table.grid(expand=True)
    grid.add_column(width=label_width, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    return grid


def _row(grid: Table, label: str, value: str | Text) -> None:
    """A row of `_grid`; plan text stays text (never markup)."""
    grid.add_row(Text("  " + label), value if isinstance(value, Text) else shown(value))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class PlatformList(OptionList):
    """The platforms; the view handles their keys."""


class PlatformsView(View):
    TITLE = "Platforms"
    EDITS = frozenset({"choose", "edit", "unchoose", "add_custom"})
    BINDINGS = [
        Binding("space", "choose", "Choose", id="platforms.choose"),
        Binding("e", "edit", "Edit", id="platforms.edit"),
        Binding("d", "unchoose", "Unchoose", id="platforms.unchoose"),  # x is the app's export
        Binding("n", "add_custom", "Custom platform", id="platforms.custom"),
    ]
    HELP_KEYS = [("enter", "Choose, or edit a chosen platform"), ("↑ ↓", "Select")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._plan: Plan | None = None
        self._now = dt.datetime.now()
        self._names: list[str] = []
        self._select_next: str | None = None  # the platform to highlight once the plan shows an edit
        self._changed: frozenset[str] | None = None  # the platforms changed since the last commit (None: not in git)

    def compose(self) -> ComposeResult:
        with Horizontal(id="platforms-body"):
            yield PlatformList(id="platforms-list")
            with VerticalScroll(id="platforms-detail") as detail:
                detail.border_title = "Details"
                yield Static(id="platforms-detail-text")

    def focus_default(self) -> None:
        self.query_one("#platforms-list", PlatformList).focus()

    # -- state -------------------------------------------------------------------------

    def selected(self) -> str | None:
        """The highlighted platform's name."""
        option_list = self.query_one("#platforms-list", PlatformList)
        if option_list.highlighted is None or not self._names:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def selection_state(self) -> dict[str, str]:
        name = self.selected()
        return {"platform": name} if name else {}

    def restore_selection(self, state: Mapping[str, str]) -> None:
        if state.get("platform"):
            self._select(state["platform"], self.query_one("#platforms-list", PlatformList).highlighted or 0)
            self._show_detail()
            self.update_bindings()

    def _chosen(self, name: str | None) -> tuple[int, PlatformChoice] | None:
        if self._plan is None or name is None:
            return None
        for index, choice in enumerate(self._plan.platforms):
            if choice.name == name:
                return index, choice
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        name = self.selected()
        if action == "choose":
            return name is not None and self._chosen(name) is None
        if action in ("edit", "unchoose"):
            return self._chosen(name) is not None
        if action == "add_custom":
            return self._plan is not None
        return True

    def binding_state(self) -> tuple:
        name = self.selected()
        return (name is not None, self._chosen(name) is not None, self._plan is not None)

    # -- showing ---------------------------------------------------------------------------

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        self._plan = plan
        self._now = now
        option_list = self.query_one("#platforms-list", PlatformList)
        current = self._select_next or self.selected()
        self._select_next = None
        position = option_list.highlighted or 0
        names = platform_names(plan)
        options = [Option(self._prompt(name), id=name) for name in names]
        if names == self._names:
            for index, option in enumerate(options):
                option_list.replace_option_prompt_at_index(index, option.prompt)
        else:
            option_list.set_options(options)
        self._names = names
        self._select(current, position)
        chosen = len(plan.platforms)
        option_list.border_title = f"Platforms · {chosen} chosen"
        self._show_detail()
        self.update_bindings()

    def show_changes(self, changed: Changed | None) -> None:
        names = changed.of("platform") if changed is not None else None
        if names != self._changed:
            self._changed = names
            if self._plan is not None:
                self.show(self._plan, [], self._now)

    def _select(self, name: str | None, position: int) -> None:
        option_list = self.query_one("#platforms-list", PlatformList)
        try:
            option_list.highlighted = option_list.get_option_index(name) if name else position
        except OptionDoesNotExist:  # a custom platform that is gone
            option_list.highlighted = min(position, option_list.option_count - 1)

    def _prompt(self, name: str) -> Table:
        found = self._chosen(name)
        choice = found[1] if found else None
        text = Text()
        text.append("[x] " if choice else "[ ] ", style="bold green" if choice else "")
        text.append(textsafe.one_line(platform_label(name, choice)), style="bold" if choice else "")
        if self._changed is not None and name in self._changed:  # changed since the last commit, as in the calendar
            text.append(f" {CHANGED_MARK}", style="bold")
        if name not in builtin_platforms():
            text.append("  custom", style="italic")
        if choice is not None:
            extra = [part for part in (choice.handle, f"{choice.cadence}/week" if choice.cadence else "") if part]
            if extra:
                text.append("  " + textsafe.one_line(" · ".join(extra)), style="dim")
        return cut_to_one_row(text)

    def _show_detail(self) -> None:
        detail = self.query_one("#platforms-detail-text", Static)
        name = self.selected()
        if name is None or self._plan is None:
            detail.update("")
            return
        detail.update(self.describe(self._plan, name, self._now))

    @staticmethod
    def describe(plan: Plan, name: str, now: dt.datetime) -> Group:
        """The details of platform ``name``: the plan's choice, its rules, its posts and competitors."""
        rules: PlatformRules | None = builtin_platforms().get(name)
        choice = plan.platform(name)
        parts: list[RenderableType] = []
        heading = Text()
        heading.append(textsafe.one_line(platform_label(name, choice)), style="bold")
        heading.append(f"  ({textsafe.one_line(name)})" if name != platform_label(name, choice) else "", style="dim")
        heading.append("  chosen" if choice else "  not chosen", style="green" if choice else "dim")
        parts.append(heading)

        if choice is not None:
            parts.append(Text("\nThe plan's choice", style="bold"))
            grid = _grid()
            _row(grid, "handle", choice.handle or "(none)")
            _row(grid, "why", choice.why or "(not said)")
            _row(grid, "cadence", _plural(choice.cadence, "post") + " a week" if choice.cadence else "no target")
            _row(grid, "best times", ", ".join(str(slot) for slot in choice.best_times) or "(none)")
            parts.append(grid)
        else:
            parts.append(Text("\nNot chosen: press space to choose it.", style="dim"))

        parts.append(Text("\nRules", style="bold"))
        grid = _grid()
        for key, label in (("text_limit", "text limit"), ("title_limit", "title limit"), ("hashtag_limit", "hashtags")):
            own = getattr(choice, key) if choice else None
            limit: Limit | None = getattr(rules, key) if rules else None
            unit = (
                f" {textrules.unit(limit.counting)}" if limit and limit.counting else ""
            )  # counted unlike the platform: say in what
            value = Text()
            if own is not None:
                value.append(f"{own:,}{unit}", style="bold")
                value.append(" (this plan)" + (f"; the rules say {limit.value:,}" if limit else ""), style="dim")
            elif limit is not None:
                value.append(f"{limit.value:,}{unit}", style="bold")
                value.append(f"  as of {limit.as_of or '?'}", style="dim")
                if limit.source:
                    value.append(f"\n{textsafe.one_line(limit.source)}", style="dim")
            else:
                value.append("none", style="dim")
            _row(grid, label, value)
        if rules is not None:
            _row(grid, "counting", rules.counting)
            _row(grid, "formats", ", ".join(rules.formats) or "any")
        parts.append(grid)
        if rules is None:
            parts.append(Text("  A custom platform: its limits are the plan's own.", style="dim"))

        posts = sorted((post for post in plan.posts if post.platform == name), key=lambda post: post.at)
        coming = [post for post in posts if post.at >= now]
        parts.append(
            Text(f"\nPosts ({len(posts)}, {len(coming)} to come)" if posts else "\nPosts: none yet", style="bold")
        )
        if coming:
            grid = _grid(20)
            for post in coming[:NEXT_POSTS]:
                _row(grid, f"{post.at:%Y-%m-%d %H:%M}", textsafe.one_line(post.title or post.id))
            if len(coming) > NEXT_POSTS:
                _row(grid, "", Text(f"… and {len(coming) - NEXT_POSTS} more", style="dim"))
            parts.append(grid)

        handles = [
            (competitor.name, dict(competitor.handles)[name])
            for competitor in plan.competitors
            if name in dict(competitor.handles)
        ]
        parts.append(Text("\nCompetitors here" if handles else "\nCompetitors here: none noted", style="bold"))
        for competitor, handle in handles:
            line = Text(f"  {textsafe.one_line(competitor)}  ")
            line.append(textsafe.one_line(handle), style="cyan")
            parts.append(line)
        return Group(*parts)

    @on(OptionList.OptionHighlighted, "#platforms-list")
    def _highlighted(self) -> None:
        self._show_detail()
        self.update_bindings()

    @on(OptionList.OptionSelected, "#platforms-list")
    async def _selected(self) -> None:
        await self.run_action(
            "choose" if self._chosen(self.selected()) is None else "edit"
        )  # as the keys do (read-only says so)

    # -- actions -----------------------------------------------------------------------------

    def action_choose(self) -> None:
        name = self.selected()
        if name is None or self._plan is None or self._chosen(name) is not None:
            return
        form = PlatformForm(self._plan, name, platform_label(name), custom=name not in builtin_platforms())
        self.app.push_screen(form, self._chose)

    def _chose(self, values: dict | None) -> None:
        if values is not None:
            self.request(choose_platform(values))

    def action_edit(self) -> None:
        found = self._chosen(self.selected())
        if found is None or self._plan is None:
            return
        index, choice = found
        plan = self._plan
        form = PlatformForm(
            plan,
            choice.name,
            platform_label(choice.name, choice),
            choice,
            custom=choice.name not in builtin_platforms(),
        )

        def edited(values: dict | None) -> None:
            if values is None:
                return
            edit = edit_platform(plan, index, values)
            if edit is None:
                self.say(f"{platform_label(choice.name, choice)}: nothing changed")
            else:
                self.request(edit)

        self.app.push_screen(form, edited)

    def action_unchoose(self) -> None:
        found = self._chosen(self.selected())
        if found is None or self._plan is None:
            return
        index, choice = found
        edit = unchoose_platform(self._plan, index)
        used = sum(post.platform == choice.name for post in self._plan.posts)
        if not used:
            self.request(edit)
            return
        label = platform_label(choice.name, choice)
        if choice.name not in builtin_platforms():
            self.say(
                f"{_plural(used, 'post')} {'uses' if used == 1 else 'use'} {label}, a custom platform: move or delete them first.",
                error=True,
            )
            return
        message = (
            f"{_plural(used, 'post')} {'uses' if used == 1 else 'use'} {label}. Unchoose it anyway? "
            "The posts stay; planner check will warn about them. (ctrl+z undoes it)"
        )
        self.app.push_screen(
            confirm(f"Unchoose {label}", message, "Unchoose"),
            lambda answer: self.request(edit) if answer == "yes" else None,
        )

    def action_add_custom(self) -> None:
        if self._plan is not None:
            self.app.push_screen(PlatformForm(self._plan, "", "", custom=True), self._added_custom)

    def _added_custom(self, values: dict | None) -> None:
        if values is None:
            return
        self._select_next = values["name"]
        self.request(choose_platform(values))
