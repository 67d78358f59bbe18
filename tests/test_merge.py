"""The merge by entry and field (issue 17): `planner.plan.merge` and `planner merge-driver`,
byte for byte; a property over random edits; conflicts named with their lines."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.errors import PlanUnreadable
from planner.plan.conflicts import PlanConflicted
from planner.plan.document import Document
from planner.plan.edits import AddEntry, DeleteEntry, SetField, apply_to_data
from planner.plan.merge import merge_texts
from planner.plan.plan_file import load, same_data
from planner.report import all_problems

SHOP = (SAMPLES / "shop-launch.toml").read_text("utf-8")
POSTS = ("smm", "posts")


_DOCUMENTS: dict[str, Document] = {}


def edited(text: str, *edits) -> str:
    """``text`` with ``edits`` made as the app makes them (one parsed document per text, each edit undone after)."""
    if text not in _DOCUMENTS:
        _DOCUMENTS[text] = Document(text)
    document = _DOCUMENTS[text]
    journals = [document.apply(edit) for edit in edits]
    try:
        return document.dumps()
    finally:
        for journal in reversed(journals):
            journal.revert()
        assert document.dumps() == text


def post_index(text: str, ident: str) -> int:
    return [post["id"] for post in tomllib.loads(text)["smm"]["posts"]].index(ident)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def driver(tmp_path: Path, runner: CliRunner):
    """Run `planner merge-driver` on three texts as git would; return (exit code, result bytes, standard error)."""

    def run(
        base: str | bytes, ours: str | bytes, theirs: str | bytes, name: str = "plans/shop.toml"
    ) -> tuple[int, bytes, str]:
        files = []
        for label, content in (("base", base), ("ours", ours), ("theirs", theirs)):
            path = tmp_path / f".merge_file_{label}"
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            files.append(str(path))
        result = runner.invoke(main, ["merge-driver", *files, name])
        return result.exit_code, Path(files[1]).read_bytes(), result.stderr

    return run


# -- clean merges ------------------------------------------------------------------------------


def test_different_posts_merge_and_only_their_lines_change(driver, line_changes) -> None:
    ours = SHOP.replace('status = "draft"\ntitle = "Countdown', 'status = "review"\ntitle = "Countdown')
    theirs = SHOP.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")
    code, merged, errors = driver(SHOP, ours, theirs)
    assert (code, errors) == (0, "")
    assert line_changes(ours.encode(), merged) == (["at = 2027-03-16T19:00:00"], ["at = 2027-03-16T20:00:00"])


def test_two_fields_of_one_post_on_neighbouring_lines_merge(driver) -> None:
    ours = SHOP.replace('format = "story"\nstatus = "draft"', 'format = "story"\nstatus = "review"')
    theirs = SHOP.replace(
        'status = "draft"\ntitle = "Countdown sticker"', 'status = "draft"\ntitle = "Countdown: 4 days"'
    )
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 0
    assert 'status = "review"\ntitle = "Countdown: 4 days"' in merged.decode()


def test_identical_sides_and_one_side_unchanged_are_byte_for_byte(driver) -> None:
    ours = "\ufeff" + SHOP.replace("\n", "\r\n").replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")
    assert driver(SHOP, ours, ours)[:2] == (0, ours.encode())
    assert driver(SHOP, ours, SHOP)[:2] == (0, ours.encode())
    assert driver(SHOP, SHOP, ours)[:2] == (0, ours.encode())


def test_our_comments_and_theirs_survive(driver) -> None:
    ours = SHOP.replace("# Owner: Lena", "# Reviewed on Monday by Lena\n# Owner: Lena")
    new_post = '# A post only they added, with its own comment.\n[[smm.posts]]\nid = "pin-gift-guide"   # for the gift guide\nplatform = "pinterest"\nat = 2027-03-24T20:00:00\ntitle = "Gift guide"\n\n'
    anchor = '[[smm.posts]]\nid = "ig-countdown-story"'
    theirs = SHOP.replace(anchor, new_post + anchor)
    code, merged, _ = driver(SHOP, ours, theirs)
    text = merged.decode()
    assert code == 0
    assert "# Reviewed on Monday by Lena\n# Owner: Lena" in text
    assert new_post + anchor in text  # written as they wrote it, where they put it
    assert text.replace("# Reviewed on Monday by Lena\n", "") == theirs


def test_an_entry_only_they_changed_comes_as_they_wrote_it_comments_and_all(driver) -> None:
    theirs = SHOP.replace(
        '[[smm.posts]]\nid = "ig-countdown-story"\n',
        '# Lena: check the sticker size\n[[smm.posts]]\nid = "ig-countdown-story"\n',
    )
    theirs = theirs.replace(
        'status = "draft"\ntitle = "Countdown', 'status = "review"   # ready on Friday\ntitle = "Countdown'
    )
    ours = SHOP.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 0
    assert merged.decode() == theirs.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")


def test_their_change_to_an_entry_whose_comment_we_changed_keeps_our_comment(driver) -> None:
    ours = SHOP.replace(
        'status = "draft"\ntitle = "Countdown', 'status = "draft"   # waiting for the photo\ntitle = "Countdown'
    )
    theirs = SHOP.replace('title = "Countdown sticker"', 'title = "Countdown: 4 days"')
    code, merged, _ = driver(SHOP, ours, theirs)
    assert (code, merged.decode()) == (0, ours.replace('title = "Countdown sticker"', 'title = "Countdown: 4 days"'))


def test_posts_added_on_both_sides_are_both_kept_and_look_alikes_warned(driver, tmp_path: Path) -> None:
    post = {
        "platform": "instagram",
        "at": dt.datetime(2027, 3, 30, 19, 0),
        "title": "Last call",
        "text": "Last call for the first batch.",
    }
    ours, theirs = (
        edited(SHOP, AddEntry(POSTS, {"id": "last-call", **post})),
        edited(SHOP, AddEntry(POSTS, {"id": "last-call-ig", **post})),
    )
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 0
    data = tomllib.loads(merged.decode())
    assert [p["id"] for p in data["smm"]["posts"]][-2:] == ["last-call", "last-call-ig"]
    (tmp_path / "merged.toml").write_bytes(merged)
    warned = [p.message for p in all_problems(load(tmp_path / "merged.toml")) if p.code == "look-alike"]
    assert warned == ["post 'last-call-ig' looks like the same post as 'last-call': instagram, the same text"]


def test_a_rename_on_one_side_and_an_edit_on_the_other(driver) -> None:
    ours = SHOP.replace('id = "tt-glaze-test"', 'id = "tt-glaze-tiles"')
    theirs = SHOP.replace('title = "Glaze test: 14 tries to get the Tide blue"', 'title = "Glaze test: 14 tries"')
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 0
    assert (
        'id = "tt-glaze-tiles"\nplatform = "tiktok"\nat = 2027-03-17T18:00:00\nformat = "video"\nstatus = "approved"\ntitle = "Glaze test: 14 tries"'
        in merged.decode()
    )
    code, merged, _ = driver(SHOP, theirs, ours)  # the other way round
    assert (
        code == 0 and 'id = "tt-glaze-tiles"' in merged.decode() and 'title = "Glaze test: 14 tries"' in merged.decode()
    )


def test_a_post_they_deleted_goes_when_we_did_not_touch_it(driver) -> None:
    index = post_index(SHOP, "pin-easter-table")
    theirs = edited(SHOP, DeleteEntry(POSTS, index))
    ours = SHOP.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 0
    assert merged.decode() == theirs.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")


def test_two_handles_on_one_line_merge_and_the_same_handle_conflicts(driver) -> None:
    line = 'handles = { instagram = "@clayworkstudio", tiktok = "@claywork" }'
    ours = SHOP.replace(line, 'handles = { instagram = "@claywork.studio", tiktok = "@claywork" }')
    theirs = SHOP.replace(line, 'handles = { instagram = "@clayworkstudio", tiktok = "@claywork_" }')
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 0 and 'handles = { instagram = "@claywork.studio", tiktok = "@claywork_" }' in merged.decode()
    theirs = SHOP.replace(line, 'handles = { instagram = "@claywork", tiktok = "@claywork" }')
    code, merged, errors = driver(SHOP, ours, theirs)
    assert code == 1 and "conflict over handles.instagram of competitor 'Claywork Studio'" in errors
    ours_line, theirs_line = (
        'handles = { instagram = "@claywork.studio", tiktok = "@claywork" }',
        'handles = { instagram = "@claywork", tiktok = "@claywork" }',
    )
    assert f"<<<<<<< ours\n{ours_line}\n=======\n{theirs_line}\n>>>>>>> theirs\n" in merged.decode()


def test_a_field_we_removed_and_they_changed_is_a_conflict_with_one_side_empty(driver) -> None:
    ours = SHOP.replace('notes = "Use the countdown sticker; link sticker to the newsletter sign-up."\n', "")
    theirs = SHOP.replace("Use the countdown sticker;", "Use the big countdown sticker;")
    code, merged, errors = driver(SHOP, ours, theirs)
    assert code == 1 and "conflict over notes of post 'ig-countdown-story': ours (none)" in errors
    assert (
        'text = "4 days to go -- tap the countdown to get a reminder."\n<<<<<<< ours\n=======\nnotes = "Use the big countdown sticker;'
        in merged.decode()
    )


def test_a_crlf_plan_with_a_byte_order_mark_stays_so(driver) -> None:
    base = "\ufeff" + SHOP.replace("\n", "\r\n")
    ours = base.replace('status = "draft"\r\ntitle = "Countdown', 'status = "review"\r\ntitle = "Countdown')
    theirs = base.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")
    code, merged, _ = driver(base, ours, theirs)
    assert code == 0
    assert merged == ours.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00").encode()


def test_a_file_that_is_not_a_plan_is_merged_line_by_line(driver, git) -> None:
    base = '[project]\nname = "x"\nversion = "1"\n\n[tool]\nx = 1\n'
    code, merged, errors = driver(base, base.replace('"1"', '"2"'), base.replace("x = 1", "x = 2"), "pyproject.toml")
    assert (code, errors) == (0, "")
    assert merged.decode() == '[project]\nname = "x"\nversion = "2"\n\n[tool]\nx = 2\n'


# -- conflicts ---------------------------------------------------------------------------------


def test_the_same_field_changed_differently_is_marked_around_that_field_only(driver, tmp_path: Path) -> None:
    ours = SHOP.replace('status = "draft"\ntitle = "Countdown', 'status = "review"\ntitle = "Countdown').replace(
        "end = 2027-04-04 ", "end = 2027-04-18 "
    )
    theirs = SHOP.replace('status = "draft"\ntitle = "Countdown', 'status = "approved"\ntitle = "Countdown').replace(
        "end = 2027-04-04 ", "end = 2027-04-11 "
    )
    theirs = theirs.replace("at = 2027-03-16T19:00:00", "at = 2027-03-16T20:00:00")  # merges cleanly
    code, merged, errors = driver(SHOP, ours, theirs)
    text = merged.decode()
    assert code == 1
    comment = "                 # Easter Sunday is 28 March; we run one more week after it"
    assert (
        f"start = 2027-03-01\n<<<<<<< ours\nend = 2027-04-18{comment}\n=======\nend = 2027-04-11{comment}\n>>>>>>> theirs\nobjective"
        in text
    )
    assert (
        'format = "story"\n<<<<<<< ours\nstatus = "review"\n=======\nstatus = "approved"\n>>>>>>> theirs\ntitle = "Countdown sticker"'
        in text
    )
    assert "at = 2027-03-16T20:00:00" in text
    lines = text.splitlines()
    first, second = (i + 1 for i, line in enumerate(lines) if line == "<<<<<<< ours")
    assert errors.splitlines() == [
        f"planner: plans/shop.toml:{first}: conflict over campaign.end: ours 2027-04-18, theirs 2027-04-11",
        f"planner: plans/shop.toml:{second}: conflict over status of post 'ig-countdown-story': ours “review”, theirs “approved”",
    ]
    # planner check names each conflict with its line; loading says where the first is, in one line.
    (tmp_path / "shop.toml").write_bytes(merged)
    with pytest.raises(PlanConflicted) as raised:
        load(tmp_path / "shop.toml")
    assert (
        str(raised.value)
        == f'{tmp_path / "shop.toml"}:{first}: unresolved merge conflict over end of campaign "Tide collection launch" (and 1 more); keep one side and delete the <<<<<<<, ======= and >>>>>>> lines'
    )
    assert isinstance(raised.value, PlanUnreadable)  # the app shows it on its error screen, as any plan it cannot read


def test_check_lists_every_conflict_with_its_line(
    driver, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = SHOP.replace('title = "Behind the wheel"', 'title = "Behind the wheel (ours)"').replace(
        'title = "Countdown sticker"', 'title = "Countdown (ours)"'
    )
    theirs = SHOP.replace('title = "Behind the wheel"', 'title = "Behind the wheel (theirs)"').replace(
        'title = "Countdown sticker"', 'title = "Countdown (theirs)"'
    )
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 1
    monkeypatch.chdir(tmp_path)
    Path("shop.toml").write_bytes(merged)
    lines = merged.decode().splitlines()
    first, second = (i + 1 for i, line in enumerate(lines) if line == "<<<<<<< ours")
    result = runner.invoke(main, ["check", "shop.toml"])
    assert result.exit_code == 2
    resolve = "keep one side and delete the <<<<<<<, ======= and >>>>>>> lines"
    assert result.output.splitlines() == [
        f'shop.toml:{first}: unresolved merge conflict over title of post "ig-behind-the-wheel"; {resolve}',
        f'shop.toml:{second}: unresolved merge conflict over title of post "ig-countdown-story"; {resolve}',
    ]


def test_a_post_changed_on_one_side_and_deleted_on_the_other_is_a_conflict(driver) -> None:
    index = post_index(SHOP, "pin-easter-table")
    changed = SHOP.replace('title = "Easter table in sea blue"', 'title = "Easter table"')
    deleted = edited(SHOP, DeleteEntry(POSTS, index))
    code, merged, errors = driver(SHOP, changed, deleted)
    assert code == 1 and "they deleted post 'pin-easter-table', we changed it" in errors
    text = merged.decode()
    assert '<<<<<<< ours\n[[smm.posts]]\nid = "pin-easter-table"' in text and 'title = "Easter table"' in text
    assert text.count("=======\n>>>>>>> theirs") == 1
    code, merged, errors = driver(SHOP, deleted, changed)
    assert code == 1 and "we deleted post 'pin-easter-table', they changed it" in errors
    assert '<<<<<<< ours\n=======\n[[smm.posts]]\nid = "pin-easter-table"' in merged.decode()


# -- a property over random edits ---------------------------------------------------------------

BASE = load(SAMPLES / "shop-launch.toml")
POST_IDS = [post.id for post in BASE.plan.posts]
ITEM_IDS = [item.id for item in BASE.plan.smo_items]
FIELD_VALUES = {
    "title": st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    "status": st.sampled_from(["idea", "draft", "review", "approved", "scheduled", "published"]),
    "at": st.datetimes(min_value=dt.datetime(2027, 3, 1), max_value=dt.datetime(2027, 4, 4)).map(
        lambda d: d.replace(microsecond=0)
    ),
    "notes": st.one_of(st.none(), st.text(max_size=30)),
    "tags": st.lists(st.sampled_from(["launch", "teaser", "easter", "process"]), max_size=3, unique=True),
}


def _edit(where: tuple[str, str, str], value) -> SetField:
    array, ident, key = where
    ids = POST_IDS if array == "posts" else ITEM_IDS
    path = (*POSTS, ids.index(ident)) if array == "posts" else ("smo", "items", ids.index(ident))
    return SetField(path, key, value)


places = st.one_of(
    st.tuples(st.just("posts"), st.sampled_from(POST_IDS), st.sampled_from(sorted(FIELD_VALUES))),
    st.tuples(st.just("items"), st.sampled_from(ITEM_IDS), st.sampled_from(["done", "owner", "notes"])),
)


def _value(where: tuple[str, str, str]):
    key = where[2]
    if where[0] == "items":
        return st.booleans() if key == "done" else st.one_of(st.none(), st.text(max_size=15))
    return FIELD_VALUES[key]


@st.composite
def edit_sequences(draw, overlap: bool):
    """Two lists of field edits from the same base; with ``overlap`` they share at least one (entry, field)."""
    spots = draw(st.lists(places, min_size=2, max_size=8, unique=True))
    cut = draw(st.integers(1, len(spots) - 1))
    ours, theirs = spots[:cut], spots[cut:]
    if overlap:
        theirs = [*theirs, ours[0]]
    return [_edit(w, draw(_value(w))) for w in ours], [_edit(w, draw(_value(w))) for w in theirs]


def _applied(edits) -> dict:
    data = tomllib.loads(SHOP)
    for edit in edits:
        apply_to_data(data, edit)
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_sequences(overlap=False))
def test_disjoint_edits_merge_to_the_plan_with_both_applied(sequences) -> None:
    ours_edits, theirs_edits = sequences
    result = merge_texts(SHOP, edited(SHOP, *ours_edits), edited(SHOP, *theirs_edits))
    assert result.conflicts == []
    assert same_data(tomllib.loads(result.text), _applied([*ours_edits, *theirs_edits]))
    assert same_data(
        tomllib.loads(merge_texts(SHOP, edited(SHOP, *theirs_edits), edited(SHOP, *ours_edits)).text),
        tomllib.loads(result.text),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_sequences(overlap=True))
def test_overlapping_edits_are_reported_never_resolved_silently(sequences) -> None:
    ours_edits, theirs_edits = sequences
    ours, theirs = _applied(ours_edits), _applied(theirs_edits)
    result = merge_texts(SHOP, edited(SHOP, *ours_edits), edited(SHOP, *theirs_edits))
    shared = theirs_edits[-1]
    index, key = shared.table[-1], shared.key
    array = shared.table[:-1]

    def value(data):
        node = data
        for part in array:
            node = node[part]
        return node[index].get(key)

    if value(ours) == value(theirs) or value(theirs) == value(_applied([])) or value(ours) == value(_applied([])):
        return  # one side did not change it after all (or both made it the same): nothing to conflict
    conflicted = {(c.entry, c.key[-1]) for c in result.conflicts}
    ident = ours["smm"]["posts"][index]["id"] if array == POSTS else ours["smo"]["items"][index]["id"]
    assert (ident, key) in conflicted
    assert "<<<<<<< ours" in result.text


def test_entries_added_and_deleted_on_both_sides_merge_by_identity() -> None:
    new = {"id": "new-{}", "platform": "instagram", "at": dt.datetime(2027, 3, 29, 19, 0), "title": "New {}"}
    ours = edited(
        SHOP,
        AddEntry(POSTS, {k: v.format("a") if isinstance(v, str) else v for k, v in new.items()}, 0),
        DeleteEntry(POSTS, post_index(SHOP, "tt-glaze-test") + 1),
    )
    theirs = edited(
        SHOP,
        AddEntry(POSTS, {k: v.format("b") if isinstance(v, str) else v for k, v in new.items()}),
        DeleteEntry(POSTS, post_index(SHOP, "pin-easter-table")),
    )
    result = merge_texts(SHOP, ours, theirs)
    ids = [post["id"] for post in tomllib.loads(result.text)["smm"]["posts"]]
    assert result.conflicts == [] and ids[0] == "new-a" and ids[-1] == "new-b"
    assert "tt-glaze-test" not in ids and "pin-easter-table" not in ids and len(ids) == len(POST_IDS)


async def test_the_app_refuses_a_plan_with_conflicts_and_says_where(
    driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.app.load_error import LoadErrorScreen
    from planner.app.main import make_app
    from planner.settings import Settings

    ours = SHOP.replace('status = "draft"\ntitle = "Countdown', 'status = "review"\ntitle = "Countdown')
    theirs = SHOP.replace('status = "draft"\ntitle = "Countdown', 'status = "approved"\ntitle = "Countdown')
    code, merged, _ = driver(SHOP, ours, theirs)
    assert code == 1
    line = merged.decode().splitlines().index("<<<<<<< ours") + 1
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "shop.toml"
    path.write_bytes(merged)
    app = make_app(path, Settings())
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):  # until the load has failed and said so
            await app.workers.wait_for_complete()
            await pilot.pause()
            if isinstance(app.screen, LoadErrorScreen):
                break
        assert isinstance(app.screen, LoadErrorScreen) and app.plan_file is None
        text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert f"shop.toml:{line}: unresolved merge conflict over status of post" in text
        await pilot.press("q")
    assert path.read_bytes() == merged
