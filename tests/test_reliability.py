"""Nothing lost, in the app: the crash journal, a second app on the same plan, changes on disk, failed saves, hostile plans.

Driven with Pilot. The real-terminal crash (``kill -9`` in tmux) is in test_journey.py.
"""

from __future__ import annotations

import ast
import errno
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, SAMPLES, corpus_files
from test_app import NOON, items, running, screen_text, settle, status, to_checklist, unsaved
from textual.screen import ModalScreen

from planner import locations
from planner.app import main as app_main
from planner.app.dialogs import ChoiceDialog
from planner.app.load_error import LoadErrorScreen
from planner.app.main import load_failure, read_plan_file
from planner.cli import main as cli_main
from planner.plan import recovery, storage
from planner.plan import session as session_module
from planner.plan.edits import DeleteEntry, SetField
from planner.plan.lock import PlanLock
from planner.plan.plan_file import PlanFile
from planner.report import display_path
from planner.settings import Settings

INVALID = corpus_files("invalid")


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Journal and watch often, so the tests do not wait a second for each."""
    monkeypatch.setattr(session_module, "JOURNAL_DELAY", 0.05)
    monkeypatch.setattr(app_main, "WATCH_INTERVAL", 0.1)


# What ticking meta-descriptions in the checklist is called (its title, cut), in the status line and the journal.
TICK = "tick “Meta descriptions that mention 'handmad…”"


async def until(app, pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
        await settle(app, pilot)


def journaled(path: Path) -> list[str] | None:
    found = recovery.read(path)
    return None if found is None else [edit.describe() for edit in found.edits]


async def shown(app, pilot) -> str:
    """What the open dialog says (its title, message and buttons), or the screen's text, once drawn."""
    await pilot.pause()
    if isinstance(app.screen, ChoiceDialog):
        return " ".join([app.screen.title_text, app.screen.message, *(label for _, label in app.screen.choices)])
    return " ".join(screen_text(app).split())


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def told(app) -> list[str]:
    """Every notification from now on, kept: the app's own list drops each one when it times out."""
    said: list[str] = []
    notify = app.notify

    def record(message, *args, **kwargs):
        said.append(message)
        return notify(message, *args, **kwargs)

    app.notify = record
    return said


def when(written) -> str:
    return written.astimezone().strftime("%Y-%m-%d %H:%M")


# -- the crash journal ------------------------------------------------------------------------------


@pytest.mark.serial  # measures a real delay against the two-second promise
async def test_edits_are_journaled_within_two_seconds_and_follow_undo_redo_and_save(plan: Path) -> None:
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        edited = time.monotonic()
        await until(app, pilot, lambda: journaled(plan) is not None)
        assert time.monotonic() - edited < 2.0
        assert journaled(plan) == [TICK]
        found = recovery.read(plan)
        assert found.fingerprint == PlanFile.open(plan).source.fingerprint and found.written == NOON
        assert locations.journal_file(plan).parent == locations.state_dir() / "journals"  # not next to the plan
        assert sorted(p.name for p in plan.parent.iterdir() if p.name.startswith(".")) == []

        await pilot.press("down", "space")
        await until(app, pilot, lambda: len(journaled(plan) or []) == 2)
        await pilot.press("ctrl+z")  # undo is reflected: the journal holds what is applied now
        await until(app, pilot, lambda: journaled(plan) == [TICK])
        await pilot.press("ctrl+z")
        await until(app, pilot, lambda: journaled(plan) is None)  # nothing unsaved: no journal
        await pilot.press("ctrl+y")
        await until(app, pilot, lambda: journaled(plan) == [TICK])
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: journaled(plan) is None)  # a clean save removes it
        assert status(app) == "Saved shop-launch.toml"


@pytest.mark.parametrize(("key", "saved"), [("d", False), ("s", True)])  # Discard, Save
async def test_quitting_on_purpose_removes_the_journal(plan: Path, quick, key: str, saved: bool) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        await until(app, pilot, lambda: journaled(plan) is not None)
        await pilot.press("ctrl+q")
        await pilot.press(key)
        await settle(app, pilot)
    assert journaled(plan) is None and not locations.journal_file(plan).exists()
    assert items(plan)[2]["done"] is saved and (saved or plan.read_bytes() == before)


