"""Crash recovery and the plan lock, without the app: the journal's format, what it holds, and the lock's life."""

from __future__ import annotations

import datetime as dt
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import locations
from planner.plan import lock as lock_module
from planner.plan import recovery
from planner.plan.edits import AddEntry, Batch, DeleteEntry, MoveEntry, SetField
from planner.plan.lock import PlanLock
from planner.plan.plan_file import PlanFile
from planner.plan.recovery import JournalState, JournalWriter, RecoveryUnreadable

POSTS = ("smm", "posts")
ITEMS = ("smo", "items")
WHEN = dt.datetime(2027, 3, 10, 12, 30, tzinfo=dt.UTC)

# -- the format -----------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.sampled_from([math.inf, -math.inf]),
    st.text(),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.datetimes(
        timezones=st.sampled_from(
            [dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(-dt.timedelta(hours=8))]
        )
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
PATHS = st.lists(st.one_of(st.text(max_size=8), st.integers(-3, 50)), max_size=4).map(tuple)
LABELS = st.text(max_size=20)
EDITS = st.recursive(
    st.one_of(
        st.builds(SetField, PATHS, st.text(max_size=8), VALUES, LABELS),
        st.builds(
            AddEntry,
            PATHS,
            st.dictionaries(st.text(max_size=8), VALUES, max_size=4),
            st.one_of(st.none(), st.integers(0, 50)),
            LABELS,
        ),
        st.builds(DeleteEntry, PATHS, st.integers(-5, 50), LABELS),
        st.builds(MoveEntry, PATHS, st.integers(0, 50), st.integers(0, 50), LABELS),
    ),
    lambda inner: st.builds(Batch, st.lists(inner, max_size=3).map(tuple), LABELS),
    max_leaves=6,
)


def same(a, b) -> bool:
    """Equal, with types (1 is not True, a date is not a datetime) and a zone's offset compared."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset() and (a.tzinfo is None) == (b.tzinfo is None)
    if hasattr(a, "__dataclass_fields__") and type(a) is type(b):
        return all(same(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    return type(a) is type(b) and a == b


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(EDITS, max_size=5))
def test_any_edit_round_trips_through_the_journal_exactly(edits) -> None:
    written = recovery.Recovered("plan.toml", "abc", WHEN, tuple(edits))
    back = recovery.loads(recovery.dumps(written))
    assert same(back.edits, written.edits)
    assert back.written == WHEN and back.fingerprint == "abc"


def test_a_nan_survives_the_journal() -> None:
    back = recovery.loads(recovery.dumps(recovery.Recovered("p", "f", WHEN, (SetField(("x",), "n", math.nan),))))
    assert math.isnan(back.edits[0].value)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b'{"format": 99}',
        b'{"format": 1, "plan": "p", "fingerprint": "f", "written": "2027-03-10T12:00:00", "edits": []}',
        b'{"format": 1, "plan": "p", "fingerprint": "f", "written": "2027-03-10T12:00:00+00:00", "edits": [{"op": "explode"}]}',
        b'{"format": 1, "plan": "p", "fingerprint": "f", "written": "2027-03-10T12:00:00+00:00", "edits": [{"op": "set", "table": [true], "key": "k", "value": 1}]}',
        b"\xff\xfe",
        b"[" * 200_000 + b"]" * 200_000,  # nested 200,000 deep
        b'{"format": 1, "plan": "p", "fingerprint": "f", "written": "2027-03-10T12:00:00+00:00", "edits": [{"op": "delete", "array": ["a"], "index": 1e400}]}',
        b'{"format": 1, "plan": "p", "fingerprint": "f", "written": "2027-03-10T12:00:00+00:00", "edits": [{"op": "move", "array": ["a"], "index": true, "to": 1}]}',
        b"[1, 2]",
    ],
)
def test_a_damaged_journal_is_a_clear_error(tmp_path: Path, raw: bytes) -> None:
    plan = tmp_path / "plan.toml"
    target = locations.journal_file(plan)
    target.parent.mkdir(parents=True)
    target.write_bytes(raw)
    with pytest.raises(RecoveryUnreadable) as raised:
        recovery.read(plan)
    assert "\n" not in str(raised.value) and str(target) in str(raised.value)


# -- what the journal holds ---------------------------------------------------------------------


def test_the_journal_lives_in_the_state_folder_keyed_by_the_resolved_path(
    tmp_path: Path, isolated_home: Path, monkeypatch
) -> None:
    plan = tmp_path / "plan.toml"
    monkeypatch.chdir(tmp_path)
    assert locations.journal_file(Path("plan.toml")) == locations.journal_file(plan)
    assert locations.journal_file(plan).parent == isolated_home / "state" / "journals"
    assert locations.journal_file(tmp_path / "other.toml") != locations.journal_file(plan)


def test_unsaved_edits_replayed_on_the_file_give_the_same_plan(sample) -> None:
    path = sample()
    plan_file = PlanFile.open(path)
    plan_file.apply(SetField(("campaign",), "name", "Renamed"))
    plan_file.apply(MoveEntry(ITEMS, 0, 3))
    plan_file.apply(DeleteEntry(POSTS, 1))
    plan_file.apply(AddEntry(ITEMS, {"id": "new-one", "title": "New", "done": False}))
    plan_file.undo()  # undone edits are not journaled
    assert len(plan_file.unsaved_edits()) == 3

    recovery.write(path, plan_file.unsaved_edits(), plan_file.source.fingerprint, WHEN)
    found = recovery.read(path)
    assert found is not None and found.count == 3 and found.written == WHEN
    assert found.fingerprint == plan_file.source.fingerprint
    fresh = PlanFile.open(path)
    fresh.apply(found.batch())
    assert fresh.render() == plan_file.render()
    assert fresh.undo() is not None and fresh.undo() is None  # the restore is one step
    assert fresh.render() == path.read_bytes()


def test_after_a_save_only_later_edits_are_unsaved_and_undo_past_the_save_is_journaled(sample) -> None:
    path = sample()
    plan_file = PlanFile.open(path)
    plan_file.apply(SetField(("campaign",), "name", "First"))
    plan_file.save()
    assert plan_file.unsaved_edits() == []
    plan_file.apply(SetField(("campaign",), "objective", "Later"))
    assert [e.describe() for e in plan_file.unsaved_edits()] == ["set campaign.objective"]
    plan_file.undo()
    plan_file.undo()  # past the save: the file has "First", the plan does not
    unsaved = plan_file.unsaved_edits()
    assert len(unsaved) == 1
    fresh = PlanFile.open(path)
    fresh.apply(Batch(tuple(unsaved)))
    assert fresh.render() == plan_file.render()


def test_the_writer_writes_a_state_and_an_empty_one_removes_the_journal(sample) -> None:
    path = sample()
    writer = JournalWriter(path)
    writer.write(
        JournalState((SetField(("campaign",), "name", "B"), SetField(("campaign",), "site", "x")), (None, None), "f1"),
        WHEN,
    )
    assert [e.value for e in recovery.read(path).edits] == ["B", "x"]
    writer.write(JournalState((), (), "f1"), WHEN)
    assert recovery.read(path) is None
    assert not locations.journal_file(path).exists()
    writer.write(None, WHEN)  # nothing to remove: fine


def test_a_journal_can_be_kept_aside(sample) -> None:
    path = sample()
    recovery.write(path, [SetField(("campaign",), "name", "A")], "f", WHEN)
    kept = recovery.keep_aside(path, WHEN)
    assert recovery.read(path) is None
    assert kept.exists() and kept.parent == locations.journal_file(path).parent and "kept-20270310T123000Z" in kept.name
    recovery.discard(path)  # nothing left to discard: fine


def test_the_journal_is_private_to_the_user(sample) -> None:
    path = sample()
    recovery.write(path, [SetField(("campaign",), "name", "A")], "f", WHEN)
    assert locations.journal_file(path).stat().st_mode & 0o077 == 0


# -- the lock --------------------------------------------------------------------------------------


def test_a_second_lock_on_the_same_plan_is_refused_until_the_first_is_released(sample) -> None:
    path = sample()
    first, second = PlanLock(path), PlanLock(path)
    assert first.acquire() and first.held
    assert not second.acquire() and not second.held
    assert second.holder() == f"process {os.getpid()}"
    first.release()
    assert second.acquire()
    second.release()


def test_a_killed_process_never_leaves_the_lock_stuck(sample) -> None:
    path = sample()
    code = (
        "import sys, time; from pathlib import Path; from planner.plan.lock import PlanLock; "
        "lock = PlanLock(Path(sys.argv[1])); print(lock.acquire(), flush=True); time.sleep(60)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert child.stdout.readline().strip() == "True"
        mine = PlanLock(path)
        assert not mine.acquire()
        assert mine.holder() == f"process {child.pid}"
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        deadline = time.monotonic() + 5
        while not mine.acquire():
            assert time.monotonic() < deadline, "the lock stayed after its owner was killed"
            time.sleep(0.05)
        mine.release()
    finally:
        child.kill()
        child.wait()


def test_without_fcntl_locking_degrades_to_no_lock(sample, monkeypatch) -> None:
    monkeypatch.setattr(lock_module, "fcntl", None)
    path = sample()
    assert PlanLock(path).acquire() and PlanLock(path).acquire()


def test_an_unwritable_state_folder_degrades_to_no_lock(sample, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "state").write_text("a file where the folder should be")
    path = sample()
    lock = PlanLock(path)
    assert lock.acquire() and not lock.supported
