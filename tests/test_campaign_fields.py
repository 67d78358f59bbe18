"""A typed campaign field (`planner.plan.campaign_fields`): its value, or the one-line reason it is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.plan.campaign_fields import campaign_value
from planner.plan.model import Campaign

CAMPAIGN = Campaign("Spring", "Europe/Berlin", dt.date(2027, 3, 1), dt.date(2027, 4, 30))


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("name", "Summer", "Summer"),
        ("site", "", ""),
        ("timezone", "America/New_York", "America/New_York"),
        ("start", " 2027-04-30 ", dt.date(2027, 4, 30)),
        ("end", "2027-03-01", dt.date(2027, 3, 1)),
        ("smm_start", "2026-01-01", dt.date(2026, 1, 1)),
    ],
)
def test_a_good_value(key: str, text: str, value: object) -> None:
    assert campaign_value(CAMPAIGN, key, text) == value


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("name", "  ", "The campaign needs a name."),
        ("timezone", "Berlin", "Not an IANA time zone (for example Europe/Berlin)."),
        ("start", "1 March", "Write a date as YYYY-MM-DD."),
        ("smm_start", "2027-02-30", "Write a date as YYYY-MM-DD."),
        ("start", "2027-05-01", "The end must not be before the start."),
        ("end", "2027-02-28", "The end must not be before the start."),
    ],
)
def test_a_refused_value_says_why_in_one_line(key: str, text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        campaign_value(CAMPAIGN, key, text)
    assert str(refused.value) == message
