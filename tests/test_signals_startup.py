"""A signal at any moment of start-up ends the process (issue "Trust", item 11).

The real app is started through the command line in a pty on a folder where the automatic backup
is due, so the first seconds hold the first frame, the warm-up (models loading) and the backup.
At a random moment of those first two seconds the terminal is sent SIGTERM or SIGHUP, or is closed
(the kernel then sends SIGHUP and SIGCONT, and the terminal is gone), as when a reviewer closes the
window while the app is still starting. Every process must end within a few seconds and the next
start must open the folder. The seed is fixed so that a failure names a run that reproduces.
"""

from __future__ import annotations

import os
import pty
import random
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from reviewer_tui import interviews as iv
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from tests.conftest import REPO

ENDS_WITHIN = 8.0  # seconds from the signal: the guard's grace (5 s) and a margin for a busy CI
SEED = 20261201


def make_folder(data_dir: Path) -> None:
    """A review with enough text that the automatic backup takes a moment; no backup yet, so one
    is due at start-up."""
    folder = open_folder(data_dir)
    try:
        store = Store(folder)
        rid = store.create_review("Start-up signals", "internal case review", "concern")
        person = iv.add_person(store, rid, "Ann Able")
        for n in range(20):
            iv.add_interview(store, rid, person.id, notes=f"Interview {n}. " + "words " * 400)
    finally:
        folder.close()


def test_automatic_backup_gives_up_when_the_app_stops(folder) -> None:  # noqa: ANN001
    from reviewer_tui import backups
    from reviewer_tui.storage import BACKUP_STEP_PAGES, BackupStopped

    store = Store(folder)
    rid = store.create_review("Big", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    for n in range(40):  # several backup steps' worth of pages
        iv.add_interview(store, rid, person.id, notes=f"{n} " + "words " * 20_000)
    conn = folder.connect()
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()
    assert pages > 3 * BACKUP_STEP_PAGES
    asked = []

    def stop() -> bool:  # the app is told to stop once the copy is under way
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(BackupStopped):
        backups.backup_if_due(folder, stop=stop)
    assert len(asked) == 3  # asked between steps, and the copy stopped at once
    assert list(folder.backup_dir.iterdir()) == []  # no backup, no half-made file
    assert backups.backup_if_due(folder) is not None  # the next start makes it


HOLDER_ENDING = """
import os, subprocess, sys, time
from pathlib import Path
from filelock import FileLock

folder = Path(sys.argv[1])
gone = subprocess.Popen([sys.executable, "-c", "pass"])
gone.wait()  # a process id that has ended
lock = FileLock(folder / "reviews.db.lock", timeout=0)
lock.acquire()
(folder / "reviews.db.owner").write_text(f"{gone.pid}\\n", encoding="utf-8")
print("ready", flush=True)
time.sleep(float(sys.argv[2]))  # the operating system lets go of the lock as this ends
"""


def test_lock_whose_holder_has_ended_is_taken_over(data_dir: Path) -> None:
    """The owner file names a process that has ended while the lock is still held for a moment
    (its process finishing ending): the next start waits for it rather than locking the
    reviewer out."""
    import subprocess

    open_folder(data_dir).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER_ENDING, str(data_dir), "1.0"],
                              stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        folder = open_folder(data_dir)
        try:
            owner = (data_dir / "reviews.db.owner").read_text(encoding="utf-8").strip()
            assert owner == str(os.getpid())
        finally:
            folder.close()
    finally:
        holder.wait(timeout=10)


def test_lock_file_left_by_an_ended_process_is_taken_over(data_dir: Path) -> None:
    """A lock file and owner file left by a process that was killed do not lock anyone out."""
    import subprocess

    open_folder(data_dir).close()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (data_dir / "reviews.db.lock").write_text("", encoding="utf-8")
    (data_dir / "reviews.db.owner").write_text(f"{gone.pid}\n", encoding="utf-8")
    folder = open_folder(data_dir)
    try:
        assert (data_dir / "reviews.db.owner").read_text(encoding="utf-8").strip() == str(os.getpid())
    finally:
        folder.close()


def test_sigcont_without_a_suspension_leaves_the_app_working(data_dir: Path) -> None:
    """Closing a terminal sends SIGCONT with SIGHUP; so can a shell. Textual's own handler
    restarted the terminal inside the signal handler, suspended or not (a second input and output
    thread): keys went astray and quitting could wait for ever. A SIGCONT that follows no
    suspension now changes nothing: the app still answers ctrl+q at once and ends cleanly."""
    from tests.test_signals import drain, read_until, wait_exit

    make_folder(data_dir)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        argv = [sys.executable, "-m", "reviewer_tui", "--data-dir", str(data_dir)]
        os.execvpe(argv[0], argv, {**os.environ, "TERM": "xterm-256color",
                                    "COLUMNS": "100", "LINES": "30"})
    output = bytearray()
    try:
        assert read_until(fd, b"Start-up signals", output), output.decode("utf-8", "replace")
        for _ in range(3):
            os.kill(pid, signal.SIGCONT)
            drain(fd, output, 0.3)
        shown = len(output)
        os.write(fd, b"\x11")  # ctrl+q
        drain(fd, output, 1.0)
        code = wait_exit(pid, timeout=ENDS_WITHIN)
    finally:
        os.close(fd)
    assert code == 0, output[-1500:].decode("utf-8", "replace")
    assert output.count(b"\x1b[?1049h") == 1  # the alternate screen was entered once, not again
    assert b"\x1b[?1049l" in output[shown:]  # and left on quitting: the terminal is given back
    assert not (data_dir / "reviews.db.owner").exists()
