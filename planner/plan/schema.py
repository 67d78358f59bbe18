"""Validate plain plan data (from tomllib) and build the model from it.

Every problem is collected, none stops the others, and each carries the key
path it is about; `planner.plan.locate` adds the line later. Keys the format
does not know are kept in the file and reported as notes, never errors.

What each table's keys are, their types, defaults, bounds, allowed values
and patterns come from `planner.plan.fields`, which `planner schema` turns
into a JSON Schema too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import replace
from functools import cache
from pkgutil import get_data
from typing import Any

from planner.plan import fields as F
from planner.plan.edits import AddEntry, Batch, Edit, SetField
from planner.plan.model import (
    GOAL_METRICS,
    GOAL_PERIODS,
    POSTS,
    RESULT_METRICS,
    SMO_ITEMS,
    WEEKDAYS,
    BestTime,
    Campaign,
    Competitor,
    Goal,
    Plan,
    PlatformChoice,
    Post,
    Result,
    SmoItem,
)
from planner.plan.problems import KeyPath, Problem
from planner.rules.platforms import builtin_platforms

SCHEMA_VERSION = F.SCHEMA_VERSION
ID_PATTERN = re.compile(f"(?:{F.ID_PATTERN})\\Z")
BEST_TIME = re.compile(f"(?:{F.BEST_TIME_PATTERN})\\Z")

TOP_KEYS = F.PLAN.keys
CAMPAIGN_KEYS = F.CAMPAIGN.keys
SMO_KEYS = F.SMO.keys
SMO_ITEM_KEYS = F.SMO_ITEM.keys
SMM_KEYS = F.SMM.keys
PLATFORM_KEYS = F.PLATFORM.keys
POST_KEYS = F.POST.keys
COMPETITOR_KEYS = F.COMPETITOR.keys
GOAL_KEYS = F.GOAL.keys
RESULT_KEYS = F.RESULT.keys
AUDIT_RULES = F.AUDIT_RULES


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ``did you mean ...?`` hint, or an empty string."""
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    import difflib  # only for a word that is not known

    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f"did you mean {by_lower[close[0]]}?" if close else ""


@cache
def timezone_names() -> frozenset[str]:
    """Every IANA time zone name this machine knows (what `campaign.timezone` may be)."""
    return frozenset(F.CAMPAIGN["timezone"].values())  # type: ignore[misc]


