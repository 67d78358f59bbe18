"""Make text from a plan harmless before it reaches a terminal.

A plan arrives through git from other people; an escape sequence in a post
title must not be able to move the cursor, change the window title or write
to the clipboard of whoever runs ``planner status``. `for_terminal` is the one
function every string from a plan, a file name, a page or a CSV passes before
it is shown, by the command line and by the app alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# C0 controls except tab and newline, DEL, and the C1 controls (U+0080..U+009F),
# plus the Unicode bidi overrides that can reorder what a line appears to say.
# U+2028 and U+2029 (line and paragraph separators) would break a line too.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What `json.dumps(..., ensure_ascii=False)` leaves raw: DEL, C1 controls, separators, bidi.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# Combining marks kept on one character when shown. Terminals keep only a few
# in a cell (tmux 21 bytes): thousands on one letter spill into the next cells
# and push the line, and a border after it, to the right.
MAX_MARKS = 4


@functools.cache
def _too_many_marks() -> re.Pattern[str]:
    """A run of more than `MAX_MARKS` nonspacing or enclosing marks (built on first use: Unicode has no regex class for them)."""
    planes = (
        *range(0x20000),
        *range(0xE0000, 0xE1000),
    )  # the only planes with marks: 0, 1 and 14 (variation selectors)
    marks = [chr(code) for code in planes if unicodedata.category(chr(code)) in ("Mn", "Me")]
    ranges, start, end = [], marks[0], marks[0]
    for char in marks[1:]:
        if ord(char) == ord(end) + 1:
            end = char
        else:
            ranges.append((start, end))
            start = end = char
    ranges.append((start, end))
    marks_class = "[" + "".join(re.escape(a) if a == b else f"{re.escape(a)}-{re.escape(b)}" for a, b in ranges) + "]"
    return re.compile(f"({marks_class}{{{MAX_MARKS}}}){marks_class}+")


def cap_marks(text: str) -> str:
    """``text`` with at most `MAX_MARKS` combining marks on each character (the rest are not shown)."""
    if text.isascii():
        return text
    return _too_many_marks().sub(r"\1", text)


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # caret notation: ESC shows as ^[
    if code == 0x7F:
        return "^?"
    return f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """Return ``text`` as it may be shown: every control character made visible, combining marks capped.

    Only for showing: what is saved keeps the text as typed.
    """
    return cap_marks(_CONTROL.sub(_visible, text))


def one_line(text: str) -> str:
    """Like `for_terminal`, and newlines and tabs shown as spaces."""
    return for_terminal(text).replace("\r", " ").replace("\n", " ").replace("\t", " ")


def json_for_terminal(text: str) -> str:
    """JSON text with the characters `json.dumps` leaves raw written as ``\\uXXXX`` escapes.

    They can only occur inside JSON strings, where the escape means the same
    character, so the result parses to the same data.
    """
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
