"""Ending the process when it is told to stop (SIGTERM, SIGHUP: a closed terminal), whatever it is
doing at that moment (issue "Trust", item 11).

The orderly way stays in the app: on a stop signal it saves whatever a widget still holds, leaves
the terminal and returns, and the command line closes the folder (releasing its lock). This guard
makes sure that way cannot hang: it is woken by the signal itself, not by the main thread (which may
be the thing that is stuck), asks the app to stop, and if the process is still alive `grace` seconds
after the signal it removes the lock's owner file and ends the process with os._exit. The lock
itself is an OS lock (reviewer_tui.oslock: flock, or msvcrt on Windows), released by the operating system
when the process ends, so the next start opens the folder.

No textual import: the app hands over a thread-safe way to ask it to stop (`ask_to_stop`).
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from reviewer_tui.storage import DataFolder

GRACE = 5.0  # seconds from the signal to the end of the process, saved or not
# SIGBREAK: Windows sends it when the console window is closed (there is no SIGHUP there).
STOP_SIGNALS = ("SIGTERM", "SIGHUP", "SIGBREAK")


def stop_signals() -> dict[int, str]:
    """The stop signals this platform has, by number."""
    found = {}
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            found[int(number)] = name
    return found


class StopGuard:
    """Install in the main thread before the app runs; `finish()` once the folder is closed."""

    def __init__(self, folder: DataFolder, grace: float = GRACE) -> None:
        self.folder = folder
        self.grace = grace
        self.stopped_by: str | None = None
        # Called on the guard's thread with the signal's name; returns True if the app will stop
        # (saving what is pending), False if there is no running app to ask.
        self.ask_to_stop: Callable[[str], bool] | None = None
        self.closing = False  # the app has returned: the command line is closing the folder
        self._finished = threading.Event()
        self._signals = stop_signals()
        self._receive, self._send = (
            socket.socketpair()
        )  # a socket: set_wakeup_fd needs one on Windows
        self._send.setblocking(False)
        self._thread: threading.Thread | None = None

    def install(self) -> None:
        """Catch the stop signals. The C-level handler writes the signal's number to the wakeup
        socket at once, even while the main thread is blocked; the Python-level handler (run later,
        between two bytecodes of the main thread, perhaps inside a lock it holds) therefore does
        nothing at all."""
        signal.set_wakeup_fd(self._send.fileno(), warn_on_full_buffer=False)
        for number in self._signals:
            signal.signal(number, _ignore)
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="stop-guard", daemon=True)
            self._thread.start()

    def finish(self) -> None:
        """The folder is closed (lock released): nothing is left for the guard to release."""
        self._finished.set()

    def _watch(self) -> None:
        while True:
            try:
                received = self._receive.recv(64)
            except OSError:
                return
            if not received:
                return
            for number in received:  # every caught signal's number arrives here; act on stops
                if number in self._signals and self.stopped_by is None:
                    self._stop(self._signals[number])

    def _stop(self, name: str) -> None:
        self.stopped_by = name
        deadline = time.monotonic() + self.grace
        ask = self.ask_to_stop
        asked = False
        if ask is not None:
            try:
                asked = ask(name)
            except Exception:  # noqa: BLE001 - a failed request must not stop the guard
                asked = False
        if not asked and not self.closing:
            # No app is running yet (or any more) and the command line is not closing: nothing
            # on screen can hold unsaved text, so end now.
            self._end(name)
        self._finished.wait(max(0.0, deadline - time.monotonic()))
        # The orderly way normally ends the process long before this; if it is still alive, it is
        # stuck (a lock, a join, a slow disk): end it now.
        remaining = deadline - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        self._end(name)

    def _end(self, name: str) -> None:
        if not self._finished.is_set():
            # Only the owner file: the OS lock goes with the process, and touching the folder's
            # objects could wait on a lock the stuck thread holds.
            with suppress(OSError):
                self.folder.owner_path.unlink(missing_ok=True)
        os._exit(128 + getattr(signal, name))


def _ignore(number: int, frame: Any) -> None:
    """The Python-level handler: the guard thread has already been woken (see install)."""
