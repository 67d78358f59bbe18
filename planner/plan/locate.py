"""Which line of a TOML text defines a key path.

tomllib gives values without positions. When a plan has problems, this scans
the (already valid) text once and maps every table header, array-of-tables
entry, key and array element to the line where it starts, so a schema
error can say ``plan.toml:42: smm.posts[3].at: ...``.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Iterable
from typing import Any

from planner.plan.problems import KeyPath, dotted

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\\n]|\\.)*"'
_LITERAL = r"'[^'\n]*'"
_PART = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_KEY = re.compile(rf"[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)[ \t]*")
_PARTS = re.compile(rf"[ \t]*({_PART})[ \t]*\.?")
_SCALAR = re.compile(r"[^\s,\]}#]+(?: [0-9:.+\-Zz]+)?")
_BARE_KEY = re.compile(rf"{_BARE}\Z")
_BASIC_BODY = re.compile(r'(?:[^"\\]+|\\.)*', re.DOTALL)
_LITERAL_BODY = re.compile(r"[^']*")


@functools.lru_cache(maxsize=4096)  # a plan spells the same few headers thousands of times
def _split_key(key: str) -> tuple[str, ...]:
    if _BARE_KEY.match(key):  # most keys: one bare part
        return (key,)
    parts = []
    for match in _PARTS.finditer(key):
        part = match.group(1)
        if part[0] in "\"'":
            try:
                part = tomllib.loads(f"k = {part}")["k"]
            except tomllib.TOMLDecodeError:  # only in text that is not valid TOML
                part = part[1:-1]
        parts.append(part)
    return tuple(parts)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self.statement = 0  # where the last key/value or table header began
        self.headers: list[tuple[tuple[str, ...], bool, int]] = []  # each header's key parts, [[ ]] or not, offset
        self.spans: dict[KeyPath, list[int]] | None = (
            None  # with `statement_spans`: where each statement starts and ends
        )
        self._line_starts: list[int] = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)  # the line starts at or before offset

    def record(self, path: KeyPath, offset: int) -> None:
        if path not in self.lines:
            self.lines[path] = self.line_at(offset)

    # -- values -------------------------------------------------------------

    def skip_ws_comments(self, newlines: bool) -> None:
        text = self.text
        size = len(text)
        while self.pos < size:
            char = text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def skip_string(self) -> None:
        text = self.text
        for quote in ('"""', "'''"):
            if text.startswith(quote, self.pos):
                search = self.pos + 3
                while True:
                    end = text.find(quote, search)
                    if end < 0:
                        self.pos = len(text)
                        return
                    if quote == '"""':
                        backslashes = len(text[search:end]) - len(text[search:end].rstrip("\\"))
                        if backslashes % 2:
                            search = end + 1
                            continue
                    # up to two quotes of the same kind may end the content
                    # right before the closing delimiter (five quotes in a row)
                    end += 3
                    extra = 0
                    while end < len(text) and text[end] == quote[0] and extra < 2:
                        end += 1
                        extra += 1
                    self.pos = end
                    return
        # up to the closing quote; in a basic string a backslash escapes the next character
        body = _BASIC_BODY if text[self.pos] == '"' else _LITERAL_BODY
        found = body.match(text, self.pos + 1)  # both patterns match the empty string, so never None
        self.pos = (found.end() if found else len(text)) + 1

    def skip_value(self, path: KeyPath) -> None:
        text = self.text
        char = text[self.pos] if self.pos < len(text) else ""
        if char and char in "\"'":
            self.skip_string()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip_ws_comments(newlines=True)
                if self.pos >= len(text) or text[self.pos] == "]":
                    self.pos += 1
                    return
                if text[self.pos] == ",":
                    self.pos += 1
                    continue
                self.record((*path, index), self.pos)
                self.skip_value((*path, index))
                index += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip_ws_comments(newlines=False)
                if self.pos >= len(text) or text[self.pos] == "}":
                    self.pos += 1
                    return
                if text[self.pos] == ",":
                    self.pos += 1
                    continue
                self.key_value(path)
        else:
            match = _SCALAR.match(text, self.pos)
            self.pos = match.end() if match else self.pos + 1

    def key_value(self, table: KeyPath) -> None:
        match = _KEY.match(self.text, self.pos)
        if not match:  # a key left open (only in text that did not parse): the rest belongs to this statement
            self.pos = len(self.text)
            return
        start = match.start(1)
        parts = _split_key(match.group(1))
        path = (*table, *parts)
        for depth in range(len(table) + 1, len(path) + 1):
            self.record(path[:depth], start)
        self.pos = match.end()
        if self.pos < len(self.text) and self.text[self.pos] == "=":
            self.pos += 1
        self.skip_ws_comments(newlines=False)
        self.skip_value(path)
        if self.spans is not None:
            self.spans[path] = [start, self.pos]

    # -- statements ---------------------------------------------------------

    def scan(self) -> dict[KeyPath, int]:
        text = self.text
        table: KeyPath = ()
        aot_index: dict[KeyPath, int] = {}
        while True:
            self.skip_ws_comments(newlines=True)
            if self.pos >= len(text):
                return self.lines
            self.statement = self.pos
            if text[self.pos] == "[":
                start = self.pos
                is_array = text.startswith("[[", self.pos)
                self.pos += 2 if is_array else 1
                match = _KEY.match(text, self.pos)
                if not match:  # a header left open (only in text that did not parse): the rest belongs to it
                    self.pos = len(text)
                    return self.lines
                parts = _split_key(match.group(1))
                self.headers.append((parts, is_array, start))
                self.pos = match.end()
                self.pos += 2 if is_array else 1
                table = self._resolve(parts, aot_index)
                if is_array:
                    count = aot_index.get(table, -1) + 1
                    aot_index[table] = count
                    self.record(table, start)
                    table = (*table, count)
                # ``[[smo.items]]`` also creates ``smo`` when no ``[smo]`` came
                # first: a problem about ``smo`` points here (record keeps the first)
                for depth in range(1, len(table) + 1):
                    self.record(table[:depth], start)
                if self.spans is not None:
                    self.spans[table] = [start, self.pos]
            else:
                self.key_value(table)
                if self.spans is not None and table in self.spans:
                    self.spans[table][1] = self.pos  # a table (an entry) ends with its last key's value

    @staticmethod
    def _resolve(parts: tuple[str, ...], aot_index: dict[KeyPath, int]) -> KeyPath:
        """Insert the current index after each array-of-tables prefix."""
        path: KeyPath = ()
        for i, part in enumerate(parts):
            path = (*path, part)
            if i < len(parts) - 1 and path in aot_index:
                path = (*path, aot_index[path])
        return path


