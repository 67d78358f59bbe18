"""Saving: atomic, keeps the file's mode and links, notices other writers, and refuses bad output."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import stat
import threading
import tomllib
from pathlib import Path

import pytest
from conftest import SAMPLES

from planner.errors import SaveConflict, SaveError
from planner.plan import plan_file as plan_file_module
from planner.plan import storage
from planner.plan.edits import AddEntry, Batch, SetField
from planner.plan.plan_file import PlanFile

POSTS = ("smm", "posts")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "shop-launch.toml"
    shutil.copyfile(SAMPLES / "shop-launch.toml", path)
    return path


def retitle(plan_file: PlanFile, title: str = "Saved title") -> None:
    plan_file.apply(SetField((*POSTS, 0), "title", title))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- atomic -----------------------------------------------------------------------------


def test_a_failed_rename_leaves_the_file_and_the_edits(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    retitle(plan_file)

    def refuse(src, dst):  # noqa: ARG001
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", refuse)
    with pytest.raises(SaveError) as raised:
        plan_file.save()
    message = str(raised.value)
    assert "\n" not in message
    assert message == f"{plan}: not saved: No space left on device"
    assert plan.read_bytes() == original
    assert files_in(plan.parent) == [plan.name]  # no temporary file left behind
    assert plan_file.dirty
    assert plan_file.data["smm"]["posts"][0]["title"] == "Saved title"

    monkeypatch.undo()
    plan_file.save()
    assert tomllib.loads(plan.read_text("utf-8"))["smm"]["posts"][0]["title"] == "Saved title"
    assert not plan_file.dirty
    assert files_in(plan.parent) == [plan.name]


def test_a_failed_write_leaves_no_temporary_file(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    retitle(plan_file)

    def broken_fsync(fd):  # noqa: ARG001
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(storage.os, "fsync", broken_fsync)
    with pytest.raises(SaveError, match="Input/output error"):
        plan_file.save()
    assert plan.read_bytes() == original
    assert files_in(plan.parent) == [plan.name]


def test_an_error_message_is_always_one_line(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_file = PlanFile.open(plan)
    retitle(plan_file)

    def refuse(src, dst):  # noqa: ARG001
        raise OSError("first line\nsecond line")

    monkeypatch.setattr(storage.os, "replace", refuse)
    with pytest.raises(SaveError) as raised:
        plan_file.save()
    assert "\n" not in str(raised.value)


def test_a_folder_that_refuses_new_files_is_a_save_error(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    retitle(plan_file)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)
    with pytest.raises(SaveError) as raised:
        plan_file.save()
    assert str(raised.value) == f"{plan}: not saved: Permission denied"
    assert plan_file.dirty and plan.read_bytes() == original


# -- every fault while saving -------------------------------------------------------------


def _fail(code: int, text: str):
    def refuse(*args, **kwargs):
        raise OSError(code, text)

    return refuse


def _disk_full_part_way(real_write):
    def write(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))  # half of it reaches the disk, then it is full
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


def _symlink_swapped_in(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone replaces the plan with a link to another file (here with the very same bytes)."""
    other = plan.parent.parent / "elsewhere.toml"
    other.write_bytes(plan.read_bytes())
    plan.unlink()
    plan.symlink_to(other)


