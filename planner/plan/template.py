"""New plans from the built-in template (``planner/data/template.toml``)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from pkgutil import get_data

from planner.plan.edits import SetField
from planner.plan.schema import valid_timezone

# The dates of a new plan, as in the template (which starts on a Monday):
# SMO gets at least the first two weeks, SMM starts on the Monday after them,
# SMO is due the Friday before (the weekend between is left free), and the
# campaign runs 90 days.
SMO_MIN_DAYS = 14
CAMPAIGN_DAYS = 90


def template_text() -> str:
    raw = get_data(
        "planner.data", "template.toml"
    )  # by the package's loader (importlib.resources would import zipfile too)
    assert raw is not None
    return raw.decode("utf-8")


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


def phase_dates(start: dt.date) -> tuple[dt.date, dt.date]:
    """The SMO due date and the SMM start of a plan starting on ``start``, whatever its weekday.

    SMM starts on the first Monday at least two weeks after ``start``; SMO
    is due on the Friday before it. SMO then lasts from 12 days (a Monday
    start: two working weeks) to 18 (a Tuesday start).
    """
    earliest = start + dt.timedelta(days=SMO_MIN_DAYS)
    smm_start = earliest + dt.timedelta(days=-earliest.weekday() % 7)
    return smm_start - dt.timedelta(days=3), smm_start


def campaign_id(name: str) -> str:
    """A new campaign's ``id``: a slug of its name and a random part, so two campaigns of one name differ."""
    import secrets

    from planner.plan.ids import slugify

    return f"{slugify(name)[:40]}-{secrets.token_hex(3)}"


def new_plan_text(name: str, timezone: str, start: dt.date, schema: str = "") -> str:
    """The template with the campaign's name, zone and dates filled in.

    With ``schema`` (a path or URL) the first line is the ``#:schema`` directive
    that taplo and Even Better TOML read to find the plan format's JSON Schema.
    """
    from planner.plan.document import Document  # tomlkit only for the commands that write a plan

    document = Document(template_text())
    due, smm_start = phase_dates(start)
    for edit in (
        SetField(("campaign",), "name", name),
        SetField(("campaign",), "id", campaign_id(name)),
        SetField(("campaign",), "timezone", timezone),
        SetField(("campaign",), "start", start),
        SetField(("campaign",), "end", start + dt.timedelta(days=CAMPAIGN_DAYS)),
        SetField(("smo",), "due", due),
        SetField(("smm",), "start", smm_start),
    ):
        document.apply(edit)
    directive = f"#:schema {schema}\n" if schema else ""
    return directive + document.dumps()
