"""Validation: every problem in a plan, at once, as ``FILE:LINE: key.path: message``.

Each test starts from one small valid plan (below, with its line numbers),
breaks one thing and checks the line `planner check` prints for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.plan.plan_file import load

PLAN = """\
schema = 1

[campaign]
name = "Spring sale"
timezone = "Europe/Berlin"
start = 2026-03-02
end = 2026-05-31

[smo]
due = 2026-03-13

[[smo.items]]
id = "og-tags"
title = "Open Graph tags"

[smm]
start = 2026-03-16

[[smm.platforms]]
name = "instagram"
best_times = ["tue 09:00"]

[[smm.posts]]
id = "teaser"
platform = "instagram"
at = 2026-03-17T09:00:00
status = "draft"
title = "Teaser"
"""
# line 1 schema, 4 name, 5 timezone, 6 start, 7 end, 10 smo.due, 12 [[smo.items]],
# 13 its id, 19 [[smm.platforms]], 21 best_times, 23 [[smm.posts]], 24 id,
# 25 platform, 26 at, 27 status


def _edit(old: str, new: str, text: str = PLAN) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a plan as plan.toml and run `planner check` on it: (exit code, lines)."""
    monkeypatch.chdir(tmp_path)

    def run(text: str) -> tuple[int, list[str]]:
        (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["check", "plan.toml"])
        assert "Traceback" not in result.output
        return result.exit_code, result.output.splitlines()

    return run


def test_the_base_plan_is_clean(check) -> None:
    assert check(PLAN) == (0, [])


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.toml")))
def test_the_sample_plans_load_without_errors(name: str) -> None:
    loaded = load(SAMPLES / name)
    assert loaded.plan is not None
    assert [p for p in loaded.problems if p.severity != "note"] == []
    assert loaded.plan.posts and loaded.plan.smo_items and loaded.plan.platforms


def test_sample_plans_are_three() -> None:
    assert len(list(SAMPLES.glob("*.toml"))) == 3


# -- one error each ---------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "start = 2026-03-02",
            'start = "2026-03-02"',
            "plan.toml:6: campaign.start: expected a date, found a string"
            " (remove the quotes: TOML dates are written bare, like 2026-03-02)",
        ),
        (
            'status = "draft"',
            'status = "drafft"',
            "plan.toml:27: smm.posts[0].status: unknown status 'drafft' (did you mean draft?)",
        ),
        (
            'status = "draft"',
            'status = "Done"',
            "plan.toml:27: smm.posts[0].status: unknown status 'Done'"
            " (use one of idea, draft, review, approved, scheduled, published)",
        ),
        (
            'timezone = "Europe/Berlin"',
            'timezone = "Europe/Berln"',
            "plan.toml:5: campaign.timezone: unknown time zone 'Europe/Berln' (did you mean Europe/Berlin?)",
        ),
        (
            'timezone = "Europe/Berlin"',
            'timezone = "utc"',
            "plan.toml:5: campaign.timezone: unknown time zone 'utc' (did you mean UTC?)",
        ),
        (
            'timezone = "Europe/Berlin"',
            'timezone = "Mars/Olympus_Mons"',
            "plan.toml:5: campaign.timezone: unknown time zone 'Mars/Olympus_Mons'"
            " (use an IANA name such as Europe/Berlin or America/New_York)",
        ),
        (
            "end = 2026-05-31",
            "end = 2026-01-31",
            "plan.toml:7: campaign.end: end (2026-01-31) is before start (2026-03-02)",
        ),
        (
            'platform = "instagram"',
            'platform = "tiktk"',
            "plan.toml:25: smm.posts[0].platform: unknown platform 'tiktk' (did you mean tiktok?)",
        ),
        (
            "at = 2026-03-17T09:00:00",
            "at = 2026-03-17T09:00:00+01:00",
            "plan.toml:26: smm.posts[0].at: expected a local date-time without an offset"
            " (times are in campaign.timezone; drop the offset or Z)",
        ),
        (
            "at = 2026-03-17T09:00:00",
            "at = 2026-03-17T08:00:00Z",
            "plan.toml:26: smm.posts[0].at: expected a local date-time without an offset"
            " (times are in campaign.timezone; drop the offset or Z)",
        ),
        (
            "at = 2026-03-17T09:00:00",
            "at = 2026-03-17",
            "plan.toml:26: smm.posts[0].at: expected a local date-time, found a date (add a time: 2026-03-17T09:00:00)",
        ),
        (
            "at = 2026-03-17T09:00:00",
            'at = "2026-03-17T09:00:00"',
            "plan.toml:26: smm.posts[0].at: expected a local date-time, found a string"
            " (remove the quotes: write at = 2026-03-17T09:00:00)",
        ),
        (
            'best_times = ["tue 09:00"]',
            'best_times = ["tue 9:00"]',
            "plan.toml:21: smm.platforms[0].best_times[0]: 'tue 9:00' is not a weekday and time"
            ' (write it like "tue 09:00" or "daily 18:00")',
        ),
        (
            'best_times = ["tue 09:00"]',
            'best_times = [\n  "tue 09:00",\n  "someday",\n]',
            "plan.toml:23: smm.platforms[0].best_times[1]: 'someday' is not a weekday and time"
            ' (write it like "tue 09:00" or "daily 18:00")',
        ),
        (
            'best_times = ["tue 09:00"]',
            'best_times = "tue 09:00"',
            "plan.toml:21: smm.platforms[0].best_times: expected an array of strings, found a string"
            ' (write best_times = ["tue 09:00"])',
        ),
        (
            "schema = 1",
            "schema = 2",
            "plan.toml:1: schema: this plan uses schema 2; this planner reads schema 1 (upgrade planner)",
        ),
        (
            "schema = 1",
            'schema = "1"',
            "plan.toml:1: schema: expected the integer 1, found a string",
        ),
        (
            "schema = 1\n",
            "\n",
            "plan.toml: schema: schema is missing (add schema = 1 at the top)",
        ),
        (
            'name = "Spring sale"\n',
            "",
            "plan.toml:3: campaign.name: name is required",
        ),
        (
            'name = "Spring sale"',
            'name = "  "',
            "plan.toml:4: campaign.name: name must not be empty",
        ),
        (
            'id = "teaser"\n',
            "",
            "plan.toml:23: smm.posts[0].id: id is required",
        ),
        (
            "at = 2026-03-17T09:00:00\n",
            "",
            "plan.toml:23: smm.posts[0].at: at is required (for example at = 2026-03-17T09:00:00)",
        ),
        (
            "due = 2026-03-13\n",
            "",
            "plan.toml:9: smo.due: due is required (for example due = 2026-03-02)",
        ),
        (
            'id = "teaser"',
            'id = "Spring teaser!"',
            "plan.toml:24: smm.posts[0].id: id 'Spring teaser!' is not a slug"
            " (use letters, digits, '-', '_', '.', e.g. 'Spring-teaser')",
        ),
        (
            'title = "Open Graph tags"',
            'title = "Open Graph tags"\ndone = "yes"',
            "plan.toml:15: smo.items[0].done: expected true or false, found a string (write true or false without quotes)",
        ),
        (
            "[[smm.posts]]",
            "[smm.posts]",
            "plan.toml:23: smm.posts: expected an array of tables ([[smm.posts]]), found a table",
        ),
    ],
)
def test_one_error_is_reported_on_its_line(check, old: str, new: str, expected: str) -> None:
    code, lines = check(_edit(old, new))
    assert code == 1
    assert lines == [expected]


