"""The command line as people type it (issue 20): typos, new files, long outputs,
shell completion, examples in --help, and --version. Through the real console script."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, planner_command

from planner import __version__
from planner.cli import main
from planner.plan.schema import SCHEMA_VERSION


def planner(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """Run the console script as a user would, with no terminal attached."""
    return subprocess.run(
        [*planner_command(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        input=stdin if stdin is not None else "",
    )


# -- a typo of a command -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"), [("stauts", "status"), ("chek", "check"), ("exprot", "export"), ("Status", "status")]
)
def test_a_typo_of_a_command_says_which_was_meant_and_opens_nothing(tmp_path: Path, typed: str, meant: str) -> None:
    done = planner(typed, "launch.toml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"planner: no such command '{typed}'; did you mean '{meant}'?\n"
    assert done.stdout == ""
    assert not (tmp_path / "launch.toml").exists()


def test_a_word_that_is_a_file_opens_it_even_when_it_is_close_to_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SAMPLES / "shop-launch.toml", tmp_path / "stauts")
    opened: list[Path] = []
    monkeypatch.setattr("planner.app.run_app", lambda path: opened.append(path) or 0)
    assert CliRunner().invoke(main, ["stauts"]).exit_code == 0
    assert opened == [Path("stauts")]


def test_a_plan_name_that_does_not_exist_is_not_taken_for_a_typo(tmp_path: Path) -> None:
    for word in ("stauts.toml", "plans/stauts"):
        done = planner(word, cwd=tmp_path)
        assert done.returncode == 2
        assert "did you mean" not in done.stderr and "no such" in done.stderr, done.stderr


# -- a plan that does not exist yet --------------------------------------------------


def test_a_missing_plan_without_a_terminal_is_a_one_line_error(tmp_path: Path) -> None:
    done = planner("launch.toml", cwd=tmp_path, stdin="y\n\n\n\n")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "planner: launch.toml: no such file\n")
    assert not (tmp_path / "launch.toml").exists()


def test_answering_no_to_create_a_missing_plan_writes_nothing(tmp_path: Path, terminal) -> None:
    term = terminal("launch.toml")
    term.wait_for("launch.toml does not exist. Create it from the template? [Y/n]")
    term.type("n")
    term.keys("Enter")
    term.wait_for("Nothing written.")
    term.wait_for("[exit 0]")
    assert list(tmp_path.iterdir()) == []  # no plan, and nothing else either


def test_answering_yes_creates_the_plan_from_the_template_and_opens_it(tmp_path: Path, terminal) -> None:
    plan = tmp_path / "launch.toml"
    term = terminal("launch.toml")
    term.wait_for("Create it from the template? [Y/n]")
    term.type("y")
    term.keys("Enter")
    term.wait_for("Campaign name [New campaign]:")  # the defaults of `planner new`
    term.type("Spring launch")
    term.keys("Enter")
    term.wait_for("Time zone [")
    term.type("Mars/Base")
    term.keys("Enter")
    term.wait_for("'Mars/Base' is not an IANA time zone")  # checked as `planner new --timezone` is, and asked again
    term.type("Europe/Berlin")
    term.keys("Enter")
    term.wait_for("Start date [")
    assert not plan.exists()  # nothing written before every question is answered
    term.type("2027-03-01")
    term.keys("Enter")
    term.wait_for("Spring launch — launch.toml")  # the app, on the new plan
    term.keys("C-q")
    term.wait_for("[exit 0]")

    data = tomllib.loads(plan.read_text("utf-8"))
    assert data["campaign"]["name"] == "Spring launch"
    assert data["campaign"]["timezone"] == "Europe/Berlin"
    assert data["campaign"]["start"] == dt.date(2027, 3, 1)
    done = planner("check", "launch.toml", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [  # only the note that the objective is still the template's
        "launch.toml:13: campaign.objective: note: the objective is still the template's example; say what this campaign should achieve"
    ]


# -- long outputs ----------------------------------------------------------------------


def _csv_of_new_posts(rows: int) -> str:
    lines = ["date,time,platform,status,title,text"]
    for i in range(rows):
        day = dt.date(2027, 3, 22) + dt.timedelta(days=i % 14)
        platform = "instagram" if i % 2 else "tiktok"
        status = "idea" if i % 4 == 0 else "draft"
        lines.append(f"{day},{8 + i % 12:02d}:{(i * 7) % 60:02d},{platform},{status},Row {i},Text of row {i}")
    return "\n".join(lines) + "\n"


def test_a_dry_run_of_a_thousand_new_posts_is_summarised(tmp_path: Path) -> None:
    plan = tmp_path / "shop.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", plan)
    original = plan.read_bytes()
    (tmp_path / "posts.csv").write_text(_csv_of_new_posts(1000), encoding="utf-8")

    done = planner("import", "shop.toml", "posts.csv", "--dry-run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == [
        "Would add 1000 posts: “Row 0”, “Row 1”, “Row 2”, “Row 3”, “Row 4” and 995 more; would update 0",
        "  added by platform: instagram 500, tiktok 500",
        "  added by status: idea 250, draft 750",
        "planner import --verbose lists every post",
    ]

    verbose = planner("import", "shop.toml", "posts.csv", "--dry-run", "--verbose", cwd=tmp_path)
    assert verbose.returncode == 0
    assert verbose.stdout.count(", “Row ") == 999 and "“Row 999”" in verbose.stdout
    assert plan.read_bytes() == original  # a dry run writes nothing


def _plan_with_posts_outside_the_campaign(count: int, extra: str = "") -> str:
    text = (SAMPLES / "shop-launch.toml").read_text("utf-8")
    start = dt.datetime(2030, 1, 1, 9, 0)
    posts = [
        f'\n[[smm.posts]]\nid = "late-{i}"\nat = {(start + dt.timedelta(hours=2 * i)).isoformat()}\nplatform = "instagram"\ntitle = "Late {i}"\n{extra}'
        for i in range(count)
    ]
    return text + "".join(posts)


def test_check_folds_thousands_of_repeated_warnings(tmp_path: Path) -> None:
    (tmp_path / "late.toml").write_text(_plan_with_posts_outside_the_campaign(2000), encoding="utf-8")

    done = planner("check", "late.toml", cwd=tmp_path)
    assert done.returncode == 1
    outside = [line for line in done.stdout.splitlines() if "outside the campaign" in line]
    assert len(outside) == 3  # the first three of the kind, then one line for the rest
    assert re.search(r"^late\.toml: … 1997 more warnings like line \d+ \(outside-campaign\)$", done.stdout, re.M), (
        done.stdout
    )
    assert done.stdout.splitlines()[-1].startswith(
        "1997 repeated problems folded; planner check --verbose lists every one"
    )
    assert len(done.stdout.splitlines()) < 20

    verbose = planner("check", "late.toml", "--verbose", cwd=tmp_path)
    assert verbose.returncode == 1
    assert sum("outside the campaign" in line for line in verbose.stdout.splitlines()) == 2000
    assert "folded" not in verbose.stdout

    as_json = planner("check", "late.toml", "--format", "json", cwd=tmp_path)
    assert as_json.returncode == 1
    problems = json.loads(as_json.stdout)["plans"][0]["problems"]
    assert sum(p["code"] == "outside-campaign" for p in problems) == 2000  # JSON always has every problem


def test_status_folds_repeated_warnings_too(tmp_path: Path) -> None:
    (tmp_path / "late.toml").write_text(_plan_with_posts_outside_the_campaign(500), encoding="utf-8")

    done = planner("status", "late.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Warnings (" in done.stdout
    assert sum("outside the campaign" in line for line in done.stdout.splitlines()) == 3
    assert "497 more warnings like line" in done.stdout
    assert "planner status --verbose lists every one" in done.stdout

    verbose = planner("status", "late.toml", "--verbose", cwd=tmp_path)
    assert sum("outside the campaign" in line for line in verbose.stdout.splitlines()) == 500


# -- shell completion --------------------------------------------------------------------


def _complete(cwd: Path, words: str, cword: int) -> list[str]:
    done = planner(cwd=cwd, env={"_PLANNER_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    assert done.returncode == 0, done.stderr
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()]


def test_shell_completion_offers_commands_format_values_and_plan_files(tmp_path: Path) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", tmp_path / "launch.toml")
    (tmp_path / "notes.txt").write_text("not a plan\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "autumn.toml").write_text("schema = 1\n", encoding="utf-8")

    first = _complete(tmp_path, "planner ", 1)
    assert {"open", "new", "check", "status", "export", "import", "audit"} <= set(first)
    assert "launch.toml" in first and "notes.txt" not in first  # `planner PLAN` opens a plan
    assert _complete(tmp_path, "planner st", 1) == ["status"]
    assert _complete(tmp_path, "planner check --format ", 3) == ["text", "json"]
    assert set(_complete(tmp_path, "planner export launch.toml --format ", 4)) == {"md", "csv", "ics", "json"}
    assert "--format" in _complete(tmp_path, "planner check --", 2)
    assert _complete(tmp_path, "planner check ", 2) == ["launch.toml", "plans/"]
    assert _complete(tmp_path, "planner status plans/", 2) == ["plans/autumn.toml"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_completion_script_completes_in_bash(tmp_path: Path) -> None:
    """The README's line for bash, then a TAB after `planner check --format `, as bash itself would."""
    script = planner_command()
    if Path(script[0]).name != "planner":
        pytest.skip("the planner console script is not installed")
    shell = (
        'eval "$(_PLANNER_COMPLETE=bash_source planner)"\n'
        'COMP_WORDS=(planner check --format ""); COMP_CWORD=3; _planner_completion planner\n'
        'echo "${COMPREPLY[@]}"\n'
    )
    path = f"{Path(script[0]).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "--norc", "-c", shell],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": path},
    )
    assert done.stdout.split() == ["text", "json"], done.stderr


