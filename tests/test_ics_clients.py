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
HOSTILE_TITLES = [
    "Launch\x00day",
    "Line\nbreak",
    "Carriage\r\nreturn",
    "esc\x1b[31m red",
    "vt\x0b ff\x0c del\x7f",
    "sep\u2028arated",
]


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
        (
            f"{post.at.replace(tzinfo=zone).astimezone(viewer):%Y-%m-%d %H:%M}",
            calendar_text(f"[{platform_label(plan, post.platform)}] {post.title}", one_line=True),
        )
        for post in plan.posts
    }
    assert len(expected) == len(plan.posts)
    return path, expected


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "TZ": VIEWER,
    }


@pytest.mark.skipif(shutil.which("calcurse") is None, reason="calcurse is not installed (apt-get install calcurse)")
def test_calcurse_shows_every_post_at_its_local_time(tmp_path: Path, exported) -> None:
    path, expected = exported
    folder = tmp_path / "calcurse"
    folder.mkdir()
    done = subprocess.run(
        ["calcurse", "-D", str(folder), "-i", str(path)], env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(expected)} apps / 0 events / 0 todos / 0 skipped" in done.stdout
    found = set()
    for line in (folder / "apts").read_text("utf-8").splitlines():
        match = re.match(r"(\d\d)/(\d\d)/(\d{4}) @ (\d\d:\d\d) -> .*?\|(.*)", line)
        assert match, line
        month, day, year, clock, summary = match.groups()
        found.add((f"{year}-{month}-{day} {clock}", summary))
    assert found == expected


def _khal(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A khal configuration with one empty calendar, ``plan``, and the environment to run khal in."""
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
    return config, _env(tmp_path)


def _khal_list(config: Path, env: dict[str, str]) -> list[tuple[str, ...]]:
    listed = subprocess.run(
        ["khal", "-c", str(config), "list", "--format", "{start}|{title}", "--day-format", "", "2027-03-01", "60d"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    return [tuple(line.split("|", 1)) for line in listed.stdout.splitlines() if "|" in line]


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed (apt-get install khal)")
def test_khal_shows_every_post_at_its_local_time(tmp_path: Path, exported) -> None:
    path, expected = exported
    config, env = _khal(tmp_path)
    done = subprocess.run(
        ["khal", "-c", str(config), "import", "--batch", "-a", "plan", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert set(_khal_list(config, env)) == expected


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed (apt-get install khal)")
def test_khal_updates_the_events_when_the_renamed_campaign_is_imported_again(tmp_path: Path) -> None:
    config, env = _khal(tmp_path)
    text = (
        (SAMPLES / "shop-launch.toml")
        .read_text("utf-8")
        .replace("[campaign]\n", '[campaign]\nid = "tide-collection-launch"\n', 1)
    )
    for number, name in enumerate(["Tide collection launch", "Tide: the spring launch"]):
        plan_path = tmp_path / "plan.toml"
        plan_path.write_text(text.replace('name = "Tide collection launch"', f'name = "{name}"', 1), encoding="utf-8")
        plan = load(plan_path).plan
        assert plan is not None and plan.campaign.name == name
        ics = tmp_path / f"plan-{number}.ics"
        ics.write_bytes(render(plan, "ics", "smm"))
        done = subprocess.run(
            ["khal", "-c", str(config), "import", "--batch", "-a", "plan", str(ics)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert len(_khal_list(config, env)) == len(plan.posts)  # 17, not 34 after the second import


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.toml")), ids=lambda path: path.stem)
def test_every_sample_export_reads_in_an_independent_parser(sample: Path) -> None:
    import vobject

    plan = load(sample).plan
    assert plan is not None
    calendar = vobject.readOne(render(plan, "ics").decode("utf-8"))
    events = calendar.contents.get("vevent", [])
    todos = calendar.contents.get("vtodo", [])
    assert len(events) == len(plan.posts) and len(todos) == len(plan.smo_items)
    zone = zoneinfo.ZoneInfo(plan.campaign.timezone)
    starts = sorted(event.dtstart.value for event in events)
    assert starts == sorted(post.at.replace(tzinfo=zone) for post in plan.posts)
    assert all(
        event.dtstart.value.utcoffset() == post.at.replace(tzinfo=zone).utcoffset()
        for event, post in zip(sorted(events, key=lambda e: e.dtstart.value), sorted(plan.posts, key=lambda p: p.at))
    )
    uids = [component.uid.value for component in events + todos]
    assert len(set(uids)) == len(uids)
    assert {event.summary.value for event in events} == {
        calendar_text(f"[{platform_label(plan, post.platform)}] {post.title or post.id}", one_line=True)
        for post in plan.posts
    }
