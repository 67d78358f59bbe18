"""Edits for the SMM side of a plan: choosing platforms and noting competitors.

Pure functions from plain values (what a form returns) to the edits of
`planner.plan.edits`; the app applies them, so undo, redo and byte-minimal
saving work. Nothing here imports Textual.

Values are plain: strings, ``int | None`` for numbers, best times as
``"tue 09:00"`` or ``"daily 18:00"`` strings, handles as a ``{platform: handle}`` dict. An empty
value (``""``, ``None``, ``[]``, ``{}``) means "not set": a new entry leaves
its key out, and an edit removes the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from planner.plan.edits import AddEntry, Batch, DeleteEntry, SetField
from planner.plan.model import COMPETITORS, PLATFORMS, Competitor, Plan, PlatformChoice
from planner.plan.schema import COMPETITOR_KEYS, ID_PATTERN, PLATFORM_KEYS, best_time
from planner.rules.platforms import builtin_platforms
from planner.words import quoted

LIMIT_KEYS = ("text_limit", "title_limit", "hashtag_limit")
_SEPARATORS = re.compile(r"[,;\n]")


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple, dict)) and not value)


def _entry(values: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """``values`` in the format's key order, without the empty ones."""
    return {key: values[key] for key in order if key in values and not _empty(values[key])}


def _changes(path: tuple, old: Mapping[str, Any], new: Mapping[str, Any], label: str) -> Batch | None:
    """A `SetField` for each key of ``new`` whose value differs from ``old``; None when nothing changed."""
    edits = []
    for key, value in new.items():
        value = None if _empty(value) else value
        before = None if _empty(old.get(key)) else old.get(key)
        if value != before:
            edits.append(SetField(path, key, value))
    return Batch(tuple(edits), label) if edits else None


# -- platforms ---------------------------------------------------------------------


def platform_label(name: str, choice: PlatformChoice | None = None) -> str:
    """What a platform is called on screen: the choice's label, the rules' label, or its name."""
    if choice is not None and choice.label:
        return choice.label
    rules = builtin_platforms().get(name)
    return rules.label if rules else name


def platform_values(choice: PlatformChoice) -> dict[str, Any]:
    """A choice as the plain values its form shows and returns."""
    return {
        "name": choice.name,
        "handle": choice.handle,
        "why": choice.why,
        "cadence": choice.cadence,
        "best_times": [str(slot) for slot in choice.best_times],
        "label": choice.label,
        "text_limit": choice.text_limit,
        "title_limit": choice.title_limit,
        "hashtag_limit": choice.hashtag_limit,
    }


def choose_platform(values: Mapping[str, Any]) -> AddEntry:
    """Choose a platform (built in or custom): a new ``[[smm.platforms]]`` entry.

    Works on a plan without an ``[smm]`` table: the edit makes it.
    """
    entry = _entry(values, PLATFORM_KEYS)
    if values.get("cadence") == 0:
        entry.pop("cadence", None)  # 0 is the default: no target
    name = entry["name"]
    custom = name not in builtin_platforms()
    what = f"add custom platform {platform_label(name, _choice(entry))}" if custom else f"choose {platform_label(name)}"
    return AddEntry(PLATFORMS, entry, label=what)


def _choice(entry: Mapping[str, Any]) -> PlatformChoice:
    return PlatformChoice(name=entry["name"], label=entry.get("label", ""))


def edit_platform(plan: Plan, index: int, values: Mapping[str, Any]) -> Batch | None:
    """Change the chosen platform at ``index`` to ``values`` (only the keys given; the name stays)."""
    choice = plan.platforms[index]
    old = platform_values(choice)
    new = {key: value for key, value in values.items() if key in PLATFORM_KEYS and key != "name"}
    if new.get("cadence") in (None, 0) and choice.cadence in (None, 0):
        new.pop("cadence", None)  # not set and 0 mean the same: leave the file as it is
    return _changes((*PLATFORMS, index), old, new, f"edit {platform_label(choice.name, choice)}")


