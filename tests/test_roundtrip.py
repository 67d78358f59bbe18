"""Saving is lossless: load/save gives the same bytes, and each edit changes only its own lines.

Every assertion here is about bytes. Diffs are taken with difflib over
``splitlines(keepends=True)`` so a changed line ending counts as a change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLES, corpus_files
from test_reading import MINIMAL_PLAN

from planner.plan.edits import AddEntry, DeleteEntry, MoveEntry, SetField
from planner.plan.plan_file import PlanFile
from planner.plan.schema import read_plan

SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.toml"))
POSTS = ("smm", "posts")
ITEMS = ("smo", "items")
COMPETITORS = ("competitors",)
PLATFORMS = ("smm", "platforms")


# -- helpers ---------------------------------------------------------------------


def write_plan(tmp_path: Path, content: bytes | str, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def sample_text(name: str = "shop-launch.toml") -> str:
    return (SAMPLES / name).read_text("utf-8")


def opened(tmp_path: Path, content: bytes | str, *, prepare: bool = False) -> PlanFile:
    plan_file = PlanFile.open(write_plan(tmp_path, content))
    if prepare:
        plan_file.prepare()
    return plan_file


def changes(before: bytes, after: bytes) -> list[tuple[str, int, int, list[bytes], list[bytes]]]:
    """The non-equal opcodes between two byte strings, line by line."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(tag, i1, j1, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def removed_and_added(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    removed, added = [], []
    for _, _, _, old, new in changes(before, after):
        removed += old
        added += new
    return removed, added


def insert_after(original: bytes, anchor: bytes, lines: list[bytes], *, last: bool = False) -> bytes:
    """``original`` with ``lines`` inserted right after the (first or last) line equal to ``anchor``."""
    position = original.rindex(b"\n" + anchor) if last else original.index(b"\n" + anchor)
    cut = position + 1 + len(anchor)
    assert original.count(b"\n" + anchor) == 1 or last
    return original[:cut] + b"".join(lines) + original[cut:]


def index_of(plan_file: PlanFile, array: tuple, field: str, value: str) -> int:
    node = plan_file.data
    for part in array:
        node = node[part]
    return next(i for i, entry in enumerate(node) if entry.get(field) == value)


def block(text: str, header: str, first_key: str) -> str:
    """The exact text of an entry: from its header line up to (not including) the next blank line or the end."""
    start = text.index(f"{header}\n{first_key}")
    end = text.find("\n\n", start)
    return text[start : end + 1] if end >= 0 else text[start:]


def check_undo(plan_file: PlanFile, original: bytes) -> None:
    while plan_file.undo() is not None:
        pass
    assert plan_file.render() == original


# -- load and render -------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_render_without_edits_is_the_file(name: str, tmp_path: Path) -> None:
    original = (SAMPLES / name).read_bytes()
    plan_file = opened(tmp_path, original)
    assert plan_file.render() == original
    plan_file.prepare()  # the tomlkit tree, with comments adopted by entries
    assert plan_file.render() == original
    assert plan_file.document.dumps().encode("utf-8") == original


@pytest.mark.parametrize("name", SAMPLE_NAMES)
@pytest.mark.parametrize("prepare", [False, True])
def test_setting_a_post_title_changes_exactly_that_line(name: str, prepare: bool, tmp_path: Path) -> None:
    original = (SAMPLES / name).read_bytes()
    plan_file = opened(tmp_path, original, prepare=prepare)
    index = len(plan_file.data["smm"]["posts"]) // 2
    old_title = plan_file.data["smm"]["posts"][index]["title"]
    plan_file.apply(SetField((*POSTS, index), "title", "A brand-new title"))
    after = plan_file.render()
    [(tag, _, _, old, new)] = changes(original, after)
    assert (tag, old, new) == ("replace", [f'title = "{old_title}"\n'.encode()], [b'title = "A brand-new title"\n'])
    assert tomllib.loads(after.decode())["smm"]["posts"][index]["title"] == "A brand-new title"
    check_undo(plan_file, original)


def test_setting_the_same_value_changes_nothing(tmp_path: Path) -> None:
    text = sample_text().replace('title = "Stacking sounds"', 'title = "Stacking\\u0020sounds"')
    plan_file = opened(tmp_path, text, prepare=True)
    index = index_of(plan_file, POSTS, "id", "tt-stacking")
    plan_file.apply(SetField((*POSTS, index), "title", "Stacking sounds"))
    plan_file.apply(SetField((*POSTS, index), "tags", None))  # not set: nothing to remove
    assert plan_file.render() == text.encode()


# -- quoting style and comments ---------------------------------------------------------------


def test_a_literal_string_stays_literal(tmp_path: Path) -> None:
    text = sample_text().replace('title = "Stacking sounds"', "title = 'Stacking sounds'")
    original = text.encode()
    plan_file = opened(tmp_path, original)
    index = index_of(plan_file, POSTS, "id", "tt-stacking")
    plan_file.apply(SetField((*POSTS, index), "title", 'Stacking "sounds" \\o/'))
    assert removed_and_added(original, plan_file.render()) == (
        [b"title = 'Stacking sounds'\n"],
        [b"title = 'Stacking \"sounds\" \\o/'\n"],
    )
    # A value a literal string cannot hold falls back to a basic string.
    plan_file.apply(SetField((*POSTS, index), "title", "Stack 'em"))
    assert removed_and_added(original, plan_file.render()) == (
        [b"title = 'Stacking sounds'\n"],
        [b'title = "Stack \'em"\n'],
    )
    check_undo(plan_file, original)


