"""Make text from a plan harmless before it reaches a terminal.

A plan arrives through git from other people; an escape sequence in a post
title must not be able to move the cursor, change the window title or write
to the clipboard of whoever runs ``planner status``.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 controls (U+0080..U+009F),
# plus the Unicode bidi overrides that can reorder what a line appears to say.
# U+2028 and U+2029 (line and paragraph separators) would break a line too.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What `json.dumps(..., ensure_ascii=False)` leaves raw: DEL, C1 controls, separators, bidi.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # caret notation: ESC shows as ^[
    if code == 0x7F:
        return "^?"
    return f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """Return ``text`` with every control character made visible."""
    return _CONTROL.sub(_visible, text)


def one_line(text: str) -> str:
    """Like `for_terminal`, and newlines and tabs shown as spaces."""
    return for_terminal(text).replace("\r", " ").replace("\n", " ").replace("\t", " ")


def json_for_terminal(text: str) -> str:
    """JSON text with the characters `json.dumps` leaves raw written as ``\\uXXXX`` escapes.

    They can only occur inside JSON strings, where the escape means the same
    character, so the result parses to the same data.
    """
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
