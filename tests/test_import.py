"""`planner import`: posts from CSV, validated first, applied as one edit, comments kept."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from test_export import FORMULAS, hostile_plan

from planner.cli import main
from planner.export.csv_import import read_changes
from planner.plan.append import appended
from planner.plan.document import Document
from planner.plan.edits import AddEntry, Batch, DeleteEntry
from planner.plan.model import POSTS
from planner.plan.plan_file import PlanFile, load
from planner.textsafe import one_line

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
    assert (
        runner.invoke(main, ["export", "shop.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]).exit_code
        == 0
    )
    empty = without_posts(Path("shop.toml"), Path("empty.toml"))
    assert by_id(empty) == {}
    result = runner.invoke(main, ["import", "empty.toml", "posts.csv"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added 17 posts: “Teaser: first kiln opening”, ")  # named by title
    assert by_id(empty) == by_id(Path("shop.toml"))
    assert "# Kiln & Co. -- launch of the" in empty.read_text("utf-8")  # comments survive
    assert "# --- Week 1: teasers" in empty.read_text("utf-8")
    again = runner.invoke(main, ["import", "empty.toml", "posts.csv"])
    assert again.output == "Added 0 posts; updated 0; 17 unchanged; nothing to write\n"


def test_a_round_trip_keeps_formula_looking_and_multi_line_text(runner: CliRunner) -> None:
    texts = [*FORMULAS, 'two\nlines, "quoted"', "ünïcödé 🌊"]
    Path("plan.toml").write_text(hostile_plan([f"title {i}" for i in range(len(texts))], texts), encoding="utf-8")
    before = by_id(Path("plan.toml"))
    assert (
        runner.invoke(main, ["export", "plan.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]).exit_code
        == 0
    )
    empty = without_posts(Path("plan.toml"), Path("empty.toml"))
    result = runner.invoke(main, ["import", str(empty), "posts.csv"])
    assert result.exit_code == 0, result.output
    after = by_id(empty)
    # Tags are comma-joined in CSV; these tags hold commas, so compare the rest exactly.
    for ident, post in before.items():
        assert (after[ident].text, after[ident].notes, after[ident].title, after[ident].at) == (
            post.text,
            post.notes,
            post.title,
            post.at,
        )


def test_every_bad_row_is_listed_and_nothing_is_written(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    before = Path("shop.toml").read_bytes()
    Path("bad.csv").write_text(
        HEADER
        + "ok-one,2027-03-20,10:00,instagram,post,draft,Fine,text,,,\r\n"
        + 'Bad Id,3/4/2027,9:60,instagrm,post,drafty,T,"multi\r\nline",,,\r\n'
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
        "bad.csv:3: date '3/4/2027' is ambiguous (3 April or 4 March?); write a date like 2026-03-17 (YYYY-MM-DD)",
        "bad.csv:3: time '9:60' is not a time like 09:00 (HH:MM, 24-hour; 9:30 and 7:00 PM are read too)",
        "bad.csv:3: unknown platform 'instagrm' (did you mean instagram?)",
        "bad.csv:3: unknown status 'drafty' (did you mean draft?)",
        "bad.csv:5: date '2027-02-30' is not a date like 2026-03-17 (YYYY-MM-DD)",
        "bad.csv:5: time '24:00' is not a time like 09:00 (HH:MM, 24-hour; 9:30 and 7:00 PM are read too)",
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
    assert result.output == "Would add 2 posts: “Spring sale!”, “Spring sale!”; would update 0\n"
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
    assert result.output.splitlines() == [
        "Added 0 posts; updated 1: “Open studio LIVE” in shop.toml",
        '  “Open studio LIVE”: status: "review" → "approved"',
        '  “Open studio LIVE”: title: "Open studio live" → "Open studio LIVE"',
    ]
    after = Path("shop.toml").read_text("utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [
        ('status = "review"', 'status = "approved"'),
        ('title = "Open studio live"', 'title = "Open studio LIVE"'),
    ]
    assert "at = 2027-03-25T20:00:00          # after the shop closes" in after


def test_import_errors_for_unreadable_input(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    missing = runner.invoke(main, ["import", "shop.toml", "nope.csv"])
    assert missing.exit_code == 2 and missing.output.startswith("planner: nope.csv: cannot read")
    Path("latin1.csv").write_bytes(
        "date,time,platform,title,text\n2027-03-20,10:00,instagram,Caf\xe9,x\n".encode("latin-1")
    )
    latin = runner.invoke(main, ["import", "shop.toml", "latin1.csv"])
    assert latin.exit_code == 2 and "not UTF-8" in latin.output
    nope = runner.invoke(main, ["import", "nope.toml", "latin1.csv"])
    assert nope.exit_code == 2 and nope.output.count("\n") == 1
    for result in (missing, latin, nope):
        assert "Traceback" not in result.output


def test_a_byte_order_mark_and_empty_rows_are_fine(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    Path("bom.csv").write_bytes(
        "\ufeffDate,Time,Platform,Title,Text\r\n2027-03-20,10:00,instagram,Hi,'=not a formula\r\n,,,,\r\n".encode()
    )
    result = runner.invoke(main, ["import", "shop.toml", "bom.csv"])
    assert result.exit_code == 0, result.output
    assert by_id(Path("shop.toml"))["hi"].text == "=not a formula"


def test_import_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["import", "--help"])
    assert result.exit_code == 0
    for word in ("--dry-run", "FILE:LINE", "YYYY-MM-DD"):
        assert word in result.output


# -- size limits: import never writes a plan that planner would refuse (issue 12, item 8) ------------------

LIMIT_HEADER = "date,time,platform,title,text\n"


def reader_message(tmp_path: Path, text: str) -> str:
    """What `planner check` says about a plan with a post text of ``len(text)`` characters."""
    plan = tmp_path / "over.toml"
    original = (SAMPLES / "shop-launch.toml").read_text("utf-8")
    line = 'text = "Live from the studio: ask us anything about the Tide collection."'
    assert line in original
    plan.write_text(original.replace(line, f'text = "{text}"'), "utf-8")  # a hand edit
    result = CliRunner().invoke(main, ["check", str(plan)])
    assert result.exit_code == 2
    return result.output.strip().split(": ", 2)[-1]


def test_a_cell_over_the_text_limit_is_refused_with_the_readers_words(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    before = Path("shop.toml").read_bytes()
    long = "y" * 120_000
    Path("long.csv").write_text(LIMIT_HEADER + f"2027-03-20,10:00,instagram,Long one,{long}\n", "utf-8")
    for args in (["--dry-run"], []):
        result = runner.invoke(main, ["import", "shop.toml", "long.csv", *args])
        assert result.exit_code == 1
        assert (
            result.output == "long.csv:2: text: text of 120,000 characters; planner reads at most 100,000 in one text\n"
        )
    assert Path("shop.toml").read_bytes() == before
    assert reader_message(tmp_path, long) == "text of 120,000 characters; planner reads at most 100,000 in one text"


def test_a_cell_over_the_csv_modules_own_cap_is_one_line(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    Path("huge.csv").write_text(LIMIT_HEADER + f"2027-03-20,10:00,instagram,Huge,{'z' * 200_000}\n", "utf-8")
    result = runner.invoke(main, ["import", "shop.toml", "huge.csv"])
    assert result.exit_code == 1
    assert (
        result.output
        == "huge.csv:2: a cell of more than 131,072 characters; planner reads at most 100,000 in one text\n"
    )


def test_more_posts_than_a_plan_holds_are_refused_before_anything_is_written(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    before = Path("shop.toml").read_bytes()
    rows = "".join(f"2027-03-{1 + i % 28:02d},10:00,instagram,Post {i},Text\n" for i in range(60_001))
    Path("many.csv").write_text(LIMIT_HEADER + rows, "utf-8")
    for args in (["--dry-run"], []):
        result = runner.invoke(main, ["import", "shop.toml", "many.csv", *args])
        assert result.exit_code == 1, result.output
        assert (
            result.output
            == "planner: many.csv: not imported: smm.posts: 50,001 entries; a plan holds at most 50,000 in one array\n"
        )
    assert Path("shop.toml").read_bytes() == before
    assert sorted(p.name for p in Path(".").iterdir() if p.suffix) == [
        "many.csv",
        "shop.toml",
    ]  # no temporary file either


def test_a_csv_larger_than_a_plan_can_be_is_one_line_and_not_read(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    with open("big.csv", "wb") as handle:
        handle.write(LIMIT_HEADER.encode())
        handle.truncate(40 * 1024 * 1024)  # sparse: 40 MB that take no room
    result = runner.invoke(main, ["import", "shop.toml", "big.csv"])
    assert result.exit_code == 2
    assert (
        result.output
        == "planner: big.csv: is larger than 32 MB; a plan holds at most 32 MB, so it cannot be imported\n"
    )


# -- import is linear: the work per row does not grow with the rows before it (issue 12, item 12) -----------


def test_rows_with_the_same_title_get_numbered_ids_in_order(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    rows = "".join(f"2027-03-{1 + i % 28:02d},10:00,instagram,Same title,Text {i}\n" for i in range(300))
    Path("same.csv").write_text(LIMIT_HEADER + rows, "utf-8")
    result = runner.invoke(main, ["import", "shop.toml", "same.csv"])
    assert result.exit_code == 0, result.output
    ids = [ident for ident in by_id(Path("shop.toml")) if ident.startswith("same-title")]
    assert ids == ["same-title", *(f"same-title-{n}" for n in range(2, 301))]


APPEND_CASES = {
    "plain": {"title": "Hello", "text": "World"},
    "every kind of text": {
        "title": 'Quotes " and \\ backslash',
        "text": 'two\nlines with """ and a \r return',
        "link": "https://x.example/?a=1",
        "tags": ["launch", "ünï"],
        "notes": "tab\there \x7f and 🌊",
        "format": "reel",
        "status": "draft",
    },
    "a time with seconds": {"title": "T", "text": "x", "at": dt.datetime(2027, 3, 21, 9, 30, 15)},
    "plain lines": {"title": "Two lines", "text": "first line\nsecond line, ünï 🌊\n", "tags": []},
    "a leading newline": {"title": "", "text": "\nstarts with a newline"},
}


