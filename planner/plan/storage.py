"""Files on disk: reading only regular files, and writing so that nothing is ever half-written.

`atomic_write` puts the bytes in a temporary file in the same folder,
flushes and fsyncs it, gives it the old file's mode and renames it over the
target: a reader sees the old file or the new one, never a mix.

Only regular files are read or replaced. A named pipe, a device or a socket
where a file is expected would block a reader forever (a pipe nobody
writes to) or be replaced by a plain file (``-o /dev/null`` as root):
`read_regular` opens without blocking and looks at what it opened before
reading, and `atomic_write` refuses a target that is not a regular file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from planner.errors import SaveError


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class NotRegularFile(OSError):
    """What was opened, or would be replaced, is not a regular file; ``kind`` says what it is."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"it is {kind}, not a regular file")
        self.kind = kind


class FileTooLarge(OSError):
    """The file holds more bytes than the reader's limit."""


def file_kind(mode: int) -> str:
    """``"a named pipe"``, ``"a folder"``...: what a non-regular file is, for a message."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _require_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotRegularFile(file_kind(mode))


_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (links followed), at most ``limit`` of them.

    Raises `NotRegularFile` for anything else (without blocking on a pipe or
    a device), `FileTooLarge` over the limit (a large file is not read at
    all), and `OSError` when it cannot be opened or read.
    """
    _require_regular(os.stat(path).st_mode)  # say so without even opening a pipe
    fd = os.open(path, _READ_FLAGS)  # O_NONBLOCK: a pipe swapped in since the stat does not block
    try:
        found = os.fstat(fd)
        _require_regular(found.st_mode)  # what was opened, not what the name meant a moment ago
        if found.st_size > limit:
            raise FileTooLarge(f"larger than {limit} bytes")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    if left <= 0:  # it grew while being read
        raise FileTooLarge(f"larger than {limit} bytes")
    return b"".join(chunks)


def real_target(path: Path) -> Path:
    """The file to replace: a symlinked plan is written through its link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write(path: Path, data: bytes, *, default_mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` atomically, or raise `SaveError` and leave it untouched.

    A target that exists and is not a regular file (through a link too) is refused.
    """
    target = real_target(path)
    folder = target.parent
    try:
        found = target.stat()
        _require_regular(found.st_mode)
        mode = stat.S_IMODE(found.st_mode)
    except FileNotFoundError:
        mode = default_mode & ~_umask()
    except OSError as error:
        raise SaveError(f"{path}: not saved: {_reason(error)}") from None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as error:
        raise SaveError(f"{path}: not saved: {_reason(error)}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _fsync_folder(folder)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` (``os.write`` may write fewer than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _reason(error: OSError) -> str:
    """Why an OS call failed, on one line."""
    return " ".join(str(error.strerror or error).split())


def _umask() -> int:
    """The process umask, read without changing it where the system allows.

    Setting the umask to read it (the portable way) briefly changes it for
    every thread, and the app saves from a worker thread.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current
