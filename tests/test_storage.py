"""The data file: permissions, refusing files that are not ours, the lock, migrations, foreign keys."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer_tui import migrate
from reviewer_tui.cli import open_folder
from reviewer_tui.errors import AlreadyOpen, StorageError
from reviewer_tui.storage import APPLICATION_ID, DataFolder


def test_files_are_private(folder: DataFolder) -> None:
    assert stat.S_IMODE(folder.path.stat().st_mode) == 0o700
    for path in folder.path.iterdir():
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_new_database_is_marked_ours_and_in_wal_mode(folder: DataFolder) -> None:
    conn = folder.connect()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    conn.close()


def foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_bytes(b""), "empty file"),
        (
            lambda p: p.write_text("Dear Sir,\nThis is a letter.\n", encoding="utf-8"),
            "not an SQLite file",
        ),
        (foreign_sqlite, "belongs to another program"),
    ],
    ids=["zero-bytes", "text", "foreign-sqlite"],
)
def test_file_that_is_not_ours_is_refused_and_untouched(
    data_dir: Path, make, expected: str
) -> None:
    data_dir.mkdir(mode=0o700)
    db = data_dir / "reviews.db"
    make(db)
    before = db.read_bytes()
    with pytest.raises(StorageError, match=expected):
        open_folder(data_dir)
    assert db.read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir() if not p.name.startswith("reviews.db.")) == [
        "reviews.db"
    ]


def test_refusal_is_a_plain_message_from_the_command(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    (data_dir / "reviews.db").write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "reviewer_tui", "--data-dir", str(data_dir), "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "empty file" in result.stderr
    assert "Traceback" not in result.stderr


HOLDER = """
import sys, time
from reviewer_tui.cli import open_folder
folder = open_folder(__import__('pathlib').Path(sys.argv[1]))
print('ready', flush=True)
time.sleep(60)
"""


def test_second_instance_refused_until_first_is_killed(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        db = data_dir / "reviews.db"
        before = db.read_bytes()
        with pytest.raises(AlreadyOpen, match=f"process {holder.pid}"):
            open_folder(data_dir)
        assert db.read_bytes() == before
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        folder = open_folder(data_dir)  # the lock died with its holder
        folder.close()
    finally:
        if holder.poll() is None:
            holder.kill()


def test_foreign_key_refuses_orphan_row(folder: DataFolder) -> None:
    conn = folder.connect()
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(
            "INSERT INTO organisation (review_id, position, name, code, notes) "
            "VALUES (999, 0, 'Orphan', '', '')"
        )
    conn.close()


def test_foreign_keys_are_on_in_orm_sessions(store) -> None:  # noqa: ANN001
    from sqlalchemy.exc import IntegrityError

    from reviewer_tui.models import Organisation

    with pytest.raises(IntegrityError):
        with store.session() as session:
            session.add(Organisation(review_id=12345, name="Orphan"))
            session.commit()


def test_head_revision_constant_matches_migrations() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", migrate.SCRIPT_LOCATION)
    assert ScriptDirectory.from_config(config).get_current_head() == migrate.HEAD_REVISION


# The chronology's order index (migration 0012) is on expressions, which SQLAlchemy does not
# reflect: it is checked by tests/test_chronology_pages.py instead.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_schema_matches_models(folder: DataFolder) -> None:
    """Autogenerate finds nothing to add: the migrations create exactly what the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import reviewer_tui.models  # noqa: F401
    from reviewer_tui.search import include_name

    with folder.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


FAILING_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    op.execute("UPDATE review SET title = 'changed by a broken migration'")
    with op.batch_alter_table("review") as batch:
        batch.add_column(sa.Column("extra", sa.String, nullable=True))
    raise RuntimeError("simulated failure halfway through")
