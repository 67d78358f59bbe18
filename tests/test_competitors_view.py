"""View 5, the competitors, driven with Textual's Pilot.

Each editing test saves and compares the file on bytes: only the edited
lines change, comments stay, and undo gives the original bytes back.
"""

from __future__ import annotations

from pathlib import Path

from test_app import changed_lines, comments, fill, running, screen_text, status, to_list, unsaved
from test_platforms_view import footer_text, save
from textual.widgets import Input, OptionList, TextArea

from planner.app.dialogs import ChoiceDialog
from planner.app.main import PlannerApp
from planner.app.smm_forms import CompetitorForm


async def to_competitors(app: PlannerApp, pilot) -> OptionList:
    return await to_list(app, pilot, "5", "competitors-list")


def detail(app: PlannerApp) -> str:
    return str(app.query_one("#competitors-detail-text").content)


def shown(option_list: OptionList) -> list[str]:
    """The names the list shows, in order."""
    names = []
    for index in range(option_list.option_count):
        option = option_list.get_option_at_index(index)
        if option.id:
            names.append(str(option.prompt.columns[0]._cells[0]).split("  ")[0])
    return names


def selected(option_list: OptionList) -> str | None:
    if option_list.highlighted is None:
        return None
    return shown(option_list)[option_list.highlighted]


async def type_into(pilot, area: TextArea, text: str) -> None:
    area.focus()
    area.text = text
    await pilot.pause()


def error(form) -> str:
    return str(form.query_one("#error").content)


# -- showing and filtering -----------------------------------------------------------------


