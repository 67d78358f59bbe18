"""Reading the pages to audit: an HTML file, a folder of built pages, or a URL.

Nothing here parses HTML; it only finds the pages and turns their bytes into
text the way a browser would pick the encoding (byte order mark, the HTTP
``charset``, a ``<meta charset>`` near the top, else UTF-8). Only regular
files are read; a URL is fetched over http(s) only (a redirect elsewhere is
refused before anything connects), within one deadline for the whole fetch.
Every failure is an `AuditUnreadable` with a one-line reason.
"""

from __future__ import annotations

import codecs
import http.client
import io
import os
import re
import select
import socket
import ssl
import stat
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from planner import __version__
from planner.audit import encodings
from planner.audit.budget import Budget
from planner.errors import AuditUnreadable

MAX_PAGE_BYTES = 5 * 1024 * 1024  # a built page is rarely over 1 MB; this is a guard, not a budget
TIMEOUT = 10.0  # seconds for a whole fetch: connecting, redirects, every read
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")  # the only ones fetched, also after a redirect
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
    timeout: float = TIMEOUT  # seconds for a whole fetch
    max_redirects: int = MAX_REDIRECTS
    budget: Budget = Budget()  # the work one page may cost to parse


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
    return RawPage(ref.name, decode(read_file(ref.name, ref.path, limits.max_bytes)))


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def read_file(name: str, path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    It is opened without blocking and checked after opening (not before, so
    it cannot be swapped in between): a named pipe, a device or a socket
    lying as ``*.html`` is refused instead of waiting for a writer forever.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise AuditUnreadable(f"{name}: cannot read: {error.strerror or error}") from None
    with open(fd, "rb", closefd=True) as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((what for test, what in _KINDS if test(mode)), "something else")
            raise AuditUnreadable(f"{name}: not a regular file ({kind}); not audited")
        try:
            raw = file.read(max_bytes + 1)
        except OSError as error:
            raise AuditUnreadable(f"{name}: cannot read: {error.strerror or error}") from None
    if len(raw) > max_bytes:
        raise AuditUnreadable(f"{name}: larger than {_size(max_bytes)}; not audited")
    return raw


# -- fetching a URL: one deadline for the whole fetch, http(s) only ------------------------------


class _Deadline:
    """The moment a fetch must be done by; every wait (connect, handshake, each read) gets only what is left."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed")
        return left


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes, each read waiting no longer than the deadline allows (a server sending a byte at a time cannot stretch it)."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # keeps the socket open until the response is closed
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self._sock.settimeout(self._deadline.left())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _SocketView:
    """What `http.client.HTTPResponse` asks of a socket (``makefile``), reading under a deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str, *args, **kwargs) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


def _handshake(sock: ssl.SSLSocket, deadline: _Deadline) -> None:
    """The TLS handshake, waiting no longer than the deadline allows in all."""
    sock.setblocking(False)
    while True:
        try:
            sock.do_handshake()
            break
        except ssl.SSLWantReadError:
            ready = select.select([sock], [], [], deadline.left())[0]
        except ssl.SSLWantWriteError:
            ready = select.select([], [sock], [], deadline.left())[1]
        if not ready:
            raise TimeoutError("the deadline passed")
    sock.settimeout(deadline.left())


def _connection(base: type[http.client.HTTPConnection], deadline: _Deadline) -> type[http.client.HTTPConnection]:
    class Connection(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            self.timeout = deadline.left()
            http.client.HTTPConnection.connect(self)  # TCP, and a proxy's tunnel (read through response_class)
            if isinstance(self, http.client.HTTPSConnection):
                hostname = self._tunnel_host or self.host
                plain: socket.socket = self.sock  # type: ignore[has-type]  # set by connect() above
                secure = self._context.wrap_socket(plain, server_hostname=hostname, do_handshake_on_connect=False)
                self.sock = secure
                _handshake(secure, deadline)

        def response_class(self, sock: socket.socket, *args, **kwargs) -> http.client.HTTPResponse:
            return http.client.HTTPResponse(_SocketView(sock, deadline), *args, **kwargs)  # type: ignore[arg-type]

    return Connection


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._connection = _connection(http.client.HTTPConnection, deadline)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._connection = _connection(http.client.HTTPSConnection, deadline)

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)  # type: ignore[attr-defined]  # HTTPSHandler's own context