def valid_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (the JSON Schema's list of them).

    Without listing them all (`zoneinfo.available_timezones` opens every
    file under the time zone folders: about 20 ms for each `planner check`):
    the same answer from the one file that would be listed as ``name``.
    """
    if timezone_names.cache_info().currsize:
        return name in timezone_names()
    return _listed_timezone(name)


@cache
def _tzdata_zones() -> frozenset[str]:
    try:
        raw = get_data("tzdata", "zones")
    except (ImportError, OSError):
        return frozenset()
    return frozenset(line.strip() for line in (raw or b"").decode("utf-8").splitlines() if line.strip())


def _listed_timezone(name: str) -> bool:
    """Whether `zoneinfo.available_timezones` lists ``name``, by the rules it lists by (CPython 3.11 to 3.13).

    It lists the tzdata package's zones and each file below a TZPATH folder
    whose content starts with ``TZif``, by its relative path, except below
    ``right`` and ``posix`` at the top, below a linked folder (the walk does
    not follow them) and ``posixrules``.
    """
    if name in _tzdata_zones():
        return True
    parts = name.split("/")
    if (
        name == "posixrules"
        or parts[0] in ("right", "posix")
        or any(part in ("", ".", "..") for part in parts)
        or "\0" in name
    ):
        return False
    for root in zoneinfo.TZPATH:
        folder = root
        for part in parts[:-1]:
            folder = os.path.join(folder, part)
            if os.path.islink(folder) or not os.path.isdir(folder):
                break
        else:
            try:
                with open(os.path.join(root, *parts), "rb") as file:
                    if file.read(4) == b"TZif":
                        return True
            except OSError:
                pass
    return False


@cache
def _known_set(known: tuple[str, ...]) -> frozenset[str]:
    return frozenset(known)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _Reader:
    """Reads one plan, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: KeyPath, message: str, hint: str = "", code: str = "schema") -> None:
        self.problems.append(Problem("error", message, path, hint=hint, code=code))

    def warn(self, path: KeyPath, message: str, hint: str = "", code: str = "schema") -> None:
        self.problems.append(Problem("warning", message, path, hint=hint, code=code))

    def unknown_keys(self, table: dict, known: tuple[str, ...], path: KeyPath) -> None:
        if table.keys() <= _known_set(known):  # the usual case, without a loop
            return
        for key in table:
            if key not in known:
                hint = suggest(key, known)
                self.problems.append(
                    Problem("note", "unknown key, kept as it is", (*path, key), hint=hint, code="unknown-key")
                )

    # -- typed getters: return None (and record an error) when wrong ----------

    def table(self, parent: dict, key: str, path: KeyPath, required: bool = True) -> dict | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.error((*path, key), f"the [{'.'.join(map(str, (*path, key)))}] table is missing")
            return None
        if not isinstance(value, dict):
            self.error((*path, key), f"expected a table, found {_type_name(value)}")
            return None
        return value

    def entries(self, parent: dict, key: str, path: KeyPath) -> list[tuple[int, dict]]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.error(
                (*path, key),
                f"expected an array of tables ([[{'.'.join(map(str, (*path, key)))}]]), found {_type_name(value)}",
            )
            return []
        out = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                out.append((index, entry))
            else:
                self.error((*path, key, index), f"expected a table, found {_type_name(entry)}")
        return out

    def string(self, table: dict, key: str, path: KeyPath, required: bool = False, default: str = "") -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.error((*path, key), f"{key} is required")
                return None
            return default
        if not isinstance(value, str):
            self.error((*path, key), f"expected a string, found {_type_name(value)}", hint=f'write {key} = "..."')
            return None
        if required and not value.strip():
            self.error((*path, key), f"{key} must not be empty")
            return None
        return value

    def date(self, table: dict, key: str, path: KeyPath, required: bool = False) -> dt.date | None:
        value = table.get(key)
        if value is None:
            if required:
                self.error((*path, key), f"{key} is required", hint=f"for example {key} = 2026-03-02")
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            hint = "write a bare date such as 2026-03-02"
            if isinstance(value, str):
                hint = "remove the quotes: TOML dates are written bare, like 2026-03-02"
            self.error((*path, key), f"expected a date, found {_type_name(value)}", hint=hint)
            return None
        return value

    def local_datetime(self, table: dict, key: str, path: KeyPath) -> dt.datetime | None:
        value = table.get(key)
        if value is None:
            self.error((*path, key), f"{key} is required", hint=f"for example {key} = 2026-03-17T09:00:00")
            return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                self.error(
                    (*path, key),
                    "expected a local date-time without an offset",
                    hint="times are in campaign.timezone; drop the offset or Z",
                )
                return None
            return value
        if isinstance(value, dt.date):
            hint = f"add a time: {value.isoformat()}T09:00:00"
        elif isinstance(value, str):
            hint = "remove the quotes: write at = 2026-03-17T09:00:00"
        else:
            hint = "for example at = 2026-03-17T09:00:00"
        self.error((*path, key), f"expected a local date-time, found {_type_name(value)}", hint=hint)
        return None

    def boolean(self, table: dict, key: str, path: KeyPath, default: bool = False) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            hint = "write true or false without quotes" if isinstance(value, str) else ""
            self.error((*path, key), f"expected true or false, found {_type_name(value)}", hint=hint)
            return default
        return value

    def integer(self, table: dict, key: str, path: KeyPath, minimum: int = 0) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((*path, key), f"expected a whole number, found {_type_name(value)}")
            return None
        if value < minimum:
            self.error((*path, key), f"must be {minimum} or more, found {value}")
            return None
        return value

    def number(self, table: dict, key: str, path: KeyPath, required: bool = False, minimum: int = 0) -> float | None:
        value = table.get(key)
        if value is None:
            if required:
                self.error((*path, key), f"{key} is required", hint=f"for example {key} = 1000")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = "remove the quotes" if isinstance(value, str) else ""
            self.error((*path, key), f"expected a number, found {_type_name(value)}", hint=hint)
            return None
        if value < minimum:
            self.error((*path, key), f"must be {minimum} or more, found {value}")
            return None
        return value

    def strings(self, table: dict, key: str, path: KeyPath) -> tuple[str, ...] | None:
        value = table.get(key, [])
        if not isinstance(value, list):
            hint = f'write {key} = ["{value}"]' if isinstance(value, str) else ""
            self.error((*path, key), f"expected an array of strings, found {_type_name(value)}", hint=hint)
            return None
        bad = [i for i, item in enumerate(value) if not isinstance(item, str)]
        for i in bad:
            self.error((*path, key, i), f"expected a string, found {_type_name(value[i])}")
        return None if bad else tuple(value)

    def field(self, table: dict, field: F.Field, path: KeyPath) -> Any:
        """The value of ``field`` in ``table`` as its definition says (type, required, default, minimum); None when wrong."""
        key = field.key
        if field.kind == "string":
            return self.string(
                table,
                key,
                path,
                required=field.required,
                default=field.default if isinstance(field.default, str) else "",
            )
        if field.kind == "date":
            return self.date(table, key, path, required=field.required)
        if field.kind == "local-datetime":
            return self.local_datetime(table, key, path)
        if field.kind == "boolean":
            return self.boolean(table, key, path, default=bool(field.default))
        if field.kind == "integer":
            return self.integer(table, key, path, minimum=field.minimum or 0)
        if field.kind == "strings":
            return self.strings(table, key, path)
        if field.kind == "number":
            return self.number(table, key, path, required=field.required, minimum=field.minimum or 0)
        raise AssertionError(f"read {field.kind} fields where they are used")

    def fields(self, table: dict, definition: F.Table, path: KeyPath, keys: Iterable[str]) -> dict[str, Any]:
        return {key: self.field(table, definition[key], path) for key in keys}

    def duplicate(self, path: KeyPath, key: str, what: str, first: KeyPath, verb: str = "used") -> None:
        """An error where ``what`` is repeated and a note where it was first, so both lines are shown."""
        self.error((*path, key), f"{what} is {verb} twice", hint=f"also at {_show(first)}", code="duplicate-id")
        self.problems.append(
            Problem("note", f"{what} is {verb} again at {_show(path)}", (*first, key), code="duplicate-id")
        )

    def ident(self, table: dict, path: KeyPath, seen: dict[str, KeyPath]) -> str | None:
        value = self.string(table, "id", path, required=True)
        if value is None:
            return None
        if not ID_PATTERN.match(value):
            slug = re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-._") or "item"
            self.error(
                (*path, "id"), f"id {value!r} is not a slug", hint=f"use letters, digits, '-', '_', '.', e.g. {slug!r}"
            )
            return None
        if value in seen:
            self.duplicate(path, "id", f"id {value!r}", seen[value])
            return None
        seen[value] = path
        return value