@pytest.mark.parametrize("name", ["shop-launch.toml", "webinar-series.toml", "nonprofit-fundraiser.toml"])
@pytest.mark.parametrize("style", ["as is", "crlf", "no final newline"])
def test_appending_as_text_gives_the_bytes_of_the_tree(name: str, style: str) -> None:
    """The import's fast path (entries added as text) writes exactly what the tomlkit tree writes."""
    text = (SAMPLES / name).read_text("utf-8")
    if style == "crlf":
        text = text.replace("\n", "\r\n")
    elif style == "no final newline":
        text = text.rstrip("\n")
    platform = tomllib.loads(text)["smm"]["platforms"][0]["name"]
    edits = [
        AddEntry(POSTS, {"id": f"new-{i}", "platform": platform, "at": dt.datetime(2027, 3, 20, 10), **values})
        for i, values in enumerate(APPEND_CASES.values())
    ]
    fast = appended(text, [Batch(tuple(edits))])
    document = Document(text)
    journal = document.apply(Batch(tuple(edits)))
    assert fast == document.dumps()
    journal.revert()
    assert document.dumps() == text  # one journal for the whole batch still undoes it exactly


def test_an_import_of_new_posts_saves_them_without_building_the_tree(tmp_path: Path) -> None:
    plan = tmp_path / "shop.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", plan)
    plan_file = PlanFile.open(plan)
    data = (LIMIT_HEADER + "".join(f"2027-03-20,1{i}:00,instagram,Post {i},Text {i}\n" for i in range(5))).encode()
    changes = read_changes(plan_file.plan, data, "posts.csv")
    plan_file.apply(changes.batch("posts.csv"))
    plan_file.save()
    assert plan_file._document is None  # the fast path: no tomlkit tree of the whole plan
    assert [post.id for post in load(plan).plan.posts][-5:] == [f"post-{i}" for i in range(5)]
    plan_file.undo()  # the tree, built now from the file as read, undoes the saved import exactly
    plan_file.save()
    assert plan.read_bytes() == (SAMPLES / "shop-launch.toml").read_bytes()


