"""Today in a real terminal (tmux): the real `planner` opens on it, and `planner today` prints it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def plan_for_this_week(tmp_path: Path) -> tuple[Path, dt.date]:
    """A plan in UTC with a draft post late today and an SMO item still open after the SMO due date."""
    today = dt.datetime.now(dt.UTC).date()
    plan = tmp_path / "launch.toml"
    plan.write_text(
        f"""schema = 1

[campaign]
name = "Launch this week"
timezone = "UTC"
start = {today - dt.timedelta(days=14)}
end = {today + dt.timedelta(days=30)}

[smo]
due = {today - dt.timedelta(days=8)}

[[smo.items]]
id = "og-tags"
title = "Open Graph tags"

[smm]
start = {today - dt.timedelta(days=7)}

[[smm.platforms]]
name = "instagram"

[[smm.posts]]
id = "going-live"
platform = "instagram"
at = {today}T23:50:00
format = "reel"
status = "draft"
title = "Going live"
""",
        "utf-8",
    )
    return plan, today


def test_the_app_opens_on_today_and_enter_opens_the_post_in_the_calendar(tmp_path: Path, terminal) -> None:
    plan_for_this_week(tmp_path)
    term = terminal("launch.toml")
    term.wait_for("Today (1 post)")
    screen = term.wait_for("Late SMO items (1; SMO was due")
    assert "23:50  ◔ draft      IG  reel      Going live" in screen
    assert "enter: open it in the calendar (e: its editor)" in screen
    term.keys("Enter")
    term.wait_for("○ idea")  # the calendar's legend: the calendar is shown
    term.wait_for("Going live")
    term.keys("0")
    term.wait_for("Waiting for you (1: going out within 3 days")
    term.keys("C-q")
    term.wait_gone("Launch this week")


def test_planner_today_prints_the_plan_for_a_morning_cron_job(tmp_path: Path, terminal) -> None:
    _, today = plan_for_this_week(tmp_path)
    term = terminal("today", "launch.toml")
    screen = term.wait_for("[exit 1]")  # an SMO item is late: something needs you
    assert f"launch.toml: Launch this week: {today:%A %Y-%m-%d}" in screen
    assert "launch.toml: today: 23:50  draft      instagram   reel      “Going live”" in screen
    assert "launch.toml: late SMO item: “Open Graph tags” (SMO was due" in screen
