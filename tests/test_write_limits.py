"""Every write path keeps to the reader's size limits (issue 12, item 8).

The editing core refuses an edit that would make a plan planner cannot
open, when it is applied (so the app says "Not changed: ..." and keeps the
other edits), and a save checks the file's size before anything is written.
`planner import` is tested in test_import.py; the post editor and
`audit --apply` apply their edits through the same `PlanFile.apply`.
"""

from __future__ import annotations

import pytest

from planner.errors import EditError, SaveError
from planner.plan import limits
from planner.plan.edits import AddEntry, Batch, SetField
from planner.plan.model import POSTS
from planner.plan.plan_file import PlanFile, load
from planner.plan.posts import add_post, update_post


def test_a_pasted_text_over_the_limit_is_not_applied_and_the_other_edits_stay(sample) -> None:
    plan = sample()
    before = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    plan_file.apply(SetField((*POSTS, 1), "title", "Kept"))
    with pytest.raises(EditError) as refused:
        plan_file.apply(SetField((*POSTS, 0), "text", "x" * 120_000))
    assert (
        refused.value.message
        == "smm.posts[0].text: text of 120,000 characters; planner reads at most 100,000 in one text"
    )
    assert len(plan_file.plan.posts[0].text) < 1000 and plan_file.plan.posts[1].title == "Kept"
    assert plan_file.unsaved_edits() == [SetField((*POSTS, 1), "title", "Kept")]
    assert plan.read_bytes() == before
    plan_file.save()
    assert load(plan).plan.posts[1].title == "Kept"


def test_the_post_editors_edits_over_the_limit_are_refused(sample) -> None:
    """What the post form's result becomes (`update_post`, `add_post`) goes through the same check."""
    plan_file = PlanFile.open(sample())
    post = plan_file.plan.posts[0]
    paste = "a 120,000-character paste " + "y" * 119_974
    edit = update_post(plan_file.plan, 0, {"text": paste})
    assert edit is not None
    with pytest.raises(
        EditError,
        match=r"^smm\.posts\[0\]\.text: text of 120,000 characters; planner reads at most 100,000 in one text$",
    ):
        plan_file.apply(edit)
    _, add = add_post(plan_file.plan, {"platform": post.platform, "at": post.at, "title": "New", "notes": paste})
    with pytest.raises(EditError, match=r"\.notes: text of 120,000 characters"):
        plan_file.apply(add)
    assert plan_file.plan.posts[0] == post and not plan_file.dirty


def test_entries_over_the_limit_and_nesting_too_deep_are_refused_whole(sample) -> None:
    plan_file = PlanFile.open(sample())
    count = len(plan_file.plan.posts)
    base = plan_file.plan.posts[0]
    new = [
        AddEntry(POSTS, {"id": f"p{i}", "platform": base.platform, "at": base.at, "title": "t", "text": "x"})
        for i in range(3)
    ]
    with pytest.raises(EditError, match=r"^smm\.posts\[\d+\]\.tags\[0\]: text of 100,001 characters"):
        plan_file.apply(
            Batch(
                (
                    *new,
                    AddEntry(POSTS, {"id": "big", "platform": base.platform, "at": base.at, "tags": ["t" * 100_001]}),
                )
            )
        )
    deep: object = "bottom"
    for _ in range(40):
        deep = {"k": deep}
    with pytest.raises(EditError, match=r"nested more than 32 levels deep; a plan nests at most 32$"):
        plan_file.apply(SetField(("campaign",), "extra", deep))
    with pytest.raises(
        EditError, match=r"^smm\.posts\[0\]: a key of 100,001 characters; planner reads at most 100,000$"
    ):
        plan_file.apply(SetField((*POSTS, 0), "k" * 100_001, 1))
    assert len(plan_file.plan.posts) == count and not plan_file.dirty
    assert "extra" not in plan_file.data["campaign"]


def test_a_refused_entry_leaves_no_table_behind(sample) -> None:
    plan_file = PlanFile.open(sample())
    with pytest.raises(EditError):
        plan_file.apply(AddEntry(("new", "things"), {"text": "x" * 100_001}))
    assert "new" not in plan_file.data


def test_a_save_over_the_file_size_limit_writes_nothing(sample, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = sample()
    before = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    base = plan_file.plan.posts[0]
    texts = [
        AddEntry(POSTS, {"id": f"long-{i}", "platform": base.platform, "at": base.at, "notes": "n" * 99_000})
        for i in range(11)
    ]
    plan_file.apply(Batch(tuple(texts)))  # each within the limits; together over 1 MB
    monkeypatch.setattr(limits, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(SaveError) as refused:
        plan_file.save()
    assert (
        refused.value.message == f"{plan}: not saved: it would be larger than 1 MB; planner opens plan files up to 1 MB"
    )
    assert plan.read_bytes() == before and plan_file.dirty
    assert sorted(p.name for p in plan.parent.iterdir() if p.suffix) == [plan.name]


@pytest.mark.parametrize("tree", [False, True], ids=["as-text", "through-the-tree"])
def test_a_save_that_would_go_over_the_key_limit_writes_nothing(
    sample, monkeypatch: pytest.MonkeyPatch, tree: bool
) -> None:
    """The number of keys is only known for the whole plan: the save checks it before anything is written."""
    plan = sample()
    before = plan.read_bytes()
    plan_file = PlanFile.open(plan)
    monkeypatch.setattr(limits, "MAX_KEYS", limits.count_keys(plan_file.data) + 3)
    base = plan_file.plan.posts[0]
    plan_file.apply(
        AddEntry(POSTS, {"id": "one-more", "platform": base.platform, "at": base.at, "title": "t", "text": "x"})
    )
    if tree:
        plan_file.prepare()
    with pytest.raises(SaveError) as refused:
        plan_file.save()
    assert refused.value.message.endswith(
        f": not saved: {limits.count_keys(plan_file.data):,} keys; a plan holds at most {limits.MAX_KEYS:,}"
    )
    assert plan.read_bytes() == before and plan_file.dirty