# -- the spreadsheet round trip (issue 15) -------------------------------------------------------------------

LIVE = (
    "tt-launch-live,2027-03-25,20:00,tiktok,{title},Live from the studio: ask us anything about the Tide collection.\n"
)
LIVE_HEADER = "id,date,time,platform,title,text\n"


def test_a_value_a_spreadsheet_changed_by_mistake_makes_a_problem_row_and_nothing_is_written(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    Path("good.csv").write_text(LIVE_HEADER + LIVE.format(title="Café 🌊 007"), "utf-8")
    assert runner.invoke(main, ["import", "shop.toml", "good.csv"]).exit_code == 0
    before = Path("shop.toml").read_bytes()
    for misread, message in [
        (
            "CafÃ© ðŸŒŠ 007",
            'title: "CafÃ© ðŸŒŠ 007" looks like "Café 🌊 007" read with the wrong character set; '
            "open the CSV as UTF-8 (or save it as CSV UTF-8), or change it in the plan",
        ),
        (
            "CafÃ© \xf0\x9f\x8c\x8a 007",
            'title: "CafÃ© \xf0\x9f\x8c\x8a 007" looks like "Café 🌊 007" read with the wrong character set; '
            "open the CSV as UTF-8 (or save it as CSV UTF-8), or change it in the plan",
        ),
        (
            "Café 🌊 7",
            'title: "Café 🌊 7" is "Café 🌊 007" without its leading zeros (a spreadsheet read it as a number); '
            "format the column as text in the spreadsheet, or change it in the plan",
        ),
    ]:
        Path("bad.csv").write_text(LIVE_HEADER + LIVE.format(title=misread), "utf-8")
        for args in (["--dry-run"], []):
            result = runner.invoke(main, ["import", "shop.toml", "bad.csv", *args])
            assert result.exit_code == 1
            assert one_line(result.output) == one_line(f"bad.csv:2: {message}\n")
        assert Path("shop.toml").read_bytes() == before


def test_every_changed_field_is_listed_and_long_lists_fold(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    assert (
        runner.invoke(main, ["export", "shop.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]).exit_code
        == 0
    )
    with open("posts.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        row[5] = "draft" if row[5] == "review" else "review"
    with open("posts.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    verbose = runner.invoke(main, ["import", "shop.toml", "posts.csv", "--verbose", "--dry-run"])
    assert verbose.output.count(": status: ") == 17
    assert '  “Open studio live”: status: "review" → "draft"' in verbose.output.splitlines()
    for args in (["--dry-run"], []):
        result = runner.invoke(main, ["import", "shop.toml", "posts.csv", *args])
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert len([line for line in lines if ": status: " in line]) == 5
        assert "  and 12 more changed fields (planner import --verbose lists every one)" in lines
    assert {post.status for post in by_id(Path("shop.toml")).values()} == {"draft", "review"}


def test_importing_the_same_file_twice_changes_nothing_the_second_time(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    Path("new.csv").write_text(
        "date,time,platform,title,text\n2027-03-20,10:00,instagram,Spring sale!,Hello\n2027-03-20,10:00,instagram,Spring sale!,Twice\n"
        "2027-03-25,20:00,tiktok,Open studio live,Same as the post in the plan\n",
        encoding="utf-8",
    )
    first = runner.invoke(main, ["import", "shop.toml", "new.csv"])
    assert (
        first.output.splitlines()[0]
        == "Added 2 posts: “Spring sale!”, “Spring sale!”; updated 1: “Open studio live” in shop.toml"
    )
    after_first = Path("shop.toml").read_bytes()
    second = runner.invoke(main, ["import", "shop.toml", "new.csv"])
    assert second.exit_code == 0, second.output
    assert second.output == "Added 0 posts; updated 0; 3 unchanged; nothing to write\n"
    assert Path("shop.toml").read_bytes() == after_first


def test_spreadsheet_forms_are_read_where_unambiguous(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    Path("sheet.csv").write_text(
        "Date,Time,Platform,Status,Format,Title,Text\n"
        "2027-3-20,9:30,Instagram,Draft,Reel,A,x\n"
        "20/03/2027,7:00 PM,TIKTOK,Approved,video,B,x\n"
        "2027/03/21,12:15 am,X (Twitter),review,post,C,x\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "shop.toml", "sheet.csv"])
    assert result.exit_code == 0, result.output
    posts = by_id(Path("shop.toml"))
    assert (posts["a"].at, posts["a"].platform, posts["a"].status, posts["a"].format) == (
        dt.datetime(2027, 3, 20, 9, 30),
        "instagram",
        "draft",
        "reel",
    )
    assert (posts["b"].at, posts["b"].platform, posts["b"].status) == (
        dt.datetime(2027, 3, 20, 19, 0),
        "tiktok",
        "approved",
    )
    assert (posts["c"].at, posts["c"].platform) == (dt.datetime(2027, 3, 21, 0, 15), "x")


def test_an_ambiguous_date_is_refused_with_the_expected_form(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    before = Path("shop.toml").read_bytes()
    Path("us.csv").write_text("date,time,platform,title,text\n3/4/2027,10:00,instagram,A,x\n", "utf-8")
    result = runner.invoke(main, ["import", "shop.toml", "us.csv"])
    assert result.exit_code == 1
    assert (
        result.output
        == "us.csv:2: date '3/4/2027' is ambiguous (3 April or 4 March?); write a date like 2026-03-17 (YYYY-MM-DD)\n"
    )
    assert Path("shop.toml").read_bytes() == before


def test_import_never_moves_a_table_it_says_why_and_writes_nothing(runner: CliRunner) -> None:
    """A plan whose posts continue after [[competitors]]: the editing core refuses, import says so (exit 1)."""
    text = (SAMPLES / "shop-launch.toml").read_text("utf-8")
    text += '\n[[smm.posts]]\nid = "late-one"\nplatform = "instagram"\nat = 2027-03-30T10:00:00\ntitle = "Late"\ntext = "after competitors"\n'
    Path("split.toml").write_text(text, "utf-8")
    line = text.splitlines().index("[[smm.posts]]", text.splitlines().index("[[competitors]]")) + 1
    Path("new.csv").write_text("date,time,platform,title,text\n2027-03-20,10:00,instagram,New,x\n", "utf-8")
    Path("upd.csv").write_text(
        "id,date,time,platform,title,text\nlate-one,2027-03-30,10:00,instagram,Later,after competitors\n", "utf-8"
    )
    for name, what in (("new.csv", "1 added, 0 updated"), ("upd.csv", "0 added, 1 updated")):
        for args in (["--dry-run"], []):
            result = runner.invoke(main, ["import", "split.toml", name, *args])
            assert result.exit_code == 1
            assert result.output == (
                f"planner: {name}: not imported: cannot import {what} from {name}: [smm] is split across the file "
                f"(another table comes before its part at line {line}); put all its parts together by hand to edit this plan in planner\n"
            )
            assert Path("split.toml").read_text("utf-8") == text
    assert sorted(p.name for p in Path(".").iterdir() if p.suffix) == ["new.csv", "split.toml", "upd.csv"]


def test_an_export_with_bom_starts_with_one_and_imports_unchanged(runner: CliRunner) -> None:
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    for args in (
        ["-o", "plain.csv"],
        ["--bom", "-o", "bom.csv"],
        ["--bom", "-o", "bom.csv"],
    ):  # the second --bom run replaces its own file
        result = runner.invoke(main, ["export", "shop.toml", "--format", "csv", "--phase", "smm", *args])
        assert result.exit_code == 0, result.output
    assert Path("bom.csv").read_bytes() == b"\xef\xbb\xbf" + Path("plain.csv").read_bytes()
    result = runner.invoke(main, ["import", "shop.toml", "bom.csv"])
    assert result.output == "Added 0 posts; updated 0; 17 unchanged; nothing to write\n"
    refused = runner.invoke(main, ["export", "shop.toml", "--format", "md", "--bom"])
    assert (
        refused.exit_code == 2
        and refused.output == "planner: --bom is for CSV only (the other formats are always read as UTF-8)\n"
    )


def test_a_long_text_read_with_the_wrong_character_set_is_shown_where_it_differs(runner: CliRunner) -> None:
    """What LibreOffice does to a CSV opened without saying UTF-8: each post with 🌊 is a problem row, shown around the 🌊."""
    shutil.copyfile(SAMPLES / "shop-launch.toml", "shop.toml")
    assert (
        runner.invoke(main, ["export", "shop.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]).exit_code
        == 0
    )
    Path("posts.csv").write_text(Path("posts.csv").read_text("utf-8").replace("🌊", "ðŸŒŠ"), "utf-8")
    result = runner.invoke(main, ["import", "shop.toml", "posts.csv"])
    assert result.exit_code == 1
    tail = (
        " read with the wrong character set; open the CSV as UTF-8 (or save it as CSV UTF-8), or change it in the plan"
    )
    assert result.output.splitlines() == [
        'posts.csv:2: text: "…me out of the kiln. ðŸŒŠ Ten days until you can set your tab…" looks like '
        '"…me out of the kiln. 🌊 Ten days until you can set your table …"' + tail,
        'posts.csv:14: text: "Tide is here. ðŸŒŠ Plates, bowls and mugs in our new sea-blu…" looks like '
        '"Tide is here. 🌊 Plates, bowls and mugs in our new sea-blue g…"' + tail,
    ]
