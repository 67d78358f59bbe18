"""The whole plan as plain JSON: every field with its value or default, dates as ISO text.

Keys are in the order of the plan format (docs/plan-format.md), with
``generated_by`` and ``checksum`` first, so a later export can recognise it
and see that it is unchanged (see `planner.export.proof`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from planner.export import MARKER
from planner.export.proof import PLACEHOLDER
from planner.plan.model import Plan


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def as_data(plan: Plan, phase: str = "all") -> dict[str, Any]:
    out: dict[str, Any] = {"generated_by": MARKER, "checksum": PLACEHOLDER, "schema": plan.schema, "campaign": _plain(plan.campaign)}
    if phase in ("all", "smo"):
        out["smo"] = {"due": plan.smo_due.isoformat(), "items": _plain(plan.smo_items)}
    if phase in ("all", "smm"):
        platforms = []
        for choice in plan.platforms:
            data = _plain(choice)
            data["best_times"] = [str(slot) for slot in choice.best_times]
            platforms.append(data)
        out["smm"] = {"start": plan.smm_start.isoformat(), "platforms": platforms, "posts": _plain(plan.posts)}
        out["competitors"] = [
            {**_plain(competitor), "handles": dict(competitor.handles)} for competitor in plan.competitors
        ]
    return out


def render_json(plan: Plan, phase: str = "all") -> bytes:
    return (json.dumps(as_data(plan, phase), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
