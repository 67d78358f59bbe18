"""Reading the pages to audit: an HTML file, a folder of built pages, or a URL.

Nothing here parses HTML; it only finds the pages and turns their bytes into
text the way a browser would pick the encoding (byte order mark, the HTTP
``charset``, a ``<meta charset>`` near the top, else UTF-8). Every failure
is an `AuditUnreadable` with a one-line reason.
"""

from __future__ import annotations

import codecs
import http.client
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from planner import __version__
from planner.errors import AuditUnreadable

MAX_PAGE_BYTES = 5 * 1024 * 1024  # a built page is rarely over 1 MB; this is a guard, not a budget
TIMEOUT = 10.0  # seconds, for connecting and for each read
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class PageRef:
    """A page to read: ``name`` is how reports show it (a path or the URL)."""

    name: str
    path: Path | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page's text, and the address it was served from (for URL targets, after redirects)."""

    name: str
    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_PAGE_BYTES
    timeout: float = TIMEOUT
    max_redirects: int = MAX_REDIRECTS


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def expand(target: str, name: Callable[[Path], str] = str) -> list[PageRef]:
    """The pages ``target`` stands for: a URL, one file, or every ``*.html`` below a folder (sorted).

    ``name`` turns a path into what reports show. Symbolic links to folders
    are not followed (a link loop cannot hang the audit).
    """
    if is_url(target):
        return [PageRef(target, url=target)]
    path = Path(target).expanduser()
    if path.is_dir():
        found: list[Path] = []
        for folder, dirs, files in os.walk(path):
            dirs.sort()
            found.extend(Path(folder) / file for file in sorted(files) if file.lower().endswith(".html"))
        if not found:
            raise AuditUnreadable(f"{target}: no .html files in this folder")
        return [PageRef(name(page), path=page) for page in found]
    if path.is_file():
        return [PageRef(name(path), path=path)]
    if path.exists():
        raise AuditUnreadable(f"{target}: not a file or a folder")
    raise AuditUnreadable(f"{target}: no such file or folder")


def read(ref: PageRef, limits: Limits = Limits()) -> RawPage:
    """The page's text; `AuditUnreadable` when it cannot be had."""
    if ref.url is not None:
        return fetch(ref, limits)
    assert ref.path is not None
    try:
        with open(ref.path, "rb") as file:
            raw = file.read(limits.max_bytes + 1)
    except OSError as error:
        raise AuditUnreadable(f"{ref.name}: cannot read: {error.strerror or error}") from None
    if len(raw) > limits.max_bytes:
        raise AuditUnreadable(f"{ref.name}: larger than {_size(limits.max_bytes)}; not audited")
    return RawPage(ref.name, decode(raw))


class _CappedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, cap: int) -> None:
        super().__init__()
        self.max_redirections = cap
        self.max_repeats = min(self.max_repeats, cap)


def fetch(ref: PageRef, limits: Limits = Limits()) -> RawPage:
    """GET ``ref.url`` with a timeout, a size limit and a cap on redirects."""
    assert ref.url is not None
    opener = urllib.request.build_opener(_CappedRedirects(limits.max_redirects))
    request = urllib.request.Request(ref.url, headers={"User-Agent": f"planner/{__version__} (site audit)", "Accept": "text/html,application/xhtml+xml"})
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            headers: Message = response.headers
            kind = headers.get_content_type()
            if kind not in HTML_TYPES:
                raise AuditUnreadable(f"{ref.name}: not an HTML page ({kind})")
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limits.max_bytes:
                raise AuditUnreadable(f"{ref.name}: larger than {_size(limits.max_bytes)}; not audited")
            raw = response.read(limits.max_bytes + 1)
            final = response.geturl()
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise AuditUnreadable(f"{ref.name}: more than {limits.max_redirects} redirects") from None
        raise AuditUnreadable(f"{ref.name}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise AuditUnreadable(f"{ref.name}: no answer within {limits.timeout:g} seconds") from None
        raise AuditUnreadable(f"{ref.name}: cannot fetch: {_one_line(reason)}") from None
    except TimeoutError:
        raise AuditUnreadable(f"{ref.name}: no answer within {limits.timeout:g} seconds") from None
    except (OSError, ValueError, http.client.HTTPException) as error:  # a reset connection, a malformed URL or answer
        raise AuditUnreadable(f"{ref.name}: cannot fetch: {_one_line(error)}") from None
    if len(raw) > limits.max_bytes:
        raise AuditUnreadable(f"{ref.name}: larger than {_size(limits.max_bytes)}; not audited")
    return RawPage(ref.name, decode(raw, headers.get_content_charset()), final)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode(raw: bytes, declared: str | None = None) -> str:
    """Text from a page's bytes: BOM, then the declared charset, then ``<meta charset>``, then UTF-8.

    Bytes that do not fit the encoding become U+FFFD, as in a browser.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    candidates = [declared] if declared else []
    found = _META_CHARSET.search(raw[:1024])
    if found:
        candidates.append(found.group(1).decode("ascii"))
    for name in candidates:
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            continue
        if encoding.startswith("utf-16"):  # a page that says utf-16 without a BOM is read as UTF-8 (HTML spec)
            encoding = "utf-8"
        elif encoding in ("latin-1", "iso8859-1", "ascii"):  # browsers read these labels as windows-1252
            encoding = "cp1252"
        return raw.decode(encoding, errors="replace")
    return raw.decode("utf-8", errors="replace")


def _one_line(reason: object) -> str:
    """An error's text with its line breaks (a server's answer may have some) as spaces."""
    return " ".join(str(reason).split())


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count // 1024} KB" if count >= 1024 else f"{count} bytes"
