"""What changed between two versions of a plan, by entry and field, in words.

`diff_plans` compares the plain data of two versions (what the fast parser
reads; either may be missing, or not a valid plan) and returns the changes
a marketer reads: the Instagram post "Weekend countdown" moved from one
time to another, its status went from draft to approved, an item was
ticked, a post was added or removed. Entries of the arrays of tables are
matched by their identity (a post's or item's ``id``, a platform's or
competitor's ``name``), never by their place in the file, so moving an
entry or adding one above it changes nothing else. An entry whose identity
changed and nothing else is a rename.

A key left out and a key set to its default (``status = "idea"``) are the
same: only what the plan means is compared, not how it is written (a change
of layout or comments alone is "no change to the plan").

The command line prints a `PlanDiff` as text (`lines`) or JSON (`as_json`);
`planner.plan.merge` uses the same matching of entries (`ENTRY_ARRAYS`,
`identities`, `renames`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.plan import fields as F
from planner.plan.model import Plan
from planner.plan.problems import KeyPath


class _Missing:
    """A key that is not there (in JSON: null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class EntryArray:
    """An array of tables whose entries are matched by ``key``: what its entries are called, and in which phase."""

    path: KeyPath
    key: str
    noun: str
    phase: str
    table: F.Table = field(repr=False)


ENTRY_ARRAYS: tuple[EntryArray, ...] = (
    EntryArray(("smo", "items"), "id", "item", "smo", F.SMO_ITEM),
    EntryArray(("smm", "platforms"), "name", "platform", "smm", F.PLATFORM),
    EntryArray(("smm", "posts"), "id", "post", "smm", F.POST),
    EntryArray(("competitors",), "name", "competitor", "competitors", F.COMPETITOR),
)
ARRAY_AT: dict[KeyPath, EntryArray] = {array.path: array for array in ENTRY_ARRAYS}
# The tables that are not arrays, with their phase; other top-level keys are "other".
TABLE_PHASES: dict[KeyPath, tuple[str, F.Table]] = {
    (): ("other", F.PLAN),
    ("campaign",): ("campaign", F.CAMPAIGN),
    ("smo",): ("smo", F.SMO),
    ("smm",): ("smm", F.SMM),
}
PHASES = ("campaign", "smo", "smm", "competitors", "other")
PHASE_TITLES = {
    "campaign": "Campaign",
    "smo": "SMO checklist",
    "smm": "SMM calendar",
    "competitors": "Competitors",
    "other": "Other",
}
# How a table's own keys are named in words.
TABLE_NOUNS: dict[KeyPath, str] = {(): "plan", ("campaign",): "campaign", ("smo",): "SMO", ("smm",): "SMM"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One key of an entry or table: its old and new value (`MISSING` when not there) and the change in words."""

    key: str  # dotted below the entry: "handles.x"
    old: Any
    new: Any
    words: str


@dataclass(frozen=True, slots=True)
class Change:
    """What happened to one entry (or to the keys of one table).

    ``kind`` is "added", "removed", "changed", "renamed" or "reordered";
    ``id`` the entry's identity (the new one when renamed, ``old_id`` the
    old); ``name`` how the words name it (instagram post “Weekend countdown”).
    """

    phase: str
    kind: str
    what: str
    id: str | None
    name: str
    words: str
    fields: tuple[FieldChange, ...] = ()
    old_id: str | None = None
    at: str = ""  # a post's time, to order the calendar's changes


@dataclass
class PlanDiff:
    """The changes from one version of a plan to another (``old`` or ``new`` None: the file was added or deleted)."""

    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None
    changes: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes) or (self.old is None) != (self.new is None)

    def by_phase(self) -> list[tuple[str, list[Change]]]:
        groups = {phase: [c for c in self.changes if c.phase == phase] for phase in PHASES}
        return [(phase, changes) for phase, changes in groups.items() if changes]

    def lines(self, file: str) -> list[str]:
        """The file's name, then each phase's title and its changes, one per line (indented)."""
        if self.old is None and self.new is None:
            return []
        if self.old is None:
            return [f"{file}: new {_plan_summary(self.new)}"]
        if self.new is None:
            return [f"{file}: deleted (was {_plan_summary(self.old)})"]
        if not self.changes:
            return [f"{file}: no change to the plan (only its layout or comments)"]
        out = [file]
        for phase, changes in self.by_phase():
            out.append(f"  {PHASE_TITLES[phase]}")
            out += [f"    {change.words}" for change in changes]
        return out

    def as_json(self, file: str) -> dict[str, Any]:
        return {
            "file": file,
            "status": "added" if self.old is None else "deleted" if self.new is None else "modified",
            "changes": [
                {
                    "phase": c.phase,
                    "kind": c.kind,
                    "what": c.what,
                    "id": c.id,
                    "old_id": c.old_id,
                    "name": c.name,
                    "words": c.words,
                    "fields": [
                        {"key": f.key, "old": json_value(f.old), "new": json_value(f.new), "words": f.words}
                        for f in c.fields
                    ],
                }
                for c in self.changes
            ],
        }


def json_value(value: Any) -> Any:
    """A plan value as JSON takes it: dates as ISO text, `MISSING` as null."""
    if value is MISSING:
        return None
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


# -- matching entries ----------------------------------------------------------------------


def entries_at(data: Mapping[str, Any] | None, path: KeyPath) -> list[Any]:
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, Mapping) else None
    return node if isinstance(node, list) else []


def identities(entries: list[Any], key: str) -> dict[str, int] | None:
    """Each entry's identity (its ``key``, a string) and its index; None if one has none or two share one."""
    out: dict[str, int] = {}
    for index, entry in enumerate(entries):
        ident = entry.get(key) if isinstance(entry, Mapping) else None
        if not isinstance(ident, str) or ident in out:
            return None
        out[ident] = index
    return out


def without(entry: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}


def renames(
    old: list[Any], old_ids: Mapping[str, int], new: list[Any], new_ids: Mapping[str, int], key: str
) -> dict[str, str]:
    """Old identity -> new identity for each entry that only changed its identity (nothing else)."""
    gone = [ident for ident in old_ids if ident not in new_ids]
    came = [ident for ident in new_ids if ident not in old_ids]
    if not gone or not came:
        return {}
    by_content: dict[str, list[str]] = {}
    for ident in came:
        by_content.setdefault(_content_key(without(new[new_ids[ident]], key)), []).append(ident)
    out = {}
    for ident in gone:
        candidates = by_content.get(_content_key(without(old[old_ids[ident]], key)))
        if candidates:
            out[ident] = candidates.pop(0)
    return out


def _content_key(entry: Mapping[str, Any]) -> str:
    return repr(sorted((k, _typed(v)) for k, v in entry.items()))


def _typed(value: Any) -> Any:
    """``value`` with its types spelt out, so that ``1`` and ``true`` or ``1.0`` never compare equal."""
    if isinstance(value, Mapping):
        return ("table", sorted((k, _typed(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", [_typed(v) for v in value])
    return (type(value).__name__, value)


def same(a: Any, b: Any) -> bool:
    """Equality of plain TOML data where the types count (``1`` is not ``true``; a NaN is itself)."""
    if a is b:
        return True
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return type(a) is type(b) and a == b


# -- the diff ----------------------------------------------------------------------------------


def diff_plans(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, plan: Plan | None = None) -> PlanDiff:
    """The changes from ``old`` to ``new`` (plain data; None: no such file).

    ``plan`` is ``new`` as a model, when it is a valid plan: a changed text is
    then counted against its platform's limit.
    """
    result = PlanDiff(old, new)
    if old is None or new is None:
        return result
    words = _Words(plan)
    changes = result.changes
    for path, (phase, table) in TABLE_PHASES.items():
        changes += _table_changes(path, phase, table, _table_at(old, path), _table_at(new, path), words)
    for array in ENTRY_ARRAYS:
        changes += _array_changes(array, entries_at(old, array.path), entries_at(new, array.path), words)
    return result


def _table_at(data: Mapping[str, Any], path: KeyPath) -> Mapping[str, Any]:
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def _own_keys(path: KeyPath, table: Mapping[str, Any]) -> list[str]:
    """The keys of a table that are its own fields: not the arrays of entries or the tables compared apart."""
    out = []
    for key in table:
        child = (*path, key)
        if child in ARRAY_AT or child in TABLE_PHASES:
            continue
        out.append(key)
    return out


def _table_changes(
    path: KeyPath, phase: str, table: F.Table, old: Mapping[str, Any], new: Mapping[str, Any], words: _Words
) -> list[Change]:
    keys = _union(_own_keys(path, old), _own_keys(path, new))
    found = _field_changes(keys, old, new, table, words, None)
    what = TABLE_NOUNS[path]
    return [Change(phase, "changed", what, None, what, f"{what} {change.words}", (change,)) for change in found]


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    out = list(first)
    seen = set(out)
    out += [key for key in second if key not in seen]
    return out


def _array_changes(array: EntryArray, old: list[Any], new: list[Any], words: _Words) -> list[Change]:
    old_ids, new_ids = identities(old, array.key), identities(new, array.key)
    if old_ids is None or new_ids is None:  # not a valid plan: entries compared by place
        old_ids = {f"#{i + 1}": i for i in range(len(old))}
        new_ids = {f"#{i + 1}": i for i in range(len(new))}
    renamed = renames(old, old_ids, new, new_ids, array.key)
    renamed_to = set(renamed.values())
    out: list[Change] = []
    for ident, index in new_ids.items():
        entry = new[index]
        if not isinstance(entry, Mapping):
            continue
        if ident in renamed_to:
            continue
        if ident not in old_ids:
            out.append(_added(array, ident, entry, words))
            continue
        before = old[old_ids[ident]]
        if not isinstance(before, Mapping) or (entry == before and same(entry, before)):
            continue
        keys = _union([k for k in before if k != array.key], [k for k in entry if k != array.key])
        found = _field_changes(keys, before, entry, array.table, words, entry)
        if found:
            name = words.name(array, ident, entry)
            out.append(
                Change(
                    array.phase,
                    "changed",
                    array.noun,
                    ident,
                    name,
                    f"{name}: {'; '.join(f.words for f in found)}",
                    tuple(found),
                    at=_at(entry),
                )
            )
    for ident, index in old_ids.items():
        entry = old[index]
        if ident in new_ids or not isinstance(entry, Mapping):
            continue
        if ident in renamed:
            name = words.name(array, renamed[ident], new[new_ids[renamed[ident]]])
            change = FieldChange(array.key, ident, renamed[ident], f"{array.key} {ident} → {renamed[ident]}")
            out.append(
                Change(
                    array.phase,
                    "renamed",
                    array.noun,
                    renamed[ident],
                    name,
                    f"{name}: renamed from {ident}",
                    (change,),
                    old_id=ident,
                    at=_at(entry),
                )
            )
            continue
        name = words.name(array, ident, entry)
        when = (
            f", was on {_when(entry['at'])}"
            if array.noun == "post" and isinstance(entry.get("at"), dt.datetime)
            else ""
        )
        out.append(Change(array.phase, "removed", array.noun, ident, name, f"removed {name}{when}", at=_at(entry)))
    if array.noun == "item":
        common_old = [ident for ident in old_ids if ident in new_ids]
        common_new = [ident for ident in new_ids if ident in old_ids]
        if common_old != common_new:
            out.append(Change(array.phase, "reordered", array.noun, None, "checklist", "checklist order changed"))
    if array.noun == "post":
        out.sort(key=lambda change: (change.at, change.id or ""))
    return out


def _at(entry: Mapping[str, Any]) -> str:
    at = entry.get("at")
    return at.isoformat() if isinstance(at, (dt.date, dt.time)) else ""


def _added(array: EntryArray, ident: str, entry: Mapping[str, Any], words: _Words) -> Change:
    name = words.name(array, ident, entry)
    details = []
    if array.noun == "post":
        if isinstance(entry.get("at"), dt.datetime):
            details.append(f"on {_when(entry['at'])}")
        details.append(str(entry.get("status", F.POST["status"].default)))
    elif array.noun == "item" and entry.get("done") is True:
        details.append("done")
    fields = tuple(FieldChange(key, MISSING, value, "") for key, value in entry.items() if key != array.key)
    text = f"added {name}" + (f", {', '.join(details)}" if details else "")
    return Change(array.phase, "added", array.noun, ident, name, text, fields, at=_at(entry))


# -- words ---------------------------------------------------------------------------------------


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" + (f":{value:%S}" if value.second else "")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return shown(value)


def quoted(text: str) -> str:
    return "“" + text + "”"


def shown(value: Any) -> str:
    """A value in words: text quoted, dates as ISO, true and false as yes and no, arrays as a list."""
    if value is MISSING:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, (dt.date, dt.time)):
        return _when(value)
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} {shown(v)}" for k, v in value.items()) + "}"
    return str(value)


def excerpt_pair(old: str, new: str, width: int = 60) -> tuple[str, str]:
    """``old`` and ``new`` quoted, long ones cut to the same window around their first difference."""
    first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    start = 0 if max(len(old), len(new)) <= width else max(0, first - width // 3)

    def cut(text: str) -> str:
        part = text[start : start + width].replace("\n", "⏎")
        return quoted(("…" if start else "") + part + ("…" if start + width < len(text) else ""))

    return cut(old), cut(new)


class _Words:
    """How changes are said; counts text against the new plan's limits when there is one."""

    def __init__(self, plan: Plan | None) -> None:
        self.plan = plan
        self._posts: dict[str, Any] | None = None

    def name(self, array: EntryArray, ident: str, entry: Mapping[str, Any]) -> str:
        if array.noun == "post":
            platform, fmt, title = entry.get("platform"), entry.get("format", "post"), entry.get("title")
            what = f"{platform if isinstance(platform, str) else '?'} {fmt if isinstance(fmt, str) else 'post'}"
            if isinstance(title, str) and title.strip():
                return f"{what} {quoted(title)} ({ident})"
            return f"{what} {ident}"
        if array.noun == "item":
            title = entry.get("title")
            return f"item {quoted(title)} ({ident})" if isinstance(title, str) and title.strip() else f"item {ident}"
        if array.noun == "competitor":
            return f"competitor {quoted(ident)}"
        return f"platform {ident}"

    def text_count(self, entry: Mapping[str, Any] | None) -> str:
        """ " (now 2,310 of 2,200 characters)": a post's new text counted the way its platform counts."""
        if self.plan is None or entry is None or "platform" not in entry:
            return ""
        from planner.rules.platforms import limits_for, measure

        if self._posts is None:
            self._posts = {post.id: post for post in self.plan.posts}
        post = self._posts.get(entry.get("id"))  # type: ignore[arg-type]
        if post is None:
            return ""
        limits = limits_for(self.plan, post.platform, post.format)
        count = next(c for c in measure(limits, post.title, post.text) if c.what == "text")
        unit = count.unit or "characters"  # YouTube counts bytes
        return f" (now {count.used:,} of {count.limit:,} {unit})" if count.limit else f" (now {count.used:,} {unit})"

    def change(self, key: str, old: Any, new: Any, definition: F.Field | None, entry: Mapping[str, Any] | None) -> str:
        label = key.replace("_", " ")
        if key == "at" and isinstance(old, dt.datetime) and isinstance(new, dt.datetime):
            return f"moved {_when(old)} → {_when(new)}"
        if key == "done" and definition is not None and isinstance(new, bool) and isinstance(old, bool):
            return "ticked" if new else "unticked"
        if key == "approved_by":
            if not new:
                return f"approval by {old} withdrawn" if old else "approval withdrawn"
            return f"approved by {new}" + (f" (was {old})" if old else "")
        if key == "approved_fingerprint":
            return "approved again" if new else "approval fingerprint removed"
        if key == "text" and isinstance(old, str) and isinstance(new, str):
            a, b = excerpt_pair(old, new)
            return f"text {a} → {b}{self.text_count(entry)}"
        if key in ("tags", "best_times") and isinstance(old, list) and isinstance(new, list):
            added = [shown(v) for v in new if v not in old]
            removed = [shown(v) for v in old if v not in new]
            parts = [f"+{v}" for v in added] + [f"−{v}" for v in removed]
            return f"{label} {' '.join(parts)}" if parts else f"{label} reordered"
        if old is MISSING:
            return f"{label} {shown(new)}" + ("" if definition is not None else " (added)")
        if new is MISSING:
            return f"{label} removed (was {shown(old)})"
        if isinstance(old, str) and isinstance(new, str):
            a, b = excerpt_pair(old, new)
            if (
                definition is not None
                and definition.values is not None
                and "\n" not in old + new
                and len(old + new) < 60
            ):
                return f"{label} {old} → {new}"  # status draft → approved
            return f"{label} {a} → {b}"
        return f"{label} {shown(old)} → {shown(new)}"


def _field_changes(
    keys: list[str],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    table: F.Table,
    words: _Words,
    entry: Mapping[str, Any] | None,
    prefix: str = "",
) -> list[FieldChange]:
    defined = {f.key: f for f in table.fields} if not prefix else {}
    out: list[FieldChange] = []
    approval_by = not same(old.get("approved_by", MISSING), new.get("approved_by", MISSING))
    for key in keys:
        definition = defined.get(key)
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        if definition is not None and definition.default is not None:
            default = list(definition.default) if isinstance(definition.default, tuple) else definition.default
            a = default if a is MISSING else a
            b = default if b is MISSING else b
        if same(a, b):
            continue
        if (
            isinstance(a, Mapping)
            and isinstance(b, Mapping)
            and not (definition is not None and definition.kind == "handles")
        ):
            out += _field_changes(_union(a, b), a, b, table, words, entry, f"{prefix}{key}.")
            continue
        if key == "approved_fingerprint" and approval_by and not prefix:
            continue  # said with approved_by
        if (
            definition is not None
            and definition.kind == "handles"
            and isinstance(a, Mapping)
            and isinstance(b, Mapping)
        ):
            parts = [
                f"{k} {shown(a.get(k, MISSING))} → {shown(b.get(k, MISSING))}"
                for k in _union(a, b)
                if not same(a.get(k, MISSING), b.get(k, MISSING))
            ]
            out.append(FieldChange(f"{prefix}{key}", a, b, f"handles {', '.join(parts)}"))
            continue
        out.append(FieldChange(f"{prefix}{key}", a, b, words.change(f"{prefix}{key}", a, b, definition, entry)))
    return out


def _plan_summary(data: Mapping[str, Any] | None) -> str:
    campaign = _table_at(data or {}, ("campaign",))
    name = campaign.get("name")
    posts = len(entries_at(data, ("smm", "posts")))
    items = len(entries_at(data, ("smo", "items")))
    title = f"plan {quoted(name)}" if isinstance(name, str) else "plan"
    return f"{title}: {items} checklist item{'s' if items != 1 else ''}, {posts} post{'s' if posts != 1 else ''}"


def in_words(data: Mapping[str, Any]) -> list[str]:
    """A whole plan in words, one line per table key and per entry (what git's line diff compares as a textconv).

    Posts are in the order of their time, so a post that moves shows as a
    line going from one place to another; the other entries in file order.
    A line break in a text is written ``⏎``.
    """
    words = _Words(None)
    out = []
    for path, (_phase, _table) in TABLE_PHASES.items():
        values = _table_at(data, path)
        out += [f"{TABLE_NOUNS[path]} {key.replace('_', ' ')} {shown(values[key])}" for key in _own_keys(path, values)]
    for array in ENTRY_ARRAYS:
        entries = [e for e in entries_at(data, array.path) if isinstance(e, Mapping)]
        if array.noun == "post":
            entries.sort(key=lambda e: (_at(e), str(e.get("id"))))
        for entry in entries:
            ident = entry.get(array.key)
            ident = ident if isinstance(ident, str) else "?"
            rest = ", ".join(
                f"{key.replace('_', ' ')} {shown(value)}" for key, value in entry.items() if key != array.key
            )
            out.append(f"{words.name(array, ident, entry)}: {rest}")
    return [line.replace("\r\n", "⏎").replace("\n", "⏎") for line in out]
