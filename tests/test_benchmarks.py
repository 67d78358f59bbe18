"""The benchmark suite still runs: its generated plan is clean and a measurement has the right shape.

Nothing here is timed; `python -m benchmarks` does the timing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from benchmarks import run
from benchmarks.generate import COMPETITORS, PLATFORMS, SMO_ITEMS, generate_csv, generate_plan
from benchmarks.measure import measure_import, measure_save
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
    raw = measure_save(path, repeat=2)
    assert set(raw) == {"value", "baseline", "apply", "write"}
    assert all(len(values) == 2 and all(v > 0 for v in values) for values in raw.values())
    assert path.read_text(encoding="utf-8") == generate_plan(200).text  # it edits a copy
    assert tomllib.loads(path.read_text(encoding="utf-8"))

    row = run._row(200, "save", 0.3, 0.1, "s", raw)
    row["ratio"] = round(row["ratio"], 6)
    assert (row["ratio"], row["target"], row["passed"]) == (3.0, "<= 2.5x", False)
    rows = [row, run._row(5000, "check", 1.0, 1.0, "s", {}), run._row(20000, "check", 4.0, 3.0, "s", {})]
    scale = run.scaling(rows)
    assert [(s["measure"], round(s["factor"], 2), s["passed"]) for s in scale] == [("check", 4.0, True)]
    lines = run.table(rows, scale, markdown=True).splitlines()
    assert lines[0] == "| posts | measure | planner | baseline | ratio | target | result |"
    assert "| 200 | save | 300 ms | 100 ms | 3.00x | <= 2.5x | MISS |" in lines
    assert lines[-1].startswith("| 5000->20000 | scaling: check |")


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
    assert set(raw) == {"value", "baseline"} and all(len(v) == 1 and v[0] > 0 for v in raw.values())
    assert path.read_text(encoding="utf-8") == generate_plan(200).text  # it imports into a copy
    row = run._row(20000, "import", 0.6, 0.3, "s", raw)
    assert (row["target"], row["passed"]) == ("<= 3.0x", True)


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
        assert set(raw) == {"value", "baseline"} and all(len(v) == 1 and v[0] > 0 for v in raw.values())
        row = run._row(20000, name, 0.9, 0.3, "s", raw)
        assert (row["target"], row["passed"]) == ("<= 3.0x", True)
    assert path.read_text(encoding="utf-8") == base  # merged into a copy
