"""Run the benchmarks: generate plans, measure, print a table, write the raw figures.

    .venv/bin/python -m benchmarks [--sizes 1000,5000,20000] [--repeat 3] [--quick]
                                   [--view calendar|smo] [--keys SPEC] [--only open,check,...] [--markdown]

Each measurement is taken against its baseline in the same repetition; the
table shows, per row, what is measured and against what, the medians over
the repetitions with their range (min-max), the median of the
per-repetition ratios with their range, which clock the ratio is in, the
target and whether the median ratio meets it. Raw figures go to
``benchmarks/results/<time>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
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
# measure -> (ratio or absolute, limit), at every size.
TARGETS = {
    "open": ("ratio", 1.2),
    "open, same weeks": ("ratio", 1.2),
    "check": ("ratio", 1.3),
    "check, warnings": ("ratio", 1.3),
    "save": ("ratio", 2.0),
    "save, tree": ("ratio", 2.0),
    "keys p50": ("ratio", 1.2),
    "keys p95": ("ratio", 1.2),
    "memory": ("ratio", 2.0),
    "memory, one edit": ("ratio", 2.0),
    "export ics": ("ratio", 2.0),
}
TARGETS["audit"] = ("ratio", 5.0)  # per page: the work budget, the parse, ten rules and the report
SCALING_LIMIT = 4.4  # 5,000 -> 20,000 posts
SCALING_FROM, SCALING_TO = 5000, 20000

# What each row is measured against (the baseline, in the same repetition).
AGAINST = {
    "open": "bare app, every row",
    "open, same weeks": "bare app, the month's rows",
    "memory": "bare app",
    "memory, one edit": "bare app, one cell edited",
    "keys": "bare app's DataTable",
    "check": "tomli parse",
    "check, warnings": "tomli parse",
    "save": "tomlkit.dumps",
    "save, tree": "tomlkit.dumps",
    "export": "tomli parse",
    "export ics": "export md",
    "audit": "selectolax parse",
    "import": "CSV read + tomli parse",
    "diff": "tomli parse of both",
    "merge": "tomli parse of both",
}
# The rows judged by CPU time (the child's user and system seconds, or this process's): commands
# that run on one thread, where a shared machine's other work blurs the wall clock. The app's rows
# (open, keys) are judged by the wall clock the user waits on; memory is in KiB.
CPU_JUDGED = ("check", "save", "export", "audit", "import", "diff", "merge")

# planner import of a CSV of as many new posts as the plan has, against reading the CSV and parsing the plan.
MEASURES += ("import",)
TARGETS["import"] = ("ratio", 3.0)
IMPORT_ROWS_MAX = 50_000  # a plan holds at most 50,000 posts: the plan's posts and the rows imported

# planner diff and planner merge-driver of two revisions (benchmarks/revisions.py), against parsing both.
MEASURES += ("diff", "merge")
TARGETS["diff"] = ("ratio", 3.0)
TARGETS["merge"] = ("ratio", 3.0)


def _spread(values: list[float]) -> tuple[float, float, float]:
    """Median, min and max (nan for none)."""
    finite = [v for v in values if v is not None]
    if not finite:
        return float("nan"), float("nan"), float("nan")
    return statistics.median(finite), min(finite), max(finite)


def _row(
    size: int,
    name: str,
    values: list[float],
    baselines: list[float] | None,
    unit: str,
    raw: dict,
    clock: str | None = None,
) -> dict:
    """A table row from paired figures (one value and one baseline per repetition).

    The ratio is the median of the per-repetition ratios; its range is
    theirs. ``clock`` is "wall", "cpu" or "" (memory): rows of `CPU_JUDGED`
    measures are given their CPU figures and say "cpu".
    """
    value, low, high = _spread(values)
    baseline = _spread(baselines)[0] if baselines else None
    ratios = [v / b for v, b in zip(values, baselines or []) if b]
    ratio, ratio_low, ratio_high = _spread(ratios) if ratios else (None, None, None)
    kind, limit = TARGETS.get(name, (None, None))
    passed = None
    if kind == "ratio" and ratio is not None:
        passed = ratio <= limit
    elif kind == "absolute":
        passed = value < limit
    family = name.split(" ")[0].rstrip(",")
    if clock is None:
        clock = "" if unit == "KiB" else "cpu" if family in CPU_JUDGED else "wall"
    return {
        "posts": size,
        "measure": name,
        "against": AGAINST.get(name, AGAINST.get(family, "")),
        "clock": clock,
        "unit": unit,
        "value": value,
        "value_min": low,
        "value_max": high,
        "baseline": baseline,
        "ratio": ratio,
        "ratio_min": ratio_low,
        "ratio_max": ratio_high,
        "runs": len(values),
        "target": kind and (f"<= {limit}x" if kind == "ratio" else f"< {limit * 1000:.0f} ms"),
        "passed": passed,
        "raw": raw,
    }


def _paired(name: str, size: int, raw: dict, unit: str = "s") -> dict:
    """A row from a measurement's raw figures, in CPU seconds when the measure is judged by CPU time."""
    cpu = name.split(" ")[0].rstrip(",") in CPU_JUDGED and raw.get("value_cpu")
    values, baselines = (raw["value_cpu"], raw["baseline_cpu"]) if cpu else (raw["value"], raw["baseline"])
    return _row(size, name, values, baselines, unit, raw)


