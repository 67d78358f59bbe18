"""The measurements, each with its baseline, on one generated plan file.

Every function returns raw figures in seconds (memory in KiB): lists with
one value per repetition, paired with the baseline's taken in the same
repetition, so the caller takes medians, ranges and per-repetition ratios.
Commands run as subprocesses with the interpreter running this (the
project's virtual environment); for those the CPU seconds of the child
(user and system, from `os.wait4`) are kept beside the wall-clock seconds.
Every baseline parses with tomli, the parser `planner` reads plans with.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "benchmarks" / "harness.py"
PARSE_ONLY = "import sys, tomli\nwith open(sys.argv[1], 'rb') as f: tomli.load(f)"
PARSE_TOMLLIB = (
    "import sys, tomllib\nwith open(sys.argv[1], 'rb') as f: tomllib.load(f)"  # the standard library's, for the record
)
EXPORT_FORMATS = ("md", "csv", "ics", "json")

# Keys for the keys benchmark (200 each): through the month, into the agenda (l) and back (m);
# the SMO checklist (--view smo) has its own.
CALENDAR_KEYS = "right*40,down*10,left*40,up*9,l,down*50,up*49,m"
CHECKLIST_KEYS = "down*100,up*100"
TIMEOUT = 600


def planner_command() -> list[str]:
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner.cli"]


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, PLANNER_HOME=str(home), PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(command: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``command`` from start to exit; its exit status must be in ``ok``."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()  # to the end: the child has closed it
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if code not in ok:
        raise RuntimeError(f"{' '.join(command)} exited {code}: {stderr.decode(errors='replace')[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


class Pairs(dict):
    """Raw figures of one row: ``value`` and ``baseline`` (wall seconds), ``value_cpu`` and ``baseline_cpu``."""

    def __init__(self, *extra: str) -> None:
        super().__init__({key: [] for key in ("value", "baseline", "value_cpu", "baseline_cpu", *extra)})

    def add(self, which: str, figures: tuple[float, float]) -> None:
        self[which].append(figures[0])
        self[f"{which}_cpu"].append(figures[1])


# -- which view the open and keys benchmarks use ---------------------------------------


@dataclass
class Target:
    view: str
    keys: str


def target_for(view: str | None = None, keys: str | None = None) -> Target:
    """The calendar (or the view asked for) and its keys."""
    view = view or "calendar"
    return Target(view, keys or (CHECKLIST_KEYS if view == "smo" else CALENDAR_KEYS))


# -- open, keys and memory (one app process per repetition) ------------------


@dataclass
class AppRun:
    ready: float  # seconds from process start to the first frame with the rows
    settled: float  # ... to the background work being done
    hwm_kb: int  # peak resident memory when settled
    maxrss_kb: int  # peak resident memory over the whole run (wait4)
    latencies: list[float] = field(default_factory=list)
    timed_out: list[int] = field(default_factory=list)  # indexes into latencies: keys with no frame within the timeout
    edited_kb: int | None = None  # peak resident memory after one edit and the work it starts


def run_app(
    kind: str, plan: Path, home: Path, target: Target, keys: bool, expect: str = "", edit: bool = False
) -> AppRun:
    """One run of the harness: ``planner``, ``bare`` (every row) or ``weeks`` (the calendar month's rows)."""
    command = [sys.executable, str(HARNESS), kind, str(plan), "--view", target.view]
    if keys:
        command += ["--keys", target.keys]
    if expect:
        command += ["--expect", expect]
    if edit:
        command.append("--edit")
    # A home of its own: the app remembers where a plan was left (and would open the next run there).
    own_home = Path(tempfile.mkdtemp(prefix="home-", dir=home.parent if home.parent.exists() else None))
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=child_env(own_home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(TIMEOUT, proc.kill)  # a run that hangs fails instead of stopping the benchmark
    watchdog.start()
    times: dict[str, float] = {}
    result: dict = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        now = time.perf_counter() - start
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        times[event["event"]] = now
        if event["event"] == "edited":
            result["edited_kb"] = event["hwm_kb"]
        else:
            result.update(event)
    _, status, usage = os.wait4(proc.pid, 0)
    watchdog.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read() if proc.stderr else ""
    shutil.rmtree(own_home, ignore_errors=True)
    if proc.returncode != 0 or "ready" not in times or "settled" not in times or (edit and "edited" not in times):
        raise RuntimeError(f"harness {kind} failed ({proc.returncode}): {stderr[-800:]}")
    return AppRun(
        times["ready"],
        times["settled"],
        result["hwm_kb"],
        usage.ru_maxrss,
        result.get("latencies", []),
        result.get("timed_out", []),
        result.get("edited_kb"),
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# -- 2 and 5: check and export (subprocesses) ---------------------------------------------


def measure_check(plan: Path, home: Path, repeat: int) -> Pairs:
    """`planner check` (exit 0 or 1: warnings are fine); baseline: parsing with tomli. ``tomllib``: the standard library's parse."""
    env = child_env(home)
    out = Pairs("tomllib")
    for _ in range(repeat):
        out.add("baseline", timed([sys.executable, "-c", PARSE_ONLY, str(plan)], env))
        out["tomllib"].append(timed([sys.executable, "-c", PARSE_TOMLLIB, str(plan)], env)[0])
        out.add("value", timed([*planner_command(), "check", str(plan)], env, ok=(0, 1)))
    return out


def measure_export(plan: Path, home: Path, repeat: int, formats: tuple[str, ...] = EXPORT_FORMATS) -> dict[str, Pairs]:
    """Each export format; baseline: parsing with tomli, and for ics the Markdown export of the same repetition."""
    env = child_env(home)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-export-"))
    try:
        out = {fmt: Pairs() for fmt in formats}
        for _ in range(repeat):
            baseline = timed([sys.executable, "-c", PARSE_ONLY, str(plan)], env)
            figures = {}
            for fmt in formats:
                target = folder / f"plan.{fmt}"
                figures[fmt] = timed(
                    [*planner_command(), "export", str(plan), "--format", fmt, "-o", str(target), "--force"], env
                )
            for fmt in formats:
                out[fmt].add("baseline", figures["md"] if fmt == "ics" and "md" in figures else baseline)
                out[fmt].add("value", figures[fmt])
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- 3: save after one edit (in this process, through the editing core) ---------------------


def measure_save(plan: Path, repeat: int, tree: bool = False) -> Pairs:
    """From `PlanFile.apply` of one title edit to the file replaced; baseline `tomlkit.dumps` of the plan's tree.

    As the app saves it: a field edit is written as a text patch, without
    the tomlkit tree (`planner.plan.patch`). With ``tree``, the editable tree
    is built first, as the app does in the background after an edit that
    needs it (adding or moving an entry, most list edits): the save of such
    an edit. Either way the tree's build is not timed, nor the baseline's.
    """
    import tomlkit

    from planner.plan.document import Document
    from planner.plan.edits import SetField
    from planner.plan.model import POSTS
    from planner.plan.plan_file import PlanFile

    folder = Path(tempfile.mkdtemp(prefix="planner-bench-save-"))
    try:
        copy = folder / plan.name
        shutil.copyfile(plan, copy)
        plan_file = PlanFile.open(copy)
        if tree:
            plan_file.prepare()
            document = plan_file.document._doc
        else:
            document = Document(plan.read_text("utf-8"))._doc  # for the baseline only
        middle = len(plan_file.plan.posts) // 2
        out = Pairs("apply", "write")
        out["tree"] = [tree]
        for n in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            tomlkit.dumps(document)
            out.add("baseline", (time.perf_counter() - start, time.process_time() - cpu))
            edit = SetField((*POSTS, middle), "title", f"Edited title {n}")
            start, cpu = time.perf_counter(), time.process_time()
            plan_file.apply(edit)
            applied = time.perf_counter()
            plan_file.save()
            end = time.perf_counter()
            out.add("value", (end - start, time.process_time() - cpu))
            out["apply"].append(applied - start)
            out["write"].append(end - applied)
        assert (plan_file._document is not None) == tree
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- 7: import (subprocesses) --------------------------------------------------------------

READ_CSV_AND_PARSE = (
    "import csv, sys, tomli\n"
    "with open(sys.argv[1], 'rb') as f: tomli.load(f)\n"
    "with open(sys.argv[2], newline='', encoding='utf-8') as f: list(csv.reader(f))"
)


def measure_import(plan: Path, csv_text: str, home: Path, repeat: int) -> Pairs:
    """`planner import` of a CSV of new posts into a copy of ``plan``; baseline: reading the CSV and parsing the plan."""
    env = child_env(home)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-import-"))
    try:
        posts = folder / "posts.csv"
        posts.write_text(csv_text, encoding="utf-8", newline="")
        copy = folder / plan.name
        out = Pairs()
        for _ in range(repeat):
            shutil.copyfile(plan, copy)
            out.add("baseline", timed([sys.executable, "-c", READ_CSV_AND_PARSE, str(copy), str(posts)], env))
            out.add("value", timed([*planner_command(), "import", str(copy), str(posts)], env))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- 8: diff and merge of two revisions (subprocesses) ---------------------------------------

PARSE_BOTH = "import sys, tomli\nfor name in sys.argv[1:]:\n    with open(name, 'rb') as f: tomli.load(f)"


def measure_diff(plan: Path, home: Path, repeat: int) -> Pairs:
    """`planner diff` of two revisions of ``plan`` (benchmarks/revisions.py); baseline: parsing both."""
    from benchmarks.revisions import revisions

    env = child_env(home)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-diff-"))
    try:
        ours, theirs = (folder / "ours.toml", folder / "theirs.toml")
        for path, text in zip((ours, theirs), revisions(plan.read_text("utf-8"))):
            path.write_text(text, encoding="utf-8")
        out = Pairs()
        for _ in range(repeat):
            out.add("baseline", timed([sys.executable, "-c", PARSE_BOTH, str(ours), str(theirs)], env))
            out.add("value", timed([*planner_command(), "diff", str(ours), str(theirs)], env))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure_merge(plan: Path, home: Path, repeat: int) -> Pairs:
    """`planner merge-driver` of two revisions of ``plan`` that edit different posts; baseline: parsing both revisions.

    Each run merges into a fresh copy of ours (the driver writes the result there); it must merge cleanly.
    """
    from benchmarks.revisions import revisions

    env = child_env(home)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-merge-"))
    try:
        ours_text, theirs_text = revisions(plan.read_text("utf-8"))
        ours, theirs, result = folder / "ours.toml", folder / "theirs.toml", folder / "result.toml"
        ours.write_text(ours_text, encoding="utf-8")
        theirs.write_text(theirs_text, encoding="utf-8")
        out = Pairs()
        for _ in range(repeat):
            shutil.copyfile(ours, result)
            out.add("baseline", timed([sys.executable, "-c", PARSE_BOTH, str(ours), str(theirs)], env))
            out.add(
                "value",
                timed([*planner_command(), "merge-driver", str(plan), str(result), str(theirs), "plan.toml"], env),
            )
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)
