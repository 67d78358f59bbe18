"""The SMM edit builders: choosing platforms and noting competitors, checked on the saved bytes.

Each test opens a plan, applies the edit, saves, and compares the file on
bytes (only the edited lines change, comments stay); then undoes and saves
again to get the original bytes back.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import SAMPLES, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.plan.edits import AddEntry, Batch, DeleteEntry, SetField
from planner.plan.plan_file import PlanFile
from planner.plan.smm_edits import (
    add_competitor,
    choose_platform,
    custom_name_problem,
    delete_competitor,
    edit_competitor,
    edit_platform,
    parse_best_times,
    parse_count,
    parse_handles,
    platform_values,
    unchoose_platform,
)

ORIGINAL = (SAMPLES / "shop-launch.toml").read_bytes()


def opened(tmp_path: Path, content: bytes = ORIGINAL) -> PlanFile:
    path = tmp_path / "plan.toml"
    path.write_bytes(content)
    return PlanFile.open(path)


def saved(plan_file: PlanFile) -> bytes:
    plan_file.save()
    return plan_file.path.read_bytes()


def comments(data: bytes) -> list[str]:
    return [line for line in data.decode().splitlines() if "#" in line]


def undone_and_saved(plan_file: PlanFile, original: bytes) -> None:
    """Undo everything, save: the file is back to its original bytes."""
    while plan_file.undo() is not None:
        pass
    assert saved(plan_file) == original


# -- platforms -----------------------------------------------------------------------


def test_choosing_a_platform_adds_an_entry_in_key_order_without_empty_values(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    edit = choose_platform(
        {"best_times": ["tue 09:00", "thu 12:30"], "why": "B2B buyers", "name": "linkedin", "handle": "", "cadence": 3}
    )
    assert edit.label == "choose LinkedIn"
    plan_file.apply(edit)
    after = saved(plan_file)
    assert line_changes(ORIGINAL, after) == (
        [],
        [
            "",
            "[[smm.platforms]]",
            'name = "linkedin"',
            'why = "B2B buyers"',
            "cadence = 3",
            'best_times = ["tue 09:00", "thu 12:30"]',
        ],
    )
    # Right below the last chosen platform, above the week's section comment.
    assert after.index(b'name = "linkedin"') < after.index(b"# --- Week 1")
    assert comments(after) == comments(ORIGINAL)
    assert plan_file.plan.platform("linkedin").cadence == 3
    undone_and_saved(plan_file, ORIGINAL)


def test_choosing_a_platform_in_a_plan_without_smm_makes_the_table(tmp_path: Path, line_changes) -> None:
    text = ORIGINAL.decode()
    original = (text[: text.index("# SMM: no start date here")] + text[text.index("# Who else") :]).encode()
    plan_file = opened(tmp_path, original)
    plan_file.apply(choose_platform({"name": "x", "handle": "@kiln", "cadence": 0, "best_times": []}))
    after = saved(plan_file)
    assert line_changes(original, after)[0] == []
    assert b'\n[[smm.platforms]]\nname = "x"\nhandle = "@kiln"\n' in after  # cadence 0 is the default: left out
    assert tomllib.loads(after.decode())["smm"]["platforms"] == [{"name": "x", "handle": "@kiln"}]
    undone_and_saved(plan_file, original)


def test_a_custom_platform_keeps_its_own_limits(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    assert custom_name_problem("forum", plan_file.plan) is None
    values = {
        "name": "forum",
        "label": "Potters' forum",
        "text_limit": 5000,
        "title_limit": 120,
        "hashtag_limit": None,
        "handle": "kiln",
        "why": "",
        "cadence": 1,
        "best_times": [],
    }
    edit = choose_platform(values)
    assert edit.label == "add custom platform Potters' forum"
    plan_file.apply(edit)
    assert line_changes(ORIGINAL, saved(plan_file)) == (
        [],
        [
            "",
            "[[smm.platforms]]",
            'name = "forum"',
            'handle = "kiln"',
            "cadence = 1",
            'label = "Potters\' forum"',
            "text_limit = 5000",
            "title_limit = 120",
        ],
    )
    assert plan_file.plan.platform("forum").text_limit == 5000
    assert not [p for p in plan_file.problems if p.code == "custom-platform"]  # a label: no warning
    assert custom_name_problem("forum", plan_file.plan) == "forum is already chosen."
    undone_and_saved(plan_file, ORIGINAL)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "A custom platform needs a name (letters, digits, - _ .)."),
        ("my forum", "“my forum” is not a name: use letters, digits, - _ . (a forum: forum)."),
        ("linkedin", "linkedin is a built-in platform: choose it from the list."),
        ("instagram", "instagram is a built-in platform: choose it from the list."),
    ],
)
def test_a_custom_platform_name_must_be_a_new_slug(tmp_path: Path, name: str, problem: str) -> None:
    assert custom_name_problem(name, opened(tmp_path).plan) == problem


def test_editing_a_choice_changes_only_the_changed_keys(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    plan = plan_file.plan
    values = {
        "name": "tiktok",
        "handle": "@kilnandco",
        "why": "",
        "cadence": 2,
        "best_times": ["wed 18:00", "sat 11:00"],
    }
    edit = edit_platform(plan, 1, values)
    assert edit == Batch(
        (SetField(("smm", "platforms", 1), "why", None), SetField(("smm", "platforms", 1), "cadence", 2)),
        "edit TikTok",
    )
    plan_file.apply(edit)
    after = saved(plan_file)
    assert line_changes(ORIGINAL, after) == (
        ['why = "Process videos (throwing, glazing) reach people who don\'t know us yet"', "cadence = 1"],
        ["cadence = 2"],
    )
    assert comments(after) == comments(ORIGINAL)
    assert edit_platform(plan_file.plan, 1, values) is None  # nothing left to change
    undone_and_saved(plan_file, ORIGINAL)


def test_editing_best_times_and_emptying_cadence(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    plan_file.apply(edit_platform(plan_file.plan, 0, {"cadence": None, "best_times": ["tue 19:00", "sun 10:00"]}))
    assert line_changes(ORIGINAL, saved(plan_file)) == (
        ["cadence = 2", 'best_times = ["tue 19:00", "thu 19:00", "sun 10:00"]'],
        ['best_times = ["tue 19:00", "sun 10:00"]'],
    )
    assert plan_file.plan.platforms[0].cadence == 0
    # Blank and 0 mean the same when nothing is set: no edit.
    assert edit_platform(plan_file.plan, 0, {"cadence": 0}) is None
    undone_and_saved(plan_file, ORIGINAL)


def test_unchoosing_removes_the_entry_and_its_block(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    edit = unchoose_platform(plan_file.plan, 1)
    assert edit == DeleteEntry(("smm", "platforms"), 1, "unchoose TikTok")
    plan_file.apply(edit)
    after = saved(plan_file)
    removed, added = line_changes(ORIGINAL, after)
    assert added == []
    assert removed == [
        "",
        "[[smm.platforms]]",
        'name = "tiktok"',
        'handle = "@kilnandco"',
        'why = "Process videos (throwing, glazing) reach people who don\'t know us yet"',
        "cadence = 1",
        'best_times = ["wed 18:00", "sat 11:00"]',
    ]
    assert comments(after) == comments(ORIGINAL)
    undone_and_saved(plan_file, ORIGINAL)


def test_best_times_are_read_with_the_schema_rule() -> None:
    assert parse_best_times("Tue 09:00, thu  12:30; tue 09:00\nsun 20:00") == ["tue 09:00", "thu 12:30", "sun 20:00"]
    assert parse_best_times("  ") == []
    for bad in ("tue 9:00", "tuesday 09:00", "tue 24:00", "09:00", "daily", "every day 18:00"):
        with pytest.raises(
            ValueError, match=f"“{bad}” is not a day and time: write tue 09:00, daily 18:00 or weekdays 09:00"
        ):
            parse_best_times(f"mon 10:00, {bad}")


def test_best_times_on_several_days_are_written_as_typed_in_lower_case() -> None:
    assert parse_best_times("Daily 18:00, WEEKDAYS 09:00, weekends 11:00, sat 11:00") == [
        "daily 18:00",
        "weekdays 09:00",
        "weekends 11:00",
        "sat 11:00",
    ]
    assert parse_best_times("daily 18:00; Daily 18:00") == ["daily 18:00"]


def test_best_times_on_several_days_round_trip_through_the_plan(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    before = plan_file.path.read_bytes()
    plan_file.apply(edit_platform(plan_file.plan, 0, {"best_times": parse_best_times("daily 18:00, weekdays 09:00")}))
    plan_file.save()
    after = plan_file.path.read_bytes()
    assert line_changes(before, after)[1] == ['best_times = ["daily 18:00", "weekdays 09:00"]']
    choice = PlanFile.open(plan_file.path).plan.platforms[0]
    assert [str(slot) for slot in choice.best_times] == ["daily 18:00", "weekdays 09:00"]
    assert [slot.weekdays for slot in choice.best_times] == [(0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4)]
    assert platform_values(choice)["best_times"] == ["daily 18:00", "weekdays 09:00"]  # the form shows them as written


def test_counts_are_whole_numbers_with_a_minimum() -> None:
    assert parse_count(" 3 ", "Cadence", 0) == 3
    assert parse_count("0", "Cadence", 0) == 0
    assert parse_count("", "Cadence", 0) is None
    assert parse_count("2_200", "Text limit", 1) == 2200
    for bad in ("-1", "1.5", "three"):
        with pytest.raises(ValueError, match=f"Cadence is a whole number of at least 0, not “{bad}”."):
            parse_count(bad, "Cadence", 0)
    with pytest.raises(ValueError, match="Text limit is a whole number of at least 1"):
        parse_count("0", "Text limit", 1)


# -- competitors ---------------------------------------------------------------------------


def test_adding_a_competitor_writes_handles_as_an_inline_table(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    values = {
        "name": "Globex",
        "site": "",
        "handles": {"linkedin": "globex", "x": "@globex", "tiktok": ""},
        "cadence": "weekly",
        "strengths": "",
        "weaknesses": "",
        "notes": "Line 1\nLine 2",
    }
    edit = add_competitor(values)
    assert edit.label == "add competitor “Globex”"
    plan_file.apply(edit)
    after = saved(plan_file)
    assert line_changes(ORIGINAL, after) == (
        [],
        [
            "",
            "[[competitors]]",
            'name = "Globex"',
            'handles = { linkedin = "globex", x = "@globex" }',
            'cadence = "weekly"',
            'notes = """Line 1',
            'Line 2"""',
        ],
    )
    assert after.endswith(b'Line 2"""\n')
    assert plan_file.plan.competitors[-1].handles == (("linkedin", "globex"), ("x", "@globex"))
    undone_and_saved(plan_file, ORIGINAL)


