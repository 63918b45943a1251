"""Optional encryption at rest with SQLCipher (RELIABILITY.md rule 11).

`sqlcipher3` (the `encryption` extra) bundles SQLCipher and OpenSSL. The passphrase lives in
memory only: it is never written to the data folder, a URL, a log or an SQL string. Every
connection gets a *raw* key (`x'<key><salt>'`) derived here once per file salt with SQLCipher 4's
own key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations, 32-byte key, the 16-byte salt that
starts the file), so opening a connection costs nothing extra while the file stays readable with
the passphrase by any SQLCipher 4 tool.

How the app recognises an encrypted file: an encrypted file has no plaintext header at all, so
`reviews.db.encrypted` beside it says so. The marker holds no secret. A marker beside a file that
does start with the plaintext SQLite header is stale (an interrupted `encrypt`) and is ignored.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from reviewer_tui.storage import (
    DB_NAME,
    SQLITE_MAGIC,
    StorageError,
)

ENV_PASSPHRASE = "REVIEWER_TUI_PASSPHRASE"
MARKER_NAME = f"{DB_NAME}.encrypted"
MARKER_TEXT = (
    "reviews.db in this folder is encrypted with SQLCipher 4 by reviewer-tui.\n"
    "This file holds no secret: the passphrase is never stored anywhere.\n"
    "Without the passphrase the reviews cannot be read; it cannot be recovered.\n"
)
SALT_BYTES = 16
KDF_ITERATIONS = 256_000  # SQLCipher 4 defaults: PBKDF2-HMAC-SHA512, 32-byte key
KEY_BYTES = 32
INSTALL_HINT = ("Encryption needs the optional sqlcipher3 package: "
                "pip install 'reviewer-tui[encryption]' (or pip install sqlcipher3).")


class EncryptionUnavailable(StorageError):
    pass


class PassphraseNeeded(StorageError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphrase(StorageError):
    """The passphrase does not open the file."""


class BadPassphrase(StorageError):
    """A passphrase that cannot be used at all (empty, or a character that cannot be encoded)."""


def available() -> bool:
    try:
        dbapi()
    except EncryptionUnavailable:
        return False
    return True


def dbapi() -> Any:
    """The sqlcipher3 DB-API module, or a plain message saying how to install it."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise EncryptionUnavailable(INSTALL_HINT) from None
    return dbapi2


def check_passphrase(passphrase: str) -> bytes:
    if not passphrase:
        raise BadPassphrase("The passphrase cannot be empty.")
    if "\x00" in passphrase:
        raise BadPassphrase("The passphrase cannot contain a NUL character.")
    try:
        return passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise BadPassphrase("The passphrase contains a broken character; type it again.") from None


class Cipher:
    """A passphrase held in memory, and the raw keys derived from it (one per file salt)."""

    def __init__(self, passphrase: str) -> None:
        self._secret = check_passphrase(passphrase)
        self._keys: dict[bytes, str] = {}

    def __repr__(self) -> str:
        return "Cipher(<passphrase hidden>)"

    def raw_key(self, salt: bytes) -> str:
        if len(salt) != SALT_BYTES:
            raise ValueError("a SQLCipher salt is 16 bytes")
        if salt not in self._keys:
            key = hashlib.pbkdf2_hmac("sha512", self._secret, salt, KDF_ITERATIONS, KEY_BYTES)
            self._keys[salt] = f"x'{key.hex()}{salt.hex()}'"
        return self._keys[salt]

    def key_for(self, path: Path) -> str:
        """The raw key for an existing encrypted file (its salt is its first 16 bytes)."""
        with Path(path).open("rb") as handle:
            salt = handle.read(SALT_BYTES)
        if len(salt) != SALT_BYTES:
            raise StorageError(f"{path} is too short to be an encrypted database.")
        return self.raw_key(salt)

    def new_key(self) -> str:
        return self.raw_key(os.urandom(SALT_BYTES))


def marker_path(folder: Path) -> Path:
    return Path(folder) / MARKER_NAME


def has_plain_header(path: Path) -> bool:
    with Path(path).open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def is_encrypted(db_path: Path) -> bool:
    """True when the marker says so and the file does not start with the plaintext header."""
    db_path = Path(db_path)
    marker = marker_path(db_path.parent)
    if not marker.exists() or not db_path.exists():
        return False
    return db_path.stat().st_size > 0 and not has_plain_header(db_path)


