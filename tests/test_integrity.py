"""Whole, healthy files only (issue "Trust" items 4-6): restore checks a file's version and health
before touching anything, safety copies never overwrite each other, damaged files are refused on
open, before a backup is called verified and before a restore; a read-only folder holding a WAL
shows (and backs up) its committed changes."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from reviewer_tui import backups, bundle, migrate, storage
from reviewer_tui.cli import main, open_folder
from reviewer_tui.errors import StorageError
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE
from tests.test_faults import digest, make_reviews, mount, umount


def checkpoint(folder: DataFolder) -> None:
    conn = folder.connect()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def titles(db: Path, immutable: bool = False) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro{'&immutable=1' if immutable else ''}", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM review ORDER BY id")]
    finally:
        conn.close()


def live_files(folder: DataFolder) -> dict[str, str]:
    """Every file of the data folder but the lock and owner files, by content."""
    return {
        name: sha
        for name, sha in digest(folder.path).items()
        if name not in ("reviews.db.lock", "reviews.db.owner")
    }


def overwrite_text(db: Path, text: bytes = b"Eastholme") -> None:
    """8 bytes overwritten in the middle of a stored text, in every copy of it (the search index
    holds one too): the pages stay well formed, so integrity_check passes, but the text is no
    longer UTF-8."""
    data = bytearray(db.read_bytes())
    at = data.find(text)
    assert at >= 0
    while at >= 0:
        data[at : at + 8] = b"\xff" * 8
        at = data.find(text, at + 8)
    db.write_bytes(bytes(data))


def cut(db: Path, count: int) -> None:
    data = db.read_bytes()
    db.write_bytes(data[:-count])


@pytest.fixture
def sample_folder(folder: DataFolder) -> DataFolder:
    store = Store(folder)
    for _ in range(2):
        bundle.import_file(store, SAMPLE)
    checkpoint(folder)
    return folder


# --- restore: version first, then touch nothing ---------------------------------------------------
def newer_copy(folder: DataFolder, target: Path) -> Path:
    folder.backup(target)
    conn = sqlite3.connect(target)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    return target


def test_restore_of_a_newer_version_touches_nothing(
    sample_folder: DataFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = newer_copy(sample_folder, tmp_path / "from-newer-app.db")
    Store(sample_folder).create_review("Typed today", "internal case review", "concern")
    sample_folder.close()
    before = live_files(sample_folder)
    assert main(["--data-dir", str(sample_folder.path), "restore", str(newer)]) == 1
    err = capsys.readouterr().err
    assert "newer version of reviewer-tui" in err and "Nothing was restored" in err
    assert "Traceback" not in err
    assert live_files(sample_folder) == before  # byte-identical, and no new file in backups/
    reopened = open_folder(sample_folder.path)
    try:
        assert titles(reopened.db_path)[-1] == "Typed today"
        conn = reopened.connect()
        assert migrate.current_revision(conn) == migrate.HEAD_REVISION
        conn.close()
    finally:
        reopened.close()


def test_a_newer_version_live_file_is_refused_without_a_copy(data_dir: Path) -> None:
    folder = open_folder(data_dir)
    Store(folder).create_review("Precious", "internal case review", "concern")
    conn = folder.connect()
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    folder.close()
    before = digest(data_dir)
    for _ in range(2):
        with pytest.raises(StorageError, match="newer version of reviewer-tui"):
            open_folder(data_dir)
    assert digest(data_dir) == before  # no before-migration copy, however often it is tried


def test_restoring_the_same_file_twice_keeps_both_safety_copies(
    folder: DataFolder, store: Store, tmp_path: Path
) -> None:
    store.create_review("In the backup", "internal case review", "concern")
    copy = folder.backup(tmp_path / "copy.db")
    store.create_review("Before the first restore", "internal case review", "concern")
    first = folder.restore(copy)
    store.create_review("Before the second restore", "internal case review", "concern")
    second = folder.restore(copy)
    assert first != second and first.exists() and second.exists()
    assert titles(first) == ["In the backup", "Before the first restore"]
    assert titles(second) == ["In the backup", "Before the second restore"]
    assert titles(folder.db_path) == ["In the backup"]


def test_backups_made_in_the_same_second_never_overwrite(folder: DataFolder, store: Store) -> None:
    store.create_review("One", "internal case review", "concern")
    made = [folder.backup() for _ in range(3)]
    assert len(set(made)) == 3 and all(p.exists() for p in made)


# --- damaged files ------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 10, 100])
def test_a_file_cut_short_is_refused_on_open_and_untouched(
    sample_folder: DataFolder, count: int
) -> None:
    sample_folder.close()
    cut(sample_folder.db_path, count)
    before = sample_folder.db_path.read_bytes()
    with pytest.raises(StorageError, match="shorter than its header says"):
        open_folder(sample_folder.path)
    assert sample_folder.db_path.read_bytes() == before
    assert not Path(f"{sample_folder.db_path}-wal").exists()


def grow_in_the_wal(db: Path) -> tuple[bytes, bytes]:
    """(main file, WAL) as a crash halfway through a checkpoint leaves them: the main file's
    header already counts pages that only the WAL holds."""
    old_size = db.stat().st_size
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    columns = [
        r[1] for r in conn.execute("PRAGMA table_info(review)") if r[1] not in ("id", "title")
    ]
    copy_row = (
        f"INSERT INTO review (title, {', '.join(columns)}) "
        f"SELECT ?, {', '.join(columns)} FROM review WHERE id = 1"
    )
    conn.execute("BEGIN")
    for n in range(300):
        conn.execute(copy_row, (f"Grown {n} " + "x" * 400,))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # writes the pages, keeps the WAL
    main_file = db.read_bytes()
    wal = Path(f"{db}-wal").read_bytes()
    conn.close()
    assert len(main_file) > old_size + 4096
    return main_file[:old_size], wal


def test_a_short_file_whose_wal_holds_the_rest_opens(data_dir: Path) -> None:
    folder = open_folder(data_dir)
    Store(folder).create_review("First", "internal case review", "concern")
    checkpoint(folder)
    folder.close()
    main_file, wal = grow_in_the_wal(folder.db_path)
    folder.db_path.write_bytes(main_file)
    Path(f"{folder.db_path}-wal").write_bytes(wal)
    reopened = open_folder(data_dir)
    try:
        assert len(titles(reopened.db_path)) == 301
        conn = reopened.connect()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    finally:
        reopened.close()


def test_a_short_file_whose_wal_lacks_the_rest_is_refused(data_dir: Path) -> None:
    folder = open_folder(data_dir)
    Store(folder).create_review("First", "internal case review", "concern")
    checkpoint(folder)
    folder.close()
    main_file, wal = grow_in_the_wal(folder.db_path)
    folder.db_path.write_bytes(main_file)
    before = folder.db_path.read_bytes()
    with pytest.raises(StorageError, match="shorter than its header says"):
        open_folder(data_dir)  # the WAL is gone: the missing pages are nowhere
    assert folder.db_path.read_bytes() == before


def test_automatic_backup_of_a_damaged_file_is_not_verified(sample_folder: DataFolder) -> None:
    sample_folder.close()
    overwrite_text(sample_folder.db_path)  # passes quick_check: it opens
    folder = open_folder(sample_folder.path)
    try:
        with pytest.raises(StorageError, match="did not verify"):
            backups.backup_if_due(folder)
        assert not list(folder.backup_dir.glob("*.db"))  # no damaged copy pushes out a good one
    finally:
        folder.close()


def damaged_by_cut(db: Path) -> None:
    cut(db, 100)


def raw_sql(statement: str, drop_triggers: bool = False) -> Callable[[Path], None]:
    """Damage no page check sees: a value or a link changed behind the app's back (by a tool
    that also removed the schema's same-review triggers, when asked)."""

    def damage(db: Path) -> None:
        conn = sqlite3.connect(db)  # foreign keys off, as in any other SQLite tool
        if drop_triggers:
            names = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ]
            for name in names:
                conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(statement)
        conn.commit()
        conn.close()

    return damage


