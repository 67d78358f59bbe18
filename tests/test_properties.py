"""Property tests for the editing core: any sequence of edits stays valid, undoes and redoes exactly."""

from __future__ import annotations

import collections
import copy
import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_reading import MINIMAL_PLAN

from planner.errors import EditError
from planner.plan.edits import AddEntry, Batch, DeleteEntry, Edit, MoveEntry, SetField, apply_to_data
from planner.plan.model import FORMATS, STATUSES
from planner.plan.plan_file import PlanFile
from planner.plan.schema import AUDIT_RULES, read_plan

SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.toml"))


def trimmed(text: str, keep: int = 8) -> str:
    """A sample cut to its first ``keep`` entries of each array (section comments included).

    Smaller plans keep each example fast, and make emptying an array likely.
    """
    out, counts, dropping = [], {}, False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            header = line.strip()
            counts[header] = counts.get(header, 0) + 1
            dropping = header.startswith("[[") and counts[header] > keep
        if not dropping:
            out.append(line)
    return "".join(out)


SAMPLE_BYTES = {name: trimmed((SAMPLES / name).read_text("utf-8")).encode("utf-8") for name in SAMPLE_NAMES}
POSTS = ("smm", "posts")
ITEMS = ("smo", "items")
PLATFORMS = ("smm", "platforms")
COMPETITORS = ("competitors",)
BUILTIN_PLATFORMS = ("x", "linkedin", "instagram", "facebook", "tiktok", "pinterest", "youtube", "bluesky")

SETTINGS = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- values --------------------------------------------------------------------------

TRICKY = [
    '"',
    "'",
    '"""',
    "'''",
    '""""',
    "''''",
    "\\",
    "\\\\",
    "\\n",
    "\\u0041",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ud7ff",
    "\U0001f30a",
    "#",
    " # not a comment",
    "[[smm.posts]]",
    "[smm]",
    "key = 1",
    "=",
    "}",
    "]",
    "é",
    "e\u0301",
    "${HOME}",
    "[bold]x[/bold]",
]


def texts(min_size: int = 0) -> st.SearchStrategy[str]:
    """Any text a user could type or paste: all of Unicode, control characters, quotes and friends."""
    pieces = st.one_of(
        st.sampled_from(TRICKY), st.text(max_size=12), st.text(st.characters(max_codepoint=0x7F), max_size=12)
    )
    joined = st.lists(pieces, max_size=8).map("".join)
    return st.one_of(
        st.text(),
        joined,
        joined.map(lambda s: s + "\\"),  # trailing backslash
        joined.map(lambda s: s + '"'),  # trailing quote
        joined.map(lambda s: s + "'"),
        joined.map(lambda s: "\n" + s),  # leading newline (trimmed by TOML after \"\"\")
        st.sampled_from(["x" * 5000, ("word " * 900) + '"', "\n".join(["line"] * 300)]),  # very long
    ).filter(lambda s: len(s) >= min_size and (not min_size or s.strip()))


SLUGS = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)
DATETIMES = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))

# -- edits ---------------------------------------------------------------------------------


def entries(data: dict, array: tuple) -> list[dict]:
    node: Any = data
    for part in array:
        if not isinstance(node, dict) or part not in node:
            return []
        node = node[part]
    return node if isinstance(node, list) else []


def fresh_id(draw, data: dict, array: tuple) -> str:
    taken = {entry.get("id") for entry in entries(data, array)}
    return draw(SLUGS.filter(lambda s: s not in taken))


def platform_names(data: dict) -> list[str]:
    return sorted({*BUILTIN_PLATFORMS, *(p.get("name") for p in entries(data, PLATFORMS))})


def post_field(draw, data: dict) -> tuple[str, Any]:
    key = draw(
        st.sampled_from(
            ["title", "text", "notes", "link", "status", "format", "platform", "at", "tags", "id", "x_unknown"]
        )
    )
    if key in ("title", "text", "notes", "link", "x_unknown"):
        return key, draw(st.one_of(texts(), st.none()))
    if key == "status":
        return key, draw(st.sampled_from([*STATUSES, None]))
    if key == "format":
        return key, draw(st.sampled_from([*FORMATS, "custom format", None]))
    if key == "platform":
        return key, draw(st.sampled_from(platform_names(data)))
    if key == "at":
        return key, draw(DATETIMES)
    if key == "tags":
        return key, draw(st.one_of(st.none(), st.lists(texts(), max_size=4)))
    return key, fresh_id(draw, data, POSTS)


def item_field(draw, data: dict) -> tuple[str, Any]:
    key = draw(st.sampled_from(["title", "category", "owner", "url", "notes", "done", "done_on", "audit", "id"]))
    if key == "title":
        return key, draw(texts(min_size=1))
    if key in ("category", "owner", "url", "notes"):
        return key, draw(st.one_of(texts(), st.none()))
    if key == "done":
        return key, draw(st.booleans())
    if key == "done_on":
        return key, draw(st.one_of(DATES, st.none()))
    if key == "audit":
        return key, draw(st.sampled_from([*AUDIT_RULES, None]))
    return key, fresh_id(draw, data, ITEMS)


def competitor_field(draw, data: dict) -> tuple[str, Any]:
    key = draw(st.sampled_from(["name", "notes", "strengths", "cadence", "handles"]))
    if key == "name":
        return key, draw(texts(min_size=1))
    if key == "handles":
        return key, draw(st.dictionaries(st.sampled_from(BUILTIN_PLATFORMS), texts(), max_size=4))
    return key, draw(st.one_of(texts(), st.none()))


