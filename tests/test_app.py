"""The app, driven with Textual's Pilot: every interaction of the shell, the overview and the SMO checklist.

Each editing test saves and compares the file on bytes: only the edited
lines change and the comments stay where they were.
"""

from __future__ import annotations

import contextlib
import difflib
import subprocess
import time
import tomllib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, TextArea

from planner.app.dialogs import ChoiceDialog, PathDialog
from planner.app.forms import SmoItemForm
from planner.app.help import HelpScreen
from planner.app.load_error import LoadErrorScreen
from planner.app.main import PlannerApp, make_app
from planner.settings import Settings, load_settings

NOON = datetime(2027, 3, 10, 12, tzinfo=UTC)
ORIGINAL_IDS = [
    "keyword-research",
    "meta-titles",
    "meta-descriptions",
    "og-tags",
    "pinterest-rich-pins",
    "share-buttons",
    "image-alt-text",
    "mobile-friendly",
    "care-guide",
    "stockist-links",
    "follow-links",
    "ugc-reposts",
]


# -- helpers -------------------------------------------------------------------------


async def settle(app: PlannerApp, pilot) -> None:
    """Wait until loading, checking and saving workers are done and their results are shown."""
    for _ in range(10):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running or worker.state.name == "PENDING" for worker in app.workers):
            break


@contextlib.asynccontextmanager
async def running(
    path: Path, size: tuple[int, int] = (100, 40), clock=lambda: NOON
) -> AsyncIterator[tuple[PlannerApp, object]]:
    app = make_app(path, Settings(), clock=clock)
    app.animation_level = "none"  # the pilot waits for every animation to end
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


def screen_text(app: PlannerApp) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def status(app: PlannerApp) -> str:
    return str(app.query_one("#status-line").content)


def unsaved(app: PlannerApp) -> bool:
    return "● unsaved" in app.sub_title


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """The lines removed from and added to ``before`` to make ``after``."""
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    lines = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return [line[1:] for line in lines if line[0] == "-"], [line[1:] for line in lines if line[0] == "+"]


def comments(data: bytes) -> list[str]:
    return [
        line[line.index("#") :] for line in data.decode().splitlines() if line.lstrip().startswith("#") or "  #" in line
    ]


def items(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text("utf-8"))["smo"]["items"]


