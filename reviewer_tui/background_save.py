"""Write-through saving off the interface thread.

Every change is handed to one writer thread and committed at once (RELIABILITY.md rule 1), so a
slow disk (an fsync stall, antivirus, a network profile folder) never freezes typing. If the writer
falls behind, only the newest text is committed: it contains every earlier change. Each result
(the revision committed, or the error) goes back through `on_result`, called on the writer thread.
No textual import: the screen passes a callback that hops back to its own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BackgroundSaver(Generic[T]):
    def __init__(
        self,
        save: Callable[[T], None],
        on_result: Callable[[int, BaseException | None], None],
        name: str = "saver",
    ) -> None:
        self._save = save
        self._on_result = on_result
        self._lock = threading.Condition()
        self._pending: tuple[int, T] | None = None
        self._busy = False
        self._closed = False
        self.committed = 0  # the newest revision known to be on disk
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, revision: int, value: T) -> None:
        """Queue `value` as revision `revision`, replacing anything older still waiting."""
        with self._lock:
            if self._closed:
                raise RuntimeError("saver closed")
            self._pending = (revision, value)
            self._lock.notify_all()

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._pending is None:
                    return
                revision, value = self._pending
                self._pending = None
                self._busy = True
            error: BaseException | None = None
            try:
                self._save(value)
            except BaseException as exc:  # reported to the screen, never lost in the thread
                error = exc
            with self._lock:
                self._busy = False
                if error is None:
                    self.committed = max(self.committed, revision)
                self._lock.notify_all()
            self._on_result(revision, error)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is waiting or being written; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def close(self, timeout: float | None = 5) -> bool:
        """Write what is waiting, then stop the thread. False if it did not finish in time."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(timeout)
        return not self._thread.is_alive()
