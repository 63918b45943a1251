"""Encrypting or decrypting a whole data folder: reviews.db and every backup beside it.

Above both storage (the folder, its backups and checks) and encryption (the cipher), so neither of
those imports the other in a circle. `reviewer-tui encrypt` and `decrypt` call these.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer_tui.encryption import (
    MARKER_TEXT,
    Cipher,
    connect,
    connect_plain,
    dbapi,
    errors,
    export,
    has_plain_header,
    marker_path,
    probe,
)
from reviewer_tui.errors import ReadOnlyError, StorageError
from reviewer_tui.storage import fsync_dir, row_counts, verify_copy, write_atomically


def _convert_file(open_source: Any, target: Path, raw_key: str | None, opener: Any) -> None:
    """Export `target` (opened by `open_source` as a sqlcipher3 connection) into a new file
    encrypted with `raw_key` (plain if None), verify it, and put it in place atomically. The
    source is closed before the replace (Windows cannot replace an open file)."""
    staged = target.parent / f".{target.name}.converting"
    staged.unlink(missing_ok=True)
    try:
        source = open_source()
        try:
            source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            expected = row_counts(source)
            export(source, staged, raw_key)
        finally:
            source.close()
        verify_copy(opener, staged, expected, target)
        with staged.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(staged, 0o600)
        for suffix in ("-wal", "-shm"):  # pages of the old file must never be applied to the new
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
        fsync_dir(target.parent)
    finally:
        staged.unlink(missing_ok=True)


def _write_marker(folder: Path) -> None:
    write_atomically(marker_path(folder), lambda handle: handle.write(MARKER_TEXT.encode("utf-8")))


def encrypt_folder(folder: Any, passphrase: str) -> tuple[Path, list[str]]:
    """Encrypt reviews.db and every backup beside it with `passphrase`.

    A verified backup is written first; the encrypted copy is verified (integrity_check and row
    counts) before it replaces the file. Returns that backup's path (itself encrypted by the
    end) and a note for each backup that could not be converted.
    """
    if folder.read_only:
        raise ReadOnlyError()
    if folder.encrypted:
        raise StorageError(f"{folder.db_path} is already encrypted.")
    cipher = Cipher(passphrase)
    dbapi()  # a plain message now if sqlcipher3 is missing, before anything is written
    safety = folder.backup(folder.new_backup_path("before-encrypt"))
    folder.dispose_engine()
    raw_key = cipher.new_key()
    try:
        _write_marker(folder.path)  # beside a plain file the marker is ignored (stale)
        _convert_file(
            lambda: connect_plain(folder.db_path),
            folder.db_path,
            raw_key,
            lambda p: connect(p, raw_key),
        )
    except BaseException:
        if has_plain_header(folder.db_path):
            marker_path(folder.path).unlink(missing_ok=True)
        raise
    folder.encrypted = True
    folder.cipher = cipher
    conn = folder.connect()
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    return safety, _convert_backups(folder, encrypt=True)


def decrypt_folder(folder: Any) -> tuple[Path, list[str]]:
    """Store reviews.db and its backups in plain text again (the folder must be unlocked)."""
    if folder.read_only:
        raise ReadOnlyError()
    if not folder.encrypted or folder.cipher is None:
        raise StorageError(f"{folder.db_path} is not encrypted.")
    safety = folder.backup(folder.new_backup_path("before-decrypt"))  # encrypted
    folder.dispose_engine()
    _convert_file(folder.connect, folder.db_path, None, lambda p: sqlite3.connect(p))
    folder.encrypted = False
    marker_path(folder.path).unlink(missing_ok=True)
    fsync_dir(folder.path)
    conn = folder.connect()
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    notes = _convert_backups(folder, encrypt=False)
    return safety, notes


def _convert_backups(folder: Any, encrypt: bool) -> list[str]:
    """Bring every backup in the backups folder to the folder's state (encrypted or plain)."""
    notes: list[str] = []
    if not folder.backup_dir.is_dir():
        return notes
    cipher: Cipher = folder.cipher
    refused: tuple[type[BaseException], ...] = (StorageError, OSError, *errors())
    opener: Callable[..., Any]
    for backup in sorted(folder.backup_dir.glob("*.db")):
        try:
            plain = has_plain_header(backup)
            if plain == (not encrypt):
                continue
            if encrypt:
                key: str | None = cipher.key_for(folder.db_path)
                open_source = lambda b=backup: connect_plain(b)  # noqa: E731
                opener = lambda p, k=key: connect(p, k)  # noqa: E731
            else:
                key, opener = None, (lambda p: sqlite3.connect(p))
                open_source = lambda b=backup: _open_checked(b, cipher)  # noqa: E731
            _convert_file(open_source, backup, key, opener)
        except refused as exc:
            notes.append(f"{backup.name} was left as it was ({exc})")
    return notes


def _open_checked(path: Path, cipher: Cipher) -> Any:
    conn = connect(path, cipher.key_for(path))
    try:
        probe(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn
