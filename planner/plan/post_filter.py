"""Which posts a filter such as ``platform:instagram status:draft launch`` lets through.

A term ``key:value`` names a platform, status, format or tag; any other
word must appear in the post's id, title, text, notes, link or format.
Every part must match; several values of one key match any of them.

A value is read as a name (``instagram``), a display name (``Instagram``,
the platform's mark ``IG``, a word of its label such as ``twitter``) or a
unique beginning of one (``insta``), without regard to case. A value that
names nothing is not dropped silently: the filter then matches no post for
that key and its `problems` say why, with a suggestion
(``no platform 'instgram' — did you mean instagram?``). The agenda uses
this; nothing here imports Textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from planner.plan.model import FORMATS, STATUSES, Plan, Post
from planner.plan.schema import suggest
from planner.rules.platforms import builtin_platforms, platform_marks
from planner.textsafe import one_line

KEYS = ("platform", "status", "format", "tag")
_WORD = re.compile(r"\w{3,}")


def _aliases(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``(alias, name)`` pairs as a look-up by the alias without case; the first name given for an alias keeps it."""
    found: dict[str, str] = {}
    for alias, name in pairs:
        if alias:
            found.setdefault(alias.casefold(), name)
    return found


@dataclass(frozen=True)
class Vocabulary:
    """What a filter's values can name in one plan: for each key, every alias (without case) and the name it stands for."""

    names: Mapping[str, Mapping[str, str]]

    @classmethod
    def of(cls, plan: Plan) -> Vocabulary:
        rules = builtin_platforms()
        chosen = {choice.name: choice.label for choice in plan.platforms}
        used = {post.platform for post in plan.posts}
        platforms = [
            *dict.fromkeys([*chosen, *sorted(used), *rules])
        ]  # the plan's own first: its names win a shared alias
        marks = platform_marks(platforms)
        labels = {name: chosen.get(name) or (rules[name].label if name in rules else "") for name in platforms}
        platform_pairs = [(name, name) for name in platforms]
        platform_pairs += [(labels[name], name) for name in platforms]
        platform_pairs += [(marks[name], name) for name in platforms]
        platform_pairs += [(word, name) for name in platforms for word in _WORD.findall(labels[name])]
        formats = [
            *dict.fromkeys(
                [
                    *FORMATS,
                    *(fmt for rule in rules.values() for fmt in rule.formats),
                    *sorted({post.format for post in plan.posts}),
                ]
            )
        ]
        tags = sorted({tag for post in plan.posts for tag in post.tags})
        return cls(
            {
                "platform": _aliases(platform_pairs),
                "status": _aliases((status, status) for status in STATUSES),
                "format": _aliases((fmt, fmt) for fmt in formats),
                "tag": _aliases((tag, tag) for tag in tags),
            }
        )

    def read(self, key: str, value: str) -> tuple[str | None, str]:
        """The name ``value`` stands for as a ``key`` (None if none), and what to tell the user: a problem, or how it was read."""
        aliases = self.names.get(key, {})
        typed = value.casefold()
        shown = one_line(value)
        if typed in aliases:
            name = aliases[typed]
            return name, "" if name.casefold() == typed else f"{key}:{shown} is {one_line(name)}"
        starting = sorted({name for alias, name in aliases.items() if alias.startswith(typed)})
        if len(starting) == 1:
            return starting[0], f"{key}:{shown} is {one_line(starting[0])}"
        if starting:
            listed = ", ".join(one_line(name) for name in starting[:-1]) + f" or {one_line(starting[-1])}"
            return None, f"{key} '{shown}' could be {listed}"
        what = "no post has the tag" if key == "tag" else f"no {key}"
        names = sorted(set(aliases.values()), key=str.casefold)
        hint = suggest(value, names) or ("one of " + ", ".join(names) if 0 < len(names) <= 8 else "")
        return None, f"{what} '{shown}'" + (f" — {one_line(hint)}" if hint else "")


@dataclass(frozen=True)
class PostFilter:
    """A parsed filter. A key's set is None when no term names that key (then it lets every post through)."""

    platforms: frozenset[str] | None = None  # names without case
    statuses: frozenset[str] | None = None
    formats: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    words: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # terms that name nothing, each with a suggestion when there is one
    readings: tuple[str, ...] = field(default=(), compare=False)  # how a display name or a beginning was read

    @classmethod
    def parse(cls, text: str, vocabulary: Vocabulary) -> PostFilter:
        found: dict[str, set[str]] = {}
        words: list[str] = []
        problems: list[str] = []
        readings: list[str] = []
        for part in text.split():
            key, colon, value = part.partition(":")
            key = key.casefold()
            if not colon or key not in KEYS:
                words.append(part.casefold())
                continue
            if not value:  # a term still being typed
                continue
            name, said = vocabulary.read(key, value)
            values = found.setdefault(key, set())
            if name is not None:
                values.add(name.casefold())
                readings += [said] if said else []
            else:
                problems.append(said)
        sets = {key: frozenset(found[key]) if key in found else None for key in KEYS}
        return cls(
            sets["platform"],
            sets["status"],
            sets["format"],
            sets["tag"],
            tuple(words),
            tuple(problems),
            tuple(readings),
        )

    def __bool__(self) -> bool:
        return any(part is not None for part in (self.platforms, self.statuses, self.formats, self.tags)) or bool(
            self.words
        )

    def matches(self, post: Post) -> bool:
        if self.platforms is not None and post.platform.casefold() not in self.platforms:
            return False
        if self.statuses is not None and post.status.casefold() not in self.statuses:
            return False
        if self.formats is not None and post.format.casefold() not in self.formats:
            return False
        if self.tags is not None and not self.tags & {tag.casefold() for tag in post.tags}:
            return False
        if self.words:
            haystack = " ".join((post.id, post.title, post.text, post.notes, post.link, post.format)).casefold()
            return all(word in haystack for word in self.words)
        return True
