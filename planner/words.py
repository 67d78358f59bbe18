"""Words for counts and edits in messages: "1 post", "2 posts", never "1 posts"; "added post “Going live”"."""

from __future__ import annotations

from collections.abc import Sequence

from planner.textsafe import one_line

# Nouns whose plural is not the noun with an "s".
_PLURALS = {"entry": "entries", "reply": "replies"}

# The verbs an edit's description starts with (`planner.plan.edits`), and how a list of what was done says them.
_PAST = {
    "add": "added",
    "audit:": "audit:",
    "choose": "chose",
    "copy": "copied",
    "delete": "deleted",
    "duplicate": "duplicated",
    "edit": "edited",
    "import": "imported",
    "move": "moved",
    "remove": "removed",
    "rename": "renamed",
    "restore": "restored",
    "set": "set",
    "shift": "shifted",
    "tick": "ticked",
    "unchoose": "unchose",
    "undo": "undid",
    "untick": "unticked",
}

TITLE_WIDTH = 40  # a title in a message is cut to this many characters


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``noun`` when ``count`` is 1 or -1, else its plural (``nouns``, or the noun with an "s")."""
    if abs(count) == 1:
        return noun
    return nouns or _PLURALS.get(noun) or f"{noun}s"


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``"1 post"``, ``"2 posts"``, ``"0 posts"``; a negative count reads as a number too (``"-1 day"``)."""
    return f"{count} {plural(count, noun, nouns)}"


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage, rounded half up (5 of 12 is ``"42%"``, 1 of 8 ``"13%"``); ``""`` of nothing."""
    if whole <= 0:
        return ""
    return f"{(part * 200 + whole) // (2 * whole)}%"


def quoted(title: str, width: int = TITLE_WIDTH) -> str:
    """How a message names an entry by its title: ``“Going live”``, on one line, cut with "…" past ``width`` characters."""
    text = " ".join(one_line(title).split())
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"“{text}”"


def past(description: str) -> str:
    """An edit's description (``"add post “Going live”"``) as something done (``"added post “Going live”"``)."""
    verb, space, rest = description.partition(" ")
    done = _PAST.get(verb)
    return f"{done}{space}{rest}" if done else description


def listed(phrases: Sequence[str], most: int = 3) -> str:
    """Up to ``most`` of ``phrases`` joined by "; ", then "and N more" (never "and 1 more": that one is listed)."""
    if len(phrases) <= most + 1:
        return "; ".join(phrases)
    return "; ".join([*phrases[:most], f"and {len(phrases) - most} more"])