def _show(path: KeyPath) -> str:
    from planner.plan.problems import dotted

    return dotted(path)


def best_time(text: str) -> BestTime | None:
    """A slot as written in ``best_times`` (``"tue 09:00"``, ``"daily 18:00"``, in any case), or None."""
    match = BEST_TIME.match(text.strip())
    if not match:
        return None
    day, hour, minute = match.groups()
    day = day.lower()
    return BestTime(WEEKDAYS.index(day) if day in WEEKDAYS else day, dt.time(int(hour), int(minute)))


def read_plan(data: dict[str, Any]) -> tuple[Plan | None, list[Problem]]:
    """The model for ``data`` and every problem found; no model if any is an error."""
    r = _Reader()
    r.unknown_keys(data, TOP_KEYS, ())

    schema = data.get("schema")
    if schema is None:
        r.error(("schema",), "schema is missing", hint="add schema = 1 at the top")
    elif isinstance(schema, bool) or not isinstance(schema, int):
        r.error(("schema",), f"expected the integer 1, found {_type_name(schema)}")
    elif schema > SCHEMA_VERSION:
        r.error(
            ("schema",),
            f"this plan uses schema {schema}; this planner reads schema {SCHEMA_VERSION}",
            hint="upgrade planner",
        )
    elif schema < 1:
        r.error(("schema",), f"schema {schema} does not exist", hint="use schema = 1")

    campaign = _campaign(r, data)
    smo_due, items = _smo(r, data, campaign)
    smm_start, platforms, posts, goals, results = _smm(r, data)
    competitors = _competitors(r, data)

    if any(p.severity == "error" for p in r.problems):
        return None, r.problems
    assert campaign is not None and smo_due is not None
    assert isinstance(schema, int)  # an error above otherwise
    plan = Plan(
        campaign=campaign,
        smo_due=smo_due,
        smm_start_set=smm_start,
        smo_items=items,
        platforms=platforms,
        posts=posts,
        competitors=competitors,
        schema=schema,
        goals=goals,
        results=results,
    )
    return plan, r.problems