@pytest.mark.parametrize(
    ("shell", "mark"),
    [
        ("bash_source", "complete -o nosort -F"),
        ("zsh_source", "#compdef planner"),
        ("fish_source", "complete --no-files --command planner"),
    ],
)
def test_each_shell_gets_its_completion_script(tmp_path: Path, shell: str, mark: str) -> None:
    done = planner(cwd=tmp_path, env={"_PLANNER_COMPLETE": shell})
    assert done.returncode == 0 and mark in done.stdout and "_PLANNER_COMPLETE" in done.stdout


def test_the_readme_names_the_completion_line_for_each_shell() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for line in (
        'eval "$(_PLANNER_COMPLETE=bash_source planner)"',
        'eval "$(_PLANNER_COMPLETE=zsh_source planner)"',
        "_PLANNER_COMPLETE=fish_source planner | source",
    ):
        assert line in readme


# -- examples in --help ---------------------------------------------------------------------


def _examples(help_text: str) -> list[str]:
    lines = help_text.rstrip("\n").splitlines()
    assert "Examples:" in [line.strip() for line in lines], help_text
    start = max(i for i, line in enumerate(lines) if line.strip() == "Examples:")
    return [line.strip() for line in lines[start + 1 :]]


@pytest.mark.parametrize("command", [[], *[[name] for name in sorted(main.commands)]])
def test_help_ends_with_real_examples(tmp_path: Path, command: list[str]) -> None:
    done = planner(*command, "--help", cwd=tmp_path)
    assert done.returncode == 0
    examples = _examples(done.stdout)
    assert 2 <= len(examples) <= 3, examples
    for example in examples:
        words = shlex.split(example)
        words = words[: words.index(">")] if ">" in words else words
        assert words[0] == "planner"
        # Each example is a command line the parser accepts (options, choices, dates).
        args = words[1:] if words[1:2] and words[1] in main.commands else ["open", *words[1:]]
        assert command == [] or args[0] == command[0], example
        with main.make_context("planner", []) as ctx:
            main.commands[args[0]].make_context(args[0], args[1:], parent=ctx).close()