def connect(target: str | Path, raw_key: str, uri: bool = False) -> Any:
    """A sqlcipher3 connection keyed before anything is read. cipher_log_level first: a wrong key
    otherwise prints to stderr, over the UI."""
    module = dbapi()
    conn = module.connect(str(target), isolation_level=None, check_same_thread=False, uri=uri)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{raw_key}"')  # hex digits only: derived above, never typed
    except BaseException:
        conn.close()
        raise
    return conn


def connect_plain(target: str | Path) -> Any:
    """A sqlcipher3 connection to an unencrypted file (needed to ATTACH an encrypted one)."""
    module = dbapi()
    conn = module.connect(str(target), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def probe(conn: Any, path: Path) -> None:
    """Read the schema: raises WrongPassphrase if the key does not open the file."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi().DatabaseError:
        raise WrongPassphrase(
            f"That passphrase does not open {path}. Nothing has been changed. "
            "(Passphrases are case-sensitive; a lost passphrase cannot be recovered.)"
        ) from None


def export(source: Any, target: Path, raw_key: str | None) -> None:
    """Copy every table, index and row of `source` (a sqlcipher3 connection) into a new file
    `target`, encrypted with `raw_key` or in plain text if None, keeping application_id and
    user_version (sqlcipher_export does not copy them)."""
    app_id = source.execute("PRAGMA main.application_id").fetchone()[0]
    user_version = source.execute("PRAGMA main.user_version").fetchone()[0]
    source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), raw_key or ""))
    try:
        source.execute("SELECT sqlcipher_export('converted')")
        source.execute(f"PRAGMA converted.application_id = {int(app_id)}")
        source.execute(f"PRAGMA converted.user_version = {int(user_version)}")
    finally:
        source.execute("DETACH DATABASE converted")


def errors(*also: type[BaseException]) -> tuple[type[BaseException], ...]:
    """Database errors from either driver, and `also`: one tuple an except clause can name."""
    found: list[type[BaseException]] = [*also, sqlite3.Error]
    try:
        found.append(dbapi().Error)
    except EncryptionUnavailable:
        pass
    return tuple(found)


# --- converting a data folder ------------------------------------------------------------------
def _convert_file(open_source: Any, target: Path, raw_key: str | None, opener: Any) -> None:
    """Export `target` (opened by `open_source` as a sqlcipher3 connection) into a new file
    encrypted with `raw_key` (plain if None), verify it, and put it in place atomically. The
    source is closed before the replace (Windows cannot replace an open file)."""
    from reviewer_tui.storage import fsync_dir, row_counts, verify_copy

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
    from reviewer_tui.storage import write_atomically

    write_atomically(marker_path(folder), lambda handle: handle.write(MARKER_TEXT.encode("utf-8")))


def encrypt_folder(folder: Any, passphrase: str) -> tuple[Path, list[str]]:
    """Encrypt reviews.db and every backup beside it with `passphrase`.

    A verified backup is written first; the encrypted copy is verified (integrity_check and row
    counts) before it replaces the file. Returns that backup's path (itself encrypted by the
    end) and a note for each backup that could not be converted.
    """
    from reviewer_tui.storage import READ_ONLY_MESSAGE, ReadOnlyError

    if folder.read_only:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
    if folder.encrypted:
        raise StorageError(f"{folder.db_path} is already encrypted.")
    cipher = Cipher(passphrase)
    dbapi()  # a plain message now if sqlcipher3 is missing, before anything is written
    safety = folder.backup(folder.new_backup_path("before-encrypt"))
    folder.dispose_engine()
    raw_key = cipher.new_key()
    try:
        _write_marker(folder.path)  # beside a plain file the marker is ignored (stale)
        _convert_file(lambda: connect_plain(folder.db_path), folder.db_path, raw_key,
                      lambda p: connect(p, raw_key))
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
    from reviewer_tui.storage import READ_ONLY_MESSAGE, ReadOnlyError, fsync_dir

    if folder.read_only:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
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
                key, opener = None, (lambda p, k=None: sqlite3.connect(p))
                open_source = lambda b=backup: _open_checked(b, cipher)  # noqa: E731
            _convert_file(open_source, backup, key, opener)
        except errors(StorageError, OSError) as exc:
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
