"""Opening the one SQLite file safely (RELIABILITY.md rules 1-8).

Everything here uses only the standard library, so the review list can be painted before
SQLAlchemy is imported. `DataFolder.open()` takes the lock, refuses files that are not ours
without touching them, and runs quick_check; `engine()` then gives the SQLAlchemy engine with
the same pragmas on every connection.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui.dbfile import APPLICATION_ID, DB_NAME, SQLITE_MAGIC
from reviewer_tui.errors import (
    READ_ONLY_MESSAGE,
    AlreadyOpen,
    BackupStopped,
    PassphraseNeeded,
    ReadOnlyError,
    StorageError,
    WrongPassphrase,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

ENV_DATA_DIR = "REVIEWER_TUI_DATA_DIR"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"  # UTC, in every backup's name
STALE_LOCK_WAIT = 3.0  # seconds to wait for a lock whose recorded holder has ended
BACKUP_STEP_PAGES = 256  # pages copied between checks of `stop` (1 MB at 4 KB pages)


_PLAIN_REASONS = (
    ("database or disk is full", "the disk is full"),
    ("disk i/o error", "the disk could not be written: it may be full, removed or failing"),
    ("readonly database", "the file cannot be written (read-only)"),
    ("database is locked", "the file is busy in another program"),
    ("file too large", "the file has reached the size limit of the disk"),
    ("no space left", "the disk is full"),
)


def plain_reason(error: BaseException | str) -> str:
    """What a failed save means, for the NOT SAVED line, with SQLite's own words after it."""
    text = str(error)
    for needle, meaning in _PLAIN_REASONS:
        if needle in text.lower():
            return f"{meaning} ({text})"
    return text


def protect_new_files() -> None:
    """Files 0600, folders 0700 from here on (rule 8)."""
    os.umask(0o077)


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("reviewer-tui", appauthor=False))


