"""View 2: the SMO checklist, grouped by category."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import DescendantBlur
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from planner.app.audit_screen import AuditScreen
from planner.app.calendar.days import CHANGED_MARK
from planner.app.dialogs import TargetDialog, confirm
from planner.app.forms import SmoItemForm
from planner.app.screen_text import SafeInput
from planner.app.views.base import View
from planner.errors import EditError
from planner.git.history import Changed
from planner.plan import smo_edits
from planner.plan.edits import Edit
from planner.plan.model import Plan, SmoItem
from planner.plan.phases import Offer, smo_due_change
from planner.plan.problems import Problem
from planner.rules.slots import date_or_none
from planner.textsafe import for_terminal, one_line

GROUP = "group:"


def matches(item: SmoItem, needle: str) -> bool:
    needle = needle.casefold()
    return any(
        needle in field.casefold() for field in (item.title, item.owner, item.category, item.notes, item.url, item.id)
    )


class ChecklistList(OptionList):
    """The checklist itself; the view handles its keys."""


class ChecklistView(View):
    TITLE = "SMO checklist"
    EDITS = frozenset({"tick", "add", "edit", "delete", "move", "focus_due"})
    BINDINGS = [
        Binding("space", "tick", "Tick", id="smo.toggle"),
        Binding("a", "add", "Add", id="smo.add"),
        Binding("e", "edit", "Edit", id="smo.edit"),
        Binding("d", "delete", "Delete", id="smo.delete"),
        Binding("shift+up", "move(-1)", "Move up", id="smo.move_up", show=False),
        Binding("shift+down", "move(1)", "Move down", id="smo.move_down", show=False),
        Binding("slash", "filter", "Filter", id="smo.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="smo.clear_filter", show=False),
        Binding("u", "audit", "Audit", id="smo.audit"),
        Binding("t", "focus_due", "Due date", id="smo.due", show=False),
    ]

    HELP_KEYS = [("enter", "Edit the selected item"), ("↑ ↓", "Select")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._plan: Plan | None = None
        self._now = dt.datetime.now()
        self._filter = ""
        self._rows: list[
            tuple[str, tuple[SmoItem, bool] | tuple[str, int, int]]
        ] = []  # the options shown: (id, what the prompt shows)
        self._shown_due = ""  # the due date the field last showed from the plan
        self._select_next: str | None = None  # the item to highlight once the plan shows an edit
        self._audit_target = ""  # what the last audit read, offered again
        self._changed: frozenset[str] | None = None  # the items changed since the last commit (None: not in git)

    def compose(self) -> ComposeResult:
        with Horizontal(id="smo-bar"):
            yield Label("SMO due", classes="field-label")
            yield SafeInput(id="smo-due", placeholder="YYYY-MM-DD", compact=True)
            yield Static("", id="smo-due-error", classes="field-error")
            yield SafeInput(id="smo-filter", placeholder="filter by text, owner or category; esc clears", compact=True)
        with Horizontal(id="smo-body"):
            yield ChecklistList(id="smo-list")
            with VerticalScroll(id="smo-detail") as detail:
                detail.border_title = "Details"
                yield Static(id="smo-detail-text")

    def on_mount(self) -> None:
        self.query_one("#smo-filter", Input).display = False

    def focus_default(self) -> None:
        self.query_one("#smo-list", ChecklistList).focus()

    # -- state -------------------------------------------------------------------

    @property
    def items(self) -> list[SmoItem]:
        return self._plan.smo_items if self._plan else []

    def selected(self) -> tuple[int, SmoItem] | None:
        """The highlighted item and its index in ``[[smo.items]]``."""
        option_list = self.query_one("#smo-list", ChecklistList)
        if option_list.highlighted is None:
            return None
        option_id = option_list.get_option_at_index(option_list.highlighted).id or ""
        for index, item in enumerate(self.items):
            if item.id == option_id:
                return index, item
        return None

    def selection_state(self) -> dict[str, str]:
        current = self.selected()
        return {"item": current[1].id} if current is not None else {}

    def restore_selection(self, state: Mapping[str, str]) -> None:
        if state.get("item"):
            self._highlight(state["item"])
            self._show_detail()
            self.update_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("tick", "edit", "delete", "move"):
            return self.selected() is not None
        if action == "audit":
            return self._plan is not None
        if action == "clear_filter":
            return bool(self._filter) or self.query_one("#smo-filter", Input).display
        return True

    def binding_state(self) -> tuple:
        return (self.selected() is not None, bool(self._filter) or self.query_one("#smo-filter", Input).display)

    # -- showing -----------------------------------------------------------------

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        self._plan = plan
        self._now = now
        due = self.query_one("#smo-due", Input)
        value = str(plan.smo_due)
        typing = due.has_focus and due.value != self._shown_due
        if not typing and due.value != value:
            due.value = value
            self.query_one("#smo-due-error", Static).update("")
        self._shown_due = value
        self._rebuild()

    def _rebuild(self) -> None:
        option_list = self.query_one("#smo-list", ChecklistList)
        groups: dict[str, list[SmoItem]] = {}
        for item in self.items:
            groups.setdefault(item.category or "(no category)", []).append(item)
        rows: list[tuple[str, tuple[SmoItem, bool] | tuple[str, int, int]]] = []  # (option id, what its prompt shows)
        for name, members in groups.items():
            shown = [item for item in members if not self._filter or matches(item, self._filter)]
            if shown:
                rows.append((f"{GROUP}{name}", (name, sum(item.done for item in members), len(members))))
                rows.extend((item.id, (item, self._changed is not None and item.id in self._changed)) for item in shown)
        wanted, self._select_next = self._select_next, None
        position = option_list.highlighted
        current = option_list.get_option_at_index(position).id if position is not None else None
        if rows and [row_id for row_id, _ in rows] == [row_id for row_id, _ in self._rows]:
            # The same options in the same order: redraw only those that changed (a tick, an edit).
            for index, (row, old) in enumerate(zip(rows, self._rows)):
                if row[1] != old[1]:
                    option_list.replace_option_prompt_at_index(index, self._prompt(row[1]))
        else:
            options = [
                Option(self._prompt(what), id=row_id, disabled=row_id.startswith(GROUP)) for row_id, what in rows
            ]
            if not options:
                options.append(
                    Option(
                        Text("No items match." if self._filter else "No items yet: press a to add one.", style="dim"),
                        disabled=True,
                    )
                )
            option_list.set_options(options)
        self._rows = rows
        self._highlight(wanted, current, position=position or 0)
        self._show_detail()
        self.update_bindings()

    def show_changes(self, changed: Changed | None) -> None:
        ids = changed.of("item") if changed is not None else None
        if ids != self._changed:
            self._changed = ids
            if self._plan is not None:
                self._rebuild()

    def _prompt(self, what: tuple[SmoItem, bool] | tuple[str, int, int]) -> Table | Text:
        if isinstance(what, tuple) and isinstance(what[0], SmoItem):
            return self._item_label(*what)
        name, done, total = what  # a group's header
        return Text.assemble((one_line(name), "bold"), f"  {done}/{total}")

    @staticmethod
    def _item_label(item: SmoItem, uncommitted: bool = False) -> Table:
        """``[x] title  done_on  @owner``; a long title wraps under itself, not under the box; ``*`` before the box: changed since the last commit."""
        text = Text()
        text.append(one_line(item.title), style="dim" if item.done else "")
        if item.done and item.done_on:
            text.append(f"  {item.done_on}", style="green")
        if item.owner:
            text.append(f"  @{one_line(item.owner)}", style="cyan")
        label = Table.grid(padding=(0, 1), expand=True)
        label.add_column(width=5, no_wrap=True)
        label.add_column(ratio=1)
        box = Text("  [x]" if item.done else "  [ ]", style="bold green" if item.done else "")
        if uncommitted:
            box = Text.assemble((CHANGED_MARK, "bold"), box[1:])
        label.add_row(box, text)
        return label

    def _highlight(self, *item_ids: str | None, position: int = 0) -> None:
        """Highlight the first of ``item_ids`` that is shown, else the item nearest ``position``."""
        option_list = self.query_one("#smo-list", ChecklistList)
        for item_id in item_ids:
            if item_id is None or item_id.startswith(GROUP):
                continue
            try:
                option_list.highlighted = option_list.get_option_index(item_id)
                return
            except OptionDoesNotExist:  # filtered out or gone
                pass
        count = option_list.option_count
        start = max(0, min(position, count - 1))
        order = [*range(start, count), *range(start - 1, -1, -1)]
        for index in order:
            if not option_list.get_option_at_index(index).disabled:
                option_list.highlighted = index
                return
        option_list.highlighted = None

    def _show_detail(self) -> None:
        current = self.selected()
        detail = self.query_one("#smo-detail-text", Static)
        if current is None:
            detail.update("")
            return
        item = current[1]
        text = Text()
        text.append(one_line(item.title) + "\n", style="bold")
        text.append(
            ("done on " + str(item.done_on) if item.done_on else "done") if item.done else "not done",
            style="green" if item.done else "",
        )
        text.append(f"\ncategory: {one_line(item.category) or '(none)'}\n")
        if item.owner:
            text.append(f"owner: {one_line(item.owner)}\n")
        if item.url:
            text.append(f"url: {one_line(item.url)}\n")
        text.append(f"id: {one_line(item.id)}\n", style="dim")
        if item.notes:
            text.append("\n" + for_terminal(item.notes))
        detail.update(text)

    @on(OptionList.OptionHighlighted, "#smo-list")
    def _highlighted(self) -> None:
        self._show_detail()
        self.update_bindings()

    @on(OptionList.OptionSelected, "#smo-list")
    async def _selected(self) -> None:
        await self.run_action("edit")  # as e does (a plan open read-only says so)

    # -- actions -------------------------------------------------------------------

    def action_tick(self) -> None:
        current = self.selected()
        if current is None or self._plan is None:
            return
        index, item = current
        self.request(smo_edits.tick(index, item, self._now.date()))

    def action_add(self) -> None:
        current = self.selected()  # a new item goes in the selected item's group
        self.app.push_screen(SmoItemForm(None, self._categories(), current[1].category if current else ""), self._added)

    def _added(self, values: dict | None) -> None:
        if values is None or self._plan is None:
            return
        edit = smo_edits.add_item(self.items, values)
        self._select_next = edit.value["id"]
        self.request(edit)

    def action_edit(self) -> None:
        current = self.selected()
        if current is not None:
            index, item = current
            self.app.push_screen(
                SmoItemForm(item, self._categories()), lambda values: self._edited(index, item, values)
            )

    def _edited(self, index: int, item: SmoItem, values: dict | None) -> None:
        if values is None:
            return
        edit = smo_edits.edit_item(index, item, values)
        if edit is not None:
            self.request(edit)

    def action_delete(self) -> None:
        current = self.selected()
        if current is None:
            return
        index, item = current

        def answer(choice: str | None) -> None:
            if choice == "yes":
                self.request(smo_edits.delete_item(index, item))

        self.app.push_screen(confirm("Delete item", f"Delete “{item.title}”? (ctrl+z undoes it)", "Delete"), answer)

    def action_move(self, step: int) -> None:
        current = self.selected()
        if current is None:
            return
        index, item = current
        edit = smo_edits.move_item(self.items, index, step)
        if edit is None:
            self.say(f"{item.title} is already the {'first' if step < 0 else 'last'} in its group")
            return
        self._select_next = item.id
        self.request(edit)

    def action_filter(self) -> None:
        field = self.query_one("#smo-filter", Input)
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#smo-filter", Input)
        field.value = ""
        field.display = False
        self._filter = ""
        self._rebuild()
        self.focus_default()

    def action_audit(self) -> None:
        """Ask what to audit, run the audit, and tick the linked items the user chooses to."""
        if self._plan is None:
            return
        hint = "A page (.html), a folder of built pages (every *.html below it), or an http(s):// URL."

        def chosen(target: object) -> None:
            if isinstance(target, str) and self._plan is not None:
                self._audit_target = target
                self.app.push_screen(AuditScreen(self._plan, target, self._now.date()), self._audited)

        self.app.push_screen(TargetDialog("Audit the site", self._audit_target, hint), chosen)

    def _audited(self, edit: Edit | None) -> None:
        if edit is not None:
            self.request(edit)

    def action_focus_due(self) -> None:
        self.query_one("#smo-due", Input).focus()

    def _categories(self) -> list[str]:
        return list(dict.fromkeys(item.category for item in self.items if item.category))

    # -- the filter and the due date -------------------------------------------------

    @on(Input.Changed, "#smo-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value.strip()
        self._rebuild()

    @on(Input.Submitted, "#smo-filter")
    def _filter_done(self) -> None:
        self.focus_default()

    @on(Input.Submitted, "#smo-due")
    def _due_submitted(self) -> None:
        self._commit_due()
        self.focus_default()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if getattr(event.widget, "id", None) == "smo-due":
            self._commit_due()

    def pending_offer(self) -> Offer | None:
        focused = self.screen.focused
        return self._due_change() if focused is not None and focused.id == "smo-due" else None

    def _commit_due(self) -> None:
        if self.asking:
            return  # the question about the due date is open
        offer = self._due_change()
        if offer is not None:
            self.ask(offer)

    def declined(self) -> None:
        """The new due date was cancelled: the field shows the plan's again."""
        self.query_one("#smo-due", Input).value = self._shown_due
        self.query_one("#smo-due-error", Static).update("")

    def _due_change(self) -> Offer | None:
        """What the typed due date asks (moving the SMM start with it), or None (unchanged, or not a date: the field says so)."""
        if self._plan is None:
            return None
        date = date_or_none(self.query_one("#smo-due", Input).value)
        error = self.query_one("#smo-due-error", Static)
        if date is None:
            error.update("Write a date as YYYY-MM-DD.")
            return None
        try:
            offer = smo_due_change(self._plan, date)
        except EditError as refused:
            error.update(Text(refused.message))
            return None
        error.update("")
        return offer