async def save(app: PlannerApp, pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert status(app) == "Saved shop-launch.toml"
    assert not unsaved(app)


async def to_list(app: PlannerApp, pilot, key: str, list_id: str, option_id: str | None = None) -> OptionList:
    """Press a view's ``key``; its list (``list_id``) has the focus; highlight ``option_id`` if given."""
    await pilot.press(key)
    await pilot.pause()
    option_list = app.query_one(f"#{list_id}", OptionList)
    assert app.focused is option_list
    if option_id is not None:
        option_list.highlighted = option_list.get_option_index(option_id)
        await pilot.pause()
    return option_list


async def to_checklist(app: PlannerApp, pilot, item_id: str | None = None) -> OptionList:
    return await to_list(app, pilot, "2", "smo-list", item_id)


def shown_ids(option_list: OptionList) -> list[str]:
    ids = (option_list.get_option_at_index(i).id for i in range(option_list.option_count))
    return [i for i in ids if i and not i.startswith("group:")]


def highlighted_id(option_list: OptionList) -> str | None:
    assert option_list.highlighted is not None
    return option_list.get_option_at_index(option_list.highlighted).id


def detail(app: PlannerApp) -> str:
    return str(app.query_one("#smo-detail-text").content)


def group_header(option_list: OptionList, category: str) -> str:
    return str(option_list.get_option(f"group:{category}").prompt)


async def fill(pilot, field: Input, text: str) -> None:
    """Focus ``field`` and put ``text`` in it, as if typed (typing key by key costs the pilot 60 ms a key).

    The next key press lets the app see it; `pilot.pause()` does too.
    """
    field.focus()
    field.value = text
    field.cursor_position = len(text)


# -- opening and showing ---------------------------------------------------------------


async def test_opens_the_plan_and_shows_the_overview(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        assert app.title == "Tide collection launch"
        assert app.sub_title == "shop-launch.toml"  # relative to the current folder, nothing unsaved
        assert status(app) == "Opened shop-launch.toml"
        text = screen_text(app)
        assert "Tide collection launch — shop-launch.toml" in text
        assert "SMO checklist  5 of 12 done" in text
        assert "42%" in text  # the progress bar
        assert "on-page                   3/5" in text  # per category
        assert "help-content-travel       0/2" in text
        assert "SMO due  2027-03-14 (in 4 days)" in text
        assert "SMM starts  2027-03-15" in text
        assert "Posts  idea 6  draft 4  review 3  approved 4" in text
        next_posts = str(app.query_one("#next-posts").content)  # below the warnings: the panel scrolls at 100x40
        assert "2027-03-16 19:00  instagram Teaser: first kiln" in next_posts  # the first of the next five posts
        assert "2027-03-21 10:00  instagram Countdown sticker" in next_posts  # the fifth
        assert "Warnings (1)" in text
        assert "line 15: SMM starts in 5 days (2027-03-15) and 7 SMO items are still open:" in str(
            app.query_one("#warnings").content
        )
        assert app.query_one("#campaign-name", Input).value == "Tide collection launch"
        assert app.query_one("#campaign-objective", TextArea).text.startswith("Sell out the first batch")
        assert "e Edit campaign" in text and "^q Quit" in text and "^s Save" in text and "? Help" in text  # the footer
        assert "^z Undo" not in text  # nothing to undo yet: not offered

        for key, name, words in (
            ("3", "platforms", "Platforms · 3 chosen"),
            ("4", "calendar", "March 2027"),
            ("5", "competitors", "Competitors · 2"),
        ):
            await pilot.press(key)
            assert app.current_view == name
            text = screen_text(app)
            assert words in text and "comes with the SMM phase" not in text
        await pilot.press("2")
        assert app.current_view == "smo"
        await pilot.press("1")
        assert app.current_view == "overview"
        await pilot.press("ctrl+q")  # nothing unsaved: no question
    assert app.return_code == 0


async def test_the_overview_lists_the_checks_warnings_and_saving_without_edits_keeps_the_bytes(plan: Path) -> None:
    text = plan.read_text("utf-8").replace("due = 2027-03-14", "due = 2027-02-14")
    plan.write_text(text, "utf-8")
    before = plan.read_bytes()
    late = lambda: datetime(2027, 3, 20, 12, tzinfo=UTC)  # noqa: E731
    async with running(plan, clock=late) as (app, pilot):
        assert app.current_view == "today"  # the week has posts: the app opens on Today
        await pilot.press("1")
        warnings = str(app.query_one("#warnings").content)
        assert warnings.startswith("Warnings (5)\n")
        assert "line 15: the SMO due date 2027-02-14 is outside the campaign (2027-03-01 to 2027-04-04)\n" in warnings
        assert "SMO due  2027-02-14 (34 days ago)" in screen_text(app)
        await save(app, pilot)
    assert plan.read_bytes() == before


async def test_plan_text_is_shown_literally_not_as_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "markup.toml"
    path.write_text(
        'schema = 1\n[campaign]\nname = "[bold]Sale[/] [link=x]"\ntimezone = "UTC"\n'
        "start = 2027-01-04\nend = 2027-02-01\n[smo]\ndue = 2027-01-08\n"
        '[[smo.items]]\nid = "a"\ntitle = "[red]Red[/red] [@click=app.quit]"\ncategory = "[i]cat"\n'
        'owner = "[b]me"\nnotes = "[link=https://x]notes[/link]"\n',
        encoding="utf-8",
    )
    async with running(path) as (app, pilot):
        assert app.title == "[bold]Sale[/] [link=x]"
        assert "[bold]Sale[/] [link=x] — markup.toml" in screen_text(app)
        assert app.query_one("#campaign-name", Input).value == "[bold]Sale[/] [link=x]"
        assert "[i]cat" in screen_text(app)
        option_list = await to_checklist(app, pilot)
        text = screen_text(app)
        assert "[ ] [red]Red[/red] [@click=app.quit]  @[b]me" in text
        assert "[i]cat  0/1" in text
        assert "[link=https://x]notes[/link]" in detail(app)
        assert highlighted_id(option_list) == "a"
        await pilot.press("space")
        assert status(app) == "Tick “[red]Red[/red] [@click=app.quit]”"  # the title, as typed
        assert app.is_running


# -- the SMO checklist -------------------------------------------------------------------


async def test_the_checklist_is_grouped_with_counts_and_shows_the_selected_items_details(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot)
        assert highlighted_id(option_list) == "keyword-research"
        assert group_header(option_list, "on-page") == "on-page  3/5"
        assert group_header(option_list, "help-content-travel") == "help-content-travel  0/2"
        # Items appear in their group, in file order.
        assert shown_ids(option_list)[:5] == [
            "keyword-research",
            "meta-titles",
            "meta-descriptions",
            "image-alt-text",
            "mobile-friendly",
        ]
        text = screen_text(app)
        assert "[x] Keywords for the collection pages" in text and "2026-11-09" in text  # ticked, with done_on
        assert "[ ] Meta descriptions" in text
        assert "Top phrases: 'handmade stoneware plates'" in detail(app)  # the notes beside the list
        assert "space Tick" in text and "a Add" in text and "d Delete" in text and "/ Filter" in text  # the footer
        await pilot.press("down", "down")
        assert highlighted_id(option_list) == "meta-descriptions"
        assert "url: https://kilnandco.example/collections/tide" in detail(app)
        assert "not done" in detail(app)


async def test_the_editable_tree_is_built_once_after_the_first_edit_and_a_quick_save_waits_for_it(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tomlkit tree costs seconds and memory on a large plan: not on opening, only for saving.
    import planner.plan.document as document_module

    built: list[str] = []
    real_init = document_module.Document.__init__

    def slow_init(self, text: str) -> None:
        time.sleep(0.3)  # a large plan: the save below starts while this runs
        real_init(self, text)
        built.append(text)

    monkeypatch.setattr(document_module.Document, "__init__", slow_init)
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await settle(app, pilot)
        assert built == [] and app.plan_file._document is None
        await pilot.press("space", "ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"
        assert len(built) == 1  # the save waited for the tree being built instead of building another
    removed, added = changed_lines(before, plan.read_bytes())
    assert removed == ["done = false"]
    assert added[0] == "done = true"


async def test_space_ticks_with_todays_date_in_the_campaign_zone_unticks_and_undoes(plan: Path) -> None:
    before = plan.read_bytes()
    late_evening_utc = lambda: datetime(2027, 3, 10, 23, 30, tzinfo=UTC)  # already 11 March in Berlin  # noqa: E731
    async with running(plan, clock=late_evening_utc) as (app, pilot):
        option_list = await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        assert status(app) == "Tick “Meta descriptions that mention 'handmad…”"
        assert unsaved(app)
        assert group_header(option_list, "on-page") == "on-page  4/5"
        assert "done on 2027-03-11" in detail(app)
        assert highlighted_id(option_list) == "meta-descriptions"
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert removed == ["done = false"]
        assert added == ["done = true", "done_on = 2027-03-11"]
        assert comments(plan.read_bytes()) == comments(before)

        await pilot.press("space")
        assert status(app) == "Untick “Meta descriptions that mention 'handmad…”"
        assert "not done" in detail(app)
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: untick “Meta descriptions that mention 'handmad…”"
        assert not unsaved(app)  # back to what was saved
        assert "done on 2027-03-11" in detail(app)
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: untick “Meta descriptions that mention 'handmad…”"
        assert unsaved(app)
        await save(app, pilot)
    assert plan.read_bytes() == before


async def test_a_adds_an_item_through_the_form_and_undo_removes_it(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot, "care-guide")
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, SmoItemForm)
        await pilot.press("ctrl+s")  # a title is needed
        assert app.screen is form
        assert str(form.query_one("#error").content) == "The item needs a title."
        await pilot.press("x", "escape")  # escape cancels
        assert not isinstance(app.screen, SmoItemForm)
        assert not unsaved(app) and app.check_action("undo", ()) is False

        await pilot.press("a")
        form = app.screen
        assert form.focused is form.query_one("#title")
        await pilot.press(*"Kit")
        category = form.query_one("#category", Input)
        assert category.value == "increase-linkability"  # the selected item's group
        await fill(pilot, category, "")
        await pilot.press(*"enc", "right")  # the existing categories are offered as completions
        assert category.value == "encourage-mashup"
        await fill(pilot, form.query_one("#owner", Input), "lena")
        await fill(pilot, form.query_one("#url", Input), "https://kilnandco.example/press")
        form.query_one("#notes", TextArea).focus()
        await pilot.press(*"Ph", "enter", *"Qu")  # enter is a new line in the notes
        await pilot.press("ctrl+s")
        assert app.screen is not form
        assert status(app) == "Add item “Kit”"
        assert highlighted_id(option_list) == "kit"
        assert group_header(option_list, "encourage-mashup") == "encourage-mashup  0/2"
        assert "Ph\nQu" in detail(app)
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert removed == []
        assert added == [
            "",
            "[[smo.items]]",
            'id = "kit"',
            'title = "Kit"',
            'category = "encourage-mashup"',
            "done = false",
            'owner = "lena"',
            'url = "https://kilnandco.example/press"',
            'notes = """Ph',
            'Qu"""',
        ]
        assert comments(plan.read_bytes()) == comments(before)

        await pilot.press("ctrl+z")
        assert status(app) == "Undid: add item “Kit”"
        assert "kit" not in shown_ids(option_list)
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: add item “Kit”"
        assert "kit" in shown_ids(option_list)


async def test_enter_or_e_edit_an_item_in_the_form_with_multi_line_notes(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot, "meta-titles")
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, SmoItemForm)
        assert form.query_one("#title", Input).value == "Meta titles on the collection and product pages"
        assert form.query_one("#owner", Input).value == "jonas"
        await fill(pilot, form.query_one("#title", Input), "Meta titles on every page")
        await fill(pilot, form.query_one("#owner", Input), "")
        await pilot.press("ctrl+s")
        assert status(app) == "Edit item “Meta titles on the collection and produ…”"
        assert highlighted_id(option_list) == "meta-titles"
        assert "Meta titles on every page" in detail(app)
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert removed == [
            'title = "Meta titles on the collection and product pages"',
            'owner = "jonas"',
        ]  # an emptied field goes
        assert added == ['title = "Meta titles on every page"']
        before, items_before = plan.read_bytes(), items(plan)

        option_list.highlighted = option_list.get_option_index("ugc-reposts")
        await pilot.press("e")
        notes = app.screen.query_one("#notes", TextArea)
        assert notes.text.startswith("Ask on the packing slip")
        notes.focus()
        notes.move_cursor(notes.document.end)
        await pilot.press("enter", *"C.", "ctrl+s")
        assert status(app) == "Edit item “Customer photo gallery on the collectio…”"
        assert detail(app).endswith("Get written OK in DMs before we repost anything.\n\nC.")
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: edit item “Customer photo gallery on the collectio…”"
        assert detail(app).endswith("before we repost anything.\n")
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: edit item “Customer photo gallery on the collectio…”"
        await save(app, pilot)
    after = plan.read_bytes()
    assert items(plan)[-1]["notes"] == items_before[-1]["notes"] + "\nC."
    # Only the lines of the notes value changed.
    start = before.index(b'notes = """\nAsk on the packing slip')
    end = before.index(b'"""\n', start + 12) + 4
    assert after.startswith(before[:start]) and after.endswith(before[end:])
    assert comments(after) == comments(before)


async def test_d_deletes_an_item_after_confirmation_and_undo_brings_it_back(plan: Path) -> None:
    """While the dialog is open nothing else changes the plan (the dialog's item could move)."""
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot, "meta-titles")
        await pilot.press("d")
        assert isinstance(app.screen, ChoiceDialog)
        assert "Delete “Meta titles on the collection and product pages”?" in screen_text(app)
        await pilot.press("ctrl+z", "ctrl+s", "3")  # would change the plan the dialog asks about: not now
        assert (
            isinstance(app.screen, ChoiceDialog)
            and app.current_view == "smo"
            and status(app) == "Opened shop-launch.toml"
        )
        await pilot.click("#choice-yes")
        assert status(app) == "Delete item “Meta titles on the collection and produ…”"
        assert "meta-titles" not in shown_ids(option_list)
        assert group_header(option_list, "on-page") == "on-page  2/4"
        assert highlighted_id(option_list) == "meta-descriptions"  # the next item
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert added == []
        assert removed == [
            "",
            "[[smo.items]]",
            'id = "meta-titles"',
            'title = "Meta titles on the collection and product pages"',
            'category = "on-page"',
            "done = true",
            "done_on = 2026-11-16",
            'owner = "jonas"',
            'audit = "title"',
        ]

        await pilot.press("ctrl+z")
        assert status(app) == "Undid: delete item “Meta titles on the collection and produ…”"
        assert "meta-titles" in shown_ids(option_list)
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: delete item “Meta titles on the collection and produ…”"
        assert "meta-titles" not in shown_ids(option_list)
        await pilot.press("ctrl+z")
        await save(app, pilot)
    assert plan.read_bytes() == before


async def test_deleting_can_be_cancelled_and_the_comment_below_the_last_item_stays(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot, "ugc-reposts")
        for key in ("enter", "escape"):  # enter presses Cancel, which has the focus
            await pilot.press("d")
            assert isinstance(app.screen, ChoiceDialog)
            await pilot.press(key)
            assert not isinstance(app.screen, ChoiceDialog)
            assert "ugc-reposts" in shown_ids(option_list)
            assert not unsaved(app)
            assert app.focused is option_list
        await pilot.press("d", "tab", "enter")  # from Cancel to Delete
        assert status(app) == "Delete item “Customer photo gallery on the collectio…”"
        await save(app, pilot)
    assert comments(plan.read_bytes()) == comments(before)
    assert [item["id"] for item in items(plan)] == ORIGINAL_IDS[:-1]


async def test_shift_up_and_down_move_an_item_within_its_group_and_stop_at_its_edge(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot, "keyword-research")
        order = shown_ids(option_list)
        await pilot.press("shift+up")
        assert (
            status(app)
            == "Keywords for the collection pages (handmade plates, stoneware dinner set, ...) is already the first in its group"
        )
        option_list.highlighted = option_list.get_option_index("share-buttons")  # alone in its group
        await pilot.press("shift+down")
        assert status(app) == "Pin-it and share buttons on product pages is already the last in its group"
        assert shown_ids(option_list) == order
        assert not unsaved(app)

        option_list.highlighted = option_list.get_option_index("image-alt-text")
        await pilot.press("shift+up")  # past the items of other groups in the file, before meta-descriptions
        assert status(app) == "Move item “Alt text on all product photos”"
        assert shown_ids(option_list)[:5] == [
            "keyword-research",
            "meta-titles",
            "image-alt-text",
            "meta-descriptions",
            "mobile-friendly",
        ]
        assert highlighted_id(option_list) == "image-alt-text"
        await save(app, pilot)
        ids = [item["id"] for item in items(plan)]
        assert ids == [
            "keyword-research",
            "meta-titles",
            "image-alt-text",
            "meta-descriptions",
            "og-tags",
            "pinterest-rich-pins",
            "share-buttons",
            *ORIGINAL_IDS[7:],
        ]
        removed, added = changed_lines(before, plan.read_bytes())
        moved = [
            "[[smo.items]]",
            'id = "image-alt-text"',
            'title = "Alt text on all product photos"',
            'category = "on-page"',
            "done = false",
            'owner = "lena"',
            'notes = "Describe the piece, the glaze and the colour -- it also helps Pinterest search."',
            "",
        ]
        assert sorted(removed) == sorted(added) == sorted(moved)
        assert comments(plan.read_bytes()) == comments(before)

        await pilot.press("shift+down")
        assert status(app) == "Move item “Alt text on all product photos”"
        assert shown_ids(option_list)[:5] == [
            "keyword-research",
            "meta-titles",
            "meta-descriptions",
            "image-alt-text",
            "mobile-friendly",
        ]
        assert highlighted_id(option_list) == "image-alt-text"
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: move item “Alt text on all product photos”"
        assert shown_ids(option_list)[2] == "image-alt-text"
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: move item “Alt text on all product photos”"
        assert shown_ids(option_list)[:5] == [
            "keyword-research",
            "meta-titles",
            "meta-descriptions",
            "image-alt-text",
            "mobile-friendly",
        ]
        await pilot.press("ctrl+z", "ctrl+z")
        await save(app, pilot)
    assert plan.read_bytes() == before


async def test_slash_filters_by_text_owner_or_category_and_escape_clears(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot)
        await pilot.press("slash")
        field = app.query_one("#smo-filter", Input)
        assert field.display and app.focused is field
        await pilot.press(*"jonas")  # an owner
        assert shown_ids(option_list) == [
            "meta-titles",
            "meta-descriptions",
            "og-tags",
            "pinterest-rich-pins",
            "share-buttons",
        ]
        assert group_header(option_list, "on-page") == "on-page  3/5"  # the counts are the whole group's
        await fill(pilot, field, "linkab")  # a category
        await pilot.pause()
        assert shown_ids(option_list) == ["care-guide"]
        await fill(pilot, field, "STONEWARE")  # text, in any case
        await pilot.pause()
        assert shown_ids(option_list) == ["keyword-research", "care-guide"]
        await pilot.press("enter")  # back to the list, the filter stays
        assert app.focused is option_list
        assert shown_ids(option_list) == ["keyword-research", "care-guide"]
        assert highlighted_id(option_list) == "care-guide"  # still the item that was selected
        await pilot.press("space")  # the filtered list can be edited
        assert status(app) == "Tick “Linkable 'How to care for stoneware' gu…”"
        await pilot.press("escape")
        assert not field.display and field.value == ""
        assert len(shown_ids(option_list)) == 12
        assert app.focused is option_list
        assert highlighted_id(option_list) == "care-guide"

        checklist = app.query_one("#smo")
        await pilot.press("slash", *"zz")
        assert shown_ids(option_list) == []
        assert "No items match." in screen_text(app)
        assert checklist.check_action("tick", ()) is False  # nothing to tick: not offered
        assert checklist.check_action("delete", ()) is False
        await pilot.press("escape")  # in the filter field
        assert len(shown_ids(option_list)) == 12
        assert app.focused is option_list
        assert checklist.check_action("tick", ()) is True


async def test_the_smo_due_date_is_edited_in_the_checklist(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot)
        await pilot.press("t")
        due = app.query_one("#smo-due", Input)
        assert app.focused is due
        await fill(pilot, due, "2027-03-13")
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceDialog)  # move the SMM start with it? (tests/test_phases_app.py)
        await pilot.press("m")  # move both: SMM follows the due date by itself here
        assert status(app) == "Move the SMO due date and the SMM start 1 day earlier"
        assert app.focused is option_list
        await pilot.press("1")
        assert "SMO due  2027-03-13 (in 3 days)" in screen_text(app)
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert removed == ["due = 2027-03-14                 # Sunday, so the calendar starts on a Monday"]
        assert added == ["due = 2027-03-13                 # Sunday, so the calendar starts on a Monday"]

        await pilot.press("ctrl+z")
        assert status(app) == "Undid: move the SMO due date and the SMM start 1 day earlier"
        await pilot.press("2")
        assert due.value == "2027-03-14"
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: move the SMO due date and the SMM start 1 day earlier"
        assert due.value == "2027-03-13"