def new_post(draw, data: dict) -> dict:
    post = {
        "id": fresh_id(draw, data, POSTS),
        "platform": draw(st.sampled_from(platform_names(data))),
        "at": draw(DATETIMES),
        "status": draw(st.sampled_from(STATUSES)),
        "title": draw(texts()),
        "text": draw(texts()),
    }
    if draw(st.booleans()):
        post["tags"] = draw(st.lists(texts(), max_size=3))
    return post


def an_edit(draw, data: dict, *, batch: bool = False) -> Edit:
    """One random edit of ``data`` that keeps it a valid plan (most of the time); with ``batch``, a `Batch`."""
    kinds = ["set", "set", "set", "add", "delete", "move", "batch"]
    kind = "batch" if batch else draw(st.sampled_from(kinds))
    if kind == "batch":  # several edits as one step; each is drawn against the data the previous ones leave
        scratch = copy.deepcopy(data)
        parts: list[Edit] = []
        for _ in range(draw(st.integers(1, 3))):
            part = an_edit(draw, scratch)
            try:
                apply_to_data(scratch, part)
            except EditError:
                break
            parts.append(part)
        return Batch(tuple(parts), "batch")
    array = draw(st.sampled_from([POSTS, POSTS, ITEMS, COMPETITORS, PLATFORMS]))
    current = entries(data, array)
    if kind == "add" or not current:
        if array == POSTS:
            value = new_post(draw, data)
        elif array == ITEMS:
            value = {"id": fresh_id(draw, data, ITEMS), "title": draw(texts(min_size=1)), "done": draw(st.booleans())}
        elif array == COMPETITORS:
            value = {"name": draw(texts(min_size=1)), "handles": {"x": draw(texts())}}
        else:
            taken = {p.get("name") for p in current}
            free = [name for name in BUILTIN_PLATFORMS if name not in taken]
            if not free:
                return SetField(("smm",), "start", draw(st.one_of(DATES, st.none())))
            value = {"name": draw(st.sampled_from(free)), "cadence": draw(st.integers(0, 9))}
        index = draw(st.one_of(st.none(), st.integers(0, len(current))))
        return AddEntry(array, value, index)
    index = draw(st.integers(0, len(current) - 1))
    if kind == "delete":
        return DeleteEntry(array, index)
    if kind == "move":
        return MoveEntry(array, index, draw(st.integers(0, len(current) - 1)))
    if array == POSTS:
        key, value = post_field(draw, data)
    elif array == ITEMS:
        key, value = item_field(draw, data)
    elif array == COMPETITORS:
        key, value = competitor_field(draw, data)
    else:
        choice = draw(st.sampled_from(["why", "handle", "cadence", "start", "name"]))
        if choice == "start":
            return SetField(("smm",), "start", draw(st.one_of(DATES, st.none())))
        if choice == "cadence":
            key, value = "cadence", draw(st.integers(0, 20))
        elif choice == "name":
            key, value = "name", draw(st.sampled_from(BUILTIN_PLATFORMS))
        else:
            key, value = choice, draw(st.one_of(texts(), st.none()))
    return SetField((*array, index), key, value)


def apply_or_skip(plan_file: PlanFile, edit: Edit, before: bytes | None = None) -> bool:
    """Apply ``edit``; an `EditError` must leave the plan exactly as it was (``before``, if known)."""
    try:
        plan_file.apply(edit)
    except EditError as error:
        # Only the plan's rules may refuse an edit; the document must take every valid one.
        assert not str(error).startswith("cannot apply"), error
        if before is not None:
            assert plan_file.render() == before
            assert plan_file.data == tomllib.loads(before.decode("utf-8").removeprefix("\ufeff"))
        return False
    return True


def reads_back(plan_file: PlanFile, *, check: bool = True) -> bytes:
    """The rendered bytes, which must read back (with tomllib) as exactly the plan's data.

    `PlanFile.render` itself refuses bytes that do not read back; ``check``
    repeats that independently here (skipped between steps to keep the
    suite fast, always done at the end of a sequence).
    """
    rendered = plan_file.render()
    if check:
        data = tomllib.loads(rendered.decode("utf-8").removeprefix("\ufeff"))
        assert data == plan_file.data
    return rendered


# -- (a) edit sequences -------------------------------------------------------------------------


def _compact(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if line.strip())


def _indented(text: str) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        out.append(("  " + line) if line.startswith(("[[", "id =", "name =", "title =", "#")) else line)
    return "".join(out)


def _commented(text: str) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith("[["):
            out.append("# about the next entry\n#\n")
            out.append(line.rstrip("\n") + "   # header comment\n")
        elif line.startswith("id = "):
            out.append(line.rstrip("\n") + "  # the id\n")
        else:
            out.append(line)
    return "".join(out)


def _nested(text: str) -> str:
    """Posts with a dotted key and (all but the last) with a sub-table: unknown content inside entries."""
    text = re.sub(r'(\[\[smm\.posts\]\]\nid = "[^"]*"\n)', r"\1meta.rev = 1\n", text)
    parts = text.split("\n\n[[smm.posts]]")
    return parts[0] + "\n\n[[smm.posts]]" + "\n[smm.posts.extra]\nnote = 'x'\n\n[[smm.posts]]".join(parts[1:])


