"""`planner today [PLAN|FOLDER...]`: what needs you today, for people and for scripts."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, planner_command

from planner import locations
from planner.cli import main

# Wednesday 17 March 2027, 12:00 in Berlin: the shop launch's second SMM week, with late SMO items.
WEDNESDAY = dt.datetime(2027, 3, 17, 11, tzinfo=dt.UTC)


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the three sample plans and a pyproject.toml; the clock reads WEDNESDAY."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in ("shop-launch.toml", "webinar-series.toml", "nonprofit-fundraiser.toml"):
        shutil.copyfile(SAMPLES / name, folder / name)
    (folder / "pyproject.toml").write_text('[project]\nname = "not-a-plan"\n', "utf-8")
    (folder / "notes.txt").write_text("not even TOML", "utf-8")
    (folder / "archive").mkdir()
    shutil.copyfile(SAMPLES / "shop-launch.toml", folder / "archive" / "old.toml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("planner.cli._utc_now", lambda: WEDNESDAY)
    return folder


def run(*args: str):
    return CliRunner().invoke(main, ["today", *args])


def test_a_plan_today_every_line_naming_it(plans: Path) -> None:
    result = run("plans/shop-launch.toml")
    lines = result.output.splitlines()
    assert result.exit_code == 1  # late SMO items: something needs you
    assert all(line.startswith("plans/shop-launch.toml") for line in lines)
    assert (
        lines[0]
        == "plans/shop-launch.toml: Tide collection launch: Wednesday 2027-03-17 12:00 (Europe/Berlin); this week 2027-03-15 to 2027-03-21"
    )
    assert lines[1].startswith("plans/shop-launch.toml: today: 18:00  approved   tiktok      video     “Glaze test")
    week = [line for line in lines if ": this week: " in line]
    assert [line.split(": this week: ")[1][:20] for line in week] == [
        "Tue 2027-03-16 19:00",
        "Thu 2027-03-18 19:00",
        "Fri 2027-03-19 20:00",
        "Sun 2027-03-21 10:00",
    ]
    assert sum(": late SMO item: " in line for line in lines) == 7
    assert (
        "plans/shop-launch.toml: late SMO item: “Alt text on all product photos”, lena (SMO was due 2027-03-14, 3 days ago)"
        in lines
    )
    assert any(
        line.startswith("plans/shop-launch.toml:15: smo.due: warning: SMM started on 2027-03-15") for line in lines
    )


def test_a_folder_is_its_plan_files_and_other_toml_files_are_skipped_with_a_note(plans: Path) -> None:
    result = CliRunner().invoke(main, ["today", "plans"])
    out = result.stdout
    files = [line.split(":")[0] for line in out.splitlines() if line]
    assert list(dict.fromkeys(files)) == [
        "plans/nonprofit-fundraiser.toml",
        "plans/shop-launch.toml",
        "plans/webinar-series.toml",
    ]
    assert "plans/webinar-series.toml: nothing late, waiting or short, and no warnings" in out
    assert result.stderr == "planner: skipped plans/pyproject.toml: not a plan (no [campaign] table)\n"
    assert "archive" not in out and "notes.txt" not in result.output
    assert result.exit_code == 1


def test_nothing_needs_you_exits_0(plans: Path) -> None:
    result = run("plans/webinar-series.toml", "plans/nonprofit-fundraiser.toml")
    assert result.exit_code == 0
    assert result.output.splitlines()[1:3] == [
        "plans/webinar-series.toml: today: no posts",
        "plans/webinar-series.toml: nothing late, waiting or short, and no warnings",
    ]


def test_a_plan_that_cannot_be_read_exits_2_and_the_others_are_still_shown(plans: Path) -> None:
    (plans / "broken.toml").write_text('[campaign]\nname = "Broken"\nstart = 2027-13-01\n', "utf-8")
    (plans / "invalid.toml").write_text('[campaign]\nname = "No dates"\n', "utf-8")
    result = CliRunner().invoke(main, ["today", "plans", "plans/missing.toml"])
    assert result.exit_code == 2
    assert "plans/shop-launch.toml: today: 18:00" in result.stdout
    errors = result.stderr.splitlines()
    assert any(line.startswith("plans/broken.toml:3") for line in errors)
    assert "plans/invalid.toml: is not a valid plan" in result.stderr
    assert any(line.startswith("plans/invalid.toml:") and "timezone" in line for line in errors)
    assert any("missing.toml: no such file" in line for line in errors)


def test_json_is_one_stable_object_for_scripts(plans: Path) -> None:
    (plans / "invalid.toml").write_text('[campaign]\nname = "No dates"\n', "utf-8")
    result = CliRunner().invoke(main, ["today", "plans", "--format", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == data["exit_code"] == 2
    assert list(data) == ["version", "exit_code", "plans", "skipped"]
    assert data["version"] == 1
    assert data["skipped"] == [{"file": "plans/pyproject.toml", "reason": "not a plan (no [campaign] table)"}]
    by_file = {plan["file"]: plan for plan in data["plans"]}
    assert by_file["plans/invalid.toml"]["exit_code"] == 2 and by_file["plans/invalid.toml"]["problems"]
    shop = by_file["plans/shop-launch.toml"]
    assert shop["exit_code"] == 1 and shop["needs_you"] is True
    assert (shop["today"], shop["now"], shop["timezone"]) == ("2027-03-17", "2027-03-17T12:00", "Europe/Berlin")
    assert shop["today_posts"][0]["platform"] == "tiktok" and shop["today_posts"][0]["at"] == "2027-03-17T18:00"
    assert len(shop["late_smo_items"]) == 7 and shop["late_smo_items"][0]["days_late"] == 3
    assert shop["warnings"][0]["code"] == "smo-open" and shop["warnings"][0]["line"] == 15
    assert by_file["plans/webinar-series.toml"]["exit_code"] == 0


def test_now_pretends_another_local_time_and_waiting_posts_are_listed(plans: Path) -> None:
    result = run("plans/shop-launch.toml", "--now", "2027-03-19")
    lines = result.output.splitlines()
    assert lines[0].startswith("plans/shop-launch.toml: Tide collection launch: Friday 2027-03-19 00:00")
    waiting = [line for line in lines if ": waiting: " in line]
    assert waiting == [
        "plans/shop-launch.toml: waiting: Sun 2027-03-21 10:00  draft      instagram   story     “Countdown sticker” (goes out in 2 days; not approved or scheduled)",
    ]
    assert run("plans/shop-launch.toml", "--now", "March").exit_code == 2


def test_the_midnight_of_the_campaigns_time_zone_starts_the_next_day(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("planner.cli._utc_now", lambda: dt.datetime(2027, 3, 17, 22, 59, tzinfo=dt.UTC))
    assert "Wednesday 2027-03-17 23:59" in run("plans/shop-launch.toml").output
    monkeypatch.setattr("planner.cli._utc_now", lambda: dt.datetime(2027, 3, 17, 23, 0, tzinfo=dt.UTC))
    output = run("plans/shop-launch.toml").output
    assert "Thursday 2027-03-18 00:00" in output
    assert "plans/shop-launch.toml: today: 19:00  approved   instagram   carousel  “Behind the wheel”" in output


def test_without_a_plan_it_reads_the_default_plan_and_never_creates_one(plans: Path) -> None:
    result = run()
    assert result.exit_code == 2 and "no default plan" in result.output
    assert not locations.default_plan().exists()
    locations.default_plan().parent.mkdir(parents=True)
    shutil.copyfile(SAMPLES / "shop-launch.toml", locations.default_plan())
    assert "Tide collection launch" in run().output


def test_text_from_the_plan_cannot_drive_the_terminal(plans: Path) -> None:
    plan = plans / "shop-launch.toml"
    plan.write_text(
        plan.read_text("utf-8").replace(
            'title = "Behind the wheel"', 'title = "Behind\\u001b]52;c;cHduZWQ=\\u0007 wheel"'
        ),
        "utf-8",
    )
    for fmt in ("text", "json"):
        result = CliRunner().invoke(
            main, ["today", str(plan.relative_to(Path.cwd())), "--now", "2027-03-18T08:00", "--format", fmt]
        )
        assert "\x1b" not in result.output and "\x07" not in result.output
    assert (
        "“Behind^[]52;c;cHduZWQ=^G wheel”"
        in CliRunner().invoke(main, ["today", "plans/shop-launch.toml", "--now", "2027-03-18T08:00"]).output
    )


def test_the_console_script_prints_today_for_a_folder(plans: Path) -> None:
    env = {**os.environ, "PLANNER_HOME": str(plans.parent / "home")}
    done = subprocess.run(
        [*planner_command(), "today", "plans", "--now", "2027-04-20T09:00", "--format", "json"],
        cwd=plans.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    webinar = next(plan for plan in data["plans"] if plan["file"] == "plans/webinar-series.toml")
    assert webinar["today"] == "2027-04-20" and [post["at"] for post in webinar["today_posts"]] == ["2027-04-20T09:00"]
    assert done.stderr == "planner: skipped plans/pyproject.toml: not a plan (no [campaign] table)\n"
    text = subprocess.run(
        [*planner_command(), "today", "plans/webinar-series.toml", "--now", "2027-04-20T09:00"],
        cwd=plans.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert text.stdout.splitlines()[1].startswith("plans/webinar-series.toml: today: 09:00")