class _RefusedRedirect(Exception):
    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class _Redirects(urllib.request.HTTPRedirectHandler):
    """At most ``cap`` redirects, and only to http(s): another scheme is refused before anything connects."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.max_redirections = cap  # type: ignore[misc]  # the class's default, set per handler
        self.max_repeats = min(self.max_repeats, cap)  # type: ignore[misc]

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri")
        if location is not None:
            target = urljoin(req.full_url, location.strip())
            if urlsplit(target).scheme.lower() not in SCHEMES:
                fp.close()
                raise _RefusedRedirect(target)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(limits: Limits, deadline: _Deadline) -> urllib.request.OpenerDirector:
    """An opener that speaks http and https only (no ftp, file or data handler to fall back on)."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _Redirects(limits.max_redirects),
        _HTTP(deadline),
        _HTTPS(deadline),
    ):
        opener.add_handler(handler)
    return opener


def fetch(ref: PageRef, limits: Limits = Limits()) -> RawPage:
    """GET ``ref.url`` within ``limits.timeout`` seconds in all, with a size limit and a cap on redirects."""
    assert ref.url is not None
    deadline = _Deadline(limits.timeout)
    request = urllib.request.Request(
        ref.url,
        headers={"User-Agent": f"planner/{__version__} (site audit)", "Accept": "text/html,application/xhtml+xml"},
    )
    late = f"{ref.name}: no complete answer within {limits.timeout:g} seconds"
    try:
        with _opener(limits, deadline).open(request) as response:
            headers: Message = response.headers
            kind = headers.get_content_type()
            if kind not in HTML_TYPES:
                raise AuditUnreadable(f"{ref.name}: not an HTML page ({kind})")
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limits.max_bytes:
                raise AuditUnreadable(f"{ref.name}: larger than {_size(limits.max_bytes)}; not audited")
            raw = response.read(limits.max_bytes + 1)
            final = response.geturl()
    except _RefusedRedirect as refused:
        raise AuditUnreadable(
            f"{ref.name}: refused a redirect to {_one_line(refused.target)[:200]}: only http and https are fetched"
        ) from None
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400 and (error.headers.get("location") or error.headers.get("uri")):
            raise AuditUnreadable(f"{ref.name}: more than {limits.max_redirects} redirects") from None
        raise AuditUnreadable(f"{ref.name}: HTTP {error.code} {_one_line(error.reason)}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise AuditUnreadable(late) from None
        raise AuditUnreadable(f"{ref.name}: cannot fetch: {_one_line(reason)}") from None
    except TimeoutError:
        raise AuditUnreadable(late) from None
    except (OSError, ValueError, http.client.HTTPException) as error:  # a reset connection, a malformed URL or answer
        raise AuditUnreadable(f"{ref.name}: cannot fetch: {_one_line(error)}") from None
    if len(raw) > limits.max_bytes:
        raise AuditUnreadable(f"{ref.name}: larger than {_size(limits.max_bytes)}; not audited")
    return RawPage(ref.name, decode(raw, headers.get_param("charset", header="content-type")), final)  # type: ignore[arg-type]


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode(raw: bytes, declared: str | None = None) -> str:
    """Text from a page's bytes, as a browser picks the encoding: BOM, the HTTP ``charset``, ``<meta charset>``, UTF-8.

    Only labels of the WHATWG Encoding Standard count (`planner.audit.encodings`):
    an unknown or non-text label (``rot13``, ``base64``, ``zlib``) is ignored.
    A ``<meta>`` naming UTF-16 means UTF-8 (the page is ASCII-compatible if
    the ``<meta>`` could be read), and x-user-defined means windows-1252, as
    the HTML standard says. Bytes that do not fit the encoding become U+FFFD.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    codec = encodings.lookup(declared) if isinstance(declared, str) else None
    if codec is None:
        for found in _META_CHARSET.finditer(raw[:1024]):
            codec = encodings.lookup(found.group(1).decode("ascii"))
            if codec is not None:
                codec = (
                    "utf-8" if codec.startswith("utf-16") else "cp1252" if codec == encodings.X_USER_DEFINED else codec
                )
                break
    return encodings.decode_as(raw, codec or "utf-8")


def _one_line(reason: object) -> str:
    """An error's text with its line breaks (a server's answer may have some) as spaces."""
    return " ".join(str(reason).split())


def _size(count: int) -> str:
    return (
        f"{count // (1024 * 1024)} MB"
        if count >= 1024 * 1024
        else f"{count // 1024} KB"
        if count >= 1024
        else f"{count} bytes"
    )