VARIANTS = {
    "nested": lambda b: _nested(b.decode()).encode(),
    "as-is": lambda b: b,
    "crlf-bom": lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"),
    "compact": lambda b: _compact(b.decode()).encode(),
    "indented": lambda b: _indented(b.decode()).encode(),
    "commented": lambda b: _commented(b.decode()).encode(),
    "no-final-newline": lambda b: b.rstrip(b"\n"),
    "blank-lines-with-spaces": lambda b: b.replace(b"\n\n", b"\n  \t\n\n"),
    "mixed-line-endings": lambda b: b.replace(b'"\n', b'"\r\n'),
}


@SETTINGS
@given(
    data=st.data(),
    name=st.sampled_from(SAMPLE_NAMES),
    variant=st.sampled_from(sorted(VARIANTS)),
    prepare=st.booleans(),
    steps=st.integers(1, 12),
)
def test_any_edit_sequence_reads_back_and_undoes_exactly(
    tmp_path_factory, data, name: str, variant: str, prepare: bool, steps: int
) -> None:
    path = tmp_path_factory.mktemp("plan") / name
    original = VARIANTS[variant](SAMPLE_BYTES[name])
    path.write_bytes(original)
    plan_file = PlanFile.open(path)
    if prepare:
        plan_file.prepare()
    applied = 0
    rendered = original
    for _ in range(steps):
        edit = an_edit(data.draw, plan_file.data)
        if apply_or_skip(plan_file, edit, rendered):
            applied += 1
            rendered = reads_back(plan_file, check=False)
    direct = reads_back(plan_file)

    for _ in range(applied):
        assert plan_file.undo() is not None
    assert plan_file.undo() is None
    assert plan_file.render() == original
    assert plan_file.data == tomllib.loads(original.decode("utf-8").removeprefix("\ufeff"))

    for _ in range(applied):
        assert plan_file.redo() is not None
    assert plan_file.redo() is None
    assert plan_file.render() == direct


def read_alone(edit: Edit, before: list, after: list, posts_before: int) -> bool:
    """Whether `PlanFile` must take ``edit`` without reading the whole plan (`schema.reread_entry`'s contract).

    That is: field edits of one checklist item or post that has no problem
    (``before`` and ``after`` are the problems read in full), or posts added at
    the end that have none.
    """
    parts = edit.edits if isinstance(edit, Batch) else (edit,)
    if parts and all(isinstance(p, AddEntry) and p.index is None and tuple(p.array) == POSTS for p in parts):
        return not any(p.path[:2] == POSTS and len(p.path) > 2 and p.path[2] >= posts_before for p in after)
    tables = {p.table if isinstance(p, SetField) else None for p in parts}
    if len(tables) != 1 or None in tables:
        return False
    table = tables.pop()
    if len(table) != 3 or table[:2] not in (ITEMS, POSTS):
        return False
    return not any(p.path[:3] == table for p in [*before, *after])


def spy_on_full_reads(patch: pytest.MonkeyPatch) -> list[dict]:
    """The data of each whole-plan read `PlanFile` makes from now on."""
    from planner.plan import plan_file as plan_file_module

    reads: list[dict] = []
    patch.setattr(plan_file_module, "read_plan", lambda data: reads.append(data) or read_plan(data))
    return reads


@settings(SETTINGS, max_examples=examples(30))
@given(data=st.data(), name=st.sampled_from(SAMPLE_NAMES), steps=st.integers(1, 12))
def test_an_edit_reads_only_its_entry_again_and_gets_what_reading_it_all_gets(
    tmp_path_factory, data, name: str, steps: int
) -> None:
    # PlanFile re-reads a single edited post or item (schema.reread_entry); the plan
    # and the problems must be exactly what reading the whole plan gives, and the
    # whole plan must not be read (a spy sees every read PlanFile makes).
    path = tmp_path_factory.mktemp("plan") / name
    path.write_bytes(SAMPLE_BYTES[name])
    plan_file = PlanFile.open(path)
    done: list[tuple[Edit, bool]] = []
    with pytest.MonkeyPatch.context() as patch:
        full_reads = spy_on_full_reads(patch)
        for _ in range(steps):
            edit = an_edit(data.draw, plan_file.data)
            before, posts_before = plan_file.problems, len(plan_file.plan.posts)
            full_reads.clear()
            if apply_or_skip(plan_file, edit):
                alone = read_alone(edit, before, plan_file.problems, posts_before)
                assert not (alone and full_reads), f"{edit} read the whole plan"
                fields_only = all(
                    isinstance(part, SetField) for part in (edit.edits if isinstance(edit, Batch) else (edit,))
                )
                done.append((edit, alone and fields_only))  # undoing field edits sets fields; undoing an add deletes
            assert (plan_file.plan, plan_file.problems) == read_plan(plan_file.data)
        for edit, alone in reversed(done):
            full_reads.clear()
            plan_file.undo()
            assert not (alone and full_reads), f"undoing {edit} read the whole plan"
            assert (plan_file.plan, plan_file.problems) == read_plan(plan_file.data)