def crash_journal(plan: Path) -> PlanFile:
    """What an app killed after two edits leaves behind: the plan unchanged, its journal in the state folder."""
    plan_file = PlanFile.open(plan)
    plan_file.apply(SetField(("smo", "items", 2), "done", True, "tick meta-descriptions"))
    plan_file.apply(SetField(("campaign",), "name", "Recovered name", "rename the campaign"))
    state = plan_file.journal_state()
    recovery.write(plan, state.edits, state.fingerprint, NOON, state.expects)
    return plan_file


async def test_after_a_crash_the_edits_are_offered_and_restored_as_one_undoable_step(plan: Path, quick) -> None:
    before = plan.read_bytes()
    crashed = crash_journal(plan)
    async with running(plan) as (app, pilot):
        assert isinstance(app.screen, ChoiceDialog)
        text = await shown(app, pilot)
        assert "Unsaved edits found" in text
        assert f"2 unsaved edits to shop-launch.toml from {when(NOON)}" in text
        assert not unsaved(app)  # nothing applied before the user says so
        await pilot.press("r")  # Restore
        await settle(app, pilot)
        assert status(app) == f"Restored 2 unsaved edits from {when(NOON)}; ctrl+z takes them back."
        assert unsaved(app) and app.title == "Recovered name"
        assert app.plan_file.render() == crashed.render()
        await pilot.press("ctrl+z")  # one step
        assert not unsaved(app) and app.plan_file.render() == before
        await pilot.press("ctrl+y")
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: journaled(plan) is None)
    assert plan.read_bytes() == crashed.render()


async def test_discarding_the_offer_removes_the_journal(plan: Path, quick) -> None:
    before = plan.read_bytes()
    crash_journal(plan)
    async with running(plan) as (app, pilot):
        await pilot.press("d")
        await until(app, pilot, lambda: not locations.journal_file(plan).exists())
        assert status(app) == "Recovered edits discarded."
        assert not unsaved(app)
    assert plan.read_bytes() == before


async def test_a_file_changed_since_the_crash_says_so_and_still_restores_on_top(plan: Path, quick) -> None:
    crash_journal(plan)
    changed = plan.read_bytes().replace(b"# Owner: Lena", b"# Owners: Lena")
    plan.write_bytes(changed)
    async with running(plan) as (app, pilot):
        text = await shown(app, pilot)
        assert "The file changed on disk since; restoring applies them to the file as it is now." in text
        await pilot.press("r")
        await settle(app, pilot)
        assert app.title == "Recovered name" and app.plan_file.plan.smo_items[2].done
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert b"# Owners: Lena" in plan.read_bytes()  # the change on disk is kept under the restored edits


async def test_edits_that_no_longer_apply_are_kept_aside(plan: Path, quick) -> None:
    crash_journal(plan)
    text = plan.read_text("utf-8")
    start = text.index("[[smo.items]]")
    plan.write_text(text[:start], "utf-8")  # the items are gone: ticking the third cannot apply
    async with running(plan) as (app, pilot):
        text = await shown(app, pilot)
        assert "they no longer apply (tick meta-descriptions: the entry with id 'meta-descriptions' is gone)" in text
        assert "Keep aside" in text and "Restore" not in text
        await pilot.press("k")
        await until(app, pilot, lambda: not locations.journal_file(plan).exists())
        assert status(app).startswith("Recovered edits kept aside in ") and status(app).endswith(".json.")
    kept = list(locations.journal_file(plan).parent.glob("*-kept-*.json"))
    assert len(kept) == 1 and [e.describe() for e in recovery.loads(kept[0].read_bytes()).edits] == [
        "tick meta-descriptions",
        "rename the campaign",
    ]


async def test_a_damaged_journal_is_reported_and_the_plan_still_opens(plan: Path, quick) -> None:
    target = locations.journal_file(plan)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"{ not json")
    async with running(plan) as (app, _pilot):
        assert app.plan_file is not None and not isinstance(app.screen, ChoiceDialog)
        assert any("recovered edits are damaged" in message for message in notifications(app))


# -- two writers ---------------------------------------------------------------------------------------


