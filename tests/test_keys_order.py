"""Keys pressed without waiting go where the keys before them led, even when that takes a few messages or a slow form.

`burst` puts every key in the app's queue at once, as a terminal delivers a
burst: a key that moved the focus by way of a message (Enter's `Submitted`,
a tab's activation) or opened a form that takes long to mount must have done
so before the next key is routed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tomllib
from pathlib import Path

import pytest
from test_app import running, settle
from test_keys_burst import burst
from textual.widgets import Input

from planner.app.calendar.agenda import AgendaList
from planner.app.forms import SmoItemForm
from planner.app.views.calendar import CalendarView


async def test_the_key_after_enter_in_the_agenda_filter_goes_to_the_agenda(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await burst(app, pilot, "4", "l", "/", *"platform:tiktok", "enter", "s")
        view = app.query_one(CalendarView)
        assert app.query_one("#calendar-filter", Input).value == "platform:tiktok"
        assert app.focused is app.query_one("#calendar-list", AgendaList)
        assert (view.sort, view.descending) == ("date", True)  # s sorted the agenda the other way


async def test_the_key_after_a_view_key_goes_to_that_view(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await burst(app, pilot, "4", "l")
        assert app.query_one(CalendarView).mode == "agenda"


async def test_the_key_after_enter_in_go_to_date_goes_to_the_calendar(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await burst(app, pilot, "4", "g", "end", *["backspace"] * 12, *"2028-01-10", "enter", "right")
        assert app.query_one(CalendarView).day == dt.date(2028, 1, 11)


async def test_keys_wait_for_a_form_that_is_slow_to_mount(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mount = SmoItemForm.on_mount

    async def slow_mount(self: SmoItemForm) -> None:
        await asyncio.sleep(3)  # a form on a busy machine (the keys after "a" wait); it focuses its title once mounted
        mount(self)

    monkeypatch.setattr(SmoItemForm, "on_mount", slow_mount)
    async with running(plan) as (app, pilot):
        await pilot.press("2")
        await settle(app, pilot)
        await burst(app, pilot, "a", *"Slow form", "ctrl+s", "ctrl+s")
        for _ in range(200):  # burst returns before the keys held back for the form are all handled
            if "Slow form" in plan.read_text("utf-8"):
                break
            await pilot.pause(0.05)
    titles = [item["title"] for item in tomllib.loads(plan.read_text("utf-8"))["smo"]["items"]]
    assert titles[-1] == "Slow form"
