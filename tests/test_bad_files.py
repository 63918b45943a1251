"""Damaged and foreign data files: each gets a specific plain message, no traceback, and the
file stays byte-identical (RELIABILITY.md rule 5). Encrypted files are covered in
test_encryption.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reviewer_tui import bundle
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from tests.conftest import REPO, SAMPLE


@pytest.fixture(scope="module")
def healthy_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = open_folder(tmp_path_factory.mktemp("healthy") / "data")
    store = Store(folder)
    for _ in range(3):
        bundle.import_file(store, SAMPLE)
    conn = folder.connect()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    folder.close()
    return folder.db_path


def truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def flip_bytes(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page, len(data), page * 3):  # the b-tree header of every third page
        for i in range(start, start + 12):
            data[i] ^= 0xFF
    db.write_bytes(bytes(data))


def wrong_header(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[0:16] = b"SQLite format 2\x00"
    db.write_bytes(bytes(data))


def bad_page_size(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[16:18] = (1000).to_bytes(2, "big")  # not a power of two
    db.write_bytes(bytes(data))


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (truncate, "damaged"),
    "bytes-flipped": (flip_bytes, "damaged"),
    "wrong-header": (wrong_header, "not an SQLite file"),
    "bad-page-size": (bad_page_size, "damaged"),
}


@pytest.mark.parametrize("case", CASES)
def test_damaged_file_gets_a_plain_message_and_is_untouched(
    healthy_db: Path, tmp_path: Path, case: str
) -> None:
    damage, expected = CASES[case]
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    db = data_dir / "reviews.db"
    shutil.copy(healthy_db, db)
    damage(db)
    before = db.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "reviewer_tui", "--data-dir", str(data_dir), "list"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
