"""Where each plan was left (the view and the selection it reopens on): kept in the state folder, never in the plan."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from planner import locations, places
from planner.places import Place

WHEN = dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC)


def test_a_place_is_kept_per_plan_and_read_back(tmp_path: Path) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    assert places.read(one) == (None, None)  # never left: no place, nothing to say
    places.write(one, Place("calendar", {"mode": "week", "day": "2027-03-16", "post": "ig-teaser"}), WHEN)
    places.write(two, Place("smo", {"item": "meta-titles"}), WHEN)
    assert places.read(one) == (Place("calendar", {"mode": "week", "day": "2027-03-16", "post": "ig-teaser"}), None)
    assert places.read(two) == (Place("smo", {"item": "meta-titles"}), None)
    assert locations.places_file().parent == locations.state_dir()


def test_the_same_plan_by_another_path_or_a_link_has_the_same_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text("", "utf-8")
    (tmp_path / "link.toml").symlink_to(plan)
    monkeypatch.chdir(tmp_path)
    places.write(Path("plan.toml"), Place("platforms", {"platform": "x"}), WHEN)
    assert places.read(tmp_path / "link.toml")[0] == Place("platforms", {"platform": "x"})
    assert places.read(tmp_path / "sub" / ".." / "plan.toml")[0] == Place("platforms", {"platform": "x"})


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe", b"[]", b'{"format": 99, "plans": {}}', b'{"format": 1, "plans": []}', b"[" * 100_000],
)
def test_a_damaged_file_gives_no_place_and_one_line_that_says_so(tmp_path: Path, content: bytes) -> None:
    target = locations.places_file()
    target.parent.mkdir(parents=True)
    target.write_bytes(content)
    place, notice = places.read(tmp_path / "plan.toml")
    assert place is None
    assert notice is not None and "\n" not in notice and notice.startswith(f"{target}: damaged (")
    assert notice.endswith("); the plan opens on the overview")
    places.write(tmp_path / "plan.toml", Place("competitors"), WHEN)  # leaving replaces it
    assert places.read(tmp_path / "plan.toml") == (Place("competitors"), None)


def test_a_damaged_entry_gives_no_place_and_says_so(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    target = locations.places_file()
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"format": 1, "plans": {locations.plan_key(plan): {"view": 4}}}), "utf-8")
    place, notice = places.read(plan)
    assert (
        place is None
        and notice == f"{target}: damaged (an entry is not a view and a selection); the plan opens on the overview"
    )


def test_values_that_are_not_text_are_left_out_of_a_selection(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    target = locations.places_file()
    target.parent.mkdir(parents=True)
    entry = {"view": "smo", "selection": {"item": "meta-titles", "day": 3, "post": None}}
    target.write_text(json.dumps({"format": 1, "plans": {locations.plan_key(plan): entry}}), "utf-8")
    assert places.read(plan) == (Place("smo", {"item": "meta-titles"}), None)


def test_an_unreadable_file_says_why(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    target = locations.places_file()
    target.parent.mkdir(parents=True)
    target.write_text("{}", "utf-8")
    target.chmod(0)
    place, notice = places.read(tmp_path / "plan.toml")
    assert place is None and notice.startswith(f"{target}: cannot be read (")


def test_only_the_plans_left_last_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(places, "KEPT", 3)
    for n in range(5):
        places.write(tmp_path / f"plan{n}.toml", Place("smo"), WHEN + dt.timedelta(minutes=n))
    places.write(tmp_path / "plan1.toml", Place("calendar"), WHEN + dt.timedelta(minutes=9))  # left again: kept
    kept = [n for n in range(5) if places.read(tmp_path / f"plan{n}.toml")[0] is not None]
    assert kept == [1, 3, 4]
    assert json.loads(locations.places_file().read_text("utf-8"))["format"] == 1
