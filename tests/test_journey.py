"""One journey through the real `planner` binary in a real terminal (tmux)."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
from conftest import SAMPLES, Terminal

from planner.words import quoted

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def launch_plan(tmp_path: Path) -> tuple[Path, bytes, dict]:
    """The shop sample as launch.toml in tmp_path: its path, its bytes and its first SMO item."""
    plan = tmp_path / "launch.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", plan)
    original = plan.read_bytes()
    return plan, original, tomllib.loads(original.decode())["smo"]["items"][0]


def tick_first_item(term: Terminal, first: dict) -> None:
    """Go to the checklist and press space on its first item: ticked items are unticked, and the other way round."""
    term.wait_for("Tide collection launch")
    term.keys("2")
    term.wait_for(f"id: {first['id']}")  # the checklist is shown with the first item selected
    time.sleep(0.5)  # and has the focus
    term.keys("Space")
    term.wait_for(f"{'Untick' if first['done'] else 'Tick'} {quoted(first['title'])}")


def test_tick_add_save_quit_in_a_real_terminal(tmp_path: Path, terminal) -> None:
    plan, original, first = launch_plan(tmp_path)

    term = terminal("launch.toml")
    tick_first_item(term, first)
    term.wait_for("● unsaved")  # the header follows the status line by a frame or so

    term.keys("a")
    term.wait_for("New SMO item")
    time.sleep(0.5)  # the form focuses its title field once it is shown
    term.type("Write the press kit")
    term.wait_for("Write the press kit")  # every typed key reached the title field
    term.keys("C-s")
    term.wait_for("Add item “Write the press kit”")  # the status line: the item is in the plan

    term.keys("C-s")
    term.wait_for("Saved launch.toml")
    term.keys("C-q")
    term.wait_gone("Tide collection launch")  # the app quit without asking: nothing unsaved

    saved = tomllib.loads(plan.read_text("utf-8"))
    items = saved["smo"]["items"]
    assert items[0]["done"] is not first["done"] and ("done_on" in items[0]) is not first["done"]
    assert items[-1]["title"] == "Write the press kit" and items[-1]["id"] == "write-the-press-kit"
    # Only the ticked item's lines changed, and the new entry was added after the last item.
    before, after = original.decode().splitlines(), plan.read_text("utf-8").splitlines()
    diff = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    assert all(line.startswith("done") for line in removed), removed
    assert all(line.startswith("done") for line in added[:-6]), added
    assert added[-6:] == [
        "",
        "[[smo.items]]",
        'id = "write-the-press-kit"',
        'title = "Write the press kit"',
        'category = "on-page"',
        "done = false",
    ]


def _item_lines(lines: list[str], item_id: str) -> list[str]:
    """The lines of the ``[[smo.items]]`` entry with ``item_id``."""
    start = lines.index(f'id = "{item_id}"')
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")), len(lines))
    return lines[start:end]


def _app_pid(term: Terminal) -> int:
    """The planner process in ``term``: the child of the pane's shell."""
    pane = subprocess.run(
        [*term.tmux, "list-panes", "-t", term.name, "-F", "#{pane_pid}"], capture_output=True, text=True, check=True
    )
    shell = int(pane.stdout.split()[0])
    children = subprocess.run(
        ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(shell)], capture_output=True, text=True
    ).stdout
    pids = [int(line.split()[0]) for line in children.splitlines() if "planner" in line]
    assert len(pids) == 1, children
    return pids[0]