async def test_a_plan_open_elsewhere_opens_read_only_refuses_edits_and_cannot_be_saved(plan: Path, quick) -> None:
    before = plan.read_bytes()
    other = PlanLock(plan)
    assert other.acquire()
    try:
        async with running(plan) as (app, pilot):
            assert isinstance(app.screen, ChoiceDialog)
            text = await shown(app, pilot)
            assert "shop-launch.toml is open in another planner (process" in text
            await pilot.press("r")  # Read-only
            await settle(app, pilot)
            assert status(app) == "Read-only: shop-launch.toml is open in another planner."
            assert app.sub_title == "shop-launch.toml  [read-only]"
            await to_checklist(app, pilot, "meta-descriptions")
            await pilot.press("space")
            assert status(app) == "Read-only: shop-launch.toml is open in another planner; not changed."
            assert not unsaved(app)
            assert app.check_action("save", ()) is False and app.check_action("save_as", ()) is False
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            await pilot.pause(0.3)
        assert journaled(plan) is None  # the journal belongs to the app that has the plan open
    finally:
        other.release()
    assert plan.read_bytes() == before


async def test_a_plan_open_read_only_says_so_when_an_editing_key_is_pressed_before_any_form_opens(
    plan: Path, quick
) -> None:
    other = PlanLock(plan)
    assert other.acquire()
    refused = "Read-only: shop-launch.toml is open in another planner; not changed."
    try:
        async with running(plan, size=(120, 40)) as (app, pilot):
            await pilot.press("r")  # Read-only
            await settle(app, pilot)
            said = told(app)
            for keys, count in (
                (("4", "a"), 1),  # the calendar: add
                (
                    ("g", "ctrl+a", "ctrl+k", *"2027-03-19", "enter", "enter", "c", "d", "greater_than_sign", "n"),
                    5,
                ),  # go to (allowed); edit, copy, delete, move, next status
                (
                    ("3", "down", "enter", "n", "down", "e", "d"),
                    4,
                ),  # platforms: choose LinkedIn with enter, a custom one; edit, unchoose Instagram
                (("5", "a", "e", "d"), 3),  # competitors
                (("2", "a", "e", "space", "t"), 4),  # the checklist: add, edit, tick, the due date
                (("1", "e"), 1),  # the overview's campaign form
            ):
                before = len(said)
                await pilot.press(*keys)  # one burst, no pauses
                await settle(app, pilot)
                assert not isinstance(app.screen, ModalScreen), keys  # no form was opened to be filled in for nothing
                assert said[before:] == [refused] * count, keys
            assert app.focused is not None and app.focused.id != "campaign-name"
            assert status(app) == refused
            await pilot.press("4")
            await settle(app, pilot)
            before = len(said)
            add = next(command for command in app.get_system_commands(app.screen) if command.title == "Add post")
            await add.callback()  # what the command palette runs
            await pilot.pause()
            await pilot.double_click("#calendar-month", offset=(1, 1))  # a double click edits, or adds on an empty day
            await pilot.pause()
            assert not isinstance(app.screen, ModalScreen)
            assert said[before:] == [refused] * 2
            assert not unsaved(app)
    finally:
        other.release()


async def test_open_anyway_allows_editing(plan: Path, quick) -> None:
    other = PlanLock(plan)
    assert other.acquire()
    try:
        async with running(plan) as (app, pilot):
            await pilot.press("o")  # Open anyway
            await settle(app, pilot)
            assert (
                status(app)
                == "Opened shop-launch.toml, which is also open in another planner (no crash recovery here)."
            )
            await to_checklist(app, pilot, "meta-descriptions")
            await pilot.press("space")
            assert unsaved(app)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert status(app) == "Saved shop-launch.toml"
    finally:
        other.release()
    assert items(plan)[2]["done"] is True


async def test_the_app_holds_the_lock_until_it_quits(plan: Path, quick) -> None:
    async with running(plan) as (_app, pilot):
        assert not PlanLock(plan).acquire()
        await pilot.press("ctrl+q")
    assert PlanLock(plan).acquire()


async def test_planner_import_respects_the_lock(plan: Path, tmp_path: Path, quick) -> None:
    csv = tmp_path / "posts.csv"
    csv.write_text("date,time,platform,title,text\n2027-03-20,10:00,instagram,From the sheet,Hello\n", "utf-8")
    before = plan.read_bytes()
    async with running(plan) as (_app, pilot):
        result = CliRunner().invoke(cli_main, ["import", str(plan), str(csv)])
        assert result.exit_code == 2
        assert "not imported: the plan is open in planner (process" in result.output
        assert plan.read_bytes() == before
        await pilot.press("ctrl+q")
    result = CliRunner().invoke(cli_main, ["import", str(plan), str(csv)])
    assert result.exit_code == 0, result.output
    assert b"From the sheet" in plan.read_bytes()


