"""Automatic backups: one when the app starts if the newest is older than BACKUP_EVERY,
keeping the newest KEEP_AUTOMATIC. Backups before migrations and restores are never pruned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from reviewer_tui.storage import STAMP_FORMAT, DataFolder

BACKUP_EVERY = dt.timedelta(hours=12)
KEEP_AUTOMATIC = 14
PREFIX = "auto-"


def automatic_backups(folder: DataFolder) -> list[Path]:
    """Oldest first (the names sort by their UTC timestamp)."""
    return sorted(folder.backup_dir.glob(f"{PREFIX}*.db"))


def is_due(folder: DataFolder, now: dt.datetime | None = None) -> bool:
    """Whether the newest automatic backup is older than BACKUP_EVERY (or there is none)."""
    now = now or dt.datetime.now(dt.UTC)
    existing = automatic_backups(folder)
    if not existing:
        return True
    newest = max(
        dt.datetime.strptime(p.stem.removeprefix(PREFIX)[:16], STAMP_FORMAT) for p in existing
    )
    return now - newest.replace(tzinfo=dt.UTC) >= BACKUP_EVERY


def backup_if_due(
    folder: DataFolder,
    now: dt.datetime | None = None,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path | None:
    """Make an automatic backup when the newest is older than BACKUP_EVERY; prune old ones.

    Returns the new backup, or None when none was due. `stop` (the app is stopping) gives the
    copy up part way, leaving nothing behind: BackupStopped. `progress` hears how far it is.
    """
    now = now or dt.datetime.now(dt.UTC)
    if not is_due(folder, now):
        return None
    target = folder.backup(
        folder.new_backup_path(PREFIX.rstrip("-"), now=now), stop=stop, progress=progress
    )
    for old in automatic_backups(folder)[:-KEEP_AUTOMATIC]:
        old.unlink()
    return target
