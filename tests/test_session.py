"""The session rules without the app: the crash journal, saving, changes on disk, save as, recovered edits.

Plain pytest with an injected clock (and, where it matters, injected file
work): no app, no real timer; each test runs in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from planner import locations
from planner.errors import SaveError
from planner.plan import recovery
from planner.plan.edits import AddEntry, Batch, DeleteEntry, MoveEntry, SetField
from planner.plan.plan_file import PlanFile, load
from planner.plan.recovery import JournalWriter
from planner.plan.session import JOURNAL_DELAY, Files, Session

WHEN = dt.datetime(2027, 3, 10, 12, 30, tzinfo=dt.UTC)
ITEMS = ("smo", "items")
POSTS = ("smm", "posts")
TEAMMATE_POST = """[[smm.posts]]
id = "pulled-from-git"
platform = "instagram"
at = 2027-03-15T10:00:00
format = "image"
status = "draft"
title = "A teammate's post"

"""


class FakeLock:
    def __init__(self, path: Path, free: bool = True) -> None:
        self.path, self.free, self.held = path, free, False

    def acquire(self) -> bool:
        self.held = self.free
        return self.held

    def release(self) -> None:
        self.held = False

    def holder(self) -> str:
        return "process 4242"


def opened(path: Path, files: Files | None = None) -> Session:
    """A session on ``path`` after its first load, as the app's load worker and `_loaded` leave it."""
    session = Session(path, lambda: WHEN, files or Files(lock=FakeLock))
    loaded = load(path)
    opening = session.open(loaded)
    session.loaded(loaded, opening)
    return session


def journaled(path: Path) -> list[str] | None:
    found = recovery.read(path)
    return None if found is None else [edit.describe() for edit in found.edits]


def post_ids(path: Path) -> list[str]:
    return [post.id for post in PlanFile.open(path).plan.posts]


# -- the crash journal ---------------------------------------------------------------------------


def test_a_burst_of_edits_is_one_journal_write_and_nothing_is_written_while_recovered_edits_are_offered(sample) -> None:
    path = sample()
    session = opened(path)
    assert session.apply(SetField(ITEMS + (2,), "done", True, "tick meta-descriptions")) is None
    assert session.journal_delay() == JOURNAL_DELAY
    assert session.apply(SetField(("campaign",), "name", "Renamed")) is None
    assert session.journal_delay() is None  # already scheduled: one write for the burst
    assert session.journal_due()
    session.write_journal()
    assert journaled(path) == ["tick meta-descriptions", "set campaign.name"]

    again = opened(path)  # the next app finds them and offers them
    assert again.offering
    assert again.journal_delay() == JOURNAL_DELAY and not again.journal_due()
    again.write_journal()
    assert journaled(path) == ["tick meta-descriptions", "set campaign.name"]  # untouched until the user answers
    again.offer_answered()
    assert again.journal_due()


def test_a_save_settles_the_journal_before_it_reports_success(sample) -> None:
    path = sample()
    session = opened(path)
    session.apply(DeleteEntry(POSTS, 0, "delete ig-teaser-glaze"))
    session.write_journal()
    assert journaled(path) == ["delete ig-teaser-glaze"]
    plan_file = session.begin_save()
    outcome = session.save(plan_file)
    assert outcome.kind == "saved" and journaled(path) is None  # before the app hears of it
    session.saved(outcome)
    assert not session.saving and session.disk_told == plan_file.source.fingerprint


def test_a_journal_write_queued_before_a_save_and_run_after_it_writes_the_state_after_it(sample) -> None:
    path = sample()
    session = opened(path)
    session.apply(SetField(("campaign",), "name", "Saved name"))
    assert session.journal_delay() is not None  # queued ...
    session.saved(session.save(session.begin_save()))
    assert session.journal_due()  # ... and run after the save
    session.write_journal()
    assert journaled(path) is None
    session.apply(SetField(("campaign",), "objective", "Later"))
    session.write_journal()
    assert journaled(path) == ["set campaign.objective"]  # only what is really unsaved


def test_a_journal_whose_edits_are_already_in_the_file_is_never_offered(sample) -> None:
    """The app died between writing the plan and settling the journal: the journal names the save's result."""
    path = sample()
    session = opened(path)
    session.apply(DeleteEntry(POSTS, 0, "delete ig-teaser-glaze"))
    session.write_journal()
    plan_file = session.begin_save()
    plan_file.save(
        before_write=lambda result: session._mark(session.journal, plan_file, result)
    )  # no settling: killed here
    assert journaled(path) == ["delete ig-teaser-glaze"]

    again = opened(path)
    assert not again.offering and journaled(path) is None  # not offered, and gone
    assert post_ids(path)[0] == "tt-glaze-test"


