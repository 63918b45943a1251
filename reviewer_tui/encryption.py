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

This module sits below storage and imports nothing of it; encrypting or decrypting a whole data
folder is in folder_encryption, above both.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from reviewer_tui.dbfile import DB_NAME, SQLITE_MAGIC
from reviewer_tui.errors import BadPassphrase, EncryptionUnavailable, StorageError, WrongPassphrase

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
INSTALL_HINT = (
    "Encryption needs the optional sqlcipher3 package: "
    "pip install 'reviewer-tui[encryption]' (or pip install sqlcipher3)."
)


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