def reread_entry(
    plan: Plan, problems: list[Problem], data: dict[str, Any], edit: Edit
) -> tuple[Plan, list[Problem]] | None:
    """What `read_plan` gives for ``data``, read again only where ``edit`` changed it; None to read it all.

    ``plan`` and ``problems`` are what `read_plan` gave before ``edit`` (a
    valid plan, so each entry of ``data`` is one model object). When the
    edit only set fields of one checklist item or post, that entry alone is
    read, against the other entries' ids and the chosen platforms: this is
    everything `read_plan` looks at for it. The answer is used only when
    the entry is valid and has no problem, before or after the edit; then
    nothing else can have changed. Anything else (another edit, an error,
    a note, a warning) returns None.
    """
    parts = edit.edits if isinstance(edit, Batch) else (edit,)
    if parts and all(
        isinstance(part, AddEntry) and part.index is None and tuple(part.array) == POSTS for part in parts
    ):
        return _reread_new_posts(plan, problems, data, len(parts))
    tables = {part.table if isinstance(part, SetField) else None for part in parts}
    if len(tables) != 1:
        return None
    path = tables.pop()
    if path is None or len(path) != 3 or path[:2] not in (SMO_ITEMS, POSTS) or not isinstance(path[2], int):
        return None
    index = path[2]
    ids = [entry.id for entry in plan.smo_items] if path[:2] == SMO_ITEMS else [entry.id for entry in plan.posts]
    raw_entries = data.get(str(path[0]), {}).get(path[1])
    if not isinstance(raw_entries, list) or len(raw_entries) != len(ids) or not 0 <= index < len(ids):
        return None
    raw = raw_entries[index]
    if not isinstance(raw, dict) or "results" in raw or any(p.path[:3] == path for p in problems):
        return None
    seen: dict[str, KeyPath] = {ident: (*path[:2], i) for i, ident in enumerate(ids) if i != index}
    r = _Reader()
    if path[:2] == SMO_ITEMS:
        item = _smo_item(r, raw, path, seen)
        if item is None or r.problems:
            return None
        return replace(plan, smo_items=[*plan.smo_items[:index], item, *plan.smo_items[index + 1 :]]), problems
    post = _post(r, raw, path, seen, {choice.name for choice in plan.platforms})
    if post is None or r.problems:
        return None
    return replace(plan, posts=[*plan.posts[:index], post, *plan.posts[index + 1 :]]), problems


def _reread_new_posts(
    plan: Plan, problems: list[Problem], data: dict[str, Any], count: int
) -> tuple[Plan, list[Problem]] | None:
    """`reread_entry` for ``count`` posts added at the end (an import): only they are read, against the others' ids."""
    raw_entries = data.get("smm", {}).get("posts")
    if not isinstance(raw_entries, list) or len(raw_entries) != len(plan.posts) + count:
        return None
    seen: dict[str, KeyPath] = {post.id: (*POSTS, i) for i, post in enumerate(plan.posts)}
    names = {choice.name for choice in plan.platforms}
    r = _Reader()
    added = []
    for index in range(len(plan.posts), len(raw_entries)):
        raw = raw_entries[index]
        post = _post(r, raw, (*POSTS, index), seen, names) if isinstance(raw, dict) and "results" not in raw else None
        if post is None or r.problems:
            return None
        added.append(post)
    return replace(plan, posts=[*plan.posts, *added]), problems


