"""The SMO checklist's edit builders (`planner.plan.smo_edits`): the edits, their labels, and what they do to a plan's data."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib

from conftest import SAMPLES

from planner.plan import smo_edits
from planner.plan.edits import AddEntry, Batch, DeleteEntry, MoveEntry, SetField, apply_to_data
from planner.plan.model import SMO_ITEMS, SmoItem
from planner.plan.schema import read_plan
from planner.words import quoted

DATA = tomllib.loads((SAMPLES / "shop-launch.toml").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 11, 20)


def items_of(data: dict) -> list[SmoItem]:
    plan, problems = read_plan(data)
    assert plan is not None, problems
    return plan.smo_items


def applied(edit) -> dict:
    data = copy.deepcopy(DATA)
    undo = apply_to_data(data, edit)
    undone = copy.deepcopy(data)
    apply_to_data(undone, undo)
    assert undone == DATA  # the edit's undo gives the data back
    return data


ITEMS = items_of(DATA)


def index_of(ident: str) -> int:
    return next(i for i, item in enumerate(ITEMS) if item.id == ident)


def test_ticking_an_open_item_sets_done_and_the_day() -> None:
    index = index_of("meta-descriptions")
    edit = smo_edits.tick(index, ITEMS[index], TODAY)
    path = (*SMO_ITEMS, index)
    assert edit == Batch(
        (SetField(path, "done", True), SetField(path, "done_on", TODAY)), f"tick {quoted(ITEMS[index].title)}"
    )
    item = items_of(applied(edit))[index]
    assert (item.done, item.done_on) == (True, TODAY)


def test_unticking_a_done_item_removes_its_day() -> None:
    index = index_of("meta-titles")
    edit = smo_edits.tick(index, ITEMS[index], TODAY)
    assert edit.label == f"untick {quoted(ITEMS[index].title)}" == "untick “Meta titles on the collection and produ…”"
    data = applied(edit)
    assert data["smo"]["items"][index]["done"] is False and "done_on" not in data["smo"]["items"][index]


def test_adding_an_item_gives_it_a_fresh_id_and_leaves_empty_fields_out() -> None:
    values = {"title": "Meta titles", "category": "on-page", "owner": "", "url": "", "notes": "check lengths"}
    edit = smo_edits.add_item(ITEMS, values)
    assert isinstance(edit, AddEntry) and edit.array == SMO_ITEMS and edit.label == "add item “Meta titles”"
    assert list(edit.value) == [
        "id",
        "title",
        "category",
        "done",
        "notes",
    ]  # the format's key order, empty fields left out
    assert edit.value["id"].startswith("meta-titles") and edit.value["id"] not in {item.id for item in ITEMS}
    added = items_of(applied(edit))[-1]
    assert (added.id, added.title, added.category, added.owner, added.notes, added.done) == (
        edit.value["id"],
        "Meta titles",
        "on-page",
        "",
        "check lengths",
        False,
    )


def test_editing_sets_only_what_changed_and_an_emptied_field_goes() -> None:
    index = index_of("keyword-research")
    item = ITEMS[index]
    values = {"title": item.title, "category": item.category, "owner": "", "url": item.url, "notes": "New notes"}
    edit = smo_edits.edit_item(index, item, values)
    path = (*SMO_ITEMS, index)
    assert edit == Batch(
        (SetField(path, "owner", None), SetField(path, "notes", "New notes")), f"edit item {quoted(item.title)}"
    )
    entry = applied(edit)["smo"]["items"][index]
    assert "owner" not in entry and entry["notes"] == "New notes"


def test_editing_nothing_is_no_edit() -> None:
    item = ITEMS[0]
    values = {"title": item.title, "category": item.category, "owner": item.owner, "url": item.url, "notes": item.notes}
    assert smo_edits.edit_item(0, item, values) is None


def test_deleting_names_the_item() -> None:
    index = index_of("og-tags")
    edit = smo_edits.delete_item(index, ITEMS[index])
    assert edit == DeleteEntry(SMO_ITEMS, index, label=f"delete item {quoted(ITEMS[index].title)}")
    assert "og-tags" not in {item.id for item in items_of(applied(edit))}


def test_moving_stays_within_the_category() -> None:
    first, second = index_of("og-tags"), index_of("pinterest-rich-pins")  # help-content-travel, one after the other
    edit = smo_edits.move_item(ITEMS, first, 1)
    assert edit == MoveEntry(SMO_ITEMS, first, second, label=f"move item {quoted(ITEMS[first].title)}")
    moved = [item.id for item in items_of(applied(edit))]
    assert moved.index("pinterest-rich-pins") < moved.index("og-tags")
    # the last on-page item moves past the other categories' items to the on-page item before it
    on_page = [i for i, item in enumerate(ITEMS) if item.category == "on-page"]
    back = smo_edits.move_item(ITEMS, on_page[-1], -1)
    assert back is not None and (back.index, back.to) == (on_page[-1], on_page[-2])


def test_the_first_or_last_in_its_group_does_not_move() -> None:
    on_page = [i for i, item in enumerate(ITEMS) if item.category == "on-page"]
    assert smo_edits.move_item(ITEMS, on_page[0], -1) is None
    assert smo_edits.move_item(ITEMS, on_page[-1], 1) is None
