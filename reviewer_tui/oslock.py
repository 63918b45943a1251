"""The data folder's lock file, held through the operating system's own lock: `flock` on Linux
and macOS, a lock on the file's first byte on Windows (`msvcrt.locking`). Either is released by
the operating system when the process ends, however it ends, and both are the ones the
`filelock` library takes (so a `filelock.FileLock` on the same file, as some tests hold,
excludes this one and the other way round).

Why not `filelock` itself: importing it costs 30-60 ms (its soft locks, its registry, hashlib),
on the main thread before the first frame, for the two calls made here. It is still used where
the operating system cannot lock the file at all (a network share without `flock`): there it
falls back to its soft lock, as before.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path
from typing import Any

BUSY = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLK})
POLL = 0.05  # seconds between tries while waiting for a lock


class Busy(Exception):
    """Another process (or another open of the folder in this one) holds the lock."""


def _try_lock(fd: int) -> bool:
    """Lock `fd` without waiting: True when taken, False when held elsewhere."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in BUSY:
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class FolderLock:
    """An exclusive lock on `path` (created if missing, mode 0600 under the app's umask)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._fallback: Any = None  # a filelock.FileLock where the OS cannot lock the file

    def acquire(self, timeout: float = 0.0) -> None:
        """Take the lock, trying for `timeout` seconds. Raises Busy when it stays held elsewhere,
        OSError when the file cannot be opened or locked at all (a read-only folder)."""
        if self._fd is not None or self._fallback is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise Busy(str(self.path))
                time.sleep(POLL)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP):
                self._acquire_soft(timeout)  # a file system without OS locks
                return
            raise
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _acquire_soft(self, timeout: float) -> None:
        from filelock import FileLock, Timeout

        lock = FileLock(self.path, timeout=timeout)
        try:
            lock.acquire()
        except Timeout:
            raise Busy(str(self.path)) from None
        self._fallback = lock

    def release(self) -> None:
        if self._fallback is not None:
            self._fallback.release()
            self._fallback = None
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            finally:
                os.close(fd)
