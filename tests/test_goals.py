"""Goals (``[[smm.goals]]``) and results (``[[smm.posts.results]]``): reading, checks, progress, status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.plan.edits import SetField
from planner.plan.model import POSTS
from planner.plan.plan_file import PlanFile, load
from planner.plan.schema import read_plan
from planner.rules.goals import goal_lines, progress

SHOP = (SAMPLES / "shop-launch.toml").read_text("utf-8")

RESULTS_IG = """tags = ["teaser"]

[[smm.posts.results]]
as_of = 2027-03-17
impressions = 4200
reach = 3100
engagements = 310
clicks = 40

[[smm.posts.results]]
as_of = 2027-03-23
impressions = 8400
reach = 6000
likes = 400
comments = 60
saves = 40
clicks = 90

[[smm.posts]]
id = "tt-glaze-test"
"""

RESULTS_TT = """tags = ["teaser", "process"]

[[smm.posts.results]]
as_of = 2027-03-20
impressions = 4000
engagements = 200
"""

GOALS = """
[[smm.goals]]
id = "reach-launch"
metric = "impressions"
target = 50000

[[smm.goals]]
id = "ig-rate"
metric = "engagement_rate"
target = 4.5
platform = "instagram"

[[smm.goals]]
id = "traffic"
metric = "sessions_from_social"
target = 1200
period = "month"
"""


def goals_plan(goals: str = GOALS) -> str:
    """shop-launch with two posts published, three result snapshots and the goals at the end."""
    text = SHOP.replace('status = "approved"', 'status = "published"', 2)
    text = text.replace('tags = ["teaser"]\n\n[[smm.posts]]\nid = "tt-glaze-test"\n', RESULTS_IG, 1)
    text = text.replace('tags = ["teaser", "process"]\n', RESULTS_TT, 1)
    assert text.count("[[smm.posts.results]]") == 3
    return text + goals


def read(text: str):
    import tomllib

    return read_plan(tomllib.loads(text))


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    return [f"{p.severity} {p.line}: {p.message} {p.hint}".strip() for p in loaded.problems if p.severity != "note"]


# -- reading ------------------------------------------------------------------------------


def test_goals_and_results_are_read() -> None:
    plan, problems = read(goals_plan())
    assert plan is not None, problems
    assert [p for p in problems if p.severity != "note"] == []
    assert [(g.id, g.metric, g.target, g.period, g.platform) for g in plan.goals] == [
        ("reach-launch", "impressions", 50000, "campaign", ""),
        ("ig-rate", "engagement_rate", 4.5, "campaign", "instagram"),
        ("traffic", "sessions_from_social", 1200, "month", ""),
    ]
    ig = plan.results["ig-teaser-glaze"]
    assert [r.as_of for r in ig] == [dt.date(2027, 3, 17), dt.date(2027, 3, 23)]
    assert ig[1].likes == 400 and ig[1].engagements is None
    assert plan.results["tt-glaze-test"][0].impressions == 4000
    assert [post.id for post in plan.posts][:2] == ["ig-teaser-glaze", "tt-glaze-test"]


def test_an_unknown_metric_gets_a_did_you_mean_with_its_line(tmp_path: Path) -> None:
    text = goals_plan(GOALS.replace('metric = "impressions"', 'metric = "impresions"'))
    line = text.splitlines().index('metric = "impresions"') + 1
    [message] = problems_of(tmp_path, text)
    assert message == f"error {line}: unknown metric 'impresions' did you mean impressions?"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("target = 50000", 'target = "50000"', "expected a number, found a string"),
        ("target = 50000", "target = -5", "must be 0 or more, found -5"),
        ('period = "month"', 'period = "monthly"', "unknown period 'monthly' did you mean month?"),
        ('platform = "instagram"', 'platform = "linkedin"', "the goal's platform 'linkedin' is not a chosen platform"),
        ('id = "ig-rate"', 'id = "reach-launch"', "id 'reach-launch' is used twice"),
        ("target = 4.5", "target = 450", "an engagement rate of 450% is more than 100%"),
    ],
)
def test_goal_mistakes_are_one_line_each(tmp_path: Path, old: str, new: str, expected: str) -> None:
    messages = problems_of(tmp_path, goals_plan(GOALS.replace(old, new, 1)))
    assert any(expected in message for message in messages), messages


def test_a_negative_result_is_an_error(tmp_path: Path) -> None:
    text = goals_plan().replace("reach = 6000", "reach = -1")
    line = text.splitlines().index("reach = -1") + 1
    assert problems_of(tmp_path, text) == [f"error {line}: must be 0 or more, found -1"]


# -- checks ------------------------------------------------------------------------------


def test_a_result_before_its_post_is_a_warning(tmp_path: Path) -> None:
    text = goals_plan().replace("as_of = 2027-03-17", "as_of = 2027-03-10")
    line = text.splitlines().index("as_of = 2027-03-10") + 1
    assert problems_of(tmp_path, text) == [
        f"warning {line}: a result dated 2027-03-10, before the post goes out (2027-03-16) check the date"
    ]


def test_a_result_for_a_post_not_published_is_a_warning(tmp_path: Path) -> None:
    text = goals_plan().replace('status = "published"', 'status = "scheduled"', 1)
    messages = problems_of(tmp_path, text)
    assert len(messages) == 2  # both snapshots of the Instagram teaser
    assert all("a result for a post that is scheduled, not published" in message for message in messages)


# -- progress ---------------------------------------------------------------------------


def test_progress_sums_the_latest_snapshot_of_each_post() -> None:
    plan, _ = read(goals_plan())
    assert plan is not None
    today = dt.date(2027, 3, 25)
    values = [item.value for item in progress(plan, today)]
    assert values[0] == 8400 + 4000  # the latest Instagram snapshot, not both
    assert values[1] == pytest.approx(100 * 500 / 8400)  # likes + comments + saves over impressions, Instagram only
    assert values[2] is None  # sessions have no source yet
    assert goal_lines(plan, today) == [
        "impressions 12,400 of 50,000 (25%)",
        "engagement rate (instagram) 6.0% of 4.5% (132%)",
        "sessions from social (this month): no results yet, target 1,200",
    ]


def test_a_week_goal_counts_only_the_posts_of_this_week() -> None:
    plan, _ = read(goals_plan(GOALS.replace("target = 50000", 'target = 50000\nperiod = "week"')))
    assert plan is not None
    assert progress(plan, dt.date(2027, 3, 16))[0].value == 12400  # Tue 16 and Wed 17 March: the same week
    assert progress(plan, dt.date(2027, 3, 22))[0].value is None


def test_goals_and_results_round_trip_and_an_edit_changes_one_line(tmp_path: Path) -> None:
    original = goals_plan().encode("utf-8")
    path = tmp_path / "plan.toml"
    path.write_bytes(original)
    plan_file = PlanFile.open(path)
    assert plan_file.render() == original
    plan_file.prepare()
    assert plan_file.render() == original
    plan_file.apply(SetField((*POSTS, 0, "results", 1), "impressions", 9000))
    after = plan_file.render()
    assert after == original.replace(b"impressions = 8400", b"impressions = 9000")


# -- planner status ---------------------------------------------------------------------


def test_status_prints_the_goals(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(goals_plan(), encoding="utf-8")
    result = CliRunner().invoke(main, ["status", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("Goals")
    assert lines[start + 1 : start + 4] == [
        "  impressions 12,400 of 50,000 (25%)",
        "  engagement rate (instagram) 6.0% of 4.5% (132%)",
        "  sessions from social (this month): no results yet, target 1,200",
    ]


def test_status_without_goals_has_no_goals_section(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["status", str(SAMPLES / "shop-launch.toml")])
    assert "Goals" not in result.output.splitlines()


# -- the JSON Schema: jsonschema and taplo --------------------------------------------------


def test_the_schema_accepts_goals_and_results_and_taplo_rejects_a_bad_metric(tmp_path: Path) -> None:
    import jsonschema
    from test_json_schema import lint, schema_errors

    from planner.plan.json_schema import FILE_NAME, plan_schema, plan_schema_text

    validator = jsonschema.Draft202012Validator(
        plan_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert schema_errors(validator, goals_plan()) == []
    bad = goals_plan(
        GOALS.replace('metric = "impressions"', 'metric = "impresions"').replace("target = 4.5", 'target = "4.5"')
    ).replace("reach = 6000", "reach = -1")
    assert len(schema_errors(validator, bad)) == 3
    (tmp_path / FILE_NAME).write_text(plan_schema_text(), encoding="utf-8")
    (tmp_path / "good.toml").write_text(goals_plan(), encoding="utf-8")
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    assert lint(tmp_path, "--schema", (tmp_path / FILE_NAME).as_uri(), "good.toml").returncode == 0
    result = lint(tmp_path, "--schema", (tmp_path / FILE_NAME).as_uri(), "bad.toml")
    assert result.returncode == 1
    assert '"impresions" is not one of' in result.stderr
    assert '"4.5" is not of type "number"' in result.stderr
    assert "-1 is less than the minimum of 0" in result.stderr


def test_the_json_export_carries_goals_and_results_and_matches_its_schema(tmp_path: Path) -> None:
    import json

    import jsonschema
    from test_export import EXPORT_SCHEMA

    path = tmp_path / "plan.toml"
    path.write_text(goals_plan(), encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout_bytes)
    jsonschema.Draft202012Validator(json.loads(EXPORT_SCHEMA.read_text("utf-8"))).validate(data)
    assert [goal["id"] for goal in data["smm"]["goals"]] == ["reach-launch", "ig-rate", "traffic"]
    assert data["smm"]["posts"][0]["results"][1] == {
        "as_of": "2027-03-23",
        "impressions": 8400,
        "reach": 6000,
        "likes": 400,
        "comments": 60,
        "saves": 40,
        "clicks": 90,
    }


# -- the overview ---------------------------------------------------------------------------


async def test_the_overview_shows_each_goal_as_status_prints_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_app import running

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.toml"
    path.write_text(goals_plan(), encoding="utf-8")
    async with running(path) as (app, pilot):
        goals = str(app.query_one("#goals").content)
        assert goals.splitlines() == [
            "Goals",
            "  impressions 12,400 of 50,000 (25%)",
            "  engagement rate (instagram) 6.0% of 4.5% (132%)",
            "  sessions from social (this month): no results yet, target 1,200",
        ]
        assert app.query_one("#goals").display
        await pilot.press("ctrl+q")


async def test_the_overview_has_no_goals_lines_without_goals(plan: Path) -> None:
    from test_app import running

    async with running(plan) as (app, pilot):
        assert not app.query_one("#goals").display
        await pilot.press("ctrl+q")


def test_editing_a_post_with_results_keeps_its_results_and_a_rename_follows(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(goals_plan(), encoding="utf-8")
    plan_file = PlanFile.open(path)
    plan_file.apply(SetField((*POSTS, 0), "title", "New title"))
    assert plan_file.plan is not None and len(plan_file.plan.results["ig-teaser-glaze"]) == 2
    plan_file.apply(SetField((*POSTS, 0), "id", "ig-teaser"))
    assert plan_file.plan is not None and set(plan_file.plan.results) == {"ig-teaser", "tt-glaze-test"}
