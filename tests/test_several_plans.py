"""`planner check` and `status` on several plans and folders: every plan file of a folder, each line naming its plan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.folders import Skipped, plan_paths


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in ("shop-launch.toml", "webinar-series.toml"):
        shutil.copyfile(SAMPLES / name, folder / name)
    (folder / "pyproject.toml").write_text('[project]\nname = "not-a-plan"\n', "utf-8")
    (folder / ".hidden.toml").write_bytes((SAMPLES / "shop-launch.toml").read_bytes())
    (folder / "README.md").write_text("# plans\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


def test_a_folder_is_the_plan_files_directly_in_it_by_name(plans: Path, tmp_path: Path) -> None:
    (plans / "sub").mkdir()
    (plans / "sub" / "deep.toml").write_bytes((SAMPLES / "shop-launch.toml").read_bytes())
    (plans / "Schema-first.TOML").write_text("#:schema ./planner.schema.json\nschema = 1\n", "utf-8")
    (tmp_path / "empty").mkdir()
    found = list(plan_paths([Path("plans"), Path("empty"), Path("named.toml")]))
    assert found == [
        Path("plans/Schema-first.TOML"),
        Skipped(Path("plans/pyproject.toml"), "not a plan (no [campaign] table)"),
        Path("plans/shop-launch.toml"),
        Path("plans/webinar-series.toml"),
        Skipped(Path("empty"), "no plan files in this folder"),
        Path("named.toml"),  # named: read as a plan whatever it holds (here: nothing yet)
    ]


def test_check_reads_every_plan_of_a_folder_and_notes_what_it_skipped(plans: Path) -> None:
    (plans / "broken.toml").write_text('[campaign]\nname = "Broken"\nstart = 2027-13-01\n', "utf-8")
    result = CliRunner().invoke(main, ["check", "plans", "--format", "json"])
    data = json.loads(result.stdout)
    assert [plan["file"] for plan in data["plans"]] == [
        "plans/broken.toml",
        "plans/shop-launch.toml",
        "plans/webinar-series.toml",
    ]
    assert result.exit_code == data["exit_code"] == 2
    assert result.stderr == "planner: skipped plans/pyproject.toml: not a plan (no [campaign] table)\n"
    text = CliRunner().invoke(main, ["check", "plans"])
    assert all(
        line.startswith(("plans/broken.toml:", "plans/shop-launch.toml:", "plans/webinar-series.toml:"))
        for line in text.stdout.splitlines()
    )


def test_status_of_several_plans_names_the_plan_on_every_line(plans: Path) -> None:
    result = CliRunner().invoke(main, ["status", "plans", "plans/shop-launch.toml"])
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line]
    assert all(line.startswith(("plans/shop-launch.toml:", "plans/webinar-series.toml:")) for line in lines)
    assert lines[0] == "plans/shop-launch.toml: Tide collection launch  (plans/shop-launch.toml)"
    assert (
        sum(line.endswith("Tide collection launch  (plans/shop-launch.toml)") for line in lines) == 2
    )  # named twice, shown twice
    assert "plans/webinar-series.toml: Campaign 2027-04-05 to 2027-05-09, America/New_York" in lines


def test_status_goes_on_past_a_plan_it_cannot_read_and_exits_with_the_highest_code(plans: Path) -> None:
    result = CliRunner().invoke(main, ["status", "missing.toml", "plans/webinar-series.toml"])
    assert result.exit_code == 2
    assert "planner: missing.toml: no such file" in result.stderr
    assert "plans/webinar-series.toml: Pipelines in Practice webinar series" in result.stdout
    single = CliRunner().invoke(main, ["status", "plans/webinar-series.toml"])
    assert single.stdout.startswith(
        "Pipelines in Practice webinar series  (plans/webinar-series.toml)\n"
    )  # one plan: as before


def test_export_of_a_folder_is_one_calendar_whose_entries_name_their_campaign(plans: Path) -> None:
    from icalendar import Calendar

    result = CliRunner().invoke(main, ["export", "plans", "--format", "ics", "-o", "all.ics"])
    assert result.exit_code == 0, result.output
    assert "Wrote all.ics" in result.stderr and "skipped plans/pyproject.toml" in result.stderr
    calendar = Calendar.from_ical(Path("all.ics").read_bytes())
    events = calendar.walk("VEVENT")
    todos = calendar.walk("VTODO")
    shop = "Tide collection launch: "
    webinar = "Pipelines in Practice webinar series: "
    assert (len(events), len(todos)) == (17 + 20, 12 + 12)
    assert all(str(c["SUMMARY"]).startswith((shop, webinar)) for c in [*events, *todos])
    assert sum(str(e["SUMMARY"]).startswith(shop) for e in events) == 17
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/Berlin", "America/New_York"}
    assert len({str(c["UID"]) for c in [*events, *todos]}) == len(events) + len(todos)
    assert str(calendar["X-WR-CALNAME"]) == "planner: 2 plans"
    again = CliRunner().invoke(
        main, ["export", "plans/webinar-series.toml", "plans/shop-launch.toml", "--format", "ics", "-o", "all.ics"]
    )
    assert again.exit_code == 0, again.output  # an unchanged earlier export is replaced without --force
    assert str(Calendar.from_ical(Path("all.ics").read_bytes()).walk("VEVENT")[0]["SUMMARY"]).startswith(
        webinar
    )  # in the order given


def test_several_plans_export_only_as_ics_and_a_bad_plan_writes_nothing(plans: Path) -> None:
    markdown = CliRunner().invoke(main, ["export", "plans", "--format", "md", "-o", "all.md"])
    assert markdown.exit_code == 2 and "export only as one iCalendar file" in markdown.stderr
    (plans / "invalid.toml").write_text('[campaign]\nname = "No dates"\n', "utf-8")
    bad = CliRunner().invoke(main, ["export", "plans", "--format", "ics", "-o", "all.ics"])
    assert bad.exit_code == 1 and "plans/invalid.toml" in bad.stderr
    assert not Path("all.md").exists() and not Path("all.ics").exists()
