"""Post edits (planner.plan.posts): what they change in the plan and, on bytes, in the saved file."""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.plan.edits import AddEntry, Batch, DeleteEntry, SetField
from planner.plan.ids import unique
from planner.plan.plan_file import PlanFile
from planner.plan.posts import add_post, delete_post, duplicate_post, entry, move_post, update_post

NEW_POST = {
    "platform": "instagram",
    "at": dt.datetime(2027, 3, 22, 19, 0),
    "format": "reel",
    "status": "draft",
    "title": "Teaser",
    "text": "Line one\nLine two",
    "link": "",
    "tags": ["launch"],
    "notes": "",
}


@pytest.fixture
def opened(sample) -> PlanFile:
    return PlanFile.open(sample("shop-launch.toml"))


def index_of(plan_file: PlanFile, post_id: str) -> int:
    return next(i for i, post in enumerate(plan_file.plan.posts) if post.id == post_id)


def form_fields(post) -> dict:
    """The fields of ``post`` as the post form returns them."""
    return {
        key: getattr(post, key)
        for key in ("platform", "at", "format", "status", "title", "text", "link", "tags", "notes")
    }


def saved(plan_file: PlanFile) -> bytes:
    plan_file.save()
    return plan_file.path.read_bytes()


def diff(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """The lines removed from ``before`` and added in ``after``."""
    lines = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    changed = [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return [line[1:] for line in changed if line[0] == "-"], [line[1:] for line in changed if line[0] == "+"]


TT_LAUNCH_LIVE = [
    'id = "tt-launch-live"',
    'platform = "tiktok"',
    "at = 2027-03-25T20:00:00          # after the shop closes",
    'format = "live"',
    'status = "review"',
    'title = "Open studio live"',
    'text = "Live from the studio: ask us anything about the Tide collection."',
    'notes = "Jonas hosts, Lena throws. 30 minutes max."',
    'tags = ["launch"]',
]


def applied(plan_file: PlanFile, edit) -> tuple[bytes, bytes, list[str], list[str]]:
    """Apply ``edit`` and save: the bytes before and after, and the lines removed and added."""
    original = plan_file.path.read_bytes()
    plan_file.apply(edit)
    after = saved(plan_file)
    return original, after, *diff(original, after)


def undo_gives_back(plan_file: PlanFile, original: bytes) -> None:
    plan_file.undo()
    assert saved(plan_file) == original


# -- the pure part ------------------------------------------------------------------


def test_an_entry_has_the_canonical_key_order_and_leaves_out_empty_and_default_values() -> None:
    value = entry(
        {
            "notes": "n",
            "title": "T",
            "at": dt.datetime(2027, 3, 1, 9),
            "platform": "x",
            "id": "t",
            "format": "post",
            "status": "idea",
            "tags": [],
            "link": "",
        }
    )
    assert list(value) == ["id", "platform", "at", "title", "notes"]


def test_ids_are_unique() -> None:
    assert unique("a", {"b"}) == "a"
    assert unique("a", {"a", "a-2"}) == "a-3"


def test_a_new_post_gets_an_id_from_its_title_unique_among_posts(opened: PlanFile) -> None:
    ident, edit = add_post(opened.plan, {**NEW_POST, "title": "Behind the wheel"})
    assert ident == "behind-the-wheel"  # the sample's post with that title has another id
    ident, edit = add_post(opened.plan, {**NEW_POST, "title": "IG teaser glaze"})
    assert ident == "ig-teaser-glaze-2"
    assert isinstance(edit, AddEntry) and edit.value["id"] == ident
    assert edit.describe() == "add post “IG teaser glaze”"  # the title, not the new id


def test_an_update_sets_only_the_changed_keys_and_removes_emptied_ones(opened: PlanFile) -> None:
    index = index_of(opened, "ig-countdown-story")
    post = opened.plan.posts[index]
    fields = form_fields(post)
    assert update_post(opened.plan, index, fields) is None
    edit = update_post(opened.plan, index, {**fields, "status": "review", "notes": "", "tags": ["launch"]})
    assert isinstance(edit, Batch) and edit.describe() == "edit post “Countdown sticker”"
    assert list(edit.edits) == [
        SetField(("smm", "posts", index), "status", "review"),
        SetField(("smm", "posts", index), "tags", ["launch"]),
        SetField(("smm", "posts", index), "notes", None),
    ]


def test_a_move_keeps_the_time_of_day(opened: PlanFile) -> None:
    index = index_of(opened, "pin-care-guide")
    edit = move_post(opened.plan, index, -7)
    assert edit.value == dt.datetime(2027, 3, 26, 20, 0)
    assert edit.describe() == "move post “How to care for stoneware” to 2027-03-26"


def test_duplicates_get_their_own_ids_even_when_the_obvious_one_is_taken(opened: PlanFile) -> None:
    index = index_of(opened, "ig-launch-day")
    opened.apply(add_post(opened.plan, {**NEW_POST, "title": "ig-launch-day-tiktok"})[1])
    copies, edit = duplicate_post(opened.plan, index, ["tiktok", "pinterest"])
    assert [copy.id for copy in copies] == ["ig-launch-day-tiktok-2", "ig-launch-day-pinterest"]
    assert (
        edit.describe()
        == "duplicate post “Launch: Tide is here” to tiktok (2027-03-27 11:00), pinterest (2027-03-28 20:00) as drafts"
    )


def test_a_copy_is_a_draft_at_its_platforms_next_free_best_time_in_a_format_it_has(opened: PlanFile) -> None:
    original = opened.plan.posts[index_of(opened, "ig-teaser-glaze")]  # Tue 16 March 19:00, an approved reel
    copies, _ = duplicate_post(opened.plan, index_of(opened, "ig-teaser-glaze"), ["tiktok", "pinterest", "x"])
    tiktok, pinterest, x = copies
    # TikTok's wed 18:00 and Pinterest's fri 20:00 that week have a post already: their next slots.
    assert tiktok.at == dt.datetime(2027, 3, 20, 11) and pinterest.at == dt.datetime(2027, 3, 21, 20)
    assert x.at == original.at  # not chosen, no best times: the original's time
    assert {copy.status for copy in copies} == {"draft"}
    assert (tiktok.format, pinterest.format, x.format) == (
        "video",
        "pin",
        "post",
    )  # neither has reels: its first format
    assert all((copy.title, copy.text, copy.tags) == (original.title, original.text, original.tags) for copy in copies)


def test_a_copy_of_a_past_post_goes_to_the_next_slot_from_now(opened: PlanFile) -> None:
    index = index_of(opened, "ig-teaser-glaze")  # Tue 16 March 19:00
    copies, _ = duplicate_post(opened.plan, index, ["tiktok"], now=dt.datetime(2027, 3, 21, 12))
    assert copies[0].at == dt.datetime(2027, 3, 27, 11)  # after Sunday noon: wed 24 18:00 is taken, sat 27 11:00
    copies, _ = duplicate_post(opened.plan, index, ["tiktok"], now=dt.datetime(2027, 3, 1, 9))
    assert copies[0].at == dt.datetime(2027, 3, 20, 11)  # the post is later than now: from the post


# -- on bytes ---------------------------------------------------------------------------


def test_adding_a_post_appends_one_canonical_entry_after_the_last_post(opened: PlanFile) -> None:
    ident, edit = add_post(opened.plan, NEW_POST)
    original, after, removed, added = applied(opened, edit)
    assert removed == []
    assert added == [
        "",
        "[[smm.posts]]",
        'id = "teaser"',
        'platform = "instagram"',
        "at = 2027-03-22T19:00:00",
        'format = "reel"',
        'status = "draft"',
        'title = "Teaser"',
        'text = """Line one',
        'Line two"""',
        'tags = ["launch"]',
    ]
    # Right below the last post, before the competitors' comment.
    text = after.decode()
    assert text.index('id = "teaser"') < text.index("# Who else our customers follow.")
    assert tomllib.loads(text)["smm"]["posts"][-1]["id"] == ident
    undo_gives_back(opened, original)


def test_editing_a_post_changes_only_its_changed_lines(opened: PlanFile) -> None:
    original = opened.path.read_bytes()
    index = index_of(opened, "tt-launch-live")
    post = opened.plan.posts[index]
    fields = form_fields(post)
    opened.apply(
        update_post(opened.plan, index, {**fields, "status": "approved", "title": "Open studio, live", "notes": ""})
    )
    after = saved(opened)
    removed, added = diff(original, after)
    assert removed == [
        'status = "review"',
        'title = "Open studio live"',
        'notes = "Jonas hosts, Lena throws. 30 minutes max."',
    ]
    assert added == ['status = "approved"', 'title = "Open studio, live"']
    assert "at = 2027-03-25T20:00:00          # after the shop closes" in after.decode()
    undo_gives_back(opened, original)


def test_moving_a_post_changes_its_at_line_and_keeps_the_comment_on_it(opened: PlanFile) -> None:
    original = opened.path.read_bytes()
    opened.apply(move_post(opened.plan, index_of(opened, "tt-launch-live"), 1))
    after = saved(opened)
    assert diff(original, after) == (
        ["at = 2027-03-25T20:00:00          # after the shop closes"],
        ["at = 2027-03-26T20:00:00          # after the shop closes"],
    )
    undo_gives_back(opened, original)


def test_duplicating_a_post_adds_one_entry_per_platform_and_nothing_else(opened: PlanFile) -> None:
    _, edit = duplicate_post(opened.plan, index_of(opened, "tt-glaze-test"), ["instagram"])
    original, after, removed, added = applied(opened, edit)
    assert removed == []
    assert (
        added
        == [
            "",
            "[[smm.posts]]",
            'id = "tt-glaze-test-instagram"',
            'platform = "instagram"',
            "at = 2027-03-28T10:00:00",  # instagram's first free slot (thu 19:00, sun 10:00, tue 19:00 ... are taken); no video format there: "post", the default, is not written
            'status = "draft"',
            'title = "Glaze test: 14 tries to get the Tide blue"',
            "text = \"It took 14 test tiles to get this blue right. Here's every one that didn't make it. #pottery #glaze #ceramics\"",
            'tags = ["teaser", "process"]',
        ]
    )
    posts = tomllib.loads(after.decode())["smm"]["posts"]
    assert [p["id"] for p in posts].count("tt-glaze-test-instagram") == 1
    undo_gives_back(opened, original)


def test_deleting_a_post_removes_its_block_and_its_comment_stays_with_the_next_section(opened: PlanFile) -> None:
    edit = delete_post(opened.plan, index_of(opened, "tt-launch-live"))
    assert isinstance(edit, DeleteEntry) and edit.describe() == "delete post “Open studio live”"
    original, after, removed, added = applied(opened, edit)
    assert added == []
    assert sorted(removed) == sorted(["", "[[smm.posts]]", *TT_LAUNCH_LIVE])
    assert "# --- Week 3: after Easter" in after.decode()
    undo_gives_back(opened, original)


def test_redo_after_undo_gives_the_edited_file_again(opened: PlanFile, tmp_path: Path) -> None:
    opened.apply(move_post(opened.plan, index_of(opened, "pin-gift-guide"), -2))
    moved = saved(opened)
    opened.undo()
    opened.redo()
    assert saved(opened) == moved


# -- properties ---------------------------------------------------------------------------

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(("add", "update", "move", "duplicate", "delete")),
        st.integers(0, 1000),
        st.integers(-10, 10),
        st.text(max_size=20),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_any_series_of_post_edits_saves_a_valid_plan_and_undoing_them_all_gives_the_file_back(sample, actions) -> None:
    plan_file = PlanFile.open(sample("shop-launch.toml"))
    original = plan_file.path.read_bytes()
    for action, pick, days, text in actions:
        plan = plan_file.plan
        index = pick % len(plan.posts)
        if action == "add":
            edit = add_post(plan, {**NEW_POST, "title": text, "notes": text})[1]
        elif action == "update":
            edit = update_post(
                plan, index, {**form_fields(plan.posts[index]), "title": text, "tags": [text] if text else []}
            )
        elif action == "move":
            edit = move_post(plan, index, days)
        elif action == "duplicate":
            edit = duplicate_post(plan, index, ["pinterest", "tiktok"])[1]
        else:
            edit = delete_post(plan, index)
        if edit is not None:
            plan_file.apply(edit)
    saved_plan = PlanFile.open(plan_file.path) if saved(plan_file) else None
    assert saved_plan is not None and [p.id for p in saved_plan.plan.posts] == [p.id for p in plan_file.plan.posts]
    assert len({p.id for p in saved_plan.plan.posts}) == len(saved_plan.plan.posts)  # ids stay unique
    while plan_file.can_undo:
        plan_file.undo()
    assert saved(plan_file) == original
