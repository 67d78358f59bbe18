"""The .ics export read by real calendar programs (khal, calcurse): every post at the right local time.

The viewers are in New York, the plan in Berlin: the two zones change to
summer time on different days, so this also checks the VTIMEZONE.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest

from conftest import SAMPLES
from planner.export import render
from planner.export.common import platform_label
from planner.export.ics import calendar_text
from planner.plan.plan_file import load

VIEWER = "America/New_York"

if os.environ.get("CI"):  # CI installs both (.ci/run): there a missing one is a failure, not a skip
    for tool in ("calcurse", "khal"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is required in CI")


# Titles that calcurse cut (at NUL) or skipped (a line break) when the export wrote them raw.
HOSTILE_TITLES = ["Launch\x00day", "Line\nbreak", "Carriage\r\nreturn", "esc\x1b[31m red", "vt\x0b ff\x0c del\x7f", "sep\u2028arated"]


@pytest.fixture(params=["sample", "control characters"])
def exported(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, set[tuple[str, str]]]:
    plan = load(SAMPLES / "shop-launch.toml").plan
    assert plan is not None
    if request.param == "control characters":
        for index, title in enumerate(HOSTILE_TITLES):
            plan.posts[index] = dataclasses.replace(plan.posts[index], title=title)
    path = tmp_path / "plan.ics"
    path.write_bytes(render(plan, "ics", "smm"))
    zone, viewer = zoneinfo.ZoneInfo(plan.campaign.timezone), zoneinfo.ZoneInfo(VIEWER)
    expected = {
        (f"{post.at.replace(tzinfo=zone).astimezone(viewer):%Y-%m-%d %H:%M}", calendar_text(f"[{platform_label(plan, post.platform)}] {post.title}", one_line=True))
        for post in plan.posts
    }
    assert len(expected) == len(plan.posts)
    return path, expected


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"), "TZ": VIEWER}


@pytest.mark.skipif(shutil.which("calcurse") is None, reason="calcurse is not installed (apt-get install calcurse)")
def test_calcurse_shows_every_post_at_its_local_time(tmp_path: Path, exported) -> None:
    path, expected = exported
    folder = tmp_path / "calcurse"
    folder.mkdir()
    done = subprocess.run(["calcurse", "-D", str(folder), "-i", str(path)], env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"{len(expected)} apps / 0 events / 0 todos / 0 skipped" in done.stdout
    found = set()
    for line in (folder / "apts").read_text("utf-8").splitlines():
        match = re.match(r"(\d\d)/(\d\d)/(\d{4}) @ (\d\d:\d\d) -> .*?\|(.*)", line)
        assert match, line
        month, day, year, clock, summary = match.groups()
        found.add((f"{year}-{month}-{day} {clock}", summary))
    assert found == expected


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed (apt-get install khal)")
def test_khal_shows_every_post_at_its_local_time(tmp_path: Path, exported) -> None:
    path, expected = exported
    calendar = tmp_path / "khal-calendar"
    calendar.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[plan]]\npath = {calendar}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"local_timezone = {VIEWER}\ndefault_timezone = {VIEWER}\n",
        encoding="utf-8",
    )
    env = _env(tmp_path)
    done = subprocess.run(["khal", "-c", str(config), "import", "--batch", "-a", "plan", str(path)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        ["khal", "-c", str(config), "list", "--format", "{start}|{title}", "--day-format", "", "2027-03-01", "60d"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    found = {tuple(line.split("|", 1)) for line in listed.stdout.splitlines() if "|" in line}
    assert found == expected
