"""Bringing the database schema up to date before the UI starts (RELIABILITY.md rules 3-4).

The common case (already current) is answered with one stdlib query, so start-up does not pay
for importing Alembic and SQLAlchemy. Otherwise: a verified backup, then every pending migration
inside one BEGIN IMMEDIATE transaction, so a failure leaves the file exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from reviewer_tui.storage import DataFolder, StorageError, backup_to

HEAD_REVISION = "0002"  # tests/test_storage.py checks this matches the migrations folder
SCRIPT_LOCATION = "reviewer_tui:migrations"


def current_revision(conn: sqlite3.Connection) -> str | None:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def has_user_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone() is not None


def upgrade(folder: DataFolder, script_location: str = SCRIPT_LOCATION,
            head: str = HEAD_REVISION) -> Path | None:
    """Migrate to `head`. Returns the backup written first, or None if nothing needed doing."""
    conn = folder.connect()
    try:
        if current_revision(conn) == head:
            return None
        if folder.read_only:
            raise StorageError(
                f"{folder.db_path} was made by another version of reviewer-tui and needs updating, "
                "but it is on read-only media. Copy the folder somewhere writable first."
            )
        backup = None
        if has_user_tables(conn):
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            backup = folder.backup_dir / f"before-migration-{stamp}.db"
            backup_to(conn, backup, open_copy=folder.open_copy)
    finally:
        conn.close()
    _run_alembic(folder, script_location, head)
    return backup


def _run_alembic(folder: DataFolder, script_location: str, head: str) -> None:
    """Foreign keys are off while migrations run: SQLite alters a table by copying it, and
    dropping the old copy with foreign keys on would cascade-delete every row that points at it.
    (The pragma cannot change inside a transaction, so it is set before BEGIN.) Before the
    commit, PRAGMA foreign_key_check must find nothing, or the whole upgrade is rolled back."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", script_location)
    try:
        with folder.engine().connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, head)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StorageError(f"{len(broken)} rows would point at rows that do not "
                                           f"exist (first: {broken[0][0]} row {broken[0][1]})")
            finally:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
    except Exception as exc:
        raise StorageError(
            f"Updating the database to this version of reviewer-tui failed ({exc}). "
            "Nothing was changed; the file is as it was before."
        ) from exc
