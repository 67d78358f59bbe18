"""The post editor, driven with Textual's Pilot on a small app that opens it over the shop launch plan."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from textual.app import App
from textual.widgets import Select, Static, TextArea

from planner.app.main import make_app
from planner.app.post_form import PostForm
from planner.plan.model import Plan, PlatformChoice
from planner.plan.plan_file import load
from planner.settings import Settings

NOW = dt.datetime(2027, 3, 10, 13, 0)  # Wednesday, local to Europe/Berlin
TUE = dt.date(2027, 3, 16)
OPEN = object()


@pytest.fixture
def plan(sample) -> Plan:
    loaded = load(sample("shop-launch.toml"))
    assert loaded.plan is not None
    return loaded.plan


class FormApp(App[None]):
    """Opens ``form`` and keeps what it dismisses with."""

    def __init__(self, form: PostForm) -> None:
        super().__init__()
        self.form = form
        self.result: object = OPEN

    def on_mount(self) -> None:
        self.push_screen(self.form, self.closed)

    def closed(self, result: dict | None) -> None:
        self.result = result


@contextlib.asynccontextmanager
async def opened(form: PostForm, size: tuple[int, int] = (100, 40)) -> AsyncIterator[tuple[FormApp, object]]:
    """Show ``form`` on a small app; ``app.result`` is what it dismissed with (`OPEN` while it is open)."""
    app = FormApp(form)
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


def value(app: App, widget_id: str) -> str:
    widget = app.screen.query_one(widget_id)
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Static):
        return str(widget.content)
    return widget.value


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def fill(pilot, app: App, widget_id: str, text: str) -> None:
    """Put ``text`` in a field as if typed, and let the form react."""
    field = app.screen.query_one(widget_id)
    field.focus()
    if isinstance(field, TextArea):
        field.text = text
    else:
        field.value = text
        field.cursor_position = len(text)
    await pilot.pause()


async def choose(pilot, app: App, widget_id: str, choice: str) -> None:
    app.screen.query_one(widget_id, Select).value = choice
    await pilot.pause()


def post(plan: Plan, post_id: str):
    return next(p for p in plan.posts if p.id == post_id)


# -- opening ------------------------------------------------------------------------------


async def test_editing_a_post_shows_its_fields_and_saves_them_as_they_go_in_the_file(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW)) as (app, pilot):
        assert value(app, "#date") == "2027-03-17" and value(app, "#time") == "18:00"
        assert app.screen.query_one("#platform", Select).value == "tiktok"
        assert app.screen.query_one("#format", Select).value == "video"
        assert app.screen.query_one("#status", Select).value == "approved"
        assert value(app, "#tags") == "teaser, process"
        assert "Europe/Berlin" in screen_text(app)
        assert "Edit post “Glaze test: 14 tries to get the Tide bl…”" in screen_text(app)  # by its title, not its id
        await fill(pilot, app, "#title", "Glaze test, 14 tries")
        await choose(pilot, app, "#status", "scheduled")
        await fill(pilot, app, "#tags", "teaser, , process, glaze, teaser")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == {
        "platform": "tiktok",
        "at": dt.datetime(2027, 3, 17, 18, 0),
        "format": "video",
        "status": "scheduled",
        "title": "Glaze test, 14 tries",
        "text": "It took 14 test tiles to get this blue right. Here's every one that didn't make it. #pottery #glaze #ceramics",
        "link": "",
        "tags": ["teaser", "process", "glaze"],
        "notes": "",
    }


async def test_escape_cancels_with_none(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW)) as (app, pilot):
        await fill(pilot, app, "#title", "changed my mind")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_the_platforms_list_the_chosen_ones_first_then_the_others_marked_not_chosen(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, _pilot):
        options = app.screen.query_one("#platform", Select)._options
        labels = [str(label) for label, _ in options]
        assert labels[:3] == ["Instagram", "TikTok", "Pinterest"]
        assert "X (Twitter) (not chosen)" in labels[3:]
        assert all(label.endswith("(not chosen)") for label in labels[3:])


# -- a new post ------------------------------------------------------------------------------


async def test_a_new_post_starts_on_its_day_at_the_platforms_best_time(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        assert "New post" in screen_text(app)
        assert app.screen.query_one("#platform", Select).value == "instagram"  # the first chosen platform
        assert (value(app, "#date"), value(app, "#time")) == ("2027-03-16", "19:00")  # instagram: tue 19:00
        assert app.screen.query_one("#status", Select).value == "idea"
        await choose(pilot, app, "#platform", "pinterest")
        assert value(app, "#time") == "20:00"  # no Tuesday slot: its earliest slot time
        await choose(pilot, app, "#platform", "tiktok")
        assert value(app, "#time") == "11:00"
        assert app.screen.query_one("#format", Select).value == "video"  # TikTok's first format
        await fill(pilot, app, "#date", "2027-03-17")
        assert value(app, "#time") == "18:00"  # a Wednesday: tiktok's wed 18:00
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["platform"] == "tiktok"
    assert app.result["at"] == dt.datetime(2027, 3, 17, 18, 0)
    assert app.result["format"] == "video"
    assert app.result["status"] == "idea"


async def test_a_typed_time_stays_when_the_platform_changes(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        await fill(pilot, app, "#time", "07:15")
        await choose(pilot, app, "#platform", "pinterest")
        assert value(app, "#time") == "07:15"


async def test_without_a_day_a_new_post_is_on_today_or_else_the_smm_start(plan: Plan) -> None:
    async with opened(PostForm(plan, now=dt.datetime(2027, 3, 16, 20, 0))) as (app, _pilot):
        # Tuesday evening: instagram's tue 19:00 has passed, so its earliest slot time
        assert (value(app, "#date"), value(app, "#time")) == ("2027-03-16", "10:00")
    async with opened(PostForm(plan)) as (app, _pilot):
        assert value(app, "#date") == "2027-03-15"  # the day after smo.due


async def test_enter_in_a_line_moves_to_the_next_field(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW)) as (app, pilot):
        assert app.focused is app.screen.query_one("#title")
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#text")
        app.screen.query_one("#link").focus()
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#tags")
        assert app.result is OPEN


# -- dates and times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("widget_id", "typed", "message"),
    [
        ("#date", "16/03/2027", "Type the date as YYYY-MM-DD, for example 2027-03-16."),
        ("#date", "2027-02-29", "2027-02-29 is not a day in the calendar."),
        ("#time", "7pm", "Type the time as HH:MM (24-hour), for example 09:30."),
        ("#time", "25:00", "25:00 is not a time of day (00:00 to 23:59)."),
    ],
)
async def test_a_bad_date_or_time_is_explained_and_not_saved(
    plan: Plan, widget_id: str, typed: str, message: str
) -> None:
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW)) as (app, pilot):
        await fill(pilot, app, widget_id, typed)
        assert value(app, "#when-note") == message
        app.screen.query_one("#title").focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result is OPEN
        assert value(app, "#error") == "Not saved: fix the date or time first."
        assert app.focused is app.screen.query_one(widget_id)
        assert message in screen_text(app)


async def test_a_time_the_clocks_skip_is_refused_with_the_next_valid_time(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW)) as (app, pilot):
        await fill(pilot, app, "#date", "2027-03-28")  # Europe/Berlin: the last Sunday of March
        await fill(pilot, app, "#time", "02:30")
        message = "2027-03-28 02:30 does not exist in Europe/Berlin (the clocks skip it); the next valid time is 03:00."
        assert value(app, "#when-note") == message
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result is OPEN
        assert "does not exist in Europe/Berlin" in screen_text(app)
        assert "next valid time is 03:00." in screen_text(app)
        await fill(pilot, app, "#time", "03:00")
        assert value(app, "#when-note") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["at"] == dt.datetime(2027, 3, 28, 3, 0)


async def test_a_time_that_happens_twice_is_warned_about_and_saved_as_typed(plan: Plan) -> None:
    plan.campaign = dataclasses.replace(plan.campaign, end=dt.date(2027, 12, 31))  # the sample ends in April
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW)) as (app, pilot):
        await fill(pilot, app, "#date", "2027-10-31")  # the last Sunday of October
        await fill(pilot, app, "#time", "02:30")
        assert (
            value(app, "#when-note")
            == "⚠ 2027-10-31 02:30 happens twice in Europe/Berlin (the clocks go back); it is saved as typed."
        )
        assert "happens twice in Europe/Berlin" in screen_text(app)
        assert app.screen.query_one("#when-note").has_class("-warning")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["at"] == dt.datetime(2027, 10, 31, 2, 30)


# -- counters ------------------------------------------------------------------------------


async def test_the_counters_count_graphemes_so_an_emoji_sequence_is_one(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        assert value(app, "#text-count") == "text 0/2200 · hashtags 0/5"
        await fill(pilot, app, "#text", "👩‍👩‍👧 🇩🇪 👍🏽 #one")  # family (ZWJ), flag, skin tone
        assert value(app, "#text-count") == "text 10/2200 · hashtags 1/5"
        await pilot.press("end", "space", "#", "t", "w", "o")  # typing updates them as it goes
        assert value(app, "#text-count") == "text 15/2200 · hashtags 2/5"
        await fill(pilot, app, "#title", "Café ☕")
        assert value(app, "#title-count") == "title 6"  # instagram has no title limit


async def test_the_counter_weighs_like_x_on_x(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        await choose(pilot, app, "#platform", "x")
        await fill(pilot, app, "#text", "Sale 👩‍👩‍👧 shop.com/sale?x=1 and 陶器")
        # "Sale " 5 + emoji 2 + " " 1 + link 23 + " and " 5 + two CJK characters 4; X has no hashtag limit
        assert value(app, "#text-count") == "text 40/280 · hashtags 0"


async def test_over_the_limit_the_counter_warns_and_saving_is_still_allowed(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        text = "#a #b #c #d #e #f " + "x" * 2190
        await fill(pilot, app, "#text", text)
        counter = app.screen.query_one("#text-count")
        assert value(app, "#text-count") == (
            "text 2208/2200 · hashtags 6/5  ⚠ over the limit: text by 8, hashtags by 1 (saving is allowed)"
        )
        assert counter.has_class("-warning")
        await fill(pilot, app, "#text", text[3:-10])
        assert value(app, "#text-count") == "text 2195/2200 · hashtags 5/5"
        assert not counter.has_class("-warning")
        await fill(pilot, app, "#text", text)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["text"] == text


async def test_a_custom_platform_counts_against_its_own_limits(plan: Plan) -> None:
    plan.platforms.append(PlatformChoice("forum", label="Our forum", title_limit=5, text_limit=20))
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        await choose(pilot, app, "#platform", "forum")
        await fill(pilot, app, "#title", "Opening day")
        await fill(pilot, app, "#text", "#see #you")
        assert value(app, "#title-count") == "title 11/5  ⚠ over the limit: title by 6 (saving is allowed)"
        assert value(app, "#text-count") == "text 9/20 · hashtags 2"
        assert app.screen.query_one("#format", Select).value == "post"


async def test_the_counters_follow_the_format_a_tiktok_photo_post_has_its_own_limits(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        await choose(pilot, app, "#platform", "tiktok")
        await fill(pilot, app, "#title", "Glaze test")
        await fill(pilot, app, "#text", "x" * 2500)
        assert app.screen.query_one("#format", Select).value == "video"
        assert (
            value(app, "#text-count")
            == "text 2500/2200 · hashtags 0  ⚠ over the limit: text by 300 (saving is allowed)"
        )
        assert value(app, "#title-count") == "title 10"  # a video caption has no separate title
        await choose(pilot, app, "#format", "photo")
        assert value(app, "#text-count") == "text 2500/4000 · hashtags 0"
        assert value(app, "#title-count") == "title 10/90"


async def test_a_youtube_description_is_counted_in_bytes_and_says_so(plan: Plan) -> None:
    plan.platforms.append(PlatformChoice("youtube"))
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        await choose(pilot, app, "#platform", "youtube")
        await fill(pilot, app, "#title", "陶器")
        await fill(pilot, app, "#text", "Café 陶器 👍🏽")
        assert value(app, "#text-count") == "text 21/5000 bytes · hashtags 0/60"  # 5 + 1 + 6 + 1 + 8
        assert value(app, "#title-count") == "title 2/100"  # a title is 100 characters
        await fill(pilot, app, "#text", "陶" * 1667)
        assert (
            value(app, "#text-count")
            == "text 5001/5000 bytes · hashtags 0/60  ⚠ over the limit: text by 1 byte (saving is allowed)"
        )


def format_labels(app: App) -> list[str]:
    return [str(label) for label, _ in app.screen.query_one("#format", Select)._options]


async def test_a_post_offers_the_formats_its_platform_has_and_they_follow_the_platform(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        assert format_labels(app) == [
            "post",
            "carousel",
            "reel",
            "story",
            "live",
            "ad",
        ]  # Instagram's, from the rules data
        await choose(pilot, app, "#platform", "pinterest")
        assert format_labels(app) == ["pin", "carousel", "video", "ad"]
        assert app.screen.query_one("#format", Select).value == "pin"  # a new post's format follows until one is chosen
        await choose(pilot, app, "#format", "carousel")
        await choose(pilot, app, "#platform", "tiktok")
        assert format_labels(app) == ["video", "photo", "carousel", "live", "ad"]
        assert app.screen.query_one("#format", Select).value == "carousel"  # chosen, and TikTok has it: kept
        await pilot.press("tab", "tab", "tab", "enter")  # the format list, opened with the keys
        await pilot.pause()
        shown = screen_text(app)
        assert "photo" in shown and "reel" not in shown and "newsletter" not in shown


async def test_changing_the_platform_with_the_keys_changes_the_formats_offered(plan: Plan) -> None:
    async with opened(PostForm(plan, day=TUE, now=NOW)) as (app, pilot):
        await pilot.press(
            "enter", "down", "enter", "tab", "tab", "tab", "enter"
        )  # Instagram → TikTok, then open the formats
        await pilot.pause()
        assert app.screen.query_one("#platform", Select).value == "tiktok"
        shown = screen_text(app)
        assert "photo" in shown and "live" in shown and "reel" not in shown and "story" not in shown
        await pilot.press("down", "enter", "ctrl+s")  # photo
        await pilot.pause()
    assert (app.result["platform"], app.result["format"]) == ("tiktok", "photo")


async def test_a_format_the_platform_has_not_is_kept_and_marked(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "ig-teaser-glaze"), now=NOW)) as (app, pilot):
        await choose(pilot, app, "#platform", "pinterest")  # no reels on Pinterest
        assert format_labels(app) == ["pin", "carousel", "video", "ad", "reel (not a Pinterest format)"]
        assert app.screen.query_one("#format", Select).value == "reel"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["format"] == "reel"  # nothing is lost
    plan.posts.append(dataclasses.replace(post(plan, "tt-glaze-test"), id="webinar", format="webinar"))
    async with opened(PostForm(plan, plan.posts[-1], now=NOW)) as (app, pilot):
        assert format_labels(app)[-1] == "webinar (not a TikTok format)"
        assert app.screen.query_one("#format", Select).value == "webinar"


# -- text from the plan ------------------------------------------------------------------------------


async def test_text_from_the_plan_is_shown_as_typed_not_as_markup(plan: Plan) -> None:
    plan.platforms.append(PlatformChoice("forum", label="[b]Our[/b] forum"))
    odd = dataclasses.replace(
        post(plan, "tt-glaze-test"), id="odd", platform="forum", title="[bold]x", text="[red]hi[/red]", format="[i]zine"
    )
    plan.posts.append(odd)
    async with opened(PostForm(plan, odd, now=NOW)) as (app, pilot):
        shown = screen_text(app)
        assert "[bold]x" in shown
        assert "[red]hi[/red]" in shown
        assert "[b]Our[/b] forum" in shown
        assert "[i]zine" in shown  # a custom format is kept
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["title"] == "[bold]x"
    assert app.result["format"] == "[i]zine"


async def test_at_80x24_everything_is_reachable_even_with_a_two_line_note(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW), size=(80, 24)) as (app, pilot):
        shown = screen_text(app)
        for label in (
            "Platform",
            "When",
            "Europe/Berlin",
            "Format",
            "Status",
            "Title",
            "Text",
            "Link",
            "Tags",
            "Notes",
            "Save (ctrl+s)",
        ):
            assert label in shown, label
        await fill(pilot, app, "#date", "2027-03-28")
        await fill(pilot, app, "#time", "02:30")  # the note under the time takes two lines now
        for _ in range(9):
            await pilot.press("tab")
        assert app.focused is app.screen.query_one("#save")
        assert "Save (ctrl+s)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is OPEN  # still refused: the time does not exist
        assert app.focused is app.screen.query_one("#time")


async def test_escape_in_the_text_cancels_but_in_an_open_list_only_closes_it(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "tt-glaze-test"), now=NOW)) as (app, pilot):
        app.screen.query_one("#platform").focus()
        await pilot.press("enter")
        assert app.screen.query_one("#platform", Select).expanded
        await pilot.press("escape")
        assert not app.screen.query_one("#platform", Select).expanded
        assert app.result is OPEN
        app.screen.query_one("#text").focus()
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_changing_the_platform_of_a_post_keeps_its_time_and_format_and_counts_for_the_new_one(plan: Plan) -> None:
    async with opened(PostForm(plan, post(plan, "ig-teaser-glaze"), now=NOW)) as (app, pilot):
        assert value(app, "#text-count") == "text 131/2200 · hashtags 3/5"
        await choose(pilot, app, "#platform", "x")
        assert value(app, "#text-count") == "text 132/280 · hashtags 3"  # the wave emoji weighs 2 on X
        assert value(app, "#time") == "19:00"
        assert app.screen.query_one("#format", Select).value == "reel"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert (app.result["platform"], app.result["at"], app.result["format"]) == (
        "x",
        dt.datetime(2027, 3, 16, 19),
        "reel",
    )


async def test_seconds_in_the_file_stay_unless_the_time_is_changed(plan: Plan) -> None:
    exact = dataclasses.replace(post(plan, "tt-glaze-test"), at=dt.datetime(2027, 3, 17, 18, 0, 30))
    for typed, expected in ((None, exact.at), ("18:05", dt.datetime(2027, 3, 17, 18, 5))):
        async with opened(PostForm(plan, exact, now=NOW)) as (app, pilot):
            if typed:
                await fill(pilot, app, "#time", typed)
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert app.result["at"] == expected


async def test_the_help_lists_the_form_keys_once_for_both_forms(sample) -> None:
    app = make_app(sample("shop-launch.toml"), Settings(), clock=lambda: dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        sections = dict(app.key_sections())
        assert sections["Forms and dialogs"] == [
            ("esc", "Cancel"),
            ("^s", "Save the form"),
            ("tab", "Next field"),
            ("enter", "Press the focused button"),
        ]


async def test_a_day_before_the_smm_phase_is_warned_about_and_can_be_saved(plan: Plan) -> None:
    async with opened(PostForm(plan, day=dt.date(2027, 3, 12), now=NOW)) as (app, pilot):
        assert (
            value(app, "#when-note")
            == "⚠ 2027-03-12 is before the SMM phase starts on 2027-03-15 (SMM starts where SMO ends)."
        )
        await fill(pilot, app, "#date", "2027-03-15")
        assert value(app, "#when-note") == ""
        await fill(pilot, app, "#date", "2027-03-12")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["at"].date() == dt.date(2027, 3, 12)
