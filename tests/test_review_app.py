"""The app's half of the review gates and of plans in git (issue 17), in real temporary git repositories.

``A`` in the calendar approves the selected post as `planner approve` does
(the same bytes); posts changed since the last commit are marked, and the
marks go once the change is committed and the plan reloaded; ``h`` lists a
post's changes commit by commit. Without git none of this shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from test_app import NOON, changed_lines, screen_text, settle, status
from test_calendar import detail, go_to, notifications

from planner.app.history_screen import HistoryScreen
from planner.app.main import PlannerApp, make_app
from planner.app.post_form import PostForm
from planner.app.views.calendar import CalendarView
from planner.app.views.checklist import ChecklistView
from planner.cli import main
from planner.git.history import post_history
from planner.settings import Settings, load_settings

SHOP = SAMPLES / "shop-launch.toml"
LAUNCH = "ig-launch-day"  # the first post of 25 March, selected by going to that day


def committed_plan(repo: Path, git, message: str = "the plan") -> Path:
    plan = repo / "shop-launch.toml"
    shutil.copyfile(SHOP, plan)
    git(repo, "add", "shop-launch.toml")
    git(repo, "commit", "-qm", message)
    return plan


async def until(pilot, condition, what: str) -> None:
    """Wait (a bounded number of short pauses) for ``condition``; the marks come after a pause and a worker."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what}")


def app_on(plan: Path, settings: Settings | None = None) -> PlannerApp:
    app = make_app(plan, settings or Settings(), clock=lambda: NOON)
    app.animation_level = "none"
    return app


@contextlib.asynccontextmanager
async def launched(plan: Path) -> AsyncIterator[tuple[PlannerApp, Any, CalendarView]]:
    """The app on ``plan`` at 120x40, in the calendar on the launch post."""
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        yield app, pilot, await at_launch(app, pilot)


async def at_launch(app: PlannerApp, pilot) -> CalendarView:
    await settle(app, pilot)
    await pilot.press("4")
    await go_to(app, pilot, "2027-03-25")
    view = app.query_one("#calendar", CalendarView)
    assert view.selected_post().id == LAUNCH
    return view


def changes_known(app: PlannerApp) -> bool:
    return app.git_changes is not None


# -- approving ------------------------------------------------------------------------------


