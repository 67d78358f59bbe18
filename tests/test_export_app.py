"""The export dialog in the app (`x` and the command palette), driven with Pilot.

What an export holds is tested on bytes in test_export.py; here: that the
app writes the plan it shows (unsaved edits included) where the user says,
and never replaces a file that is not an export without asking.
"""

from __future__ import annotations

import json
from pathlib import Path

from test_app import running, screen_text, settle, status, to_checklist
from textual.widgets import Input, RadioButton

from planner.app.dialogs import ChoiceDialog
from planner.app.export_dialog import ExportDialog
from planner.export import render
from planner.plan.plan_file import load


async def export(app, pilot, *keys: str, path: str | None = None) -> None:
    """Open the dialog with `x`, press ``keys`` in it, set the file, and press ctrl+s."""
    await pilot.press("x")
    assert isinstance(app.screen, ExportDialog)
    for key in keys:
        await pilot.click(f"#{key}")
    if path is not None:
        app.screen.query_one("#path", Input).value = path
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_x_exports_markdown_next_to_the_plan_by_default(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#path", Input).value == "shop-launch.md"
        assert "Unsaved edits are included" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert status(app) == "Exported shop-launch.md"
    assert (plan.parent / "shop-launch.md").read_bytes() == render(load(plan).plan, "md", "all")


async def test_the_file_name_follows_the_format_unless_the_user_typed_one(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("x")
        field = app.screen.query_one("#path", Input)
        await pilot.click("#format-ics")
        assert field.value == "shop-launch.ics"
        field.value = "team/calendar.txt"
        await pilot.click("#format-json")
        assert field.value == "team/calendar.txt"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportDialog)
    assert not (plan.parent / "shop-launch.ics").exists()


async def test_the_chosen_format_and_phase_show_without_colour_and_the_arrows_choose(plan: Path) -> None:
    async with running(plan, size=(80, 24)) as (app, pilot):
        await pilot.press("x", "down", "down")  # one burst: ↓ chooses the next format (as radio buttons do)
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        text = screen_text(app)
        assert (
            "(•) iCalendar events" in text and "( ) Markdown checklist" in text and "( ) CSV for spreadsheets" in text
        )
        assert "(•) Both phases" in text and "( ) SMO checklist" in text
        assert field.value == "shop-launch.ics"
        await pilot.press("up", "right", "down", "down", "left", "down")  # ← → go from one set to the other
        await pilot.pause()
        text = screen_text(app)
        assert "(•) iCalendar events" in text and "(•) SMM calendar" in text and "( ) Both phases" in text
        assert field.value == "shop-launch.ics"
        await pilot.press("up", "up", "up")  # past the first it wraps around: JSON
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Exported shop-launch.json"
    exported = json.loads((plan.parent / "shop-launch.json").read_text("utf-8"))
    assert "items" not in exported.get("smo", {}) and exported["smm"]["posts"]  # the SMM phase only


async def test_an_export_holds_the_unsaved_edits_and_does_not_save_the_plan(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-titles")
        await pilot.press("space")  # meta-titles is done in the sample: untick it
        await export(app, pilot, "format-json", "phase-smo", path="out.json")
        assert status(app) == "Exported out.json"
        assert "● unsaved" in app.sub_title
    exported = json.loads((plan.parent / "out.json").read_text("utf-8"))
    ticked = next(item for item in exported["smo"]["items"] if item["id"] == "meta-titles")
    assert ticked["done"] is False
    assert "posts" not in exported.get("smm", {})  # the SMO phase only
    assert plan.read_bytes() == before


async def test_csv_of_both_phases_writes_two_files(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await export(app, pilot, "format-csv", path="sheets/launch.csv")
        assert "Not exported" in status(app)  # the folder does not exist
        (plan.parent / "sheets").mkdir()
        await export(app, pilot, "format-csv", path="sheets/launch.csv")
        assert status(app) == "Exported sheets/launch-smo.csv, sheets/launch-smm.csv"
    written = render(load(plan).plan, "csv", "all")
    assert (plan.parent / "sheets" / "launch-smo.csv").read_bytes() == written["smo"]
    assert (plan.parent / "sheets" / "launch-smm.csv").read_bytes() == written["smm"]


async def test_a_file_that_is_not_an_export_is_replaced_only_when_the_user_says_so(plan: Path) -> None:
    notes = plan.parent / "notes.md"
    notes.write_text("# my own notes\n", "utf-8")
    async with running(plan) as (app, pilot):
        await export(app, pilot, path="notes.md")
        assert isinstance(app.screen, ChoiceDialog)
        assert "notes.md exists and is not a planner export. Replace it?" in screen_text(app)
        await pilot.press("escape")  # no: back to the dialog, as it was
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#path", Input).value == "notes.md"
        assert notes.read_text("utf-8") == "# my own notes\n"

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("r")  # Replace
        await settle(app, pilot)
        assert status(app) == "Exported notes.md"
    assert notes.read_bytes() == render(load(plan).plan, "md", "all")

    async with running(plan) as (app, pilot):  # an earlier export is replaced without asking
        await export(app, pilot, path="notes.md")
        assert not isinstance(app.screen, ChoiceDialog)
        assert status(app) == "Exported notes.md"


async def test_a_folder_is_not_a_file_name(plan: Path) -> None:
    (plan.parent / "out").mkdir()
    async with running(plan) as (app, pilot):
        await export(app, pilot, path="out")
        assert isinstance(app.screen, ExportDialog)
        assert "out is a folder; type a file name." in screen_text(app)


async def test_the_palette_and_the_help_offer_export(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Export…" in titles
        await pilot.press("question_mark")
        assert any("x" in line and "Export" in line for line in screen_text(app).splitlines())
        await pilot.press("escape")
        export_command = next(c for c in app.get_system_commands(app.screen) if c.title == "Export…")
        export_command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#format-md", RadioButton).value


async def test_a_csv_edited_in_a_spreadsheet_is_replaced_only_when_the_user_says_so(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await export(app, pilot, "format-csv", path="launch.csv")
        assert status(app) == "Exported launch-smo.csv, launch-smm.csv"
    sheet = plan.parent / "launch-smm.csv"
    edited = sheet.read_bytes().replace(b"Launch: Tide is here", b"Launch: Tide is here (edited in a spreadsheet)")
    sheet.write_bytes(edited)
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-titles")
        await pilot.press("space")  # a new plan state: the export would differ
        await export(app, pilot, "format-csv", path="launch.csv")
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.message == "launch-smm.csv was edited since planner exported it. Replace it?"
        await pilot.press("escape")
        await pilot.pause()
        assert sheet.read_bytes() == edited
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("r")  # Replace
        await settle(app, pilot)
        assert status(app) == "Exported launch-smo.csv, launch-smm.csv"
    assert b"(edited in a spreadsheet)" not in sheet.read_bytes()


async def test_a_link_with_a_line_break_exports_to_ics(plan: Path) -> None:
    text = plan.read_text("utf-8").replace(
        'link = "https://kilnandco.example/collections/tide"', 'link = "https://kilnandco.example/tide\\r\\n"', 1
    )
    plan.write_text(text, "utf-8")
    async with running(plan) as (app, pilot):
        await export(app, pilot, "format-ics")
        assert status(app) == "Exported shop-launch.ics"
    assert b"URL:https://kilnandco.example/tide\r\n" in (plan.parent / "shop-launch.ics").read_bytes()
