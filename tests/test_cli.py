"""The command line: `planner new`, `check`, `status`, `--version`, `--help`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from planner import __version__, locations
from planner.cli import main
from planner.plan.schema import SCHEMA_VERSION
from planner.plan.template import new_plan_text
from planner.report import display_path

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"

# A plan far in the future, so `status` always has posts to come.
FUTURE_PLAN = """\
schema = 1

[campaign]
name = "Launch 2099"
timezone = "Europe/Berlin"
start = 2099-03-02
end = 2099-05-31

[smo]
due = 2099-03-13

[[smo.items]]
id = "og-tags"
title = "Open Graph tags"
category = "help-content-travel"
done = true

[[smo.items]]
id = "meta-titles"
title = "Meta titles"
category = "on-page"

[[smo.items]]
id = "alt-text"
title = "Alt text"
category = "on-page"

[smm]
start = 2099-03-16

[[smm.platforms]]
name = "instagram"

[[smm.platforms]]
name = "linkedin"

[[smm.posts]]
id = "teaser"
platform = "instagram"
at = 2099-03-17T09:00:00
status = "approved"
title = "First look"

[[smm.posts]]
id = "teaser-2"
platform = "instagram"
at = 2099-03-17T09:30:00
status = "draft"
title = "Second look"

[[smm.posts]]
id = "article"
platform = "linkedin"
at = 2099-03-18T12:00:00
status = "draft"
title = "Why we made it"
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def clean_plan() -> str:
    return FUTURE_PLAN.replace("09:30:00", "10:30:00")


# -- version and help ---------------------------------------------------------


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert (
        result.output
        == f"planner, version {__version__}\nplan format: schema {SCHEMA_VERSION} (the version this planner reads and writes)\n"
    )


def test_python_dash_m_planner_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"planner, version {__version__}\nplan format: schema {SCHEMA_VERSION} (the version this planner reads and writes)\n"
    )


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        ([], ["new", "check", "status", "open", "--version", "PLANNER_HOME"]),
        (["new"], ["--name", "--timezone", "--start", "never overwritten"]),
        (["check"], ["--format", "text|json", "Exit 0", "highest code wins"]),
        (["status"], ["SMO", "warnings"]),
        (["open"], ["PLAN", "default plan"]),
    ],
)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(runner: CliRunner, args: list[str], mentions: list[str], flag: str) -> None:
    result = runner.invoke(main, [*args, flag])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: planner {' '.join(args)}".rstrip() + " ")
    for word in mentions:
        assert word in result.output


def test_a_wrong_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--format", "xml", "plan.toml"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert runner.invoke(main, ["check"]).exit_code == 2  # no plan given


# -- new ------------------------------------------------------------------------


def placeholder_note(path: Path, file: str) -> str:
    """What check says about a new plan: clean but for a note (exit 0) until its objective is written."""
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if text.startswith("objective = "))
    return f"{file}:{line}: campaign.objective: note: the objective is still the template's example; say what this campaign should achieve\n"


