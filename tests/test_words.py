"""Words in messages: counts, titles, what edits did."""

from __future__ import annotations

import pytest

from planner.words import counted, listed, past, percent, plural, quoted


def test_counts_read_right_for_one_and_for_others() -> None:
    assert counted(1, "unsaved edit") == "1 unsaved edit"
    assert counted(2, "unsaved edit") == "2 unsaved edits"
    assert counted(0, "post") == "0 posts"
    assert counted(1, "entry") == "1 entry" and counted(3, "entry") == "3 entries"
    assert plural(1, "was", "were") == "was" and plural(2, "was", "were") == "were"


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (5, 12, "42%"),
        (1, 8, "13%"),
        (3, 8, "38%"),
        (1, 3, "33%"),
        (2, 3, "67%"),
        (0, 7, "0%"),
        (7, 7, "100%"),
        (1, 200, "1%"),
        (1, 201, "0%"),
    ],
)
def test_a_percentage_rounds_half_up(part: int, whole: int, shown: str) -> None:
    assert percent(part, whole) == shown


def test_a_percentage_of_nothing_is_not_shown() -> None:
    assert percent(0, 0) == ""


def test_a_title_is_quoted_on_one_line_and_cut() -> None:
    assert quoted("Going live") == "“Going live”"
    assert quoted("Two\nlines\there") == "“Two lines here”"
    assert quoted("Bell\x1b[31m") == "“Bell^[[31m”"  # control characters visible, never obeyed
    long = quoted("Meta titles on the collection and product pages")
    assert long == "“Meta titles on the collection and produ…”" and len(long) == 42


@pytest.mark.parametrize(
    ("description", "done"),
    [
        ("add post “Going live”", "added post “Going live”"),
        ("rename the campaign", "renamed the campaign"),
        ("tick “Meta titles”", "ticked “Meta titles”"),
        ("set the SMM start to 2027-03-16", "set the SMM start to 2027-03-16"),
        ("shift 3 posts 7 days later", "shifted 3 posts 7 days later"),
        ("undo rename the campaign", "undid rename the campaign"),
        ("retitle", "retitle"),  # a verb it does not know stays as it is
    ],
)
def test_what_an_edit_did(description: str, done: str) -> None:
    assert past(description) == done


def test_a_list_names_a_few_then_how_many_more_never_and_1_more() -> None:
    assert listed(["a"]) == "a"
    assert listed(["a", "b", "c", "d"]) == "a; b; c; d"
    assert listed(["a", "b", "c", "d", "e"]) == "a; b; c; and 2 more"
    assert listed(["a", "b", "c"], most=1) == "a; and 2 more"