def test_the_spy_sees_a_full_read_and_a_title_edit_reads_only_its_post(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(SAMPLE_BYTES["shop-launch.toml"])
    plan_file = PlanFile.open(path)
    full_reads = spy_on_full_reads(monkeypatch)
    plan_file.apply(SetField((*POSTS, 1), "title", "A new title"))
    plan_file.undo()
    plan_file.apply(AddEntry(POSTS, {**plan_file.data["smm"]["posts"][0], "id": "added-at-the-end"}))
    assert full_reads == []
    plan_file.undo()  # deletes the post: read in full
    assert len(full_reads) == 1


@settings(SETTINGS, max_examples=examples(12))
@given(data=st.data(), name=st.sampled_from(SAMPLE_NAMES), steps=st.integers(1, 8))
def test_a_lazily_built_tree_replays_to_the_same_bytes(tmp_path_factory, data, name: str, steps: int) -> None:
    """Edits made before the tomlkit tree exists give the same file as edits made after."""
    folder = tmp_path_factory.mktemp("plan")
    (folder / "a.toml").write_bytes(SAMPLE_BYTES[name])
    (folder / "b.toml").write_bytes(SAMPLE_BYTES[name])
    lazy, eager = PlanFile.open(folder / "a.toml"), PlanFile.open(folder / "b.toml")
    eager.prepare()
    for _ in range(steps):
        edit = an_edit(data.draw, lazy.data)
        if apply_or_skip(lazy, edit):
            eager.apply(edit)
    assert lazy.render() == eager.render()


STRUCTURAL = [POSTS, ITEMS, COMPETITORS, PLATFORMS]

# -- random valid plans ---------------------------------------------------------------------------


@st.composite
def random_plans(draw) -> list[Edit]:
    """The edits that build a random valid plan from `MINIMAL_PLAN`: campaign fields, then entries of every kind."""
    data = tomllib.loads(MINIMAL_PLAN)
    edits: list[Edit] = []

    def take(edit: Edit) -> None:
        try:
            apply_to_data(data, edit)
        except EditError:
            return
        edits.append(edit)

    for key in draw(st.lists(st.sampled_from(["objective", "site"]), unique=True)):
        take(SetField(("campaign",), key, draw(texts())))
    take(SetField(("campaign",), "name", draw(texts(min_size=1))))
    for _ in range(draw(st.integers(0, 4))):
        take(
            AddEntry(
                ITEMS,
                {
                    "id": fresh_id(draw, data, ITEMS),
                    "title": draw(texts(min_size=1)),
                    "category": draw(texts()),
                    "done": draw(st.booleans()),
                    "notes": draw(texts()),
                },
            )
        )
    names = draw(st.lists(st.sampled_from(BUILTIN_PLATFORMS), unique=True, max_size=3))
    for name in names:
        take(
            AddEntry(
                PLATFORMS,
                {"name": name, "handle": draw(texts()), "why": draw(texts()), "cadence": draw(st.integers(0, 9))},
            )
        )
    for _ in range(draw(st.integers(0, 4))):
        take(AddEntry(POSTS, new_post(draw, data)))
    for _ in range(draw(st.integers(0, 2))):
        take(
            AddEntry(
                COMPETITORS,
                {
                    "name": draw(texts(min_size=1)),
                    "notes": draw(texts()),
                    "handles": draw(st.dictionaries(st.sampled_from(BUILTIN_PLATFORMS), texts(), max_size=2)),
                },
            )
        )
    return edits


@settings(SETTINGS, max_examples=examples(25))
@given(edits=random_plans(), batched=st.booleans())
def test_a_random_valid_plan_saves_and_loads_as_the_same_model(
    tmp_path_factory, edits: list[Edit], batched: bool
) -> None:
    path = tmp_path_factory.mktemp("plan") / "random.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")
    plan_file = PlanFile.open(path)
    for edit in [Batch(tuple(edits))] if batched else edits:
        apply_or_skip(plan_file, edit)
    plan_file.save()
    reopened = PlanFile.open(path)
    assert reopened.plan == plan_file.plan
    assert reopened.data == plan_file.data
    saved = path.read_bytes()
    reopened.save()  # and saving it again, unchanged, keeps the bytes
    assert path.read_bytes() == saved


@settings(SETTINGS, max_examples=examples(20))
@given(
    data=st.data(),
    name=st.sampled_from(SAMPLE_NAMES),
    variant=st.sampled_from(sorted(VARIANTS)),
    steps=st.integers(5, 30),
)
def test_adding_deleting_and_moving_entries_undoes_exactly(
    tmp_path_factory, data, name: str, variant: str, steps: int
) -> None:
    """Structural churn on small arrays: empty them, refill them, move things across section comments."""
    path = tmp_path_factory.mktemp("plan") / name
    original = VARIANTS[variant](SAMPLE_BYTES[name])
    path.write_bytes(original)
    plan_file = PlanFile.open(path)
    plan_file.prepare()
    applied = 0
    rendered = original
    for _ in range(steps):
        array = data.draw(st.sampled_from([COMPETITORS, PLATFORMS, POSTS, ITEMS]))
        current = entries(plan_file.data, array)
        kind = data.draw(st.sampled_from(["delete", "delete", "move", "add"])) if current else "add"
        if kind == "delete":
            edit: Edit = DeleteEntry(array, data.draw(st.integers(-len(current), len(current) - 1)))
        elif kind == "move":
            edit = MoveEntry(
                array, data.draw(st.integers(0, len(current) - 1)), data.draw(st.integers(0, len(current) - 1))
            )
        else:
            edit = an_edit(data.draw, plan_file.data)
            if not isinstance(edit, AddEntry):
                continue
        if apply_or_skip(plan_file, edit, rendered):
            applied += 1
            rendered = reads_back(plan_file, check=False)
    direct = plan_file.render()
    while plan_file.undo() is not None:
        pass
    assert plan_file.render() == original
    while plan_file.redo() is not None:
        pass
    assert plan_file.render() == direct


