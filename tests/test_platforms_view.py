"""View 3, the platforms, driven with Textual's Pilot.

Each editing test saves and compares the file on bytes: only the edited
lines change, comments stay, and undo gives the original bytes back.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from test_app import changed_lines, comments, fill, running, screen_text, settle, status, to_list, unsaved
from textual.widgets import Input, OptionList

from planner.app.dialogs import ChoiceDialog
from planner.app.main import PlannerApp
from planner.app.post_form import PostForm
from planner.app.smm_forms import PlatformForm

INSTAGRAM_LINES = [
    "",
    "[[smm.platforms]]",
    'name = "instagram"',
    'handle = "@kilnandco"',
    'why = "Most of our customers find us here; product photos do the selling"',
    "cadence = 2",
    'best_times = ["tue 19:00", "thu 19:00", "sun 10:00"]',
]


async def to_platforms(app: PlannerApp, pilot, name: str | None = None) -> OptionList:
    return await to_list(app, pilot, "3", "platforms-list", name)


async def footer_text(app: PlannerApp, pilot, expected: str) -> str:
    """The footer once it shows ``expected`` (it is rebuilt a moment after the keys change)."""
    for _ in range(20):
        footer = screen_text(app).splitlines()[-1]
        if expected in footer:
            break
        await pilot.pause(0.05)
    return footer


def detail(app: PlannerApp) -> str:
    """The details panel as plain text, its lines as wide as they need to be."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(app.query_one("#platforms-detail-text").content)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines()) + "\n"


def highlighted(option_list: OptionList) -> str | None:
    return option_list.get_option_at_index(option_list.highlighted).id


def row(option_list: OptionList, name: str) -> str:
    """What the list shows for platform ``name``."""
    prompt = option_list.get_option(name).prompt
    return str(prompt.columns[0]._cells[0])


async def save(app: PlannerApp, pilot, path: Path) -> bytes:
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert status(app) == f"Saved {path.name}"
    return path.read_bytes()


async def submit(pilot, form: PlatformForm, **fields: str) -> None:
    for field_id, text in fields.items():
        await fill(pilot, form.query_one(f"#{field_id.replace('_', '-')}", Input), text)
    await pilot.press("ctrl+s")


def error(form) -> str:
    return str(form.query_one("#error").content)


# -- showing ---------------------------------------------------------------------------


