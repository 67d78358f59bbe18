"""An advisory lock that says a plan is open in an app, so a second one can open it read-only.

The lock is ``fcntl.flock`` on a small file in the state folder
(`planner.locations.lock_file`). The operating system releases it when the
process ends in any way, ``kill -9`` and crashes included, so a lock is
never left stuck. The file holds the owner's process id and host, to tell
the user where the plan is open. Where ``fcntl`` does not exist (Windows),
or the state folder cannot be written, locking quietly does nothing: the
app still notices changes on disk before it saves.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

from planner import locations

try:
    import fcntl
except ImportError:  # pragma: no cover - not on this platform
    fcntl = None  # type: ignore[assignment]


class PlanLock:
    """The lock on one plan: `acquire`, then `release` (or use it as a context manager)."""

    def __init__(self, plan: Path) -> None:
        self.plan = plan
        self.path = locations.lock_file(plan)
        self._fd: int | None = None
        self.supported = fcntl is not None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock; False if another process holds it. True (without a lock) where locking is not possible."""
        if self._fd is not None:
            return True
        if fcntl is None:
            return True
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
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        self._fd = fd
        return True

    def holder(self) -> str:
        """Who holds the lock, as "process 1234 on host" (or "another process" if unknown)."""
        try:
            pid, host = self.path.read_text("utf-8").split()[:2]
        except (OSError, ValueError, UnicodeDecodeError):
            return "another process"
        return f"process {pid} on {host}" if host != socket.gethostname() else f"process {pid}"

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> PlanLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
