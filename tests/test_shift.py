"""`planner shift`: moving posts when a launch slips, through click's runner and the real console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main

PLANNER = Path(sys.executable).with_name("planner")  # the console script of this environment

# A small plan in Europe/Berlin, where the clocks skip 02:00-03:00 on 2027-03-28.
PLAN = (Path(__file__).parent / "fixtures" / "dst-plan.toml").read_text("utf-8")


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["shift", *args])
    return result.exit_code, result.output


def test_shifting_every_post_a_day_writes_only_their_times(plan: Path) -> None:
    code, output = run("plan.toml", "--days", "1")
    assert (code, output) == (0, "Moved 3 posts by 1 day in plan.toml (instagram 2, x 1)\n")
    assert plan.read_text("utf-8") == PLAN.replace("2027-03-21T", "2027-03-22T").replace("2027-04-25T", "2027-04-26T")


def test_one_post_reads_as_one_post(plan: Path) -> None:
    code, output = run("plan.toml", "--days", "-1", "--platform", "x")
    assert (code, output) == (0, "Moved 1 post on x by -1 day in plan.toml (x 1)\n")


def test_weeks_and_days_from_a_date_on_list_the_skipped_hour_and_past_the_end(plan: Path) -> None:
    code, output = run("plan.toml", "--weeks", "2", "--days", "-7", "--from", "2027-03-21")
    assert code == 1
    assert output == (
        "Moved 3 posts from 2027-03-21 by 7 days in plan.toml (instagram 2, x 1)\n"
        "1 post lands in an hour the clocks skip (moved as it was: fix the time):\n"
        "  Night shift (instagram): 2027-03-28 02:30 does not exist in Europe/Berlin (the clocks skip it); the next valid time is 03:00.\n"
        "1 post lands outside the campaign (2027-03-01 to 2027-04-30):\n"
        "  Last call (instagram): 2027-05-02 19:00\n"
    )
    assert "at = 2027-03-28T02:30:00" in plan.read_text("utf-8")  # moved as it was, not changed silently


def test_posts_moved_before_the_smm_start_or_past_the_end_are_listed(plan: Path) -> None:
    code, output = run("plan.toml", "--days", "-7")
    assert code == 1
    assert output.splitlines()[1:] == [
        "2 posts land before the SMM start (2027-03-15):",
        "  Night shift (instagram): 2027-03-14 02:30",
        "  Good morning (x): 2027-03-14 09:15",
    ]
    code, output = run("plan.toml", "--weeks", "3", "--from", "2027-04-01")
    assert (code, output.splitlines()[1:]) == (
        1,
        ["1 post lands outside the campaign (2027-03-01 to 2027-04-30):", "  Last call (instagram): 2027-05-09 19:00"],
    )


def test_a_dry_run_writes_nothing(plan: Path) -> None:
    code, output = run("plan.toml", "--days", "2", "--dry-run")
    assert (code, output) == (0, "Would move 3 posts by 2 days (instagram 2, x 1)\n")
    assert plan.read_text("utf-8") == PLAN


def test_nothing_to_shift_says_so(plan: Path) -> None:
    assert run("plan.toml", "--days", "2", "--from", "2027-05-01") == (
        0,
        "No posts from 2027-05-01 to shift; nothing to write\n",
    )
    assert plan.read_text("utf-8") == PLAN


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "0"], "say how far to move the posts: --days N or --weeks N (not 0)"),
        (["--days", "1", "--weeks", "-1", "--days", "7"], "say how far to move the posts"),
        (["--days", "1", "--platform", "insta"], "no platform 'insta' in this plan (it has instagram, x)"),
        (["--days", "1", "--from", "21 March"], "Type the date as YYYY-MM-DD"),
    ],
)
def test_wrong_options_exit_2_and_write_nothing(plan: Path, args: list[str], message: str) -> None:
    code, output = run("plan.toml", *args)
    assert code == 2 and message in output
    assert plan.read_text("utf-8") == PLAN


def test_a_plan_open_in_the_app_is_not_shifted(plan: Path) -> None:
    from planner.plan.lock import PlanLock

    with PlanLock(plan) as lock:  # as the app holds it
        assert lock.held
        code, output = run("plan.toml", "--days", "1")
    assert code == 2
    assert "plan.toml: not shifted: the plan is open in planner (process" in output
    assert plan.read_text("utf-8") == PLAN


def test_an_unreadable_plan_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.toml").write_text("schema = \n", encoding="utf-8")
    assert run("broken.toml", "--days", "1")[0] == 2
    assert run("missing.toml", "--days", "1")[0] == 2


def test_help_has_real_examples() -> None:
    result = CliRunner().invoke(main, ["shift", "--help"])
    assert result.exit_code == 0
    assert "planner shift launch.toml --days 3" in result.output
    assert "--from 2027-03-22" in result.output
    assert "shift" in CliRunner().invoke(main, ["--help"]).output


def test_the_console_script_shifts_a_sample_and_keeps_its_comments(tmp_path: Path) -> None:
    plan = tmp_path / "shop.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", plan)
    before = plan.read_text("utf-8")
    env = {**os.environ, "PLANNER_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [str(PLANNER), "shift", str(plan), "--days", "2", "--platform", "tiktok"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Moved 4 posts on tiktok by 2 days in {plan} (tiktok 4)\n"
    after = plan.read_text("utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 4 and all(a.startswith("at = ") and b.startswith("at = ") for a, b in changed)
    assert "at = 2027-03-27T20:00:00          # after the shop closes" in after
    check = subprocess.run([str(PLANNER), "check", str(plan)], capture_output=True, text=True, timeout=60, env=env)
    assert check.returncode in (0, 1) and "not valid" not in check.stdout