# -- --version ---------------------------------------------------------------------------------


def test_version_names_the_plan_format_it_reads_and_writes(tmp_path: Path) -> None:
    done = planner("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert (
        done.stdout
        == f"planner, version {__version__}\nplan format: schema {SCHEMA_VERSION} (the version this planner reads and writes)\n"
    )


def test_the_documented_format_version_is_the_one_planner_reads() -> None:
    docs = (ROOT / "docs" / "plan-format.md").read_text("utf-8")
    assert f"Always `{SCHEMA_VERSION}` for this format" in docs


def test_an_invalid_plan_with_hundreds_of_errors_is_folded_where_it_stops_a_command(tmp_path: Path) -> None:
    text = _plan_with_posts_outside_the_campaign(300, extra='status = "someday"\n')
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")

    for command in (
        ["export", "bad.toml", "--format", "md"],
        ["import", "bad.toml", "posts.csv"],
        ["audit", "bad.toml", "site"],
    ):
        done = planner(*command, cwd=tmp_path)
        assert done.returncode in (1, 2) and done.stdout == "", command
        lines = done.stderr.splitlines()
        assert len(lines) < 10, done.stderr
        assert re.search(r"^bad\.toml: … 297 more errors like line \d+", done.stderr, re.M), done.stderr
        assert lines[-1] == "297 repeated problems folded; planner check --verbose lists every one"
    verbose = planner("check", "bad.toml", "--verbose", cwd=tmp_path)
    assert verbose.stdout.count("someday") == 300


@pytest.mark.parametrize("command", [[], ["open"], ["new"]])
def test_a_name_too_long_for_the_system_is_one_line(tmp_path: Path, command: list[str]) -> None:
    done = planner(*command, "a" * 300 + ".toml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("planner: aaaa") and done.stderr.endswith(": File name too long\n")
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
