"""Where new lines go, byte for byte: after the last entry of their kind, below the template's examples, keys in the format's order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.plan.edits import AddEntry, Batch, SetField
from planner.plan.model import SMO_ITEMS
from planner.plan.plan_file import PlanFile
from planner.plan.posts import add_post
from planner.plan.smm_edits import add_competitor, choose_platform, edit_competitor
from planner.plan.template import new_plan_text

POST = {
    "platform": "linkedin",
    "format": "post",
    "status": "idea",
    "title": "Hello",
    "text": "",
    "link": "",
    "tags": [],
    "notes": "",
}
NEW_PLATFORM = b'\n[[smm.platforms]]\nname = "linkedin"\nhandle = "@kiln"\n'
NEW_COMPETITOR = b'\n[[competitors]]\nname = "Globex"\n'


def new_post(at: dt.datetime, ident: str = "hello") -> bytes:
    return f'\n[[smm.posts]]\nid = "{ident}"\nplatform = "linkedin"\nat = {at.isoformat()}\ntitle = "Hello"\n'.encode()


def template_plan(tmp_path: Path) -> PlanFile:
    path = tmp_path / "launch.toml"
    path.write_text(new_plan_text("Launch", "UTC", dt.date(2026, 1, 5)), "utf-8")
    return PlanFile.open(path)


def sample_plan(tmp_path: Path, name: str) -> PlanFile:
    path = tmp_path / name
    path.write_bytes((SAMPLES / name).read_bytes())
    return PlanFile.open(path)


def undone(plan_file: PlanFile) -> bytes:
    while plan_file.undo() is not None:
        pass
    return plan_file.render()


def test_in_a_new_plan_the_first_platform_post_and_competitor_go_below_their_examples(tmp_path: Path) -> None:
    plan_file = template_plan(tmp_path)
    original = plan_file.render()
    at = dt.datetime(2026, 1, 20, 9)
    plan_file.apply(choose_platform({"name": "linkedin", "handle": "@kiln", "why": "", "cadence": 0, "best_times": []}))
    plan_file.apply(add_post(plan_file.plan, {**POST, "at": at})[1])
    plan_file.apply(
        add_competitor(
            {
                "name": "Globex",
                "site": "",
                "handles": {"linkedin": ""},
                "cadence": "",
                "strengths": "",
                "weaknesses": "",
                "notes": "",
            }
        )
    )
    examples_end = b'# tags = ["launch"]\n'
    head, _, rest = original.partition(examples_end)
    middle, _, competitors = rest.partition(b"# Competitors:")
    assert middle == b"\n"  # the posts' example ends the [smm] comments; the competitors' follow
    expected = head + examples_end + NEW_PLATFORM + new_post(at) + b"\n# Competitors:" + competitors + NEW_COMPETITOR
    assert plan_file.render() == expected
    assert undone(plan_file) == original


def test_a_new_smo_item_goes_after_the_last_item_above_the_smm_comments(tmp_path: Path) -> None:
    plan_file = template_plan(tmp_path)
    original = plan_file.render()
    plan_file.apply(
        AddEntry(SMO_ITEMS, {"id": "press-kit", "title": "Press kit", "category": "on-page", "done": False})
    )
    last_item_end = b'forums and groups your audience uses"\ncategory = "connect-communities"\ndone = false\n'
    assert original.count(last_item_end) == 1
    item = b'\n[[smo.items]]\nid = "press-kit"\ntitle = "Press kit"\ncategory = "on-page"\ndone = false\n'
    assert plan_file.render() == original.replace(last_item_end, last_item_end + item)
    assert undone(plan_file) == original


def test_done_on_is_written_right_after_done(tmp_path: Path) -> None:
    for plan_file, index in ((template_plan(tmp_path), 0), (sample_plan(tmp_path, "shop-launch.toml"), 2)):
        original = plan_file.render()
        item = plan_file.plan.smo_items[index]
        assert not item.done
        path = (*SMO_ITEMS, index)
        plan_file.apply(Batch((SetField(path, "done", True), SetField(path, "done_on", dt.date(2026, 1, 9))), "tick"))
        lines = plan_file.render().splitlines()
        at = lines.index(f'id = "{item.id}"'.encode())
        done = next(i for i in range(at, len(lines)) if lines[i].startswith(b"done = "))
        assert lines[done : done + 2] == [b"done = true", b"done_on = 2026-01-09"], item.id
        assert len(lines) == len(original.splitlines()) + 1
        assert undone(plan_file) == original


def test_a_new_post_goes_in_date_order_when_the_posts_are_in_date_order(tmp_path: Path) -> None:
    plan_file = sample_plan(tmp_path, "nonprofit-fundraiser.toml")
    original = plan_file.render()
    at = dt.datetime(2027, 5, 28, 9)
    plan_file.apply(add_post(plan_file.plan, {**POST, "at": at})[1])
    anchor = b'[[smm.posts]]\nid = "fb-collection-day-event"\n'  # the first post after 28 May
    assert original.count(anchor) == 1
    assert plan_file.render() == original.replace(anchor, new_post(at)[1:] + b"\n" + anchor)
    assert [post.at for post in plan_file.plan.posts] == sorted(post.at for post in plan_file.plan.posts)
    assert undone(plan_file) == original


def test_a_new_post_goes_after_the_last_when_the_posts_are_not_in_date_order(tmp_path: Path) -> None:
    plan_file = sample_plan(tmp_path, "shop-launch.toml")  # 25 March 20:00 comes before 19:30
    original = plan_file.render()
    at = dt.datetime(2027, 3, 22, 9)
    plan_file.apply(add_post(plan_file.plan, {**POST, "at": at})[1])
    last_post_end = b'link = "https://kilnandco.example/collections/gifts"\n'
    assert original.count(last_post_end) == 1
    assert plan_file.render() == original.replace(last_post_end, last_post_end + new_post(at))
    assert plan_file.plan.posts[-1].id == "hello"


def test_the_competitor_form_writes_only_what_has_a_value(tmp_path: Path) -> None:
    plan_file = sample_plan(tmp_path, "shop-launch.toml")
    original = plan_file.render()
    values = {
        "name": "Globex",
        "site": "",
        "handles": {"instagram": "", "tiktok": ""},
        "cadence": "",
        "strengths": "",
        "weaknesses": "",
        "notes": "",
    }
    plan_file.apply(add_competitor(values))
    assert plan_file.render() == original + NEW_COMPETITOR
    edit = edit_competitor(plan_file.plan, 2, {**values, "cadence": "weekly"})
    assert edit is not None
    plan_file.apply(edit)
    assert plan_file.render() == original + NEW_COMPETITOR + b'cadence = "weekly"\n'


def test_planner_import_writes_only_what_the_app_would_write(tmp_path: Path) -> None:
    plan_file = sample_plan(tmp_path, "nonprofit-fundraiser.toml")
    original = plan_file.render()
    csv = tmp_path / "posts.csv"
    csv.write_text(
        "date,time,platform,format,status,title,text,link,tags,notes\n2027-06-20,10:00,instagram,post,idea,From the sheet,,,,\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(plan_file.path), str(csv)])
    assert result.exit_code == 0, result.output
    added = b'\n[[smm.posts]]\nid = "from-the-sheet"\nplatform = "instagram"\nat = 2027-06-20T10:00:00\ntitle = "From the sheet"\n'
    assert plan_file.path.read_bytes() == _after_last_post(original, added)


def _after_last_post(text: bytes, entry: bytes) -> bytes:
    """``text`` with ``entry`` after the last post's last key line."""
    start = text.rindex(b"[[smm.posts]]")
    end = text.find(b"\n\n", start)
    end = len(text) if end < 0 else end + 1
    return text[:end] + entry + text[end:]