def test_an_end_of_line_comment_survives_an_edit(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    index = index_of(plan_file, POSTS, "id", "tt-launch-live")
    plan_file.apply(SetField((*POSTS, index), "at", dt.datetime(2027, 3, 25, 21, 30)))
    plan_file.apply(SetField(("campaign",), "end", dt.date(2027, 4, 5)))
    removed, added = removed_and_added(original, plan_file.render())
    assert removed == [
        b"end = 2027-04-04                 # Easter Sunday is 28 March; we run one more week after it\n",
        b"at = 2027-03-25T20:00:00          # after the shop closes\n",
    ]
    assert added == [
        b"end = 2027-04-05                 # Easter Sunday is 28 March; we run one more week after it\n",
        b"at = 2027-03-25T21:30:00          # after the shop closes\n",
    ]
    check_undo(plan_file, original)


@pytest.mark.parametrize(
    ("array", "ident_key", "ident", "key", "value", "after_line"),
    [
        # the last SMO item: owner comes after done in the format's order, not after the multi-line notes
        (ITEMS, "id", "ugc-reposts", "owner", "lena", b"done = false\n"),
        # the last SMO item: audit comes last; a comment above [smm] follows its multi-line notes
        (ITEMS, "id", "ugc-reposts", "audit", "og", b'"""\n'),
        # a post followed by a blank line and a section comment: link after text
        (
            POSTS,
            "id",
            "ig-countdown-story",
            "link",
            "https://kilnandco.example/newsletter",
            b'text = "4 days to go -- tap the countdown to get a reminder."\n',
        ),
        # the first competitor (its neighbour's comment must stay with the neighbour)
        (
            COMPETITORS,
            "name",
            "Claywork Studio",
            "notes",
            "Ask about a collab",
            b'weaknesses = "Shop often sold out; slow replies to comments"\n',
        ),
    ],
)
def test_a_missing_key_goes_right_after_the_key_before_it_in_the_formats_order(
    tmp_path: Path, array: tuple, ident_key: str, ident: str, key: str, value: str, after_line: bytes
) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    index = index_of(plan_file, array, ident_key, ident)
    entry = plan_file.data
    for part in (*array, index):
        entry = entry[part]
    assert key not in entry
    plan_file.apply(SetField((*array, index), key, value))
    after = plan_file.render()
    [(tag, at, _, old, new)] = changes(original, after)
    assert (tag, old, new) == ("insert", [], [f'{key} = "{value}"\n'.encode()])
    lines = original.splitlines(keepends=True)
    assert (
        lines[at - 1] == after_line
    )  # directly below the key before it in the format's order (else the last key line)
    check_undo(plan_file, original)


def test_a_missing_key_in_the_last_platform_goes_above_the_section_comment(tmp_path: Path) -> None:
    original = (SAMPLES / "nonprofit-fundraiser.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    plan_file.apply(SetField(("smm", "platforms", 2), "label", "Bluesky"))
    [(tag, at, _, old, new)] = changes(original, plan_file.render())
    assert (tag, old, new) == ("insert", [], [b'label = "Bluesky"\n'])
    lines = original.splitlines(keepends=True)
    assert lines[at - 1] == b'best_times = ["thu 08:00"]\n'
    assert lines[at : at + 2] == [
        b"\n",
        b"# --- Week 1: launch the appeal -------------------------------------------------\n",
    ]


def test_removing_a_key_removes_exactly_its_line(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=True)
    index = index_of(plan_file, POSTS, "id", "ig-teaser-glaze")
    plan_file.apply(SetField((*POSTS, index), "link", None))
    index = index_of(plan_file, POSTS, "id", "tt-launch-live")
    plan_file.apply(SetField((*POSTS, index), "at", dt.datetime(2027, 3, 25, 20)))  # unchanged value
    plan_file.apply(SetField((*POSTS, index), "tags", None))  # the entry's last key
    assert removed_and_added(original, plan_file.render()) == (
        [b'link = "https://kilnandco.example/collections/tide"\n', b'tags = ["launch"]\n'],
        [],
    )
    check_undo(plan_file, original)


# -- adding entries ---------------------------------------------------------------------------

NEW_POST = {
    "id": "ig-new-post",
    "platform": "instagram",
    "at": dt.datetime(2027, 3, 27, 19, 0),
    "format": "reel",
    "status": "draft",
    "title": "A new reel",
    "text": 'Line one with "quotes"\nline two\\',
    "tags": ["launch", "new"],
}
NEW_POST_LINES = [
    b"\n",
    b"[[smm.posts]]\n",
    b'id = "ig-new-post"\n',
    b'platform = "instagram"\n',
    b"at = 2027-03-27T19:00:00\n",
    b'format = "reel"\n',
    b'status = "draft"\n',
    b'title = "A new reel"\n',
    b'text = """Line one with "quotes"\n',
    b'line two\\\\"""\n',
    b'tags = ["launch", "new"]\n',
]


@pytest.mark.parametrize("prepare", [False, True])
def test_adding_a_post_appends_it_in_canonical_layout(tmp_path: Path, prepare: bool) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=prepare)
    plan_file.apply(AddEntry(POSTS, NEW_POST))
    after = plan_file.render()
    # right after the last post's last key line, before what follows it
    assert after == insert_after(original, b'link = "https://kilnandco.example/collections/gifts"\n', NEW_POST_LINES)
    assert removed_and_added(original, after)[0] == []  # a pure insertion
    assert tomllib.loads(after.decode())["smm"]["posts"][-1] == NEW_POST
    check_undo(plan_file, original)


def test_a_new_entry_writes_its_keys_in_the_formats_order(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    shuffled = {key: NEW_POST[key] for key in reversed(list(NEW_POST))}
    plan_file.apply(AddEntry(POSTS, {"x_custom": "kept, last", **shuffled}))
    assert plan_file.render() == insert_after(
        original,
        b'link = "https://kilnandco.example/collections/gifts"\n',
        [*NEW_POST_LINES, b'x_custom = "kept, last"\n'],
    )


def test_adding_a_post_in_the_middle_is_a_pure_insertion(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    index = index_of(plan_file, POSTS, "id", "ig-countdown-story")  # a section comment follows it
    plan_file.apply(AddEntry(POSTS, NEW_POST, index=index + 1))
    assert plan_file.render() == insert_after(
        original, b'notes = "Use the countdown sticker; link sticker to the newsletter sign-up."\n', NEW_POST_LINES
    )
    plan_file.apply(AddEntry(POSTS, {**NEW_POST, "id": "first"}, index=0))
    assert plan_file.data["smm"]["posts"][0]["id"] == "first"
    removed, _ = removed_and_added(original, plan_file.render())
    assert removed == []
    check_undo(plan_file, original)


# -- deleting entries --------------------------------------------------------------------------

GLAZE_COMMENT = "# Lena approved the glaze photos on Monday.\n"


def with_comment_above(text: str, post_id: str, comment: str) -> str:
    header = f'[[smm.posts]]\nid = "{post_id}"\n'
    assert header in text
    return text.replace(header, comment + header)


def test_deleting_a_middle_entry_removes_its_block_and_its_comment(tmp_path: Path) -> None:
    text = with_comment_above(sample_text(), "tt-glaze-test", GLAZE_COMMENT)
    original = text.encode()
    plan_file = opened(tmp_path, original)
    index = index_of(plan_file, POSTS, "id", "tt-glaze-test")
    plan_file.apply(DeleteEntry(POSTS, index))
    after = plan_file.render()
    [(tag, _, _, old, new)] = changes(original, after)
    assert tag == "delete" and new == []
    assert b"".join(old) in (
        ("\n" + GLAZE_COMMENT + block(text, "[[smm.posts]]", 'id = "tt-glaze-test"')).encode(),
        (GLAZE_COMMENT + block(text, "[[smm.posts]]", 'id = "tt-glaze-test"') + "\n").encode(),
    )
    assert GLAZE_COMMENT.encode() not in after
    check_undo(plan_file, original)


def test_deleting_an_entry_keeps_the_section_comment_above_it(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    index = index_of(plan_file, POSTS, "id", "ig-preorder-reminder")  # under "# --- Week 2 ..." and a blank line
    plan_file.apply(DeleteEntry(POSTS, index))
    after = plan_file.render()
    gone = block(original.decode(), "[[smm.posts]]", 'id = "ig-preorder-reminder"').encode()
    assert after == original.replace(b"\n" + gone, b"", 1)  # the blank line above it, its header and keys
    assert b"\n# --- Week 2: launch (Thursday 25 March) ---" in after
    check_undo(plan_file, original)


FIRST_AND_LAST = {
    # array: (first entry's comment and header line + first key, last entry's header line + first key)
    POSTS: ("", '[[smm.posts]]\nid = "ig-teaser-glaze"', '[[smm.posts]]\nid = "pin-gift-guide"'),
    ITEMS: ("", '[[smo.items]]\nid = "keyword-research"', '[[smo.items]]\nid = "ugc-reposts"'),
    COMPETITORS: (
        "# Who else our customers follow.\n",
        '[[competitors]]\nname = "Claywork Studio"',
        '[[competitors]]\nname = "Stoneware Supply Co."',
    ),
}


@pytest.mark.parametrize("which", ["first", "last"])
@pytest.mark.parametrize("array", [POSTS, ITEMS, COMPETITORS], ids=["posts", "items", "competitors"])
def test_deleting_the_first_or_last_entry(tmp_path: Path, which: str, array: tuple) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    text = original.decode()
    comment, first, last = FIRST_AND_LAST[array]
    plan_file = opened(tmp_path, original)
    entries = plan_file.data
    for part in array:
        entries = entries[part]
    kept = entries[1:] if which == "first" else entries[:-1]
    plan_file.apply(DeleteEntry(array, 0 if which == "first" else len(entries) - 1))
    after = plan_file.render()
    if which == "first":
        # its comment, header and keys, and the blank line that followed it
        gone = comment + block(text, *first.split("\n", 1)) + "\n"
    else:
        # the blank line above it, its header and keys; what follows it stays
        start = text.index(last)
        end = text.find("\n\n", start)
        gone = "\n" + text[start : end + 1 if end >= 0 else len(text)]
    assert text.count(gone) == 1
    assert after == text.replace(gone, "", 1).encode()
    data = tomllib.loads(after.decode())
    for part in array:
        data = data[part]
    assert data == kept
    check_undo(plan_file, original)


def test_deleting_the_only_entries_leaves_no_empty_array(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    plan_file.apply(DeleteEntry(COMPETITORS, 0))
    plan_file.apply(DeleteEntry(COMPETITORS, 0))
    after = plan_file.render()
    assert b"competitors" not in after
    assert b"[]" not in after
    assert after == original[: original.index(b"\n\n# Who else")] + b"\n"
    assert "competitors" not in tomllib.loads(after.decode())
    for _ in range(len(plan_file.data["smm"]["posts"])):
        plan_file.apply(DeleteEntry(POSTS, 0))
    after = plan_file.render()
    assert b"[[smm.posts]]" not in after and b"posts =" not in after and b"[]" not in after
    assert "posts" not in tomllib.loads(after.decode())["smm"]
    # The section comments between posts stay (they belong to no single post).
    assert after.count(b"# --- Week") == 3
    check_undo(plan_file, original)


def test_deleting_every_entry_of_an_implicit_table_keeps_the_table(tmp_path: Path) -> None:
    """[[smm.*]] with no [smm] header: when the last entry goes, [smm] is written (the plan still has it)."""
    original = (SAMPLES / "nonprofit-fundraiser.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    for array in (POSTS, ("smm", "platforms")):
        entries = plan_file.data["smm"][array[-1]]
        for _ in range(len(entries)):
            plan_file.apply(DeleteEntry(array, 0))
    after = plan_file.render()
    assert tomllib.loads(after.decode())["smm"] == {}
    assert b"\n[smm]\n" in after
    plan_file.apply(AddEntry(POSTS, NEW_POST))
    assert tomllib.loads(plan_file.render().decode())["smm"]["posts"] == [NEW_POST]
    check_undo(plan_file, original)


def test_adding_to_a_missing_array(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    text = original.decode()
    text = text[: text.index("\n\n# Who else")] + "\n"
    plan_file = opened(tmp_path, text, prepare=True)
    plan_file.apply(AddEntry(COMPETITORS, {"name": "New rival", "site": "https://rival.example"}))
    assert (
        plan_file.render() == text.encode() + b'\n[[competitors]]\nname = "New rival"\nsite = "https://rival.example"\n'
    )
    check_undo(plan_file, text.encode())


def test_adding_to_an_array_written_as_empty_brackets(tmp_path: Path) -> None:
    text = sample_text("webinar-series.toml")
    text = text[: text.index("# --- Week 1")] + text[text.index("[[competitors]]") :]
    text = text.replace("[smm]\nstart = 2027-04-19\n", "[smm]\nstart = 2027-04-19\nposts = []\n")
    original = text.encode()
    plan_file = opened(tmp_path, original)
    assert plan_file.data["smm"]["posts"] == []
    plan_file.apply(AddEntry(POSTS, {**NEW_POST, "platform": "linkedin"}))
    after = plan_file.render()
    assert b"posts = []" not in after
    assert tomllib.loads(after.decode())["smm"]["posts"][0]["id"] == "ig-new-post"
    removed, added = removed_and_added(original, after)
    assert removed == [b"posts = []\n"]
    assert b"".join(added) in (
        b"\n[[smm.posts]]\n" + b"".join(added[2:]),
        b"[[smm.posts]]\n" + b"".join(added[1:-1]) + b"\n",
    )
    assert b'best_times = ["thu 13:00"]\n\n[[smm.posts]]\nid = "ig-new-post"\n' in after  # after the last platform
    check_undo(plan_file, original)


# -- moving entries ---------------------------------------------------------------------------


def test_moving_an_entry_swaps_blocks_and_comments_travel(tmp_path: Path) -> None:
    text = sample_text()
    text = with_comment_above(text, "tt-glaze-test", GLAZE_COMMENT)
    text = with_comment_above(text, "ig-behind-the-wheel", "# Carousel: 6 photos.\n# Order agreed with Jonas.\n")
    original = text.encode()
    plan_file = opened(tmp_path, original)
    first = index_of(plan_file, POSTS, "id", "tt-glaze-test")
    glaze = GLAZE_COMMENT + block(text, "[[smm.posts]]", 'id = "tt-glaze-test"')
    wheel = "# Carousel: 6 photos.\n# Order agreed with Jonas.\n" + block(
        text, "[[smm.posts]]", 'id = "ig-behind-the-wheel"'
    )
    assert glaze + "\n" + wheel in text
    plan_file.apply(MoveEntry(POSTS, first, first + 1))
    assert plan_file.render() == text.replace(glaze + "\n" + wheel, wheel + "\n" + glaze).encode()
    plan_file.undo()
    plan_file.apply(MoveEntry(POSTS, first + 1, first))  # the same swap, the other way round
    assert plan_file.render() == text.replace(glaze + "\n" + wheel, wheel + "\n" + glaze).encode()
    check_undo(plan_file, original)


@pytest.mark.parametrize(("source", "to"), [(0, -1), (-1, 0), (4, 5), (5, 4), (2, 12)])
def test_moving_an_entry_far_moves_only_its_block(tmp_path: Path, source: int, to: int) -> None:
    """Section comments and the other entries stay where they are: the diff is one block out, one block in."""
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original)
    count = len(plan_file.data["smm"]["posts"])
    source, to = source % count, to % count
    moved = plan_file.data["smm"]["posts"][source]["id"]
    plan_file.apply(MoveEntry(POSTS, source, to))
    after = plan_file.render()
    assert [post["id"] for post in tomllib.loads(after.decode())["smm"]["posts"]].index(moved) == to
    removed, added = removed_and_added(original, after)
    assert sorted(removed) == sorted(added)
    assert sum(1 for line in removed if line == b"[[smm.posts]]\n") == 1
    assert not any(line.startswith(b"# ---") for line in removed)
    check_undo(plan_file, original)


# -- byte order mark and line endings ------------------------------------------------------------


@pytest.mark.parametrize("prepare", [False, True])
def test_bom_and_crlf_survive_edits(tmp_path: Path, prepare: bool) -> None:
    original = b"\xef\xbb\xbf" + (SAMPLES / "shop-launch.toml").read_bytes().replace(b"\n", b"\r\n")
    plan_file = opened(tmp_path, original, prepare=prepare)
    assert plan_file.render() == original
    plan_file.apply(SetField((*POSTS, 1), "title", "New title"))
    plan_file.apply(SetField((*POSTS, 1), "text", "two\nlines\r\nand a CR\r"))
    plan_file.apply(SetField((*ITEMS, 3), "owner", "lena"))
    plan_file.apply(AddEntry(POSTS, NEW_POST))
    plan_file.apply(DeleteEntry(COMPETITORS, 0))
    plan_file.apply(MoveEntry(POSTS, 0, 3))
    after = plan_file.render()
    assert after.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\n") == after.count(b"\r\n")
    assert after.count(b"\r") == after.count(b"\r\n")
    assert b'\r\n[[smm.posts]]\r\nid = "ig-new-post"\r\n' in after
    data = tomllib.loads(after[3:].decode())
    assert data == plan_file.data
    assert [post["text"] for post in data["smm"]["posts"] if post["title"] == "New title"] == [
        "two\nlines\r\nand a CR\r"
    ]
    check_undo(plan_file, original)


def test_a_crlf_file_with_a_bom_round_trips_through_save(tmp_path: Path) -> None:
    original = b"\xef\xbb\xbf" + (SAMPLES / "webinar-series.toml").read_bytes().replace(b"\n", b"\r\n")
    path = write_plan(tmp_path, original)
    plan_file = PlanFile.open(path)
    plan_file.apply(SetField((*POSTS, 0), "title", "Retitled"))
    plan_file.save()
    saved = path.read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf") and saved.count(b"\n") == saved.count(b"\r\n")
    [(_tag, _, _, old, new)] = changes(original, saved)
    assert (old, new) == ([b'title = "Series announcement"\r\n'], [b'title = "Retitled"\r\n'])


# -- regressions ---------------------------------------------------------------------------------


def test_a_carriage_return_in_a_multiline_text_is_escaped(tmp_path: Path) -> None:
    """A raw CR in a \"\"\" string reads back as part of a newline; it must be written as \\r."""
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=True)
    plan_file.apply(SetField((*POSTS, 0), "text", "windows\r\nline\rend"))
    after = plan_file.render()
    assert b'text = """windows\\r\nline\\rend"""\n' in after
    assert tomllib.loads(after.decode())["smm"]["posts"][0]["text"] == "windows\r\nline\rend"


def test_setting_start_on_an_implicit_smm_writes_its_header(tmp_path: Path) -> None:
    original = (SAMPLES / "nonprofit-fundraiser.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=True)
    plan_file.apply(SetField(("smm",), "start", dt.date(2027, 5, 17)))
    after = plan_file.render()
    assert after == insert_after(
        original,
        b"# SMM: no `start` set, so it begins the day after smo.due.\n",
        [b"[smm]\n", b"start = 2027-05-17\n", b"\n"],
    )
    assert tomllib.loads(after.decode())["smm"]["start"] == dt.date(2027, 5, 17)
    check_undo(plan_file, original)


def test_setting_a_key_in_an_empty_table_puts_it_under_the_header(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()  # "[smm]" then a blank line, no keys
    plan_file = opened(tmp_path, original, prepare=True)
    plan_file.apply(SetField(("smm",), "start", dt.date(2027, 3, 15)))
    [(tag, at, _, old, new)] = changes(original, plan_file.render())
    assert (tag, old, new) == ("insert", [], [b"start = 2027-03-15\n"])
    assert original.splitlines(keepends=True)[at - 1] == b"[smm]\n"


def test_adding_a_handle_keeps_the_inline_table_tidy(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=True)
    handles = dict(plan_file.data["competitors"][0]["handles"], x="@claywork_x")
    plan_file.apply(SetField((*COMPETITORS, 0), "handles", handles))
    assert removed_and_added(original, plan_file.render()) == (
        [b'handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }\n'],
        [b'handles = { instagram = "@clayworkstudio", tiktok = "@claywork", x = "@claywork_x" }\n'],
    )
    check_undo(plan_file, original)


def test_a_section_comment_is_not_lost_when_the_last_entry_goes(tmp_path: Path) -> None:
    text = sample_text().replace(
        '[[smm.posts]]\nid = "pin-gift-guide"', '# --- Bonus ---\n\n[[smm.posts]]\nid = "pin-gift-guide"'
    )
    original = text.encode()
    plan_file = opened(tmp_path, original)
    plan_file.apply(DeleteEntry(POSTS, -1))
    after = plan_file.render()
    gone = block(text, "[[smm.posts]]", 'id = "pin-gift-guide"').encode()
    assert after == original.replace(b"\n" + gone, b"", 1)
    assert b'The next firing is in May."\n\n# --- Bonus ---\n\n# Who else' in after
    check_undo(plan_file, original)


def test_comment_lines_with_unicode_line_separators_stay_whole(tmp_path: Path) -> None:
    """Comments may hold U+2028 or U+0085; only \\n ends a TOML line."""
    text = with_comment_above(sample_text(), "tt-glaze-test", "# odd\u2028separator\x85here\n")
    original = text.encode()
    plan_file = opened(tmp_path, original)
    index = index_of(plan_file, POSTS, "id", "tt-glaze-test")
    plan_file.apply(MoveEntry(POSTS, index, index + 1))
    after = plan_file.render().decode()
    assert '# odd\u2028separator\x85here\n[[smm.posts]]\nid = "tt-glaze-test"' in after
    check_undo(plan_file, original)


# -- the toml-test corpus as unknown content -------------------------------------------------------

PLAN_KEYS = {"schema", "campaign", "smo", "smm", "competitors"}


def _starts_with_header(text: str) -> bool:
    """Whether the document's first statement is a table header (it has no top-level key/values)."""
    for line in text.split("\n"):
        stripped = line.strip(" \t\r")
        if stripped and not stripped.startswith("#"):
            return stripped.startswith("[")
    return True


def embed(plan: str, document: str) -> tuple[str, int]:
    """``document`` inside ``plan`` as unknown content; returns the text and where the document starts.

    The scheme keeps every byte of the document and the result valid TOML:

    * a document whose first statement is a ``[table]`` header (or that has
      no statements) is appended after the plan, following one blank line:
      its tables and keys stay its own;
    * a document with top-level key/values is inserted right after the
      plan's ``schema = 1`` line, so its keys are top-level keys and its own
      tables end before the plan's ``[campaign]`` header; a newline is added
      after it when it does not end with one.
    """
    if _starts_with_header(document):
        return plan + "\n" + document, len(plan) + 1
    cut = plan.index("schema = 1\n") + len("schema = 1\n")
    separator = "" if document.endswith("\n") else "\n"
    return plan[:cut] + document + separator + plan[cut:], cut


CORPUS = corpus_files("valid")


@functools.cache
def host_plan(name: str, keep: int = 2) -> str:
    """A sample plan cut to its first ``keep`` entries of each array, comments and all.

    Parsing the editable tree dominates each corpus case; a shorter host
    keeps 210 cases fast without changing what is tested.
    """
    lines = sample_text(name).splitlines(keepends=True)
    out, counts, dropping = [], {}, False
    for line in lines:
        if line.startswith("["):
            header = line.strip()
            counts[header] = counts.get(header, 0) + 1
            dropping = header.startswith("[[") and counts[header] > keep
        if not dropping:
            out.append(line)
    text = "".join(out)
    tomllib.loads(text)
    return text


@functools.cache
def baseline_problems(name: str) -> frozenset:
    """The host plan's own problems, without lines (embedding moves them)."""
    _, problems = read_plan(tomllib.loads(host_plan(name)))
    return frozenset((p.severity, p.message, p.path) for p in problems)


def test_the_corpus_is_all_there() -> None:
    assert len(CORPUS) == 210


@pytest.mark.parametrize(
    "path", CORPUS, ids=lambda p: str(p.relative_to(p.parents[1])) if p.parent.name != "valid" else p.name
)
def test_unknown_content_from_the_corpus_survives(tmp_path: Path, path: Path) -> None:
    # Two corpus documents start with a byte order mark, which is only valid at
    # the start of a file: those are embedded without it.
    document = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    document_data = tomllib.loads(document)
    assert not set(document_data) & PLAN_KEYS
    name = SAMPLE_NAMES[CORPUS.index(path) % len(SAMPLE_NAMES)]
    plan = host_plan(name)
    text, start = embed(plan, document)
    original = text.encode("utf-8")
    assert text[start : start + len(document)] == document

    baseline = baseline_problems(name)
    plan_file = opened(tmp_path, original)
    new_problems = [p for p in plan_file.problems if (p.severity, p.message, p.path) not in baseline]
    assert all(p.severity == "note" for p in new_problems), new_problems
    assert plan_file.render() == original
    plan_file.prepare()
    assert plan_file.render() == original

    index = len(plan_file.data["smm"]["posts"]) // 2
    old_title = plan_file.data["smm"]["posts"][index]["title"]
    plan_file.apply(SetField((*POSTS, index), "title", "Edited next to unknown content"))
    after = plan_file.render()
    assert removed_and_added(original, after) == (
        [f'title = "{old_title}"\n'.encode()],
        [b'title = "Edited next to unknown content"\n'],
    )
    after_text = after.decode("utf-8")
    shift = 0 if start < text.index(f'title = "{old_title}"') else len(after_text) - len(text)
    assert after_text[start + shift : start + shift + len(document)] == document


def _without_smm() -> str:
    text = sample_text()
    return text[: text.index("# SMM: no start date here")] + text[text.index("# Who else") :]


@pytest.mark.parametrize("prepare", [False, True])
def test_setting_a_key_of_a_missing_table_adds_the_table_at_the_end(tmp_path: Path, prepare: bool) -> None:
    original = _without_smm().encode()
    plan_file = opened(tmp_path, original, prepare=prepare)
    assert "smm" not in plan_file.data
    plan_file.apply(SetField(("smm",), "start", dt.date(2027, 3, 15)))
    assert plan_file.render() == original + b"\n[smm]\nstart = 2027-03-15\n"
    plan_file.undo()
    assert "smm" not in plan_file.data
    assert plan_file.render() == original
    plan_file.redo()
    assert plan_file.render() == original + b"\n[smm]\nstart = 2027-03-15\n"


@pytest.mark.parametrize("prepare", [False, True])
def test_adding_a_post_when_there_is_no_smm_at_all(tmp_path: Path, prepare: bool) -> None:
    original = _without_smm().encode()
    plan_file = opened(tmp_path, original, prepare=prepare)
    plan_file.apply(AddEntry(POSTS, NEW_POST))
    assert plan_file.render() == original + b"".join(NEW_POST_LINES)
    plan_file.undo()
    assert "smm" not in plan_file.data
    assert plan_file.render() == original


@pytest.mark.parametrize(
    ("handles", "line"),
    [
        ({"tiktok": "@claywork"}, b'handles = { tiktok = "@claywork" }\n'),
        ({"instagram": "@clayworkstudio"}, b'handles = { instagram = "@clayworkstudio" }\n'),
        ({"instagram": "@clayworkstudio", "x": "@cw"}, b'handles = { instagram = "@clayworkstudio", x = "@cw" }\n'),
    ],
)
def test_removing_a_handle_keeps_the_inline_table_tidy(tmp_path: Path, handles: dict, line: bytes) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=True)
    plan_file.apply(SetField((*COMPETITORS, 0), "handles", handles))
    assert removed_and_added(original, plan_file.render()) == (
        [b'handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }\n'],
        [line],
    )
    check_undo(plan_file, original)


def test_a_batch_is_one_step_and_undoes_exactly(tmp_path: Path) -> None:
    from planner.plan.edits import Batch

    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=True)
    index = index_of(plan_file, ITEMS, "id", "stockist-links")
    tick = Batch(
        (SetField((*ITEMS, index), "done", True), SetField((*ITEMS, index), "done_on", dt.date(2027, 3, 2))), "tick"
    )
    plan_file.apply(tick)
    assert removed_and_added(original, plan_file.render()) == (
        [b"done = false\n"],
        [b"done = true\n", b"done_on = 2027-03-02\n"],
    )
    assert plan_file.undo() == tick
    assert plan_file.render() == original
    assert plan_file.undo() is None
    plan_file.redo()
    assert b"done_on = 2027-03-02\n" in plan_file.render()
    check_undo(plan_file, original)


@pytest.mark.parametrize("prepare", [False, True])
def test_a_new_table_value_is_written_with_spaces_in_its_braces_and_edits_stay_tidy(
    tmp_path: Path, prepare: bool
) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=prepare)
    plan_file.apply(AddEntry(COMPETITORS, {"name": "Globex", "handles": {"linkedin": "globex", "x": "@globex"}}))
    new_entry = [b"\n", b"[[competitors]]\n", b'name = "Globex"\n']
    assert removed_and_added(original, plan_file.render()) == (
        [],
        [*new_entry, b'handles = { linkedin = "globex", x = "@globex" }\n'],
    )
    # Edited in the same session, before it was ever read back from a file.
    for handles, line in (
        ({"linkedin": "globex-inc", "x": "@globex"}, b'handles = { linkedin = "globex-inc", x = "@globex" }\n'),
        (
            {"linkedin": "globex-inc", "x": "@globex", "threads": "globex"},
            b'handles = { linkedin = "globex-inc", x = "@globex", threads = "globex" }\n',
        ),
        ({"x": "@globex", "threads": "globex"}, b'handles = { x = "@globex", threads = "globex" }\n'),
    ):
        plan_file.apply(SetField((*COMPETITORS, 2), "handles", handles))
        assert removed_and_added(original, plan_file.render()) == ([], [*new_entry, line])
    # A competitor without handles gets the key the same way, where the format has it (after the site).
    plan_file.apply(SetField((*COMPETITORS, 0), "handles", None))
    plan_file.apply(SetField((*COMPETITORS, 0), "handles", {"youtube": "@claywork"}))
    assert b'site = "https://claywork.example"\nhandles = { youtube = "@claywork" }\n' in plan_file.render()
    check_undo(plan_file, original)


def test_a_handle_added_then_the_first_deleted_keeps_the_separator(tmp_path: Path) -> None:
    original = (SAMPLES / "shop-launch.toml").read_bytes()
    plan_file = opened(tmp_path, original, prepare=True)
    plan_file.apply(
        SetField((*COMPETITORS, 0), "handles", {"instagram": "@clayworkstudio", "tiktok": "@claywork", "x": "@cw"})
    )
    plan_file.apply(SetField((*COMPETITORS, 0), "handles", {"tiktok": "@claywork", "x": "@cw"}))
    assert removed_and_added(original, plan_file.render()) == (
        [b'handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }\n'],
        [b'handles = { tiktok = "@claywork", x = "@cw" }\n'],
    )
    check_undo(plan_file, original)


# -- second pass (issue 12): lines that were not edited -------------------------------------------

SPELLED = (
    MINIMAL_PLAN.replace("[campaign]\n", "[ campaign ]\n")
    + """
[[ smo.items ]]
id = "a"
title = "A"

[[smo . 'items']]  # the second item
id = "b"
title = "B"

[smm]
start = 2026-03-16

[[ smm.platforms ]]
name = "linkedin"
best_times = [
  "tue 09:00", # morning
  # the lunch slot
  "thu 12:30",  # lunch
  "fri 16:00",
]

[[	smm.posts	]]  # first
id = "p1"
platform = "linkedin"
at = 2026-03-17T09:00:00
tags = [
  "launch",  # the launch
  # for the beta list
  "beta",
  "spring",
]

# the second post
[[ smm . "posts" ]]
id = "p2"
platform = "linkedin"
at = 2026-03-18T09:00:00
"""
)


EDITS_ON_SPELLED = [
    SetField((*POSTS, 0), "title", "Teaser"),
    SetField((*POSTS, 1), "status", "draft"),
    SetField((*ITEMS, 1), "done", True),
    SetField(("campaign",), "name", "Summer sale"),
    AddEntry(POSTS, {"id": "p3", "platform": "linkedin", "at": dt.datetime(2026, 3, 19, 9)}),
    DeleteEntry(ITEMS, 0),
    MoveEntry(POSTS, 0, 1),
]


def headers(text: bytes) -> list[bytes]:
    return [line for line in text.splitlines(keepends=True) if line.lstrip().startswith(b"[")]


@pytest.mark.parametrize("prepare", [False, True])
@pytest.mark.parametrize("edit", EDITS_ON_SPELLED, ids=lambda edit: edit.describe())
def test_header_spellings_never_change_and_undo_gives_the_bytes_back(tmp_path: Path, edit, prepare: bool) -> None:
    """tomlkit rebuilt ``[[ smm.posts ]]`` as ``[[smm.posts ]]`` on any save, and undo kept it so."""
    original = SPELLED.encode("utf-8")
    plan_file = opened(tmp_path, SPELLED, prepare=prepare)
    plan_file.apply(edit)
    edited = plan_file.render()
    gone = Counter(headers(original)) - Counter(headers(edited))
    new = Counter(headers(edited)) - Counter(headers(original))
    assert gone == (Counter([b"[[ smo.items ]]\n"]) if isinstance(edit, DeleteEntry) else Counter())
    assert new == (Counter([b"[[smm.posts]]\n"]) if isinstance(edit, AddEntry) else Counter())
    removed, added = removed_and_added(original, edited)
    if isinstance(edit, SetField):
        assert len(removed) <= 1 and len(added) == 1  # the field's own line, nothing else
    plan_file.undo()
    assert plan_file.render() == original
    plan_file.save()
    assert (tmp_path / "plan.toml").read_bytes() == original


def test_a_new_entry_gets_the_canonical_header(tmp_path: Path) -> None:
    plan_file = opened(tmp_path, SPELLED)
    plan_file.apply(AddEntry(POSTS, {"id": "p3", "platform": "linkedin", "at": dt.datetime(2026, 3, 19, 9)}))
    plan_file.save()
    text = (tmp_path / "plan.toml").read_text("utf-8")
    assert text == SPELLED + '\n[[smm.posts]]\nid = "p3"\nplatform = "linkedin"\nat = 2026-03-19T09:00:00\n'


def _with_array(key: str, lines: str) -> str:
    start = SPELLED.index(f"{key} = [\n")
    end = SPELLED.index("]\n", start) + 2
    return SPELLED[:start] + f"{key} = [\n{lines}]\n" + SPELLED[end:]


@pytest.mark.parametrize(
    ("table", "key", "value", "lines"),
    [
        ((*POSTS, 0), "tags", ["launch", "beta"], '  "launch",  # the launch\n  # for the beta list\n  "beta",\n'),
        ((*POSTS, 0), "tags", ["launch", "spring"], '  "launch",  # the launch\n  "spring",\n'),
        ((*POSTS, 0), "tags", ["beta", "spring"], '  # for the beta list\n  "beta",\n  "spring",\n'),
        (
            (*POSTS, 0),
            "tags",
            ["launch", "beta", "spring", "news"],
            '  "launch",  # the launch\n  # for the beta list\n  "beta",\n  "spring",\n  "news",\n',
        ),
        (
            (*POSTS, 0),
            "tags",
            ["launch", "news", "beta", "spring"],
            '  "launch",  # the launch\n  "news",\n  # for the beta list\n  "beta",\n  "spring",\n',
        ),
        (
            (*POSTS, 0),
            "tags",
            ["spring", "launch", "beta"],
            '  "spring",\n  "launch",  # the launch\n  # for the beta list\n  "beta",\n',
        ),
        ((*PLATFORMS, 0), "best_times", ["tue 09:00", "fri 16:00"], '  "tue 09:00", # morning\n  "fri 16:00",\n'),
        (
            (*PLATFORMS, 0),
            "best_times",
            ["tue 09:30", "thu 12:30", "fri 16:00"],
            '  "tue 09:30",\n  # the lunch slot\n  "thu 12:30",  # lunch\n  "fri 16:00",\n',
        ),
        (
            (*PLATFORMS, 0),
            "best_times",
            ["fri 16:00", "thu 12:30", "tue 09:00"],
            '  "fri 16:00",\n  # the lunch slot\n  "thu 12:30",  # lunch\n  "tue 09:00", # morning\n',
        ),
    ],
    ids=[
        "remove-last",
        "remove-one-with-its-comment-line",
        "remove-first-with-its-comment",
        "add-at-end",
        "add-above-a-comment-line",
        "move",
        "best-times-remove",
        "best-times-change",
        "best-times-reverse",
    ],
)
def test_comments_inside_a_multiline_array_stay_with_their_elements(
    tmp_path: Path, table, key: str, value: list, lines: str
) -> None:
    """An element that stays keeps its comments; one removed takes its own; no other line changes."""
    plan_file = opened(tmp_path, SPELLED)
    plan_file.apply(SetField(table, key, value))
    plan_file.save()
    assert (tmp_path / "plan.toml").read_text("utf-8") == _with_array(key, lines)
    plan_file.undo()
    assert plan_file.render() == SPELLED.encode("utf-8")


SPLIT = (
    SPELLED
    + """
[[competitors]]
name = "Globex"

# our own notes about the market
[market]
size = "large"

[[competitors]]
name = "Initech"
"""
)


@pytest.mark.parametrize("prepare", [False, True])
@pytest.mark.parametrize(
    "edit",
    [
        AddEntry(COMPETITORS, {"name": "Umbrella"}),
        DeleteEntry(COMPETITORS, 0),
        MoveEntry(COMPETITORS, 0, 1),
        SetField((*COMPETITORS, 1), "notes", "cheap"),
        SetField((*POSTS, 0), "title", "Teaser"),  # anywhere: tomlkit would move [[competitors]] on any save
    ],
    ids=lambda edit: edit.describe(),
)
def test_an_array_split_by_another_table_refuses_edits_up_front(tmp_path: Path, edit, prepare: bool) -> None:
    """Adding, deleting or moving an entry was taken, then every save failed; any edit moved lines."""
    from planner.errors import EditError

    plan_file = opened(tmp_path, SPLIT, prepare=prepare)
    line = SPLIT.splitlines().index('size = "large"') + 3
    with pytest.raises(EditError) as refused:
        plan_file.apply(edit)
    message = refused.value.message
    assert f"[[competitors]] is split across the file (another table comes before its part at line {line})" in message
    assert "put all its entries together by hand" in message and "\n" not in message
    assert not plan_file.dirty and not plan_file.can_undo
    plan_file.save()
    assert (tmp_path / "plan.toml").read_text("utf-8") == SPLIT


def test_the_comment_above_a_table_after_an_array_stays_above_it(tmp_path: Path) -> None:
    """The comment above ``[market]`` moved below it on any edit when the array went on after it."""
    text = SPLIT.replace('\n[[competitors]]\nname = "Initech"\n', "")
    plan_file = opened(tmp_path, text)
    plan_file.apply(AddEntry(COMPETITORS, {"name": "Umbrella"}))
    plan_file.apply(SetField((*COMPETITORS, 0), "notes", "big"))
    plan_file.save()
    expected = text.replace(
        'name = "Globex"\n', 'name = "Globex"\nnotes = "big"\n\n[[competitors]]\nname = "Umbrella"\n'
    )
    assert (tmp_path / "plan.toml").read_text("utf-8") == expected


def test_planner_import_on_a_split_plan_says_which_array_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`planner import` goes through the same edits: it moved a whole ``[[competitors]]`` table."""
    from click.testing import CliRunner

    from planner.cli import main

    monkeypatch.chdir(tmp_path)
    path = write_plan(tmp_path, SPLIT)
    (tmp_path / "posts.csv").write_text(
        "id,date,time,platform,format,status,title,text,link,tags,notes\r\n"
        "p9,2026-03-20,09:00,linkedin,post,draft,Imported,Hello,,,\r\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["import", "plan.toml", "posts.csv"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("planner: posts.csv: not imported: ")
    assert "[[competitors]] is split across the file" in result.output and len(result.output.splitlines()) == 1
    assert path.read_text("utf-8") == SPLIT


@pytest.mark.parametrize(
    ("lines", "value", "expected"),
    [
        ('  "a",\n  "b"\n  # more to come\n', ["a", "b", "c"], '  "a",\n  "b",\n  # more to come\n  "c"\n'),
        ('    "a"  # first\n  , "b"\n', ["a", "c"], '    "a",\n    "c",\n'),  # commas first: written anew
    ],
    ids=["after-a-comment-line", "commas-first"],
)
def test_an_array_in_any_layout_is_edited_to_exactly_its_new_values(
    tmp_path: Path, lines: str, value: list, expected: str
) -> None:
    """tomlkit left out a comma after an element followed by a comment line: the plan would not read back."""
    text = (
        MINIMAL_PLAN
        + '\n[[smm.posts]]\nid = "p1"\nplatform = "x"\nat = 2026-03-17T09:00:00\ntags = [\n'
        + lines
        + "]\n"
    )
    plan_file = opened(tmp_path, text)
    plan_file.apply(SetField((*POSTS, 0), "tags", value))
    plan_file.save()
    assert (tmp_path / "plan.toml").read_text("utf-8") == text.replace(lines, expected)
    plan_file.undo()
    assert plan_file.render() == text.encode("utf-8")
