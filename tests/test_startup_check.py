"""The opening check of a file this app left as it is (issue 14, start-up): its quick_check (about
130 ms of CPU for the large review) waits until after the first frame, and meanwhile only
read-only connections reach the file; anything that writes waits for it. A file changed in any
way since it was stamped is checked whole before anything reads it, and damage the stamp cannot
see (the disk's own) is still found, after the first frame, and the file refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reviewer_tui import bundle, read_model
from reviewer_tui.cli import open_folder
from reviewer_tui.errors import StorageError
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import FIXED_TODAY, SAMPLE, wait_until


def starting(data_dir: Path) -> DataFolder:
    """Open the folder as the app's start does (its check beside the app's imports)."""
    return open_folder(data_dir, meanwhile=lambda _folder: None)


@pytest.fixture
def stamped(data_dir: Path) -> Path:
    """A folder holding the sample review, closed by the app after a check that passed."""
    folder = open_folder(data_dir)
    bundle.import_file(Store(folder), SAMPLE)
    folder.close()
    assert not folder.stamp_path.exists()  # a command leaves no stamp
    folder = starting(data_dir)  # the app's session: checked whole on opening
    folder.close()
    assert folder.stamp_path.is_file()
    return data_dir


def test_a_file_as_this_app_left_it_is_read_first_and_checked_after(stamped: Path) -> None:
    folder = starting(stamped)
    try:
        assert folder.full_check_pending
        rows = read_model.EarlyReviewList(folder, FIXED_TODAY).take(FIXED_TODAY)
        assert rows is not None and len(rows) == 1  # the first frame's read did not wait
        assert folder.full_check_pending  # ... and did not start the quick_check either
        reader = folder.connect_to_read()
        try:
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                reader.execute("UPDATE review SET title = 'x'")
        finally:
            reader.close()
        writer = folder.connect()  # waits for the quick_check, which passes
        writer.close()
        assert not folder.full_check_pending
    finally:
        folder.close()


def test_a_file_changed_since_its_stamp_is_checked_whole_first(stamped: Path) -> None:
    db = stamped / "reviews.db"
    other = sqlite3.connect(db)  # another program writes to it (its WAL folded in on close)
    other.execute("UPDATE review SET title = 'changed elsewhere'")
    other.commit()
    other.close()
    folder = starting(stamped)
    try:
        assert not folder.full_check_pending
    finally:
        folder.close()
    folder = starting(stamped)  # closed by the app after its check: stamped again
    try:
        assert folder.full_check_pending
        conn = folder.connect()
        conn.execute("UPDATE review SET title = 'changed here'")
        conn.close()
        keeper_wal = Path(f"{db}-wal")
        assert keeper_wal.stat().st_size > 32  # the change is still in the -wal...
        assert not DataFolder(stamped)._unchanged_since_checked()  # ... so the stamp is not used
    finally:
        folder.close()


def damage_where_the_start_does_not_read(db: Path) -> None:
    """Garble the root page of the chronology (never read before the first frame) and stamp
    the file again, as damage done by the disk itself would leave its size and times alone."""
    conn = sqlite3.connect(db)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'chronology_entry'")
    root = page.fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    for i in range(start, start + 12):
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))
    folder = DataFolder(db.parent)
    folder.stamp_path.write_text(folder._file_stamp(), encoding="ascii")


def test_damage_the_stamp_cannot_see_is_refused_before_any_write(stamped: Path) -> None:
    db = stamped / "reviews.db"
    damage_where_the_start_does_not_read(db)
    before = db.read_bytes()
    folder = starting(stamped)
    try:
        assert folder.full_check_pending
        with pytest.raises(StorageError, match="is damaged"):
            folder.connect()
        with pytest.raises(StorageError, match="is damaged"):
            folder.connect()  # every later caller too
    finally:
        folder.close()
    assert db.read_bytes() == before
    assert not folder.stamp_path.exists()  # the next start checks it whole before anything
    with pytest.raises(StorageError, match="is damaged"):
        starting(stamped)
    assert db.read_bytes() == before


@pytest.mark.parametrize("read_early", [True, False], ids=["as-started", "list-reads-itself"])
async def test_the_app_refuses_a_file_found_damaged_after_its_first_frame(
    stamped: Path, read_early: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """As the command starts it (the list read beside the imports) and as tests make it (the
    list's own read, which waits for the quick_check): a plain message, no crash."""
    from reviewer_tui.screens.app import ReviewerApp

    db = stamped / "reviews.db"
    damage_where_the_start_does_not_read(db)
    before = db.read_bytes()
    folder = starting(stamped)
    try:
        early = read_model.EarlyReviewList(folder, FIXED_TODAY) if read_early else None
        app = ReviewerApp(folder, today=lambda: FIXED_TODAY, early_list=early)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: app.return_code == 1, what="the app to refuse it")
        said = " ".join(capsys.readouterr().err.split())  # printed as the app left
        assert "unexpected error" not in said and "Traceback" not in said
        assert "is damaged" in said and "Restore the latest backup" in said
    finally:
        folder.close()
    assert db.read_bytes() == before


def test_closing_during_the_quick_check_stops_it_and_keeps_the_stamp(stamped: Path) -> None:
    """Quitting need not wait for the check (seconds on a busy machine): close() interrupts it,
    which is neither a pass nor a failure, so the next start leaves it until after the first
    frame again. Closed before it started, the same."""
    for start_it in (True, False):
        folder = starting(stamped)
        assert folder.full_check_pending
        if start_it:
            folder.check_pages_in_background()
        folder.close()
        assert folder._pages_failed is None
        assert folder.stamp_path.is_file()
        again = starting(stamped)
        try:
            assert again.full_check_pending
        finally:
            again.close()


def test_a_paused_quick_check_is_begun_again_by_whatever_connects_next(stamped: Path) -> None:
    """The app pauses the check as it quits; a save on the way out must still wait for a
    whole check, never slip past a paused one."""
    folder = starting(stamped)
    try:
        for _ in range(3):
            folder.check_pages_in_background()
            folder.pause_page_check()
        conn = folder.connect()
        conn.close()
        assert not folder.full_check_pending and folder._pages_passed
    finally:
        folder.close()
