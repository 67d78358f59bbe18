"""The app's half of the review gates and of plans in git (issue 17).

* Approving the selected post (``A`` in the calendar): the views post
  `ApprovalRequested`; the approver is the ``approver`` setting, else
  ``git config user.name`` (read in a worker); the edit is
  `planner.plan.approval.approve`'s, the one `planner approve` writes.
* Marks on the entries changed since the last commit: after every change
  to the plan (an edit, an undo, a save, a reload) and a short pause, the
  plan's data is copied and compared with the file at ``HEAD`` in a worker
  (`planner.git.history.SinceCommit`); each view is given the result with
  `View.show_changes`. Outside git nothing is shown.
* A post's history (``h`` in the calendar): `HistoryRequested` opens a
  `HistoryScreen` and a worker reads it (`planner.git.history.post_history`).

All git work is in `planner.git`; this only runs it off the UI thread and
hands the plain results to the views and screens.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from planner.app.history_screen import HistoryScreen
from planner.errors import PlannerError
from planner.git import repo
from planner.git.history import Changed, History, SinceCommit, post_history, snapshot
from planner.locations import settings_file
from planner.plan.approval import approve
from planner.plan.model import Plan
from planner.plan.posts import named

MARKS_DELAY = 0.3  # seconds after the last change before the marks are worked out again (one pass for a burst of keys)


class ApprovalRequested(Message):
    """A view wants post ``index`` (whose id is ``post_id``) approved as it is now."""

    def __init__(self, index: int, post_id: str) -> None:
        super().__init__()
        self.index = index
        self.post_id = post_id


class HistoryRequested(Message):
    """A view wants the history of post ``post_id`` shown."""

    def __init__(self, post_id: str, name: str) -> None:
        super().__init__()
        self.post_id = post_id
        self.name = name


class ApproverFound(Message):
    """The approver's name from git (None: not set), for approving post ``index`` (``post_id``)."""

    def __init__(self, index: int, post_id: str, name: str | None) -> None:
        super().__init__()
        self.index = index
        self.post_id = post_id
        self.name = name


class ChangesFound(Message):
    """What differs from ``HEAD`` (None: not in git), worked out for ``plan``."""

    def __init__(self, plan: Plan, changed: Changed | None) -> None:
        super().__init__()
        self.plan = plan
        self.changed = changed


def post_index(plan: Plan, index: int, post_id: str) -> int | None:
    """Post ``index`` if it still has ``post_id``, else the post that has it (the plan changed meanwhile)."""
    posts = plan.posts
    if 0 <= index < len(posts) and posts[index].id == post_id:
        return index
    return next((i for i, post in enumerate(posts) if post.id == post_id), None)


if TYPE_CHECKING:  # what the mixin uses of the app it is mixed into (PlannerApp)
    from textual.app import App

    from planner.plan.edits import Edit
    from planner.plan.plan_file import PlanFile
    from planner.settings import Settings

    class _Host(App[int]):
        settings: Settings

        @property
        def plan_file(self) -> PlanFile | None: ...
        @property
        def plan_path(self) -> Path: ...
        @property
        def read_only(self) -> bool: ...
        def say(self, text: str, error: bool = False) -> None: ...
        def refuse_read_only(self) -> None: ...
        def apply_edit(self, edit: Edit) -> bool: ...
else:
    _Host = object