def _campaign(r: _Reader, data: dict) -> Campaign | None:
    table = r.table(data, "campaign", ())
    if table is None:
        return None
    path: KeyPath = ("campaign",)
    r.unknown_keys(table, CAMPAIGN_KEYS, path)
    name, site, objective, timezone, start, end, identity = r.fields(
        table, F.CAMPAIGN, path, ("name", "site", "objective", "timezone", "start", "end", "id")
    ).values()
    if timezone is not None and not valid_timezone(timezone):
        hint = suggest(timezone, timezone_names()) or "use an IANA name such as Europe/Berlin or America/New_York"
        r.error((*path, "timezone"), f"unknown time zone {timezone!r}", hint=hint)
        timezone = None
    if start and end and end < start:
        r.error((*path, "end"), f"end ({end}) is before start ({start})")
        return None
    if None in (name, site, objective, timezone, start, end, identity):
        return None
    return Campaign(name=name, timezone=timezone, start=start, end=end, site=site, objective=objective, id=identity)


def _smo(r: _Reader, data: dict, campaign: Campaign | None) -> tuple[dt.date | None, list[SmoItem]]:
    table = r.table(data, "smo", ())
    if table is None:
        return None, []
    path: KeyPath = ("smo",)
    r.unknown_keys(table, SMO_KEYS, path)
    due = r.field(table, F.SMO["due"], path)
    if due and campaign and not (campaign.start <= due <= campaign.end):
        r.warn((*path, "due"), f"the SMO due date {due} is outside the campaign ({campaign.start} to {campaign.end})")
    items: list[SmoItem] = []
    seen: dict[str, KeyPath] = {}
    for index, raw in r.entries(table, "items", path):
        item = _smo_item(r, raw, (*path, "items", index), seen)
        if item is not None:
            items.append(item)
    return due, items


def _smo_item(r: _Reader, raw: dict, item_path: KeyPath, seen: dict[str, KeyPath]) -> SmoItem | None:
    r.unknown_keys(raw, SMO_ITEM_KEYS, item_path)
    ident = r.ident(raw, item_path, seen)
    title = r.field(raw, F.SMO_ITEM["title"], item_path)
    fields = r.fields(raw, F.SMO_ITEM, item_path, ("category", "owner", "url", "notes", "audit"))
    done = r.field(raw, F.SMO_ITEM["done"], item_path)
    done_on = r.field(raw, F.SMO_ITEM["done_on"], item_path)
    rules = F.SMO_ITEM["audit"].values()  # type: ignore[misc]
    if fields["audit"] and fields["audit"] not in rules:
        r.error((*item_path, "audit"), f"unknown audit rule {fields['audit']!r}", hint=suggest(fields["audit"], rules))
        fields["audit"] = None
    if done_on is not None and not done:
        r.warn(
            (*item_path, "done_on"), "done_on is set but the item is not done", hint="set done = true or remove done_on"
        )
    if ident is None or title is None or None in fields.values() or ("done_on" in raw and done_on is None):
        return None
    return SmoItem(id=ident, title=title, done=done, done_on=done_on, **fields)