def _key_rows(size: int, runs: dict[str, list[measure.AppRun]], keys: str) -> list[dict]:
    """p50, p95, p99 and the slowest key: each run's figure, their median and range, against the bare app's run by run."""
    rows = []
    timed_out = sum(len(r.timed_out) for r in runs["planner"])
    presses = sum(len(r.latencies) for r in runs["planner"])
    info = {
        "presses": presses,
        "timed_out": timed_out,
        "bare_timed_out": sum(len(r.timed_out) for r in runs["bare"]),
        "timeout": harness_timeout(),
        "keys": keys,
    }
    if timed_out:
        print(
            f"note: {timed_out} of {presses} key presses had no frame within {info['timeout']} s: counted as at least that",
            flush=True,
        )
    for label, p in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        value = [measure.percentile(r.latencies, p) for r in runs["planner"]]
        baseline = [measure.percentile(r.latencies, p) for r in runs["bare"]]
        rows.append(_row(size, f"keys {label}", value, baseline, "s", info, clock="wall"))
    return rows


def harness_timeout() -> float:
    from benchmarks import harness

    return harness.FRAME_TIMEOUT


def measure_size(
    size: int, plan: Path, home: Path, target: measure.Target, repeat: int, only: set[str], expect: str
) -> list[dict]:
    rows: list[dict] = []
    if only & {"open", "keys", "memory"}:
        keys = "keys" in only
        edit = "memory" in only
        runs: dict[str, list[measure.AppRun]] = {"planner": [], "bare": [], "weeks": []}
        for _ in range(repeat):
            for kind in ("bare", "weeks", "planner"):
                if kind == "weeks" and ("open" not in only or target.view != "calendar"):
                    continue
                plain = kind == "weeks"
                runs[kind].append(
                    measure.run_app(kind, plan, home, target, keys and not plain, expect, edit and not plain)
                )
        raw = {kind: [asdict(run) for run in value] for kind, value in runs.items()}
        if "open" in only:
            rows.append(
                _row(size, "open", [r.ready for r in runs["planner"]], [r.ready for r in runs["bare"]], "s", raw)
            )
            if runs["weeks"]:
                rows.append(
                    _row(
                        size,
                        "open, same weeks",
                        [r.ready for r in runs["planner"]],
                        [r.ready for r in runs["weeks"]],
                        "s",
                        {},
                    )
                )
        if "memory" in only:
            rows.append(
                _row(size, "memory", [r.hwm_kb for r in runs["planner"]], [r.hwm_kb for r in runs["bare"]], "KiB", {})
            )
            rows.append(
                _row(
                    size,
                    "memory, one edit",
                    [r.edited_kb for r in runs["planner"]],
                    [r.edited_kb for r in runs["bare"]],
                    "KiB",
                    {},
                )
            )
        if keys:
            rows += _key_rows(size, runs, target.keys)
    if "check" in only:
        rows.append(_paired("check", size, measure.measure_check(plan, home, repeat)))
        warned, count = generate.with_warnings(plan.read_text("utf-8"))
        with_warnings = plan.with_name(f"warnings-{plan.name}")
        with_warnings.write_text(warned, encoding="utf-8")
        rows.append(
            _paired("check, warnings", size, {**measure.measure_check(with_warnings, home, repeat), "warnings": count})
        )
    if "save" in only:
        rows.append(_paired("save", size, measure.measure_save(plan, repeat)))
        rows.append(_paired("save, tree", size, measure.measure_save(plan, repeat, tree=True)))
    if "audit" in only:
        site = plan.with_name(f"site-{size}")
        generate_site(site, pages_for(size))
        raw = measure_audit(plan, site, repeat)
        rows.append(_row(size, "audit", raw["value"], raw["baseline"], "s", raw, clock="cpu"))
    if "export" in only:
        for fmt, raw in measure.measure_export(plan, home, repeat).items():
            rows.append(_paired(f"export {fmt}", size, raw))
    if "import" in only:
        count = min(size, IMPORT_ROWS_MAX - size)
        raw = measure.measure_import(plan, generate.generate_csv(count), home, repeat)
        rows.append(_paired("import", size, {**raw, "rows": count}))
    for name, measure_two in (("diff", measure.measure_diff), ("merge", measure.measure_merge)):
        if name in only:
            rows.append(_paired(name, size, measure_two(plan, home, repeat)))
    return rows