def _wait_ended(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if _zombie(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} still runs {timeout:.0f} s after it left the screen")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_closing_the_terminal_ends_the_app_keeping_the_unsaved_edit(tmp_path: Path, terminal) -> None:
    """The window closed: the terminal is gone for good, and the app must not go on reading it."""
    plan, original, first = launch_plan(tmp_path)
    term = terminal("launch.toml")
    tick_first_item(term, first)
    term.wait_for("● unsaved")
    pid = _app_pid(term)
    term.close()  # the whole terminal goes, as when its window is closed
    _wait_ended(pid)
    assert plan.read_bytes() == original
    assert _journaled(plan) == [f"{'untick' if first['done'] else 'tick'} {quoted(first['title'])}"]


def test_after_kill_9_the_edits_are_offered_back_and_restored(tmp_path: Path, terminal) -> None:
    from planner.plan import recovery

    plan, original, first = launch_plan(tmp_path)

    term = terminal("launch.toml")
    tick_first_item(term, first)
    term.keys("Down", "Space")  # a second edit, on the next item
    second = tomllib.loads(original.decode())["smo"]["items"][1]
    term.wait_for(
        f"{'Untick' if second['done'] else 'Tick'} {quoted(second['title'])}"
    )  # not the first edit's "● unsaved"
    time.sleep(2.5)  # the journal is written within two seconds of the last edit
    os.kill(_app_pid(term), 9)
    term.wait_gone("Tide collection launch")
    assert plan.read_bytes() == original  # nothing reached the plan itself

    found = recovery.read(plan)
    assert found is not None and found.count == 2
    written = found.written.astimezone()
    again = terminal("launch.toml")
    screen = again.wait_for("Unsaved edits found")
    text = " ".join(screen.split())
    assert "2 unsaved edits to launch.toml from" in text
    assert written.strftime("%Y-%m-%d") in text and written.strftime("%H:%M") in text
    again.keys("r")  # Restore
    again.wait_for("Restored 2 unsaved edits")
    again.wait_for("● unsaved")  # the header follows the status line by a frame or so
    again.keys("C-s")
    again.wait_for("Saved launch.toml")
    again.keys("C-q")
    again.wait_gone("Tide collection launch")

    saved = tomllib.loads(plan.read_text("utf-8"))["smo"]["items"]
    before = tomllib.loads(original.decode())["smo"]["items"]
    assert saved[0]["done"] is not before[0]["done"] and saved[1]["done"] is not before[1]["done"]
    assert saved[2:] == before[2:]
    assert recovery.read(plan) is None  # the clean save removed the journal


def test_add_a_post_in_the_calendar_see_it_in_the_grid_and_in_the_saved_file(tmp_path: Path, terminal) -> None:
    plan = tmp_path / "launch.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", plan)
    original = plan.read_bytes()

    term = terminal("launch.toml")
    term.wait_for("Tide collection launch")
    term.keys("4")
    term.wait_for("Add post")  # the calendar's keys in the footer
    time.sleep(0.5)  # and the month grid has the focus
    term.keys("g")
    term.wait_for("Go to date")
    time.sleep(0.3)
    term.keys("C-a", "C-k")
    term.type("2027-03-22")
    term.keys("Enter")
    term.wait_for("Monday 22 March 2027: no posts")

    term.keys("a")
    term.wait_for("New post")  # the post form (the day alone was on screen before it opened)
    term.wait_for("2027-03-22")  # on the selected day
    time.sleep(0.5)  # the form focuses its first field once it is shown
    term.keys("Tab", "Tab", "Tab", "Tab", "Tab")  # platform, date, time, format, status: to the title
    term.type("Studio tour")
    term.wait_for("Studio tour")
    term.keys("C-s")
    term.wait_for("Add post “Studio tour”")  # the status line: the post is in the plan
    screen = term.wait_for("IG Studio")  # and in the grid, on its day
    assert "Mon 2027-03-22" in screen  # and selected

    term.keys("C-s")
    term.wait_for("Saved launch.toml")
    term.keys("C-q")
    term.wait_gone("Tide collection launch")

    posts = tomllib.loads(plan.read_text("utf-8"))["smm"]["posts"]
    assert posts[-1]["id"] == "studio-tour" and posts[-1]["title"] == "Studio tour"
    assert posts[-1]["platform"] == "instagram" and posts[-1]["at"].date().isoformat() == "2027-03-22"
    before, after = original.decode().splitlines(), plan.read_text("utf-8").splitlines()
    diff = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert not any(line.startswith("-") for line in diff), diff  # nothing else changed: the post was only added
    assert "+[[smm.posts]]" in diff and '+id = "studio-tour"' in diff


