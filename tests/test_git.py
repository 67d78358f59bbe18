"""Plans in real git repositories (issue 17): `planner git setup`, then merge, rebase and
cherry-pick of branches that edit different posts, git diff and git log -p in words."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.git.setup import COMMENT, config_values, planner_command
from planner.plan.document import Document
from planner.plan.edits import AddEntry

SHOP = (SAMPLES / "shop-launch.toml").read_text("utf-8")


def with_post(text: str, ident: str, title: str, day: int) -> str:
    """``text`` with a new post at the end of the calendar, as the app writes one."""
    document = Document(text)
    document.apply(
        AddEntry(
            ("smm", "posts"),
            {"id": ident, "platform": "instagram", "at": dt.datetime(2027, 4, day, 12, 0), "title": title},
        )
    )
    return document.dumps()


def set_up(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["git", "setup"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def branches(git_repo: Path, git) -> Path:
    """main and feature from one commit: each adds a post at the end of the calendar and edits another post's field."""
    plan = git_repo / "plans" / "shop.toml"
    plan.parent.mkdir()
    plan.write_text(SHOP, "utf-8")
    (git_repo / "pyproject.toml").write_text('[project]\nname = "site"\n', "utf-8")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "base")
    git(git_repo, "checkout", "-qb", "feature")
    text = with_post(SHOP, "ig-final-hours", "Final hours", 2).replace(
        'status = "draft"\ntitle = "Countdown', 'status = "review"\ntitle = "Countdown'
    )
    plan.write_text(text, "utf-8")
    git(git_repo, "commit", "-qam", "feature: last call, countdown in review")
    git(git_repo, "checkout", "-q", "main")
    text = with_post(SHOP, "ig-thank-you", "Thank you", 3).replace(
        'title = "Countdown sticker"\n', 'title = "Countdown: 4 days"\n'
    )
    plan.write_text(text, "utf-8")
    git(git_repo, "commit", "-qam", "main: thank-you post, countdown title")
    return git_repo


def merged_posts(repo: Path) -> dict:
    posts = tomllib.loads((repo / "plans" / "shop.toml").read_text("utf-8"))["smm"]["posts"]
    return {post["id"]: post for post in posts}


def assert_both_sides(repo: Path) -> None:
    posts = merged_posts(repo)
    assert {"ig-final-hours", "ig-thank-you"} <= set(posts)
    assert (posts["ig-countdown-story"]["status"], posts["ig-countdown-story"]["title"]) == (
        "review",
        "Countdown: 4 days",
    )


def test_without_the_driver_gits_line_merge_conflicts(branches: Path, git) -> None:
    done = git(branches, "merge", "feature", "-m", "merge", check=False)
    assert done.returncode != 0 and "CONFLICT" in done.stdout


def test_with_planner_git_setup_merge_succeeds(branches: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(branches, monkeypatch)
    git(branches, "add", ".gitattributes")
    git(branches, "commit", "-qm", "planner drivers")
    done = git(branches, "merge", "feature", "-m", "merge", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_both_sides(branches)
    assert CliRunner().invoke(main, ["check", "plans/shop.toml"]).exit_code == 0


def test_with_planner_git_setup_rebase_succeeds(branches: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(branches, monkeypatch)  # .gitattributes in the work tree, not committed: git reads it there
    git(branches, "checkout", "-q", "feature")
    done = git(branches, "rebase", "main", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_both_sides(branches)


def test_with_planner_git_setup_cherry_pick_succeeds(branches: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(branches, monkeypatch)
    done = git(branches, "cherry-pick", "feature", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_both_sides(branches)


def test_a_real_conflict_stops_the_merge_and_check_names_it(
    branches: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up(branches, monkeypatch)
    plan = branches / "plans" / "shop.toml"
    plan.write_text(plan.read_text("utf-8").replace('title = "Behind the wheel"', 'title = "On the wheel"'), "utf-8")
    git(branches, "commit", "-qam", "main: title")
    git(branches, "checkout", "-q", "feature")
    plan.write_text(plan.read_text("utf-8").replace('title = "Behind the wheel"', 'title = "At the wheel"'), "utf-8")
    git(branches, "commit", "-qam", "feature: title")
    git(branches, "checkout", "-q", "main")
    done = git(branches, "merge", "feature", "-m", "merge", check=False)
    assert done.returncode != 0
    assert (
        "conflict over title of post 'ig-behind-the-wheel': ours “On the wheel”, theirs “At the wheel”" in done.stderr
    )
    text = plan.read_text("utf-8")
    assert (
        text.count("<<<<<<< ours") == 1
        and '<<<<<<< ours\ntitle = "On the wheel"\n=======\ntitle = "At the wheel"\n>>>>>>> theirs\n' in text
    )
    check = CliRunner().invoke(main, ["check", "plans/shop.toml"])
    assert check.exit_code == 2 and 'unresolved merge conflict over title of post "ig-behind-the-wheel"' in check.output


def test_git_diff_and_git_log_show_changes_in_words(branches: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(branches, monkeypatch)
    diff = git(branches, "diff", "HEAD~1", "--", "plans/shop.toml").stdout
    assert diff.splitlines() == [
        "plans/shop.toml",
        "  SMM calendar",
        "    instagram story “Countdown: 4 days” (ig-countdown-story): title “Countdown sticker” → “Countdown: 4 days”",
        "    added instagram post “Thank you” (ig-thank-you), on 2027-04-03 12:00, idea",
    ]
    log = git(branches, "log", "-p", "-1", "--", "plans/shop.toml").stdout
    assert (
        "+instagram post “Thank you” (ig-thank-you): platform “instagram”, at 2027-04-03 12:00, title “Thank you”"
        in log
    )
    assert "-instagram story “Countdown sticker” (ig-countdown-story):" in log


def test_planner_git_setup_is_safe_to_run_twice(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    (git_repo / ".gitattributes").write_text("*.png binary", "utf-8")  # no newline at the end
    monkeypatch.chdir(git_repo)
    first = CliRunner().invoke(main, ["git", "setup"])
    assert first.exit_code == 0
    assert first.output.splitlines()[0] == ".gitattributes: added *.toml diff=planner merge=planner"
    attributes = (git_repo / ".gitattributes").read_bytes()
    assert attributes == f"*.png binary\n{COMMENT}\n*.toml diff=planner merge=planner\n".encode()
    config = git(git_repo, "config", "--local", "--list").stdout.splitlines()
    for key, value in config_values(planner_command()).items():
        assert f"{key}={value}" in config
    second = CliRunner().invoke(main, ["git", "setup"])
    assert (second.exit_code, second.output) == (
        0,
        "Already set up: .gitattributes and the git config name the planner drivers; nothing changed\n",
    )
    assert (git_repo / ".gitattributes").read_bytes() == attributes
    third = CliRunner().invoke(main, ["git", "setup", "plans/*.toml"])
    assert third.output.splitlines()[0] == ".gitattributes: added plans/*.toml diff=planner merge=planner"


def test_planner_git_setup_outside_a_repository_says_so(tmp_path: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["git", "setup"])
    assert result.exit_code == 2 and result.output.startswith("planner: git rev-parse: fatal: not a git repository")


def test_the_configured_command_runs_this_planner(tmp_path: Path) -> None:
    command = planner_command()
    done = subprocess.run(f"{command} --version", shell=True, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("planner, version")
    assert command.split()[0].strip("'") == sys.executable