def _smm(
    r: _Reader, data: dict
) -> tuple[dt.date | None, list[PlatformChoice], list[Post], list[Goal], dict[str, tuple[Result, ...]]]:
    table = r.table(data, "smm", (), required=False)
    if table is None:
        return None, [], [], [], {}
    path: KeyPath = ("smm",)
    r.unknown_keys(table, SMM_KEYS, path)
    start = r.field(table, F.SMM["start"], path)
    rules = builtin_platforms()

    platforms: list[PlatformChoice] = []
    names: dict[str, KeyPath] = {}
    for index, raw in r.entries(table, "platforms", path):
        entry_path = (*path, "platforms", index)
        r.unknown_keys(raw, PLATFORM_KEYS, entry_path)
        name = r.field(raw, F.PLATFORM["name"], entry_path)
        if name is not None and name in names:
            r.duplicate(entry_path, "name", f"platform {name!r}", names[name], verb="chosen")
            name = None
        fields = r.fields(raw, F.PLATFORM, entry_path, ("handle", "why", "label"))
        limits = r.fields(raw, F.PLATFORM, entry_path, ("text_limit", "title_limit", "hashtag_limit"))
        cadence = r.field(raw, F.PLATFORM["cadence"], entry_path)
        slots = r.field(raw, F.PLATFORM["best_times"], entry_path)
        best: list[BestTime] = []
        for i, text in enumerate(slots or ()):
            slot = best_time(text)
            if slot is None:
                r.error(
                    (*entry_path, "best_times", i),
                    f"{text!r} is not a weekday and time",
                    hint='write it like "tue 09:00" or "daily 18:00"',
                )
                slots = None
            else:
                best.append(slot)
        if name is not None:
            names[name] = entry_path
            _check_handle(r, name, fields["handle"], (*entry_path, "handle"))
            if name not in rules and not limits["text_limit"] and not fields["label"]:
                hint = suggest(name, rules)
                r.warn(
                    (*entry_path, "name"),
                    f"{name!r} is not a known platform; it is treated as a custom one",
                    hint=hint or "give it a label and a text_limit",
                    code="custom-platform",
                )
        if name is None or slots is None or None in fields.values() or ("cadence" in raw and cadence is None):
            continue
        if any(raw.get(key) is not None and value is None for key, value in limits.items()):
            continue
        platforms.append(PlatformChoice(name=name, cadence=cadence or 0, best_times=tuple(best), **fields, **limits))

    posts: list[Post] = []
    results: dict[str, tuple[Result, ...]] = {}
    seen: dict[str, KeyPath] = {}
    for index, raw in r.entries(table, "posts", path):
        post = _post(r, raw, (*path, "posts", index), seen, names)
        if post is not None:
            posts.append(post)
        if "results" in raw:
            snapshots = _results(r, raw, (*path, "posts", index), post)
            if post is not None and snapshots:
                results[post.id] = snapshots
    return start, platforms, posts, _goals(r, table, names), results


def _results(r: _Reader, raw: dict, post_path: KeyPath, post: Post | None) -> tuple[Result, ...]:
    """The ``[[smm.posts.results]]`` snapshots of one post, with a warning for one before the post or on a post not published."""
    out: list[Result] = []
    for index, entry in r.entries(raw, "results", post_path):
        entry_path = (*post_path, "results", index)
        r.unknown_keys(entry, RESULT_KEYS, entry_path)
        as_of = r.field(entry, F.RESULT["as_of"], entry_path)
        numbers = r.fields(entry, F.RESULT, entry_path, RESULT_METRICS)
        if as_of is None or any(entry.get(key) is not None and value is None for key, value in numbers.items()):
            continue
        if post is not None and as_of < post.at.date():
            r.warn(
                (*entry_path, "as_of"),
                f"a result dated {as_of}, before the post goes out ({post.at:%Y-%m-%d})",
                hint="check the date",
                code="results",
            )
        elif post is not None and post.status != "published":
            r.warn(
                (*entry_path, "as_of"),
                f"a result for a post that is {post.status}, not published",
                hint='set status = "published" if it went out',
                code="results",
            )
        out.append(Result(as_of=as_of, **numbers))
    return tuple(out)


def _goals(r: _Reader, table: dict, names: Collection[str]) -> list[Goal]:
    """The ``[[smm.goals]]`` entries; ``names`` are the chosen platforms."""
    out: list[Goal] = []
    seen: dict[str, KeyPath] = {}
    for index, raw in r.entries(table, "goals", ("smm",)):
        path: KeyPath = ("smm", "goals", index)
        r.unknown_keys(raw, GOAL_KEYS, path)
        ident = r.ident(raw, path, seen)
        metric, period, platform = r.fields(raw, F.GOAL, path, ("metric", "period", "platform")).values()
        target = r.field(raw, F.GOAL["target"], path)
        if metric is not None and metric not in GOAL_METRICS:
            r.error(
                (*path, "metric"),
                f"unknown metric {metric!r}",
                hint=suggest(metric, GOAL_METRICS) or "use one of " + ", ".join(GOAL_METRICS),
            )
            metric = None
        if period is not None and period not in GOAL_PERIODS:
            r.error(
                (*path, "period"),
                f"unknown period {period!r}",
                hint=suggest(period, GOAL_PERIODS) or "use campaign, month or week",
            )
            period = None
        if platform and platform not in names:
            hint = suggest(platform, names) or "choose it in [[smm.platforms]] first"
            r.error((*path, "platform"), f"the goal's platform {platform!r} is not a chosen platform", hint=hint)
            platform = None
        if metric == "engagement_rate" and target is not None and target > 100:
            r.warn(
                (*path, "target"),
                f"an engagement rate of {target}% is more than 100%",
                hint="write the percentage, such as 4.5",
            )
        if ident is None or None in (metric, period, platform, target):
            continue
        out.append(Goal(id=ident, metric=metric, target=target, period=period, platform=platform))
    return out