async def test_the_list_shows_each_competitor_and_the_details_of_the_selected_one(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        assert shown(option_list) == ["Claywork Studio", "Stoneware Supply Co."]
        assert option_list.border_title == "Competitors · 2"
        text = detail(app)
        assert text.startswith("Claywork Studio\nhttps://claywork.example\n")
        assert "Handles\n  Instagram: @clayworkstudio\n  TikTok: @claywork\n" in text
        assert "Cadence\ndaily reels on Instagram, 3x a week on TikTok" in text
        assert "Strengths\nGreat process videos" in text and "Weaknesses\nShop often sold out" in text
        await pilot.press("down")
        assert "Notes\nThey run a 20% Easter sale every year" in detail(app)
        assert "Pinterest: stonewaresupply" in detail(app)
        footer = await footer_text(app, pilot, "a Add")
        assert "a Add" in footer and "e Edit" in footer and "d Delete" in footer and "/ Filter" in footer


async def test_slash_filters_on_all_text_notes_included_and_escape_clears(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        view = app.query_one("#competitors")
        assert view.check_action("clear_filter", ()) is False
        await pilot.press("slash")
        field = app.query_one("#competitors-filter", Input)
        assert app.focused is field
        await pilot.press(*"easter")  # only in Stoneware's notes
        assert shown(option_list) == ["Stoneware Supply Co."]
        assert option_list.border_title == "Competitors · 1 of 2"
        assert "Easter sale" in detail(app)
        await fill(pilot, field, "@CLAYWORK")  # a handle, any case
        await pilot.pause()
        assert shown(option_list) == ["Claywork Studio"]
        await fill(pilot, field, "nobody")
        await pilot.pause()
        assert shown(option_list) == []
        assert "No competitor matches." in screen_text(app)
        assert view.check_action("edit", ()) is False and view.check_action("delete", ()) is False
        await pilot.press("enter")  # back to the list, the filter stays
        assert app.focused is option_list and shown(option_list) == []
        await pilot.press("escape")
        assert shown(option_list) == ["Claywork Studio", "Stoneware Supply Co."]
        assert not field.display and app.focused is option_list


# -- adding, editing, deleting ------------------------------------------------------------------


async def test_a_adds_a_competitor_through_the_form_and_undo_removes_it(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, CompetitorForm)
        assert form.focused is form.query_one("#name")
        text = screen_text(app)
        assert (
            "New competitor" in text and "Instagram" in text and "TikTok" in text and "Pinterest" in text
        )  # a row per chosen platform
        await pilot.press("ctrl+s")
        assert error(form) == "The competitor needs a name."
        await fill(pilot, form.query_one("#name", Input), "Globex Ceramics")
        await fill(pilot, form.query_one("#handle-0", Input), "@globexceramics")  # Instagram
        await fill(pilot, form.query_one("#other-handles", Input), "youtube @globex")
        await pilot.press("ctrl+s")
        assert error(form) == "“youtube @globex” is not platform=handle (youtube=@globex)."
        assert form.focused is form.query_one("#other-handles")
        await fill(pilot, form.query_one("#other-handles", Input), "instagram=@other")
        await pilot.press("ctrl+s")
        assert error(form) == "instagram has its own row: type the handle there."
        await fill(pilot, form.query_one("#other-handles", Input), "youtube=@globex")
        await pilot.press("enter")  # to the cadence
        assert form.focused is form.query_one("#cadence")
        await pilot.press(*"weekly", "enter")  # to the strengths
        assert form.focused is form.query_one("#strengths")
        await type_into(pilot, form.query_one("#notes", TextArea), "Cheap.\nLoud.")
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, CompetitorForm)
        assert status(app) == "Add competitor “Globex Ceramics”"
        assert shown(option_list) == ["Claywork Studio", "Stoneware Supply Co.", "Globex Ceramics"]
        assert selected(option_list) == "Globex Ceramics"
        assert "Instagram: @globexceramics\n  YouTube: @globex\n" in detail(app)
        assert detail(app).endswith("Notes\nCheap.\nLoud.\n")
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            [],
            [
                "",
                "[[competitors]]",
                'name = "Globex Ceramics"',
                'handles = { instagram = "@globexceramics", youtube = "@globex" }',
                'cadence = "weekly"',
                'notes = """Cheap.',
                'Loud."""',
            ],
        )
        assert comments(after) == comments(before)

        await pilot.press("ctrl+z")
        assert status(app) == "Undid: add competitor “Globex Ceramics”"
        assert shown(option_list) == ["Claywork Studio", "Stoneware Supply Co."]
        assert selected(option_list) == "Stoneware Supply Co."
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_e_edits_one_handle_and_only_that_value_changes(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CompetitorForm) and "Edit competitor “Claywork Studio”" in screen_text(app)
        assert form.query_one("#handle-0", Input).value == "@clayworkstudio"
        assert form.query_one("#handle-1", Input).value == "@claywork"
        assert form.query_one("#handle-2", Input).value == ""  # Pinterest: none
        assert form.query_one("#other-handles", Input).value == ""
        await fill(pilot, form.query_one("#handle-1", Input), "@claywork_tt")
        await pilot.press("ctrl+s")
        assert status(app) == "Edit competitor “Claywork Studio”"
        assert selected(option_list) == "Claywork Studio"
        assert "TikTok: @claywork_tt" in detail(app)
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            ['handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }'],
            ['handles = { instagram = "@clayworkstudio", tiktok = "@claywork_tt" }'],
        )
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: edit competitor “Claywork Studio”"
        assert "TikTok: @claywork\n" in detail(app)
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_enter_edits_texts_and_an_emptied_field_goes(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        await pilot.press("down", "enter")
        form = app.screen
        assert isinstance(form, CompetitorForm) and "Edit competitor “Stoneware Supply Co.”" in screen_text(app)
        assert form.query_one("#notes", TextArea).text.startswith("They run a 20% Easter sale")
        await fill(pilot, form.query_one("#site", Input), "")
        await type_into(pilot, form.query_one("#weaknesses", TextArea), "Factory-made\nNo video")
        await pilot.press("ctrl+s")
        assert status(app) == "Edit competitor “Stoneware Supply Co.”"
        assert selected(option_list) == "Stoneware Supply Co."
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            ['site = "https://stoneware-supply.example"', 'weaknesses = "Factory-made, feels impersonal; no video"'],
            ['weaknesses = """Factory-made', 'No video"""'],
        )
        assert comments(after) == comments(before)
        await pilot.press("e", "ctrl+s")  # unchanged: no edit
        assert status(app) == "Stoneware Supply Co.: nothing changed"
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: edit competitor “Stoneware Supply Co.”"
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_d_deletes_after_confirmation_and_the_selection_stays_sensible(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ChoiceDialog)
        assert "Delete Claywork Studio and the notes on them?" in screen_text(app)
        await pilot.press("escape")
        assert not unsaved(app) and len(shown(option_list)) == 2
        await pilot.press("d")
        await pilot.click("#choice-yes")
        assert status(app) == "Delete competitor “Claywork Studio”"
        assert shown(option_list) == ["Stoneware Supply Co."]
        assert selected(option_list) == "Stoneware Supply Co."  # the next one
        after = await save(app, pilot, plan)
        removed, added = changed_lines(before, after)
        # The comment directly above an entry's header is part of its block.
        assert added == [] and removed[:4] == [
            "",
            "# Who else our customers follow.",
            "[[competitors]]",
            'name = "Claywork Studio"',
        ]
        await pilot.press("d")
        await pilot.click("#choice-yes")
        assert shown(option_list) == []
        assert "None yet: a adds one." in screen_text(app)
        assert app.query_one("#competitors").check_action("delete", ()) is False
        await pilot.press("ctrl+z")
        assert selected(option_list) == "Stoneware Supply Co."
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: delete competitor “Claywork Studio”"
        assert shown(option_list) == ["Claywork Studio", "Stoneware Supply Co."]
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_plan_text_on_the_competitors_view_is_not_markup(plan: Path) -> None:
    text = plan.read_text("utf-8").replace('name = "Claywork Studio"', 'name = "[red]Claywork[/red]"')
    plan.write_text(
        text.replace('strengths = "Great', 'notes = "[bold]x [@click=app.quit]y"\nstrengths = "Great'), "utf-8"
    )
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        assert shown(option_list)[0] == "[red]Claywork[/red]"
        assert "Notes\n[bold]x [@click=app.quit]y" in detail(app)
        screen = screen_text(app)
        assert "[red]Claywork[/red]" in screen and "[bold]x [@click=app.quit]y" in screen
        await pilot.press("d")
        assert "Delete [red]Claywork[/red] and the notes on them?" in screen_text(app)
        await pilot.press("escape")
        assert app.is_running


async def test_a_competitor_added_while_filtering_is_shown_and_selected(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        option_list = await to_competitors(app, pilot)
        await pilot.press("slash", *"easter", "enter")
        assert shown(option_list) == ["Stoneware Supply Co."]
        await pilot.press("a")
        await fill(pilot, app.screen.query_one("#name", Input), "Initech")
        await pilot.press("ctrl+s")
        assert status(app) == "Add competitor “Initech”"
        assert shown(option_list) == ["Claywork Studio", "Stoneware Supply Co.", "Initech"]  # the filter is cleared
        assert selected(option_list) == "Initech"