def _wait_until(condition, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _journaled(plan: Path) -> list[str] | None:
    from planner.plan import recovery

    found = recovery.read(plan)
    return None if found is None else [edit.describe() for edit in found.edits]


def test_killed_right_after_a_save_the_saved_edits_are_never_offered_again(tmp_path: Path, terminal) -> None:
    plan, original, first = launch_plan(tmp_path)
    ids = [item["id"] for item in tomllib.loads(original.decode())["smo"]["items"]]

    term = terminal("launch.toml")
    term.wait_for("Tide collection launch")
    term.keys("2")
    term.wait_for(f"id: {first['id']}")
    time.sleep(0.5)  # the checklist has the focus
    term.keys("d")
    term.wait_for("Delete item")
    term.keys("d")  # Delete
    term.wait_for(f"Delete item {quoted(first['title'])}")
    _wait_until(lambda: _journaled(plan) == [f"delete item {quoted(first['title'])}"], "the journal")
    term.keys("C-s")
    term.wait_for("Saved launch.toml")
    os.kill(_app_pid(term), 9)  # within the second after the save
    term.wait_gone("Tide collection launch")

    assert [item["id"] for item in tomllib.loads(plan.read_text("utf-8"))["smo"]["items"]] == ids[1:]
    assert _journaled(plan) is None  # the save settled the journal before it said "Saved"

    again = terminal("launch.toml")
    screen = again.wait_for("Opened launch.toml")
    assert "Unsaved edits found" not in screen
    again.keys("C-q")
    again.wait_gone("Tide collection launch")
    assert [item["id"] for item in tomllib.loads(plan.read_text("utf-8"))["smo"]["items"]] == ids[
        1:
    ]  # one deletion, not two


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_end_the_app_keeping_only_the_really_unsaved_edits(
    tmp_path: Path, terminal, signal_name: str
) -> None:
    import signal

    plan, original, first = launch_plan(tmp_path)
    before = tomllib.loads(original.decode())["smo"]["items"]

    term = terminal("launch.toml")
    tick_first_item(term, first)
    term.keys("C-s")
    term.wait_for("Saved launch.toml")
    saved = plan.read_bytes()
    term.keys("Down", "Space")  # an unsaved edit; the signal comes before the journal's second is up
    # The status line names the edit: the header's "● unsaved" can still be the one from before the save.
    term.wait_for(f"{'Untick' if before[1]['done'] else 'Tick'} {quoted(before[1]['title'])}")
    term.wait_for("● unsaved")
    pid = _app_pid(term)
    os.kill(pid, getattr(signal, signal_name))
    term.wait_gone("Tide collection launch")
    _wait_ended(pid)  # the process ends: no thread of it is left reading the terminal

    assert plan.read_bytes() == saved
    assert _journaled(plan) == [f"{'untick' if before[1]['done'] else 'tick'} {quoted(before[1]['title'])}"]

    again = terminal("launch.toml")
    screen = " ".join(again.wait_for("Unsaved edits found").split())
    assert "1 unsaved edit to launch.toml" in screen
    again.keys("r")  # Restore
    again.wait_for("Restored 1 unsaved edit")
    again.keys("C-s")
    again.wait_for("Saved launch.toml")
    again.keys("C-q")
    again.wait_gone("Tide collection launch")
    items = tomllib.loads(plan.read_text("utf-8"))["smo"]["items"]
    assert (
        items[0]["done"] is not before[0]["done"]
        and items[1]["done"] is not before[1]["done"]
        and items[2:] == before[2:]
    )
