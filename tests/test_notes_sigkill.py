"""The real app in a real terminal (tmux): type into the notes screen, wait until the text is in
the database file, SIGKILL the app, start it again and find every acknowledged character."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

APP = Path(sys.executable).with_name("reviewer-tui")


class Terminal:
    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.session = "notes"

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout

    def start(self, data_dir: Path, home: Path) -> int:
        command = (
            f"exec env HOME={home} REVIEWER_TUI_THEME=textual-dark {APP} --data-dir {data_dir}"
        )
        self.tmux("new-session", "-d", "-s", self.session, "-x", "100", "-y", "32", command)
        return int(self.tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def type(self, text: str) -> None:
        """Type text as a person would: Enter for each new line."""
        for n, line in enumerate(text.split("\n")):
            if n:
                self.keys("Enter")
            if line:
                self.keys(line, literal=True)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        return wait(lambda: text in self.screen(), f"'{text}' on screen", timeout, self.screen)


def wait(
    condition: Callable[[], object],
    what: str,
    timeout: float = 30,
    show: Callable[[], str] | None = None,
) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return ""
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}" + (f":\n{show()}" if show else ""))


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal(f"c4-sigkill-{os.getpid()}")
    yield term
    subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, timeout=20)


def stored_notes(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT notes FROM interview WHERE key = 'iv-1'").fetchone()[0]
    finally:
        conn.close()


def import_sample_unsigned(data_dir: Path) -> None:
    """The sample review, its interview records unsigned: notes typed live in the meeting are a
    record still being written (a signed one asks why before the first key is stored)."""
    folder = open_folder(data_dir)
    try:
        store = Store(folder)
        rid = bundle.import_file(store, SAMPLE)
        for row in store.rows(m.Interview, rid):
            store.update(
                m.Interview, row.id, signed_by_interviewee=False, signed_by_interviewer=False
            )
            store.update(m.Interview, row.id, agreed_on=None)
    finally:
        folder.close()


def open_notes(term: Terminal) -> None:
    term.wait_for("Internal Case")  # the title column wraps the rest at 100 columns
    term.keys("Enter")
    term.wait_for("1 Commissioning")
    term.keys("i")
    term.wait_for("Records not yet signed")
    term.keys("Enter")  # the first interview in time order: Amélie Durand, 5 August
    term.wait_for("Press n for the notes")
    term.keys("n")
    term.wait_for("Matters to cover")


def test_sigkill_loses_no_acknowledged_character(tmp_path: Path, terminal: Terminal) -> None:
    data_dir, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    import_sample_unsigned(data_dir)
    db = data_dir / "reviews.db"
    original = stored_notes(db)

    pid = terminal.start(data_dir, home)
    open_notes(terminal)
    acknowledged = original
    for chunk in (
        "\nKILL TEST one: typed live in the meeting room.",
        " Two: she said the plan was agreed on the 5th.",
        "\nThree: last words before the battery died",
    ):
        terminal.type(chunk)
        expected = acknowledged + chunk
        wait(
            lambda e=expected: stored_notes(db) == e, "the chunk to be stored", 30, terminal.screen
        )
        acknowledged = expected
    # More keys on their way as the process dies: whatever was stored must extend what was acknowledged.
    terminal.type(" ... and these keys may or may not arrive")
    os.kill(pid, signal.SIGKILL)
    wait(
        lambda: subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0,
        "the app to die",
        10,
    )

    after = stored_notes(db)
    assert after.startswith(acknowledged), "an acknowledged character was lost"
    assert (acknowledged + " ... and these keys may or may not arrive").startswith(after)

    # Start the real app again: it opens (the lock died with the process) and shows the words.
    subprocess.run(["tmux", "-L", terminal.socket, "kill-server"], capture_output=True, timeout=20)
    pid = terminal.start(data_dir, home)
    open_notes(terminal)
    terminal.keys("C-End")
    terminal.wait_for("Three: last words before")  # soft-wrapped on screen
    terminal.keys("C-q")
    wait(
        lambda: subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0,
        "the app to quit",
        15,
    )
    folder = open_folder(data_dir)  # the database is whole: it opens and passes its checks
    folder.close()
    assert stored_notes(db).startswith(acknowledged)
