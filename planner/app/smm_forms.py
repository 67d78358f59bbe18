"""Forms of the SMM views: a platform choice (built in or custom) and a competitor.

Each is a `planner.app.forms.Form`: it dismisses with plain values (or None
when cancelled) and says what is wrong in one line; the view turns the
values into edits with `planner.plan.smm_edits`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.widgets import Label, TextArea

from planner.app.forms import Form
from planner.app.screen_text import SafeTextArea
from planner.plan.model import Competitor, Plan, PlatformChoice
from planner.plan.smm_edits import LIMIT_KEYS, custom_name_problem, parse_best_times, parse_count, parse_handles
from planner.words import quoted


class PlatformForm(Form):
    """Choose a platform or edit a choice; with ``custom``, also its name (when new), label and limits."""

    def __init__(
        self, plan: Plan, name: str, label: str, choice: PlatformChoice | None = None, *, custom: bool = False
    ) -> None:
        """``name`` is "" for a new custom platform (the form asks for it)."""
        super().__init__()
        self.plan = plan
        self.platform_name = name
        self.choice = choice
        self.custom = custom
        if not name:
            self.heading = "New custom platform (a forum, a newsletter)"
        elif choice is None:
            self.heading = f"Choose {label}"
        else:
            self.heading = f"Edit {label}"

    def fields(self) -> Iterator[Any]:
        choice = self.choice
        if not self.platform_name:
            yield from self.row("name", "Name", "", "forum (letters, digits, - _ .)")
        if self.custom:
            yield from self.row("label", "Label", choice.label if choice else "", "what to call it: Potters' forum")
            for key, label in zip(LIMIT_KEYS, ("Text limit", "Title limit", "Hashtags")):
                number = getattr(choice, key) if choice else None
                yield from self.row(key.replace("_", "-"), label, "" if number is None else str(number), "none")
        yield from self.row("handle", "Handle", choice.handle if choice else "", "@brand")
        yield from self.row("why", "Why", choice.why if choice else "", "the audience you reach there")
        cadence = str(choice.cadence) if choice and choice.cadence else ""
        yield from self.row("cadence", "Posts a week", cadence, "0 or blank: no target")
        best = ", ".join(str(slot) for slot in choice.best_times) if choice else ""
        yield from self.row("best-times", "Best times", best, "tue 09:00, daily 18:00, weekdays 12:30")

    def values(self) -> dict | None:
        values: dict[str, Any] = {"name": self.platform_name or self.value("name")}
        if not self.platform_name:
            problem = custom_name_problem(values["name"], self.plan)
            if problem:
                self.fail(problem, "name")
                return None
        if self.custom:
            values["label"] = self.value("label")
            if not values["label"] and not self.choice:
                self.fail("Give the custom platform a label (what to call it).", "label")
                return None
            for key, label in zip(LIMIT_KEYS, ("Text limit", "Title limit", "Hashtag limit")):
                try:
                    values[key] = parse_count(self.value(key.replace("_", "-")), label, 1)
                except ValueError as error:
                    self.fail(str(error), key.replace("_", "-"))
                    return None
        values["handle"] = self.value("handle")
        values["why"] = self.value("why")
        try:
            values["cadence"] = parse_count(self.value("cadence"), "Posts a week", 0)
        except ValueError as error:
            self.fail(str(error), "cadence")
            return None
        try:
            values["best_times"] = parse_best_times(self.value("best-times"))
        except ValueError as error:
            self.fail(str(error), "best-times")
            return None
        return values


class CompetitorForm(Form):
    """Add or edit a competitor: a handle row per chosen platform, other platforms as ``platform=handle``."""

    def __init__(self, competitor: Competitor | None, platforms: list[tuple[str, str]]) -> None:
        """``platforms`` are the plan's chosen platforms as ``(name, label)``."""
        super().__init__()
        self.competitor = competitor
        self.platforms = platforms
        self.heading = f"Edit competitor {quoted(competitor.name)}" if competitor else "New competitor"

    def fields(self) -> Iterator[Any]:
        competitor = self.competitor
        handles = dict(competitor.handles) if competitor else {}
        yield from self.row("name", "Name", competitor.name if competitor else "")
        yield from self.row("site", "Site", competitor.site if competitor else "", "https://")
        chosen = [name for name, _ in self.platforms]
        for number, (name, label) in enumerate(self.platforms):
            yield from self.row(f"handle-{number}", label, handles.get(name, ""), "their handle")
        others = ", ".join(f"{name}={handle}" for name, handle in handles.items() if name not in chosen)
        yield from self.row("other-handles", "Other handles", others, "youtube=@them, threads=them")
        yield from self.row("cadence", "Cadence", competitor.cadence if competitor else "", "how often they post")
        for key, label in (("strengths", "Strengths"), ("weaknesses", "Weaknesses"), ("notes", "Notes")):
            yield Label(label, classes="area-label")
            yield SafeTextArea(getattr(competitor, key) if competitor else "", id=key, soft_wrap=True)

    def values(self) -> dict | None:
        name = self.value("name")
        if not name:
            self.fail("The competitor needs a name.", "name")
            return None
        handles = {platform: self.value(f"handle-{number}") for number, (platform, _) in enumerate(self.platforms)}
        try:
            others = parse_handles(self.value("other-handles"))
        except ValueError as error:
            self.fail(str(error), "other-handles")
            return None
        for platform, handle in others.items():
            if handles.get(platform):
                self.fail(f"{platform} has its own row: type the handle there.", "other-handles")
                return None
            handles[platform] = handle
        return {
            "name": name,
            "site": self.value("site"),
            "handles": handles,
            "cadence": self.value("cadence"),
            **{key: self.query_one(f"#{key}", TextArea).text for key in ("strengths", "weaknesses", "notes")},
        }


SMM_FORMS = (PlatformForm, CompetitorForm)
