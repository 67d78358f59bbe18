"""CSV: the checklist or the posts, one row each, for spreadsheets; and the import of posts.

RFC 4180 (``csv`` module, CRLF line ends), UTF-8 without a byte order mark,
or with one (``--bom``) for Excel, which reads a CSV without one in the
system's character set and shows ``Café`` as ``CafÃ©``.
A cell a spreadsheet would run as a formula gets a leading apostrophe: one
whose first character is ``=``, ``+``, ``-`` or ``@``, also after any
control characters and spaces (LibreOffice skips a leading NUL and runs
``\0=HYPERLINK(...)``), and one that starts with a tab or a carriage
return. `unneutralise` removes the apostrophe again on import, so a round
trip through a spreadsheet keeps the text. A cell that already starts with
apostrophes before such a character gets one more, which keeps that round
trip exact too.
"""

from __future__ import annotations

import csv
import io
import re

from planner.export.common import posts_in_order
from planner.plan.model import Plan

SMO_COLUMNS = ("id", "category", "title", "done", "done_on", "owner", "url", "notes", "audit")
POST_COLUMNS = ("id", "date", "time", "platform", "format", "status", "title", "text", "link", "tags", "notes")
HEADERS = {"smo": SMO_COLUMNS, "smm": POST_COLUMNS}
TAG_SEPARATOR = ", "

# What may come before a formula's sign and still be skipped: C0 and C1 controls,
# DEL, every kind of space, and the invisible format characters (zero-width
# space, joiners, direction marks, soft hyphen, byte order mark).
_IGNORED = (
    "\x00-\x20\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb"
)
_FORMULA = re.compile(f"'*(?:[{_IGNORED}]*[=+\\-@]|[\t\r])")


def neutralise(cell: str) -> str:
    """``=1+1`` -> ``'=1+1``: a spreadsheet shows it as text instead of running it."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unneutralise(cell: str) -> str:
    """The inverse of `neutralise`."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell[1:]) else cell


def _write(header: tuple[str, ...], rows: list[list[str]], bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([[neutralise(cell) for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def render_csv(plan: Plan, phase: str, bom: bool = False) -> bytes:
    """The checklist (``smo``) or the posts (``smm``) as CSV bytes; with ``bom``, a UTF-8 byte order mark first."""
    if phase == "smo":
        rows = [
            [
                item.id,
                item.category,
                item.title,
                "yes" if item.done else "no",
                item.done_on.isoformat() if item.done_on else "",
                item.owner,
                item.url,
                item.notes,
                item.audit,
            ]
            for item in plan.smo_items
        ]
        return _write(SMO_COLUMNS, rows, bom)
    rows = [
        [
            post.id,
            post.at.date().isoformat(),
            f"{post.at:%H:%M}" if not post.at.second else f"{post.at:%H:%M:%S}",
            post.platform,
            post.format,
            post.status,
            post.title,
            post.text,
            post.link,
            TAG_SEPARATOR.join(post.tags),
            post.notes,
        ]
        for post in posts_in_order(plan.posts)
    ]
    return _write(POST_COLUMNS, rows, bom)