def test_a_missing_table_has_no_line_to_point_at(check) -> None:
    text = PLAN.replace("[smo]\ndue = 2026-03-13\n\n[[smo.items]]\n", "[[smo_items]]\n")
    code, lines = check(text)
    assert code == 1
    assert "plan.toml: smo: the [smo] table is missing" in lines


def test_a_table_made_only_by_its_entries_points_at_the_first_entry(check) -> None:
    # no [smo] header: [[smo.items]] on line 9 makes the table, and due is missing
    code, lines = check(PLAN.replace("[smo]\ndue = 2026-03-13\n\n", ""))
    assert code == 1
    assert lines == ["plan.toml:9: smo.due: due is required (for example due = 2026-03-02)"]


def test_a_duplicate_id_is_reported_at_both_places(check) -> None:
    text = _edit(
        'title = "Open Graph tags"\n', 'title = "Open Graph tags"\n\n[[smo.items]]\nid = "og-tags"\ntitle = "Again"\n'
    )
    # the copy is now the [[smo.items]] entry at line 16, its id on line 17
    code, lines = check(text)
    assert code == 1
    assert lines == [
        "plan.toml:13: smo.items[0].id: note: id 'og-tags' is used again at smo.items[1]",
        "plan.toml:17: smo.items[1].id: id 'og-tags' is used twice (also at smo.items[0])",
    ]


def test_a_platform_chosen_twice_is_reported_at_both_places(check) -> None:
    text = _edit("[[smm.posts]]", '[[smm.platforms]]\nname = "instagram"\n\n[[smm.posts]]')
    code, lines = check(text)
    assert code == 1
    assert lines == [
        "plan.toml:20: smm.platforms[0].name: note: platform 'instagram' is chosen again at smm.platforms[1]",
        "plan.toml:24: smm.platforms[1].name: platform 'instagram' is chosen twice (also at smm.platforms[0])",
    ]


def test_every_problem_is_reported_at_once(check) -> None:
    text = _edit('timezone = "Europe/Berlin"', 'timezone = "Berlin"')
    text = _edit('status = "draft"', 'status = "drafft"', text)
    text = _edit("at = 2026-03-17T09:00:00", "at = 2026-03-17", text)
    code, lines = check(text)
    assert code == 1
    assert [line.split(":")[1] for line in lines] == ["5", "26", "27"]
    assert len(lines) == 3


