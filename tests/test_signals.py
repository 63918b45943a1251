"""SIGTERM and SIGHUP (issue 7 item 1): the real app, started through the command line in a pty,
with notes typed on screen, saves and exits cleanly: exit code 0, the lock released, the file
passes integrity_check and holds every character shown on screen.

`hangup` closes the terminal itself (the kernel then sends SIGHUP and the terminal is gone, so
restoring it fails), as when an SSH session or a terminal window is closed.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from reviewer_tui import interviews as iv
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from tests.conftest import REPO

START_ON_NOTES = """
import sys
from reviewer_tui import cli
from reviewer_tui.screens.app import ReviewerApp
from reviewer_tui.screens.notes import NotesScreen

def on_ready(self):
    self.push_screen(NotesScreen(int(sys.argv[2])))

ReviewerApp.on_ready = on_ready
sys.exit(cli.main(["--data-dir", sys.argv[1]]))
"""
TYPED = "Said-at-interview-before-the-signal"


def read_until(fd: int, needle: bytes, output: bytearray, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while needle not in output:
        if time.monotonic() > deadline:
            return False
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return needle in output
            if not chunk:
                return needle in output
            output.extend(chunk)
    return True


def drain(fd: int, output: bytearray, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.extend(chunk)


def wait_exit(pid: int, timeout: float = 30) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "hangup"])
def test_signal_saves_and_exits_cleanly(data_dir: Path, tmp_path: Path, how: str) -> None:
    folder = open_folder(data_dir)
    store = Store(folder)
    rid = store.create_review("Signals", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    iid = iv.add_interview(store, rid, person.id, notes="Earlier. ").id
    folder.close()
    script = tmp_path / "start_on_notes.py"
    script.write_text(START_ON_NOTES, encoding="utf-8")

    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        argv = [sys.executable, str(script), str(data_dir), str(iid)]
        os.execvpe(
            argv[0], argv, {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        )
    output = bytearray()
    closed = False
    try:
        assert read_until(fd, b"saved as you type", output), output.decode("utf-8", "replace")
        os.write(fd, TYPED.encode())
        assert read_until(fd, TYPED.encode(), output), "typed text never appeared on screen"
        # The notes are saved off the UI thread: give the last key's commit a moment, as a
        # person would take between typing and the signal arriving.
        drain(fd, output, 0.5)
        if how == "hangup":
            os.close(fd)
            closed = True
        else:
            os.kill(pid, getattr(signal, how))
            drain(fd, output, 3)
        code = wait_exit(pid)
    finally:
        if not closed:
            os.close(fd)
    text = output.decode("utf-8", "replace")
    assert code == 0, f"exit code {code}; screen: {text[-2000:]}"
    assert "Traceback" not in text and "unexpected error" not in text
    assert not (data_dir / "reviews.db.owner").exists()  # the lock was released...
    from filelock import FileLock

    lock = FileLock(data_dir / "reviews.db.lock", timeout=0)
    lock.acquire()  # ...so another window could take it
    lock.release()
    conn = sqlite3.connect(data_dir / "reviews.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = conn.execute("SELECT notes FROM interview WHERE id = ?", (iid,)).fetchone()[0]
    finally:
        conn.close()
    assert notes == "Earlier. " + TYPED
    assert (
        not list((data_dir / "crash-logs").glob("*"))
        if (data_dir / "crash-logs").exists()
        else True
    )