async def test_an_invalid_smo_due_date_is_refused_and_one_outside_the_campaign_warned_about(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot)
        due = app.query_one("#smo-due", Input)
        for typed in ("2027-02-30", "next week", ""):
            await fill(pilot, due, typed)
            await pilot.press("enter")
            assert str(app.query_one("#smo-due-error").content) == "Write a date as YYYY-MM-DD."
            assert not unsaved(app) and not isinstance(app.screen, ChoiceDialog)
            assert app.plan_file.plan.smo_due.isoformat() == "2027-03-14"

        await fill(pilot, due, "2028-01-01")  # outside the campaign: taken, with a warning
        await pilot.press("enter", "k")  # keep the SMM start where it is
        await settle(app, pilot)
        assert status(app) == "Move the SMO due date to 2028-01-01"
        assert str(app.query_one("#smo-due-error").content) == ""
        await pilot.press("1")
        assert "line 15: the SMO due date 2028-01-01 is outside the campaign" in str(app.query_one("#warnings").content)


# -- the campaign form -------------------------------------------------------------------


async def test_the_campaign_name_is_edited_in_the_overview(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await pilot.press("e")
        name = app.query_one("#campaign-name", Input)
        assert app.focused is name
        await pilot.press("ctrl+a", "ctrl+k", *"Tide", "enter")
        assert status(app) == "Rename the campaign"
        assert app.title == "Tide"
        assert unsaved(app)
        await save(app, pilot)
        removed, added = changed_lines(before, plan.read_bytes())
        assert removed == ['name = "Tide collection launch"'] and added == ['name = "Tide"']

        await pilot.press("ctrl+z")
        assert status(app) == "Undid: rename the campaign"
        assert app.title == "Tide collection launch"
        assert name.value == "Tide collection launch"  # the field follows the undo though it has the focus
        await pilot.press("tab")  # leaving the field does not make the undone edit again
        assert app.title == "Tide collection launch"
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: rename the campaign"
        assert name.value == "Tide"
        await fill(pilot, name, "   ")
        await pilot.press("enter")
        assert "The campaign needs a name." in str(app.query_one("#campaign-name-error").content)
        assert app.title == "Tide"


async def test_the_campaign_zone_must_be_iana_the_dates_dates_and_the_end_not_before_the_start(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        zone = app.query_one("#campaign-timezone", Input)
        await fill(pilot, zone, "Mars/Olympus")
        await pilot.press("enter")
        error = app.query_one("#campaign-timezone-error")
        assert str(error.content) == "Not an IANA time zone (for example Europe/Berlin)." and error.display
        assert not unsaved(app)
        await fill(pilot, zone, "Europe/Lis")
        await pilot.press("right", "enter")  # the zone is completed from the list of zones
        assert zone.value == "Europe/Lisbon"
        assert not error.display
        assert status(app) == "Edit the campaign time zone"

        end = app.query_one("#campaign-end", Input)
        end_error = app.query_one("#campaign-end-error")
        await fill(pilot, end, "2027-02-01")
        await pilot.press("enter")
        assert str(end_error.content) == "The end must not be before the start."
        await fill(pilot, end, "5 April")
        await pilot.press("enter")
        assert str(end_error.content) == "Write a date as YYYY-MM-DD."
        assert str(app.plan_file.plan.campaign.end) == "2027-04-04"
        start = app.query_one("#campaign-start", Input)
        await fill(pilot, start, "2027-05-01")
        await pilot.press("enter")
        assert str(app.query_one("#campaign-start-error").content) == "The end must not be before the start."
        await fill(pilot, end, "2027-04-05")
        await pilot.press("enter")
        assert status(app) == "Edit the campaign end"
        assert not end_error.display
        await pilot.press("escape")
        assert start.value == "2027-03-01"  # the refused start shows the plan's again
        await save(app, pilot)
    removed, added = changed_lines(before, plan.read_bytes())
    assert removed == [
        'timezone = "Europe/Berlin"',
        "end = 2027-04-04                 # Easter Sunday is 28 March; we run one more week after it",
    ]
    assert added == [
        'timezone = "Europe/Lisbon"',
        "end = 2027-04-05                 # Easter Sunday is 28 March; we run one more week after it",
    ]


async def test_the_objective_is_a_multi_line_field_and_saving_takes_the_field_being_typed_in(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        objective = app.query_one("#campaign-objective", TextArea)
        objective.focus()
        objective.move_cursor(objective.document.end)
        await pilot.press("enter", "M")
        await pilot.press("escape")  # leaving the field commits it
        assert status(app) == "Edit the objective"
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: edit the objective"
        assert objective.text == "Sell out the first batch of 120 Tide sets and grow the newsletter by 400 sign-ups"
        await pilot.press("ctrl+y")
        assert status(app) == "Redid: edit the objective"
        await save(app, pilot)
        assert tomllib.loads(plan.read_text("utf-8"))["campaign"]["objective"].endswith("400 sign-ups\nM")
        removed, added = changed_lines(before, plan.read_bytes())
        assert len(removed) == 1 and removed[0].startswith("objective = ")
        assert "\n".join(added).startswith('objective = """')
        assert comments(plan.read_bytes()) == comments(before)

        # ctrl+s and ctrl+q take what is typed in a field without leaving it first.
        await fill(pilot, app.query_one("#campaign-site", Input), "https://kiln.example")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"
        assert tomllib.loads(plan.read_text("utf-8"))["campaign"]["site"] == "https://kiln.example"
        objective.focus()
        await pilot.press("N", "ctrl+q")
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.message == "1 unsaved edit: edited the objective. Save it before quitting?"


# -- saving, quitting, conflicts ------------------------------------------------------------


async def test_quitting_with_unsaved_edits_asks_cancel_or_save(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await fill(pilot, app.query_one("#campaign-name", Input), "Tide")
        await pilot.press("enter", "ctrl+q")
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.message == "1 unsaved edit: renamed the campaign. Save it before quitting?"
        await pilot.press("c")  # each choice has a letter
        assert app.is_running and unsaved(app)
        assert not isinstance(app.screen, ChoiceDialog)
        assert plan.read_bytes() == before
        await pilot.press("ctrl+q")
        await pilot.press("s")
        await settle(app, pilot)
    assert app.return_code == 0
    removed, added = changed_lines(before, plan.read_bytes())
    assert removed == ['name = "Tide collection launch"'] and added == ['name = "Tide"']


async def test_quitting_with_unsaved_edits_can_discard_them(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await fill(pilot, app.query_one("#campaign-name", Input), "Tide")
        await pilot.press("enter", "ctrl+q")
        await pilot.click("#choice-discard")
    assert app.return_code == 0
    assert plan.read_bytes() == before


async def _conflict(app: PlannerApp, pilot, plan: Path) -> bytes:
    """Rename the campaign, change the file behind the app's back, press ctrl+s: the conflict dialog."""
    await fill(pilot, app.query_one("#campaign-name", Input), "Tide")
    await pilot.press("enter")
    external = plan.read_bytes().replace(b"# Owner: Lena", b"# Owners: Lena")
    plan.write_bytes(external)
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, ChoiceDialog)
    assert "shop-launch.toml changed on disk since it was read" in screen_text(app)
    assert status(app) == "Not saved: the file changed on disk."
    assert plan.read_bytes() == external
    return external


async def test_a_conflict_can_be_overwritten_or_reloaded_after_confirming(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await _conflict(app, pilot, plan)
        await pilot.press("r")
        assert "Drop your unsaved edits" in screen_text(app)
        await pilot.press("c")  # not yet
        assert unsaved(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"
        assert not unsaved(app)
        removed, added = changed_lines(before, plan.read_bytes())
        assert removed == ['name = "Tide collection launch"'] and added == ['name = "Tide"']  # the other change is gone

        await fill(pilot, app.query_one("#campaign-name", Input), "Tide 2")  # and the file changes again
        await pilot.press("enter")
        external = plan.read_bytes().replace(b"# Owner: Lena", b"# Owners: Lena")
        plan.write_bytes(external)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.press("r")  # Reload (r) in the confirmation
        await settle(app, pilot)
        assert not unsaved(app)
        assert app.check_action("undo", ()) is False
        assert status(app) == "Opened shop-launch.toml"
        assert app.title == "Tide" and app.query_one("#campaign-name", Input).value == "Tide"  # as the file has it
    assert plan.read_bytes() == external


async def test_a_conflict_can_be_saved_as_another_file_which_is_not_replaced_unasked(
    plan: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.toml"
    other.write_bytes(b"keep me\n")
    async with running(plan) as (app, pilot):
        external = await _conflict(app, pilot, plan)
        await pilot.press("s")
        assert isinstance(app.screen, PathDialog)
        await fill(pilot, app.screen.query_one(Input), "other.toml")
        await pilot.press("enter")
        assert "Replace it?" in screen_text(app)
        await pilot.press("enter")  # Cancel is the default
        await settle(app, pilot)
        assert unsaved(app)
        assert app.sub_title.startswith("shop-launch.toml")
        assert other.read_bytes() == b"keep me\n"

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("s")
        await fill(pilot, app.screen.query_one(Input), "mine.toml")
        await pilot.press("enter")
        await settle(app, pilot)
        assert status(app) == "Saved mine.toml"
        assert app.sub_title == "mine.toml"
        assert not unsaved(app)
        await fill(pilot, app.query_one("#campaign-name", Input), "Tide 2")
        await pilot.press("enter", "ctrl+s")  # later saves go to the new file
        await settle(app, pilot)
        assert status(app) == "Saved mine.toml"
    assert plan.read_bytes() == external  # the other change is kept
    assert tomllib.loads((tmp_path / "mine.toml").read_text("utf-8"))["campaign"]["name"] == "Tide 2"


async def test_a_failed_save_says_why_and_keeps_the_edits(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan.read_bytes()

    def refuse(src, dst) -> None:
        raise PermissionError(13, "Permission denied")

    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        with monkeypatch.context() as patch:
            patch.setattr("planner.plan.storage.os.replace", refuse)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert "not saved: Permission denied" in status(app) and status(app).endswith("Your edits are kept.")
        assert unsaved(app)
        assert plan.read_bytes() == before  # nothing half-written
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: tick “Meta descriptions that mention 'handmad…”"
        await pilot.press("ctrl+y")
        await save(app, pilot)
    assert items(plan)[2]["done"] is True


# -- a plan that does not load ------------------------------------------------------------------


async def test_invalid_toml_shows_the_error_with_its_line_offers_the_editor_there_and_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "broken.toml"
    path.write_bytes(b"schema = 1\n\n[campaign\nname = 'x'\n")
    monkeypatch.setenv("EDITOR", "ed")
    monkeypatch.delenv("VISUAL", raising=False)
    commands: list[list[str]] = []
    monkeypatch.setattr("planner.app.main.subprocess.run", lambda command, **kwargs: commands.append(command))
    monkeypatch.setattr(PlannerApp, "suspend", lambda self: contextlib.nullcontext())
    async with running(path) as (app, pilot):
        assert isinstance(app.screen, LoadErrorScreen)
        text = screen_text(app)
        assert "broken.toml did not load. It has not been changed." in text
        assert "broken.toml:3:" in text and str(tmp_path) not in text
        assert app.plan_file is None
        assert app.check_action("save", ()) is False
        await pilot.press("ctrl+s", "2", "space", "a")  # nothing to edit
        assert isinstance(app.screen, LoadErrorScreen)

        await pilot.click("#edit")
        await settle(app, pilot)
        assert commands == [["ed", "+3", str(path)]]
        assert isinstance(app.screen, LoadErrorScreen)  # still broken (the editor changed nothing): shown again
        await pilot.press("q")
    assert app.return_code == 1
    assert path.read_bytes() == b"schema = 1\n\n[campaign\nname = 'x'\n"


async def test_schema_errors_are_listed_with_lines_and_the_editor_opens_at_the_first(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = plan.read_bytes()
    text = good.replace(b'timezone = "Europe/Berlin"', b'timezone = "Mars/Olympus"')
    plan.write_bytes(text.replace(b"done = true\ndone_on = 2026-11-16", b'done = "yes"\ndone_on = 2026-11-16'))
    monkeypatch.setenv("EDITOR", "my-editor --wait")
    monkeypatch.delenv("VISUAL", raising=False)
    commands: list[list[str]] = []

    run = subprocess.run

    def editor(command, **kwargs):
        if command[0] == "git":  # the app asking git what changed since the last commit
            return run(command, **kwargs)
        commands.append(command)
        plan.write_bytes(good)  # the user fixes the plan

    monkeypatch.setattr("planner.app.main.subprocess.run", editor)
    monkeypatch.setattr(PlannerApp, "suspend", lambda self: contextlib.nullcontext())
    async with running(plan) as (app, pilot):
        assert isinstance(app.screen, LoadErrorScreen)
        messages = str(app.screen.query_one("#messages").content)
        assert "shop-launch.toml:8: campaign.timezone:" in messages
        assert "shop-launch.toml:30: smo.items[1].done:" in messages
        await pilot.press("e")
        await settle(app, pilot)
        assert commands == [["my-editor", "--wait", "+8", str(plan)]]
        assert not isinstance(app.screen, LoadErrorScreen)
        assert app.title == "Tide collection launch"
        assert not unsaved(app)
    assert plan.read_bytes() == good


# -- help, palette, theme, sizes ------------------------------------------------------------------


async def test_question_mark_shows_every_key_and_the_palette_the_current_views_actions(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        scroll = app.screen.query_one(VerticalScroll)
        for _ in range(20):  # and the sections below the fold, a page at a time
            if scroll.scroll_y >= scroll.max_scroll_y:
                break
            scroll.scroll_to(y=scroll.scroll_y + scroll.size.height - 1, animate=False, immediate=True)
            await pilot.pause()
            lines += screen_text(app).splitlines()
        for key, what in (
            ("0 … 5", "Switch view"),
            ("enter", "Open the line's entry where it lives"),
            ("e", "Edit post"),
            ("^s", "Save"),
            ("^z", "Undo"),
            ("^y", "Redo"),
            ("^q", "Quit"),
            ("ctrl+p", "Command palette"),
            ("e", "Edit campaign"),
            ("space", "Tick"),
            ("a", "Add"),
            ("enter", "Edit"),
            ("d", "Delete"),
            ("shift+↑", "Move up"),
            ("shift+↓", "Move down"),
            ("/", "Filter"),
            ("esc", "Clear filter"),
            ("t", "Due date"),
            ("u", "Audit"),
            ("^s", "Save the form"),
            ("<", "Move a day earlier"),
            ("tab", "Next post of the day"),
            ("s order", "date, platform, status, title, in turn"),
        ):
            assert any(key in line and what in line for line in lines), (key, what)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Save", "Save as…", "Undo", "Redo", "Help", "Edit campaign", "Go to SMO checklist"} <= set(titles)
        assert "Tick" not in titles
        await to_checklist(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {
            "Tick",
            "Add",
            "Edit",
            "Delete",
            "Move up",
            "Move down",
            "Filter",
            "Due date",
            "Audit",
            "Save",
            "Undo",
        } <= set(titles)
        assert "Edit campaign" not in titles

        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Delete")
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert "Delete “Keywords for the collection pages" in screen_text(app)


async def test_a_chosen_theme_is_remembered_in_the_settings_file(plan: Path, isolated_home: Path) -> None:
    async with running(plan) as (app, pilot):
        app.theme = "nord"
        await settle(app, pilot)
    assert load_settings().theme == "nord"
    assert 'theme = "nord"' in (isolated_home / "config" / "settings.toml").read_text("utf-8")

    # The next start uses it. (What the screens look like at 80x24 and 120x40 is in test_snapshots.py.)
    app = make_app(plan, load_settings(), clock=lambda: NOON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.theme == "nord"
        assert "e Edit campaign ^q Quit ^s Save ? Help" in screen_text(app)
