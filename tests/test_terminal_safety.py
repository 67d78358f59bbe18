"""Text from outside on screen: escape sequences in a plan, a file name or a page are shown, never obeyed.

Each surface is tried in Pilot (the screen holds the visible form ``^[`` and
no raw ESC) and the real binary in tmux with ``set-clipboard on`` (no tmux
buffer appears, the pane title stays). Issue 12, items 5 and 23.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import SAMPLES
from rich.cells import cell_len
from test_app import NOON, running, screen_text, settle
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, TextArea

from planner.app.audit_screen import AuditScreen
from planner.app.dialogs import ChoiceDialog
from planner.app.forms import SmoItemForm
from planner.app.help import HelpScreen
from planner.app.main import PlannerApp, make_app
from planner.app.post_form import PostForm
from planner.app.screen_text import pictured
from planner.settings import Settings
from planner.textsafe import MAX_MARKS, for_terminal, one_line

# What a hostile plan holds: write the clipboard (OSC 52), set the window title (OSC 0), clear the screen (CSI).
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
WINDOW_TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J"
EVIL = CLIPBOARD + WINDOW_TITLE + CLEAR
SHOWN = "^[]52;c;cHduZWQ=^G^[]0;PWNED^G^[[2J"
TOML_EVIL = EVIL.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
# The name the plan's file gets in the file-name tests.
EVIL_FILE = "shop\x1b]0;PWNED\x07.toml"


def hostile_plan(folder: Path, name: str = "shop-launch.toml") -> Path:
    """The shop sample with EVIL in its campaign name, an SMO item, a post, a platform's handle and a competitor."""
    text = (SAMPLES / "shop-launch.toml").read_text("utf-8")
    for before, after in (
        ('name = "Tide collection launch"', f'name = "Tide {TOML_EVIL} launch"'),
        ('title = "Alt text on all product photos"', f'title = "Alt text {TOML_EVIL} on photos"'),
        ('title = "Teaser: first kiln opening"', f'title = "Teaser {TOML_EVIL} kiln"'),
        ('handle = "kilnandco"', f'handle = "kiln{TOML_EVIL}co"'),
        ('name = "Claywork Studio"', f'name = "Claywork {TOML_EVIL} Studio"'),
    ):
        assert before in text, before
        text = text.replace(before, after, 1)
    plan = folder / name
    plan.write_text(text, "utf-8")
    return plan


def assert_nothing_written(app: PlannerApp) -> str:
    """What the screen would write to a terminal holds no sequence but the app's own; returns that text without them."""
    written = app.screen._compositor.render_update(full=True).render_segments(app.console)
    own = re.sub(r"\x1b\[[0-9;]*[mH]|\x1b\]8;[^\x1b]*\x1b\\", "", written)  # colours, cursor moves, links
    assert "\x1b" not in own and "\x07" not in own, repr(own[:200])
    return own


def assert_nothing_raw(app: PlannerApp) -> str:
    """No control character on screen, and none written to a terminal but the app's own sequences."""
    text = screen_text(app)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), text
    assert_nothing_written(app)
    return text


def assert_shown_not_obeyed(app: PlannerApp) -> str:
    """The screen shows EVIL visibly (``^[``, or ``␛`` in a field being edited), and nothing raw."""
    text = assert_nothing_raw(app)
    assert SHOWN in text or "␛]52" in text, text
    return text


def select(app: PlannerApp, list_id: str, option_id: str) -> None:
    option_list = app.query_one(list_id, OptionList)
    option_list.highlighted = option_list.get_option_index(option_id)


async def until(pilot, condition) -> None:
    """Let the app run until ``condition()`` holds (a worker or a redraw may be on its way)."""
    for _ in range(100):
        if condition():
            return
        await pilot.pause()
    assert condition()


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return hostile_plan(tmp_path)


# -- the shared function ------------------------------------------------------------


def test_one_function_makes_control_characters_visible_and_caps_combining_marks() -> None:
    assert for_terminal(EVIL) == SHOWN
    assert one_line("a\nb\tc\x1b") == "a b c^["
    heavy = "Z" + "\u0301" * 3000 + "algo"
    assert for_terminal(heavy) == "Z" + "\u0301" * MAX_MARKS + "algo"
    for word in ("Việt Nam", "שָׁלוֹם", "नमस्ते", "e\u0301\u0327"):  # real text keeps every mark
        assert for_terminal(word) == word


def test_a_value_being_edited_is_shown_with_symbols_of_the_same_length() -> None:
    assert pictured(EVIL) == "␛]52;c;cHduZWQ=␇␛]0;PWNED␇␛[2J"
    assert len(pictured(EVIL)) == len(EVIL)
    assert pictured("tab\tstays") == "tab\tstays"


# -- every surface, in Pilot ------------------------------------------------------------


async def test_the_title_bar_shows_the_campaign_name_visibly(plan: Path) -> None:
    async with running(plan, size=(140, 40)) as (app, _pilot):
        assert app.title == f"Tide {SHOWN} launch"
        header = assert_shown_not_obeyed(app).splitlines()[0]
        assert f"Tide {SHOWN}" in header