async def test_A_approves_the_selected_post_as_planner_approve_does(
    git_repo: Path, git, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    before = plan.read_bytes()
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        await pilot.press("A")
        await until(pilot, lambda: "Approved post" in status(app), "approved")
        assert status(app) == "Approved post “Launch: Tide is here” as Dana Reviewer"
        assert "✓ approved by Dana Reviewer" in detail(app)
        await pilot.press("A")  # again: nothing to record
        await until(pilot, lambda: "as it is already" in status(app), "already")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    by_app = plan.read_bytes()
    # The same post approved by the command line, in a copy of the plan as it was: the same bytes.
    other = tmp_path / "cli"
    other.mkdir()
    (other / "shop-launch.toml").write_bytes(before)
    monkeypatch.chdir(other)
    assert CliRunner().invoke(main, ["approve", "shop-launch.toml", LAUNCH, "--by", "Dana Reviewer"]).exit_code == 0
    assert by_app == (other / "shop-launch.toml").read_bytes()
    removed, added = changed_lines(before, by_app)
    assert (
        removed == ['status = "review"']
        and added[0] == 'status = "approved"'
        and added[1] == 'approved_by = "Dana Reviewer"'
    )


async def test_ctrl_z_takes_an_approval_back_in_one_step(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    async with launched(plan) as (app, pilot, view):
        await pilot.press("A")
        await until(pilot, lambda: view.selected_post().approved_by == "Dana Reviewer", "approved")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        post = view.selected_post()
        assert (post.approved_by, post.approved_fingerprint, post.status) == ("", "", "review")


async def test_the_approver_setting_comes_before_git(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    app = app_on(plan, Settings(approver="Sam Editor"))
    async with app.run_test(size=(120, 40)) as pilot:
        view = await at_launch(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        assert view.selected_post().approved_by == "Sam Editor"


def test_the_approver_setting_is_read_from_the_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('approver = " Sam Editor "\n', "utf-8")
    assert load_settings(settings).approver == "Sam Editor"
    settings.write_text("approver = 3\n", "utf-8")
    assert load_settings(settings).problems == (f"{settings}: approver must be a string",)


async def test_without_a_name_approving_says_how_to_set_one(
    tmp_path: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "shop-launch.toml"  # not in git, and no global git config: no user.name
    shutil.copyfile(SHOP, plan)
    monkeypatch.chdir(tmp_path)
    async with launched(plan) as (app, pilot, view):
        await pilot.press("A")
        await until(pilot, lambda: "who approves" in status(app), "asked who approves")
        assert status(app).startswith('Not approved: who approves? Set approver = "Your Name" in ')
        assert status(app).endswith(", or git config user.name.")
        assert view.selected_post().approved_by == "" and not app.plan_file.dirty


async def test_a_read_only_plan_refuses_to_approve(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    async with launched(plan) as (app, pilot, view):
        app.session.read_only = True
        await pilot.press("A")
        await settle(app, pilot)
        assert "Read-only" in " ".join(notifications(app)) or "read-only" in status(app).lower()
        assert view.selected_post().approved_by == "" and not app.plan_file.dirty


async def test_a_post_changed_after_approval_says_by_whom_in_the_detail_line_and_the_editor(
    git_repo: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    assert CliRunner().invoke(main, ["approve", "shop-launch.toml", LAUNCH, "--by", "Dana"]).exit_code == 0
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        assert "✓ approved by Dana" in detail(app)
        await pilot.press(">")  # moved a day: its time is not what was approved
        await settle(app, pilot)
        assert "⚠ changed after approval by Dana" in detail(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PostForm)
        assert str(app.screen.query_one("#approval").content) == "⚠ changed after approval by Dana"


# -- changed since the last commit ------------------------------------------------------------


async def test_entries_changed_since_the_last_commit_are_marked_until_committed(
    git_repo: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    async with launched(plan) as (app, pilot, view):
        await until(pilot, lambda: changes_known(app), "compared with HEAD")
        assert app.git_changes.count == 0
        assert "* not committed" in screen_text(app)  # the legend: in git, the mark can show
        await pilot.press(">")
        await until(pilot, lambda: LAUNCH in app.git_changes.of("post"), "the moved post marked")
        assert app.git_changes.of("post") == {LAUNCH}
        assert "* not committed" in detail(app)
        assert "*◑IG Launch" in screen_text(app)  # in the month, on 26 March
        await pilot.press("l")
        await settle(app, pilot)
        assert (
            next(line.strip()[:4] for line in screen_text(app).splitlines() if "Launch: Tide is here" in line) == "*Fri"
        )  # the agenda row
        await pilot.press("2", "down", "space")  # tick a checklist item
        checklist = app.query_one("#smo", ChecklistView)
        ticked = checklist.selected()[1].id
        await until(pilot, lambda: app.git_changes.of("item") == {ticked}, "the ticked item marked")
        item = checklist.selected()[1]
        box = "[x]" if item.done else "[ ]"
        assert any(line.lstrip("│ ").startswith(f"* {box} {item.title[:20]}") for line in screen_text(app).splitlines())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.git_changes.of("post") == {LAUNCH}  # saved is not committed
        git(git_repo, "commit", "-qam", "launch a day later")
        await pilot.press("4")
        app.action_reload()
        await until(pilot, lambda: app.git_changes.count == 0, "the marks gone after commit and reload")
        assert "* not committed" not in detail(app)
        assert view.shown.changed == frozenset()


async def test_without_git_nothing_is_marked_and_nothing_fails(
    tmp_path: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "shop-launch.toml"
    shutil.copyfile(SHOP, plan)
    monkeypatch.chdir(tmp_path)
    async with launched(plan) as (app, pilot, view):
        await pilot.press(">")
        await until(pilot, lambda: app._unmarked is not None, "git asked, and nothing found")
        assert app.git_changes is None and view.shown.changed is None
        assert "not committed" not in screen_text(app)
        assert not [n for n in notifications(app) if "failed" in n]


async def test_a_plan_not_committed_yet_shows_no_marks(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    committed_plan(git_repo, git)
    plan = git_repo / "new.toml"  # in the work tree, never committed
    shutil.copyfile(SHOP, plan)
    monkeypatch.chdir(git_repo)
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        await pilot.press(">")
        await until(pilot, lambda: app._unmarked is not None, "git asked, and the plan not found at HEAD")
        assert app.git_changes is None
        assert "not committed" not in screen_text(app)


# -- a post's history -----------------------------------------------------------------------------


def history_repo(git_repo: Path, git) -> Path:
    """Four commits: the plan, the launch post retitled, another post moved, the launch post moved."""
    plan = committed_plan(git_repo, git, "first plan")
    text = plan.read_text("utf-8")
    plan.write_text(text.replace('title = "Launch: Tide is here"', 'title = "Tide is here"'), "utf-8")
    git(git_repo, "commit", "-qam", "shorter launch title")
    text = plan.read_text("utf-8")
    plan.write_text(text.replace("at = 2027-03-21T10:00:00", "at = 2027-03-21T11:00:00"), "utf-8")
    git(git_repo, "commit", "-qam", "countdown an hour later")
    text = plan.read_text("utf-8")
    plan.write_text(text.replace("at = 2027-03-25T09:00:00", "at = 2027-03-25T10:00:00"), "utf-8")
    git(git_repo, "commit", "-qam", "launch at ten")
    return plan


def test_a_posts_history_lists_the_commits_that_changed_it_newest_first(git_repo: Path, git) -> None:
    history = post_history(history_repo(git_repo, git), LAUNCH)
    assert [r.subject for r in history.revisions] == ["launch at ten", "shorter launch title", "first plan"]
    assert history.revisions[0].words == (
        "instagram carousel “Tide is here” (ig-launch-day): moved 2027-03-25 09:00 → 2027-03-25 10:00",
    )
    assert history.revisions[1].words == (
        "instagram carousel “Tide is here” (ig-launch-day): title “Launch: Tide is here” → “Tide is here”",
    )
    assert (
        history.revisions[2]
        .words[0]
        .startswith("added instagram carousel “Launch: Tide is here” (ig-launch-day), on 2027-03-25 09:00")
    )
    assert {r.author for r in history.revisions} == {"Dana Reviewer"}
    assert (history.read, history.more) == (4, False)
    assert post_history(git_repo / "shop-launch.toml", LAUNCH, limit=2).more


def test_a_renamed_posts_history_goes_on_under_its_old_id(git_repo: Path, git) -> None:
    plan = history_repo(git_repo, git)
    plan.write_text(plan.read_text("utf-8").replace(f'id = "{LAUNCH}"', 'id = "launch"'), "utf-8")
    git(git_repo, "commit", "-qam", "shorter id")
    history = post_history(plan, "launch")
    assert [r.subject for r in history.revisions] == [
        "shorter id",
        "launch at ten",
        "shorter launch title",
        "first plan",
    ]


async def test_h_shows_the_selected_posts_history(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = history_repo(git_repo, git)
    monkeypatch.chdir(git_repo)
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        await pilot.press("h")
        await until(
            pilot,
            lambda: isinstance(app.screen, HistoryScreen) and "launch at ten" in screen_text(app),
            "the history read",
        )
        text = screen_text(app)
        assert "History of instagram carousel “Tide is here” (ig-launch-day)" in text
        assert text.index("launch at ten") < text.index("shorter launch title") < text.index("first plan")
        assert "countdown an hour later" not in text
        assert "moved 2027-03-25 09:00 → 2027-03-25 10:00" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_history_outside_git_says_so(tmp_path: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "shop-launch.toml"
    shutil.copyfile(SHOP, plan)
    monkeypatch.chdir(tmp_path)
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        await pilot.press("h")
        await until(pilot, lambda: "No history" in screen_text(app), "said there is no history")
        assert "No history: shop-launch.toml is not in a git work tree, or has no commits yet." in screen_text(app)


async def test_git_text_in_the_history_is_made_safe(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = committed_plan(git_repo, git, "evil \x1b]0;pwned\x07 [bold]subject[/]")
    monkeypatch.chdir(git_repo)
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        await pilot.press("h")
        await until(pilot, lambda: "subject" in screen_text(app), "the history read")
        assert "evil ^[]0;pwned^G [bold]subject[/]" in screen_text(app)


async def test_the_agenda_opens_on_the_post_selected_in_the_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found with the marks' snapshot: the first time the agenda showed, its cursor was clamped to the rows it had (none).
    plan = tmp_path / "shop-launch.toml"
    shutil.copyfile(SHOP, plan)
    monkeypatch.chdir(tmp_path)
    async with launched(plan) as (app, pilot, view):
        await pilot.press("l")
        await settle(app, pilot)
        assert view.selected_post().id == LAUNCH
        assert "Launch: Tide is here" in detail(app)


async def test_competitors_and_platforms_changed_since_the_last_commit_say_so(
    git_repo: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = committed_plan(git_repo, git)
    text = plan.read_text("utf-8")
    text = text.replace("cadence = 2\n", "cadence = 3\n", 1).replace(
        'cadence = "2-3 posts a week', 'cadence = "3 posts a week', 1
    )
    plan.write_text(text, "utf-8")
    monkeypatch.chdir(git_repo)
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: changes_known(app), "compared with HEAD")
        assert len(app.git_changes.of("platform")) == 1 and len(app.git_changes.of("competitor")) == 1
        for key, name in (("3", "Instagram"), ("5", next(iter(app.git_changes.of("competitor"))))):
            await pilot.press(key)
            await settle(app, pilot)
            assert [
                line.split(f"{name} *")[0].strip("│ ") for line in screen_text(app).splitlines() if f"{name} *" in line
            ] == ["[x]" if key == "3" else ""]


async def test_A_and_h_on_a_day_without_posts_say_why_nothing_happens(
    git_repo: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        await go_to(app, pilot, "2027-03-22")  # a Monday without posts
        await pilot.press("A", "h")
        await settle(app, pilot)
        assert notifications(app)[-2:] == [
            "No post on Mon 22 Mar to approve: a adds one.",
            "No post on Mon 22 Mar to show the history of: a adds one.",
        ]
        assert not isinstance(app.screen, HistoryScreen) and not app.plan_file.dirty


async def test_the_command_palette_offers_approving_and_the_history(
    git_repo: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    async with launched(plan) as (app, pilot, view):
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Approve the post", "Post history (git)"} <= set(commands)
        await commands["Approve the post"].callback()
        await until(pilot, lambda: view.selected_post().approved_by == "Dana Reviewer", "approved from the palette")


async def test_a_long_history_scrolls_under_its_title_and_keys(
    git_repo: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = committed_plan(git_repo, git)
    for hour in range(10, 40):  # 30 more commits that move the launch post a minute later each
        text = plan.read_text("utf-8")
        plan.write_text(
            text.replace(
                f"at = 2027-03-25T09:{hour - 1 if hour > 10 else 0:02d}:00", f"at = 2027-03-25T09:{hour:02d}:00"
            ),
            "utf-8",
        )
        git(git_repo, "commit", "-qam", f"launch at 9:{hour}")
    monkeypatch.chdir(git_repo)
    app = app_on(plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await go_to(app, pilot, "2027-03-25")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.read, "the history read")
        text = screen_text(app)
        assert "History of instagram carousel" in text and "esc: close" in text and "launch at 9:39" in text
        assert "31 commits changed it" not in text  # below, scrolled to
        await pilot.press("end")
        await pilot.pause()
        assert "31 commits changed it, of the last 31 commits of the plan file." in screen_text(app)


async def test_changing_the_theme_keeps_the_approver_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "shop-launch.toml"
    shutil.copyfile(SHOP, plan)
    monkeypatch.chdir(tmp_path)
    app = app_on(plan, Settings(theme="textual-dark", approver="Sam Editor"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.theme = "textual-light"
        await settle(app, pilot)
        assert (app.settings.theme, app.settings.approver) == ("textual-light", "Sam Editor")


async def test_the_post_editor_says_who_approved_the_post(git_repo: Path, git, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = committed_plan(git_repo, git)
    monkeypatch.chdir(git_repo)
    app = app_on(plan)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_launch(app, pilot)
        await pilot.press("A")
        await until(pilot, lambda: "Approved post" in status(app), "approved")
        await pilot.press("enter")
        await settle(app, pilot)
        assert str(app.screen.query_one("#approval").content) == "✓ approved by Dana Reviewer"


# -- the core: what changed since HEAD --------------------------------------------------------------


def test_since_commit_names_added_changed_and_renamed_entries_and_reads_head_once_per_commit(
    git_repo: Path, git, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.git import history, repo
    from planner.plan.plan_file import load

    plan = committed_plan(git_repo, git)
    since = history.SinceCommit(plan)
    reads = []
    blob = repo.blob
    monkeypatch.setattr(repo, "blob", lambda *args: reads.append(args) or blob(*args))
    data = load(plan).data
    assert since.changes(data).count == 0
    posts = data["smm"]["posts"]
    posts[0]["title"] = "New title"  # changed
    posts[1]["id"] = "renamed-post"  # renamed (nothing else)
    del posts[2]  # removed: nothing left to mark
    posts.append({"id": "brand-new", "platform": "instagram", "at": posts[0]["at"]})
    changed = since.changes(history.snapshot(data))
    assert changed.of("post") == {posts[0]["id"], "renamed-post", "brand-new"}
    assert len(reads) == 1  # HEAD's version read once for both
    git(git_repo, "commit", "-q", "--allow-empty", "-m", "another commit")
    since.changes(data)
    assert len(reads) == 2
