"""Counts and percentages read right where the user sees them: the overview, the agenda, planner status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from test_app import running, screen_text, settle

from planner.cli import main
from planner.plan.template import new_plan_text

POST = '\n[[smm.posts]]\nid = "only"\nplatform = "instagram"\nat = 2026-01-20T09:00:00\ntitle = "The only post"\n'


def three_of_24_done(tmp_path: Path) -> Path:
    """A new plan with 24 SMO items (the template's, less its last), 3 ticked: 12.5%; and one post."""
    text = new_plan_text("Launch", "UTC", dt.date(2026, 1, 5)).replace("done = false", "done = true", 3)
    last = text.rindex("\n[[smo.items]]")
    text = text[:last] + text[text.index("\n# SMM:", last) :]
    path = tmp_path / "launch.toml"
    path.write_text(text + POST, "utf-8")
    return path


async def test_the_overview_rounds_the_smo_share_half_up(tmp_path: Path) -> None:
    async with running(three_of_24_done(tmp_path)) as (app, _pilot):
        text = screen_text(app)
        assert "SMO checklist  3 of 24 done (13%)" in text
        assert "12%" not in text  # the progress bar's own figure rounded 12.5 down


async def test_the_agenda_counts_one_post_as_one_post(tmp_path: Path) -> None:
    async with running(three_of_24_done(tmp_path)) as (app, pilot):
        await pilot.press("4", "l")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Agenda  1 post, sorted by date" in text and "1 posts" not in text


def test_planner_status_rounds_half_up(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["status", str(three_of_24_done(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "SMO  3 of 24 done (13%)" in result.output