def resolve_data_dir(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(target: Path, write: Callable[[Any], None], binary: bool = True) -> None:
    """Temp file in the same folder, flush, fsync, replace, fsync the folder (rule 7)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        mode = "wb" if binary else "w"
        kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, target)
        fsync_dir(target.parent)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


LEFT_UNTOUCHED = "It has been left untouched."
NOT_RESTORED = "Nothing was restored."
RESTORE_HINT = "Restore the latest backup with `reviewer-tui restore FILE`."
WAL_HEADER_BYTES = 32


def describe_foreign_file(path: Path, ending: str = LEFT_UNTOUCHED) -> str | None:
    """Why `path` is not a reviewer-tui database, read from its first bytes only; None if ours."""
    size = path.stat().st_size
    if size == 0:
        return (
            f"{path} is an empty file (0 bytes), not a reviewer-tui database. "
            f"{ending} Move it away or point --data-dir elsewhere."
        )
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_MAGIC):
        hint = ""
        if size >= 1024 and size % 1024 == 0:  # what an encrypted file looks like, marker or not
            hint = (
                " If it is an encrypted reviewer-tui file whose marker file "
                f"{path.name}.encrypted was lost, put an empty file of that name beside it "
                "and start again: you will be asked for the passphrase."
            )
        return (
            f"{path} is not a reviewer-tui database (it is not an SQLite file at all; "
            f"perhaps a document renamed). {ending}{hint}"
        )
    if len(header) < 100:
        return f"{path} is damaged: it is shorter than a database header. {ending}"
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        return (
            f"{path} is an SQLite database that belongs to another program, not reviewer-tui. "
            f"{ending}"
        )
    return None


def missing_bytes(path: Path) -> int:
    """How many bytes `path` lacks against the size its SQLite header gives (page size times page
    count; whole pages when the count is not valid, as SQLite itself then reads it). 0 if whole.

    SQLite reads the missing end as zeros without complaint, so a file cut short opens and shows
    NUL characters: only this comparison notices. Call after describe_foreign_file."""
    with path.open("rb") as handle:
        header = handle.read(100)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return 0  # an impossible page size: SQLite refuses the file itself
    size = path.stat().st_size
    if header[24:28] == header[92:96]:  # the page count is valid (written by SQLite >= 3.7.0)
        expected = int.from_bytes(header[28:32], "big") * page_size
    else:
        expected = -(-size // page_size) * page_size
    return max(0, expected - size)


def wal_path(db: Path) -> Path:
    return Path(f"{db}-wal")


def wal_has_frames(db: Path) -> bool:
    """Whether a -wal beside `db` may hold committed changes (more than its header)."""
    wal = wal_path(db)
    return wal.is_file() and wal.stat().st_size > WAL_HEADER_BYTES


def header_problem(
    path: Path, ending: str = LEFT_UNTOUCHED, name: Path | None = None
) -> str | None:
    """describe_foreign_file, then whether the file is as long as its header says."""
    problem = describe_foreign_file(path, ending)
    if problem:
        return problem.replace(str(path), str(name)) if name else problem
    missing = missing_bytes(path)
    if missing:
        return (
            f"{name or path} is damaged: it is {missing} bytes shorter than its header says "
            f"(it was probably cut short while being copied or written). {ending}"
        )
    return None


def snapshot(db: Path, target: Path, opener: Callable[[Path], Any] | None = None) -> None:
    """Copy `db` and the committed changes in its -wal into the one file `target`, never
    touching `db` or its folder (which may be read-only). `opener` keys an encrypted copy.

    SQLite cannot read a WAL without a -shm it can create, so on read-only media this is the
    way to see what was last saved. Raises the driver's error if the copy cannot be read."""
    shutil.copyfile(db, target)
    if wal_has_frames(db):
        shutil.copyfile(wal_path(db), wal_path(target))
    conn = (opener or (lambda p: sqlite3.connect(p, isolation_level=None)))(target)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
    finally:
        conn.close()


_BAD_VALUE = (  # declared type (prefix) -> what a value no reviewer-tui version stores looks like
    ("INTEGER", "typeof({c}) NOT IN ('integer', 'null')"),
    ("BOOLEAN", "typeof({c}) NOT IN ('integer', 'null') OR {c} NOT IN (0, 1)"),
    ("JSON", "{c} IS NOT NULL AND NOT json_valid({c})"),
    ("DATE", "{c} IS NOT NULL AND (typeof({c}) != 'text' OR date({c}) IS NULL)"),
    ("VARCHAR", "typeof({c}) NOT IN ('text', 'null')"),
)
_TEXT_TYPES = ("VARCHAR", "JSON", "DATE")


def verify_database(conn: Any, full: bool = True) -> str | None:
    """What is wrong inside an open database, or None if it is healthy.

    Quick: quick_check. Full: integrity_check, foreign_key_check, and every stored value
    readable as its column's type (text that is UTF-8, JSON that parses, dates, integers), which
    is what damage inside a record breaks while the pages stay well formed. Never quotes a value:
    the data is about children."""
    from reviewer_tui.encryption import errors

    try:
        pragma = "integrity_check" if full else "quick_check"
        result = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
        if result != "ok":
            return f"it failed its integrity check ({result})"
        if not full:
            return None
        orphan = conn.execute("PRAGMA foreign_key_check").fetchone()
        if orphan:
            return f"a row in {orphan[0]} refers to a {orphan[2]} that does not exist"
        return _unreadable_value(conn)
    except errors() as exc:
        return f"it cannot be read ({driver_reason(exc)})"


def driver_reason(exc: BaseException) -> str:
    """The driver's words, cut before any quoted value (sqlite3 quotes text it cannot decode)."""
    return str(exc).split(" with text ", 1)[0]


def _unreadable_value(conn: Any) -> str | None:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    # A full-text index's own copy of the texts (search_index_content): columns without a type.
    fts_text = {
        f"{name}_content"
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL "
            "TABLE % USING fts5%'"
        )
    }
    for table in tables:
        columns = [
            (
                r[1],
                (r[2] or "").upper() or ("VARCHAR" if table in fts_text and r[1] != "id" else ""),
            )
            for r in conn.execute(f'PRAGMA table_info("{table}")')
        ]
        rules = {
            column: f"({rule.format(c=chr(34) + column + chr(34))})"
            for column, declared in columns
            for prefix, rule in _BAD_VALUE
            if declared.startswith(prefix)
        }
        bad = _first_match(conn, table, rules) if rules else None
        if bad:
            return f"a value in {table}.{bad} is not what reviewer-tui stores there"
        text = [column for column, declared in columns if declared.startswith(_TEXT_TYPES)]
        if text and (column := _not_utf8(conn, table, text)):
            return f"a text in {table}.{column} is not readable (not UTF-8)"
    return None


def _first_match(conn: Any, table: str, rules: dict[str, str]) -> str | None:
    """The first column whose rule some row meets: one scan of the table, a second only to
    name the column when there is one."""
    if not conn.execute(
        f'SELECT 1 FROM "{table}" WHERE {" OR ".join(rules.values())} LIMIT 1'
    ).fetchone():
        return None
    return next(
        column
        for column, rule in rules.items()
        if conn.execute(f'SELECT 1 FROM "{table}" WHERE {rule} LIMIT 1').fetchone()
    )


def _not_utf8(conn: Any, table: str, columns: list[str]) -> str | None:
    """The first of `columns` holding text that is not UTF-8 (read as bytes, so the driver's
    error, which quotes the text, never arises)."""
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        listed = ", ".join(f'"{c}"' for c in columns)
        cursor = conn.execute(f'SELECT {listed} FROM "{table}"')
        while rows := cursor.fetchmany(500):
            for row in rows:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes):
                        try:
                            value.decode("utf-8")
                        except UnicodeDecodeError:
                            return column
    finally:
        conn.text_factory = previous
    return None