def test_a_failed_save_keeps_the_journal_offering_the_edits(sample, monkeypatch: pytest.MonkeyPatch) -> None:
    path = sample()
    session = opened(path)
    session.apply(SetField(("campaign",), "name", "Unsaved"))
    session.write_journal()

    def disk_full(*args, **kwargs):
        raise SaveError(f"{path}: not saved: No space left on device")

    monkeypatch.setattr("planner.plan.plan_file.atomic_write", disk_full)
    outcome = session.saved(session.save(session.begin_save()))
    assert outcome.kind == "failed" and "No space left" in outcome.message
    assert not session.saving and session.plan_file.dirty
    assert journaled(path) == ["set campaign.name"]
    assert opened(path).offering  # the edits really are unsaved


def test_a_session_that_is_stopped_keeps_exactly_the_unsaved_edits(sample) -> None:
    path = sample()
    session = opened(path)
    session.apply(SetField(("campaign",), "name", "Saved"))
    session.saved(session.save(session.begin_save()))
    session.apply(SetField(("campaign",), "objective", "Unsaved"))
    assert session.journal_delay() is not None
    session.stopping()  # SIGTERM before the delay was up
    assert journaled(path) == ["set campaign.objective"]
    session.end_journal()  # leaving on purpose instead
    assert journaled(path) is None


def test_journal_failures_are_told_once(sample) -> None:
    session = opened(sample())
    assert session.journal_failed("disk full") == "Unsaved edits cannot be kept for recovery: disk full"
    assert session.journal_failed("disk full") is None


# -- editing, saving and save as -----------------------------------------------------------------


def test_edits_are_refused_while_read_only_saving_or_reloading(sample) -> None:
    session = opened(sample())
    edit = SetField(("campaign",), "name", "X")
    session.read_only = True
    assert session.apply(edit).endswith("shop-launch.toml is open in another planner; not changed.")
    assert session.begin_save() is None
    session.read_only = False
    assert session.begin_save() is not None
    assert session.apply(edit) == "Saving; try again in a moment."
    session.save_crashed()
    session.begin_reload()
    assert session.apply(edit) == "Reloading; try again in a moment."
    session.reloading = False
    assert session.apply(SetField(("campaign",), "timezone", "Not/AZone")).startswith("Not changed: ")
    assert session.apply(edit) is None


def test_a_conflict_is_what_the_user_is_asked_about_not_a_change_to_warn_of(sample) -> None:
    path = sample()
    session = opened(path)
    session.apply(SetField(("campaign",), "name", "Mine"))
    path.write_bytes(path.read_bytes().replace(b"# Owner: Lena", b"# Owners: Lena"))
    outcome = session.saved(session.save(session.begin_save()))
    assert outcome.kind == "conflict" and session.disk_told == outcome.disk is not None
    assert session.disk_checked(session.plan_file, None, outcome.disk) is None


def test_after_save_as_the_journal_and_the_lock_follow_the_new_file(sample, tmp_path: Path) -> None:
    path = sample()
    session = opened(path)
    old_lock = session.plan_lock
    session.apply(SetField(("campaign",), "name", "Elsewhere"))
    session.write_journal()
    other = tmp_path / "copy.toml"
    outcome = session.saved(session.save(session.begin_save(), path=other))
    assert outcome.kind == "saved" and outcome.new_name
    assert session.path == other and session.journal.plan == other
    assert session.plan_lock is not old_lock and session.plan_lock.held and not old_lock.held
    assert journaled(path) is None and journaled(other) is None
    session.apply(SetField(("campaign",), "objective", "After"))
    session.write_journal()
    assert journaled(other) == ["set campaign.objective"]


def test_a_plan_open_elsewhere_keeps_no_journal(sample) -> None:
    path = sample()
    session = opened(path, Files(lock=lambda p: FakeLock(p, free=False)))
    assert session.journal is None and session.journal_delay() is None
    session.apply(SetField(("campaign",), "name", "X"))
    session.write_journal()
    assert journaled(path) is None


# -- changes on disk -------------------------------------------------------------------------------