# -- changes on disk ---------------------------------------------------------------------------------------


async def test_a_change_on_disk_without_unsaved_edits_offers_a_reload_that_keeps_view_and_selection(
    plan: Path, quick
) -> None:
    async with running(plan) as (app, pilot):
        option_list = await to_checklist(app, pilot, "care-guide")
        plan.write_bytes(plan.read_bytes().replace(b"title = \"Linkable 'How", b"title = \"Pulled 'How"))
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "shop-launch.toml changed on disk (a git pull, another editor)" in await shown(app, pilot)
        await pilot.press("r")  # Reload
        await settle(app, pilot)
        assert app.current_view == "smo"
        assert option_list.get_option_at_index(option_list.highlighted).id == "care-guide"
        assert "Pulled 'How to care for stoneware' guide" in screen_text(app)
        assert not unsaved(app)
        await pilot.pause(0.5)
        assert not isinstance(app.screen, ChoiceDialog)  # asked once per change


async def test_a_change_on_disk_with_unsaved_edits_warns_at_once(plan: Path, quick) -> None:
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        plan.write_bytes(plan.read_bytes().replace(b"# Owner: Lena", b"# Owners: Lena"))
        await until(app, pilot, lambda: "changed on disk" in status(app))
        message = "shop-launch.toml changed on disk (a git pull, another editor); your unsaved edits are kept. Saving will ask what to do."
        assert status(app) == message and message in notifications(app)
        assert unsaved(app) and not isinstance(app.screen, ChoiceDialog)


async def test_the_apps_own_save_is_not_a_change_on_disk(plan: Path, quick) -> None:
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space", "ctrl+s")
        await settle(app, pilot)
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"
        assert not isinstance(app.screen, ChoiceDialog) and not notifications(app)


# -- faults while saving, through the app ---------------------------------------------------------------------


def disk_full_part_way(real_write):
    def write(fd, data):
        if len(data) > 100:
            real_write(fd, bytes(data[:100]))
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