def index_lines(text: str) -> dict[KeyPath, int]:
    """Map each key path in a valid TOML ``text`` to the 1-based line defining it."""
    return _Scanner(text).scan()


def statement_spans(text: str) -> dict[KeyPath, tuple[int, int]]:
    """Where each key/value and each table in a valid TOML ``text`` is written: (start, end) offsets.

    A key/value runs from its key to the end of its value (a multi-line
    string or array included, an end-of-line comment not); a table or an
    entry of an array of tables from its header to the end of its last key's
    value. A key inside an inline table has its own span, inside its line.
    """
    scanner = _Scanner(text)
    scanner.spans = {}
    scanner.scan()
    return {path: (start, end) for path, (start, end) in scanner.spans.items()}


_HEADER_LINE = re.compile(
    rf"^[ \t]*(\[\[?)[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)", re.MULTILINE
)  # at a line's start: a fast scan


def _first_split(headers: list[tuple[tuple[str, ...], bool, int]]) -> tuple[KeyPath, int, bool] | None:
    """The first table or array of tables whose headers another table comes between.

    ``headers`` are (key parts, is ``[[...]]``, offset) in file order. Once a
    table (or an entry of an array of tables) has had a header, a header
    inside it must follow a header inside it: otherwise it is split, and
    its path, the offset where it goes on and whether it is an array of
    tables are returned. The next ``[[...]]`` of an array must likewise
    follow a header inside its last entry.
    """
    aot_index: dict[KeyPath, int] = {}
    seen: set[KeyPath] = set()
    previous: KeyPath = ()
    run: tuple[tuple[str, ...], KeyPath] | None = None  # the last header, if [[...]]: its parts and array path
    for parts, is_array, offset in headers:
        if is_array and run is not None and run[0] == parts:  # the next entry right after the last: most headers
            array = run[1]
            aot_index[array] += 1
            previous = (*array, aot_index[array])
            continue
        run = None
        path: KeyPath = ()
        for i, part in enumerate(parts):
            path = (*path, part)
            last = i == len(parts) - 1
            if path in aot_index:
                if previous[: len(path)] != path:
                    return path, offset, True
                entry = (*path, aot_index[path])
                if previous[: len(entry)] != entry:
                    return path, offset, True
                if not last:
                    path = entry
            elif path in seen and previous[: len(path)] != path:
                return path, offset, False
        if is_array:
            aot_index[path] = aot_index.get(path, -1) + 1
            run = (parts, path)
            path = (*path, aot_index[path])
        for depth in range(1, len(path) + 1):
            seen.add(path[:depth])
        previous = path
    return None


