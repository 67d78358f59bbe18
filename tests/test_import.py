"""`planner import`: posts from CSV, validated first, applied as one edit, comments kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from planner.cli import main
from planner.plan.edits import Batch, DeleteEntry
from planner.plan.plan_file import PlanFile, load
from test_export import FORMULAS, hostile_plan

HEADER = "id,date,time,platform,format,status,title,text,link,tags,notes\r\n"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def without_posts(source: Path, target: Path) -> Path:
    """A copy of ``source`` with every post deleted (through the editing core)."""
    plan_file = PlanFile.open(source)
    count = len(plan_file.plan.posts)
    plan_file.apply(Batch(tuple(DeleteEntry(("smm", "posts"), 0) for _ in range(count))))
    plan_file.save_as(target)
    return target


def by_id(path: Path) -> dict:
    plan = load(path).plan
    assert plan is not None
    return {post.id: post for post in plan.posts}


def test_export_then_import_into_an_emptied_plan_gives_the_same_posts(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    assert runner.invoke(main, ["export", "shop.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]).exit_code == 0
    empty = without_posts(Path("shop.toml"), Path("empty.toml"))
    assert by_id(empty) == {}
    result = runner.invoke(main, ["import", "empty.toml", "posts.csv"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added 17 posts: ig-teaser-glaze, ")
    assert by_id(empty) == by_id(Path("shop.toml"))
    assert "# Kiln & Co. -- launch of the" in empty.read_text("utf-8")  # comments survive
    assert "# --- Week 1: teasers" in empty.read_text("utf-8")
    again = runner.invoke(main, ["import", "empty.toml", "posts.csv"])
    assert again.output == "Added 0 posts; updated 0; 17 unchanged; nothing to write\n"


def test_a_round_trip_keeps_formula_looking_and_multi_line_text(runner: CliRunner) -> None:
    texts = [*FORMULAS, "two\nlines, \"quoted\"", "ünïcödé 🌊"]
    Path("plan.toml").write_text(hostile_plan([f"title {i}" for i in range(len(texts))], texts), encoding="utf-8")
    before = by_id(Path("plan.toml"))
    assert runner.invoke(main, ["export", "plan.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]).exit_code == 0
    empty = without_posts(Path("plan.toml"), Path("empty.toml"))
    result = runner.invoke(main, ["import", str(empty), "posts.csv"])
    assert result.exit_code == 0, result.output
    after = by_id(empty)
    # Tags are comma-joined in CSV; these tags hold commas, so compare the rest exactly.
    for ident, post in before.items():
        assert (after[ident].text, after[ident].notes, after[ident].title, after[ident].at) == (post.text, post.notes, post.title, post.at)


def test_every_bad_row_is_listed_and_nothing_is_written(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    before = Path("shop.toml").read_bytes()
    Path("bad.csv").write_text(
        HEADER
        + "ok-one,2027-03-20,10:00,instagram,post,draft,Fine,text,,,\r\n"
        + "Bad Id,2027-3-20,9:00,instagrm,post,drafty,T,\"multi\r\nline\",,,\r\n"
        + ",2027-02-30,24:00,tiktok,video,idea,T,x,,,\r\n"
        + "ok-one,2027-03-21,10:00,instagram,post,draft,Twice,text,,,\r\n"
        + "short,row\r\n",
        encoding="utf-8",
        newline="",
    )
    result = runner.invoke(main, ["import", "shop.toml", "bad.csv"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "bad.csv:3: id 'Bad Id' is not a slug (letters, digits, '-', '_', '.', starting with a letter or digit)",
        "bad.csv:3: date '2027-3-20' is not a date like 2026-03-17 (YYYY-MM-DD)",
        "bad.csv:3: time '9:00' is not a 24-hour time like 09:00 (HH:MM)",
        "bad.csv:3: unknown platform 'instagrm' (did you mean instagram?)",
        "bad.csv:3: unknown status 'drafty' (did you mean draft?)",
        "bad.csv:5: date '2027-02-30' is not a date like 2026-03-17 (YYYY-MM-DD)",
        "bad.csv:5: time '24:00' is not a 24-hour time like 09:00 (HH:MM)",
        "bad.csv:6: id 'ok-one' is also on line 2",
        "bad.csv:7: the row has 2 cells, the header has 11",
    ]
    assert Path("shop.toml").read_bytes() == before


def test_missing_and_unknown_columns(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    Path("cols.csv").write_text("date,time,platfrom,title\n2027-03-20,10:00,x,y\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "shop.toml", "cols.csv"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "cols.csv:1: unknown column 'platfrom' (did you mean platform?)",
        "cols.csv:1: missing columns platform, text",
    ]


def test_dry_run_writes_nothing(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    before = Path("shop.toml").read_bytes()
    Path("new.csv").write_text(
        "date,time,platform,title,text\n2027-03-20,10:00,instagram,Spring sale!,Hello\n2027-03-22,11:00,tiktok,Spring sale!,Again\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "shop.toml", "new.csv", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output == "Would add 2 posts: spring-sale, spring-sale-2; would update 0\n"
    assert Path("shop.toml").read_bytes() == before
    assert sorted(p.name for p in Path(".").iterdir()) == ["new.csv", "shop.toml"]


def test_a_row_with_a_known_id_updates_only_the_fields_that_changed(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    before = Path("shop.toml").read_text("utf-8")
    Path("edit.csv").write_text(
        "id,date,time,platform,title,text,status\n"
        "tt-launch-live,2027-03-25,20:00,tiktok,Open studio LIVE,Live from the studio: ask us anything about the Tide collection.,approved\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "shop.toml", "edit.csv"])
    assert result.exit_code == 0, result.output
    assert result.output == "Added 0 posts; updated 1: tt-launch-live in shop.toml\n"
    after = Path("shop.toml").read_text("utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [('status = "review"', 'status = "approved"'), ('title = "Open studio live"', 'title = "Open studio LIVE"')]
    assert "at = 2027-03-25T20:00:00          # after the shop closes" in after


def test_import_errors_for_unreadable_input(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    missing = runner.invoke(main, ["import", "shop.toml", "nope.csv"])
    assert missing.exit_code == 2 and missing.output.startswith("planner: nope.csv: cannot read")
    Path("latin1.csv").write_bytes("date,time,platform,title,text\n2027-03-20,10:00,instagram,Caf\xe9,x\n".encode("latin-1"))
    latin = runner.invoke(main, ["import", "shop.toml", "latin1.csv"])
    assert latin.exit_code == 2 and "not UTF-8" in latin.output
    nope = runner.invoke(main, ["import", "nope.toml", "latin1.csv"])
    assert nope.exit_code == 2 and nope.output.count("\n") == 1
    for result in (missing, latin, nope):
        assert "Traceback" not in result.output


def test_a_byte_order_mark_and_empty_rows_are_fine(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    Path("bom.csv").write_bytes("\ufeffDate,Time,Platform,Title,Text\r\n2027-03-20,10:00,instagram,Hi,'=not a formula\r\n,,,,\r\n".encode())
    result = runner.invoke(main, ["import", "shop.toml", "bom.csv"])
    assert result.exit_code == 0, result.output
    assert by_id(Path("shop.toml"))["hi"].text == "=not a formula"


def test_import_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["import", "--help"])
    assert result.exit_code == 0
    for word in ("--dry-run", "FILE:LINE", "YYYY-MM-DD"):
        assert word in result.output
