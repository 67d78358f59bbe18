"""Stable, human-readable ids for new entries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

MAX_LENGTH = 40
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """``"Open Graph tags!"`` -> ``"open-graph-tags"``; accents folded, never empty."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")[:MAX_LENGTH].strip("-")
    return slug or "item"


def new_id(text: str, taken: Collection[str]) -> str:
    """A slug of ``text`` not in ``taken``: ``launch``, ``launch-2``, ``launch-3``..."""
    return unique(slugify(text), taken)


def unique(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``taken``."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class Ids:
    """New ids for many entries at once (an import): `new_id` that stays linear.

    Each base remembers the number it reached, so naming 20,000 entries
    from the same title tries each number once instead of from 2 every time.
    """

    def __init__(self, taken: Collection[str]) -> None:
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def new(self, text: str) -> str:
        base = slugify(text)
        ident = base
        if ident in self.taken:
            number = self._next.get(base, 2)
            while f"{base}-{number}" in self.taken:
                number += 1
            self._next[base] = number + 1
            ident = f"{base}-{number}"
        self.taken.add(ident)
        return ident
