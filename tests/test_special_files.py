"""Named pipes where a file is expected: read or replaced only if regular, else one line, never a hang.

A pipe nobody writes to blocks a reader forever, so a regression here would
hang: each test first arms `unblock`, which opens the pipe for writing (and
closes it) if the test is still waiting after a minute. That only turns a
hang into a failure; no test measures time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES
from test_app import running, screen_text

from planner.app.load_error import LoadErrorScreen
from planner.errors import PlanUnreadable, SaveError
from planner.plan.source import read_bytes
from planner.plan.storage import atomic_write

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
GUARD = 60  # seconds before a test that hangs on a pipe is freed (and then fails)


@contextlib.contextmanager
def unblock(fifo: Path) -> Iterator[None]:
    """Free a reader stuck on ``fifo`` if the test still runs after GUARD seconds."""

    def free() -> None:
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(GUARD, free)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    os.mkfifo(path)
    return path


def planner(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], cwd=cwd, capture_output=True, text=True, timeout=GUARD
    )


def test_check_refuses_a_named_pipe_on_one_line(fifo: Path) -> None:
    done = planner("check", fifo.name, cwd=fifo.parent)
    assert done.returncode == 2
    assert done.stdout == "plan.toml: is a named pipe, not a plan file; planner reads only regular files\n"
    assert done.stderr == ""


def test_the_plan_reader_refuses_a_link_to_a_named_pipe(fifo: Path) -> None:
    link = fifo.parent / "link.toml"
    link.symlink_to(fifo.name)
    with unblock(fifo), pytest.raises(PlanUnreadable, match=r"link\.toml: is a named pipe, not a plan file"):
        read_bytes(link)


@pytest.mark.parametrize("force", [False, True])
def test_export_does_not_replace_a_named_pipe(tmp_path: Path, force: bool) -> None:
    out = tmp_path / "out.md"
    os.mkfifo(out)
    done = planner(
        "export",
        str(SAMPLES / "shop-launch.toml"),
        "--format",
        "md",
        "-o",
        "out.md",
        *(["--force"] if force else []),
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr == "planner: out.md: not saved: it is a named pipe, not a regular file\n"
    assert out.is_fifo() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_import_refuses_a_named_pipe_as_its_csv(tmp_path: Path) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", tmp_path / "plan.toml")
    before = (tmp_path / "plan.toml").read_bytes()
    rows = tmp_path / "rows.csv"
    os.mkfifo(rows)
    with unblock(rows):
        done = planner("import", "plan.toml", "rows.csv", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "planner: rows.csv: is a named pipe, not a CSV file; planner reads only regular files\n"
    assert (tmp_path / "plan.toml").read_bytes() == before


def test_the_atomic_writer_refuses_a_pipe_and_a_link_to_one(fifo: Path) -> None:
    link = fifo.parent / "link.toml"
    link.symlink_to(fifo.name)
    for target in (fifo, link):
        with pytest.raises(SaveError, match=f"{target.name}: not saved: it is a named pipe, not a regular file"):
            atomic_write(target, b"x = 1\n")
    assert fifo.is_fifo() and link.is_symlink()
    assert sorted(p.name for p in fifo.parent.iterdir() if p.name != "planner-home") == ["link.toml", "plan.toml"]


async def test_the_app_shows_a_load_error_for_a_named_pipe(fifo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fifo.parent)
    with unblock(fifo):
        async with running(fifo) as (app, pilot):
            assert isinstance(app.screen, LoadErrorScreen)
            text = " ".join(screen_text(app).split())
            assert "is a named pipe, not a plan file" in text
            await pilot.press("q")
    assert fifo.is_fifo()