def scaling(rows: list[dict]) -> list[dict]:
    by = {(r["posts"], r["measure"]): r for r in rows}
    out = []
    for (size, name), row in by.items():
        if size != SCALING_FROM or (SCALING_TO, name) not in by:
            continue
        big = by[SCALING_TO, name]["value"]
        factor = big / row["value"] if row["value"] else None
        out.append(
            {
                "measure": name,
                "from": SCALING_FROM,
                "to": SCALING_TO,
                "factor": factor,
                "target": f"<= {SCALING_LIMIT}x",
                "passed": factor is not None and factor <= SCALING_LIMIT,
            }
        )
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:
        return "-"
    if unit == "KiB":
        return f"{value / 1024:.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _fmt_range(low: float | None, high: float | None, unit: str) -> str:
    """``(320-390)`` in the unit of the median: ms under a second, else seconds."""
    if low is None or high is None or low != low:
        return ""
    if unit == "KiB":
        return f"({low / 1024:.0f}–{high / 1024:.0f})"
    if high < 1:
        return f"({low * 1000:.0f}–{high * 1000:.0f})"
    return f"({low:.2f}–{high:.2f})"


def _verdict(passed: bool | None) -> str:
    return "-" if passed is None else "pass" if passed else "MISS"


def table(rows: list[dict], scale: list[dict], markdown: bool) -> str:
    header = (
        "posts",
        "measure",
        "against",
        "planner (range)",
        "baseline",
        "ratio",
        "ratio range",
        "clock",
        "target",
        "result",
    )
    lines = [
        (
            str(r["posts"]),
            r["measure"],
            r["against"],
            f"{_fmt(r['value'], r['unit'])} {_fmt_range(r['value_min'], r['value_max'], r['unit'])}".strip(),
            _fmt(r["baseline"], r["unit"]),
            f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-",
            f"{r['ratio_min']:.2f}–{r['ratio_max']:.2f}" if r["ratio"] is not None else "-",
            r["clock"] or "-",
            r["target"] or "-",
            _verdict(r["passed"]),
        )
        for r in rows
    ]
    lines += [
        (
            f"{s['from']}->{s['to']}",
            f"scaling: {s['measure']}",
            f"itself at {s['from']}",
            "",
            "",
            f"{s['factor']:.2f}x" if s["factor"] else "-",
            "",
            "",
            s["target"],
            _verdict(s["passed"]),
        )
        for s in scale
    ]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines)]
    return "\n".join("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in [header, *lines])


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=measure.ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Benchmark planner on large generated plans."
    )
    parser.add_argument(
        "--sizes", default="1000,5000,20000", help="posts per generated plan, comma-separated (default: %(default)s)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="repetitions per measurement; the table shows the median and range (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke check: 1,000 posts, one repetition")
    parser.add_argument(
        "--view",
        choices=("calendar", "smo"),
        default="calendar",
        help="the view to open and to press keys in (default: %(default)s)",
    )
    parser.add_argument(
        "--keys",
        help=f"keys to press, e.g. 'right*50,down*50' (default: {measure.CALENDAR_KEYS!r} in the calendar, {measure.CHECKLIST_KEYS!r} in the checklist)",
    )
    parser.add_argument(
        "--only", default=",".join(MEASURES), help="measures to run (default: all): " + ", ".join(MEASURES)
    )
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
            target = measure.target_for(args.view, args.keys)
            expect = generated.first_item_title if target.view == "smo" else ""
            print(f"{size} posts: measuring {', '.join(m for m in MEASURES if m in only)} ...", flush=True)
            rows += measure_size(size, plan, home, target, args.repeat, only, expect)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    scale = scaling(rows)
    assert target is not None
    print()
    print(f"view: {target.view}; keys: {target.keys}; {args.repeat} repetition(s): medians (min–max)")
    print(table(rows, scale, args.markdown))
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"{stamp}.json"
        meta = {
            "when": stamp,
            "commit": _git_commit(),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
            "repeat": args.repeat,
            "view": target.view,
            "keys": target.keys,
        }
        out.write_text(
            json.dumps({"meta": meta, "rows": rows, "scaling": scale}, indent=1, default=str) + "\n", encoding="utf-8"
        )
        print(f"raw figures: {out.relative_to(measure.ROOT)}")
    return 0