def test_new_creates_a_plan_that_passes_check(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["new", "spring.toml", "--name", "X", "--timezone", "Europe/Berlin", "--start", "2027-03-01"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Created spring.toml. Open it with: planner spring.toml\n"
    data = tomllib.loads(Path("spring.toml").read_text("utf-8"))
    assert data["campaign"]["name"] == "X"
    assert data["campaign"]["timezone"] == "Europe/Berlin"
    assert data["campaign"]["start"] == dt.date(2027, 3, 1)
    assert data["campaign"]["end"] == dt.date(2027, 5, 30)
    assert data["smo"]["due"] == dt.date(2027, 3, 12)
    assert data["smm"]["start"] == dt.date(2027, 3, 15)
    assert len(data["smo"]["items"]) > 10
    check = runner.invoke(main, ["check", "spring.toml"])
    assert (check.exit_code, check.output) == (0, placeholder_note(Path("spring.toml"), "spring.toml"))


def test_new_with_defaults_passes_check(runner: CliRunner) -> None:
    assert runner.invoke(main, ["new", "plan.toml"]).exit_code == 0
    data = tomllib.loads(Path("plan.toml").read_text("utf-8"))
    start = data["campaign"]["start"]
    assert start.weekday() == 0 and dt.date.today() < start <= dt.date.today() + dt.timedelta(days=7)
    assert runner.invoke(main, ["check", "plan.toml"]).exit_code == 0


def test_new_never_overwrites(runner: CliRunner) -> None:
    path = write("mine.toml", "# my precious plan\n")
    result = runner.invoke(main, ["new", "mine.toml", "--name", "X"])
    assert result.exit_code == 2
    assert result.output == "planner: mine.toml: already exists; choose another name\n"
    assert path.read_text("utf-8") == "# my precious plan\n"


def test_new_does_not_follow_a_dangling_link(runner: CliRunner) -> None:
    Path("link.toml").symlink_to("elsewhere.toml")
    assert runner.invoke(main, ["new", "link.toml"]).exit_code == 2
    assert not Path("elsewhere.toml").exists()


def test_new_needs_an_existing_folder(runner: CliRunner) -> None:
    result = runner.invoke(main, ["new", "missing/plan.toml"])
    assert result.exit_code == 2
    assert result.output == "planner: missing: no such folder\n"


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--timezone", "Europe/Berln", "not an IANA time zone"),
        ("--timezone", "../../etc/passwd", "not an IANA time zone"),
        ("--start", "2027-02-30", "not a date like 2026-03-02"),
        ("--start", "next monday", "not a date like 2026-03-02"),
        ("--start", "9999-12-01", "too late for a 90-day campaign"),
        ("--name", "  ", "the campaign needs a name"),
    ],
)
def test_new_rejects_bad_options(runner: CliRunner, option: str, value: str, says: str) -> None:
    result = runner.invoke(main, ["new", "plan.toml", option, value])
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output
    assert not Path("plan.toml").exists()


def test_a_name_with_quotes_and_escapes_is_stored_safely(runner: CliRunner) -> None:
    name = f'The "best" sale \\ {ESCAPES}'
    assert runner.invoke(main, ["new", "plan.toml", "--name", name, "--timezone", "UTC"]).exit_code == 0
    assert tomllib.loads(Path("plan.toml").read_text("utf-8"))["campaign"]["name"] == name
    status = runner.invoke(main, ["status", "plan.toml"])
    assert status.exit_code == 0
    assert "\x1b" not in status.output and "\x07" not in status.output


# -- check ------------------------------------------------------------------------


def test_check_exit_codes(runner: CliRunner) -> None:
    write("clean.toml", clean_plan())
    write("warns.toml", FUTURE_PLAN)  # two instagram posts 30 minutes apart
    write("errors.toml", FUTURE_PLAN.replace('status = "draft"', 'status = "drafft"'))
    write("broken.toml", "schema = 1\n[campaign\n")
    expected = {"clean.toml": 0, "warns.toml": 1, "errors.toml": 1, "broken.toml": 2, "missing.toml": 2}
    for name, code in expected.items():
        assert runner.invoke(main, ["check", name]).exit_code == code, name


@pytest.mark.parametrize(
    ("plans", "code"),
    [
        (["clean.toml", "warns.toml"], 1),
        (["warns.toml", "clean.toml"], 1),
        (["clean.toml", "broken.toml", "warns.toml"], 2),
        (["broken.toml", "clean.toml"], 2),
        (["clean.toml", "clean.toml"], 0),
    ],
)
def test_check_several_plans_the_highest_code_wins(runner: CliRunner, plans: list[str], code: int) -> None:
    write("clean.toml", clean_plan())
    write("warns.toml", FUTURE_PLAN)
    write("broken.toml", "schema = 1\n[campaign\n")
    result = runner.invoke(main, ["check", *plans])
    assert result.exit_code == code
    # every plan is reported, not just the first bad one
    if "warns.toml" in plans:
        assert "warns.toml:" in result.output
    if "broken.toml" in plans:
        assert "broken.toml:2:" in result.output