def test_what_a_change_on_disk_means(sample) -> None:
    path = sample()
    session = opened(path)
    plan_file = session.plan_file
    assert session.disk_checked(plan_file, (1, 2, 3), plan_file.source.fingerprint) is None  # what was read
    assert session.disk_state == (1, 2, 3)
    news = session.disk_checked(plan_file, (2, 2, 3), "pulled")
    assert news.kind == "ask" and news.message.endswith("shop-launch.toml changed on disk.")
    assert session.disk_checked(plan_file, (2, 2, 3), "pulled") is None  # told once
    assert session.disk_checked(plan_file, (3, 2, 3), "again", busy=True).kind == "warn"  # a dialog is open
    session.apply(SetField(("campaign",), "name", "Mine"))
    news = session.disk_checked(plan_file, (4, 2, 3), "once more")
    assert news.kind == "warn" and "your unsaved edits are kept. Saving will ask what to do." in news.message
    assert "no longer on disk" in session.disk_checked(plan_file, None, None).message
    session.begin_save()
    assert not session.watching() and session.disk_checked(plan_file, (5, 2, 3), "during the save") is None


def test_the_sessions_own_save_is_not_a_change_on_disk(sample) -> None:
    path = sample()
    session = opened(path)
    session.apply(SetField(("campaign",), "name", "Mine"))
    session.saved(session.save(session.begin_save()))
    assert session.disk_checked(session.plan_file, (9, 9, 9), recovery_fingerprint(path)) is None


def recovery_fingerprint(path: Path) -> str:
    return load(path).source.fingerprint


# -- recovered edits ---------------------------------------------------------------------------------


def crashed(path: Path, *edits) -> PlanFile:
    """An app that made ``edits`` and died: the plan unchanged, the journal written."""
    session = opened(path)
    for edit in edits:
        assert session.apply(edit) is None
    session.write_journal()
    return session.plan_file


def insert_at_top(path: Path) -> None:
    """A teammate's post, pulled from git, above the first post."""
    text = path.read_text("utf-8")
    at = text.index("[[smm.posts]]")
    path.write_text(text[:at] + TEAMMATE_POST + text[at:], "utf-8")


def test_a_restore_onto_a_plan_changed_on_disk_deletes_the_post_it_named(sample) -> None:
    path = sample()
    crashed(path, DeleteEntry(POSTS, 1, "delete tt-glaze-test"), SetField(POSTS + (0,), "title", "Retitled", "retitle"))
    insert_at_top(path)  # positions shift by one
    session = opened(path)
    assert session.offering
    loaded = load(path)
    restore = recovery.read(path).resolve(loaded.data)
    assert restore.why_not is None
    plan_file = PlanFile(loaded)
    plan_file.apply(restore.batch)
    ids = [post.id for post in plan_file.plan.posts]
    assert ids[:3] == [
        "pulled-from-git",
        "ig-teaser-glaze",
        "ig-behind-the-wheel",
    ]  # the named post went, not the teammate's
    assert plan_file.plan.posts[0].title == "A teammate's post" and plan_file.plan.posts[1].title == "Retitled"


def test_edits_that_no_longer_match_are_not_applied_and_named(sample) -> None:
    path = sample()
    crashed(
        path,
        SetField(("campaign",), "name", "Mine", "rename the campaign"),
        SetField(ITEMS + (2,), "done", True, "tick meta-descriptions"),
        DeleteEntry(POSTS, 0, "delete ig-teaser-glaze"),
    )
    text = path.read_text("utf-8").replace('name = "Tide collection launch"', 'name = "Theirs"')
    path.write_text(text.replace('id = "ig-teaser-glaze"', 'id = "ig-teaser-renamed"'), "utf-8")
    restore = recovery.read(path).resolve(load(path).data)
    assert restore.batch is None
    assert restore.refused == (
        "rename the campaign: campaign.name changed on disk",
        "delete ig-teaser-glaze: the entry with id 'ig-teaser-glaze' is gone",
    )