class ReviewGates(_Host):
    """Mixed into `PlannerApp`: approving, the changed-since-commit marks and a post's history.

    Not a Textual class: its message handlers go by their names (``on_approval_requested``), not ``@on``.
    Its workers answer with messages, not ``call_from_thread``: a message
    never blocks the worker, and is dropped once the app is closing (a
    worker waiting for a closed loop would keep the process alive).
    """

    git_changes: Changed | None = None  # what differs from HEAD, as the views show it (None: not in git)
    _since: SinceCommit | None = None
    _marks_timer = None
    _unmarked: tuple | None = (
        None  # (plan file, path) found outside git or not committed: not copied again until reloaded
    )

    # -- approving ----------------------------------------------------------------------

    def on_approval_requested(self, message: ApprovalRequested) -> None:
        message.stop()
        if self.plan_file is None:
            return
        if self.read_only:
            self.refuse_read_only()
            return
        if self.settings.approver:
            self._approve(message.index, message.post_id, self.settings.approver)
        else:
            self.say("Finding who approves (git config user.name)…")
            self.find_approver(message.index, message.post_id)

    @work(thread=True, exclusive=True, group="approver", exit_on_error=False)
    def find_approver(self, index: int, post_id: str) -> None:
        path = self.plan_file.path if self.plan_file is not None else self.plan_path
        self.post_message(ApproverFound(index, post_id, repo.user_name(path.parent)))

    def on_approver_found(self, message: ApproverFound) -> None:
        index, post_id, name = message.index, message.post_id, message.name
        if name:
            self._approve(index, post_id, name)
            return
        told = f'Not approved: who approves? Set approver = "Your Name" in {settings_file()}, or git config user.name.'
        self.say(told, error=True)
        self.notify(told, title="Who approves?", severity="warning", timeout=10, markup=False)

    def _approve(self, index: int, post_id: str, name: str) -> None:
        if self.plan_file is None:
            return
        plan = self.plan_file.plan
        found = post_index(plan, index, post_id)
        if found is None:
            self.say("Not approved: that post is gone.", error=True)
            return
        edit = approve(plan, found, name)
        if edit is None:
            self.say(f"Post {named(plan.posts[found])} is approved by {name} as it is already.")
            return
        self.apply_edit(edit)

    # -- what changed since the last commit ---------------------------------------------------

    def marks_soon(self) -> None:
        """The plan changed: work the marks out again shortly (a burst of edits costs one pass)."""
        if self._marks_timer is not None:
            self._marks_timer.stop()
        self._marks_timer = self.set_timer(MARKS_DELAY, self._marks_now)

    def _marks_now(self) -> None:
        self._marks_timer = None
        plan_file = self.plan_file
        if plan_file is None or self._unmarked == (plan_file, plan_file.path):
            return
        if self._since is None or self._since.path != plan_file.path:
            self._since = SinceCommit(plan_file.path)
        self.find_changes(self._since, plan_file.plan, snapshot(plan_file.data))

    @work(thread=True, exclusive=True, group="git-marks", exit_on_error=False)
    def find_changes(self, since: SinceCommit, plan: Plan, data: dict) -> None:
        self.post_message(ChangesFound(plan, since.changes(data)))

    def on_changes_found(self, message: ChangesFound) -> None:
        plan, changed = message.plan, message.changed
        if self.plan_file is None:
            return
        if changed is None:  # outside git: the plan's data is not copied after each edit for nothing
            self._unmarked = (self.plan_file, self.plan_file.path)
        if self.plan_file.plan is not plan:
            return  # the plan changed meanwhile: newer marks are on their way
        if changed == self.git_changes:
            return
        self.git_changes = changed
        from planner.app.views.base import View

        for view in self.query(View):
            view.show_changes(changed)

    # -- a post's history ----------------------------------------------------------------------

    def on_history_requested(self, message: HistoryRequested) -> None:
        message.stop()
        screen = HistoryScreen(message.name)
        self.push_screen(screen)
        self.read_history(
            screen, self.plan_file.path if self.plan_file is not None else self.plan_path, message.post_id
        )

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def read_history(self, screen: HistoryScreen, path: Path, post_id: str) -> None:
        try:
            history: History | None = post_history(path, post_id)
            message = ""
        except repo.NotInGit:
            history, message = None, f"No history: {path.name} is not in a git work tree, or has no commits yet."
        except PlannerError as error:
            history, message = None, f"No history: {error.message}"
        screen.post_message(HistoryScreen.Read(history, message))
