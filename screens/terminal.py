"""Textual's Linux/macOS terminal driver, made safe to stop at any moment.

Two faults in the stock driver (Textual 8.2.8) left the app running for ever when its terminal was
closed during start-up (issue "Trust", item 11; tests/test_signals_startup.py):

- It handles SIGTSTP and SIGCONT in Python signal handlers, which run in the main thread between
  any two bytecodes, and the SIGCONT handler restarts the whole terminal there (a second output
  thread, a second input thread, writes through the output queue) whether or not the app had been
  suspended. Closing a terminal sends SIGHUP *and* SIGCONT, so the restart could run while the main
  thread was inside the output queue's lock: every thread then waited on a lock. Here both signals
  are handed to the event loop, and a SIGCONT resumes only an app that was suspended.
- Its output thread writes to the terminal without catching errors: once the terminal has gone
  (EIO after a hang-up) the thread dies, its bounded queue fills, and the next write or the shutdown
  blocks for ever. Here output to a terminal that has gone is dropped.
"""

from __future__ import annotations

import asyncio
import signal
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver


class TerminalOutput:
    """The file the output thread writes to; once the terminal has gone, writes are dropped."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except (OSError, ValueError):  # EIO/EPIPE after a hang-up; ValueError once closed
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.gone = True

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return self._file.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class SafeLinuxDriver(LinuxDriver):
    def __init__(self, app: Any, **options: Any) -> None:
        super().__init__(app, **options)
        # A file-like wrapper where Textual declares sys.__stderr__'s type:
        self._file = TerminalOutput(self._file)  # type: ignore[assignment,arg-type]
        self._loop = None  # type: ignore[assignment]  # no loop to call until start; see _to_loop
        self._suspended = False
        # Replace the stock handlers the base class has just installed.
        signal.signal(signal.SIGTSTP, self._on_tstp)
        signal.signal(signal.SIGCONT, self._on_cont)

    def start_application_mode(self) -> None:
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()

    # The handlers run between any two bytecodes of the main thread: they only queue work for the
    # event loop (a deque append and a byte to its self-pipe, no lock), as asyncio's own signal
    # handling does.
    def _on_tstp(self, *_: Any) -> None:
        self._to_loop(self._suspend_now)

    def _on_cont(self, *_: Any) -> None:
        self._to_loop(self._resume_now)

    def _to_loop(self, callback: Any) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(callback)
        except RuntimeError:  # the loop closed meanwhile: the app is ending anyway
            pass

    def _suspend_now(self) -> None:
        """ctrl+z (or SIGTSTP from the shell): leave the terminal as it was, then stop."""
        if self._auto_restart and not self._suspended:
            self._suspended = True
            self.suspend_application_mode()
            self._must_signal_resume = True
        import os

        os.kill(os.getpid(), signal.SIGSTOP)

    def _resume_now(self) -> None:
        """SIGCONT after a suspension (`fg`): take the terminal back. A SIGCONT that did not
        follow a suspension (a closed terminal sends one with SIGHUP) changes nothing."""
        if self._suspended and self._auto_restart:
            self._suspended = False
            self.resume_application_mode()