def read_only_folder(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system")


@pytest.mark.parametrize(
    ("name", "fault", "says"),
    [
        ("write", disk_full_part_way(storage.os.write), "No space left on device"),
        ("mkstemp", read_only_folder, "Read-only file system"),
    ],
)
async def test_a_failed_save_is_told_and_the_edits_stay(
    plan: Path, quick, monkeypatch: pytest.MonkeyPatch, name: str, fault, says: str
) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        with monkeypatch.context() as patch:
            patch.setattr(storage.os if name == "write" else storage.tempfile, name, fault)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert status(app) == f"{plan}: not saved: {says}. Your edits are kept."
        assert f"{plan}: not saved: {says}" in notifications(app)
        assert plan.read_bytes() == before
        assert [p.name for p in plan.parent.iterdir() if p.suffix == ".tmp"] == []
        assert unsaved(app)
        await pilot.press("ctrl+z")
        assert status(app) == f"Undid: {TICK}" and not unsaved(app)
        await pilot.press("ctrl+y", "ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"
    assert items(plan)[2]["done"] is True


# -- hostile plans ---------------------------------------------------------------------------------------------


def test_every_invalid_corpus_file_gives_the_app_a_clean_load_error() -> None:
    """The app's load path (what its worker runs, and what the error screen lists) for all 499 files."""
    assert len(INVALID) == 499
    for path in INVALID:
        loaded = read_plan_file(path)
        failure = load_failure(path, loaded)
        assert failure is not None, path
        messages, line = failure
        assert len(messages) == 1 and "\n" not in messages[0] and "Traceback" not in messages[0], (path, messages)
        assert messages[0].startswith(display_path(path) + ":"), messages
        assert line is None or line >= 1


def test_planner_check_gives_every_invalid_corpus_file_one_clean_line() -> None:
    result = CliRunner().invoke(cli_main, ["check", *map(str, INVALID)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert len(lines) == len(INVALID) == 499
    for path, line in zip(INVALID, lines):
        assert line.startswith(f"{display_path(path)}:"), line
        assert "\x1b" not in line and "\x00" not in line


@pytest.mark.parametrize(
    "name",
    ["string/bad-escape-01.toml", "control/comment-null.toml", "encoding/utf16-bom.toml", "array/no-close-01.toml"],
)
async def test_invalid_files_show_the_load_error_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.toml"
    path.write_bytes((CORPUS / "invalid" / name).read_bytes())
    before = path.read_bytes()
    async with running(path) as (app, pilot):
        assert isinstance(app.screen, LoadErrorScreen)
        text = screen_text(app)
        assert "plan.toml did not load. It has not been changed." in text and "plan.toml:1:" in text
        assert "Traceback" not in text
        await pilot.press("q")
    assert app.return_code == 1 and path.read_bytes() == before


def huge_plans(tmp_path: Path, base: str) -> dict[str, tuple[Path, str]]:
    """Plans over each limit, made here (never committed), with what the one-line message says."""
    head = base.split("[[smm.posts]]")[0]
    posts = "".join(
        f'[[smm.posts]]\nid = "p{i}"\nplatform = "instagram"\nat = 2027-03-20T09:00:00\n\n' for i in range(100_000)
    )
    made = {
        "text": (
            base.replace('name = "Tide collection launch"', 'name = "' + "x" * 10_000_000 + '"'),
            "campaign.name: text of 10,000,000 characters; planner reads at most 100,000 in one text",
        ),
        "posts": (head + posts, "smm.posts: 100,000 entries; a plan holds at most 50,000 in one array"),
        "tables": (
            base + "\n[" + ".".join(f"k{i}" for i in range(1000)) + "]\na = 1\n",
            "nested more than 32 levels deep; a plan nests at most 32",
        ),
        "arrays": (
            base + "\nx_deep = " + "[" * 1000 + "]" * 1000 + "\n",
            "nested more than 32 levels deep; a plan nests at most 32",
        ),
        "deeper": (
            base + "\nx_deep = " + "[" * 5000 + "]" * 5000 + "\n",
            "arrays or inline tables nested hundreds of levels deep; a plan nests at most 32",
        ),
    }
    out = {}
    for kind, (text, says) in made.items():
        path = tmp_path / f"{kind}.toml"
        path.write_text(text, "utf-8")
        out[kind] = (path, says)
    return out


@pytest.mark.serial  # a time limit
def test_plans_over_the_size_limits_are_refused_with_one_line_by_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plans = huge_plans(tmp_path, (SAMPLES / "shop-launch.toml").read_text("utf-8"))
    runner = CliRunner()
    for kind, (path, says) in plans.items():
        started = time.monotonic()
        result = runner.invoke(cli_main, ["check", path.name])
        assert time.monotonic() - started < 30, kind
        assert result.exit_code == 2, (kind, result.output[:300])
        lines = result.output.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{path.name}:") and says in lines[0], (kind, lines[0][:300])


async def test_a_plan_over_a_size_limit_shows_the_load_error_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plans = huge_plans(tmp_path, (SAMPLES / "shop-launch.toml").read_text("utf-8"))
    for kind in ("text", "tables"):
        path, says = plans[kind]
        async with running(path) as (app, pilot):
            assert isinstance(app.screen, LoadErrorScreen)
            assert says in await shown(app, pilot)
            await pilot.press("q")


async def test_messages_about_a_plan_are_never_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "[red]plan[red].toml"
    path.write_bytes((SAMPLES / "shop-launch.toml").read_bytes())
    async with running(path) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        with monkeypatch.context() as patch:
            patch.setattr(storage.tempfile, "mkstemp", read_only_folder)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert "[red]plan[red].toml: not saved" in status(app)
        shown = [n for n in app._notifications if "not saved" in n.message]
        assert shown and all(not n.markup for n in shown) and "[red]plan[red].toml" in shown[0].message
        path.write_bytes(path.read_bytes().replace(b"# Owner: Lena", b"# Owners: Lena"))
        await until(app, pilot, lambda: "changed on disk" in status(app))
        assert all(not n.markup for n in app._notifications)


# Modules whose import is a way to run text, and calls that run text or a program.
_RUNS_TEXT_MODULES = {
    "pickle",
    "marshal",
    "shelve",
    "runpy",
    "code",
    "codeop",
    "ctypes",
    "yaml",
    "dill",
    "cloudpickle",
    "importlib",
}
_SAFE_MODULES = {"importlib.resources", "importlib.metadata"}
_RUNS_TEXT_NAMES = {"eval", "exec", "compile", "__import__", "breakpoint"}
_RUNS_TEXT_ATTRIBUTES = {
    "import_module",
    "system",
    "popen",
    "startfile",
    "create_subprocess_shell",
    "getoutput",
    "getstatusoutput",
}
_RUNS_PROGRAM = {"run", "Popen", "call", "check_call", "check_output", "create_subprocess_exec"}


def _runs_text(module: str) -> bool:
    return module.split(".")[0] in _RUNS_TEXT_MODULES and module not in _SAFE_MODULES


def _list_literals(tree: ast.AST) -> set[str]:
    """Names only ever assigned a list or tuple display (``command = [*editor, path]``)."""
    shapes: dict[str, set[bool]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    shapes.setdefault(target.id, set()).add(isinstance(node.value, (ast.List, ast.Tuple)))
    return {name for name, kinds in shapes.items() if kinds == {True}}


def ways_to_run(source: str) -> tuple[list[str], list[str]]:
    """What in ``source`` can run text (``eval``, ``pickle``, a shell, a dynamic import, ...), and each program it runs, as ``name(first argument)``."""
    tree = ast.parse(source)
    lists = _list_literals(tree)
    found, programs = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {alias.name}" for alias in node.names if _runs_text(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = (
                [f"{node.module}.{alias.name}" for alias in node.names] if node.module == "importlib" else [node.module]
            )
            found += [f"from {node.module} import ..." for module in modules if _runs_text(module)]
        elif isinstance(node, ast.Call):
            func = node.func
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            if isinstance(func, ast.Name) and func.id in _RUNS_TEXT_NAMES:
                found.append(f"{func.id}()")
            elif isinstance(func, ast.Attribute) and (
                func.attr in _RUNS_TEXT_ATTRIBUTES or (owner == "os" and func.attr.startswith(("exec", "spawn")))
            ):
                found.append(f"{owner or '?'}.{func.attr}()")
            found += [
                "shell="
                for k in node.keywords
                if k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            ]
            if owner in ("subprocess", "asyncio") and func.attr in _RUNS_PROGRAM:
                first = node.args[0] if node.args else None
                as_list = isinstance(first, (ast.List, ast.Tuple)) or (
                    isinstance(first, ast.Name) and first.id in lists
                )
                programs.append(
                    f"{func.attr}({ast.unparse(first) if first else ''})" + ("" if as_list else " NOT AN ARGUMENT LIST")
                )
    return found, programs


def test_no_eval_exec_pickle_or_dynamic_import_and_programs_run_only_from_argument_lists() -> None:
    """What the code can do with a plan's text: nothing that runs it. (A code scan; it cannot see a way to run text it does not know.)"""
    package = Path(__file__).resolve().parent.parent / "planner"
    found, programs = {}, {}
    for source in sorted(package.rglob("*.py")):
        found[source.name], programs[source.name] = ways_to_run(source.read_text("utf-8"))
    assert {name: ways for name, ways in found.items() if ways} == {}
    # only the app, to open $EDITOR on the plan's path, and planner/git/repo.py, to ask git
    # (staged files as ":PATH", revisions checked never to be options); both as argument lists
    assert {name: runs for name, runs in programs.items() if runs} == {
        "main.py": ["run(command)"],
        "repo.py": ["run(['git', *args])"],
    }


@pytest.mark.parametrize(
    "source",
    [
        "eval(text)",
        "exec(text)",
        "compile(text, 'plan', 'exec')",
        "__import__(name)",
        "import pickle",
        "from marshal import loads",
        "import importlib\nimportlib.import_module(name)",
        "from importlib import import_module",
        "os.system(text)",
        "os.popen(text)",
        "os.execvp('sh', ['sh'])",
        "subprocess.run(text, shell=True)",
        "import runpy",
        "import yaml",
    ],
)
def test_the_scan_finds_each_way_to_run_text(source: str) -> None:
    assert ways_to_run(source)[0], source


def test_the_scan_tells_an_argument_list_from_a_command_line() -> None:
    assert ways_to_run("command = ['git', 'diff']\nsubprocess.run(command)") == ([], ["run(command)"])
    assert ways_to_run("command = 'git diff'\nsubprocess.run(command)")[1] == ["run(command) NOT AN ARGUMENT LIST"]
    assert ways_to_run("from importlib import resources\nre.compile('x')")[0] == []


def test_every_test_named_in_docs_reliability_exists() -> None:
    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "reliability.md").read_text("utf-8")
    defined = {
        name
        for source in (root / "tests").glob("test_*.py")
        for name in re.findall(r"^(?:async )?def (test_\w+)", source.read_text("utf-8"), flags=re.M)
    }
    named = set(re.findall(r"(?<![\w.])(test_\w+)(?!\w|\.py)", doc))
    assert named and named - defined == set()


# -- second pass: the crash journal, damaged journals, failed workers (issue 12 items 2, 16, 20) ------------------


async def test_a_restore_onto_a_plan_with_a_post_pulled_in_at_the_top_deletes_the_post_it_named(
    plan: Path, quick
) -> None:
    async with running(plan) as (app, pilot):  # the app deletes the second post, then dies
        app.apply_edit(DeleteEntry(("smm", "posts"), 1, "delete tt-glaze-test"))
        await until(app, pilot, lambda: journaled(plan) == ["delete tt-glaze-test"])
        app._journal_timer = None
        app.exit = lambda *args, **kwargs: None  # noqa: ARG005 (killed: nothing runs on the way out)
    text = plan.read_text("utf-8")
    at = text.index("[[smm.posts]]")
    pulled = '[[smm.posts]]\nid = "pulled-from-git"\nplatform = "instagram"\nat = 2027-03-15T10:00:00\nformat = "image"\nstatus = "draft"\n\n'
    plan.write_text(text[:at] + pulled + text[at:], "utf-8")  # a teammate's post, above the first
    async with running(plan) as (app, pilot):
        assert "The file changed on disk since" in await shown(app, pilot)
        await pilot.press("r")  # Restore
        await settle(app, pilot)
        ids = [post.id for post in app.plan_file.plan.posts]
        assert ids[:3] == [
            "pulled-from-git",
            "ig-teaser-glaze",
            "ig-behind-the-wheel",
        ]  # the named post went, not another


async def test_an_edit_that_no_longer_matches_is_named_and_kept_aside(plan: Path, quick) -> None:
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        await until(app, pilot, lambda: journaled(plan) == [TICK])
    plan.write_bytes(plan.read_bytes().replace(b'id = "meta-descriptions"', b'id = "meta-descriptions-2"'))
    async with running(plan) as (app, pilot):
        text = await shown(app, pilot)
        assert (
            f"The file changed on disk since, and it no longer applies ({TICK}: the entry with id 'meta-descriptions' is gone)"
            in text
        )
        assert "Restore" not in text
        await pilot.press("k")  # Keep aside
        await until(app, pilot, lambda: not locations.journal_file(plan).exists())
        assert not app.plan_file.plan.smo_items[2].done


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 200_000 + b"]" * 200_000,
        b'{"format": 1, "plan": "p", "fingerprint": "f", "written": "2027-03-10T12:00:00+00:00", "edits": [{"op": "delete", "array": ["smm", "posts"], "index": 1e400}]}',
    ],
    ids=["nested-200000-deep", "index-1e400"],
)
async def test_a_journal_that_cannot_be_read_is_set_aside_and_the_plan_opens(plan: Path, quick, raw: bytes) -> None:
    target = locations.journal_file(plan)
    target.parent.mkdir(parents=True)
    target.write_bytes(raw)
    async with running(plan) as (app, pilot):
        await until(app, pilot, lambda: app.plan_file is not None)
        assert status(app) == "Opened shop-launch.toml" and not isinstance(app.screen, ChoiceDialog)
        told = [message for message in notifications(app) if "recovered edits are damaged" in message]
        assert len(told) == 1 and "the plan opened without it" in told[0]
    kept = list(target.parent.glob("*-damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == raw  # kept, not deleted
    assert not target.exists()


def injected(*args, **kwargs):
    raise RuntimeError("injected fault")


def counted(function, calls: list):
    """``function``, noting each call in ``calls``."""

    def call(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    return call


async def until_shown(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds, without waiting on workers (a failed one would re-raise there)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def test_a_load_that_raises_shows_the_load_error_screen(
    plan: Path, quick, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = app_main.read_plan_file
    monkeypatch.setattr(app_main, "read_plan_file", injected)
    app = app_main.make_app(plan, Settings(), clock=lambda: NOON)
    app.animation_level = "none"
    async with app.run_test(size=(100, 40)) as pilot:
        await until_shown(pilot, lambda: isinstance(app.screen, LoadErrorScreen))
        await pilot.pause()
        assert "shop-launch.toml: cannot be opened: RuntimeError: injected fault" in screen_text(app)
        monkeypatch.setattr(app_main, "read_plan_file", real)
        await pilot.press("r")  # Reload
        await until(app, pilot, lambda: app.plan_file is not None)
        monkeypatch.setattr(app_main, "read_plan_file", injected)  # and a reload that raises keeps the plan open
        app.reload_plan()
        await until_shown(pilot, lambda: "Not reloaded" in status(app))
        monkeypatch.setattr(app_main, "read_plan_file", real)
        assert status(app) == "Not reloaded: RuntimeError: injected fault. The plan is as it was."
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        assert unsaved(app)  # editing works again


async def test_a_save_that_raises_is_told_and_the_edits_the_journal_and_the_controls_stay(
    plan: Path, quick, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan.read_bytes()
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        await until(app, pilot, lambda: journaled(plan) == [TICK])
        with monkeypatch.context() as patch:
            patch.setattr(PlanFile, "save", injected)
            await pilot.press("ctrl+s")
            await until_shown(pilot, lambda: not app.saving)
        assert status(app) == "Not saved: RuntimeError: injected fault. Your edits are kept."
        assert "Not saved: RuntimeError: injected fault" in notifications(app)
        assert unsaved(app) and not app.saving and journaled(plan) == [TICK]
        assert app.check_action("save", ()) and app.check_action("undo", ())
        await pilot.press("ctrl+z")
        assert status(app) == f"Undid: {TICK}"
        await pilot.press("ctrl+y", "ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"
    assert plan.read_bytes() != before and items(plan)[2]["done"] is True


async def test_a_journal_write_that_raises_is_told_once_and_the_edits_stay(
    plan: Path, quick, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    async with running(plan) as (app, pilot):
        with monkeypatch.context() as patch:
            patch.setattr(recovery.JournalWriter, "write", counted(injected, calls))
            await to_checklist(app, pilot, "meta-descriptions")
            await pilot.press("space")
            await until_shown(pilot, lambda: any("cannot be kept for recovery" in m for m in notifications(app)))
            await pilot.press("down", "space")
            await until_shown(pilot, lambda: len(calls) >= 2)  # failed again
            await pilot.pause(0.1)
            told = [m for m in notifications(app) if "cannot be kept for recovery" in m]
            assert told == ["Unsaved edits cannot be kept for recovery: RuntimeError: injected fault"]
            assert unsaved(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"


async def test_an_export_that_raises_is_told(plan: Path, quick, monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.export

    monkeypatch.setattr(planner.export, "write_export", injected)
    async with running(plan) as (app, pilot):
        await pilot.press("x")
        await pilot.press("ctrl+s")
        await until_shown(pilot, lambda: status(app) != "Exporting…")
        assert status(app) == "Not exported: RuntimeError: injected fault"
        assert not isinstance(app.screen, ModalScreen)
        assert app.check_action("export", ()) and app.check_action("save", ())


async def test_an_audit_that_raises_is_told_and_the_app_goes_on(
    plan: Path, quick, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from planner.app import audit_screen
    from planner.app.dialogs import TargetDialog

    monkeypatch.setattr(audit_screen, "run_audit", injected)
    (plan.parent / "site").mkdir()
    async with running(plan) as (app, pilot):
        await to_checklist(app, pilot)
        await pilot.press("u")
        assert isinstance(app.screen, TargetDialog)
        app.screen.query_one("#path", Input).value = "site"
        await pilot.press("enter")
        await until_shown(pilot, lambda: "The audit stopped: injected fault" in screen_text(app))
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ModalScreen)
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space")
        assert unsaved(app)


async def test_a_disk_watch_that_raises_is_told_once_and_the_app_goes_on(
    plan: Path, quick, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = app_main.disk_state
    async with running(plan) as (app, pilot):
        monkeypatch.setattr(app_main, "disk_state", counted(injected, calls))
        await until_shown(pilot, lambda: len(calls) >= 3)  # failed again and again
        monkeypatch.setattr(app_main, "disk_state", real)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert [m for m in notifications(app) if "not watched" in m] == [
            "Changes on disk are not watched: RuntimeError: injected fault"
        ]
        await to_checklist(app, pilot, "meta-descriptions")
        await pilot.press("space", "ctrl+s")
        await settle(app, pilot)
        assert status(app) == "Saved shop-launch.toml"
