"""Bringing the database schema up to date before the UI starts (RELIABILITY.md rules 3-4).

The common case (already current) is answered with one stdlib query, so start-up does not pay
for importing Alembic and SQLAlchemy. Otherwise: a verified backup, then every pending migration
inside one BEGIN IMMEDIATE transaction, so a failure leaves the file exactly as it was.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer_tui.errors import StorageError
from reviewer_tui.storage import LEFT_UNTOUCHED, DataFolder, backup_to

HEAD_REVISION = "0015"  # tests/test_storage.py checks this matches the migrations folder
SCRIPT_LOCATION = "reviewer_tui:migrations"


def current_revision(conn: sqlite3.Connection) -> str | None:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def known_revisions(script_location: str = SCRIPT_LOCATION) -> set[str]:
    """Every schema revision this version of reviewer-tui has a migration for."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", script_location)
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def revision_problem(
    conn: Any, script_location: str = SCRIPT_LOCATION, head: str = HEAD_REVISION
) -> str | None:
    """Why this app cannot use the open database's schema (made by a newer version), or None.

    The current revision is answered without importing Alembic; anything else is looked up in
    the migrations shipped with the app. Worded to follow the file's name."""
    revision = current_revision(conn)
    if revision is None or revision == head or revision in known_revisions(script_location):
        return None
    return (
        f"was made by a newer version of reviewer-tui (its database version is {revision!r}; "
        f"this version knows up to {head!r}). Install the newer version of reviewer-tui to "
        "open it"
    )


def has_user_tables(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()
        is not None
    )


def say_on_stderr(note: str) -> None:
    print(f"reviewer-tui: {note}", file=sys.stderr)


def upgrade(
    folder: DataFolder,
    script_location: str = SCRIPT_LOCATION,
    head: str = HEAD_REVISION,
    report: Callable[[str], None] = say_on_stderr,
) -> Path | None:
    """Migrate to `head`. Returns the backup written first, or None if nothing needed doing.
    What a migration changed beyond the schema (rows it had to remove or repair) is passed to
    `report`, one note each, once the update is committed (it runs before the UI starts).

    A file made by a newer version is refused before anything is written. If the migration
    fails it rolls back whole, so the backup made for it is removed: it would be a second
    copy of an unchanged file, one more on every failed start."""
    conn = folder.connect()
    try:
        before = current_revision(conn)
        if before == head:
            return None
        newer = revision_problem(conn, script_location, head)
        if newer:
            raise StorageError(f"{folder.db_path} {newer}. {LEFT_UNTOUCHED}")
        if folder.read_only:
            raise StorageError(
                f"{folder.db_path} was made by another version of reviewer-tui and needs updating, "
                "but it is on read-only media. Copy the folder somewhere writable first."
            )
        backup = None
        if has_user_tables(conn):
            backup = folder.new_backup_path("before-migration")
            backup_to(conn, backup, open_copy=folder.open_copy)
    finally:
        conn.close()
    try:
        notes = _run_alembic(folder, script_location, head)
    except StorageError:
        if backup is not None and _revision(folder) == before:
            backup.unlink(missing_ok=True)
        raise
    for note in notes:
        report(note)
    if notes and backup is not None:
        report(f"The copy made before the update is {backup}")
    return backup


def _revision(folder: DataFolder) -> str | None:
    conn = folder.connect()
    try:
        return current_revision(conn)
    finally:
        conn.close()


def _run_alembic(folder: DataFolder, script_location: str, head: str) -> list[str]:
    """Foreign keys are off while migrations run: SQLite alters a table by copying it, and
    dropping the old copy with foreign keys on would cascade-delete every row that points at it.
    (The pragma cannot change inside a transaction, so it is set before BEGIN.) Before the
    commit, PRAGMA foreign_key_check must find nothing, or the whole upgrade is rolled back.
    Returns the notes the migrations left for the person updating (config.attributes["notes"])."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", script_location)
    notes: list[str] = config.attributes.setdefault("notes", [])
    try:
        with folder.engine().connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None  # an open connection has its driver's connection
            driver.execute("PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, head)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StorageError(
                            f"{len(broken)} rows would point at rows that do not "
                            f"exist (first: {broken[0][0]} row {broken[0][1]})"
                        )
            finally:
                driver.execute("PRAGMA foreign_keys = ON")
    except Exception as exc:
        raise StorageError(
            f"Updating the database to this version of reviewer-tui failed ({exc}). "
            "Nothing was changed; the file is as it was before."
        ) from exc
    return notes