def test_a_restore_finds_moved_and_added_entries_by_name(sample) -> None:
    path = sample()
    before = crashed(
        path,
        MoveEntry(ITEMS, 0, 2, "move keyword-research"),
        AddEntry(ITEMS, {"id": "new-one", "title": "New", "category": "on-page", "done": False}, 1, "add new-one"),
        Batch((SetField(ITEMS + (1,), "done", True), SetField(ITEMS + (1,), "owner", "kim")), "tick and own new-one"),
    )
    restore = recovery.read(path).resolve(load(path).data)  # the file did not change: the same result
    plan_file = PlanFile.open(path)
    plan_file.apply(restore.batch)
    assert plan_file.render() == before.render()

    text = path.read_text("utf-8")
    at = text.index("[[smo.items]]")
    path.write_text(
        text[:at]
        + '[[smo.items]]\nid = "theirs"\ntitle = "Theirs"\ncategory = "on-page"\ndone = false\n\n'
        + text[at:],
        "utf-8",
    )
    restore = recovery.read(path).resolve(load(path).data)
    plan_file = PlanFile.open(path)
    plan_file.apply(restore.batch)
    ids = [item.id for item in plan_file.plan.smo_items]
    assert ids[:5] == ["theirs", "meta-titles", "new-one", "meta-descriptions", "keyword-research"]
    assert plan_file.plan.smo_items[2].done and plan_file.plan.smo_items[2].owner == "kim"