def check_database(
    path: Path,
    opener: Callable[[Path], Any],
    *,
    full: bool = True,
    version: bool = False,
    ending: str = LEFT_UNTOUCHED,
    advice: str = "",
    name: Path | None = None,
    header: bool = True,
    pages: bool = True,
) -> str | None:
    """The one check that `path` is a whole, healthy reviewer-tui database: its header (ours,
    and as long as it says; skipped for an encrypted file, whose every page SQLCipher
    authenticates instead), then verify_database, then (with `version`) a schema version this
    app knows. Returns a plain message ending with `ending` (and `advice` for damage), or None.
    `header=False` when the header was already checked on a copy with the WAL applied;
    `pages=False` leaves verify_database out (DataFolder runs it later: see `_check`)."""
    shown = name or path
    damaged = f"{ending} {advice}".strip()
    with path.open("rb") as handle:
        plain = handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    if header and (plain or path.stat().st_size < 100):
        problem = header_problem(path, damaged, name)
        if problem:
            return problem
    from reviewer_tui.encryption import errors

    foreign, newer = False, None
    try:
        conn = opener(path)
        try:
            foreign = conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID
            reason = None if foreign or not pages else verify_database(conn, full)
            if version and not foreign and reason is None:
                from reviewer_tui.migrate import revision_problem

                newer = revision_problem(conn)
        finally:
            conn.close()
    except errors() as exc:
        reason = f"it cannot be read ({driver_reason(exc)})"
    if foreign:
        return f"{shown} belongs to another program, not reviewer-tui. {ending}"
    if reason:
        return f"{shown} is damaged: {reason}. {damaged}"
    if newer:
        return f"{shown} {newer}. {ending}"
    return None


def _driver_errors(*also: type[BaseException]) -> tuple[type[BaseException], ...]:
    from reviewer_tui.encryption import errors

    return errors(*also)


def import_engine_layer() -> None:
    """Import what `DataFolder.engine()` needs (SQLAlchemy: about 0.3 s), without making the
    engine: for a background thread after the first frame (screens/app.py)."""
    import sqlalchemy  # noqa: F401
    import sqlalchemy.pool  # noqa: F401


def configure_connection(conn: sqlite3.Connection) -> None:
    """Pragmas every connection needs (rule 2). Autocommit mode: we issue BEGIN IMMEDIATE (rule 3)."""
    conn.isolation_level = None
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 5000")


def connect(path: Path | str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, uri=uri)
    configure_connection(conn)
    return conn


def media_is_writable(folder: Path, db_path: Path) -> bool:
    """Whether the folder and the database file can be written (False on read-only media).

    os.access reports a read-only mount (EROFS) even for root, and permissions for anyone else.
    """
    return os.access(folder, os.W_OK) and os.access(db_path, os.W_OK)


_READ_PREFIXES = (
    "SELECT",
    "PRAGMA",
    "WITH",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "EXPLAIN",
)


