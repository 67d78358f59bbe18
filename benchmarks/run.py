"""Run the benchmarks: generate plans, measure, print a table, write the raw figures.

    .venv/bin/python -m benchmarks [--sizes 1000,5000,20000] [--repeat 3] [--quick]
                                   [--view calendar|smo] [--keys SPEC] [--only open,check,...] [--markdown]

Each measurement is taken against its baseline in the same run; the table
shows medians over the repetitions, the ratio to the baseline, the target
and whether it is met. Raw figures go to ``benchmarks/results/<time>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks import generate, measure
from benchmarks.generate import generate_plan
from benchmarks.site import generate_site, measure_audit, pages_for

RESULTS = Path(__file__).resolve().parent / "results"
MEASURES = ("open", "keys", "memory", "check", "save", "export")
MEASURES += ("audit",)  # a generated site of one page per ten posts (benchmarks/site.py)
# measure -> (ratio or absolute, limit): at 5,000 and 20,000 posts.
TARGETS = {
    "open": ("ratio", 1.2),
    "check": ("ratio", 1.3),
    "save": ("ratio", 2.5),
    "keys p95": ("absolute", 0.030),
    "memory": ("ratio", 2.0),
}
TARGETS["audit"] = ("ratio", 5.0)  # per page: the work budget, the parse, ten rules and the report
SCALING_LIMIT = 4.4  # 5,000 -> 20,000 posts
SCALING_FROM, SCALING_TO = 5000, 20000

# planner import of a CSV of as many new posts as the plan has, against reading the CSV and parsing the plan.
MEASURES += ("import",)
TARGETS["import"] = ("ratio", 3.0)
IMPORT_ROWS_MAX = 50_000  # a plan holds at most 50,000 posts: the plan's posts and the rows imported

# planner diff and planner merge-driver of two revisions (benchmarks/revisions.py), against parsing both.
MEASURES += ("diff", "merge")
TARGETS["diff"] = ("ratio", 3.0)
TARGETS["merge"] = ("ratio", 3.0)


def _row(size: int, name: str, value: float, baseline: float | None, unit: str, raw: dict) -> dict:
    ratio = value / baseline if baseline else None
    kind, limit = TARGETS.get(name, (None, None))
    passed = None
    if kind == "ratio" and ratio is not None:
        passed = ratio <= limit
    elif kind == "absolute":
        passed = value < limit
    return {"posts": size, "measure": name, "value": value, "baseline": baseline, "ratio": ratio, "unit": unit,
            "target": kind and (f"<= {limit}x" if kind == "ratio" else f"< {limit * 1000:.0f} ms"), "passed": passed, "raw": raw}


def measure_size(size: int, plan: Path, home: Path, target: measure.Target, repeat: int, only: set[str], expect: str) -> list[dict]:
    rows: list[dict] = []
    median = measure.median
    if only & {"open", "keys", "memory"}:
        keys = "keys" in only
        runs: dict[str, list[measure.AppRun]] = {"planner": [], "bare": []}
        for _ in range(repeat):
            for kind in ("bare", "planner"):
                runs[kind].append(measure.run_app(kind, plan, home, target, keys, expect))
        raw = {kind: [asdict(run) for run in value] for kind, value in runs.items()}
        if "open" in only:
            rows.append(_row(size, "open", median([r.ready for r in runs["planner"]]), median([r.ready for r in runs["bare"]]), "s", raw))
        if "memory" in only:
            rows.append(_row(size, "memory", median([r.hwm_kb for r in runs["planner"]]), median([r.hwm_kb for r in runs["bare"]]), "KiB", {}))
        if keys:
            def pooled(kind: str) -> tuple[list[float], int]:
                values = [x for r in runs[kind] for x in r.latencies]
                return [x for x in values if x is not None], sum(x is None for x in values)

            app_keys, app_idle = pooled("planner")
            bare_keys, _ = pooled("bare")
            info = {"presses": len(app_keys) + app_idle, "no_frame": app_idle, "keys": target.keys}
            if app_idle > info["presses"] // 10:
                print(f"note: {app_idle} of {info['presses']} key presses changed nothing on screen; choose keys that move (--keys)", flush=True)
            rows.append(_row(size, "keys p50", measure.percentile(app_keys, 50), measure.percentile(bare_keys, 50), "s", info))
            rows.append(_row(size, "keys p95", measure.percentile(app_keys, 95), measure.percentile(bare_keys, 95), "s", info))
    if "check" in only:
        raw = measure.measure_check(plan, home, repeat)
        rows.append(_row(size, "check", median(raw["value"]), median(raw["baseline"]), "s", raw))
    if "save" in only:
        raw = measure.measure_save(plan, repeat)
        rows.append(_row(size, "save", median(raw["value"]), median(raw["baseline"]), "s", raw))
    if "audit" in only:
        site = plan.with_name(f"site-{size}")
        generate_site(site, pages_for(size))
        raw = measure_audit(plan, site, repeat)
        rows.append(_row(size, "audit", median(raw["value"]), median(raw["baseline"]), "s", raw))
    if "export" in only:
        for fmt, raw in measure.measure_export(plan, home, repeat).items():
            rows.append(_row(size, f"export {fmt}", median(raw["value"]), median(raw["baseline"]), "s", raw))
    if "import" in only:
        count = min(size, IMPORT_ROWS_MAX - size)
        raw = measure.measure_import(plan, generate.generate_csv(count), home, repeat)
        rows.append(_row(size, "import", median(raw["value"]), median(raw["baseline"]), "s", {**raw, "rows": count}))
    for name, measure_two in (("diff", measure.measure_diff), ("merge", measure.measure_merge)):
        if name in only:
            raw = measure_two(plan, home, repeat)
            rows.append(_row(size, name, median(raw["value"]), median(raw["baseline"]), "s", raw))
    return rows


def scaling(rows: list[dict]) -> list[dict]:
    by = {(r["posts"], r["measure"]): r for r in rows}
    out = []
    for (size, name), row in by.items():
        if size != SCALING_FROM or (SCALING_TO, name) not in by:
            continue
        big = by[SCALING_TO, name]["value"]
        factor = big / row["value"] if row["value"] else None
        out.append({"measure": name, "from": SCALING_FROM, "to": SCALING_TO, "factor": factor,
                    "target": f"<= {SCALING_LIMIT}x", "passed": factor is not None and factor <= SCALING_LIMIT})
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "KiB":
        return f"{value / 1024:.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _verdict(passed: bool | None) -> str:
    return "-" if passed is None else "pass" if passed else "MISS"


def table(rows: list[dict], scale: list[dict], markdown: bool) -> str:
    header = ("posts", "measure", "planner", "baseline", "ratio", "target", "result")
    lines = [
        (str(r["posts"]), r["measure"], _fmt(r["value"], r["unit"]), _fmt(r["baseline"], r["unit"]),
         f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-", r["target"] or "-", _verdict(r["passed"]))
        for r in rows
    ]
    lines += [(f"{s['from']}->{s['to']}", f"scaling: {s['measure']}", "", "", f"{s['factor']:.2f}x" if s["factor"] else "-", s["target"], _verdict(s["passed"])) for s in scale]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines)]
    return "\n".join("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in [header, *lines])


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=measure.ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Benchmark planner on large generated plans.")
    parser.add_argument("--sizes", default="1000,5000,20000", help="posts per generated plan, comma-separated (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement; the table shows the median (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="a smoke check: 1,000 posts, one repetition")
    parser.add_argument("--view", choices=("calendar", "smo"), help="the view to open and to press keys in (default: the calendar once it exists, else the SMO checklist)")
    parser.add_argument("--keys", help=f"keys to press, e.g. 'right*50,down*50' (default: {measure.CALENDAR_KEYS!r} in the calendar, {measure.CHECKLIST_KEYS!r} in the checklist)")
    parser.add_argument("--only", default=",".join(MEASURES), help="measures to run (default: all): " + ", ".join(MEASURES))
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--no-save", action="store_true", help="do not write benchmarks/results/<time>.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "1000", 1
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    only = {m.strip() for m in args.only.split(",") if m.strip()}
    unknown = only - set(MEASURES)
    if unknown:
        sys.exit(f"unknown measure(s): {', '.join(sorted(unknown))}; use {', '.join(MEASURES)}")
    work = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    home = work / "home"
    started = time.perf_counter()
    rows: list[dict] = []
    target: measure.Target | None = None
    try:
        for size in sizes:
            generated = generate_plan(size)
            plan = work / f"plan-{size}.toml"
            plan.write_text(generated.text, encoding="utf-8")
            if target is None and not only & {"open", "keys", "memory"}:
                target = measure.Target("-", "-", False)  # no app is started: no view to probe
            if target is None:
                target = measure.probe_target(plan, home, args.view, args.keys)
                if target.note:
                    print(f"note: {target.note}", flush=True)
            expect = generated.first_item_title if target.view == "smo" else ""
            print(f"{size} posts: measuring {', '.join(m for m in MEASURES if m in only)} ...", flush=True)
            rows += measure_size(size, plan, home, target, args.repeat, only, expect)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    scale = scaling(rows)
    assert target is not None
    print()
    print(f"view: {target.view}" + (" (fallback: the calendar is not built yet)" if target.fallback else "") + f"; keys: {target.keys}; {args.repeat} repetition(s), medians")
    print(table(rows, scale, args.markdown))
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"{stamp}.json"
        meta = {
            "when": stamp, "commit": _git_commit(), "python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "repeat": args.repeat, "view": target.view, "fallback": target.fallback, "keys": target.keys,
        }
        out.write_text(json.dumps({"meta": meta, "rows": rows, "scaling": scale}, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"raw figures: {out.relative_to(measure.ROOT)}")
    return 0