def unchoose_platform(plan: Plan, index: int) -> DeleteEntry:
    choice = plan.platforms[index]
    return DeleteEntry(PLATFORMS, index, label=f"unchoose {platform_label(choice.name, choice)}")


def parse_best_times(text: str) -> list[str]:
    """``"Tue 09:00, Daily 18:00"`` -> ``["tue 09:00", "daily 18:00"]`` as they go in the plan; `ValueError` names the first bad slot.

    A slot is a weekday (``mon`` … ``sun``) or ``daily``, ``weekdays``,
    ``weekends``, and a 24-hour time; `planner.plan.schema.best_time` reads it.
    """
    slots = []
    for part in _SEPARATORS.split(text):
        part = " ".join(part.split())
        if not part:
            continue
        slot = best_time(part)
        if slot is None:
            raise ValueError(f"“{part}” is not a day and time: write tue 09:00, daily 18:00 or weekdays 09:00")
        if str(slot) not in slots:
            slots.append(str(slot))
    return slots


def parse_count(text: str, what: str, minimum: int) -> int | None:
    """A whole number typed into a form (``None`` when blank); `ValueError` says what is wrong."""
    text = text.strip().replace("_", "")
    if not text:
        return None
    if not text.isdigit() or int(text) < minimum:
        raise ValueError(f"{what} is a whole number of at least {minimum}, not “{text}”.")
    return int(text)


def custom_name_problem(name: str, plan: Plan) -> str | None:
    """Why ``name`` cannot be a new custom platform, or None."""
    if not name:
        return "A custom platform needs a name (letters, digits, - _ .)."
    if not ID_PATTERN.match(name):
        return f"“{name}” is not a name: use letters, digits, - _ . (a forum: forum)."
    if name in builtin_platforms():
        return f"{name} is a built-in platform: choose it from the list."
    if plan.platform(name) is not None:
        return f"{name} is already chosen."
    return None


# -- competitors -----------------------------------------------------------------------


def competitor_values(competitor: Competitor) -> dict[str, Any]:
    return {
        "name": competitor.name,
        "site": competitor.site,
        "handles": dict(competitor.handles),
        "cadence": competitor.cadence,
        "strengths": competitor.strengths,
        "weaknesses": competitor.weaknesses,
        "notes": competitor.notes,
    }


def add_competitor(values: Mapping[str, Any]) -> AddEntry:
    entry = _entry(values, COMPETITOR_KEYS)
    if "handles" in entry:
        entry["handles"] = {platform: handle for platform, handle in entry["handles"].items() if handle}
        if not entry["handles"]:
            del entry["handles"]  # no `handles = {}`: only what has a value is written
    return AddEntry(COMPETITORS, entry, label=f"add competitor {quoted(entry['name'])}")


def edit_competitor(plan: Plan, index: int, values: Mapping[str, Any]) -> Batch | None:
    """Change competitor ``index`` to ``values``; handles keep their order in the file (one changed handle: one changed value)."""
    competitor = plan.competitors[index]
    old = competitor_values(competitor)
    new = {key: value for key, value in values.items() if key in COMPETITOR_KEYS}
    if "handles" in new:
        typed = {platform: handle for platform, handle in new["handles"].items() if handle}
        kept = {platform: typed[platform] for platform in old["handles"] if platform in typed}
        kept.update(typed)
        new["handles"] = kept
    return _changes((*COMPETITORS, index), old, new, f"edit competitor {quoted(competitor.name)}")


def delete_competitor(plan: Plan, index: int) -> DeleteEntry:
    return DeleteEntry(COMPETITORS, index, label=f"delete competitor {quoted(plan.competitors[index].name)}")


def parse_handles(text: str) -> dict[str, str]:
    """``"x=@globex, youtube = globex"`` -> ``{"x": "@globex", "youtube": "globex"}``; `ValueError` names a bad pair."""
    handles: dict[str, str] = {}
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        platform, equals, handle = part.partition("=")
        platform, handle = platform.strip(), handle.strip()
        if not equals or not ID_PATTERN.match(platform) or not handle:
            raise ValueError(f"“{part}” is not platform=handle (youtube=@globex).")
        handles[platform] = handle
    return handles