def test_an_added_entry_already_in_the_file_is_not_added_again(sample) -> None:
    path = sample()
    crashed(
        path,
        AddEntry(ITEMS, {"id": "new-one", "title": "New", "category": "on-page", "done": False}, None, "add new-one"),
    )
    text = path.read_text("utf-8")
    path.write_text(
        text + '\n[[smo.items]]\nid = "new-one"\ntitle = "New"\ncategory = "on-page"\ndone = false\n', "utf-8"
    )
    restore = recovery.read(path).resolve(load(path).data)
    assert restore.refused == ("add new-one: the entry with id 'new-one' is already there",)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 200_000 + b"]" * 200_000,  # nested 200,000 deep
        json.dumps(
            {
                "format": 2,
                "plan": "p",
                "fingerprint": "f",
                "written": "2027-03-10T12:00:00+00:00",
                "edits": [{"op": "delete", "array": ["smm", "posts"], "index": 1}],
            }
        )
        .encode()
        .replace(b'"index": 1', b'"index": 1e400'),
        b'{"format": 2, "edits": {"$table": 1}}',
        b"\x00" * 100,
    ],
    ids=["deep", "1e400", "wrong-shape", "binary"],
)
def test_a_journal_that_cannot_be_read_is_set_aside_told_and_the_plan_opens(sample, raw: bytes) -> None:
    path = sample()
    target = locations.journal_file(path)
    target.parent.mkdir(parents=True)
    target.write_bytes(raw)
    session = Session(path, lambda: WHEN, Files(lock=FakeLock))
    loaded = load(path)
    opening = session.open(loaded)
    session.loaded(loaded, opening)
    assert session.plan_file is not None and not opening.offer and not session.offering
    kept = list(target.parent.glob("*-damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == raw  # kept, not deleted
    assert not target.exists()
    assert (
        "recovered edits are damaged" in opening.notice
        and str(kept[0]) in opening.notice
        and "\n" not in opening.notice
    )


def test_a_journal_from_planner_1_still_restores_onto_the_same_file(sample) -> None:
    path = sample()
    plan_file = PlanFile.open(path)
    plan_file.apply(SetField(ITEMS + (2,), "done", True, "tick meta-descriptions"))
    raw = recovery.dumps(
        recovery.Recovered(str(path), plan_file.source.fingerprint, WHEN, tuple(plan_file.unsaved_edits()))
    )
    body = json.loads(raw)
    body["format"] = 1
    for edit in body["edits"]:
        del edit["expect"]
    del body["result"]
    found = recovery.loads(json.dumps(body).encode())
    assert found.resolve(load(path).data).batch is not None


def test_the_journal_state_reflects_undo_past_a_save(sample) -> None:
    path = sample()
    session = opened(path)
    session.apply(SetField(("campaign",), "name", "First"))
    session.saved(session.save(session.begin_save()))
    session.plan_file.undo()  # past the save: the file has "First", the plan does not
    session.write_journal()
    found = recovery.read(path)
    restore = found.resolve(load(path).data)
    fresh = PlanFile.open(path)
    fresh.apply(restore.batch)
    assert fresh.plan.campaign.name == "Tide collection launch"


def test_a_writer_holds_one_write_at_a_time(sample) -> None:
    writer = JournalWriter(sample())
    with writer.holding(), writer.holding():  # re-entrant for the save that writes inside it
        writer.write(None, WHEN)
    assert replace(recovery.JournalState((), (), "f"), result="g").result == "g"


def test_a_journal_that_reads_but_expects_nonsense_is_refused_not_a_crash(sample) -> None:
    path = sample()
    crashed(path, SetField(ITEMS + (2,), "done", True, "tick meta-descriptions"))
    target = locations.journal_file(path)
    body = json.loads(target.read_bytes())
    body["edits"][0]["expect"] = {"at": [["two", {"id": "x"}]], "old": None}
    target.write_text(json.dumps(body))
    session = opened(path)
    assert session.plan_file is not None and session.offering
    assert recovery.read(path).resolve(load(path).data).refused == ("tick meta-descriptions: its record is damaged",)


def test_a_first_load_that_failed_after_taking_the_lock_keeps_it_for_the_next(sample) -> None:
    path = sample()
    session = Session(path, lambda: WHEN, Files(lock=FakeLock))
    loaded = load(path)
    session.open(loaded)  # the worker died after this
    lock = session.plan_lock
    opening = session.open(loaded)
    assert opening.held and session.plan_lock is lock


# -- what the quit and recovery questions say about the unsaved edits ---------------------------------


def test_quitting_names_the_unsaved_edits_by_what_they_did_and_counts_read_right(sample) -> None:
    session = opened(sample())
    assert session.quit_question() is None  # nothing unsaved: quit at once
    session.apply(SetField(("campaign",), "name", "Tide", "rename the campaign"))
    assert session.quit_question() == "1 unsaved edit: renamed the campaign. Save it before quitting?"
    session.apply(
        AddEntry(
            POSTS,
            {"id": "going-live", "platform": "x", "at": dt.datetime(2027, 3, 20, 9)},
            label="add post “Going live”",
        )
    )
    assert (
        session.quit_question()
        == "2 unsaved edits: renamed the campaign; added post “Going live”. Save them before quitting?"
    )


def test_quitting_lists_three_edits_then_how_many_more(sample) -> None:
    session = opened(sample())
    for n in range(4):
        session.apply(SetField(ITEMS + (n,), "done", True, f"tick item {n}"))
    # Four are all named: "and 1 more" would take the room of the fourth.
    assert (
        session.quit_question()
        == "4 unsaved edits: ticked item 0; ticked item 1; ticked item 2; ticked item 3. Save them before quitting?"
    )
    session.apply(SetField(ITEMS + (4,), "done", True, "tick item 4"))
    assert (
        session.quit_question()
        == "5 unsaved edits: ticked item 0; ticked item 1; ticked item 2; and 2 more. Save them before quitting?"
    )


def test_a_saved_edit_undone_is_unsaved_as_taking_that_edit_back(sample) -> None:
    session = opened(sample())
    session.apply(SetField(("campaign",), "name", "Tide", "rename the campaign"))
    assert session.saved(session.save(session.begin_save())).kind == "saved"
    session.plan_file.undo()
    assert session.quit_question() == "1 unsaved edit: undid rename the campaign. Save it before quitting?"
    session.write_journal()
    assert journaled(session.path) == ["undo rename the campaign"]  # the offer after a crash says the same


def test_the_offer_of_recovered_edits_names_them_and_reads_right_for_one(sample) -> None:
    path = sample()
    crashed(path, SetField(("campaign",), "name", "Mine", "rename the campaign"))
    opening = Session(path, lambda: WHEN, Files(lock=FakeLock)).open(load(path))
    assert opening.offer
    assert opening.question("shop-launch.toml", "2027-03-10 13:30") == (
        "1 unsaved edit to shop-launch.toml from 2027-03-10 13:30 was kept when planner stopped without saving: renamed the campaign."
        " Restore it (ctrl+z takes the restore back) or discard it?"
    )


def test_the_offer_of_edits_that_no_longer_apply_says_why_for_each_count(sample) -> None:
    path = sample()
    crashed(
        path,
        SetField(("campaign",), "name", "Mine", "rename the campaign"),
        SetField(ITEMS + (0,), "done", True, "tick “Keyword research”"),
    )
    path.write_text(path.read_text("utf-8").replace('name = "Tide collection launch"', 'name = "Theirs"'), "utf-8")
    opening = Session(path, lambda: WHEN, Files(lock=FakeLock)).open(load(path))
    question = opening.question("shop-launch.toml", "2027-03-10 13:30")
    assert question.startswith(
        "2 unsaved edits to shop-launch.toml from 2027-03-10 13:30 were kept when planner stopped without saving: "
        "renamed the campaign; ticked “Keyword research”. The file changed on disk since, and they no longer apply (rename the campaign: "
    )
    assert question.endswith("Keep them aside in the state folder, or discard them?")
