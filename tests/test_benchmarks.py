"""The benchmark suite still runs: its generated plan is clean and a measurement has the right shape.

Nothing here is timed; `python -m benchmarks` does the timing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from benchmarks import run
from benchmarks.generate import COMPETITORS, PLATFORMS, SMO_ITEMS, generate_csv, generate_plan, with_warnings
from benchmarks.measure import Target, measure_import, measure_save, run_app
from planner.cli import main as cli_main
from planner.plan.plan_file import load
from planner.report import all_problems, exit_code


def test_the_generated_plan_is_large_commented_and_checks_clean(tmp_path: Path) -> None:
    generated = generate_plan(200)
    assert generate_plan(200) == generated  # the seed is fixed
    path = tmp_path / "plan.toml"
    path.write_text(generated.text, encoding="utf-8")
    loaded = load(path)
    assert loaded.plan is not None
    problems = all_problems(loaded, now=loaded.plan.posts[-1].at)
    assert exit_code(problems) == 0, [p.located("plan.toml") for p in problems]
    plan = loaded.plan
    assert (len(plan.posts), len(plan.smo_items), len(plan.competitors)) == (200, SMO_ITEMS, COMPETITORS)
    assert [choice.name for choice in plan.platforms] == list(PLATFORMS)
    assert generated.first_item_title == plan.smo_items[0].title
    assert generated.post_titles == tuple(post.title for post in plan.posts)
    comments = [line for line in generated.text.splitlines() if line.lstrip().startswith("#") or "  # " in line]
    assert len(comments) > 50  # a file header, a section per week, above entries, at line ends


def test_one_save_measurement_and_its_row_in_the_table(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(generate_plan(200).text, encoding="utf-8")
    for tree in (False, True):  # a field edit saved as a text patch, or through the tree
        raw = measure_save(path, repeat=2, tree=tree)
        assert set(raw) == {"value", "baseline", "value_cpu", "baseline_cpu", "apply", "write", "tree"} and raw[
            "tree"
        ] == [tree]
        assert all(len(raw[key]) == 2 and all(v > 0 for v in raw[key]) for key in raw if key != "tree")
    assert path.read_text(encoding="utf-8") == generate_plan(200).text  # it edits a copy
    assert tomllib.loads(path.read_text(encoding="utf-8"))

    row = run._paired("save", 200, {**raw, "value_cpu": [0.3, 0.5, 0.2], "baseline_cpu": [0.1, 0.1, 0.1]})
    assert (row["clock"], row["against"], row["target"], row["runs"]) == ("cpu", "tomlkit.dumps", "<= 2.0x", 3)
    assert (row["value"], row["value_min"], row["value_max"]) == (0.3, 0.2, 0.5)
    assert [round(row[k], 6) for k in ("ratio", "ratio_min", "ratio_max")] == [
        3.0,
        2.0,
        5.0,
    ]  # the median of the runs' ratios
    assert row["passed"] is False
    rows = [row, run._row(5000, "check", [1.0], [1.0], "s", {}), run._row(20000, "check", [4.0], [3.0], "s", {})]
    scale = run.scaling(rows)
    assert [(s["measure"], round(s["factor"], 2), s["passed"]) for s in scale] == [("check", 4.0, True)]
    lines = run.table(rows, scale, markdown=True).splitlines()
    assert (
        lines[0]
        == "| posts | measure | against | planner (range) | baseline | ratio | ratio range | clock | target | result |"
    )
    assert (
        "| 200 | save | tomlkit.dumps | 300 ms (200–500) | 100 ms | 3.00x | 2.00–5.00 | cpu | <= 2.0x | MISS |" in lines
    )
    assert lines[-1].startswith("| 5000->20000 | scaling: check |")


def test_a_slow_key_is_counted_at_least_the_timeout_not_dropped(tmp_path: Path, monkeypatch) -> None:
    """A key the app takes 0.8 s over (more than the frame timeout) counts in p99 and the maximum, and is told as timed out."""
    from benchmarks.harness import FRAME_TIMEOUT

    path = tmp_path / "plan.toml"
    path.write_text(generate_plan(200).text, encoding="utf-8")
    target = Target("calendar", "down*4,up,down*4")
    monkeypatch.setenv("PLANNER_BENCH_STALL", "up:0.8")
    slow = run_app("bare", path, tmp_path / "home", target, keys=True)
    assert len(slow.latencies) == 9 and slow.timed_out == [4]
    assert slow.latencies[4] >= 0.8 > FRAME_TIMEOUT and max(slow.latencies[:4] + slow.latencies[5:]) < FRAME_TIMEOUT
    monkeypatch.delenv("PLANNER_BENCH_STALL")
    quick = run_app("bare", path, tmp_path / "home", target, keys=True)
    assert quick.timed_out == []

    rows = {r["measure"]: r for r in run._key_rows(200, {"planner": [slow], "bare": [quick]}, target.keys)}
    assert list(rows) == ["keys p50", "keys p95", "keys p99", "keys max"]
    assert rows["keys max"]["value"] >= 0.8 and rows["keys p99"]["value"] > FRAME_TIMEOUT
    assert rows["keys p50"]["value"] < FRAME_TIMEOUT
    assert (rows["keys max"]["raw"]["timed_out"], rows["keys max"]["raw"]["presses"]) == (1, 9)


def test_the_app_run_reports_its_first_frame_memory_and_memory_after_one_edit(tmp_path: Path) -> None:
    """Through the app's public readiness API (`PlannerApp.shows`, `busy`, `planner.app.frames`)."""
    path = tmp_path / "plan.toml"
    path.write_text(generate_plan(200).text, encoding="utf-8")
    target = Target("calendar", "right*3,l,down*2,m")
    app = run_app("planner", path, tmp_path / "home", target, keys=True, edit=True)
    assert 0 < app.ready <= app.settled
    assert len(app.latencies) == 7 and app.timed_out == []
    assert app.edited_kb is not None and app.edited_kb >= app.hwm_kb > 0
    assert path.read_text(encoding="utf-8") == generate_plan(200).text  # the edit is not saved
    weeks = run_app("weeks", path, tmp_path / "home", target, keys=False)
    assert weeks.ready > 0 and weeks.edited_kb is None


