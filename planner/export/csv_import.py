"""``planner import``: posts from a CSV file (the columns the CSV export writes) into a plan.

Every row is checked before anything changes; all bad rows are reported
together, ``FILE:LINE: message``, with the line where the row starts in the
file. A row with the id of an existing post updates that post, field by
field (only what changed); so does a row without an id that has the
platform, date, time and title of an existing post, so importing a file
twice changes nothing the second time. Any other row without an id is a
new post and gets an id from its title.

Spreadsheets change values without a word: ``007`` becomes ``7``, and a
file opened with the wrong character set turns ``Café`` into ``CafÃ©``.
A change to an existing post that only drops leading zeros, or that is the
current text's UTF-8 read as Latin-1 or Windows-1252, makes its row a bad
row. Every field an import changes is listed (`Changes.fields`).

Values the way spreadsheets write them are read where they are
unambiguous: ``9:30``, ``7:00 PM``, ``Instagram``, ``Draft``, ``2027-3-20``;
a date such as ``3/4/2027`` (March or April?) is refused.
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
from planner.export.csv_export import POST_COLUMNS, TAG_SEPARATOR, unneutralise
from planner.plan.edits import AddEntry, Batch, Edit, SetField
from planner.plan.ids import Ids
from planner.plan.limits import MAX_TEXT, first_place
from planner.plan.model import FORMATS, POSTS, STATUSES, Plan, Post
from planner.plan.posts import DEFAULTS as _DEFAULTS
from planner.plan.posts import entry as post_entry
from planner.plan.schema import ID_PATTERN, suggest
from planner.plan.source import MAX_BYTES
from planner.plan.storage import FileTooLarge, NotRegularFile, read_regular
from planner.rules.platforms import builtin_platforms
from planner.words import quoted

REQUIRED = ("date", "time", "platform", "title", "text")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\Z")
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\Z")
_TIME = re.compile(r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?\Z")
_HOUR = re.compile(r"(\d{1,2})\s*([AaPp])\.?\s*[Mm]\.?\Z")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Digits a spreadsheet drops when it reads a cell as a number: the zeros that start a run of digits.
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
# The fields a row can set, in the order a new entry is written.
_FIELDS = ("platform", "at", "format", "status", "title", "text", "link", "tags", "notes")


@dataclass(frozen=True)
class FieldChange:
    """One field of an existing post an import changes: ``old`` and ``new`` as the CSV writes them."""

    id: str
    key: str
    old: str
    new: str


@dataclass
class Changes:
    """What an import would do: the edits, and the ids added and updated (in file order)."""

    edits: list[Edit] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    titles: dict[str, str] = field(
        default_factory=dict
    )  # each post's title by id (its id when it has none), to name it in messages

    def named(self, ident: str) -> str:
        """How a message names the post ``ident``: its title, quoted."""
        return quoted(self.titles.get(ident) or ident)

    def batch(self, file: str) -> Batch:
        return Batch(
            tuple(self.edits), label=f"import {len(self.added)} added, {len(self.updated)} updated from {file}"
        )


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
            raise ImportInvalid(
                f"{file}:{reader.line_num}: a cell of more than {csv.field_size_limit():,} characters; planner reads at most {MAX_TEXT:,} in one text"
            ) from None
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
            problems.append(
                f"{file}:{header_line}: unknown column {name!r}"
                + (f" ({hint})" if hint else f" (the columns are {', '.join(POST_COLUMNS)})")
            )
        elif name in header[:index]:
            problems.append(f"{file}:{header_line}: column {name!r} appears twice")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        problems.append(f"{file}:{header_line}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if problems:
        raise ImportInvalid(problems[0], problems)

    known = _platform_names(plan)
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
    changes, problems = _changes(plan, rows, file)
    if problems:
        raise ImportInvalid(problems[0], problems)
    return changes


def _row(cells: dict[str, str], line: int, known: dict[str, str]) -> tuple[_Row | None, list[str]]:
    errors: list[str] = []
    values: dict[str, Any] = {}
    ident = cells.get("id", "").strip()
    if ident and not ID_PATTERN.match(ident):
        errors.append(f"id {ident!r} is not a slug (letters, digits, '-', '_', '.', starting with a letter or digit)")

    date_text, time_text = cells["date"].strip(), cells["time"].strip()
    day, problem = _date(date_text)
    if problem:
        errors.append(problem)
    clock = _time(time_text)
    if clock is None:
        errors.append(f"time {time_text!r} is not a time like 09:00 (HH:MM, 24-hour; 9:30 and 7:00 PM are read too)")
    if day is not None and clock is not None:
        values["at"] = dt.datetime.combine(day, clock)

    platform = cells["platform"].strip()
    platform = known.get(platform) or known.get(platform.casefold(), platform)  # the exact name first
    if platform not in known.values():
        hint = (
            suggest(platform, sorted(set(known.values()))) or "choose it in [[smm.platforms]] to use a custom platform"
        )
        errors.append(f"unknown platform {platform!r} ({hint})" if platform else "platform is empty")
    values["platform"] = platform

    if "status" in cells:
        status = cells["status"].strip().lower() or "idea"
        if status not in STATUSES:
            hint = suggest(status, STATUSES) or "use one of " + ", ".join(STATUSES)
            errors.append(f"unknown status {cells['status'].strip()!r} ({hint})")
        values["status"] = status
    if "format" in cells:
        fmt = cells["format"].strip() or "post"
        values["format"] = fmt.lower() if fmt.lower() in FORMATS else fmt
    for key in ("title", "text", "link", "notes"):
        if key in cells:
            values[key] = cells[key]
    if "tags" in cells:
        values["tags"] = tuple(tag.strip() for tag in cells["tags"].split(",") if tag.strip())
    return (None if errors else _Row(line, ident, values)), errors


def _platform_names(plan: Plan) -> dict[str, str]:
    """Each name a spreadsheet may give a platform (any case; ``X (Twitter)`` as well as ``x``) -> the platform."""
    names: dict[str, str] = {}
    for name, rules in builtin_platforms().items():
        names[rules.label.casefold()] = name
    for name in [*builtin_platforms(), *(choice.name for choice in plan.platforms)]:
        names[name.casefold()] = name
    for name in [*builtin_platforms(), *(choice.name for choice in plan.platforms)]:
        names[name] = name  # exact names first: a custom platform may differ from another only in case
    return names


def _date(text: str) -> tuple[dt.date | None, str]:
    """The date in ``text`` (2027-03-20, 2027-3-20, 2027/03/20, 20/03/2027) or the problem with it."""
    expected = "a date like 2026-03-17 (YYYY-MM-DD)"
    match = _DATE.match(text)
    if match:
        year, month, day = map(int, match.groups())
    else:
        match = _DAY_FIRST_OR_MONTH_FIRST.match(text)
        if not match:
            return None, f"date {text!r} is not {expected}"
        first, second, year = map(int, match.groups())
        if first <= 12 and second <= 12 and first != second:
            return (
                None,
                f"date {text!r} is ambiguous ({_day(year, second, first)} or {_day(year, first, second)}?); write {expected}",
            )
        day, month = (first, second) if first > 12 or first == second else (second, first)
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        return None, f"date {text!r} is not {expected}"


def _day(year: int, month: int, day: int) -> str:
    """``3 April``: a day in words (English, whatever the locale)."""
    return f"{day} {_MONTHS[month - 1]}"


def _time(text: str) -> dt.time | None:
    """The time in ``text`` (09:30, 9:30, 09:30:15, 7:00 PM, 7 pm), or None."""
    match = _TIME.match(text)
    hour_only = None if match else _HOUR.match(text)
    if hour_only:
        hour, minute, second, half = int(hour_only[1]), 0, 0, hour_only[2]
    elif match:
        hour, minute, second, half = int(match[1]), int(match[2]), int(match[3] or 0), match[4]
    else:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in "Pp" else 0)
    return dt.time(hour, minute, second) if hour < 24 else None


def _changes(plan: Plan, rows: list[_Row], file: str) -> tuple[Changes, list[str]]:
    """What the checked ``rows`` do to ``plan``, and the rows a spreadsheet seems to have changed by mistake."""
    changes = Changes()
    problems: list[str] = []
    index_of = {post.id: index for index, post in enumerate(plan.posts)}
    ids = Ids(set(index_of) | {row.id for row in rows if row.id})
    claimed = {index_of[row.id] for row in rows if row.id in index_of}
    same: dict[tuple, list[int]] = {}  # (platform, at, title) -> the posts without a row of their id, in file order
    for index, post in enumerate(plan.posts):
        if index not in claimed:
            same.setdefault((post.platform, post.at, post.title), []).append(index)
    for row in rows:
        found = index_of.get(row.id) if row.id else None
        if not row.id:
            matches = same.get((row.values["platform"], row.values["at"], row.values.get("title", "")))
            found = matches.pop(0) if matches else None
        if found is not None:
            post = plan.posts[found]
            edits, fields, mistakes = _updates(post, found, row.values)
            if mistakes:
                problems += [f"{file}:{row.line}: {message}" for message in mistakes]
                continue
            (changes.updated if edits else changes.unchanged).append(post.id)
            changes.titles[post.id] = row.values.get("title") or post.title
            changes.edits += edits
            changes.fields += fields
            continue
        ident = row.id or ids.new(row.values.get("title") or f"{row.values['platform']} {row.values['at']:%Y-%m-%d}")
        # As the app writes a new post: only the keys that have a value other than their default.
        value = post_entry({**{key: row.values[key] for key in _FIELDS if key in row.values}, "id": ident})
        title = row.values.get("title") or ident
        changes.edits.append(AddEntry(POSTS, value, label=f"import post {quoted(title)}"))
        changes.added.append(ident)
        changes.titles[ident] = title
    return changes, problems


def _as_cell(key: str, value: Any) -> str:
    """A field's value as the CSV writes it."""
    if key == "at":
        return f"{value:%Y-%m-%d %H:%M}" if not value.second else f"{value:%Y-%m-%d %H:%M:%S}"
    if key == "tags":
        return TAG_SEPARATOR.join(value)
    return value


