"""Review gates (issue 17): a post approved by someone, a fingerprint of what they approved,
`planner check` warning when it changed since, `planner check --strict` for CI, and `planner approve`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main
from planner.plan.approval import approve, fingerprint, state
from planner.plan.json_schema import plan_schema_text
from planner.plan.plan_file import PlanFile, load
from planner.plan.posts import duplicate_post
from planner.rules.checks import check, strict

SHOP = SAMPLES / "shop-launch.toml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.toml"
    path.write_bytes(SHOP.read_bytes())
    return path


def plan():
    loaded = load(SHOP)
    assert loaded.plan is not None
    return loaded.plan


def approved(post, by: str = "Dana"):
    return dataclasses.replace(post, approved_by=by, approved_fingerprint=fingerprint(post))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "Other words"),
        ("link", "https://example.com/other"),
        ("at", dt.datetime(2027, 3, 20, 9, 0)),
        ("platform", "pinterest"),
    ],
)
def test_the_fingerprint_changes_with_what_a_reader_sees_and_when_and_where(field: str, value: object) -> None:
    post = plan().posts[0]
    assert fingerprint(dataclasses.replace(post, **{field: value})) != fingerprint(post)


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Renamed"), ("status", "scheduled"), ("tags", ("x",)), ("notes", "n"), ("format", "story")],
)
def test_the_fingerprint_ignores_the_teams_own_bookkeeping(field: str, value: object) -> None:
    post = plan().posts[0]
    assert fingerprint(dataclasses.replace(post, **{field: value})) == fingerprint(post)
    assert len(fingerprint(post)) == 16 and int(fingerprint(post), 16) >= 0


def test_a_changed_approved_post_is_warned_about_until_approved_again() -> None:
    model = plan()
    model.posts[0] = approved(model.posts[0])
    assert state(model.posts[0]) == "approved"
    assert not [p for p in check(model) if p.code == "changed-after-approval"]
    model.posts[0] = dataclasses.replace(model.posts[0], text="Something else entirely")
    warned = [p for p in check(model) if p.code == "changed-after-approval"]
    assert [(p.severity, p.message, p.path) for p in warned] == [
        (
            "warning",
            "post “Teaser: first kiln opening” changed after approval by Dana",
            ("smm", "posts", 0, "approved_by"),
        ),
    ]
    assert warned[0].hint == "approve it again: planner approve PLAN ig-teaser-glaze"
    model.posts[0] = approved(model.posts[0], "Lena")
    assert not [p for p in check(model) if p.code.startswith(("changed-after", "approval"))]


def test_an_approval_without_a_fingerprint_is_named() -> None:
    model = plan()
    model.posts[1] = dataclasses.replace(model.posts[1], approved_by="Dana")
    model.posts[2] = dataclasses.replace(model.posts[2], approved_fingerprint="0123456789abcdef")
    messages = [p.message for p in check(model) if p.code == "approval-fingerprint"]
    assert messages == [
        "post “Glaze test: 14 tries to get the Tide blue” says approved by Dana but has no approved_fingerprint of what was approved",
        "post “Behind the wheel” has an approved_fingerprint but no approved_by",
    ]


def test_approving_writes_who_and_what_and_makes_a_draft_approved() -> None:
    model = plan()
    index = next(i for i, p in enumerate(model.posts) if p.status == "draft")
    edit = approve(model, index, "  Dana ")
    assert edit is not None
    values = {part.key: part.value for part in edit.edits}
    assert values == {
        "approved_by": "Dana",
        "approved_fingerprint": fingerprint(model.posts[index]),
        "status": "approved",
    }
    model.posts[index] = dataclasses.replace(
        model.posts[index], status="approved", **{k: v for k, v in values.items() if k != "status"}
    )
    assert approve(model, index, "Dana") is None  # nothing left to record


def test_approving_a_scheduled_post_keeps_its_status() -> None:
    model = plan()
    model.posts[0] = dataclasses.replace(model.posts[0], status="scheduled")
    edit = approve(model, 0, "Dana")
    assert edit is not None and "status" not in {part.key for part in edit.edits}


def test_a_copy_for_another_platform_is_not_approved(tmp_path: Path) -> None:
    text = SHOP.read_text("utf-8").replace(
        'status = "approved"\ntitle = "Teaser',
        f'status = "approved"\napproved_by = "Dana"\napproved_fingerprint = "{fingerprint(plan().posts[0])}"\ntitle = "Teaser',
        1,
    )
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    plan_file = PlanFile.open(path)
    assert state(plan_file.plan.posts[0]) == "approved"
    _, edit = duplicate_post(plan_file.plan, 0, ["tiktok"])
    plan_file.apply(edit)
    copy = plan_file.plan.posts[-1]
    assert (copy.approved_by, copy.approved_fingerprint, state(copy)) == ("", "", "not approved")


def test_strict_fails_posts_due_soon_that_nobody_approved() -> None:
    model = plan()
    now = dt.datetime(2027, 3, 15, 12, 0)  # the day before the first post
    model.posts[0] = approved(model.posts[0])
    found = strict(model, check(model, now=now), now, 3)
    errors = [(p.code, p.path[2]) for p in found if p.severity == "error"]
    due = [i for i, post in enumerate(model.posts) if now <= post.at <= now + dt.timedelta(days=3) and i != 0]
    assert errors == [("not-approved", i) for i in due] and due
    assert found[-1].message.endswith("within 3 days, and is not approved")


def test_strict_makes_a_changed_approval_an_error() -> None:
    model = plan()
    model.posts[0] = dataclasses.replace(approved(model.posts[0]), link="https://example.com/changed")
    now = dt.datetime(2026, 1, 1)
    found = strict(model, check(model, now=now), now, 7)
    assert [(p.severity, p.code) for p in found if "approv" in p.code] == [("error", "changed-after-approval")]


def test_two_posts_that_look_the_same_are_warned_about() -> None:
    model = plan()
    twin = dataclasses.replace(model.posts[0], id="ig-teaser-glaze-2")
    model.posts.append(twin)
    found = [p for p in check(model) if p.code == "look-alike"]
    assert [p.message for p in found] == [
        "post 'ig-teaser-glaze-2' looks like the same post as 'ig-teaser-glaze': instagram, the same text"
    ]
    model.posts[-1] = dataclasses.replace(twin, text="Different words", at=twin.at + dt.timedelta(days=1))
    assert not [p for p in check(model) if p.code == "look-alike"]


def test_the_schema_describes_the_approval_fields() -> None:
    post = json.loads(plan_schema_text())["$defs"]["post"]["properties"]
    assert post["approved_by"]["type"] == "string" and post["approved_fingerprint"]["type"] == "string"


# -- the command line ------------------------------------------------------------------------


def test_planner_approve_changes_only_the_posts_lines(
    runner: CliRunner, shop: Path, line_changes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shop.parent)
    before = shop.read_bytes()
    result = runner.invoke(main, ["approve", "shop.toml", "ig-countdown-story", "--by", "Dana"])
    assert result.exit_code == 0, result.output
    assert result.output == "Approved by Dana in shop.toml: ig-countdown-story\n"
    stamp = fingerprint(next(p for p in plan().posts if p.id == "ig-countdown-story"))
    assert line_changes(before, shop.read_bytes()) == (
        ['status = "draft"'],
        ['status = "approved"', 'approved_by = "Dana"', f'approved_fingerprint = "{stamp}"'],
    )
    assert runner.invoke(main, ["check", "shop.toml"]).exit_code == 0
    again = runner.invoke(main, ["approve", "shop.toml", "ig-countdown-story", "--by", "Dana"])
    assert (again.exit_code, again.output) == (
        0,
        "Already approved as they are: ig-countdown-story; nothing to write\n",
    )


def test_a_change_after_planner_approve_fails_check(
    runner: CliRunner, shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shop.parent)
    assert runner.invoke(main, ["approve", "shop.toml", "ig-teaser-glaze", "--by", "Dana"]).exit_code == 0
    shop.write_text(shop.read_text("utf-8").replace("Something blue just came out", "Something blue came out"), "utf-8")
    result = runner.invoke(main, ["check", "shop.toml"])
    assert result.exit_code == 1
    assert (
        "smm.posts[0].approved_by: warning: post “Teaser: first kiln opening” changed after approval by Dana (approve it again: planner approve PLAN ig-teaser-glaze)"
        in result.output
    )


def test_the_approver_defaults_to_the_git_user(
    runner: CliRunner, git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (git_repo / "shop.toml").write_bytes(SHOP.read_bytes())
    monkeypatch.chdir(git_repo)
    result = runner.invoke(main, ["approve", "shop.toml", "tt-glaze-test"])
    assert result.output == "Approved by Dana Reviewer in shop.toml: tt-glaze-test\n"
    assert 'approved_by = "Dana Reviewer"' in (git_repo / "shop.toml").read_text("utf-8")


def test_approve_without_a_name_or_a_post_says_so_and_writes_nothing(
    runner: CliRunner, shop: Path, monkeypatch: pytest.MonkeyPatch, git
) -> None:
    monkeypatch.chdir(shop.parent)  # not a git repository: no user.name
    before = shop.read_bytes()
    result = runner.invoke(main, ["approve", "shop.toml", "tt-glaze-test"])
    assert (result.exit_code, result.output) == (
        2,
        "planner: say who approves: --by NAME (git config user.name is not set)\n",
    )
    result = runner.invoke(main, ["approve", "shop.toml", "tt-glaze-tst", "--by", "Dana"])
    assert (result.exit_code, result.output) == (
        2,
        "planner: shop.toml: no post 'tt-glaze-tst'; did you mean tt-glaze-test?\n",
    )
    assert shop.read_bytes() == before


def test_check_strict_for_ci(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    soon = dt.date.today() + dt.timedelta(days=2)
    text = SHOP.read_text("utf-8")
    text = text.replace("start = 2027-03-01", f"start = {soon - dt.timedelta(days=30)}").replace(
        "end = 2027-04-04", f"end = {soon + dt.timedelta(days=30)}"
    )
    text = text.replace("at = 2027-03-16T19:00:00", f"at = {soon}T19:00:00")
    (tmp_path / "plan.toml").write_text(text, "utf-8")
    plain = runner.invoke(main, ["check", "plan.toml", "--format", "json"])
    codes = {p["code"] for p in json.loads(plain.output)["plans"][0]["problems"]}
    assert "not-approved" not in codes
    result = runner.invoke(main, ["check", "plan.toml", "--strict", "--format", "json"])
    problems = [p for p in json.loads(result.output)["plans"][0]["problems"] if p["code"] == "not-approved"]
    assert result.exit_code == 1 and [p["path"] for p in problems] == ["smm.posts[0].status"]
    assert (
        runner.invoke(main, ["check", "plan.toml", "--strict", "--due-within", "1"]).output.count("not approved") == 0
    )
    assert runner.invoke(main, ["approve", "plan.toml", "ig-teaser-glaze", "--by", "Dana"]).exit_code == 0
    after = runner.invoke(main, ["check", "plan.toml", "--strict", "--format", "json"])
    assert not [p for p in json.loads(after.output)["plans"][0]["problems"] if p["code"] == "not-approved"]
    usage = runner.invoke(main, ["check", "plan.toml", "--due-within", "3"])
    assert usage.exit_code == 2 and "--due-within goes with --strict" in usage.output