def test_adding_the_first_competitor(tmp_path: Path) -> None:
    text = ORIGINAL.decode()
    original = text[: text.index("# Who else")].rstrip("\n").encode() + b"\n"
    plan_file = opened(tmp_path, original)
    plan_file.apply(add_competitor({"name": "Globex", "handles": {}}))
    assert saved(plan_file) == original + b'\n[[competitors]]\nname = "Globex"\n'
    undone_and_saved(plan_file, original)


def test_editing_one_handle_changes_only_its_value(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    plan = plan_file.plan
    values = {"name": "Claywork Studio", "handles": {"tiktok": "@claywork_tt", "instagram": "@clayworkstudio"}}
    edit = edit_competitor(plan, 0, values)
    assert edit == Batch(
        (SetField(("competitors", 0), "handles", {"instagram": "@clayworkstudio", "tiktok": "@claywork_tt"}),),
        "edit competitor “Claywork Studio”",
    )
    plan_file.apply(edit)
    assert line_changes(ORIGINAL, saved(plan_file)) == (
        ['handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }'],
        ['handles = { instagram = "@clayworkstudio", tiktok = "@claywork_tt" }'],
    )
    assert plan_file.plan.competitors[0].handles == (("instagram", "@clayworkstudio"), ("tiktok", "@claywork_tt"))
    undone_and_saved(plan_file, ORIGINAL)


def test_editing_a_competitor_adds_removes_and_empties_fields(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    values = {
        "name": "Stoneware Supply",
        "site": "https://stoneware-supply.example",
        "handles": {"instagram": "", "pinterest": "stonewaresupply", "youtube": "@stoneware"},
        "cadence": "",
        "strengths": "Beautiful styled photos; strong Pinterest boards that rank in search",
        "weaknesses": "Factory-made, feels impersonal; no video",
        "notes": "",
    }
    plan_file.apply(edit_competitor(plan_file.plan, 1, values))
    after = saved(plan_file)
    removed, added = line_changes(ORIGINAL, after)
    assert removed == [
        'name = "Stoneware Supply Co."',
        'handles = { instagram = "@stonewaresupply", pinterest = "stonewaresupply" }',
        'cadence = "2-3 posts a week, heavy on Pinterest"',
        'notes = """',
        "They run a 20% Easter sale every year, starting the Monday before Easter.",
        "We won't match it -- push free shipping and 'handmade' instead.",
        '"""',
    ]
    assert added == ['name = "Stoneware Supply"', 'handles = { pinterest = "stonewaresupply", youtube = "@stoneware" }']
    assert comments(after) == comments(ORIGINAL)
    assert edit_competitor(plan_file.plan, 1, values) is None
    undone_and_saved(plan_file, ORIGINAL)


def test_emptying_all_handles_removes_the_key(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    plan_file.apply(edit_competitor(plan_file.plan, 0, {"handles": {"instagram": "", "tiktok": ""}}))
    assert line_changes(ORIGINAL, saved(plan_file)) == (
        ['handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }'],
        [],
    )
    undone_and_saved(plan_file, ORIGINAL)


def test_deleting_a_competitor_keeps_the_comment_above_the_first(tmp_path: Path, line_changes) -> None:
    plan_file = opened(tmp_path)
    edit = delete_competitor(plan_file.plan, 1)
    assert isinstance(edit, DeleteEntry) and edit.label == "delete competitor “Stoneware Supply Co.”"
    plan_file.apply(edit)
    after = saved(plan_file)
    assert line_changes(ORIGINAL, after)[1] == []
    assert after.endswith(b'weaknesses = "Shop often sold out; slow replies to comments"\n')
    assert b"# Who else our customers follow.\n[[competitors]]" in after
    undone_and_saved(plan_file, ORIGINAL)


def test_handles_are_read_as_platform_equals_handle() -> None:
    assert parse_handles("youtube = @globex, threads=globex\nx=@g") == {
        "youtube": "@globex",
        "threads": "globex",
        "x": "@g",
    }
    assert parse_handles(" ") == {}
    for bad in ("youtube", "=globex", "you tube=globex", "youtube="):
        with pytest.raises(ValueError, match="is not platform=handle"):
            parse_handles(bad)


def test_every_edit_has_a_label(tmp_path: Path) -> None:
    plan = opened(tmp_path).plan
    edits = [
        choose_platform({"name": "x"}),
        edit_platform(plan, 0, {"handle": "@new"}),
        unchoose_platform(plan, 0),
        add_competitor({"name": "Globex"}),
        edit_competitor(plan, 0, {"site": ""}),
        delete_competitor(plan, 0),
    ]
    assert all(isinstance(edit, (AddEntry, Batch, DeleteEntry)) and edit.label for edit in edits)


_platform = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
_handle = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # line_changes is a pure function
@given(
    kept=st.fixed_dictionaries(
        {
            "instagram": st.one_of(st.none(), st.just("@clayworkstudio"), _handle),
            "tiktok": st.one_of(st.none(), st.just("@claywork"), _handle),
        }
    ),
    added=st.dictionaries(_platform.filter(lambda name: name not in ("instagram", "tiktok")), _handle, max_size=2),
)
def test_any_handles_edit_changes_at_most_the_handles_line(
    tmp_path_factory, line_changes, kept: dict, added: dict
) -> None:
    plan_file = opened(tmp_path_factory.mktemp("handles"))
    handles = {**{key: value for key, value in kept.items() if value is not None}, **added}
    edit = edit_competitor(plan_file.plan, 0, {"handles": {**{key: "" for key in kept}, **handles}})
    if handles == {"instagram": "@clayworkstudio", "tiktok": "@claywork"}:
        assert edit is None
        return
    plan_file.apply(edit)
    after = plan_file.render()
    removed, added_lines = line_changes(ORIGINAL, after)
    assert removed == ['handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }']
    assert len(added_lines) == (1 if handles else 0)
    assert tomllib.loads(after.decode()).get("competitors")[0].get("handles", {}) == handles
    for key in ("instagram", "tiktok"):
        if kept[key] == dict(instagram="@clayworkstudio", tiktok="@claywork")[key]:
            assert f'{key} = "{kept[key]}"' in added_lines[0]  # an unchanged handle keeps its spelling and place
    undone_and_saved(plan_file, ORIGINAL)
