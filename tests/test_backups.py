"""Automatic backups on a schedule, keeping the last few."""

from __future__ import annotations

import datetime as dt
import sqlite3

from reviewer_tui import backups

START = dt.datetime(2025, 9, 1, 8, 0, tzinfo=dt.UTC)


def test_backup_when_due_and_keep_the_newest(folder, store) -> None:  # noqa: ANN001
    store.create_review("Backed up", "internal case review", "concern")
    first = backups.backup_if_due(folder, START)
    assert first is not None and first.exists()
    assert backups.backup_if_due(folder, START + dt.timedelta(hours=1)) is None  # not due yet
    for day in range(1, 20):
        backups.backup_if_due(folder, START + dt.timedelta(days=day))
    kept = backups.automatic_backups(folder)
    assert len(kept) == backups.KEEP_AUTOMATIC
    assert kept[-1].name == "auto-20250920T080000Z.db"
    conn = sqlite3.connect(kept[-1])
    assert conn.execute("SELECT title FROM review").fetchall() == [("Backed up",)]
    conn.close()