def layout_problems(text: str) -> list[str]:
    """Breaks of the samples' layout: a header glued to the line above, a double blank line, a bad end."""
    problems = []
    lines = text.split("\n")
    for number, line in enumerate(lines[1:], start=1):
        if line.startswith("[") and lines[number - 1] and not lines[number - 1].startswith("#"):
            problems.append(f"line {number + 1}: header right under {lines[number - 1]!r}")
    if "\n\n\n" in text:
        problems.append("two blank lines in a row")
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append("the file does not end with exactly one newline")
    return problems


PLAIN = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=20).filter(str.strip)


@settings(SETTINGS, max_examples=examples(20))
@given(data=st.data(), name=st.sampled_from(SAMPLE_NAMES), steps=st.integers(5, 30))
def test_structural_edits_keep_the_canonical_layout(tmp_path_factory, data, name: str, steps: int) -> None:
    """With one-line values, any adds, deletes and moves keep blank lines between entries, and only one."""
    path = tmp_path_factory.mktemp("plan") / name
    path.write_bytes(SAMPLE_BYTES[name])
    plan_file = PlanFile.open(path)
    for _ in range(steps):
        array = data.draw(st.sampled_from([COMPETITORS, PLATFORMS, POSTS, ITEMS]))
        current = entries(plan_file.data, array)
        kind = data.draw(st.sampled_from(["delete", "delete", "move", "add"])) if current else "add"
        if kind == "delete":
            edit: Edit = DeleteEntry(array, data.draw(st.integers(0, len(current) - 1)))
        elif kind == "move":
            edit = MoveEntry(
                array, data.draw(st.integers(0, len(current) - 1)), data.draw(st.integers(0, len(current) - 1))
            )
        elif array == POSTS:
            edit = AddEntry(
                array,
                {
                    "id": fresh_id(data.draw, plan_file.data, POSTS),
                    "platform": "x",
                    "at": data.draw(DATETIMES),
                    "title": data.draw(PLAIN),
                },
                data.draw(st.one_of(st.none(), st.integers(0, len(current)))),
            )
        elif array == ITEMS:
            edit = AddEntry(
                array,
                {"id": fresh_id(data.draw, plan_file.data, ITEMS), "title": data.draw(PLAIN)},
                data.draw(st.one_of(st.none(), st.integers(0, len(current)))),
            )
        elif array == COMPETITORS:
            edit = AddEntry(
                array, {"name": data.draw(PLAIN)}, data.draw(st.one_of(st.none(), st.integers(0, len(current))))
            )
        else:
            free = [n for n in BUILTIN_PLATFORMS if n not in {p["name"] for p in current}]
            if not free:
                continue
            edit = AddEntry(array, {"name": data.draw(st.sampled_from(free))})
        apply_or_skip(plan_file, edit)
        assert layout_problems(plan_file.render().decode("utf-8")) == []


# -- (b) any text in any text field ----------------------------------------------------------------

TEXT_FIELDS = [
    (("campaign",), "name", True),
    (("campaign",), "objective", False),
    (("campaign",), "site", False),
    ((*ITEMS, 0), "title", True),
    ((*ITEMS, 0), "notes", False),
    ((*ITEMS, -1), "owner", False),
    ((*ITEMS, -1), "url", False),
    ((*ITEMS, 2), "category", False),
    ((*PLATFORMS, 0), "why", False),
    ((*PLATFORMS, 0), "label", False),
    ((*PLATFORMS, -1), "handle", False),
    ((*POSTS, 0), "title", False),
    ((*POSTS, 0), "text", False),
    ((*POSTS, 1), "notes", False),
    ((*POSTS, -1), "link", False),
    ((*POSTS, 2), "format", True),
    ((*COMPETITORS, 0), "name", True),
    ((*COMPETITORS, -1), "notes", False),
    ((*COMPETITORS, 0), "strengths", False),
    ((*COMPETITORS, -1), "cadence", False),
]


@settings(SETTINGS, max_examples=examples(25))
@given(
    name=st.sampled_from(SAMPLE_NAMES), values=st.lists(texts(), min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS))
)
def test_any_text_in_every_text_field_saves_and_loads_back(tmp_path_factory, name: str, values: list[str]) -> None:
    path = tmp_path_factory.mktemp("plan") / name
    path.write_bytes(SAMPLE_BYTES[name])
    plan_file = PlanFile.open(path)
    wanted = {}
    for (table, key, required), value in zip(TEXT_FIELDS, values):
        if table[-1] == -1:
            table = (*table[:-1], len(entries(plan_file.data, table[:-1])) - 1)
        if required and not value.strip():
            with pytest.raises(EditError):
                plan_file.apply(SetField(table, key, value))
            continue
        plan_file.apply(SetField(table, key, value))
        wanted[(table, key)] = value
    plan_file.save()
    reopened = PlanFile.open(path)
    assert reopened.data == plan_file.data
    for (table, key), value in wanted.items():
        node: Any = reopened.data
        for part in table:
            node = node[part]
        assert node[key] == value


# -- (c) unknown keys and comments between entries survive edits elsewhere ---------------------------