def test_check_prints_one_line_per_problem(runner: CliRunner) -> None:
    write("warns.toml", FUTURE_PLAN)
    result = runner.invoke(main, ["check", "warns.toml"])
    line = FUTURE_PLAN.splitlines().index("at = 2099-03-17T09:30:00") + 1
    assert result.output == (
        f"warns.toml:{line}: smm.posts[1].at: warning: post “Second look” is less than an hour after “First look” on instagram\n"
    )


def test_check_json(runner: CliRunner) -> None:
    write("warns.toml", FUTURE_PLAN.replace("[smm]", "[smm]\nmood = 1"))
    write("broken.toml", "schema = 1\n[campaign\n")
    result = runner.invoke(main, ["check", "--format", "json", "warns.toml", "broken.toml"])
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert report["exit_code"] == 2
    warns, broken = report["plans"]
    assert warns["file"] == "warns.toml" and warns["exit_code"] == 1
    assert [p["severity"] for p in warns["problems"]] == ["note", "warning"]
    for problem in warns["problems"]:
        assert {"file", "line", "severity", "path", "message"} <= problem.keys()
        assert problem["file"] == "warns.toml"
        assert isinstance(problem["line"], int) and problem["line"] > 0
    assert warns["problems"][0]["path"] == "smm.mood"
    assert warns["problems"][1]["path"] == "smm.posts[1].at"
    assert "less than an hour" in warns["problems"][1]["message"]
    assert broken["exit_code"] == 2 and broken["problems"] == []
    assert broken["error"].startswith("broken.toml:2:")


def test_check_json_for_a_clean_plan(runner: CliRunner) -> None:
    write("clean.toml", clean_plan())
    result = runner.invoke(main, ["check", "--format", "json", "clean.toml"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "exit_code": 0,
        "plans": [{"file": "clean.toml", "exit_code": 0, "problems": []}],
    }


# -- status ------------------------------------------------------------------------


def test_status_summarises_the_plan(runner: CliRunner) -> None:
    write("plan.toml", FUTURE_PLAN)
    result = runner.invoke(main, ["status", "plan.toml"])
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Launch 2099  (plan.toml)\nCampaign 2099-03-02 to 2099-05-31, Europe/Berlin\n")
    assert "SMO  1 of 3 done (33%), due 2099-03-13" in out
    assert "  on-page              0/2" in out
    assert "SMM  from 2099-03-16: 3 posts on 2 chosen platforms" in out
    assert "  by status:   draft 2, approved 1" in out
    assert "  by platform: instagram 2, linkedin 1" in out
    assert "Next posts\n  2099-03-17 09:00  instagram  post     approved   First look\n" in out
    assert "Warnings (1)\n  plan.toml:" in out and "less than an hour after “First look”" in out


def test_status_of_a_clean_plan_has_no_warnings_section(runner: CliRunner) -> None:
    write("plan.toml", clean_plan().replace("[smm]", "[smm]\nmood = 1"))
    result = runner.invoke(main, ["status", "plan.toml"])
    assert result.exit_code == 0
    assert "Warnings" not in result.output and "mood" not in result.output  # notes are not warnings


def test_status_of_an_unreadable_or_invalid_plan(runner: CliRunner) -> None:
    missing = runner.invoke(main, ["status", "missing.toml"])
    assert (missing.exit_code, missing.output) == (2, "planner: missing.toml: no such file\n")
    write("invalid.toml", FUTURE_PLAN.replace("schema = 1", "schema = 2"))
    invalid = runner.invoke(main, ["status", "invalid.toml"])
    assert invalid.exit_code == 1
    assert (
        invalid.stderr
        == "invalid.toml:1: schema: this plan uses schema 2; this planner reads schema 1 (upgrade planner)\n"
    )


# -- nothing from a plan reaches the terminal raw ---------------------------------------


def hostile_plan() -> str:
    esc = json.dumps(ESCAPES)  # a TOML basic string with \u001b escapes
    text = FUTURE_PLAN.replace('"First look"', esc)
    text = text.replace('name = "Launch 2099"', f"name = {json.dumps('Launch' + ESCAPES)}")
    text = text.replace('category = "on-page"', f"category = {json.dumps('on' + ESCAPES)}")
    text = text.replace("[smm]\n", f"[smm]\n{json.dumps(ESCAPES + 'key')} = 1\n")
    text = text.replace('status = "draft"', f"status = {json.dumps('draft' + ESCAPES)}", 1)
    return text


def _assert_harmless(output: str) -> None:
    for char in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert char not in output


def test_status_never_prints_escape_sequences(runner: CliRunner) -> None:
    write("plan.toml", hostile_plan().replace(f"status = {json.dumps('draft' + ESCAPES)}", 'status = "draft"'))
    result = runner.invoke(main, ["status", "plan.toml"])
    assert result.exit_code == 0
    _assert_harmless(result.output)
    assert "^[]0;pwned^G^[[2J" in result.output  # shown, visibly


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_never_prints_escape_sequences(runner: CliRunner, fmt: str) -> None:
    write("plan.toml", hostile_plan())
    write("bidi\u202e.toml", 'a = "\u202e\x9b"\n' + ESCAPES.replace("\x07", "") + "\n")
    write(f"name{ESCAPES}.toml", "schema = [\n")
    result = runner.invoke(main, ["check", "--format", fmt, "plan.toml", "bidi\u202e.toml", f"name{ESCAPES}.toml"])
    assert result.exit_code == 2
    _assert_harmless(result.output)
    if fmt == "json":
        report = json.loads(result.output)
        # a key path is for display: odd keys are quoted and escaped the JSON way
        assert json.dumps(f"{ESCAPES}key") in report["plans"][0]["problems"][0]["path"]
        assert report["plans"][2]["file"] == f"name{ESCAPES}.toml"


def test_status_of_an_invalid_plan_never_prints_escape_sequences(runner: CliRunner) -> None:
    write("plan.toml", hostile_plan())
    result = runner.invoke(main, ["status", "plan.toml"])
    assert result.exit_code == 1
    _assert_harmless(result.output)


# -- the default plan ---------------------------------------------------------------------


def test_the_default_plan_lives_below_planner_home(isolated_home: Path) -> None:
    assert locations.default_plan() == isolated_home / "data" / "default.toml"
    assert locations.settings_file() == isolated_home / "config" / "settings.toml"
    assert not isolated_home.exists()  # asking for a path creates nothing


def test_the_default_plan_follows_planner_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "elsewhere"))
    assert locations.default_plan() == tmp_path / "elsewhere" / "data" / "default.toml"
    monkeypatch.delenv("PLANNER_HOME")
    assert locations.default_plan().name == "default.toml"
    assert not str(locations.default_plan()).startswith(str(tmp_path))