def header_lines(text: str) -> list[tuple[tuple[str, ...], bool, int]]:
    """Each line of ``text`` that starts with a table header: its key parts, whether ``[[...]]``, its offset.

    A quick look: a line inside a multi-line string that looks like a header
    is taken for one. Callers check what they find (`split_table` scans
    exactly; a merge proves its result by reading it back).
    """
    return [
        (_split_key(match.group(2)), match.group(1) == "[[", match.start()) for match in _HEADER_LINE.finditer(text)
    ]


@functools.lru_cache(maxsize=2)
def split_table(text: str) -> tuple[KeyPath, int, bool] | None:
    """The first table or array of tables split across ``text`` (valid TOML) by another table.

    Returns its path, the line where it goes on, and whether it is an array
    of tables. ``[[competitors]]``, then ``[notes]``, then ``[[competitors]]``
    again is one array in TOML, as ``[smm]``, ``[notes]``, ``[smm.extra]`` is
    one table; tomlkit cannot always write them back without moving a part. A
    quick look at the lines that start with ``[`` rules out almost every
    plan; only when it finds a split (maybe a line inside a multi-line
    string) does the exact scan of the whole text decide.
    """
    if _first_split(header_lines(text)) is None:
        return None
    scanner = _Scanner(text)
    try:
        scanner.scan()
    except RecursionError:  # nested past the limits, which refuse the plan anyway
        return None
    found = _first_split(scanner.headers)
    if found is None:
        return None
    path, offset, is_array = found
    return path, scanner.line_at(offset), is_array


def split_message(path: KeyPath, line: int, is_array: bool) -> str:
    """What the user is told about a table or array split across the file: which, where, and what to do."""
    name = f"[[{dotted(path)}]]" if is_array else f"[{dotted(path)}]"
    what = "entries" if is_array else "parts"
    return (
        f"{name} is split across the file (another table comes before its part at line {line}); "
        f"put all its {what} together by hand to edit this plan in planner"
    )


def statement_start(text: str, offset: int) -> int:
    """Where the key/value or table header that ``offset`` is in (or just after) starts.

    tomllib reports some errors after the value (a key set twice, whose value
    may span lines) or at the end of the document (a string never closed);
    the user needs the line of the key. The text before ``offset`` parsed, so
    it scans like valid TOML.
    """
    scanner = _Scanner(text[:offset])
    try:
        scanner.scan()
    except RecursionError:
        return offset
    return scanner.statement


def _entry_of(path: KeyPath, data: Any) -> tuple[tuple[str, ...], int] | None:
    """The array of tables and the index of its entry that ``path`` is in (its first index), if it is in one."""
    node = data
    for depth, part in enumerate(path):
        if isinstance(part, int):
            if depth and isinstance(node, list) and 0 <= part < len(node) and isinstance(node[part], dict):
                return tuple(path[:depth]), part  # type: ignore[arg-type]
            return None
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return None


