"""Lock files do not pile up: a clean exit deletes its lock file, and deleting it never lets two writers in."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_app import running

from planner import locations
from planner.cli import main
from planner.plan import lock as lock_module
from planner.plan.lock import PlanLock
from planner.plan.plan_file import load
from planner.plan.session import Session

pytestmark = pytest.mark.skipif(lock_module.fcntl is None, reason="no flock here")


def lock_files() -> list[Path]:
    folder = locations.lock_file(Path("any.toml")).parent
    return sorted(folder.glob("*.lock")) if folder.is_dir() else []


def test_a_released_lock_leaves_no_file(sample) -> None:
    path = sample()
    for _ in range(3):
        with PlanLock(path) as held:
            assert held.held and lock_files() == [held.path]
        assert lock_files() == []


async def test_opening_and_quitting_the_app_leaves_no_lock_file(plan: Path) -> None:
    async with running(plan) as (_app, pilot):
        assert lock_files() == [locations.lock_file(plan)]  # while it is open, the lock says so
        await pilot.press("ctrl+q")
    assert lock_files() == []


def test_a_session_opened_and_released_leaves_no_lock_file(sample) -> None:
    path = sample()
    session = Session(path, lambda: dt.datetime(2027, 3, 1, 12))
    loaded = load(path)
    opening = session.open(loaded)
    assert opening is not None and opening.held and len(lock_files()) == 1
    session.release()
    assert lock_files() == []


def test_the_command_line_leaves_no_lock_file(sample, tmp_path: Path) -> None:
    path = sample()
    csv = tmp_path / "posts.csv"
    csv.write_text("date,time,platform,title,text\n2027-03-20,10:00,instagram,From the sheet,Hello\n", "utf-8")
    result = CliRunner().invoke(main, ["import", str(path), str(csv)])
    assert result.exit_code == 0, result.output
    assert lock_files() == []


def test_a_lock_file_left_by_a_crash_is_taken_and_then_deleted(sample) -> None:
    path = sample()
    left = locations.lock_file(path)
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_text("4242 elsewhere\n", "utf-8")  # no process holds it
    with PlanLock(path) as held:
        assert held.held
    assert lock_files() == []


def test_a_lock_file_deleted_between_open_and_lock_lets_only_one_writer_in(
    sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder before us releases (deleting the file) after we opened it and before we lock it; a third app starts then."""
    path = sample()
    real_flock = lock_module.fcntl.flock
    first, third = PlanLock(path), PlanLock(path)
    raced = []

    class Racing:
        LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN = (
            getattr(lock_module.fcntl, name) for name in ("LOCK_EX", "LOCK_NB", "LOCK_SH", "LOCK_UN")
        )

        @staticmethod
        def flock(fd: int, operation: int) -> None:
            if not raced and operation & lock_module.fcntl.LOCK_EX:
                raced.append(fd)
                os.unlink(first.path)  # the one before released: its file is gone
                assert third.acquire()  # a third app creates the file anew and locks it
            real_flock(fd, operation)

    monkeypatch.setattr(lock_module, "fcntl", Racing)
    try:
        assert not first.acquire(), "two apps hold the plan's lock"
        assert third.held
    finally:
        first.release()
        third.release()
    assert lock_files() == []