def test_the_default_plan_text_passes_check(runner: CliRunner) -> None:
    write("default.toml", new_plan_text("My campaign", "UTC", dt.date(2027, 1, 4)))
    result = runner.invoke(main, ["check", "default.toml"])
    assert (result.exit_code, result.output) == (0, placeholder_note(Path("default.toml"), "default.toml"))


def test_open_without_a_plan_creates_the_default_plan_once(
    runner: CliRunner, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr("planner.app.run_app", lambda path: opened.append(path) or 0)
    for args in ([], ["open"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    default = isolated_home / "data" / "default.toml"
    assert opened == [default, default]
    check = runner.invoke(main, ["check", str(default)])
    assert (check.exit_code, check.output) == (0, placeholder_note(default, display_path(default)))
    default.write_text("# edited\n", encoding="utf-8")
    assert runner.invoke(main, []).exit_code == 0
    assert default.read_text("utf-8") == "# edited\n"  # never recreated over the user's plan


def test_a_plan_as_the_first_word_opens_it(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("spring.toml", "autumn.toml"):
        (tmp_path / name).write_text(new_plan_text("Spring", "UTC", dt.date(2026, 3, 2)), encoding="utf-8")
    opened: list[Path] = []
    monkeypatch.setattr("planner.app.run_app", lambda path: opened.append(path) or 0)
    assert runner.invoke(main, ["spring.toml"]).exit_code == 0
    assert runner.invoke(main, ["open", "autumn.toml"]).exit_code == 0
    assert opened == [Path("spring.toml"), Path("autumn.toml")]
