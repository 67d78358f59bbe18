"""Writing files so that nothing is ever half-written.

`atomic_write` puts the bytes in a temporary file in the same folder,
flushes and fsyncs it, gives it the old file's mode and renames it over the
target: a reader sees the old file or the new one, never a mix.
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


def real_target(path: Path) -> Path:
    """The file to replace: a symlinked plan is written through its link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write(path: Path, data: bytes, *, default_mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` atomically, or raise `SaveError` and leave it untouched."""
    target = real_target(path)
    folder = target.parent
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
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
