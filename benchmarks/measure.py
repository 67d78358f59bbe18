"""The seven measurements, each with its baseline, on one generated plan file.

Every function returns raw figures in seconds (memory in KiB): lists with
one value per repetition, so the caller takes the median. Subprocesses run
with the interpreter running this (the project's virtual environment).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "benchmarks" / "harness.py"
PARSE_ONLY = "import sys, tomllib\nwith open(sys.argv[1], 'rb') as f: tomllib.load(f)"
EXPORT_FORMATS = ("md", "csv", "ics", "json")

# Keys for the keys benchmark (200 each): through the month, into the agenda (l) and back (m);
# the SMO checklist stands in until the app has a calendar.
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


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds from starting ``command`` to its exit; it must exit 0."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed


# -- which view the open and keys benchmarks use ---------------------------------------


@dataclass
class Target:
    view: str
    keys: str
    fallback: bool  # the calendar is not built yet: the SMO checklist stands in
    note: str = ""


def probe_target(plan: Path, home: Path, view: str | None = None, keys: str | None = None) -> Target:
    """The calendar when the app has a real one (not a `ComingView`), else the SMO checklist."""
    out = subprocess.run(
        [sys.executable, str(HARNESS), "planner", str(plan), "--probe"],
        env=child_env(home), capture_output=True, text=True, timeout=TIMEOUT,
    )
    views = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            views = json.loads(line).get("views", {})
    if not views:
        raise RuntimeError(f"the app's views could not be probed: {out.stderr[-800:]}")
    has_calendar = "calendar" in views and not views["calendar"]["coming"]
    if view is None:
        view = "calendar" if has_calendar else "smo"
    fallback = view == "smo" and not has_calendar
    note = "the calendar view is not built yet (a ComingView): the SMO checklist stands in" if fallback else ""
    if keys is None:
        keys = CHECKLIST_KEYS if view == "smo" else CALENDAR_KEYS
    return Target(view, keys, fallback, note)


# -- 1, 4 and 6: open, keys and memory (one app process per repetition) ------------------


@dataclass
class AppRun:
    ready: float  # seconds from process start to the first frame with the rows
    settled: float  # ... to the background work being done
    hwm_kb: int  # peak resident memory when settled
    maxrss_kb: int  # peak resident memory over the whole run (wait4)
    latencies: list[float | None] = field(default_factory=list)


def run_app(kind: str, plan: Path, home: Path, target: Target, keys: bool, expect: str = "") -> AppRun:
    command = [sys.executable, str(HARNESS), kind, str(plan), "--view", target.view]
    if keys:
        command += ["--keys", target.keys]
    if expect:
        command += ["--expect", expect]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=child_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    times: dict[str, float] = {}
    result: dict = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        now = time.perf_counter() - start
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        times[event["event"]] = now
        result.update(event)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0 or "ready" not in times or "settled" not in times:
        raise RuntimeError(f"harness {kind} failed ({proc.returncode}): {stderr[-800:]}")
    return AppRun(times["ready"], times["settled"], result["hwm_kb"], usage.ru_maxrss, result.get("latencies", []))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# -- 2 and 5: check and export (subprocesses) ---------------------------------------------


def measure_check(plan: Path, home: Path, repeat: int) -> dict[str, list[float]]:
    env = child_env(home)
    out: dict[str, list[float]] = {"value": [], "baseline": []}
    for _ in range(repeat):
        out["baseline"].append(wall([sys.executable, "-c", PARSE_ONLY, str(plan)], env))
        out["value"].append(wall([*planner_command(), "check", str(plan)], env))
    return out


def measure_export(plan: Path, home: Path, repeat: int, formats: tuple[str, ...] = EXPORT_FORMATS) -> dict[str, dict[str, list[float]]]:
    env = child_env(home)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-export-"))
    try:
        out: dict[str, dict[str, list[float]]] = {fmt: {"value": [], "baseline": []} for fmt in formats}
        for _ in range(repeat):
            baseline = wall([sys.executable, "-c", PARSE_ONLY, str(plan)], env)
            for fmt in formats:
                target = folder / f"plan.{fmt}"
                out[fmt]["baseline"].append(baseline)
                out[fmt]["value"].append(wall([*planner_command(), "export", str(plan), "--format", fmt, "-o", str(target), "--force"], env))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- 3: save after one edit (in this process, through the editing core) ---------------------


def measure_save(plan: Path, repeat: int) -> dict[str, list[float]]:
    """From `PlanFile.apply` of one title edit to the file replaced; baseline `tomlkit.dumps`.

    The editable tree is built first, as the app does in the background
    after opening: this is the cost of a save the user waits for.
    """
    import tomlkit

    from planner.plan.edits import SetField
    from planner.plan.model import POSTS
    from planner.plan.plan_file import PlanFile

    folder = Path(tempfile.mkdtemp(prefix="planner-bench-save-"))
    try:
        copy = folder / plan.name
        shutil.copyfile(plan, copy)
        plan_file = PlanFile.open(copy)
        plan_file.prepare()
        document = plan_file.document._doc
        middle = len(plan_file.plan.posts) // 2
        out: dict[str, list[float]] = {"value": [], "baseline": [], "apply": [], "write": []}
        for n in range(repeat):
            start = time.perf_counter()
            tomlkit.dumps(document)
            out["baseline"].append(time.perf_counter() - start)
            edit = SetField((*POSTS, middle), "title", f"Edited title {n}")
            start = time.perf_counter()
            plan_file.apply(edit)
            applied = time.perf_counter()
            plan_file.save()
            end = time.perf_counter()
            out["value"].append(end - start)
            out["apply"].append(applied - start)
            out["write"].append(end - applied)
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- 7: import (subprocesses) --------------------------------------------------------------

READ_CSV_AND_PARSE = (
    "import csv, sys, tomllib\n"
    "with open(sys.argv[1], 'rb') as f: tomllib.load(f)\n"
    "with open(sys.argv[2], newline='', encoding='utf-8') as f: list(csv.reader(f))"
)


def measure_import(plan: Path, csv_text: str, home: Path, repeat: int) -> dict[str, list[float]]:
    """`planner import` of a CSV of new posts into a copy of ``plan``; baseline: reading the CSV and parsing the plan."""
    env = child_env(home)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-import-"))
    try:
        posts = folder / "posts.csv"
        posts.write_text(csv_text, encoding="utf-8", newline="")
        copy = folder / plan.name
        out: dict[str, list[float]] = {"value": [], "baseline": []}
        for _ in range(repeat):
            shutil.copyfile(plan, copy)
            out["baseline"].append(wall([sys.executable, "-c", READ_CSV_AND_PARSE, str(copy), str(posts)], env))
            out["value"].append(wall([*planner_command(), "import", str(copy), str(posts)], env))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- 8: diff and merge of two revisions (subprocesses) ---------------------------------------

PARSE_BOTH = "import sys, tomllib\nfor name in sys.argv[1:]:\n    with open(name, 'rb') as f: tomllib.load(f)"


def measure_diff(plan: Path, home: Path, repeat: int) -> dict[str, list[float]]:
    """`planner diff` of two revisions of ``plan`` (benchmarks/revisions.py); baseline: parsing both."""
    from benchmarks.revisions import revisions

    env = child_env(home)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-diff-"))
    try:
        ours, theirs = (folder / "ours.toml", folder / "theirs.toml")
        for path, text in zip((ours, theirs), revisions(plan.read_text("utf-8"))):
            path.write_text(text, encoding="utf-8")
        out: dict[str, list[float]] = {"value": [], "baseline": []}
        for _ in range(repeat):
            out["baseline"].append(wall([sys.executable, "-c", PARSE_BOTH, str(ours), str(theirs)], env))
            out["value"].append(wall([*planner_command(), "diff", str(ours), str(theirs)], env))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure_merge(plan: Path, home: Path, repeat: int) -> dict[str, list[float]]:
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
        out: dict[str, list[float]] = {"value": [], "baseline": []}
        for _ in range(repeat):
            shutil.copyfile(ours, result)
            out["baseline"].append(wall([sys.executable, "-c", PARSE_BOTH, str(ours), str(theirs)], env))
            out["value"].append(wall([*planner_command(), "merge-driver", str(plan), str(result), str(theirs), "plan.toml"], env))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)