DAMAGE = {
    "cut-100": damaged_by_cut,
    "8-bytes": overwrite_text,
    "orphan-row": raw_sql(
        "UPDATE record_examined SET review_id = 999 WHERE id = (SELECT min(id) FROM record_examined)",
        drop_triggers=True,
    ),
    "broken-list": raw_sql("UPDATE review SET preliminary_questions = '[\"unfinished'"),
    "broken-date": raw_sql("UPDATE review SET commissioned_on = 'not a date'"),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_restore_refuses_a_damaged_backup_and_touches_nothing(
    sample_folder: DataFolder, tmp_path: Path, damage, capsys
) -> None:  # noqa: ANN001
    backup = sample_folder.backup(tmp_path / "backup.db")
    damage(backup)
    sample_folder.close()
    before = live_files(sample_folder)
    assert main(["--data-dir", str(sample_folder.path), "restore", str(backup)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Nothing was restored" in err and "Traceback" not in err
    assert live_files(sample_folder) == before
    assert (
        main(["--data-dir", str(sample_folder.path), "export", "1", "-o", str(tmp_path / "x.json")])
        == 0
    )


def test_restore_takes_a_copy_with_its_wal(
    folder: DataFolder, store: Store, tmp_path: Path
) -> None:
    """A reviews.db copied with its -wal beside it: the restore holds the WAL's changes too."""
    other = tmp_path / "other"
    make_reviews(other)
    db = other / "reviews.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE review SET title = 'Changed in the WAL'")
    shutil.copy(db, tmp_path / "copied.db")
    shutil.copy(f"{db}-wal", tmp_path / "copied.db-wal")
    conn.close()
    store.create_review("Replaced", "internal case review", "concern")
    before = {p.name: p.read_bytes() for p in tmp_path.glob("copied.db*")}
    folder.restore(tmp_path / "copied.db")
    assert titles(folder.db_path) == ["Changed in the WAL"]
    assert {p.name: p.read_bytes() for p in tmp_path.glob("copied.db*")} == before  # untouched


# --- read-only folder with a WAL and no -shm ----------------------------------------------------
def wal_without_shm(source: Path) -> None:
    """A data folder whose last change is committed in reviews.db-wal, with no -shm beside it."""
    work = source.parent / "work"
    make_reviews(work)
    db = work / "reviews.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE review SET title = 'Renamed after the last checkpoint'")
    source.mkdir(parents=True, mode=0o700)
    shutil.copy(db, source / "reviews.db")
    shutil.copy(f"{db}-wal", source / "reviews.db-wal")
    conn.close()
    assert titles(source / "reviews.db", immutable=True) == ["On the stick"]  # what was shown
    (source / "reviews.db").chmod(0o400)


def check_read_only_wal(
    data: Path, underneath: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(underneath)
    folder = open_folder(data)
    try:
        assert folder.read_only
        assert Store(folder).review(1).title == "Renamed after the last checkpoint"
        private = folder.reading_path
        assert private != folder.db_path and private.exists()
    finally:
        folder.close()
    assert not private.exists() and not private.parent.exists()  # the private copy is gone
    assert main(["--data-dir", str(data), "list"]) == 0
    assert "Renamed after the last checkpoint" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "backup", "-o", str(tmp_path / "copy.db")]) == 0
    assert titles(tmp_path / "copy.db") == ["Renamed after the last checkpoint"]
    assert digest(underneath) == before
    assert not Path(f"{underneath}/reviews.db-shm").exists()


