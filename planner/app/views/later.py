"""Views 3 to 5 until the SMM phase is built: they say what will be here."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from planner.app.views.base import View
from planner.plan.model import Plan
from planner.plan.problems import Problem


class ComingView(View):
    """A view of the SMM phase that is not built yet; shows what the plan holds for it."""

    def __init__(self, title: str, what: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.TITLE = title
        self.what = what

    def compose(self) -> ComposeResult:
        yield Static(id="coming-text")

    def show(self, plan: Plan, problems: list[Problem], now: dt.datetime) -> None:
        counts = {
            "Platforms": f"{len(plan.platforms)} platforms chosen",
            "Calendar": f"{len(plan.posts)} posts planned",
            "Competitors": f"{len(plan.competitors)} competitors noted",
        }
        text = Text()
        text.append(f"{self.TITLE}\n\n", style="bold")
        text.append(f"{self.what}\n\n")
        text.append(f"This plan has {counts.get(self.TITLE, '')}. ")
        text.append("Editing them in the app comes with the SMM phase; until then edit the file by hand and run planner check.", style="dim")
        self.query_one("#coming-text", Static).update(text)