def lines_for(text: str, paths: Iterable[KeyPath], data: Any = None) -> dict[KeyPath, int | None]:
    """The line of each of ``paths`` (or of its nearest ancestor that has one) in a valid TOML ``text``.

    With ``data`` (the text parsed), a path into an entry of an array of
    tables is found in that entry alone: the quick look at header lines
    (`header_lines`) finds the entry's ``[[...]]`` header, trusted when it
    finds as many as the array has entries (a line inside a multi-line
    string that looks like one would make one more; every real one starts
    a line), and the exact scanner reads from it to the next entry's. Every
    other path, and any doubt, is looked up in one scan of the whole text
    (`index_lines`): a plan with a few problems costs a few entries, not the
    file.
    """
    out: dict[KeyPath, int | None] = {}
    rest: list[KeyPath] = []
    arrays: dict[tuple[str, ...], list[int]] = {}
    counted = [(0, 0)]  # (offset, newlines before it): each count goes on from the nearest one before

    def newlines_before(offset: int) -> int:
        at, count = counted[bisect.bisect_right(counted, (offset, len(text))) - 1]
        count += text.count("\n", at, offset)
        bisect.insort(counted, (offset, count))
        return count

    if data is not None:
        for parts, is_array, offset in header_lines(text):
            if is_array:
                arrays.setdefault(parts, []).append(offset)
    for path in dict.fromkeys(paths):
        found = _entry_of(path, data) if data is not None else None
        starts = arrays.get(found[0]) if found else None
        entries = _value_at(data, found[0]) if found else None
        if found is None or starts is None or not isinstance(entries, list) or len(starts) != len(entries):
            rest.append(path)
            continue
        array, index = found
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        try:
            lines = _Scanner(text[start:end]).scan()
        except RecursionError:
            rest.append(path)
            continue
        line = line_of(lines, (*array, 0, *path[len(array) + 1 :]))
        out[path] = None if line is None else line + newlines_before(start)
    if rest:
        lines = index_lines(text)
        for path in rest:
            out[path] = line_of(lines, path)
    return out


def _value_at(data: Any, parts: tuple[str, ...]) -> Any:
    for part in parts:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def append_point(text: str, array: KeyPath) -> int | None:
    """Where a new last entry of the array of tables ``array`` goes in a valid TOML ``text``.

    That is past the line of the last key of its last entry (the header's line
    when it has no keys): the place `planner.plan.document` gives a new entry.
    Only the last entry is scanned, found from the end of the text. None when
    no ``[[...]]`` header of ``array`` is found, or a table follows the last
    entry's keys inside it (a sub-table): the caller then edits the tree.
    """
    header = _last_header(text, array)
    if header is None:
        return None
    tail = text[header:]  # the scanner indexes the lines of its text: only the last entry's
    size = len(tail)
    newline = tail.find("\n")
    end = size if newline < 0 else newline + 1
    scanner = _Scanner(tail)
    scanner.pos = end
    while True:
        scanner.skip_ws_comments(newlines=True)
        if scanner.pos >= size:
            return header + end
        if tail[scanner.pos] == "[":
            match = _KEY.match(tail, scanner.pos + (2 if tail.startswith("[[", scanner.pos) else 1))
            parts = tuple(_split_key(match.group(1))) if match else ()
            return None if parts[: len(array)] == tuple(array) else header + end
        scanner.key_value(())
        newline = tail.find("\n", scanner.pos)
        end = scanner.pos = size if newline < 0 else newline + 1


def _last_header(text: str, array: KeyPath) -> int | None:
    """The offset of the last ``[[array]]`` header line in ``text``, searching from the end."""
    limit = len(text)
    while True:
        start = text.rfind("[[", 0, limit)
        if start < 0:
            return None
        limit = start
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip(" \t"):
            continue
        match = _KEY.match(text, start + 2)
        if match and text.startswith("]]", match.end()) and tuple(_split_key(match.group(1))) == tuple(array):
            return start
