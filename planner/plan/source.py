"""Reading a plan file: bytes to text to plain data, with every failure explained.

Loading never writes. The text keeps what the app needs to write the file
back the way it was: a UTF-8 byte order mark and CRLF line endings.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from planner.errors import PlanUnreadable
from planner.plan.conflicts import PlanConflicted, find_conflicts
from planner.plan.locate import statement_start
from planner.plan.problems import Problem
from planner.plan.storage import FileTooLarge, NotRegularFile, read_regular

_toml: ModuleType
try:  # tomli 2.2 is tomllib's own parser (TOML 1.0), compiled with mypyc: about twice as fast on a large plan
    import tomli as _toml
except ImportError:  # no compiled wheel for this platform: the standard library's copy
    _toml = tomllib

MAX_BYTES = 32 * 1024 * 1024
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Source:
    """A plan file's text as read, and how to write it back the same way."""

    path: Path
    text: str  # without the byte order mark
    bom: bool = False
    crlf: bool = False
    fingerprint: str = ""  # sha256 of the bytes read, to notice changes on disk

    @classmethod
    def from_bytes(cls, path: Path, raw: bytes) -> Source:
        text = decode(path, raw)
        bom = text.startswith(BOM)
        if bom:
            text = text[1:]
        newlines = text.count("\n")
        crlf = newlines > 0 and text.count("\r\n") == newlines
        return cls(path, text, bom, crlf, fingerprint(raw))

    def encode(self, text: str) -> bytes:
        """Bytes for ``text`` in this file's style (BOM, line endings)."""
        if self.crlf:
            text = re.sub(r"(?<!\r)\n", "\r\n", text)
        return ((BOM if self.bom else "") + text).encode("utf-8")


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a one-line `PlanUnreadable` saying why not.

    Only a regular file is read: a named pipe or a device is refused without
    waiting for it (see `planner.plan.storage.read_regular`).
    """
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileTooLarge:
        raise PlanUnreadable(too_large(path)) from None
    except NotRegularFile as error:
        if error.kind == "a folder":
            raise PlanUnreadable(f"{path}: is a folder, not a plan file") from None
        raise PlanUnreadable(f"{path}: is {error.kind}, not a plan file; planner reads only regular files") from None
    except FileNotFoundError:
        raise PlanUnreadable(f"{path}: no such file") from None
    except PermissionError:
        raise PlanUnreadable(f"{path}: permission denied") from None
    except OSError as error:
        raise PlanUnreadable(f"{path}: cannot read ({error.strerror or error})") from None
    return raw


def too_large(path: Path) -> str:
    return f"{path}: is larger than {MAX_BYTES // (1024 * 1024)} MB; that is not a plan file planner can open"


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as an editor shows it) of byte ``offset``."""
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanUnreadable(f"{path}:1:1: is UTF-16 text; save the file as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(raw, nul)
        raise PlanUnreadable(f"{path}:{line}:{col}: contains a NUL byte; this is a binary file, not a TOML plan")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _line_col(raw, error.start)
        raise PlanUnreadable(
            f"{path}:{line}:{col}: is not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
        ) from None


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")
_NAMESPACE = re.compile(r"\((.*)\)")


def _keys(tuple_text: str) -> str:
    """``('a', 'b')`` as tomllib prints it -> ``a.b``."""
    inner = _NAMESPACE.search(tuple_text)
    if not inner:
        return tuple_text
    parts = [part.strip().strip("'\"") for part in inner.group(1).split(",") if part.strip()]
    return ".".join(parts)


def _friendly(message: str) -> str:
    if message.startswith("Cannot declare"):
        return f"table [{_keys(message)}] is defined twice"
    if message.startswith("Cannot overwrite a value"):
        return "this key is already set; a key may appear only once in a table"
    if message.startswith("Cannot mutate immutable namespace"):
        return f"{_keys(message)} is an inline table or array and cannot be extended here"
    if message.startswith("Cannot redefine namespace"):
        return f"{_keys(message)} is already defined and cannot be redefined here"
    return message[0].lower() + message[1:] if message else "invalid TOML"


# Errors tomllib reports after the whole key/value; the key's line is the useful one.
_AFTER_VALUE = ("Cannot overwrite a value", "Cannot mutate immutable namespace", "Cannot redefine namespace")

# Errors tomllib reports after an escape sequence; the backslash is the useful column.
_AFTER_ESCAPE = ("Unescaped '\\'", "Invalid hex value", "Escaped character")


def _offset(text: str, line: int, col: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return min(start + col - 1, len(text))


def _position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def syntax_problem(error: ValueError, text: str) -> Problem:
    """A `Problem` with line and column from a tomllib error message.

    A key set twice points at the key, not past its (maybe multi-line) value;
    an error at the end of the document (a string or array never closed)
    points at the statement that was left open.
    """
    message = str(error)
    line = col = None
    found = _AT.search(message)
    if found:
        line, col = int(found.group(1)), int(found.group(2))
        message = message[: found.start()]
        if message.startswith(_AFTER_VALUE):
            start = statement_start(text, _offset(text, line, col))
            line, col = _position(text, start)
            if message.startswith("Cannot overwrite") and text.startswith("[", start):
                message = "this table header names a key that already has a value"
        elif message.startswith(_AFTER_ESCAPE):
            offset = _offset(text, line, col)
            backslash = text.rfind("\\", text.rfind("\n", 0, offset) + 1, offset)
            if backslash >= 0:
                line, col = _position(text, backslash)
    else:
        end = _AT_END.search(message)
        if end:
            message = message[: end.start()]
            written = text.rstrip("\r\n")
            if message.startswith(_AFTER_ESCAPE) and written.endswith("\\"):  # a backslash ends the file
                line, col = _position(text, len(written) - 1)
            else:
                line, col = _position(text, statement_start(text, len(text)))
    return Problem("error", _friendly(message), line=line, col=col, code="syntax")


TOMLDecodeError = _toml.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    """Plain data from TOML text: the fast parser for plans (`TOMLDecodeError` if it is not TOML)."""
    return _toml.loads(text)


def parse(source: Source) -> dict[str, Any]:
    """Plain data from the fast parser, or `PlanUnreadable` with FILE:LINE:COL.

    A file with merge conflicts in it (``<<<<<<<``) is `PlanConflicted`,
    which names the first conflict's line (and holds them all).
    """
    try:
        return loads(source.text)
    except TOMLDecodeError as error:
        conflicts = find_conflicts(source.text) if ">>>>>>>" in source.text or "<<<<<<<" in source.text else []
        if conflicts:  # a merge left them: each is named with its line, not as a syntax error
            raise PlanConflicted(source.path, conflicts) from None
        problem = syntax_problem(error, source.text)
        raise PlanUnreadable(problem.located(str(source.path))) from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table; planner.plan.limits allows 32.
        raise PlanUnreadable(
            f"{source.path}: arrays or inline tables nested hundreds of levels deep; a plan nests at most 32"
        ) from None
