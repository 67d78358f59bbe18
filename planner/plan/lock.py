"""An advisory lock that says a plan is open in an app, so a second one can open it read-only.

The lock is ``fcntl.flock`` on a small file in the state folder
(`planner.locations.lock_file`). The operating system releases it when the
process ends in any way, ``kill -9`` and crashes included, so a lock is
never left stuck. The file holds the owner's process id and host, to tell
the user where the plan is open, and the plan's path. Where ``fcntl`` does
not exist (Windows), or the state folder cannot be written, locking quietly
does nothing: the app still notices changes on disk before it saves.

A clean release deletes the lock file (lock files do not pile up in the
state folder); it deletes it while still holding the lock, and a process
that opened the file just before takes the lock and then finds that the name
no longer leads to the file it locked: it opens the name again. A crash
leaves the file, unlocked, and the next app takes it.

The lock is on the file, not on the name it was opened by. The lock file is
named after the resolved path (symbolic links lead to one name), and a hard
link is another name for the same file: after taking its own lock, a writer
compares the file's identity (device and inode) with the files that the
other held locks were taken for, as they are *now*, and backs off on a
match. Comparing at that moment, not when the other lock was taken, is what
keeps it right after a save: the app's save replaces the file (a new inode)
under the same path, and a hard link made to the new file still matches,
while an old hard link now names another file and no longer does. Each
writer takes its own lock before it looks, so of two starting together at
least one sees the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from pathlib import Path

from planner import locations

try:
    import fcntl
except ImportError:  # pragma: no cover - not on this platform
    fcntl = None  # type: ignore[assignment]

RETRIES = 20  # times to open the lock file again when it was deleted between the open and the lock


class PlanLock:
    """The lock on one plan: `acquire`, then `release` (or use it as a context manager)."""

    def __init__(self, plan: Path) -> None:
        self.plan = plan
        self.path = locations.lock_file(plan)
        self._fd: int | None = None
        self._holder_file: Path | None = None  # another name's lock file, when that one holds this file
        self.supported = fcntl is not None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock; False if another process holds it. True (without a lock) where locking is not possible."""
        if self._fd is not None:
            return True
        self._holder_file = None
        if fcntl is None:
            return True
        for _ in range(RETRIES):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                self.supported = False  # no state folder: work without a lock
                return True
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(fd)
                if isinstance(error, BlockingIOError) or error.errno in (11, 35):  # EAGAIN / EWOULDBLOCK
                    return False
                self.supported = False  # a file system without flock
                return True
            if _names(fd, self.path):
                break
            os.close(fd)  # the holder before us deleted the file between our open and our lock: take the one there now
        else:
            return False  # the name kept changing under us: someone else is at it
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            plan = json.dumps(os.path.realpath(self.plan))
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n{plan}\n".encode("utf-8", "surrogateescape"))
        self._fd = fd
        other = self._same_file_locked_elsewhere()
        if other is not None:
            self.release()
            self._holder_file = other
            return False
        return True

    def _same_file_locked_elsewhere(self) -> Path | None:
        """The lock file of another held lock on this same file (device and inode) under another name, if any."""
        identity = _identity(self.plan)
        if identity is None:
            return None
        for other in self.path.parent.glob("*.lock"):
            if other == self.path:
                continue
            try:
                recorded = json.loads(other.read_bytes().decode("utf-8", "surrogateescape").splitlines()[1])
            except (OSError, ValueError, IndexError):
                continue  # being written, or from an older planner: not comparable
            if isinstance(recorded, str) and _identity(Path(recorded)) == identity and _held(other):
                return other
        return None

    def holder(self) -> str:
        """Who holds the lock, as "process 1234 on host" (or "another process" if unknown)."""
        try:
            pid, host = (self._holder_file or self.path).read_text("utf-8").split()[:2]
        except (OSError, ValueError, UnicodeDecodeError):
            return "another process"
        return f"process {pid} on {host}" if host != socket.gethostname() else f"process {pid}"

    def release(self) -> None:
        """Let the lock go and delete its file (while still holding it: whoever opened it meanwhile sees it gone and opens anew)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if _names(fd, self.path):
            with contextlib.suppress(OSError):
                self.path.unlink()
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> PlanLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _names(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (not deleted or replaced since it was opened)."""
    try:
        opened, named = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's device and inode (through links), or None if it cannot be seen."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _held(lock: Path) -> bool:
    """Whether some process holds ``lock`` now (a shared probe that is let go at once)."""
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False  # a file system without flock: no lock to respect
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
