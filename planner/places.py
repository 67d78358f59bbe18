"""Where each plan was left: the view and the selection the app reopens it on.

One small JSON file in the state folder (`planner.locations.places_file`),
never the plan: an entry per plan, keyed by the hash of the plan's resolved
path (`planner.locations.plan_key`), so the same plan opened through another
relative path or a link reopens in the same place. At most `KEPT` plans are
remembered, the ones left last.

Reading never stops the app: no file is no place, and a file (or an entry)
that cannot be read gives no place and a one-line notice. Writing replaces
the file atomically; two apps leaving at the same moment may each keep only
their own plan's place (a place is a convenience, not data). Nothing here
imports Textual.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from planner import locations
from planner.errors import PlannerError, SaveError
from planner.plan.storage import atomic_write

FORMAT = 1
KEPT = 200  # plans remembered; the ones left longest ago are forgotten first
MOST_BYTES = 1_000_000  # a larger file is not read (it is not one planner wrote)


@dataclass(frozen=True, slots=True)
class Place:
    """A view's name and what it needs to find its selection again (strings: an id, a date, a mode)."""

    view: str
    selection: Mapping[str, str] = field(default_factory=dict)
    left: dt.datetime | None = field(
        default=None, compare=False
    )  # when the plan was left there (as read; None when written)


class PlacesUnreadable(PlannerError):
    title = "Cannot read where plans were left"


def _entries(raw: bytes) -> dict[str, dict]:
    if len(raw) > MOST_BYTES:
        raise ValueError(f"over {MOST_BYTES:,} bytes")
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("plans"), dict):
        raise ValueError(f"not a places file of format {FORMAT}")
    return data["plans"]


def _place(entry: object) -> Place:
    if (
        not isinstance(entry, dict)
        or not isinstance(entry.get("view"), str)
        or not isinstance(entry.get("selection", {}), dict)
    ):
        raise ValueError("an entry is not a view and a selection")
    selection = {
        key: value
        for key, value in entry.get("selection", {}).items()
        if isinstance(key, str) and isinstance(value, str)
    }
    return Place(entry["view"], selection, _when(entry.get("left")))


def _when(text: object) -> dt.datetime | None:
    """When a place was left: an ISO time with its offset (None when it is missing or unreadable: the place still counts)."""
    try:
        left = dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return left if left is not None and left.tzinfo is not None else None


def _read(target: Path) -> dict[str, dict]:
    """The entries in ``target`` (none when it does not exist); `PlacesUnreadable` when it cannot be read."""
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise PlacesUnreadable(
            f"{target}: cannot be read ({error.strerror or error}); the plan opens on the overview"
        ) from None
    try:
        return _entries(raw)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError and json's errors are ValueErrors
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise PlacesUnreadable(f"{target}: damaged ({reason}); the plan opens on the overview") from None


def read(plan: Path) -> tuple[Place | None, str | None]:
    """Where ``plan`` was left (None: never left, or unreadable) and the one-line notice to show when something could not be read."""
    try:
        entry = _read(locations.places_file()).get(locations.plan_key(plan))
    except PlacesUnreadable as error:
        return None, error.message
    if entry is None:
        return None, None
    try:
        return _place(entry), None
    except ValueError as error:
        return None, f"{locations.places_file()}: damaged ({error}); the plan opens on the overview"


def write(plan: Path, place: Place, now: dt.datetime) -> None:
    """Remember ``place`` for ``plan`` (the others kept, up to `KEPT`); `SaveError` if it cannot be written."""
    target = locations.places_file()
    try:
        entries = _read(target)
    except PlacesUnreadable:
        entries = {}  # a damaged file is replaced: it only held places
    entries.pop(locations.plan_key(plan), None)
    entries[locations.plan_key(plan)] = {
        "view": place.view,
        "selection": dict(place.selection),
        "left": now.isoformat(timespec="seconds"),
    }
    kept = sorted(entries.items(), key=lambda item: str(item[1].get("left", "")) if isinstance(item[1], dict) else "")[
        -KEPT:
    ]
    data = json.dumps({"format": FORMAT, "plans": dict(kept)}, indent=1, sort_keys=True).encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SaveError(
            f"{target.parent}: cannot remember where the plan was left: {error.strerror or error}"
        ) from None
    atomic_write(target, data, default_mode=0o600)
