"""The semantic diff (issue 17): changes by entry and field, in words a marketer reads,
from two files, git revisions, or git itself (external diff and textconv); `check --since`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.plan.diff import diff_plans, in_words
from planner.plan.plan_file import load_bytes

SHOP = (SAMPLES / "shop-launch.toml").read_text("utf-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def changed(old: str, new: str) -> list[str]:
    loaded = load_bytes(Path("plan.toml"), new.encode())
    return diff_plans(tomllib.loads(old), loaded.data, loaded.plan).lines("plan.toml")


def test_a_moved_post_and_its_status_in_words() -> None:
    new = SHOP.replace("at = 2027-03-21T10:00:00", "at = 2027-03-22T18:30:00").replace(
        'status = "draft"\ntitle = "Countdown', 'status = "approved"\ntitle = "Countdown'
    )
    assert changed(SHOP, new) == [
        "plan.toml",
        "  SMM calendar",
        "    instagram story “Countdown sticker” (ig-countdown-story): moved 2027-03-21 10:00 → 2027-03-22 18:30; status draft → approved",
    ]


def test_a_text_is_counted_against_its_platforms_limit() -> None:
    long = "Tide " * 462  # 2,310 characters: over Instagram's 2,200
    new = SHOP.replace('text = "4 days to go -- tap the countdown to get a reminder."', f'text = "{long}"')
    (line,) = [line for line in changed(SHOP, new) if "countdown" in line.lower()]
    assert line.startswith("    instagram story “Countdown sticker” (ig-countdown-story): text “4 days to go")
    assert line.endswith("(now 2,310 of 2,200 characters)")


def test_added_removed_and_renamed_entries_grouped_by_phase() -> None:
    new = SHOP.replace('id = "tt-glaze-test"', 'id = "tt-glaze-tiles"')  # a rename and nothing else
    new = new.replace(
        'id = "meta-titles"\ntitle = "Meta titles on the collection and product pages"\ncategory = "on-page"\ndone = true',
        'id = "meta-titles"\ntitle = "Meta titles on the collection and product pages"\ncategory = "on-page"\ndone = false',
    )
    start = new.index('[[smm.posts]]\nid = "pin-easter-table"')
    end = new.index("[[smm.posts]]", start + 5)
    new = new[:start] + new[end:]  # the Pinterest post goes
    new += '\n[[smm.posts]]\nid = "x-launch"\nplatform = "instagram"\nat = 2027-03-26T09:00:00\ntitle = "Launch day"\n'
    new = new.replace("end = 2027-04-04 ", "end = 2027-04-11 ")
    assert changed(SHOP, new) == [
        "plan.toml",
        "  Campaign",
        "    campaign end 2027-04-04 → 2027-04-11",
        "  SMO checklist",
        "    item “Meta titles on the collection and product pages” (meta-titles): unticked",
        "  SMM calendar",
        "    tiktok video “Glaze test: 14 tries to get the Tide blue” (tt-glaze-tiles): renamed from tt-glaze-test",
        "    removed pinterest pin “Easter table in sea blue” (pin-easter-table), was on 2027-03-19 20:00",
        "    added instagram post “Launch day” (x-launch), on 2027-03-26 09:00, idea",
    ]


def test_layout_comments_and_defaults_written_out_are_no_change() -> None:
    new = SHOP.replace("# Owner: Lena", "# Owner: Lena and Jonas").replace(
        'id = "ig-countdown-story"\n', 'id = "ig-countdown-story"\nlink = ""\ntags = []\n'
    )
    assert changed(SHOP, new) == ["plan.toml: no change to the plan (only its layout or comments)"]


def test_an_invalid_plan_is_still_compared() -> None:
    new = SHOP.replace('status = "draft"\ntitle = "Countdown', 'status = "someday"\ntitle = "Countdown')
    assert (
        changed(SHOP, new)[-1] == "    instagram story “Countdown sticker” (ig-countdown-story): status draft → someday"
    )


def test_the_json_names_each_field_with_its_old_and_new_value(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "old.toml").write_text(SHOP, "utf-8")
    (tmp_path / "new.toml").write_text(SHOP.replace("at = 2027-03-21T10:00:00", "at = 2027-03-22T10:00:00"), "utf-8")
    result = runner.invoke(main, ["diff", str(tmp_path / "old.toml"), str(tmp_path / "new.toml"), "--format", "json"])
    assert result.exit_code == 0
    (change,) = json.loads(result.output)["files"][0]["changes"]
    assert {k: change[k] for k in ("phase", "kind", "what", "id")} == {
        "phase": "smm",
        "kind": "changed",
        "what": "post",
        "id": "ig-countdown-story",
    }
    assert change["fields"] == [
        {
            "key": "at",
            "old": "2027-03-21T10:00:00",
            "new": "2027-03-22T10:00:00",
            "words": "moved 2027-03-21 10:00 → 2027-03-22 10:00",
        }
    ]


def test_text_from_a_plan_cannot_drive_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "old.toml").write_text(SHOP, "utf-8")
    (tmp_path / "new.toml").write_text(
        SHOP.replace('title = "Countdown sticker"', 'title = "Countdown\\u001b]0;pwned\\u0007"'), "utf-8"
    )
    result = runner.invoke(main, ["diff", str(tmp_path / "old.toml"), str(tmp_path / "new.toml")])
    assert "\x1b" not in result.output and "^[]0;pwned^G" in result.output


def test_the_textconv_is_the_plan_in_words_one_line_per_entry(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(SHOP, "utf-8")
    result = runner.invoke(main, ["diff", "--textconv", str(tmp_path / "plan.toml")])
    lines = result.output.splitlines()
    assert lines == in_words(tomllib.loads(SHOP))
    assert "campaign end 2027-04-04" in lines
    post = next(line for line in lines if "(ig-countdown-story)" in line)
    assert post.startswith(
        "instagram story “Countdown sticker” (ig-countdown-story): platform “instagram”, at 2027-03-21 10:00,"
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    assert (
        runner.invoke(main, ["diff", "--textconv", str(tmp_path / "pyproject.toml")]).output
        == '[project]\nname = "x"\n'
    )


def test_as_gits_external_diff_driver(runner: CliRunner, tmp_path: Path) -> None:
    old, new = tmp_path / "a", tmp_path / "b"
    old.write_text(SHOP, "utf-8")
    new.write_text(
        SHOP.replace('status = "draft"\ntitle = "Countdown', 'status = "review"\ntitle = "Countdown'), "utf-8"
    )
    result = runner.invoke(
        main, ["diff", "--external", "plans/shop.toml", str(old), "1" * 40, "100644", str(new), "2" * 40, "100644"]
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "plans/shop.toml" and "status draft → review" in result.output
    added = runner.invoke(
        main, ["diff", "--external", "plans/shop.toml", "/dev/null", "0" * 40, "100644", str(new), "2" * 40, "100644"]
    )
    assert added.output == "plans/shop.toml: new plan “Tide collection launch”: 12 checklist items, 17 posts\n"


def test_a_file_that_is_not_a_plan_is_a_line_diff(runner: CliRunner, tmp_path: Path) -> None:
    old, new = tmp_path / "a", tmp_path / "b"
    old.write_text('[project]\nname = "x"\n', "utf-8")
    new.write_text('[project]\nname = "y"\n', "utf-8")
    result = runner.invoke(
        main, ["diff", "--external", "pyproject.toml", str(old), "1" * 40, "100644", str(new), "2" * 40, "100644"]
    )
    assert result.output.splitlines() == [
        "--- a/pyproject.toml",
        "+++ b/pyproject.toml",
        "@@ -1,2 +1,2 @@",
        " [project]",
        '-name = "x"',
        '+name = "y"',
    ]


# -- git revisions ---------------------------------------------------------------------------


@pytest.fixture
def committed(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository with the sample plan (and a pyproject.toml) committed; the current folder."""
    (git_repo / "plans").mkdir()
    (git_repo / "plans" / "shop.toml").write_text(SHOP, "utf-8")
    (git_repo / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "plan")
    monkeypatch.chdir(git_repo)
    return git_repo


