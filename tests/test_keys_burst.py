"""Every keystroke lands: keys that arrive together (a paste without bracketed
paste, a slow SSH link, key repeat) end up exactly where they were typed.

The Pilot's `press` waits for the app to go idle after each key, which hides
the bug; `burst` puts every key in the app's queue at once, as a terminal
delivers a burst, before the app has handled the first.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from conftest import SAMPLES
from test_app import running, settle
from textual import events
from textual.app import _character_to_key

from planner.app.forms import Form
from planner.app.main import PlannerApp
from planner.app.post_form import PostForm

NEW_NAME = "Kaffeewerk Holiday"


async def burst(app: PlannerApp, pilot, *keys: str) -> None:
    """Send ``keys`` to the app back to back, then wait until it handled them."""
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        char = {"space": " ", "colon": ":", "minus": "-", "full_stop": "."}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(len(keys) * 10):
        await pilot.pause()
        if not getattr(app, "_key_in_flight", False) and not getattr(app, "_keys_waiting", None):
            break
    await settle(app, pilot)


def saved(path: Path) -> dict:
    return tomllib.loads(path.read_text("utf-8"))


async def test_a_burst_of_keys_renames_the_campaign_exactly(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await burst(app, pilot, "e", "end", *["backspace"] * 45, *NEW_NAME, "enter", "ctrl+s")
        assert app.query_one("#campaign-name").value == NEW_NAME
    assert saved(plan)["campaign"]["name"] == NEW_NAME


async def test_a_burst_of_keys_sets_the_campaign_end_date_exactly(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await burst(
            app, pilot, "e", "tab", "tab", "tab", "tab", "end", *["backspace"] * 12, *"2027-04-11", "enter", "ctrl+s"
        )
    assert str(saved(plan)["campaign"]["end"]) == "2027-04-11"


async def test_a_burst_of_keys_types_the_post_forms_time_exactly(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("4")
        await settle(app, pilot)
        keys = ["a", "tab", "tab", "end", *["backspace"] * 6, *"18:00", "tab", "tab", "tab", *"Burst post", "ctrl+s"]
        await burst(app, pilot, *keys)
        assert not isinstance(app.screen, PostForm)
        await burst(app, pilot, "ctrl+s")
    posts = [post for post in saved(plan)["smm"]["posts"] if post.get("title") == "Burst post"]
    assert len(posts) == 1 and f"{posts[0]['at']:%H:%M}" == "18:00"


async def test_a_burst_of_keys_fills_the_competitor_form_field_by_field(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("5")
        await settle(app, pilot)
        handles = ["tab"] * 3  # a row per chosen platform, left empty
        keys = [
            "a",
            *"Globex",
            "tab",
            "tab",
            *handles,
            "tab",
            *"weekly",
            "tab",
            *"Cheap",
            "tab",
            *"Slow",
            "tab",
            *"Loud",
            "ctrl+s",
        ]
        await burst(app, pilot, *keys)
        assert not isinstance(app.screen, Form)
        await burst(app, pilot, "ctrl+s")
    competitor = saved(plan)["competitors"][-1]
    assert competitor["name"] == "Globex"
    assert (competitor["cadence"], competitor["strengths"], competitor["weaknesses"], competitor["notes"]) == (
        "weekly",
        "Cheap",
        "Slow",
        "Loud",
    )


# -- in a real terminal: tmux sends the whole burst in one write ---------------------------------

RUNS = 20


def test_a_burst_renames_the_campaign_exactly_in_a_real_terminal_every_time(tmp_path: Path, terminal) -> None:
    plan = tmp_path / "launch.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", plan)
    for run in range(RUNS):
        before = plan.read_bytes()
        name = f"{NEW_NAME} {run}"
        term = terminal("launch.toml")
        term.wait_for("Edit campaign")  # the plan is shown (the footer lists the overview's keys)
        term.keys("e", "End", *["BSpace"] * 45, name, "Enter", "C-s")  # one write: the keys arrive together
        term.wait_for("Saved launch.toml")
        assert plan.read_bytes() != before, f"run {run}: nothing was saved"
        assert saved(plan)["campaign"]["name"] == name, f"run {run}"
        term.keys("C-q")
        term.wait_for("[exit 0]")
        term.close()


# -- where the cursor is -------------------------------------------------------------------------------


async def test_the_focused_field_stands_out_in_every_theme(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await pilot.press("e")
        name, site = app.query_one("#campaign-name"), app.query_one("#campaign-site")
        assert app.focused is name
        name_label, site_label = (field.parent.query_one(".field-label") for field in (name, site))
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            assert name_label.rich_style.bold and not site_label.rich_style.bold, theme  # a cue besides colour
            assert name_label.rich_style.color != site_label.rich_style.color or theme.startswith("ansi"), theme
            if not theme.startswith("ansi"):  # the ANSI themes leave the background to the terminal
                assert name.background_colors[1] != site.background_colors[1], theme
