"""New plans from the built-in template (``planner/data/template.toml``)."""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path

from planner.plan.edits import SetField
from planner.plan.schema import valid_timezone

# Offsets from the campaign start, as in the template: SMO takes the first
# two working weeks, SMM starts the Monday after, the campaign runs 90 days.
SMO_DAYS = 11
SMM_OFFSET = 14
CAMPAIGN_DAYS = 90


def template_text() -> str:
    return resources.files("planner.data").joinpath("template.toml").read_text("utf-8")


def system_timezone() -> str:
    """The machine's IANA time zone name, or ``UTC`` when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text("utf-8").strip())
    except OSError:
        pass
    return next((name for name in candidates if name and valid_timezone(name)), "UTC")


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def new_plan_text(name: str, timezone: str, start: dt.date, schema: str = "") -> str:
    """The template with the campaign's name, zone and dates filled in.

    With ``schema`` (a path or URL) the first line is the ``#:schema`` directive
    that taplo and Even Better TOML read to find the plan format's JSON Schema.
    """
    from planner.plan.document import Document  # tomlkit only for the commands that write a plan

    document = Document(template_text())
    due = start + dt.timedelta(days=SMO_DAYS)
    for edit in (
        SetField(("campaign",), "name", name),
        SetField(("campaign",), "timezone", timezone),
        SetField(("campaign",), "start", start),
        SetField(("campaign",), "end", start + dt.timedelta(days=CAMPAIGN_DAYS)),
        SetField(("smo",), "due", due),
        SetField(("smm",), "start", start + dt.timedelta(days=SMM_OFFSET)),
    ):
        document.apply(edit)
    directive = f"#:schema {schema}\n" if schema else ""
    return directive + document.dumps()