def _post(r: _Reader, raw: dict, entry_path: KeyPath, seen: dict[str, KeyPath], names: Collection[str]) -> Post | None:
    """One ``[[smm.posts]]`` entry; ``names`` are the chosen platforms."""
    rules = builtin_platforms()
    r.unknown_keys(raw, POST_KEYS, entry_path)
    ident = r.ident(raw, entry_path, seen)
    platform = r.field(raw, F.POST["platform"], entry_path)
    if platform is not None and platform not in rules and platform not in names:
        hint = suggest(platform, [*rules, *names]) or "choose it in [[smm.platforms]] to use a custom platform"
        r.error((*entry_path, "platform"), f"unknown platform {platform!r}", hint=hint)
        platform = None
    at = r.field(raw, F.POST["at"], entry_path)
    status = r.field(raw, F.POST["status"], entry_path)
    statuses = F.POST["status"].values()  # type: ignore[misc]
    if status is not None and status not in statuses:
        r.error(
            (*entry_path, "status"),
            f"unknown status {status!r}",
            hint=suggest(status, statuses) or "use one of " + ", ".join(statuses),
        )
        status = None
    fmt = r.field(raw, F.POST["format"], entry_path)
    if fmt is not None and not fmt.strip():
        r.error((*entry_path, "format"), "format must not be empty", hint="for example post, story, reel, video")
        fmt = None
    fields = r.fields(
        raw, F.POST, entry_path, ("title", "text", "link", "notes", "approved_by", "approved_fingerprint")
    )
    tags = r.field(raw, F.POST["tags"], entry_path)
    if (
        ident is None
        or platform is None
        or at is None
        or status is None
        or fmt is None
        or tags is None
        or None in fields.values()
    ):
        return None
    return Post(id=ident, platform=platform, at=at, format=fmt, status=status, tags=tags, **fields)


def _check_handle(r: _Reader, platform: str, handle: str | None, path: KeyPath) -> None:
    """Warn about a handle that ``platform`` would not accept as an account name (its rules' handle_pattern)."""
    rules = builtin_platforms().get(platform)
    if not handle or not handle.strip() or rules is None or rules.accepts_handle(handle.strip()):
        return
    r.warn(
        path,
        f"{handle!r} is not an account name {rules.label} accepts",
        hint=f"use the name in the profile's address, {rules.profile_url}",
        code="handle",
    )


def _competitors(r: _Reader, data: dict) -> list[Competitor]:
    out: list[Competitor] = []
    for index, raw in r.entries(data, "competitors", ()):
        path: KeyPath = ("competitors", index)
        r.unknown_keys(raw, COMPETITOR_KEYS, path)
        name = r.field(raw, F.COMPETITOR["name"], path)
        fields = r.fields(raw, F.COMPETITOR, path, ("site", "cadence", "strengths", "weaknesses", "notes"))
        handles_raw = raw.get("handles", {})
        handles: list[tuple[str, str]] | None = []
        if not isinstance(handles_raw, dict):
            r.error(
                (*path, "handles"),
                f"expected a table of platform = handle, found {_type_name(handles_raw)}",
                hint='write handles = { x = "@globex" }',
            )
            handles = None
        else:
            for platform, handle in handles_raw.items():
                if not isinstance(handle, str):
                    r.error((*path, "handles", platform), f"expected a string, found {_type_name(handle)}")
                    handles = None
                elif handles is not None:
                    handles.append((platform, handle))
                    _check_handle(r, platform, handle, (*path, "handles", platform))
        if name is None or handles is None or None in fields.values():
            continue
        out.append(Competitor(name=name, handles=tuple(handles), **fields))
    return out