def test_read_only_media_with_a_wal_shows_and_backs_up_its_changes(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    source = tmp_path / "media"
    wal_without_shm(source / "data")
    target = tmp_path / "mnt"
    target.mkdir()
    if not mount("--bind", str(source), str(target)):
        pytest.skip("cannot bind-mount here; test_read_only_wal_decision_without_mount covers it")
    try:
        if not mount("-o", "remount,bind,ro", str(target)):
            pytest.skip("cannot remount read-only here")
        check_read_only_wal(target / "data", source / "data", tmp_path, capsys)
    finally:
        umount(target)


def test_read_only_wal_decision_without_mount(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    data = tmp_path / "data"
    wal_without_shm(data)
    monkeypatch.setattr(storage, "media_is_writable", lambda folder, db: False)
    check_read_only_wal(data, data, tmp_path, capsys)


def test_export_from_a_damaged_file_says_so_plainly(
    sample_folder: DataFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Damage inside a text passes quick_check, so the file opens; reading it then fails with a
    plain message that quotes none of the stored text, not a traceback."""
    sample_folder.close()
    overwrite_text(sample_folder.db_path)
    before = sample_folder.db_path.read_bytes()
    codes = [
        main(
            [
                "--data-dir",
                str(sample_folder.path),
                "export",
                str(rid),
                "-o",
                str(tmp_path / "x.json"),
            ]
        )
        for rid in (1, 2)
    ]
    assert 1 in codes
    err = capsys.readouterr().err
    assert "may be damaged" in err and "Eastholme" not in err and "Traceback" not in err
    assert sample_folder.db_path.read_bytes() == before


def test_an_encrypted_folder_restores_a_copy_with_its_wal_writing_nothing_beside_it(
    data_dir: Path, tmp_path: Path
) -> None:
    from reviewer_tui import encryption, folder_encryption

    if not encryption.available():
        pytest.skip("sqlcipher3 is not installed")
    other = tmp_path / "other"
    make_reviews(other)
    db = other / "reviews.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE review SET title = 'Changed in the WAL'")
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(db, source / "copied.db")
    shutil.copy(f"{db}-wal", source / "copied.db-wal")
    conn.close()
    before = digest(source)
    folder = open_folder(data_dir)
    try:
        folder_encryption.encrypt_folder(folder, "correct horse battery staple")
        folder.restore(source / "copied.db")
        assert Store(folder).review(1).title == "Changed in the WAL"
        assert not encryption.has_plain_header(folder.db_path)
    finally:
        folder.close()
    assert digest(source) == before  # no -shm made, the WAL not folded into the copy