def _misread(text: str) -> set[str]:
    """``text`` as it looks when its UTF-8 is read as Latin-1 or as Windows-1252 (bytes 1252 leaves undefined as Latin-1)."""
    data = text.encode("utf-8")
    cp1252 = "".join(bytes([byte]).decode("cp1252", "ignore") or chr(byte) for byte in data)
    return {data.decode("latin-1"), cp1252} - {text}


def _mistake(key: str, old: str, new: str) -> str:
    """Why changing ``old`` to ``new`` looks like a spreadsheet's doing, or ""."""
    shown_old, shown_new = excerpts(old, new)
    if _LEADING_ZEROS.sub("", old) == new:
        return (
            f"{key}: {shown_new} is {shown_old} without its leading zeros (a spreadsheet read it as a number); "
            "format the column as text in the spreadsheet, or change it in the plan"
        )
    if new in _misread(old):
        return (
            f"{key}: {shown_new} looks like {shown_old} read with the wrong character set; "
            "open the CSV as UTF-8 (or save it as CSV UTF-8), or change it in the plan"
        )
    return ""


# An old or new value in a message is cut to this many characters, around where the two first differ.
VALUE_SHOWN = 60


def excerpts(old: str, new: str, width: int = VALUE_SHOWN) -> tuple[str, str]:
    """``old`` and ``new`` quoted for a message, long ones cut to the same window around their first difference."""
    first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    start = 0 if max(len(old), len(new)) <= width else max(0, first - width // 3)

    def cut(text: str) -> str:
        part = text[start : start + width]
        part = ("…" if start else "") + part + ("…" if start + width < len(text) else "")
        return '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return cut(old), cut(new)


def _updates(post: Post, index: int, values: dict[str, Any]) -> tuple[list[Edit], list[FieldChange], list[str]]:
    edits: list[Edit] = []
    fields: list[FieldChange] = []
    mistakes: list[str] = []
    for key in _FIELDS:
        if key not in values or getattr(post, key) == values[key]:
            continue
        old, new = _as_cell(key, getattr(post, key)), _as_cell(key, values[key])
        if key not in ("at", "platform", "status", "format") and (mistake := _mistake(key, old, new)):
            mistakes.append(mistake)
            continue
        fields.append(FieldChange(post.id, key, old, new))
        value = values[key]
        if isinstance(value, tuple):
            value = list(value)
        if key in _DEFAULTS and not value and key not in ("format", "status"):
            value = None  # back to the default: remove the key instead of writing ""
        edits.append(SetField((*POSTS, index), key, value, label=f"import post {quoted(post.title or post.id)}: {key}"))
    return edits, fields, mistakes