def create_database(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def pid_running(pid: int) -> bool:
    """Whether process `pid` is still running (portable: os.kill(pid, 0) would end it on
    Windows)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.name "nt", in the form type checkers understand
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists, not ours
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@dataclass
class DataFolder:
    """The folder holding reviews.db, its lock and its backups."""

    path: Path
    read_only: bool = False
    encrypted: bool = False  # reviews.db is SQLCipher-encrypted (see encryption.py)
    immutable: bool = False  # read-only media where no -wal/-shm can be used
    cipher: Any = field(default=None, repr=False)  # the passphrase, in memory only
    _lock: Any = field(default=None, repr=False)
    _engine: Any = field(default=None, repr=False)
    _keeper: Any = field(default=None, repr=False)
    _snapshot: Path | None = field(default=None, repr=False)  # read-only media with a WAL
    _checking: Any = field(default=None, repr=False)  # the opening check, while it runs
    _check_failed: BaseException | None = field(default=None, repr=False)
    # The opening check's quick_check, left until after the first frame when the file is as
    # this app left it (see `_unchanged_since_checked`): pending until it has passed.
    _pages_pending: bool = field(default=False, repr=False)
    _pages_thread: Any = field(default=None, repr=False)
    _pages_failed: BaseException | None = field(default=None, repr=False)
    _pages_passed: bool = field(default=False, repr=False)  # quick_check passed this session
    _on_pages_failed: Callable[[BaseException], None] | None = field(default=None, repr=False)
    _guard: Any = field(default_factory=threading.Lock, repr=False)
    _stamping: bool = field(default=False, repr=False)  # the app's session: stamp on closing
    _pages_conn: Any = field(default=None, repr=False)  # the quick_check's, while it runs
    _closing: bool = field(default=False, repr=False)
    _pausing: bool = field(default=False, repr=False)  # see pause_page_check

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def lock_path(self) -> Path:
        return self.path / f"{DB_NAME}.lock"

    @property
    def owner_path(self) -> Path:
        return self.path / f"{DB_NAME}.owner"

    @property
    def stamp_path(self) -> Path:
        """Where the file's stamp is kept when this app closes it after a check that passed."""
        return self.path / f"{DB_NAME}.checked"

    @property
    def backup_dir(self) -> Path:
        return self.path / "backups"

    def new_backup_path(self, kind: str, label: str = "", now: dt.datetime | None = None) -> Path:
        """backups/KIND[-LABEL]-<UTC time>.db, with -2, -3... if that name is taken: a copy
        the app makes never overwrites another."""
        stamp = (now or dt.datetime.now(dt.UTC)).strftime(STAMP_FORMAT)
        stem = "-".join(part for part in (kind, label, stamp) if part)
        target, counter = self.backup_dir / f"{stem}.db", 1
        while target.exists():
            counter += 1
            target = self.backup_dir / f"{stem}-{counter}.db"
        return target

    @property
    def reading_path(self) -> Path:
        """The file reads come from: the database, or on read-only media with a WAL a private
        copy holding the WAL's committed changes (see snapshot)."""
        return self._snapshot or self.db_path

    def open(self, check_in_background: bool = False) -> None:
        """Lock, check and (if new) create the database. Raises StorageError with a plain message.

        `check_in_background`: the check of an existing plain file goes on in a thread while
        the caller does something else (the app imports its screens). Nothing reaches the
        database before it has passed: `connect()` waits for it and raises its StorageError (see
        `wait_for_check`). Its quick_check (115-135 ms CPU for 68 MB) is left until after the
        first frame when the file is exactly as this app left it after a check that passed
        (`_unchanged_since_checked`): until it passes only `connect_to_read()` reaches the file,
        read-only, and anything else waits for it.

        On read-only media (folder or file not writable) the database opens read-only, without a
        lock (nothing can write there). An encrypted file raises PassphraseNeeded unless `cipher`
        was set: the lock is then kept, so call `unlock(passphrase)` (as often as needed, it
        raises WrongPassphrase) and carry on, or `close()`.
        """

        protect_new_files()
        if self.db_path.exists() and not media_is_writable(self.path, self.db_path):
            self.read_only = True
            self.immutable = True  # nothing can change the file (or the copy) while it is open
        else:
            try:
                self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                raise StorageError(
                    f"Cannot create the data folder {self.path}: {exc.strerror}."
                ) from None
            self._take_lock()
        try:
            self._check_or_create(check_in_background)
            if self._checking is None:
                self._keep_open()
        except PassphraseNeeded:
            raise
        except BaseException:
            self.close()
            raise

    def wait_for_check(self, pages: bool = True) -> None:
        """Wait for the opening check running in the background, if any; its StorageError (a
        damaged, foreign or newer file) is raised here, to every caller, until the folder is
        closed. With `pages`, also for its quick_check when that was left until after the first
        frame (started here if it has not been yet)."""
        checking = self._checking
        if checking is not None:
            checking.join()
        if self._check_failed is not None:
            raise self._check_failed
        if not pages:
            return
        while self._pages_pending:
            self.check_pages_in_background()  # again if it was paused
            thread = self._pages_thread
            if thread is not None:
                thread.join()
            if self._pages_failed is not None:
                raise self._pages_failed
            if self._closing:  # stopped by close(): nothing may reach the file now
                raise StorageError(f"{self.db_path} has been closed. Nothing more was changed.")
        if checking is not None:
            with self._guard:  # two threads may finish waiting at once: one keeper
                if self._checking is checking:
                    self._checking = None
                    self._keep_open()

    def check_pages_in_background(
        self, failed: Callable[[BaseException], None] | None = None, start: bool = True
    ) -> None:
        """Start the quick_check left out of the opening check, if it is pending (the app calls
        this a moment after its first frame; anything that connects starts it too). `failed` is
        called with its StorageError (on the check's thread, or at once if it has already
        failed) when the file turns out damaged. `start=False` only registers `failed`."""
        with self._guard:
            if failed is not None:
                self._on_pages_failed = failed
            already = self._pages_failed
            start = start and already is None and self._pages_pending and not self._closing
            start = start and self._pages_thread is None
            if start:
                self._pausing = False
                self._pages_thread = threading.Thread(
                    target=self._run_pages_check, name="page-check", daemon=True
                )
                self._pages_thread.start()
        if already is not None and failed is not None:
            failed(already)

    def _run_pages_check(self) -> None:
        try:
            self._check_pages()
        except BaseException as exc:  # noqa: BLE001 - raised by wait_for_check instead
            with self._guard:
                if self._closing:  # interrupted by close(): not run, the stamp stays
                    return
                if self._pausing:  # paused: the next caller that needs it starts it again
                    self._pages_thread = None
                    return
                self._pages_failed = exc
                tell = self._on_pages_failed
            if tell is not None:
                tell(exc)
            return
        self._pages_passed = True
        self._pages_pending = False

    def pause_page_check(self) -> None:
        """Interrupt the quick_check left until after the first frame, if it is running (the app
        is quitting: it need not take a core from the way out). It counts as not run: whatever
        connects next starts it again and waits for it, and close() leaves the stamp."""
        with self._guard:
            if self._pages_conn is not None and not self._closing:
                self._pausing = True
                self._pages_conn.interrupt()

    @property
    def full_check_pending(self) -> bool:
        """Whether the opening check's quick_check is still to pass (left until after the
        first frame): only `connect_to_read()` reaches the file meanwhile."""
        return self._pages_pending

    def _check_pages(self) -> None:
        try:
            conn = sqlite3.connect(self._read_only_uri(), uri=True, check_same_thread=False)
            with self._guard:
                if self._closing:
                    conn.close()
                    raise StorageError("closed before the check")
                self._pages_conn = conn
            try:
                reason = verify_database(conn, full=False)
            finally:
                with self._guard:
                    self._pages_conn = None
                conn.close()
        except sqlite3.Error as exc:
            reason = f"it cannot be read ({driver_reason(exc)})"
        if reason:
            raise StorageError(
                f"{self.db_path} is damaged: {reason}. {LEFT_UNTOUCHED} {RESTORE_HINT}"
            )

    def connect_to_read(self) -> sqlite3.Connection:
        """A read-only connection once the opening check has passed, without waiting for its
        quick_check when that was left until after the first frame (the review list's first
        read): nothing can write through it."""
        self.wait_for_check(pages=False)
        if self.encrypted or self.read_only:
            return self.connect()
        conn = sqlite3.connect(
            self._read_only_uri(), isolation_level=None, check_same_thread=False, uri=True
        )
        configure_connection(conn)
        return conn

    def _file_stamp(self) -> str:
        """What identifies the file's present bytes without reading them: where it is, its size
        and times (any write changes ctime, which no program can set back) and its header."""
        st = self.db_path.stat()
        with self.db_path.open("rb") as handle:
            header = handle.read(100)
        return (
            f"1 {st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} "
            f"{header.hex()}\n"
        )

    def _unchanged_since_checked(self) -> bool:
        """Whether the file is exactly as this app left it when it last closed it after a check
        that passed: its stamp kept beside it matches and no -wal holds later changes."""
        if wal_has_frames(self.db_path):
            return False
        try:
            kept = self.stamp_path.read_text(encoding="ascii")
        except (OSError, ValueError):
            return False
        return kept == self._file_stamp()

    def _keep_stamp(self) -> None:
        """On closing the app's session (opened with `check_in_background`; a command leaves
        the folder's files as they were), once every connection has gone: stamp the file if
        this session checked it whole (quick_check passed) and it holds every change (no -wal
        frames), so the next start can leave its quick_check until after the first frame. A
        file found damaged loses its stamp. Best effort: without a stamp the next start checks
        the file whole before anything."""
        if not self._stamping or self.read_only or self.encrypted or self._lock is None:
            return
        try:
            if self._pages_failed is not None:
                self.stamp_path.unlink(missing_ok=True)
                return
            if not self._pages_passed or wal_has_frames(self.db_path):
                return
            with self.db_path.open("rb") as handle:
                if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                    return
            temporary = self.path / f".{self.stamp_path.name}.tmp"
            temporary.write_text(self._file_stamp(), encoding="ascii")
            os.replace(temporary, self.stamp_path)
        except OSError:
            pass

    def _check_later(self, check: Callable[[], None]) -> None:
        def run() -> None:
            try:
                check()
            except BaseException as exc:  # noqa: BLE001 - raised by wait_for_check instead
                self._check_failed = exc

        import threading

        self._checking = threading.Thread(target=run, name="opening-check", daemon=True)
        self._checking.start()

    def _keep_open(self) -> None:
        """Hold one connection for as long as the folder is open. Without it every short
        transaction is the last connection to close, so SQLite deletes -wal and -shm and the next
        one must create them again: on a full disk it cannot, and even reading fails."""
        if self._keeper is None:
            conn = self._connect_raw()
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except BaseException:
                conn.close()
                raise
            self._keeper = conn

    def _take_lock(self) -> None:
        from reviewer_tui.oslock import Busy, FolderLock

        lock = FolderLock(self.lock_path)
        try:
            lock.acquire()
        except Busy:
            holder = self._recorded_owner()
            if holder is not None and pid_running(holder):
                raise AlreadyOpen(
                    f"These reviews are already open in another reviewer-tui window (process "
                    f"{holder}). Close that one first; nothing has been changed."
                ) from None
            # The process that took the lock has ended (or none is recorded): the operating
            # system is releasing the lock as that process finishes ending, or another is just
            # starting. A lock whose holder has gone is taken over, so wait a moment for it.
            try:
                lock.acquire(timeout=STALE_LOCK_WAIT)
            except Busy:
                gone = f" Process {holder}, which took it, has ended." if holder else ""
                raise AlreadyOpen(
                    f"These reviews are locked by another program ({self.lock_path} is held).{gone}"
                    " Close any other reviewer-tui window and try again; nothing has been changed."
                ) from None
        except OSError as exc:
            if self.db_path.exists() and not os.access(self.path, os.W_OK):
                self.read_only = True  # read-only media: open without a lock, never write
                return
            raise StorageError(f"Cannot lock {self.lock_path}: {exc.strerror}.") from None
        self._lock = lock
        self.owner_path.write_text(f"{os.getpid()}\n", encoding="utf-8")

    def _recorded_owner(self) -> int | None:
        """The process id written beside the lock by whoever took it, if readable."""
        try:
            return int(self.owner_path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None

    def _check_or_create(self, check_in_background: bool = False) -> None:
        from reviewer_tui import encryption

        if not self.db_path.exists():
            create_database(self.db_path)
            return
        if encryption.is_encrypted(self.db_path):
            self.encrypted = True
            if self.cipher is None:
                raise PassphraseNeeded(
                    f"{self.db_path} is encrypted: its passphrase is needed to open it. "
                    f"Start reviewer-tui in a terminal to type it, or set "
                    f"{encryption.ENV_PASSPHRASE}. Nothing has been changed."
                )
            self.unlock(self.cipher)
            return
        marker = encryption.marker_path(self.path)
        if marker.exists() and not self.read_only:
            marker.unlink()  # stale: left by an interrupted encrypt or decrypt; the file is plain
        problem = describe_foreign_file(self.db_path)
        if problem:
            raise StorageError(problem)
        if self.read_only:
            self._take_snapshot(None)
        header_checked = False
        if self._snapshot is None and missing_bytes(self.db_path) and wal_has_frames(self.db_path):
            self._check_short_with_wal()
            header_checked = True

        self._pages_pending = (
            check_in_background
            and not self.read_only
            and not header_checked
            and self._unchanged_since_checked()
        )
        pages = not self._pages_pending

        def check() -> None:
            self._check(
                lambda _path: sqlite3.connect(self._read_only_uri(), uri=True),
                header=not header_checked,
                pages=pages,
            )

        if check_in_background and not self.read_only:
            self._stamping = True
            self._check_later(check)
        else:
            check()

    def _take_snapshot(self, opener: Callable[[Path], Any] | None) -> None:
        """On read-only media SQLite cannot read a -wal (it must create a -shm), and immutable=1
        ignores it: read from a private copy with the WAL's committed changes applied instead,
        removed on close."""
        if self._snapshot is not None or not wal_has_frames(self.db_path):
            return
        private = Path(tempfile.mkdtemp(prefix="reviewer-tui-read-only-"))
        target = private / DB_NAME
        try:
            snapshot(self.db_path, target, opener)
        except BaseException as exc:
            shutil.rmtree(private, ignore_errors=True)
            if isinstance(exc, _driver_errors(OSError)):
                raise StorageError(
                    f"{self.db_path} is damaged: its changes in {wal_path(self.db_path).name} "
                    f"cannot be read ({driver_reason(exc)}). {LEFT_UNTOUCHED} {RESTORE_HINT}"
                ) from None
            raise
        self._snapshot = target

    def _check_short_with_wal(self) -> None:
        """A file shorter than its header says is whole if its WAL holds the missing pages (a
        checkpoint interrupted by a crash leaves that): apply the WAL to a private copy and
        look at that, leaving the real files untouched."""
        private = Path(tempfile.mkdtemp(prefix="reviewer-tui-check-"))
        try:
            snapshot(self.db_path, private / DB_NAME)
            problem = header_problem(
                private / DB_NAME, f"{LEFT_UNTOUCHED} {RESTORE_HINT}", self.db_path
            )
        except _driver_errors(OSError) as exc:
            problem = (
                f"{self.db_path} is damaged ({driver_reason(exc)}). {LEFT_UNTOUCHED} {RESTORE_HINT}"
            )
        finally:
            shutil.rmtree(private, ignore_errors=True)
        if problem:
            raise StorageError(problem)

    def unlock(self, passphrase: Any) -> None:
        """Open an encrypted file with `passphrase` (a str or an encryption.Cipher).

        Raises WrongPassphrase (the lock is kept, so the caller can ask again) or StorageError.
        """
        from reviewer_tui import encryption

        cipher = (
            passphrase
            if isinstance(passphrase, encryption.Cipher)
            else encryption.Cipher(passphrase)
        )
        conn = encryption.connect(self._read_only_uri(), cipher.key_for(self.db_path), uri=True)
        try:
            encryption.probe(conn, self.db_path)
        finally:
            conn.close()
        self.cipher = cipher
        if self.read_only:
            self._take_snapshot(lambda p: encryption.connect(p, cipher.key_for(p)))
        self._check(lambda _path: self._connect_raw())
        self._keep_open()

    def _read_only_uri(self) -> str:
        uri = f"{self.reading_path.resolve().as_uri()}?mode=ro"
        return uri + "&immutable=1" if self.immutable else uri

    def _check(
        self, opener: Callable[[Path], Any], header: bool = True, pages: bool = True
    ) -> None:
        """check_database, quick, on opening: a header that matches the file, quick_check (not
        with `pages=False`: see `check_pages_in_background`), and a schema version this app
        knows. StorageError with a plain message otherwise."""
        made = [
            Path(f"{self.reading_path}{s}")
            for s in ("-wal", "-shm")
            if not Path(f"{self.reading_path}{s}").exists()
        ]
        problem = check_database(
            self.reading_path,
            opener,
            full=False,
            version=True,
            advice=RESTORE_HINT,
            name=self.db_path,
            header=header,
            pages=pages,
        )
        if problem:
            if not self.read_only:  # what the read-only check connection created, nothing else
                for path in made:
                    if path.exists() and (path.name.endswith("-shm") or path.stat().st_size == 0):
                        path.unlink()
            raise StorageError(problem)
        if pages:
            self._pages_passed = True

    def _connect_raw(self) -> Any:
        """A connection without the pragmas: sqlite3, or sqlcipher3 keyed for an encrypted file."""
        target = self._read_only_uri() if self.read_only else str(self.db_path)
        if self.encrypted:
            from reviewer_tui import encryption

            if self.cipher is None:
                raise PassphraseNeeded(f"{self.db_path} is encrypted and not unlocked.")
            return encryption.connect(target, self.cipher.key_for(self.db_path), uri=self.read_only)
        return sqlite3.connect(
            target, isolation_level=None, check_same_thread=False, uri=self.read_only
        )

    def connect(self) -> sqlite3.Connection:
        self.wait_for_check()
        conn = self._connect_raw()
        configure_connection(conn)
        return conn

    def open_copy(self, path: Path) -> Any:
        """A connection to another file (a backup) keyed like the database: backups of an
        encrypted database are encrypted with the same key."""
        if self.encrypted:
            from reviewer_tui import encryption

            return encryption.connect(path, self.cipher.key_for(self.db_path))
        return sqlite3.connect(path, isolation_level=None)

    def plain_copy_problem(self, target: Path) -> str | None:
        """Why an unencrypted file (a notes copy, an export) may not be written at `target`, or
        None. Inside an encrypted folder nothing readable about a review may be kept."""
        if not self.encrypted:
            return None
        try:
            Path(target).expanduser().resolve().relative_to(self.path.resolve())
        except ValueError:
            return None
        return (
            f"{target} is inside the encrypted data folder, where nothing may be kept "
            f"unencrypted. Choose a place outside {self.path}."
        )

    def engine(self) -> Engine:
        """The SQLAlchemy engine, created on first use (its import costs ~0.3 s)."""
        if self._engine is None:
            from sqlalchemy import create_engine, event

            self._keep_open()
            from sqlalchemy.pool import QueuePool

            options: dict[str, Any] = {}
            if self.encrypted:  # errors are then wrapped like sqlite3's
                from reviewer_tui import encryption

                options["module"] = encryption.dbapi()
            engine = create_engine(
                "sqlite://",
                creator=lambda: self.connect(),
                # Connections are kept and reused (a new one cost 6 ms of a 7 ms read: opening
                # plus the pragmas of rule 2). Each is used by one thread at a time and returned
                # rolled back; dispose_engine() closes them all before the file is replaced
                # (restore, encryption) and when the folder closes.
                poolclass=QueuePool,
                pool_size=4,
                max_overflow=16,
                hide_parameters=True,  # error text (and so crash logs) never quotes what was typed
                **options,
            )
            read_only = self.read_only

            @event.listens_for(engine, "begin")
            def _begin(conn: Any) -> None:  # real transactions (rule 3)
                conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

            if read_only:

                @event.listens_for(engine, "before_cursor_execute")
                def _refuse_writes(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
                    if not statement.lstrip().upper().startswith(_READ_PREFIXES):
                        raise ReadOnlyError(READ_ONLY_MESSAGE)

            self._engine = engine
        return self._engine

    def dispose_engine(self) -> None:
        """Close every connection (before the file is replaced); the next use reopens them."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    def backup(
        self,
        target: Path | None = None,
        stop: Callable[[], bool] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> Path:
        """A verified copy of the database, by default in the backups folder. `stop` is asked
        between steps; when it says True the copy is given up (BackupStopped). `progress` is
        told how far it has got (see backup_to)."""
        if target is None and self.read_only:
            raise ReadOnlyError(
                f"{READ_ONLY_MESSAGE} To back up, name a file somewhere writable: "
                "reviewer-tui backup -o FILE."
            )
        if target is None:
            target = self.new_backup_path("reviews")
        conn = self.connect()
        try:
            backup_to(conn, Path(target), open_copy=self.open_copy, stop=stop, progress=progress)
        finally:
            conn.close()
        return Path(target)

    def restore(self, source: Path) -> Path:
        """Replace the database with a verified backup, keeping a backup of what it replaces.

        Returns the path of that safety backup (a new name each time: never one overwritten).
        The source is copied (with the committed changes of a -wal beside it) into a private
        staging folder and checked there first: a whole, healthy reviewer-tui database of a
        version this app knows. Until that passes nothing in the data folder is touched: no
        safety copy, no migration. Nothing is ever written beside the source.
        """
        source = Path(source)
        if not source.is_file():
            raise StorageError(f"{source} does not exist or is not a file.")
        if self.read_only:
            raise ReadOnlyError(READ_ONLY_MESSAGE)
        staging = Path(tempfile.mkdtemp(prefix=f".{DB_NAME}.restoring-", dir=self.path))
        staged = staging / DB_NAME
        try:
            if self.encrypted:
                self._stage_encrypted(source, staged)
            else:
                self._stage_plain(source, staged)
            problem = check_database(
                staged, self.open_copy, full=True, version=True, ending=NOT_RESTORED, name=source
            )
            if problem:
                raise StorageError(problem)
            with staged.open("rb+") as handle:
                os.fsync(handle.fileno())
            self.dispose_engine()
            safety = self.backup(self.new_backup_path("before-restore", source.stem))
            conn = self.connect()
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            for suffix in (
                "-wal",
                "-shm",
            ):  # a stale WAL must never be applied to the restored file
                Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
            os.replace(staged, self.db_path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        fsync_dir(self.path)
        conn = self.connect()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        return safety

    def _stage_plain(self, source: Path, staged: Path) -> None:
        """Copy an unencrypted `source` (and its WAL's committed changes) to `staged`."""
        problem = describe_foreign_file(source, NOT_RESTORED)
        if problem:
            if "not an SQLite file" in problem:
                problem += (
                    " If it is an encrypted backup, encrypt this folder with the same "
                    "passphrase first (reviewer-tui encrypt), then restore it."
                )
            raise StorageError(problem)
        try:
            snapshot(source, staged)
        except _driver_errors() as exc:
            raise StorageError(
                f"{source} is damaged: it cannot be read ({driver_reason(exc)}). {NOT_RESTORED}"
            ) from None
        os.chmod(staged, 0o600)

    def _stage_encrypted(self, source: Path, staged: Path) -> None:
        """Check `source` (plain or encrypted with this passphrase) and write it to `staged`,
        encrypted with this folder's key and verified."""
        from reviewer_tui import encryption

        # Read a copy, so nothing is ever written beside the source (SQLite folds a -wal into its
        # file). A plain copy goes to a private temporary folder, never into this encrypted one.
        private = Path(tempfile.mkdtemp(prefix="reviewer-tui-restore-"))
        try:
            if encryption.has_plain_header(source):
                problem = describe_foreign_file(source, NOT_RESTORED)
                if problem:
                    raise StorageError(problem)
                copy = private / DB_NAME
                try:
                    snapshot(source, copy, lambda p: encryption.connect_plain(p))
                except _driver_errors() as exc:
                    raise StorageError(
                        f"{source} is damaged: it cannot be read "
                        f"({driver_reason(exc)}). {NOT_RESTORED}"
                    ) from None
                problem = header_problem(copy, NOT_RESTORED, source)
                if problem:
                    raise StorageError(problem)
                src = encryption.connect_plain(copy)
            else:
                copy = staged.parent / f"source-{DB_NAME}"
                shutil.copyfile(source, copy)
                src = encryption.connect(copy, self.cipher.key_for(copy))
                try:
                    encryption.probe(src, source)
                except WrongPassphrase:
                    src.close()
                    raise StorageError(
                        f"{source} is not a reviewer-tui database, or it is encrypted with a "
                        "different passphrase. Nothing was restored."
                    ) from None
            try:
                if src.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    raise StorageError(f"{source} belongs to another program. {NOT_RESTORED}")
                reason = verify_database(src, full=True)
                if reason:
                    raise StorageError(f"{source} is damaged: {reason}. {NOT_RESTORED}")
                expected = row_counts(src)
                staged.unlink(missing_ok=True)
                encryption.export(src, staged, self.cipher.key_for(self.db_path))
            finally:
                src.close()
        finally:
            shutil.rmtree(private, ignore_errors=True)
        verify_copy(self.open_copy, staged, expected, source)
        with staged.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(staged, 0o600)

    def close(self) -> None:
        with self._guard:  # a quick_check still running is stopped (quitting need not wait)
            self._closing = True
            if self._pages_conn is not None:
                self._pages_conn.interrupt()
        for thread in (self._checking, self._pages_thread):
            if thread is not None:
                thread.join()  # its read-only connection closes before the lock is let go
        self._checking = self._pages_thread = None
        self.dispose_engine()
        self._keep_stamp()
        if self._snapshot is not None:
            shutil.rmtree(self._snapshot.parent, ignore_errors=True)
            self._snapshot = None
        if self._lock is not None:
            self.owner_path.unlink(missing_ok=True)
            self._lock.release()
            self._lock = None


def backup_to(
    source: sqlite3.Connection,
    target: Path,
    open_copy: Callable[[Path], Any] | None = None,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Copy the live database through the backup API, atomically, then verify it (rule 4).

    `open_copy` opens the copy (it keys it when the database is encrypted). Returns the row
    counts of every table, which the copy was checked against. `stop`, if given, is asked
    between steps of the copy and all through the check: True gives the copy up
    (BackupStopped), so a stopping app is not held up by a large backup (the check of a 68 MB
    copy alone takes most of a second) and leaves no half-made file. `progress`, if given, is
    told "copying 40%" as the copy goes, then "checking the copy".
    """

    def check_stop(status: int = 0, remaining: int = 0, total: int = 0) -> None:
        if stop is not None and stop():
            raise BackupStopped("stopped")
        if progress is not None and total:
            progress(f"copying {100 * (total - remaining) // total}%")

    base_opener: Callable[[Path], Any] = open_copy or (lambda p: sqlite3.connect(p))

    def opener(path: Path) -> Any:
        conn = base_opener(path)
        if stop is not None and hasattr(conn, "set_progress_handler"):
            conn.set_progress_handler(lambda: 1 if stop() else 0, 1_000)  # interrupts the check
        return conn

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        dest = opener(tmp)
        try:
            if stop is None:
                source.backup(dest)
            else:
                check_stop()
                source.backup(dest, pages=BACKUP_STEP_PAGES, progress=check_stop)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        check_stop()
        if progress is not None:
            progress("checking the copy")
        expected = row_counts(source)
        verify_copy(opener, tmp, expected, target)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
        fsync_dir(target.parent)
        return expected
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if stop is not None and not isinstance(exc, BackupStopped) and stop():
            raise BackupStopped("stopped") from exc  # the check was interrupted, not failed
        raise


def verify_copy(
    opener: Callable[[Path], Any], copy: Path, expected: dict[str, int], name: Path | None = None
) -> None:
    """check_database (full) and the row count of every table; StorageError if either fails."""
    problem = check_database(copy, opener, full=True, ending="")
    if problem is None:
        check = opener(copy)
        try:
            if row_counts(check) != expected:
                problem = "its rows differ from the database's"
        finally:
            check.close()
    if problem:
        reason = problem.replace(str(copy), "it").strip()
        raise StorageError(f"The copy {name or copy} did not verify ({reason}); it was not kept.")


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
