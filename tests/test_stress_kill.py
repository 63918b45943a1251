"""Kill the real app with SIGKILL at random moments while a note taker types, again and again,
and check that every character acknowledged (committed to the database file) survives.

`make test` runs a short round; `make stress` runs the full one (200 kills) and prints
kills, characters acknowledged and characters found."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from reviewer_tui.cli import open_folder
from tests.test_notes_sigkill import (
    Terminal,
    import_sample_unsigned,
    open_notes,
    stored_notes,
    wait,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

WORDS = (
    "chronology",
    "supervision",
    "she said",
    "the plan",
    "agreed",
    "Amélie",
    "😊",
    "tab\tstop",
    "visit",
    "school",
    "11:30",
    "“quoted”",
    "referral",
    "&",
    "{{ x }}",
    "ünïcödé",
)


def kill_round(data_dir: Path, home: Path, kills: int, seed: int) -> tuple[int, int, int]:
    """Returns (kills, characters acknowledged, acknowledged characters found afterwards)."""
    rng = random.Random(seed)
    db = data_dir / "reviews.db"
    acknowledged_total = found_total = 0
    for n in range(kills):
        term = Terminal(f"stress-{os.getpid()}-{n}")
        try:
            pid = term.start(data_dir, home)
            open_notes(term)
            term.keys("C-End")
            # The app takes about half a second after the notes appear before it handles keys:
            # one stored space first, so the random kill below tests saving, not starting up.
            started = stored_notes(db)
            term.type(" ")
            wait(lambda s=started: stored_notes(db) != s, "the first key to be stored", 30)
            before = stored_notes(db)
            typed = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
            term.type(typed.replace("\t", " "))
            time.sleep(rng.uniform(0.0, 0.6))  # kill at a random moment: mid-typing or after
            acknowledged = stored_notes(db)  # committed before the kill: must survive it
            os.kill(pid, signal.SIGKILL)
            wait(
                lambda pid=pid: (
                    subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0
                ),
                "the app to die",
                10,
            )
        finally:
            subprocess.run(
                ["tmux", "-L", term.socket, "kill-server"], capture_output=True, timeout=20
            )
        after = stored_notes(db)
        new_chars = len(acknowledged) - len(before)
        acknowledged_total += max(new_chars, 0)
        if after.startswith(acknowledged):
            found_total += max(new_chars, 0)
        else:  # count what survived, so the printed figures show the loss
            common = len(os.path.commonprefix([after, acknowledged]))
            found_total += max(common - len(before), 0)
    folder = open_folder(data_dir)  # whole and ours after every kill
    folder.close()
    return kills, acknowledged_total, found_total


def prepared(tmp_path: Path) -> tuple[Path, Path]:
    data_dir, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    import_sample_unsigned(data_dir)
    return data_dir, home


def report(kills: int, acknowledged: int, found: int) -> str:
    return f"kills: {kills}  characters acknowledged: {acknowledged}  characters found: {found}"


def test_short_kill_round(tmp_path: Path) -> None:
    kills, acknowledged, found = kill_round(*prepared(tmp_path), kills=2, seed=1)
    print(report(kills, acknowledged, found))
    assert acknowledged > 0
    assert found == acknowledged


@pytest.mark.slow
def test_two_hundred_kills(tmp_path: Path) -> None:
    kills, acknowledged, found = kill_round(
        *prepared(tmp_path),
        kills=int(os.environ.get("KILLS", "200")),
        seed=int(os.environ.get("SEED", "2026")),
    )
    print("\n" + report(kills, acknowledged, found))
    assert found == acknowledged