HEADER = re.compile(r"^\[\[(smo\.items|smm\.posts|smm\.platforms|competitors)\]\]$")
CHUNKS = [
    "# injected comment {n}\n",
    "x_injected_{n} = {n}\n",
    "\n# injected section {n}\n\n",
    'x_injected_{n} = "v{n}"  # injected trailing comment {n}\n',
    "# injected a{n}\n# injected b{n}\n",
]


def inject(text: str, picks: list[tuple[int, int]]) -> tuple[str, list[str], set[int]]:
    """Insert chunks just above entry headers; return the text, the injected lines and the lines' positions."""
    lines = text.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if HEADER.match(line.rstrip("\n"))]
    chosen: dict[int, str] = {}
    for n, (header_pick, chunk_pick) in enumerate(picks):
        at = headers[header_pick % len(headers)]
        chosen[at] = chosen.get(at, "") + CHUNKS[chunk_pick % len(CHUNKS)].format(n=n)
    out, injected = [], []
    for i, line in enumerate(lines):
        if i in chosen:
            out.append(chosen[i])
            injected += [piece for piece in chosen[i].splitlines(keepends=True) if piece.strip()]
        out.append(line)
    return "".join(out), injected, set(chosen)


def _identity(array: str, entry: dict) -> tuple[str, str]:
    return (array, str(entry.get("id", entry.get("name"))))


def touches_protected(edit: Edit, data: dict, protected: set[tuple[str, str]]) -> bool:
    """Whether ``edit`` changes (or could renumber away) one of the ``protected`` entries."""
    if isinstance(edit, Batch):  # each part's indices refer to the data the parts before it leave
        scratch = copy.deepcopy(data)
        for part in edit.edits:
            if touches_protected(part, scratch, protected):
                return True
            try:
                apply_to_data(scratch, part)
            except EditError:
                return True  # the batch is refused as a whole; nothing to learn from it here
        return False
    array = ".".join(edit.array if not isinstance(edit, SetField) else edit.table[:-1])
    if isinstance(edit, SetField) and edit.table == ("smm",):
        return False
    if isinstance(edit, AddEntry):
        return False
    index = edit.table[-1] if isinstance(edit, SetField) else edit.index
    current = entries(data, tuple(array.split(".")))
    if not current:
        return False
    if _identity(array, current[index]) in protected:
        return True
    # identities are how protected entries are known
    return isinstance(edit, SetField) and edit.key in ("id", "name")


def edit_elsewhere_and_check(
    plan_file: PlanFile,
    data,
    steps: int,
    protected: set,
    injected: list[str],
    original: bytes,
    *,
    batches: bool = False,
) -> None:
    """Random edits (with ``batches``, only `Batch` edits) that spare the ``protected`` entries keep the ``injected`` lines, in order; undoing all gives ``original``."""
    tried = 0
    for _ in range(steps):
        edit = an_edit(data.draw, plan_file.data, batch=batches)
        if touches_protected(edit, plan_file.data, protected):
            continue
        tried += 1
        apply_or_skip(plan_file, edit)
    assume(tried)  # an example whose every edit touched a protected entry checks nothing
    rendered = reads_back(plan_file).decode("utf-8").splitlines(keepends=True)
    position = 0
    for line in injected:
        position = rendered.index(line, position) + 1
    while plan_file.undo() is not None:
        pass
    assert plan_file.render() == original


def entry_of(data: dict, array: str, index: int) -> dict:
    return entries(data, tuple(array.split(".")))[index]


@pytest.mark.parametrize("batches", [False, True], ids=["any-edits", "batches-only"])
@settings(SETTINGS, max_examples=examples(25))
@given(
    data=st.data(),
    name=st.sampled_from(SAMPLE_NAMES),
    picks=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 10)), min_size=1, max_size=6),
    steps=st.integers(1, 10),
)
def test_injected_lines_survive_edits_to_other_entries(
    tmp_path_factory, data, name: str, picks, steps: int, batches: bool
) -> None:
    plain = SAMPLE_BYTES[name].decode("utf-8")
    lines = plain.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if HEADER.match(line.rstrip("\n"))]
    # Which entry owns each header line, and which entry comes before it in the file.
    owners: list[tuple[str, int]] = []
    counts: dict[str, int] = {}
    for i in headers:
        array = HEADER.match(lines[i].rstrip("\n")).group(1)
        owners.append((array, counts.get(array, 0)))
        counts[array] = counts.get(array, 0) + 1
    text, injected, points = inject(plain, picks)
    original_data = tomllib.loads(plain)
    protected: set[tuple[str, str]] = set()
    for point in points:
        position = headers.index(point)
        for array, index in owners[max(0, position - 1) : position + 1]:
            protected.add(_identity(array, entry_of(original_data, array, index)))

    path = tmp_path_factory.mktemp("plan") / name
    original = text.encode("utf-8")
    path.write_bytes(original)
    plan_file = PlanFile.open(path)
    assert all(p.severity != "error" for p in plan_file.problems)
    if data.draw(st.booleans()):
        plan_file.prepare()

    edit_elsewhere_and_check(plan_file, data, steps, protected, injected, original, batches=batches)


# One-line key/values: a line can be put right after them without landing inside a multi-line value.
ONE_LINE = re.compile(r'^[A-Za-z_]+ = (?:"[^"\\]*"|\d[\d\-T:]*|true|false|\[[^\[\]]*\])$')
ANYWHERE = [
    "# injected comment {n}",
    "x_injected_{n} = {n}",
    'x_injected_{n} = "v{n}"  # injected trailing comment {n}',
    "x_injected_{n}.deeper = [1, 2]",
]