# -- unknown keys are notes ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("schema = 1", 'schema = 1\ncolour = "blue"', "plan.toml:2: colour: note: unknown key, kept as it is"),
        (
            'name = "Spring sale"',
            'name = "Spring sale"\nbudget = 500',
            "plan.toml:5: campaign.budget: note: unknown key, kept as it is",
        ),
        (
            'title = "Teaser"',
            'title = "Teaser"\nmood = "happy"',
            "plan.toml:29: smm.posts[0].mood: note: unknown key, kept as it is",
        ),
        (
            'title = "Teaser"',
            'title = "Teaser"\ntitel = "Typo"',
            "plan.toml:29: smm.posts[0].titel: note: unknown key, kept as it is (did you mean title?)",
        ),
        (
            "[smm]",
            '[reporting]\nweekly = true\nto = ["lena"]\n\n[smm]',
            "plan.toml:16: reporting: note: unknown key, kept as it is",
        ),
        (
            'best_times = ["tue 09:00"]',
            'best_times = ["tue 09:00"]\n[smm.platforms.extra]\nreach = 3',
            "plan.toml:22: smm.platforms[0].extra: note: unknown key, kept as it is",
        ),
    ],
)
def test_unknown_keys_are_notes_and_check_passes(check, old: str, new: str, expected: str) -> None:
    code, lines = check(_edit(old, new))
    assert code == 0
    assert lines == [expected]


def test_unknown_keys_do_not_stop_the_plan_loading(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(_edit("[smm]", "[reporting]\nweekly = true\n\n[smm]"), encoding="utf-8")
    loaded = load(path)
    assert loaded.plan is not None
    assert [p.severity for p in loaded.problems] == ["note"]
    assert loaded.data["reporting"] == {"weekly": True}  # kept as it is


# -- handles ------------------------------------------------------------------


def test_a_handle_its_platform_would_not_accept_is_a_warning(check) -> None:
    text = _edit('name = "instagram"', 'name = "facebook"\nhandle = "Kaffeewerk Berlin"')
    text = _edit('platform = "instagram"', 'platform = "facebook"', text)
    text += '\n[[competitors]]\nname = "Rival"\nhandles = { x = "@much_too_long_for_x", instagram = "@rival.cafe" }\n'
    code, lines = check(text)
    assert code == 1
    assert lines == [
        "plan.toml:21: smm.platforms[0].handle: warning: 'Kaffeewerk Berlin' is not an account name Facebook accepts"
        " (use the name in the profile's address, https://www.facebook.com/{handle})",
        "plan.toml:33: competitors[0].handles.x: warning: '@much_too_long_for_x' is not an account name X (Twitter) accepts"
        " (use the name in the profile's address, https://x.com/{handle})",
    ]


@pytest.mark.parametrize(
    ("platform", "handle"),
    [
        ("x", "@brand_hq"),
        ("mastodon", "@brand@hachyderm.io"),
        ("bluesky", "brand.bsky.social"),
        ("youtube", "@Brand-Kanal.de"),
        ("linkedin", "kiln-and-co"),
        ("tiktok", "kiln.co_"),
        ("snapchat", "kiln-co"),
    ],
)
def test_handles_the_platforms_accept_pass(platform: str, handle: str) -> None:
    from planner.rules.platforms import builtin_platforms

    assert builtin_platforms()[platform].accepts_handle(handle)


def test_a_time_zone_is_valid_exactly_when_zoneinfo_lists_it_without_listing_them_all() -> None:
    """`valid_timezone` opens the one file a name would be listed from; its answer is the full list's."""
    import os
    import zoneinfo

    from planner.plan.schema import _listed_timezone

    listed = zoneinfo.available_timezones()
    names = set(listed)
    for root in zoneinfo.TZPATH:  # every file below the time zone folders, right/ and posix/ included
        for folder, _, files in os.walk(root):
            names |= {os.path.relpath(os.path.join(folder, file), root) for file in files}
    names |= {
        "",
        "posixrules",
        "right/UTC",
        "posix/Europe/Berlin",
        "Europe",
        "Europe/",
        "/Europe/Berlin",
        "Europe//Berlin",
        "./Europe/Berlin",
        "Europe/../Europe/Berlin",
        "../zoneinfo/UTC",
        "Europe/Berlin\0",
        "europe/berlin",
        "Mars/Olympus",
        "zone.tab",
    }
    wrong = sorted(name for name in names if _listed_timezone(name) != (name in listed))
    assert wrong == []
    assert {"Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"} <= listed


def test_timezone_names_are_what_valid_timezone_accepts() -> None:
    from planner.plan.schema import timezone_names, valid_timezone

    names = timezone_names()
    assert {"Europe/Berlin", "America/New_York", "UTC"} <= names
    assert "Mars/Olympus" not in names and not valid_timezone("Mars/Olympus")
    assert all(valid_timezone(name) for name in list(names)[:50])