async def test_the_title_bar_shows_a_hostile_file_name_visibly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan = hostile_plan(tmp_path, EVIL_FILE)
    async with running(plan, size=(140, 40)) as (app, _pilot):
        assert "shop^[]0;PWNED^G.toml" in app.sub_title
        assert "shop^[]0;PWNED^G.toml" in assert_shown_not_obeyed(app).splitlines()[0]
        assert "shop^[]0;PWNED^G.toml" in app.query_one("#status-line").content.plain  # "Opened ..."


@pytest.mark.parametrize(
    ("key", "where"),
    [
        ("1", "the overview's form and next posts"),
        ("2", "the checklist's list and details"),
        ("3", "the platforms' list and details"),
        ("4", "the calendar's grid"),
        ("5", "the competitors' list and details"),
    ],
)
async def test_every_view_shows_plan_text_visibly(plan: Path, key: str, where: str) -> None:
    async with running(plan, size=(140, 45)) as (app, pilot):
        await pilot.press(key)
        await settle(app, pilot)
        if key == "2":
            select(app, "#smo-list", "image-alt-text")  # the hostile item, in its details too
        if key == "3":
            select(app, "#platforms-list", "pinterest")  # its handle is hostile
        await pilot.pause()
        assert_shown_not_obeyed(app)


async def test_the_agenda_and_the_line_under_the_calendar_show_plan_text_visibly(plan: Path) -> None:
    async with running(plan, size=(140, 45)) as (app, pilot):
        await pilot.press("4", "l")
        await settle(app, pilot)
        text = assert_shown_not_obeyed(app)
        assert f"Teaser {SHOWN}" in text


async def test_a_notification_shows_outside_text_visibly_and_never_as_markup(plan: Path) -> None:
    app = make_app(plan, Settings(), clock=lambda: NOON)
    app.animation_level = "none"
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify(f"Could not read [b]{EVIL}[/b]", title=f"Name {WINDOW_TITLE}")
        await until(pilot, lambda: "Could not read" in screen_text(app))  # the toast is drawn
        text = assert_shown_not_obeyed(app)
        assert f"Could not read [b]{SHOWN}[/b]" in text
        assert "Name ^[]0;PWNED^G" in text


async def test_a_dialog_shows_plan_text_visibly(plan: Path) -> None:
    async with running(plan, size=(140, 45)) as (app, pilot):
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("d")  # delete the hostile competitor? the dialog names it
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert f"Claywork {SHOWN}" in assert_shown_not_obeyed(app)


async def test_help_and_the_palette_hold_no_raw_control_character(plan: Path) -> None:
    async with running(plan, size=(140, 45)) as (app, pilot):
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert_nothing_raw(app)
        await pilot.press("escape", "ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert_nothing_raw(app)
        # Textual's own palette field (not one of ours) holds the raw text; the last line drops it from what is written.
        app.screen.query_one(Input).value = f"find {EVIL}"
        await until(pilot, lambda: "find \x1b]52" in screen_text(app))
        assert "find" in assert_nothing_written(app)


async def test_a_form_shows_the_value_with_symbols_and_saving_keeps_its_real_characters(plan: Path) -> None:
    original = plan.read_bytes()
    async with running(plan, size=(140, 45)) as (app, pilot):
        await pilot.press("2")
        await settle(app, pilot)
        select(app, "#smo-list", "image-alt-text")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SmoItemForm)
        assert app.screen.query_one("#title", Input).value == f"Alt text {EVIL} on photos"
        assert "␛]52;c;cHduZWQ=␇" in assert_shown_not_obeyed(app)
        await pilot.press("ctrl+s")  # saved unchanged: nothing to save
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert plan.read_bytes() == original


async def test_the_post_form_and_its_text_area_keep_real_characters(plan: Path) -> None:
    async with running(plan, size=(140, 45)) as (app, pilot):
        await pilot.press("4", "l")
        await settle(app, pilot)
        view = app.query_one("#calendar")
        view.select_post(next(i for i, post in enumerate(app.plan_file.plan.posts) if "Teaser" in post.title))
        view.redraw()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PostForm)
        app.screen.query_one("#notes", TextArea).load_text(f"notes {EVIL}")
        await pilot.pause()
        assert app.screen.query_one("#notes", TextArea).text == f"notes {EVIL}"
        assert "notes ␛]52" in assert_shown_not_obeyed(app)


async def test_an_audited_pages_title_is_shown_visibly(plan: Path, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        f"<!doctype html><html lang=en><head><title>Shop {EVIL} home page title</title></head><body><h1>x</h1></body></html>"
    )
    async with running(plan, size=(140, 45)) as (app, pilot):
        app.push_screen(AuditScreen(app.plan_file.plan, str(page), app.now().date()))
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.report is not None
        assert SHOWN in assert_shown_not_obeyed(app)