"""


def test_failed_migration_leaves_database_unchanged(
    folder: DataFolder, store, tmp_path: Path
) -> None:  # noqa: ANN001
    import shutil

    from reviewer_tui import migrations

    store.create_review("Before the upgrade", "internal case review", "concern")
    scripts = tmp_path / "scripts"
    shutil.copytree(Path(migrations.__file__).parent, scripts)
    (scripts / "versions" / "9999_broken.py").write_text(
        FAILING_MIGRATION.format(head=migrate.HEAD_REVISION), encoding="utf-8"
    )

    def dump() -> list[str]:
        conn = folder.connect()
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    before = dump()
    for _ in range(2):  # a start that fails again leaves no pile of identical copies
        with pytest.raises(StorageError, match="Nothing was changed"):
            migrate.upgrade(folder, script_location=str(scripts), head="9999")
    assert dump() == before
    assert not list(folder.backup_dir.glob("before-migration-*.db"))  # nothing changed, none kept


def test_migration_keeps_a_verified_copy_of_what_it_changed(
    folder: DataFolder, store, tmp_path: Path
) -> None:  # noqa: ANN001
    import shutil

    from reviewer_tui import migrations

    store.create_review("Before the upgrade", "internal case review", "concern")
    scripts = tmp_path / "scripts"
    shutil.copytree(Path(migrations.__file__).parent, scripts)
    working = FAILING_MIGRATION.format(head=migrate.HEAD_REVISION).replace(
        '    raise RuntimeError("simulated failure halfway through")\n', ""
    )
    (scripts / "versions" / "9999_works.py").write_text(working, encoding="utf-8")
    backup = migrate.upgrade(folder, script_location=str(scripts), head="9999")
    assert backup is not None and list(folder.backup_dir.glob("before-migration-*.db")) == [backup]
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT title FROM review").fetchall() == [("Before the upgrade",)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert store.review(1).title == "changed by a broken migration"  # the migration did run


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer_tui.storage import resolve_data_dir

    monkeypatch.setenv("REVIEWER_TUI_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(None) == tmp_path / "env"
    assert resolve_data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    monkeypatch.delenv("REVIEWER_TUI_DATA_DIR")
    assert "reviewer-tui" in str(resolve_data_dir(None))


def test_timestamps_are_aware_utc(store) -> None:  # noqa: ANN001
    review = store.review(store.create_review("Times", "serious case review", "concern"))
    assert review.created_at.utcoffset() is not None
    assert review.created_at.utcoffset().total_seconds() == 0
    time.sleep(0)


def test_backup_and_restore_round_trip(folder: DataFolder, store, tmp_path: Path) -> None:  # noqa: ANN001
    store.create_review("Before backup", "internal case review", "concern")
    copy = folder.backup(tmp_path / "copy.db")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    store.create_review("After backup", "internal case review", "concern")
    safety = folder.restore(copy)
    conn = folder.connect()
    assert [r[0] for r in conn.execute("SELECT title FROM review")] == ["Before backup"]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    kept = sqlite3.connect(safety)
    assert len(kept.execute("SELECT title FROM review").fetchall()) == 2
    kept.close()
    assert store.review(1).title == "Before backup"  # the app goes on using the restored file


def test_restore_refuses_a_file_that_is_not_ours(folder: DataFolder, store, tmp_path: Path) -> None:  # noqa: ANN001
    store.create_review("Precious", "internal case review", "concern")
    other = tmp_path / "other.db"
    foreign_sqlite(other)
    with pytest.raises(StorageError, match="another program"):
        folder.restore(other)
    assert store.review(1).title == "Precious"


def test_the_folder_lock_excludes_filelock_and_itself(tmp_path: Path) -> None:
    """reviewer_tui.oslock takes the operating system's lock that filelock takes (flock; a lock
    on the first byte on Windows), so either one excludes the other, and a second open of the
    same folder in this process is refused too. Released, it can be taken again."""
    from filelock import FileLock, Timeout

    from reviewer_tui.oslock import Busy, FolderLock

    path = tmp_path / "reviews.db.lock"
    ours = FolderLock(path)
    ours.acquire()
    with pytest.raises(Busy):
        FolderLock(path).acquire(timeout=0.1)
    with pytest.raises(Timeout):
        FileLock(path, timeout=0).acquire()
    ours.release()
    theirs = FileLock(path, timeout=0)
    theirs.acquire()
    try:
        with pytest.raises(Busy):
            FolderLock(path).acquire()
    finally:
        theirs.release()
    again = FolderLock(path)
    again.acquire()
    again.release()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