def test_planner_diff_in_a_repository(runner: CliRunner, committed: Path, git) -> None:
    plan = committed / "plans" / "shop.toml"
    plan.write_text(SHOP.replace("at = 2027-03-21T10:00:00", "at = 2027-03-22T10:00:00"), "utf-8")
    (committed / "pyproject.toml").write_text('[project]\nname = "y"\n', "utf-8")  # not a plan: left out
    work = runner.invoke(main, ["diff"])
    assert work.exit_code == 0, work.output
    assert work.output.splitlines() == [
        "plans/shop.toml",
        "  SMM calendar",
        "    instagram story “Countdown sticker” (ig-countdown-story): moved 2027-03-21 10:00 → 2027-03-22 10:00",
    ]
    git(committed, "commit", "-qam", "move")
    assert runner.invoke(main, ["diff"]).output == ""
    assert runner.invoke(main, ["diff", "HEAD~1"]).output == work.output
    assert runner.invoke(main, ["diff", "HEAD~1", "HEAD", "--", "plans/shop.toml"]).output == work.output
    assert runner.invoke(main, ["diff", "HEAD~1", "plans/shop.toml"]).output == work.output  # a file needs no --
    named = runner.invoke(main, ["diff", "HEAD~1", "HEAD", "--", "pyproject.toml"])
    assert '-name = "x"' in named.output
    wrong = runner.invoke(main, ["diff", "no-such-branch"])
    assert (wrong.exit_code, wrong.output) == (2, "planner: 'no-such-branch' names no commit here\n")


def test_check_since_reports_only_what_a_change_introduced(runner: CliRunner, committed: Path, git) -> None:
    plan = committed / "plans" / "shop.toml"
    broken = SHOP.replace(
        'title = "Countdown sticker"', 'title = "Countdown sticker with a title far longer than anyone would read"'
    )
    plan.write_text(
        broken.replace("at = 2027-03-16T19:00:00", "at = 2099-03-16T19:00:00"), "utf-8"
    )  # outside the campaign
    git(committed, "commit", "-qam", "one problem already")
    # The change adds a post above the others and a second problem.
    text = plan.read_text("utf-8")
    first = text.index("[[smm.posts]]")
    added = (
        '[[smm.posts]]\nid = "new-first"\nplatform = "instagram"\nat = 2027-03-15T09:00:00\ntitle = "Early bird"\n\n'
    )
    plan.write_text(
        text[:first] + added + text[first:].replace("at = 2027-03-19T20:00:00", "at = 2099-03-19T20:00:00"), "utf-8"
    )
    everything = runner.invoke(main, ["check", "plans/shop.toml"])
    since = runner.invoke(main, ["check", "plans/shop.toml", "--since", "HEAD"])
    assert since.exit_code == 1
    assert everything.output.count("outside the campaign") == 2
    assert (
        since.output.count("outside the campaign") == 1
        and "Easter table" in since.output
        and "2099-03-16" not in since.output
    )
    staged = runner.invoke(main, ["check", "--staged", "--since", "HEAD"])
    assert staged.output == ""  # nothing staged
    git(committed, "add", ".")
    assert runner.invoke(main, ["check", "--staged", "--since", "HEAD"]).output == since.output
