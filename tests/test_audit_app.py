"""The Audit action in the app's SMO checklist, driven with Pilot."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest
from test_app import running, screen_text, settle, status, to_checklist, unsaved
from test_audit import SITE, good_site, server  # noqa: F401 (server is a fixture)
from textual.widgets import DataTable, Input, ProgressBar

from planner.app.audit_screen import LISTED_TITLE, AuditScreen
from planner.app.dialogs import TargetDialog
from planner.plan.template import new_plan_text
from planner.words import quoted


async def audit(app, pilot, target: str) -> AuditScreen:
    await to_checklist(app, pilot)
    await pilot.press("u")
    assert isinstance(app.screen, TargetDialog)
    field = app.screen.query_one("#path", Input)
    field.value = ""
    await pilot.press(*target, "enter")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    return screen


async def test_u_audits_a_folder_shows_the_results_and_ticks_the_passing_items_undoably(
    plan: Path, tmp_path: Path
) -> None:
    good_site(tmp_path)
    before = plan.read_bytes()
    async with running(plan, size=(120, 40)) as (app, pilot):
        screen = await audit(app, pilot, "good")
        text = screen_text(app)
        assert "Site audit: good  ·  2 pages: 2 pass, 0 warnings, 0 fail" in text
        assert "good/index.html" in text and "good/collections/tide.html" in text
        assert "✓ pass    title       Kiln & Co. | Handmade stoneware from Berlin" in text
        assert (
            f"Passes on every page, can be ticked: {titled(plan, 'meta-descriptions')} (description), {titled(plan, 'og-tags')} (og)"
            in joined(app)
        )
        assert "Tick 2 items (t)" in text

        table = screen.query_one("#audit-table", DataTable)
        await pilot.press("down")  # the second page's reasons
        assert table.cursor_row == 1
        detail = str(screen.query_one("#audit-detail-text").content)
        assert detail.startswith("good/collections/tide.html\n")
        assert "✓ pass    profiles    profiles: instagram, tiktok, pinterest" in detail

        await pilot.press("t")
        await settle(app, pilot)
        assert not isinstance(app.screen, AuditScreen)
        assert status(app) == f"Audit: tick {titled(plan, 'meta-descriptions', 40)}, {titled(plan, 'og-tags', 40)}"
        items = {item.id: item for item in app.plan_file.plan.smo_items}
        assert items["og-tags"].done and items["meta-descriptions"].done
        assert "Site audit 2027-03-10: every page passes the og rule (2 pages: good)." in items["og-tags"].notes
        assert unsaved(app)

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert (
            status(app) == f"Undid: audit: tick {titled(plan, 'meta-descriptions', 40)}, {titled(plan, 'og-tags', 40)}"
        )
        assert not app.plan_file.plan.smo_items[2].done
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert plan.read_bytes() == before


async def test_the_audit_reports_failures_and_offers_nothing_to_tick(plan: Path, tmp_path: Path) -> None:
    shutil.copytree(SITE, tmp_path / "site")
    async with running(plan, size=(120, 40)) as (app, pilot):
        screen = await audit(app, pilot, "site")
        text = screen_text(app)
        assert "8 pages: 2 pass, 3 warnings, 3 fail" in text
        assert (
            f"Ticked but not passing now: {titled(plan, 'meta-titles')} (title), {titled(plan, 'share-buttons')} (share)"
            in joined(app)
        )
        assert "Tick 0 items (t)" in text
        rows = [screen.query_one("#audit-table", DataTable).get_row_at(i) for i in range(8)]
        bare = next(row for row in rows if str(row[-1]) == "site/bare.html")
        assert [str(cell) for cell in bare[:-1]] == ["✗", "✗", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"]
        await pilot.press("t")  # nothing to tick: the key does nothing
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, AuditScreen)
        assert not unsaved(app)


async def test_the_target_must_exist_and_page_text_is_not_markup(plan: Path, tmp_path: Path) -> None:
    (tmp_path / "odd.html").write_text("<title>[bold]Not bold[/bold] [link=x]", "utf-8")
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_checklist(app, pilot)
        await pilot.press("u", *"nothere", "enter")
        assert isinstance(app.screen, TargetDialog)
        assert "nothere: no such file or folder." in screen_text(app)
        await pilot.press("escape")
        screen = await audit(app, pilot, "odd.html")
        assert "[bold]Not bold[/bold] [link=x]" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("u")  # the last target is offered again
        assert app.screen.query_one("#path", Input).value == "odd.html"
        assert screen.report is not None and screen.report.exit_code == 1


async def test_a_slow_url_shows_progress_and_escape_stops_waiting_for_it(plan: Path, server: str) -> None:
    async with running(plan, size=(120, 40)) as (app, pilot):
        await to_checklist(app, pilot)
        await pilot.press("u", *f"{server}/slow", "enter")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        bar = screen.query_one("#audit-progress", ProgressBar)
        assert (bar.total, bar.progress) == (1, 0)
        assert "0 of 1 page" in screen_text(app) and "1 pages" not in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, AuditScreen)
        assert not unsaved(app)


def titled(plan: Path, ident: str, width: int = LISTED_TITLE) -> str:
    """How the audit screen's lists name the plan's SMO item ``ident``: by its title (``width``: cut as the edit's label cuts it)."""
    return quoted(
        next(item["title"] for item in tomllib.loads(plan.read_text("utf-8"))["smo"]["items"] if item["id"] == ident),
        width,
    )


def joined(app) -> str:
    """The screen's text with the wrapped lines joined, the dialog's border left out."""
    return " ".join(line.strip(" █▊▎") for line in screen_text(app).splitlines())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_linked_items_of_a_new_plan_are_listed_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    """A plan from the template links ten items to the audit: none of them is cut off the summary."""
    plan = tmp_path / "new.toml"
    plan.write_text(new_plan_text("Roaster", "Europe/Berlin", dt.date(2027, 3, 1)), "utf-8")
    shutil.copytree(SITE, tmp_path / "site")
    async with running(plan, size=size) as (app, pilot):
        await audit(app, pilot, str(tmp_path / "site"))
        text = " ".join(line.strip(" █") for line in screen_text(app).splitlines())
        assert f"Not ticked: {titled(plan, 'meta-titles')} (title)," in text
        assert f"{titled(plan, 'x-card-tags')} (twitter), {titled(plan, 'follow-links')} (profiles)" in text
