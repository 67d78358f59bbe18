"""The plan format as a JSON Schema: `planner schema`, the `#:schema` directive, and taplo.

The schema is made from the same field definitions the validator reads
(`planner.plan.fields`); these tests hold the two together: every sample
plan validates, and the mistakes `planner check` reports are rejected by
the schema too, by the `jsonschema` library and by taplo (the TOML
toolkit behind Even Better TOML) on the real files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.plan import fields as F
from planner.plan import schema as validator
from planner.plan.json_schema import FILE_NAME, plan_schema, plan_schema_text
from planner.plan.plan_file import load

SHOP = (SAMPLES / "shop-launch.toml").read_text("utf-8")

# Each mistake: (old, new) in shop-launch.toml, and what taplo says about it.
MISTAKES = {
    "status aproved": ('status = "approved"', 'status = "aproved"', '"aproved" is not one of'),
    "cadence as a string": ("cadence = 2", 'cadence = "2"', '"2" is not of type "integer"'),
    "misspelt time zone": ('timezone = "Europe/Berlin"', 'timezone = "Europe/Berln"', '"Europe/Berln" is not one of'),
    "a handle Instagram would not accept": (
        'handle = "@kilnandco"',
        'handle = "Kiln and Co"',
        '"Kiln and Co" does not match',
    ),
    "a best time that is no slot": (
        'best_times = ["',
        'best_times = ["tuesday 9am", "',
        '"tuesday 9am" does not match',
    ),
    "an id that is no slug": ('id = "meta-titles"', 'id = "meta titles"', '"meta titles" does not match'),
    "done in quotes": ("done = true", 'done = "yes"', '"yes" is not of type "boolean"'),
    "a post time with an offset": (
        "at = 2027-03-16T",
        "at = 2027-03-16T09:00:00+01:00\nold_at = 2027-03-16T",
        "does not match",
    ),
    "a post time without a time": ("at = 2027-03-16T", "at = 2027-03-16\nold_at = 2027-03-16T", "does not match"),
    "an unknown audit rule": ('audit = "og"', 'audit = "opengraph"', '"opengraph" is not one of'),
    "a newer schema": ("schema = 1", "schema = 2", "2 is greater than the maximum of 1"),
    "a text limit of 0": (
        'name = "instagram"',
        'name = "instagram"\ntext_limit = 0',
        "0 is less than the minimum of 1",
    ),
    "an empty campaign name": ('name = "Tide collection launch"', 'name = " "', 'does not match "\\\\S"'),
    "a date that is no date": ("end = 2027-", 'end = "2027-13-45"\nold_end = 2027-', '"2027-13-45" is not a "date"'),
}


def broken(name: str) -> str:
    old, new, _ = MISTAKES[name]
    assert old in SHOP, old
    return SHOP.replace(old, new, 1)


def as_json(value: object) -> object:
    """Plan data as taplo hands it to a schema: dates and times become their ISO text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def schema_errors(validator: jsonschema.Draft202012Validator, text: str) -> list[str]:
    return [error.message for error in validator.iter_errors(as_json(tomllib.loads(text)))]