FAULTS = {
    "temp file cannot be created": (
        lambda plan, mp: mp.setattr(storage.tempfile, "mkstemp", _fail(errno.EMFILE, "Too many open files")),
        "Too many open files",
    ),
    "disk full part way": (
        lambda plan, mp: mp.setattr(storage.os, "write", _disk_full_part_way(os.write)),
        "No space left on device",
    ),
    "fsync fails": (
        lambda plan, mp: mp.setattr(storage.os, "fsync", _fail(errno.EIO, "Input/output error")),
        "Input/output error",
    ),
    "rename fails": (
        lambda plan, mp: mp.setattr(storage.os, "replace", _fail(errno.EXDEV, "Invalid cross-device link")),
        "Invalid cross-device link",
    ),
    "folder read-only": (
        lambda plan, mp: mp.setattr(storage.tempfile, "mkstemp", _fail(errno.EROFS, "Read-only file system")),
        "Read-only file system",
    ),
    "target replaced by a symlink": (_symlink_swapped_in, "it was replaced by a link to another file"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_fault_while_saving_leaves_the_file_the_edits_and_no_temporary_file(
    plan: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    inject, says = FAULTS[fault]
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    inject(plan, monkeypatch)
    on_disk = plan.read_bytes()  # through the link, when one was swapped in
    listing = files_in(plan.parent)
    with pytest.raises(SaveError) as raised:
        plan_file.save()
    message = str(raised.value)
    assert message.startswith(f"{plan}: not saved: ") and says in message and "\n" not in message
    assert plan.read_bytes() == on_disk  # byte-identical
    assert files_in(plan.parent) == listing  # no temporary file left behind
    assert plan_file.dirty and plan_file.data["smm"]["posts"][0]["title"] == "Saved title"
    assert plan_file.undo() is not None and not plan_file.dirty  # the history still works
    assert plan_file.render() == (SAMPLES / "shop-launch.toml").read_bytes()
    assert plan_file.redo() is not None and plan_file.dirty


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root writes into read-only folders")
def test_a_really_read_only_folder(plan: Path) -> None:
    original = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    plan.parent.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="Permission denied"):
            plan_file.save()
    finally:
        plan.parent.chmod(0o755)
    assert plan.read_bytes() == original and files_in(plan.parent) == [plan.name] and plan_file.dirty


def test_a_short_write_is_completed(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.write may write fewer bytes than asked; the rest is written too."""
    real_write = os.write
    monkeypatch.setattr(storage.os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    plan_file.save()
    assert plan.read_bytes() == plan_file.render() and not plan_file.dirty


# -- what is kept --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
def test_the_file_mode_is_kept(plan: Path, mode: int) -> None:
    plan.chmod(mode)
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    plan_file.save()
    assert stat.S_IMODE(plan.stat().st_mode) == mode


def test_a_new_file_gets_the_usual_mode(plan: Path, tmp_path: Path) -> None:
    plan_file = PlanFile.open(plan)
    target = tmp_path / "copy.toml"
    plan_file.save_as(target)
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 & ~umask


def test_a_symlinked_plan_is_written_through_the_link(plan: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(plan)
    plan_file = PlanFile.open(link)
    retitle(plan_file)
    plan_file.save()
    assert link.is_symlink()
    assert link.resolve() == plan.resolve()
    assert tomllib.loads(plan.read_text("utf-8"))["smm"]["posts"][0]["title"] == "Saved title"
    assert not plan_file.changed_on_disk()
    retitle(plan_file, "Saved again")  # the second save sees its own first save, not a conflict
    plan_file.save()
    assert link.is_symlink()
    assert tomllib.loads(plan.read_text("utf-8"))["smm"]["posts"][0]["title"] == "Saved again"


def test_a_relative_symlink_in_another_folder(plan: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    link = other / "plan.toml"
    link.symlink_to(os.path.relpath(plan, other))
    plan_file = PlanFile.open(link)
    retitle(plan_file)
    plan_file.save()
    assert link.is_symlink()
    assert files_in(other) == ["plan.toml"]
    assert files_in(plan.parent) == [plan.name]
    assert b"Saved title" in plan.read_bytes()


# -- other writers ------------------------------------------------------------------------------


def test_a_file_changed_on_disk_is_not_overwritten(plan: Path) -> None:
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    theirs = plan.read_bytes().replace(b"Tide collection launch", b"Tide launch (edited elsewhere)")
    plan.write_bytes(theirs)
    assert plan_file.changed_on_disk()
    with pytest.raises(SaveConflict):
        plan_file.save()
    assert plan.read_bytes() == theirs
    assert plan_file.dirty
    plan_file.save(force=True)
    saved = plan.read_bytes()
    assert b"Saved title" in saved and b"edited elsewhere" not in saved
    assert not plan_file.dirty and not plan_file.changed_on_disk()


def test_a_deleted_file_is_a_conflict_and_force_writes_it_again(plan: Path) -> None:
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    plan.unlink()
    with pytest.raises(SaveConflict):
        plan_file.save()
    assert not plan.exists()
    plan_file.save(force=True)
    assert b"Saved title" in plan.read_bytes()


def test_save_as_writes_a_new_file_and_follows_it(plan: Path, tmp_path: Path) -> None:
    original = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    target = tmp_path / "copy.toml"
    plan_file.save_as(target)
    assert plan.read_bytes() == original
    assert b"Saved title" in target.read_bytes()
    assert plan_file.path == target and not plan_file.dirty
    with pytest.raises(SaveError, match="already exists"):
        plan_file.save_as(plan)
    plan_file.save_as(plan, overwrite=True)
    assert plan.read_bytes() == target.read_bytes()


# -- dirty ----------------------------------------------------------------------------------------


def test_dirty_follows_save_undo_and_redo(plan: Path) -> None:
    plan_file = PlanFile.open(plan)
    assert not plan_file.dirty
    retitle(plan_file)
    assert plan_file.dirty
    plan_file.save()
    assert not plan_file.dirty
    plan_file.undo()
    assert plan_file.dirty
    plan_file.save()
    assert not plan_file.dirty
    assert plan.read_bytes() == (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file.redo()
    assert plan_file.dirty


# -- refusing bad output ---------------------------------------------------------------------------


def test_render_refuses_a_document_that_reads_back_differently(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    real_dumps = plan_file.document.dumps
    monkeypatch.setattr(plan_file.document, "dumps", lambda: real_dumps().replace("Saved title", "Something else"))
    with pytest.raises(SaveError, match="does not read back as edited"):
        plan_file.render()
    with pytest.raises(SaveError):
        plan_file.save()
    assert plan.read_bytes() == original
    assert files_in(plan.parent) == [plan.name]


def test_render_refuses_a_document_that_is_not_toml(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    real_dumps = plan_file.document.dumps
    monkeypatch.setattr(plan_file.document, "dumps", lambda: real_dumps() + "\n[[[broken\n")
    with pytest.raises(SaveError, match="would not be valid TOML") as raised:
        plan_file.render()
    assert "\n" not in str(raised.value)


def test_render_checks_the_bytes_as_written(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs on the encoded bytes: a line-ending conversion that broke a value is caught."""
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    monkeypatch.setattr(
        type(plan_file.source), "encode", lambda self, text: text.replace("Saved title", "Other").encode()
    )
    with pytest.raises(SaveError, match="does not read back"):
        plan_file.render()


def test_a_nan_among_unknown_keys_does_not_block_saving(tmp_path: Path) -> None:
    """``nan != nan``: the read-back check must not call a plan with a NaN changed (regression)."""
    text = (SAMPLES / "shop-launch.toml").read_text("utf-8").replace("schema = 1\n", "schema = 1\nx_ratio = nan\n")
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    plan_file = PlanFile.open(path)
    retitle(plan_file)
    plan_file.save()
    assert "x_ratio = nan\n" in path.read_text("utf-8")


@pytest.mark.parametrize("prepare", [False, True])
def test_an_edit_the_layout_cannot_take_is_refused_before_it_is_taken(tmp_path: Path, prepare: bool) -> None:
    """A table split across the file took edits in the data (the tree not built yet) that no save could write (issue 12 item 11)."""
    from planner.errors import EditError

    text = (SAMPLES / "shop-launch.toml").read_text("utf-8")
    text = text.replace("[smm]\n", "[smm]\n[smm.extra]\nx = 1\n[competitors_note]\ny = 2\n[smm.more]\nz = 3\n", 1)
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    plan_file = PlanFile.open(path)
    if prepare:
        plan_file.prepare()
    with pytest.raises(EditError, match=r"\[smm\] is split across the file; put its parts together"):
        plan_file.apply(SetField(("smm",), "start", dt.date(2027, 3, 15)))
    assert not plan_file.dirty
    plan_file.save()
    assert path.read_text("utf-8") == text
    plan_file.apply(SetField(("smm", "posts", 0), "title", "Edited"))  # what the tree can write is taken
    plan_file.save()
    saved = path.read_text("utf-8")
    assert [line for line in saved.splitlines() if line not in text.splitlines()] == ['title = "Edited"']


def test_a_lone_surrogate_is_refused_when_edited(plan: Path) -> None:
    plan_file = PlanFile.open(plan)
    from planner.errors import EditError

    with pytest.raises(EditError, match="cannot be saved"):
        plan_file.apply(SetField((*POSTS, 0), "title", "bad \ud800 text"))
    assert not plan_file.dirty
    assert plan_file.render() == plan.read_bytes()


# -- loading never writes ---------------------------------------------------------------------------


def test_loading_never_writes(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = plan.stat()
    original = plan.read_bytes()

    def no_writes(*args, **kwargs):
        raise AssertionError("loading wrote a file")

    monkeypatch.setattr(storage, "atomic_write", no_writes)
    monkeypatch.setattr(plan_file_module, "atomic_write", no_writes)
    plan_file = PlanFile.open(plan)
    plan_file.prepare()
    plan_file.render()
    plan_file.apply(AddEntry(POSTS, {"id": "x", "platform": "instagram", "at": dt.datetime(2027, 3, 20, 9)}))
    plan_file.undo()
    after = plan.stat()
    assert plan.read_bytes() == original
    assert (after.st_mtime_ns, after.st_ino, after.st_size) == (before.st_mtime_ns, before.st_ino, before.st_size)
    assert files_in(plan.parent) == [plan.name]


# -- a worker builds the tree while the user edits ----------------------------------------------------


def test_edits_made_while_a_worker_builds_the_tree_are_kept(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.plan.document import Document

    plan_file = PlanFile.open(plan)
    retitle(plan_file, "Before the tree")
    real_apply = Document.apply
    meanwhile: list[threading.Thread] = []

    def apply_with_an_edit_arriving(self, edit):
        if not meanwhile:  # the user edits from another thread while the worker replays
            thread = threading.Thread(target=plan_file.apply, args=(SetField((*POSTS, 1), "title", "Meanwhile"),))
            meanwhile.append(thread)
            thread.start()
            thread.join(timeout=0.2)
        return real_apply(self, edit)

    monkeypatch.setattr(Document, "apply", apply_with_an_edit_arriving)
    plan_file.prepare()
    meanwhile[0].join(timeout=10)
    assert not meanwhile[0].is_alive()
    saved = tomllib.loads(plan_file.render().decode("utf-8"))
    assert [post["title"] for post in saved["smm"]["posts"][:2]] == ["Before the tree", "Meanwhile"]
    plan_file.save()
    assert not plan_file.dirty
    while plan_file.undo() is not None:
        pass
    assert plan_file.render() == (SAMPLES / "shop-launch.toml").read_bytes()


def test_an_edit_made_while_saving_stays_unsaved(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_file = PlanFile.open(plan)
    retitle(plan_file)
    real_write = plan_file_module.atomic_write

    def write_while_the_user_edits(path, data):
        real_write(path, data)
        retitle(plan_file, "Typed during the save")

    monkeypatch.setattr(plan_file_module, "atomic_write", write_while_the_user_edits)
    plan_file.save()
    assert plan_file.dirty  # the second edit is not in the file
    assert b"Typed during the save" not in plan.read_bytes()
    monkeypatch.undo()
    plan_file.save()
    assert not plan_file.dirty and b"Typed during the save" in plan.read_bytes()


def test_a_tree_parsed_in_a_worker_is_installed_with_the_edits_made_meanwhile(plan: Path) -> None:
    from planner.plan.document import Document

    plan_file = PlanFile.open(plan)
    text = plan_file.source.text
    document = Document(text)  # in the app this runs in a worker thread
    retitle(plan_file, "Edited while parsing")
    assert plan_file.install_document(document, text)
    assert plan_file.document is document
    assert plan_file.install_document(Document(text), text) is False  # one tree only
    assert b'title = "Edited while parsing"' in plan_file.render()
    plan_file.undo()
    assert plan_file.render() == (SAMPLES / "shop-launch.toml").read_bytes()


def test_a_tree_parsed_from_an_older_text_is_not_installed(plan: Path) -> None:
    from planner.plan.document import Document

    plan_file = PlanFile.open(plan)
    stale = Document(plan_file.source.text)
    stale_text = plan_file.source.text
    retitle(plan_file)
    plan_file.save()  # the file's text changes
    other = PlanFile.open(plan)
    assert other.install_document(stale, stale_text) is False
    assert other.render() == plan.read_bytes()


@pytest.mark.parametrize("prepare", [False, True])
def test_a_split_table_the_tree_cannot_write_back_refuses_every_edit_before_it_is_taken(
    tmp_path: Path, prepare: bool
) -> None:
    """tomlkit moves ``[[x.c.f]]`` up to ``[x.d]``: the edit was taken, then no save could keep the other lines (issue 12 item 11)."""
    from test_reading import MINIMAL_PLAN

    from planner.errors import EditError

    text = MINIMAL_PLAN + "\n[x.d]\nk0 = 1\n\n[[y]]\nk1 = 1\n\n[[x.c.f]]\nk2 = 1\n"
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    plan_file = PlanFile.open(path)
    if prepare:
        plan_file.prepare()
    with pytest.raises(EditError) as refused:
        plan_file.apply(SetField(("campaign",), "name", "Renamed"))
    assert refused.value.message == (
        "cannot set campaign.name: [x] is split across the file (another table comes before its part at line 18); "
        "put all its parts together by hand to edit this plan in planner"
    )
    assert not plan_file.dirty
    plan_file.save()
    assert path.read_text("utf-8") == text


# -- field edits saved as text patches (planner.plan.patch) ------------------------------

PATCH_VALUES = {
    str: [
        "Plain",
        'A "quoted" title, with; commas',
        "back\\slash and 'single' quotes",
        "émoji 🎉 and tab\tin it",
        "nul\x00 del\x7f",
        "",
    ],
    int: [0, 7, -3],
    bool: [True, False],
    dt.datetime: [dt.datetime(2027, 3, 20, 9, 30), dt.datetime(2027, 4, 1, 0, 0, 5)],
    dt.date: [dt.date(2027, 3, 15)],
}


def _styled(text: str, style: str) -> str:
    import re

    if style == "tight":  # key="value" and comments after values
        return re.sub(r'^(\w+) = (".*"|\d+|true|false)$', r"\1=\2   # kept", text, flags=re.MULTILINE)
    if style == "literal":  # 'literal' strings where they can be
        return re.sub(r'^(\w+) = "([^"\\\']*)"$', r"\1 = '\2'", text, flags=re.MULTILINE)
    return text


@pytest.mark.parametrize("style", ["as written", "tight", "literal"])
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.toml")))
def test_a_field_patch_gives_the_bytes_of_the_tree(name: str, style: str) -> None:
    """Every plain field of every entry and table set to values of its type: the text patch is the tree's text, or is not taken."""
    import copy

    from planner.plan.document import Document
    from planner.plan.patch import fits, patched

    text = _styled((SAMPLES / name).read_text("utf-8"), style)
    data = tomllib.loads(text)
    document = Document(text)  # one tree: each edit's journal takes it back
    tables: list[tuple] = [(key,) for key, value in data.items() if isinstance(value, dict)]
    for top, value in data.items():
        for key, inner in value.items() if isinstance(value, dict) else [(None, value)]:
            entries = inner if isinstance(inner, list) and inner and all(isinstance(e, dict) for e in inner) else []
            tables += [
                (top, key, i) if key else (top, i) for i in sorted({0, 1, len(entries) - 1}) if 0 <= i < len(entries)
            ]
    taken = 0
    for table in tables:
        node = data
        for part in table:
            node = node[part]
        for key, old in node.items():
            for value in PATCH_VALUES.get(type(old), [])[:2]:
                edit = SetField(table, key, value)
                changed = copy.deepcopy(data)
                target = changed
                for part in table:
                    target = target[part]
                target[key] = value
                fast = patched(text, [edit], changed)
                assert fits(text, [edit], changed) == (
                    fast is not None
                )  # what the app asks after each edit, without the copy
                if fast is None:
                    continue
                journal = document.apply(edit)
                assert fast == document.dumps(), (table, key, value)
                journal.revert()
                assert tomllib.loads(fast) == changed
                taken += 1
    assert taken > 30  # the patch is taken for most fields
    chain = [SetField(table, "title", f"Title {n}") for n, table in enumerate(tables) if "title" in str(data)]
    chain = [edit for edit in chain if isinstance(_at(data, edit.table).get("title"), str)][:8]
    changed = copy.deepcopy(data)
    for edit in chain:
        _at(changed, edit.table)["title"] = edit.value
    fast = patched(text, chain * 2, changed)  # each field set twice: the second patch is where the first left it
    assert len(chain) >= 3 and fast is not None
    journal = document.apply(Batch(tuple(chain * 2)))
    assert fast == document.dumps()
    journal.revert()


def _at(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def test_field_edits_are_saved_without_building_the_tree(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.plan import document

    expected_file = PlanFile.open(plan)
    edits = [
        SetField((*POSTS, 0), "title", 'A "new" title'),
        SetField((*POSTS, 2), "status", "draft"),
        SetField((*POSTS, 1), "at", dt.datetime(2027, 3, 22, 11, 0)),
        SetField(("smo", "items", 0), "done", False),
    ]
    for edit in edits:
        expected_file.apply(edit)
    expected = expected_file.document.dumps()

    def no_tree(*args, **kwargs):
        raise AssertionError("the tree was built")

    monkeypatch.setattr(document.Document, "__init__", no_tree)
    plan_file = PlanFile.open(plan)
    for edit in edits:
        plan_file.apply(edit)
        assert plan_file.saves_without_tree()
    plan_file.save()
    assert plan.read_text("utf-8") == expected
    assert plan_file.undo() is not None and plan_file.saves_without_tree()
    plan_file.save()  # the undone edit's inverse is a field edit too
    assert tomllib.loads(plan.read_text("utf-8"))["smo"]["items"][0]["done"] is True
    plan_file.apply(
        AddEntry(("smm", "posts"), {"id": "x", "platform": "instagram", "at": dt.datetime(2027, 3, 20, 10)}, index=0)
    )
    assert not plan_file.saves_without_tree()  # an entry added in the middle needs the tree