@pytest.mark.parametrize("batches", [False, True], ids=["any-edits", "batches-only"])
@settings(SETTINGS, max_examples=examples(25))
@given(
    data=st.data(),
    name=st.sampled_from(SAMPLE_NAMES),
    picks=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10)), min_size=1, max_size=6),
    steps=st.integers(1, 10),
)
def test_unknown_keys_and_comments_anywhere_survive_edits_to_other_entries(
    tmp_path_factory, data, name: str, picks, steps: int, batches: bool
) -> None:
    """Lines put after any one-line key of any table or entry (not only above headers) survive edits elsewhere."""
    plain = SAMPLE_BYTES[name].decode("utf-8")
    lines = plain.splitlines(keepends=True)
    spots = [i for i, line in enumerate(lines) if ONE_LINE.match(line.rstrip("\n"))]
    original_data = tomllib.loads(plain)
    chosen: dict[int, list[str]] = {}
    for n, (spot, chunk) in enumerate(picks):
        chosen.setdefault(spots[spot % len(spots)], []).append(ANYWHERE[chunk % len(ANYWHERE)].format(n=n) + "\n")
    out, injected, inside = [], [], []
    entry, counts, owners = None, {}, []  # owners: (array, index) of each entry header in file order
    for i, line in enumerate(lines):
        found = HEADER.match(line.rstrip("\n"))
        if found:
            array = found.group(1)
            owners.append((array, counts.get(array, 0)))
            counts[array] = counts.get(array, 0) + 1
            entry = len(owners) - 1
        elif line.startswith("["):
            entry = None
        out.append(line)
        if i in chosen:
            out.extend(chosen[i])
            injected.extend(chosen[i])
            if entry is not None:
                inside.append(entry)
    protected = set()
    for entry in inside:  # an entry with injected lines, and the entry after it, are not edited
        for array, index in owners[entry : entry + 2]:
            protected.add(_identity(array, entry_of(original_data, array, index)))
    text = "".join(out)
    path = tmp_path_factory.mktemp("plan") / name
    original = text.encode("utf-8")
    path.write_bytes(original)
    plan_file = PlanFile.open(path)
    assert all(p.severity != "error" for p in plan_file.problems), [
        p for p in plan_file.problems if p.severity == "error"
    ]
    edit_elsewhere_and_check(plan_file, data, steps, protected, injected, original, batches=batches)


# -- the size limits' quick walk ----------------------------------------------------------

_small_data = st.recursive(
    st.one_of(st.text(max_size=5), st.integers(), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=5), inner, max_size=5)),
    max_leaves=40,
)


@settings(SETTINGS, max_examples=examples(300))
@given(
    data=st.dictionaries(st.text(max_size=5), _small_data, max_size=5),
    text=st.integers(0, 6),
    entries=st.integers(0, 6),
    depth=st.integers(0, 6),
)
def test_the_quick_limits_walk_finds_an_excess_exactly_when_the_full_walk_does(
    data: dict[str, Any], text: int, entries: int, depth: int
) -> None:
    """`first_excess` skips the walk that names the place when the quick walk finds nothing: they must agree."""
    from planner.plan import limits

    with pytest.MonkeyPatch.context() as patch:  # limits small enough for generated data to reach them
        patch.setattr(limits, "MAX_TEXT", text)
        patch.setattr(limits, "MAX_ENTRIES", entries)
        patch.setattr(limits, "MAX_DEPTH", depth)
        assert limits.over_a_limit(data) == (limits.first_place(data) is not None)


# -- the read-back comparison of a save ---------------------------------------------------------


def _reference_same(a: Any, b: Any) -> bool:
    """`same_data` as first written, plainly recursive: the definition the faster one must keep."""
    import math

    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_reference_same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_reference_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


_leaves = st.one_of(
    st.sampled_from(
        [
            0,
            1,
            True,
            False,
            0.0,
            1.0,
            float("nan"),
            "",
            "a",
            dt.date(2027, 3, 1),
            dt.datetime(2027, 3, 1),
            dt.time(0, 0),
        ]
    ),
    st.integers(-2, 2),
    st.floats(allow_nan=True),
)
_toml_like = st.recursive(
    _leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from("abc"), inner, max_size=3)),
    max_leaves=20,
)


@settings(SETTINGS, max_examples=examples(300))
@given(a=_toml_like, b=_toml_like)
def test_the_read_back_comparison_keeps_its_definition(a: Any, b: Any) -> None:
    from planner.plan.plan_file import same_data

    assert same_data(a, b) == _reference_same(a, b)
    assert same_data(a, copy.deepcopy(a)) and _reference_same(a, copy.deepcopy(a))


# -- second pass (issue 12): lines that were not edited, whatever their spelling ---------------------

_HEADER_LINE = re.compile(r"^(\[\[?)([A-Za-z0-9_.]+)(\]\]?)\n$")
_CANONICAL = {b"[[smm.posts]]\n", b"[[smo.items]]\n", b"[[smm.platforms]]\n", b"[[competitors]]\n"}