def test_the_same_weeks_baseline_shows_the_posts_of_the_weeks_the_month_grid_shows() -> None:
    import datetime as dt

    from benchmarks.harness import MONTH, month_days, rows_for
    from planner.app.calendar.days import month_weeks

    weeks = month_weeks(*MONTH, 0)
    days = [day for week in weeks for day in week if day is not None]
    assert month_days(*MONTH) == (days[0], days[-1]) == (dt.date(2026, 6, 1), dt.date(2026, 7, 5))
    data = tomllib.loads(generate_plan(2000).text)
    every, month = rows_for(data, "calendar"), rows_for(data, "calendar", weeks=True)
    assert len(month) == sum(days[0] <= p["at"].date() <= days[-1] for p in data["smm"]["posts"])
    assert 0 < len(month) < len(every) // 8
    assert month == sorted(month) and set(month) <= set(every)


def test_the_plan_with_warnings_has_one_a_thousand_each_found_by_check(tmp_path: Path) -> None:
    text, count = with_warnings(generate_plan(3000).text)
    assert count == 3
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli_main, ["check", str(path)])
    assert result.exit_code == 1
    warned = [line for line in result.output.splitlines() if "has a comma" in line]
    assert len(warned) == 3 and all(line.startswith(f"{path}:") and line.split(":")[1].isdigit() for line in warned), (
        result.output
    )


def test_the_import_measurement_imports_every_generated_row(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(generate_plan(200).text, encoding="utf-8")
    csv_text = generate_csv(60)
    assert generate_csv(60) == csv_text  # the seed is fixed
    copy = tmp_path / "copy.toml"
    copy.write_bytes(path.read_bytes())
    (tmp_path / "posts.csv").write_text(csv_text, encoding="utf-8", newline="")
    result = CliRunner().invoke(cli_main, ["import", str(copy), str(tmp_path / "posts.csv")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added 60 posts: ")
    assert len(load(copy).plan.posts) == 260

    raw = measure_import(path, csv_text, tmp_path / "home", repeat=1)
    assert set(raw) == {"value", "baseline", "value_cpu", "baseline_cpu"} and all(
        len(v) == 1 and v[0] > 0 for v in raw.values()
    )
    assert path.read_text(encoding="utf-8") == generate_plan(200).text  # it imports into a copy
    row = run._paired("import", 20000, {**raw, "value_cpu": [0.6], "baseline_cpu": [0.3]})
    assert (row["target"], row["passed"], row["clock"]) == ("<= 3.0x", True, "cpu")


def test_the_diff_and_merge_rows_use_two_revisions_that_merge_by_entry(tmp_path: Path) -> None:
    from benchmarks.measure import measure_diff, measure_merge
    from benchmarks.revisions import revisions
    from planner.plan.merge import merge_texts

    base = generate_plan(200).text
    ours, theirs = revisions(base)
    assert revisions(base) == (ours, theirs)
    result = merge_texts(base, ours, theirs)
    assert result.conflicts == []
    posts = tomllib.loads(result.text)["smm"]["posts"]
    assert [p["id"] for p in posts][-2:] == ["ours-added", "theirs-added"] and len(posts) == 202
    assert sum(p["title"].endswith(" (edited)") for p in posts) == 2 and posts[0]["status"] == "review"

    path = tmp_path / "plan.toml"
    path.write_text(base, encoding="utf-8")
    for measure_two, name in ((measure_diff, "diff"), (measure_merge, "merge")):
        raw = measure_two(path, tmp_path / "home", repeat=1)
        assert set(raw) == {"value", "baseline", "value_cpu", "baseline_cpu"} and all(
            len(v) == 1 and v[0] > 0 for v in raw.values()
        )
        row = run._paired(name, 20000, {**raw, "value_cpu": [0.9], "baseline_cpu": [0.3]})
        assert (row["target"], row["passed"]) == ("<= 3.0x", True)
    assert path.read_text(encoding="utf-8") == base  # merged into a copy