def test_planner_schema_prints_a_draft_2020_12_schema_the_same_every_time(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.output == plan_schema_text() == plan_schema_text()
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    post = schema["$defs"]["post"]["properties"]
    assert post["status"]["enum"] == ["idea", "draft", "review", "approved", "scheduled", "published"]
    assert post["status"]["default"] == "idea" and post["status"]["description"]
    assert (
        "x" in post["platform"]["anyOf"][0]["enum"]
        and "Europe/Berlin" in schema["$defs"]["campaign"]["properties"]["timezone"]["enum"]
    )
    written = CliRunner().invoke(main, ["schema", "-o", str(tmp_path / "s.json")])
    assert written.exit_code == 0 and (tmp_path / "s.json").read_text("utf-8") == plan_schema_text()


def test_the_schema_describes_every_field_the_validator_reads() -> None:
    schema = plan_schema()
    tables = {"plan": schema, **schema["$defs"]}
    assert set(tables) == set(F.TABLES)
    for name, table in F.TABLES.items():
        properties = tables[name]["properties"]
        assert tuple(properties) == table.keys, name
        assert all("description" in properties[key] for key in table.keys if table[key].description), name
        assert tables[name].get("required", []) == [field.key for field in table.fields if field.required], name
    # the validator's key lists are the same table
    assert (
        F.POST.keys == validator.POST_KEYS
        and F.CAMPAIGN.keys == validator.CAMPAIGN_KEYS
        and F.PLAN.keys == validator.TOP_KEYS
    )


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.toml")))
def test_every_sample_plan_validates_against_the_schema(schema_validator, name: str) -> None:
    assert schema_errors(schema_validator, (SAMPLES / name).read_text("utf-8")) == []


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistake_planner_check_reports_is_rejected_by_the_schema_too(
    schema_validator, tmp_path: Path, mistake: str
) -> None:
    text = broken(mistake)
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    assert [p for p in load(plan).problems if p.severity in ("error", "warning")], mistake
    assert schema_errors(schema_validator, text), mistake


# -- taplo, the TOML toolkit behind Even Better TOML -------------------------------------------


def taplo() -> str:
    found = shutil.which("taplo", path=str(Path(sys.executable).parent)) or shutil.which("taplo")
    assert found, "taplo is not installed: pip install -e '.[test]' installs it"
    return found


def lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``taplo lint`` without colours or a config file; its output is captured, never shown."""
    return subprocess.run(
        [taplo(), "lint", "--no-auto-config", "--colors", "never", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_taplo_passes_the_sample_plans_with_the_schema(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text(plan_schema_text(), encoding="utf-8")
    result = lint(
        tmp_path, "--schema", (tmp_path / FILE_NAME).as_uri(), *(str(p) for p in sorted(SAMPLES.glob("*.toml")))
    )
    assert result.returncode == 0, result.stderr


def test_taplo_fails_a_plan_with_mistakes_naming_each(tmp_path: Path) -> None:
    text = SHOP
    for name in (
        "status aproved",
        "cadence as a string",
        "misspelt time zone",
        "a handle Instagram would not accept",
        "an id that is no slug",
    ):
        old, new, _ = MISTAKES[name]
        text = text.replace(old, new, 1)
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    (tmp_path / FILE_NAME).write_text(plan_schema_text(), encoding="utf-8")
    result = lint(tmp_path, "--schema", (tmp_path / FILE_NAME).as_uri(), "plan.toml")
    assert result.returncode == 1
    for name in (
        "status aproved",
        "cadence as a string",
        "misspelt time zone",
        "a handle Instagram would not accept",
        "an id that is no slug",
    ):
        assert MISTAKES[name][2] in result.stderr, name
    lines = {
        line.split("│", 1)[1].strip()
        for line in result.stderr.splitlines()
        if "│" in line and line.split("│", 1)[0].strip().isdigit()
    }
    assert {
        'status = "aproved"',
        'cadence = "2"',
        'timezone = "Europe/Berln"',
        'handle = "Kiln and Co"',
        'id = "meta titles"',
    } <= lines


def test_planner_new_points_the_plan_at_a_schema_taplo_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "spring.toml", "--timezone", "Europe/Berlin"]).exit_code == 0
    assert (tmp_path / "spring.toml").read_text("utf-8").startswith(f"#:schema ./{FILE_NAME}\n")
    assert (tmp_path / FILE_NAME).read_text("utf-8") == plan_schema_text()
    assert CliRunner().invoke(main, ["check", "spring.toml"]).exit_code == 0
    assert lint(tmp_path, "spring.toml").returncode == 0  # found through the directive alone

    plan = tmp_path / "spring.toml"
    plan.write_text(
        plan.read_text("utf-8").replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berln"'), encoding="utf-8"
    )
    result = lint(tmp_path, "spring.toml")
    assert result.returncode == 1 and '"Europe/Berln" is not one of' in result.stderr


def test_planner_new_keeps_a_schema_file_already_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / FILE_NAME).write_text("{}\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["new", "autumn.toml"]).exit_code == 0
    assert (tmp_path / FILE_NAME).read_text("utf-8") == "{}\n"