async def test_all_platforms_are_listed_with_the_chosen_marked_and_counted(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        option_list = await to_platforms(app, pilot)
        names = [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]
        assert names == [
            "x",
            "linkedin",
            "instagram",
            "facebook",
            "tiktok",
            "youtube",
            "pinterest",
            "threads",
            "mastodon",
            "bluesky",
            "snapchat",
        ]
        assert option_list.border_title == "Platforms · 3 chosen"
        assert row(option_list, "instagram").startswith("[x] Instagram  @kilnandco · 2/week")
        assert row(option_list, "linkedin") == "[ ] LinkedIn"
        text = screen_text(app)
        assert "Platforms · 3 chosen" in text and "[x] TikTok" in text and "[ ] X (Twitter)" in text
        assert highlighted(option_list) == "x"
        assert "X (Twitter)  (x)  not chosen" in detail(app)
        footer = await footer_text(app, pilot, "space Choose")
        assert "x Unchoose" not in footer and "n Custom platform" in footer


async def test_the_selected_platform_shows_its_rules_choice_posts_and_competitors(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await to_platforms(app, pilot, "instagram")
        shown = detail(app)
        assert "Instagram  (instagram)  chosen" in shown
        assert "handle      @kilnandco" in shown
        assert "why         Most of our customers find us here" in shown
        assert "cadence     2 posts a week" in shown
        assert "best times  tue 19:00, thu 19:00, sun 10:00" in shown
        assert "text limit  2,200  as of 2026-12-02\n" in shown
        assert "https://developers.facebook.com/docs/instagram-platform" in shown  # the source
        assert "title limit none" in shown
        assert "hashtags    5  as of 2025-12-18\n" in shown
        assert "counting    graphemes" in shown
        assert "formats     post, carousel, reel, story, live, ad" in shown
        assert "Posts (9, 9 to come)" in shown
        assert "2027-03-16 19:00  Teaser: first kiln" in shown and "… and 4 more" in shown
        assert "Claywork Studio  @clayworkstudio" in shown and "Stoneware Supply Co.  @stonewaresupply" in shown
        footer = await footer_text(app, pilot, "x Unchoose")
        assert "e Edit" in footer and "space Choose" not in footer
        assert app.query_one("#platforms").check_action("choose", ()) is False

        await pilot.press("down", "down")  # TikTok, then YouTube: not chosen, no posts, no competitors
        assert "Claywork Studio  @claywork\n" in detail(app)
        await pilot.press("down")
        shown = detail(app)
        assert "Not chosen: press space to choose it." in shown
        assert "text limit  5,000 bytes  as of 2025-12-01\n" in shown  # YouTube counts a description in bytes
        assert "title limit 100  as of 2025-12-01\n" in shown
        assert "Posts: none yet" in shown and "Competitors here: none noted" in shown
        assert app.query_one("#platforms").check_action("unchoose", ()) is False
        assert app.query_one("#platforms").check_action("edit", ()) is False


# -- choosing, editing, unchoosing ---------------------------------------------------------


async def test_space_chooses_a_platform_through_the_form_and_undo_removes_it(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_platforms(app, pilot, "linkedin")
        await pilot.press("space")
        form = app.screen
        assert isinstance(form, PlatformForm)
        assert "Choose LinkedIn" in screen_text(app)
        assert form.focused is form.query_one("#handle")
        await submit(pilot, form, handle="@kilnandco", cadence="-1")
        assert error(form) == "Posts a week is a whole number of at least 0, not “-1”."
        assert form.focused is form.query_one("#cadence")
        await submit(pilot, form, cadence="3", best_times="tue 9:00")
        assert error(form) == "“tue 9:00” is not a day and time: write tue 09:00, daily 18:00 or weekdays 09:00"
        await submit(pilot, form, why="B2B buyers: shop owners", best_times="Tue 09:00, thu 12:30")
        assert not isinstance(app.screen, PlatformForm)
        assert status(app) == "Choose LinkedIn"
        assert option_list.border_title == "Platforms · 4 chosen"
        assert highlighted(option_list) == "linkedin"
        assert row(option_list, "linkedin").startswith("[x] LinkedIn  @kilnandco · 3/week")
        assert "best times  tue 09:00, thu 12:30" in detail(app)
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            [],
            [
                "",
                "[[smm.platforms]]",
                'name = "linkedin"',
                'handle = "@kilnandco"',
                'why = "B2B buyers: shop owners"',
                "cadence = 3",
                'best_times = ["tue 09:00", "thu 12:30"]',
            ],
        )
        assert comments(after) == comments(before)

        await pilot.press("ctrl+z")
        assert status(app) == "Undid: choose LinkedIn"
        assert option_list.border_title == "Platforms · 3 chosen"
        assert row(option_list, "linkedin") == "[ ] LinkedIn"
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_escape_cancels_the_form_and_changes_nothing(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await to_platforms(app, pilot, "linkedin")
        await pilot.press("space", "a", "escape")
        assert not isinstance(app.screen, PlatformForm)
        assert not unsaved(app)


async def test_enter_chooses_an_unchosen_platform_and_edits_a_chosen_one(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_platforms(app, pilot, "youtube")
        await pilot.press("enter")
        assert isinstance(app.screen, PlatformForm) and "Choose YouTube" in screen_text(app)
        await pilot.press("escape")
        await to_platforms(app, pilot, "tiktok")
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, PlatformForm) and "Edit TikTok" in screen_text(app)
        assert form.query_one("#cadence", Input).value == "1"
        assert form.query_one("#best-times", Input).value == "wed 18:00, sat 11:00"
        await submit(pilot, form, why="", cadence="2")  # an emptied value goes
        assert status(app) == "Edit TikTok"
        assert "cadence     2 posts a week" in detail(app) and "why         (not said)" in detail(app)
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            ['why = "Process videos (throwing, glazing) reach people who don\'t know us yet"', "cadence = 1"],
            ["cadence = 2"],
        )
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: edit TikTok"
        assert "cadence     1 post a week" in detail(app)
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_e_edits_the_best_times_and_an_unchanged_form_changes_nothing(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_platforms(app, pilot, "pinterest")
        await pilot.press("e")
        await pilot.press("ctrl+s")  # nothing changed: no edit
        assert status(app) == "Pinterest: nothing changed"
        assert not unsaved(app)
        await pilot.press("e")
        await submit(pilot, app.screen, best_times="fri 20:00, sat 09:30")
        assert status(app) == "Edit Pinterest"
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            ['best_times = ["fri 20:00", "sun 20:00"]'],
            ['best_times = ["fri 20:00", "sat 09:30"]'],
        )
        await pilot.press("ctrl+z")
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_best_times_take_daily_weekdays_and_weekends_and_new_posts_follow_them(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_platforms(app, pilot, "instagram")
        await pilot.press(
            "e", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"Weekends 11:00, daily 18:00", "ctrl+s"
        )  # one burst
        await settle(app, pilot)
        assert status(app) == "Edit Instagram"
        assert "best times  weekends 11:00, daily 18:00" in detail(app)
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            ['best_times = ["tue 19:00", "thu 19:00", "sun 10:00"]'],
            ['best_times = ["weekends 11:00", "daily 18:00"]'],  # as typed, in lower case: what the plan keeps
        )
        await pilot.press("4")
        await settle(app, pilot)
        for day, time in (("2027-03-20", "11:00"), ("2027-03-22", "18:00")):  # a Saturday, a Monday
            await pilot.press("g", "ctrl+a", "ctrl+k", *day, "enter", "a")
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, PostForm) and form.query_one("#time", Input).value == time, day
            await pilot.press("escape")
            await settle(app, pilot)


async def test_d_unchooses_after_saying_how_many_posts_use_it(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_platforms(app, pilot, "instagram")
        await pilot.press("d")
        assert isinstance(app.screen, ChoiceDialog)
        assert "9 posts use Instagram. Unchoose it anyway?" in screen_text(app)
        await pilot.press("escape")  # cancelled: nothing changes
        assert not unsaved(app) and option_list.border_title == "Platforms · 3 chosen"
        await pilot.press("d")
        await pilot.click("#choice-yes")
        assert status(app) == "Unchoose Instagram"
        assert option_list.border_title == "Platforms · 2 chosen"
        assert highlighted(option_list) == "instagram"  # still listed, not chosen
        assert row(option_list, "instagram") == "[ ] Instagram"
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (INSTAGRAM_LINES, [])
        assert comments(after) == comments(before)
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: unchoose Instagram"
        assert option_list.border_title == "Platforms · 3 chosen"
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_d_unchooses_a_platform_without_posts_at_once(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_platforms(app, pilot, "threads")
        await pilot.press("space")
        await submit(pilot, app.screen, handle="@kiln")
        assert status(app) == "Choose Threads"
        chosen = await save(app, pilot, plan)
        await pilot.press("d")
        assert not isinstance(app.screen, ChoiceDialog)  # no posts: nothing to ask
        assert status(app) == "Unchoose Threads"
        assert row(option_list, "threads") == "[ ] Threads"
        assert await save(app, pilot, plan) == before
        await pilot.press("ctrl+z")
        assert status(app) == "Undid: unchoose Threads"
        assert await save(app, pilot, plan) == chosen


# -- custom platforms -----------------------------------------------------------------------


async def test_n_adds_a_custom_platform_with_its_own_limits(plan: Path) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        option_list = await to_platforms(app, pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, PlatformForm) and "New custom platform" in screen_text(app)
        assert form.focused is form.query_one("#name")
        await pilot.press("ctrl+s")
        assert error(form) == "A custom platform needs a name (letters, digits, - _ .)."
        await submit(pilot, form, name="pinterest")
        assert error(form) == "pinterest is a built-in platform: choose it from the list."
        await submit(pilot, form, name="potters forum")
        assert error(form) == "“potters forum” is not a name: use letters, digits, - _ . (a forum: forum)."
        await submit(pilot, form, name="forum")
        assert error(form) == "Give the custom platform a label (what to call it)."
        await submit(pilot, form, label="[b]Potters' forum", text_limit="0")
        assert error(form) == "Text limit is a whole number of at least 1, not “0”."
        await submit(pilot, form, text_limit="5000", hashtag_limit="3", cadence="1")
        assert status(app) == "Add custom platform [b]Potters' forum"
        assert highlighted(option_list) == "forum"
        assert option_list.border_title == "Platforms · 4 chosen"
        assert row(option_list, "forum").startswith("[x] [b]Potters' forum  custom")
        shown = detail(app)
        assert "[b]Potters' forum  (forum)  chosen" in shown
        assert "text limit  5,000 (this plan)\n" in shown and "hashtags    3 (this plan)\n" in shown
        assert "A custom platform: its limits are the plan's own." in shown
        after = await save(app, pilot, plan)
        assert changed_lines(before, after) == (
            [],
            [
                "",
                "[[smm.platforms]]",
                'name = "forum"',
                "cadence = 1",
                'label = "[b]Potters\' forum"',
                "text_limit = 5000",
                "hashtag_limit = 3",
            ],
        )

        await pilot.press("e")  # a custom platform's form has its label and limits
        form = app.screen
        assert form.query_one("#text-limit", Input).value == "5000"
        await submit(pilot, form, text_limit="", title_limit="80")
        assert status(app) == "Edit [b]Potters' forum"
        edited = await save(app, pilot, plan)
        assert changed_lines(after, edited) == (["text_limit = 5000"], ["title_limit = 80"])

        await pilot.press("ctrl+z", "ctrl+z")
        assert status(app) == "Undid: add custom platform [b]Potters' forum"
        assert "forum" not in [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]
        assert option_list.highlighted is not None
        await save(app, pilot, plan)
    assert plan.read_bytes() == before


async def test_a_plan_without_smm_can_choose_its_first_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "bare.toml"
    before = b'# A new plan.\nschema = 1\n\n[campaign]\nname = "Bare"\ntimezone = "UTC"\nstart = 2027-01-04\nend = 2027-02-01\n\n[smo]\ndue = 2027-01-08\n'
    path.write_bytes(before)
    async with running(path) as (app, pilot):
        option_list = await to_platforms(app, pilot, "mastodon")
        assert option_list.border_title == "Platforms · 0 chosen"
        await pilot.press("space")
        await submit(pilot, app.screen, handle="@bare@mastodon.social")
        assert status(app) == "Choose Mastodon"
        assert (
            await save(app, pilot, path)
            == before + b'\n[[smm.platforms]]\nname = "mastodon"\nhandle = "@bare@mastodon.social"\n'
        )
        await pilot.press("ctrl+z")
        assert await save(app, pilot, path) == before


async def test_plan_text_on_the_platforms_view_is_not_markup(plan: Path) -> None:
    text = plan.read_text("utf-8").replace('handle = "kilnandco"', 'handle = "[bold]kiln[/bold]"')
    plan.write_text(text.replace('why = "Table-setting', 'why = "[@click=app.quit]Table-setting'), "utf-8")
    async with running(plan) as (app, pilot):
        option_list = await to_platforms(app, pilot, "pinterest")
        assert row(option_list, "pinterest").startswith("[x] Pinterest  [bold]kiln[/bold] · 1/week")
        assert "handle      [bold]kiln[/bold]" in detail(app)
        assert "[@click=app.quit]Table-setting" in screen_text(app)
        assert app.is_running


async def test_the_keys_are_in_the_help_and_the_palette_offers_what_applies(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        sections = dict(app.key_sections())
        assert {("space", "Choose"), ("e", "Edit"), ("d", "Unchoose"), ("n", "Custom platform")} <= set(
            sections["Platforms"]
        )
        assert ("enter", "Choose, or edit a chosen platform") in sections["Platforms"]
        form_keys = [key for key, _ in sections["Forms and dialogs"]]
        assert len(form_keys) == len(set(form_keys))  # the forms share esc and ctrl+s: listed once
        assert {"esc", "^s"} <= set(form_keys)

        await to_platforms(app, pilot, "linkedin")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Choose" in titles and "Custom platform" in titles and "Unchoose" not in titles
        await to_platforms(app, pilot, "instagram")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Unchoose" in titles and "Edit" in titles and "Choose" not in titles


async def test_a_custom_platform_that_posts_use_is_not_unchosen(plan: Path) -> None:
    text = plan.read_text("utf-8").replace(
        "# --- Week 1: teasers", '[[smm.platforms]]\nname = "forum"\nlabel = "Forum"\n\n# --- Week 1: teasers'
    )
    start = text.index("[[smm.posts]]")
    text = text[:start] + text[start:].replace('platform = "tiktok"', 'platform = "forum"', 1)
    plan.write_text(text, "utf-8")
    async with running(plan) as (app, pilot):
        option_list = await to_platforms(app, pilot, "forum")
        assert row(option_list, "forum").startswith("[x] Forum  custom")
        assert "Posts (1, 1 to come)" in detail(app)
        await pilot.press("d")
        assert not isinstance(app.screen, ChoiceDialog)
        assert status(app) == "1 post uses Forum, a custom platform: move or delete them first."
        assert not unsaved(app) and option_list.border_title == "Platforms · 4 chosen"
