"""Words for counts in messages: "1 post", "2 posts", never "1 posts"."""

from __future__ import annotations

# Nouns whose plural is not the noun with an "s".
_PLURALS = {"entry": "entries", "reply": "replies"}


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``noun`` when ``count`` is 1 or -1, else its plural (``nouns``, or the noun with an "s")."""
    if abs(count) == 1:
        return noun
    return nouns or _PLURALS.get(noun) or f"{noun}s"


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``"1 post"``, ``"2 posts"``, ``"0 posts"``; a negative count reads as a number too (``"-1 day"``)."""
    return f"{count} {plural(count, noun, nouns)}"
