"""What a typed campaign field (the Overview's form) means: its value, or why it is refused.

The same rules the schema reads a plan by (a name, an IANA time zone, dates,
the end not before the start), for one field at a time. Nothing here imports
Textual.
"""

from __future__ import annotations

import datetime as dt

from planner.plan.model import Campaign
from planner.plan.schema import valid_timezone
from planner.rules.slots import date_or_none

DATES = ("start", "end", "smm_start")


def campaign_value(campaign: Campaign, key: str, text: str) -> str | dt.date:
    """The value ``text`` gives the field ``key`` of ``campaign``; `ValueError` with the one-line message the field shows otherwise."""
    if key == "name" and not text.strip():
        raise ValueError("The campaign needs a name.")
    if key == "timezone" and not valid_timezone(text):
        raise ValueError("Not an IANA time zone (for example Europe/Berlin).")
    if key not in DATES:
        return text
    date = date_or_none(text)
    if date is None:
        raise ValueError("Write a date as YYYY-MM-DD.")
    start = date if key == "start" else campaign.start
    end = date if key == "end" else campaign.end
    if end < start:
        raise ValueError("The end must not be before the start.")
    return date
