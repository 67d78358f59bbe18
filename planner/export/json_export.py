"""The whole plan as plain JSON: every field with its value or default, dates as ISO text.

Keys are in the order of the plan format (docs/plan-format.md), with
``generated_by`` and ``checksum`` first, so a later export can recognise it
and see that it is unchanged (see `planner.export.proof`), then ``schema``
(the plan format) and ``export_version`` (this shape; planner/data/export.schema.json
describes it). Keys planner does not know (``budget_eur``, an ``[analytics]``
table) are the plan's too: given the plan's data (``source``), they follow the
known keys of the table or entry they are in, as TOML gave them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from planner.export import MARKER
from planner.export.proof import PLACEHOLDER
from planner.plan.model import Plan

EXPORT_VERSION = 1


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _with_unknown(known: dict[str, Any], raw: Any) -> dict[str, Any]:
    """``known`` followed by the keys of ``raw`` (a table of the file) it does not have."""
    if isinstance(raw, Mapping):
        known.update({str(key): _plain(value) for key, value in raw.items() if str(key) not in known})
    return known


def _table(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def _entries(data: Any, *keys: str) -> list:
    found = _table(data, *keys)
    return found if isinstance(found, list) else []


def _by(entries: list, key: str) -> dict[Any, Mapping]:
    return {entry.get(key): entry for entry in entries if isinstance(entry, Mapping)}


def as_data(plan: Plan, phase: str = "all", source: Mapping[str, Any] | None = None) -> dict[str, Any]:
    raw = source or {}
    out: dict[str, Any] = {
        "generated_by": MARKER,
        "checksum": PLACEHOLDER,
        "schema": plan.schema,
        "export_version": EXPORT_VERSION,
        "campaign": _with_unknown(_plain(plan.campaign), _table(raw, "campaign")),
    }
    if phase in ("all", "smo"):
        items = _by(_entries(raw, "smo", "items"), "id")
        out["smo"] = _with_unknown(
            {
                "due": plan.smo_due.isoformat(),
                "items": [_with_unknown(_plain(item), items.get(item.id)) for item in plan.smo_items],
            },
            _table(raw, "smo"),
        )
    if phase in ("all", "smm"):
        raw_platforms = _by(_entries(raw, "smm", "platforms"), "name")
        platforms = []
        for choice in plan.platforms:
            data = _plain(choice)
            data["best_times"] = [str(slot) for slot in choice.best_times]
            platforms.append(_with_unknown(data, raw_platforms.get(choice.name)))
        posts = _by(_entries(raw, "smm", "posts"), "id")
        out["smm"] = _with_unknown(
            {
                "start": plan.smm_start.isoformat(),
                "platforms": platforms,
                "posts": [_with_unknown(_plain(post), posts.get(post.id)) for post in plan.posts],
            },
            _table(raw, "smm"),
        )
        competitors = _entries(raw, "competitors")
        out["competitors"] = [
            _with_unknown(
                {**_plain(competitor), "handles": dict(competitor.handles)},
                competitors[index] if index < len(competitors) else None,
            )
            for index, competitor in enumerate(plan.competitors)
        ]
    # Top-level tables and keys planner does not know ([analytics], budget_eur), in file order.
    return _with_unknown(
        out,
        {key: value for key, value in raw.items() if key not in ("schema", "campaign", "smo", "smm", "competitors")},
    )


def render_json(plan: Plan, phase: str = "all", source: Mapping[str, Any] | None = None) -> bytes:
    return (json.dumps(as_data(plan, phase, source), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
