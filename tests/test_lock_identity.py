"""The one-writer lock is on the file, not on its name (issue 12, item 22).

A hard link is another name for the same file; the app's save replaces the
file with a new one (a new inode) under the same name. Neither may let a
second writer in.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from planner.cli import main
from planner.plan.edits import SetField
from planner.plan.lock import PlanLock
from planner.plan.model import POSTS
from planner.plan.plan_file import PlanFile

ROW = "date,time,platform,title,text\n2027-03-20,10:00,instagram,From the sheet,Hello\n"


def imported(plan: Path, tmp_path: Path):
    csv = tmp_path / "posts.csv"
    csv.write_text(ROW, "utf-8")
    return CliRunner().invoke(main, ["import", str(plan), str(csv)])


def test_a_hard_link_does_not_get_past_the_lock(sample, tmp_path: Path) -> None:
    plan = sample()
    link = tmp_path / "elsewhere" / "same-plan.toml"
    link.parent.mkdir()
    os.link(plan, link)
    before = plan.read_bytes()
    app = PlanLock(plan)  # what the app holds while the plan is open
    assert app.acquire()
    try:
        other = PlanLock(link)
        assert not other.acquire() and not other.held
        assert other.holder() == f"process {os.getpid()}"
        result = imported(link, tmp_path)
        assert result.exit_code == 2
        assert "not imported: the plan is open in planner (process" in result.output
        assert plan.read_bytes() == before
    finally:
        app.release()
    assert imported(link, tmp_path).exit_code == 0  # free again once the app lets go


@contextlib.contextmanager
def saved_in_the_app(plan: Path) -> Iterator[None]:
    """The plan held as the app holds it, edited and saved there (an atomic replace: a new inode)."""
    app = PlanLock(plan)
    assert app.acquire()
    try:
        inode = plan.stat().st_ino
        plan_file = PlanFile.open(plan)
        plan_file.apply(SetField((*POSTS, 0), "title", "Saved in the app"))
        plan_file.save()
        assert plan.stat().st_ino != inode
        yield
    finally:
        app.release()


def test_the_lock_still_holds_after_the_app_saves_a_new_inode(sample, tmp_path: Path) -> None:
    plan = sample()
    with saved_in_the_app(plan):
        new_link = tmp_path / "linked-after-the-save.toml"
        os.link(plan, new_link)
        before = plan.read_bytes()
        for name in (plan, new_link):
            assert not PlanLock(name).acquire()
            assert imported(name, tmp_path).exit_code == 2
        assert plan.read_bytes() == before


def test_a_hard_link_made_before_a_save_names_another_file_after_it(sample, tmp_path: Path) -> None:
    """The old name keeps the old file when the app replaces the plan: writing it touches nothing of the app's."""
    plan = sample()
    old_link = tmp_path / "old-link.toml"
    os.link(plan, old_link)
    with saved_in_the_app(plan):
        assert not os.path.samefile(plan, old_link)
        assert PlanLock(old_link).acquire()


def test_a_hard_link_held_by_another_process_is_refused(sample, tmp_path: Path) -> None:
    plan = sample()
    link = tmp_path / "link.toml"
    os.link(plan, link)
    code = (
        "import sys; from pathlib import Path; from planner.plan.lock import PlanLock; "
        "lock = PlanLock(Path(sys.argv[1])); print(lock.acquire(), flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(link)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert child.stdout.readline().strip() == "True"
        mine = PlanLock(plan)
        assert not mine.acquire()
        assert mine.holder() == f"process {child.pid}"
    finally:
        child.stdin.close()
        child.wait(10)
    assert PlanLock(plan).acquire()