async def test_a_title_with_thousands_of_combining_marks_is_shown_with_a_few_and_saved_with_all(plan: Path) -> None:
    heavy = "Z" + "\u0301" * 3000 + "algo"
    text = plan.read_text("utf-8").replace('title = "Pin-it and share buttons on product pages"', f'title = "{heavy}"')
    plan.write_text(text, "utf-8")
    async with running(plan, size=(140, 45)) as (app, pilot):
        await pilot.press("2")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Z" + "\u0301" * MAX_MARKS + "algo" in shown
        assert "\u0301" * (MAX_MARKS + 1) not in shown
        assert any(item.title == heavy for item in app.plan_file.plan.smo_items)


# -- the real terminal ----------------------------------------------------------------------

TMUX = shutil.which("tmux")
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class ClipboardTerminal:
    """The real `planner` in tmux with ``set-clipboard on``: an OSC 52 that reaches tmux becomes a paste buffer."""

    def __init__(self, cwd: Path, home: Path, plan: Path) -> None:
        self.name = f"safety-{uuid.uuid4().hex[:8]}"
        config = cwd / "tmux.conf"
        config.write_text("set -g set-clipboard on\nset -g allow-rename on\n")
        self.tmux = [TMUX, "-L", self.name, "-f", str(config)]
        script = Path(sys.executable).with_name("planner")
        command = shlex.join(
            [
                str(script) if script.exists() else sys.executable,
                *([] if script.exists() else ["-m", "planner"]),
                plan.name,
            ]
        )
        env = f"PLANNER_HOME={shlex.quote(str(home))} TERM=xterm-256color"
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "140",
                "-y",
                "40",
                "-c",
                str(cwd),
                f"env -u COLUMNS -u LINES {env} {command}; sleep 30",
            ],
            check=True,
        )
        self.title_before = self.pane_title()

    def run(self, *args: str) -> str:
        return subprocess.run([*self.tmux, *args], capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def pane_title(self) -> str:
        return self.run("display-message", "-p", "-t", self.name, "#{pane_title}").strip()

    def shows(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return True
            time.sleep(0.1)
        return False

    def wait_for(self, text: str, timeout: float = 20) -> str:
        if not self.shows(text, timeout):
            raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")
        return self.screen()

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def assert_untouched(self) -> None:
        assert self.run("list-buffers") == "", "a sequence from the plan wrote the clipboard"
        assert "PWNED" not in self.pane_title() and self.pane_title() == self.title_before

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def clipboard_terminal(tmp_path: Path, isolated_home: Path):
    opened: list[ClipboardTerminal] = []

    def start(plan: Path) -> ClipboardTerminal:
        opened.append(ClipboardTerminal(tmp_path, isolated_home, plan))
        return opened[-1]

    yield start
    for term in opened:
        term.close()


@needs_tmux
def test_in_a_real_terminal_no_view_writes_the_clipboard_or_the_title(tmp_path: Path, clipboard_terminal) -> None:
    plan = hostile_plan(tmp_path, EVIL_FILE)
    page = tmp_path / "index.html"
    page.write_text(f"<html><head><title>Home {EVIL} page</title></head></html>")
    term = clipboard_terminal(plan)
    screen = term.wait_for("Tide ^[]52;c;cHduZWQ=^G")  # the title bar
    assert "shop^[]0;PWNED^G.toml" in screen  # the file name in the title bar
    for key, seen in (("2", "Alt text ^["), ("3", "Pinterest"), ("4", "Mon"), ("5", "Claywork ^[")):
        term.keys(key)
        term.wait_for(seen)
    term.keys("4", "l")
    term.wait_for("Teaser ^[")  # the agenda
    term.keys("2")
    term.wait_for("id: keyword-research")  # the checklist is shown, its first item selected: its list has the focus
    term.keys("u")
    term.wait_for("Audit the site")
    subprocess.run([*term.tmux, "send-keys", "-t", term.name, "-l", page.name], check=True)
    term.wait_for("index.html")
    term.keys("Enter")
    term.wait_for("Home ^[", timeout=60)  # the page's title in the audit's findings
    term.assert_untouched()


@needs_tmux
def test_in_a_real_terminal_combining_marks_do_not_push_a_border(tmp_path: Path, clipboard_terminal) -> None:
    plan = tmp_path / "marks.toml"
    text = (SAMPLES / "shop-launch.toml").read_text("utf-8")
    plan.write_text(
        text.replace(
            'title = "Keywords for the collection',
            'title = "Z' + "\u0301" * 3000 + "algo Keywords for the collection",
            1,
        ),
        "utf-8",
    )
    term = clipboard_terminal(plan)
    term.wait_for("Tide collection launch")
    term.keys("2")
    screen = term.wait_for("algo Keywords")
    lines = [line for line in screen.splitlines() if "│" in line]
    assert lines and len({cell_len(line[: line.rindex("│")]) for line in lines}) == 1, (
        screen
    )  # the right border in one column on every line
