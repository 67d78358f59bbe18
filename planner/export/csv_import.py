"""``planner import``: posts from a CSV file (the columns the CSV export writes) into a plan.

Every row is checked before anything changes; all bad rows are reported
together, ``FILE:LINE: message``, with the line where the row starts in the
file. A row with the id of an existing post updates that post, field by
field (only what changed); a row without an id gets one from its title.
The result is a list of edits for `planner.plan.plan_file.PlanFile`, which
applies them as one step and saves them keeping the file's comments.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import ImportInvalid, ImportUnreadable
from planner.export.csv_export import POST_COLUMNS, unneutralise
from planner.plan.edits import AddEntry, Batch, Edit, SetField
from planner.plan.ids import Ids
from planner.plan.limits import MAX_TEXT, first_place
from planner.plan.model import POSTS, STATUSES, Plan, Post
from planner.plan.schema import ID_PATTERN, suggest
from planner.plan.source import MAX_BYTES
from planner.plan.storage import FileTooLarge, NotRegularFile, read_regular
from planner.rules.platforms import builtin_platforms

REQUIRED = ("date", "time", "platform", "title", "text")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\Z")
# The fields a row can set, in the order a new entry is written.
_FIELDS = ("platform", "at", "format", "status", "title", "text", "link", "tags", "notes")
_DEFAULTS: dict[str, Any] = {"format": "post", "status": "idea", "title": "", "text": "", "link": "", "tags": (), "notes": ""}


@dataclass
class Changes:
    """What an import would do: the edits, and the ids added and updated (in file order)."""

    edits: list[Edit] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def batch(self, file: str) -> Batch:
        return Batch(tuple(self.edits), label=f"import {len(self.added)} added, {len(self.updated)} updated from {file}")


@dataclass
class _Row:
    line: int
    id: str
    values: dict[str, Any]  # only the columns the file has


def read_file(path: Path, file: str) -> bytes:
    """The CSV file's bytes; `ImportUnreadable` (one line) if it cannot be read or is larger than a plan can be.

    The posts of a CSV take more room in a plan than in the CSV, so a CSV
    over the plan's size limit could never be imported: it is not read.
    """
    try:
        data = read_regular(path, MAX_BYTES)
    except FileTooLarge:
        raise ImportUnreadable(_too_large(file)) from None
    except NotRegularFile as error:
        raise ImportUnreadable(f"{file}: is {error.kind}, not a CSV file; planner reads only regular files") from None
    except OSError as error:
        raise ImportUnreadable(f"{file}: cannot read: {error.strerror or error}") from None
    return data


def _too_large(file: str) -> str:
    return f"{file}: is larger than {MAX_BYTES // (1024 * 1024)} MB; a plan holds at most {MAX_BYTES // (1024 * 1024)} MB, so it cannot be imported"


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportUnreadable(f"{file}: not UTF-8 text (byte {error.start + 1}); save it as CSV UTF-8") from None


def _records(text: str, file: str) -> list[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out = []
    start = 1
    try:
        for record in reader:
            out.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own cap, above the plan's
            raise ImportInvalid(f"{file}:{reader.line_num}: a cell of more than {csv.field_size_limit():,} characters; planner reads at most {MAX_TEXT:,} in one text") from None
        raise ImportUnreadable(f"{file}:{reader.line_num}: not valid CSV ({error})") from None
    return out


def read_changes(plan: Plan, data: bytes, file: str) -> Changes:
    """The edits that import the CSV ``data`` into ``plan``; `ImportInvalid` listing every bad row."""
    records = _records(_decode(data, file), file)
    if not records:
        raise ImportInvalid(f"{file}: empty file; the first row must name the columns: {', '.join(POST_COLUMNS)}")
    header_line, raw_header = records[0]
    header = [name.strip().lower() for name in raw_header]
    problems: list[str] = []
    for index, name in enumerate(header):
        if name not in POST_COLUMNS:
            hint = suggest(name, POST_COLUMNS)
            problems.append(f"{file}:{header_line}: unknown column {name!r}" + (f" ({hint})" if hint else f" (the columns are {', '.join(POST_COLUMNS)})"))
        elif name in header[:index]:
            problems.append(f"{file}:{header_line}: column {name!r} appears twice")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        problems.append(f"{file}:{header_line}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if problems:
        raise ImportInvalid(problems[0], problems)

    known = set(builtin_platforms()) | {choice.name for choice in plan.platforms}
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets leave empty rows behind
        if len(record) != len(header):
            problems.append(f"{file}:{line}: the row has {len(record)} cells, the header has {len(header)}")
            continue
        cells = {name: unneutralise(cell) if cell[:1] == "'" else cell for name, cell in zip(header, record)}
        row, errors = _row(cells, line, known)
        if max(map(len, record)) > MAX_TEXT:  # over the reader's limit for one text: in the words `planner check` uses
            errors += [f"{name}: {first_place(cell)[1]}" for name, cell in cells.items() if len(cell) > MAX_TEXT]  # type: ignore[index]
        if row is not None and row.id:
            if row.id in seen:
                errors.append(f"id {row.id!r} is also on line {seen[row.id]}")
            else:
                seen[row.id] = line
        problems += [f"{file}:{line}: {message}" for message in errors]
        if row is not None and not errors:
            rows.append(row)
    if problems:
        raise ImportInvalid(problems[0], problems)
    return _changes(plan, rows)


def _row(cells: dict[str, str], line: int, known: set[str]) -> tuple[_Row | None, list[str]]:
    errors: list[str] = []
    values: dict[str, Any] = {}
    ident = cells.get("id", "").strip()
    if ident and not ID_PATTERN.match(ident):
        errors.append(f"id {ident!r} is not a slug (letters, digits, '-', '_', '.', starting with a letter or digit)")

    date_text, time_text = cells["date"].strip(), cells["time"].strip()
    day = clock = None
    try:
        day = dt.date.fromisoformat(date_text) if _DATE.match(date_text) else None
    except ValueError:
        pass
    if day is None:
        errors.append(f"date {date_text!r} is not a date like 2026-03-17 (YYYY-MM-DD)")
    match = _TIME.match(time_text)
    if match:
        clock = dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
    else:
        errors.append(f"time {time_text!r} is not a 24-hour time like 09:00 (HH:MM)")
    if day is not None and clock is not None:
        values["at"] = dt.datetime.combine(day, clock)

    platform = cells["platform"].strip()
    if platform not in known:
        hint = suggest(platform, sorted(known)) or "choose it in [[smm.platforms]] to use a custom platform"
        errors.append(f"unknown platform {platform!r} ({hint})" if platform else "platform is empty")
    values["platform"] = platform

    if "status" in cells:
        status = cells["status"].strip() or "idea"
        if status not in STATUSES:
            hint = suggest(status, STATUSES) or "use one of " + ", ".join(STATUSES)
            errors.append(f"unknown status {status!r} ({hint})")
        values["status"] = status
    if "format" in cells:
        values["format"] = cells["format"].strip() or "post"
    for key in ("title", "text", "link", "notes"):
        if key in cells:
            values[key] = cells[key]
    if "tags" in cells:
        values["tags"] = tuple(tag.strip() for tag in cells["tags"].split(",") if tag.strip())
    return (None if errors else _Row(line, ident, values)), errors


def _changes(plan: Plan, rows: list[_Row]) -> Changes:
    changes = Changes()
    index_of = {post.id: index for index, post in enumerate(plan.posts)}
    ids = Ids(set(index_of) | {row.id for row in rows if row.id})
    for row in rows:
        if row.id in index_of:
            index = index_of[row.id]
            edits = _updates(plan.posts[index], index, row.values)
            (changes.updated if edits else changes.unchanged).append(row.id)
            changes.edits += edits
            continue
        ident = row.id or ids.new(row.values.get("title") or f"{row.values['platform']} {row.values['at']:%Y-%m-%d}")
        entry: dict[str, Any] = {"id": ident}
        for key in _FIELDS:
            value = row.values.get(key, _DEFAULTS.get(key))
            if key in ("link", "tags", "notes") and not value:
                continue  # optional keys are left out rather than written empty
            entry[key] = list(value) if isinstance(value, tuple) else value
        changes.edits.append(AddEntry(POSTS, entry, label=f"import post {ident}"))
        changes.added.append(ident)
    return changes


def _updates(post: Post, index: int, values: dict[str, Any]) -> list[Edit]:
    edits: list[Edit] = []
    for key in _FIELDS:
        if key not in values or getattr(post, key) == values[key]:
            continue
        value = values[key]
        if isinstance(value, tuple):
            value = list(value)
        if key in _DEFAULTS and not value and key not in ("format", "status"):
            value = None  # back to the default: remove the key instead of writing ""
        edits.append(SetField((*POSTS, index), key, value, label=f"import post {post.id}: {key}"))
    return edits