@st.composite
def respelled(draw, text: str) -> str:
    """``text`` with each table header spelled another valid way: spaces, quoted keys, a comment after it."""
    spaces = st.sampled_from(["", " ", "  ", "\t"])
    out = []
    for line in text.splitlines(keepends=True):
        found = _HEADER_LINE.match(line)
        if not found:
            out.append(line)
            continue
        opening, key, closing = found.groups()
        parts = []
        for part in key.split("."):
            quote = draw(st.sampled_from(["", "", '"', "'"]))
            parts.append(f"{quote}{part}{quote}")
        dot = draw(st.sampled_from([".", ".", " . ", ". ", "\t."]))
        comment = draw(st.sampled_from(["", "", "  # about it", " #"]))
        out.append(f"{opening}{draw(spaces)}{dot.join(parts)}{draw(spaces)}{closing}{comment}\n")
    return "".join(out)


def header_lines(text: bytes) -> list[bytes]:
    """The table headers of ``text``: lines that start with ``[`` and that the line index knows (not inside a string)."""
    from planner.plan.locate import index_lines

    lines = text.splitlines(keepends=True)
    known = set(index_lines(text.decode("utf-8").removeprefix("\ufeff")).values())
    return [line for number, line in enumerate(lines, start=1) if number in known and line.lstrip().startswith(b"[")]


def changed_lines(before: bytes, after: bytes) -> list[tuple[int, int]]:
    """The (start, end) line ranges of ``before`` (0-based, end excluded) that differ in ``after``."""
    import difflib

    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


def span(text: bytes, path: tuple) -> tuple[int, int]:
    """The lines (0-based, end excluded) from the header of the table at ``path`` up to the next header."""
    from planner.plan.locate import index_lines

    start = index_lines(text.decode("utf-8"))[path] - 1
    lines = text.splitlines(keepends=True)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith(b"[")), len(lines))
    return start, end


@settings(SETTINGS, max_examples=examples(40))
@given(data=st.data(), name=st.sampled_from(SAMPLE_NAMES), prepare=st.booleans())
def test_any_edit_leaves_every_other_line_alone_whatever_the_header_spelling(
    tmp_path_factory, data, name: str, prepare: bool
) -> None:
    """A field edit changes only its entry's lines; no edit respells a header; undo gives the bytes back."""
    text = data.draw(respelled(SAMPLE_BYTES[name].decode("utf-8")), label="plan")
    original = text.encode("utf-8")
    path = tmp_path_factory.mktemp("plan") / name
    path.write_bytes(original)
    plan_file = PlanFile.open(path)
    if prepare:
        plan_file.prepare()
    edit = an_edit(data.draw, plan_file.data)
    if not apply_or_skip(plan_file, edit, original):
        return
    edited = reads_back(plan_file)
    new = collections.Counter(header_lines(edited)) - collections.Counter(header_lines(original))
    assert set(new) <= _CANONICAL, new  # only a new entry's header, in the canonical spelling
    if isinstance(edit, (DeleteEntry, MoveEntry)):
        assert not new
    if isinstance(edit, SetField) and edit.table:
        low, high = span(original, edit.table)
        for start, end in changed_lines(original, edited):
            assert low < start <= end <= high or (start == end and low < start <= high), (edit, start, end, low, high)
    plan_file.undo()
    assert plan_file.render() == original
    plan_file.redo()
    assert plan_file.render() == edited


_TAG = st.text(alphabet="abcdefghij", min_size=1, max_size=4)


@st.composite
def commented_array(draw) -> tuple[list[str], dict[str, str], dict[str, str]]:
    values = draw(st.lists(_TAG, min_size=1, max_size=8, unique=True))
    above = {v: f"# above {v}" for v in values if draw(st.booleans())}
    after = {v: f"# after {v}" for v in values if draw(st.booleans())}
    return values, above, after


@settings(SETTINGS, max_examples=examples(80))
@given(old=commented_array(), data=st.data())
def test_comments_in_a_multiline_array_stay_with_the_elements_that_remain(tmp_path_factory, old, data) -> None:
    """Whatever the new list (elements kept, removed, added, moved), a kept element keeps its comments."""
    values, above, after = old
    lines = []
    for value in values:
        if value in above:
            lines.append(f"  {above[value]}\n")
        lines.append(f'  "{value}",' + (f"  {after[value]}" if value in after else "") + "\n")
    text = (
        MINIMAL_PLAN
        + '\n[[smm.posts]]\nid = "p1"\nplatform = "x"\nat = 2026-03-17T09:00:00\ntags = [\n'
        + "".join(lines)
        + "]\n"
    )
    kept = data.draw(st.lists(st.sampled_from(values), unique=True), label="kept")
    added = data.draw(st.lists(_TAG.filter(lambda v: v not in values), unique=True, max_size=3), label="added")
    new = data.draw(st.permutations(kept + added), label="new")
    path = tmp_path_factory.mktemp("plan") / "plan.toml"
    path.write_text(text, "utf-8")
    plan_file = PlanFile.open(path)
    plan_file.apply(SetField((*POSTS, 0), "tags", list(new)))
    edited = reads_back(plan_file).decode("utf-8")
    out = edited.splitlines()
    for value in kept:
        line = f'  "{value}",' + (f"  {after[value]}" if value in after else "")
        assert line in out, (value, edited)
        if value in above:
            assert out[out.index(line) - 1] == f"  {above[value]}", (value, edited)
    gone = [v for v in values if v not in kept]
    for value in gone:
        assert f"above {value}\n" not in edited and f"after {value}\n" not in edited
    assert text.split("tags = [")[0] == edited.split("tags = [")[0]  # nothing above the array changed
    plan_file.undo()
    assert plan_file.render() == text.encode("utf-8")
