"""Recovery copies: text on screen that could not be saved, kept for the next start.

When a save fails (a full disk, an I/O error) the text stays on screen and the screen says NOT
SAVED (RELIABILITY.md rule 6). Quitting, closing the terminal or a signal must not lose it: the app
writes one recovery copy per unsaved field into the data folder's `recovery/` folder, keyed by what
it belongs to (table, row, field), and offers each back at the next start.

Each copy is a small SQLite database written atomically (rule 7: temp file, fsync, replace, fsync
the folder). In an encrypted folder it is an SQLCipher database keyed like reviews.db and its
backups (`DataFolder.open_copy`), so nothing readable about a review is left in the folder.
No textual import: the screens hand over `Pending` values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import dates
from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store
    from reviewer_tui.storage import DataFolder

RECOVERY_DIR = "recovery"
SUFFIX = ".recovery"
_SCHEMA = (
    "CREATE TABLE recovery_copy (tbl TEXT, row_id INTEGER, field TEXT, label TEXT, "
    "kind TEXT, place TEXT, value TEXT NOT NULL, written_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Pending:
    """One field whose text on screen is not in the database: what the app asks the screens for.

    `table`/`row_id`/`field` say where it belongs, so it can be put back; a field that cannot be
    put back by itself (it belongs to something not yet created) has table None and can still be
    saved as a file. `kind` is the form field's kind (text, long, date, choice, list).
    """

    table: str | None
    row_id: int | None
    field: str
    label: str
    value: Any
    kind: str = "text"
    place: str = ""  # the screen it was typed on, in words
    reason: str = ""  # why it is not saved, as the NOT SAVED line said

    @property
    def key(self) -> str:
        """The file name stem: one copy per field, so a newer copy replaces an older one."""
        if self.table is not None and self.row_id is not None:
            stem = f"{self.table}-{self.row_id}-{self.field}"
        else:
            digest = hashlib.sha256(f"{self.place}\0{self.label}".encode()).hexdigest()[:12]
            stem = f"unplaced-{self.field}-{digest}"
        return re.sub(r"[^A-Za-z0-9_.-]", "_", stem)

    def as_text(self) -> str:
        """The value as plain text, for a file or for the screen."""
        if isinstance(self.value, list):
            return "\n".join(str(item) for item in self.value)
        if isinstance(self.value, dict):
            return "\n".join(f"{name}: {value}" for name, value in self.value.items())
        return "" if self.value is None else str(self.value)


@dataclass(frozen=True)
class Copy(Pending):
    """A recovery copy read back from disk."""

    path: Path = field(default=Path(), compare=False)
    written_at: str = ""


def recovery_dir(folder: DataFolder) -> Path:
    return Path(folder.path) / RECOVERY_DIR


def value_to_store(kind: str, raw: Any) -> Any:
    """A form field's text -> the value stored (the one parser forms and put-back share).
    Raises InputError naming the problem."""
    if kind == "date":
        return dates.parse_day("" if raw is None else str(raw))
    return raw


def write(folder: DataFolder, pending: list[Pending], place: Path | None = None) -> list[Path]:
    """Write a copy of each pending field to `place` (default: the data folder's recovery/).

    Raises OSError (or a database error) if any cannot be written: a full disk may refuse them.
    """
    target_dir = Path(place) if place is not None else recovery_dir(folder)
    written = []
    for item in pending:
        target = target_dir / f"{item.key}{SUFFIX}"
        _write_one(folder, target, item)
        written.append(target)
    return written


def _write_one(folder: DataFolder, target: Path, item: Pending) -> None:
    from reviewer_tui.storage import fsync_dir

    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = folder.open_copy(tmp)  # encrypted with the folder's key when the folder is
        try:
            conn.execute("PRAGMA journal_mode = MEMORY")  # no journal file: the rename is atomic
            conn.execute(_SCHEMA)
            conn.execute(
                "INSERT INTO recovery_copy VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item.table,
                    item.row_id,
                    item.field,
                    item.label,
                    item.kind,
                    item.place,
                    json.dumps(item.value, default=str),
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )
        finally:
            conn.close()
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def copies(folder: DataFolder, place: Path | None = None) -> tuple[list[Copy], list[str]]:
    """Every recovery copy in `place` (default: the data folder's recovery/), oldest first, and a
    line for each file that could not be read (left where it is)."""
    from reviewer_tui import encryption

    where = Path(place) if place is not None else recovery_dir(folder)
    if not where.is_dir():
        return [], []
    found: list[Copy] = []
    problems: list[str] = []
    for path in sorted(where.glob(f"*{SUFFIX}")):
        try:
            conn = folder.open_copy(path)
            try:
                row = conn.execute(
                    "SELECT tbl, row_id, field, label, kind, place, value, written_at "
                    "FROM recovery_copy"
                ).fetchone()
            finally:
                conn.close()
            if row is None:
                raise ValueError("it is empty")
            table, row_id, name, label, kind, shown_on, value, written_at = row
            found.append(
                Copy(
                    table,
                    row_id,
                    name,
                    label,
                    json.loads(value),
                    kind,
                    shown_on,
                    path=path,
                    written_at=written_at,
                )
            )
        except encryption.errors(OSError, ValueError) as exc:
            problems.append(f"{path.name} could not be read ({exc}); it was left where it is.")
    found.sort(key=lambda c: (c.written_at, c.path.name))
    return found, problems


def discard(copy: Copy) -> None:
    from reviewer_tui.storage import fsync_dir

    copy.path.unlink(missing_ok=True)
    fsync_dir(copy.path.parent)


def discard_key(folder: DataFolder, item: Pending) -> None:
    """Remove the copy of a field that has since been saved (an older copy must not come back)."""
    path = recovery_dir(folder) / f"{item.key}{SUFFIX}"
    if path.exists():
        path.unlink(missing_ok=True)


def _model(table: str) -> type[Any]:
    from sqlmodel import SQLModel

    import reviewer_tui.models  # noqa: F401 - registers every table

    for mapper in SQLModel._sa_registry.mappers:
        if mapper.class_.__table__.name == table:
            return mapper.class_
    raise InputError(f"This copy belongs to a kind of record this version does not know ({table}).")


def put_back(store: Store, copy: Copy) -> None:
    """Store the copy where it belongs, through the same save the screen uses, then remove it.
    Raises InputError (nothing to put it back into) or the storage error, keeping the copy."""
    if copy.table is None or copy.row_id is None:
        raise InputError(
            "This text belonged to something not yet saved, so it cannot be put back "
            "by itself: save it as a file and copy it in."
        )
    value = value_to_store(copy.kind, copy.value)
    if (copy.table, copy.field) == ("interview", "notes"):
        from reviewer_tui import interviews

        interviews.save_notes(store, copy.row_id, value)
    elif copy.table == "chronology_draft":  # the quick entry's unfinished entry, by review
        from reviewer_tui import chronology

        chronology.save_draft(store, copy.row_id, value)
    elif (copy.table, copy.field) == ("meeting", "held_on"):  # a date and time, as typed
        from reviewer_tui import meeting

        meeting.set_meeting_when(store, copy.row_id, value)
    else:
        store.update(_model(copy.table), copy.row_id, **{copy.field: value})
    discard(copy)


def describe(store: Store, copy: Copy) -> str:
    """Where a copy belongs, in words: the review's title, the part, the field."""
    parts = []
    if copy.table is not None and copy.row_id is not None:
        try:
            if copy.table in ("review", "chronology_draft"):
                review_id: int | None = copy.row_id
            else:
                review_id = getattr(store.get(_model(copy.table), copy.row_id), "review_id", None)
            if review_id is not None:
                parts.append(f"Review: {store.review(review_id).title}")
        except InputError:
            parts.append("(what it belonged to has since been deleted)")
        except Exception as exc:  # noqa: BLE001 - describing must never stop the offer
            parts.append(f"(could not look up where it belongs: {exc})")
    if copy.place and copy.place != copy.label:
        parts.append(copy.place)
    parts.append(copy.label)
    return " · ".join(parts)


def save_as_file(copy: Pending, target: Path) -> None:
    """Write the text as a plain UTF-8 file, atomically (rule 7)."""
    from reviewer_tui.storage import write_atomically

    text = copy.as_text()
    write_atomically(Path(target), lambda handle: handle.write(text.encode("utf-8")))
