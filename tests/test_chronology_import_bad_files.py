"""Damaged or unusual agency chronology files: a one-line answer, never "Reading…" for ever
(issue "Trust" item 10). Core checks through read_file, screen checks with Pilot."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from reviewer_tui import chronology_import as ci
from reviewer_tui.errors import ImportFileError
from reviewer_tui.reviews import Store
from reviewer_tui.screens.chronology_import import ChronologyImportScreen
from tests.conftest import make_app
from tests.test_chronology_import import ROWS, word_chronology


def damaged(tmp_path: Path, name: str, change: Any) -> Path:
    """A copy of a good chronology .docx with its parts changed by `change(name, data)`
    (returning None drops the part)."""
    good = word_chronology(tmp_path / f"good-{name}", ROWS)
    target = tmp_path / name
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.namelist():
            data = change(item, source.read(item))
            if data is not None:
                out.writestr(item, data)
    return target


def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    def write(name: str, data: bytes) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    return {
        "not_a_zip": (
            write("notes.docx", b"These are my notes, not a Word file."),
            "'notes.docx' is not a Word document",
        ),
        "empty_docx": (write("blank.docx", b""), "'blank.docx' is empty"),
        "truncated_zip": (
            write("cut.docx", word_chronology(tmp_path / "whole.docx", ROWS).read_bytes()[:2000]),
            "'cut.docx' is not a Word document",
        ),
        "zip_without_document": (
            damaged(tmp_path, "nodoc.docx", lambda n, d: None if n == "word/document.xml" else d),
            "'nodoc.docx' is a zip file without a Word document in it",
        ),
        "damaged_xml": (
            damaged(
                tmp_path,
                "broken.docx",
                lambda n, d: d[: len(d) // 2] if n == "word/document.xml" else d,
            ),
            "'broken.docx' is damaged: its text cannot be read",
        ),
        "field_over_128_kb": (
            write("long.csv", b'Date,Event\n01/01/2024,"' + b"x" * 140_000 + b'"\n'),
            "'long.csv', line 2: a cell is longer than 131,072 characters",
        ),
        "unclosed_quote": (
            write("quote.csv", b'Date,Event\n01/01/2024,"Visit\n' + b"more text\n" * 20_000),
            "'quote.csv', line 2: a cell is longer than 131,072",
        ),
        "empty_csv": (write("nothing.csv", b""), "'nothing.csv' is empty"),
        "binary_as_csv": (
            write("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
            "'photo.csv' is not a text file",
        ),
    }


CASES = [
    "not_a_zip",
    "empty_docx",
    "truncated_zip",
    "zip_without_document",
    "damaged_xml",
    "field_over_128_kb",
    "unclosed_quote",
    "empty_csv",
    "binary_as_csv",
]


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_gets_one_plain_line(tmp_path: Path, case: str) -> None:
    path, expected = bad_files(tmp_path)[case]
    with pytest.raises(ImportFileError) as refused:
        ci.read_file(path)
    message = str(refused.value)
    assert expected in message, message
    assert "\n" not in message and len(message) < 300


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("wb") as handle:
        handle.truncate(ci.MAX_FILE_BYTES + 1)
    with pytest.raises(ImportFileError, match="export.csv is too large to be an agency chronology"):
        ci.read_file(path)


def test_a_docx_that_unpacks_to_too_much_is_refused(tmp_path: Path) -> None:
    bomb = damaged(tmp_path, "bomb.docx", lambda n, d: d)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("word/media/padding.bin", b"\0" * (ci.MAX_FILE_BYTES + 1))
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(ImportFileError, match="unpacks to more than"):
        ci.read_file(bomb)


def test_excel_unicode_text_in_utf16_is_read(tmp_path: Path) -> None:
    """Excel's 'Unicode Text' is UTF-16 with a byte-order mark, tab-separated."""
    path = tmp_path / "excel.txt"
    text = "Date & Time\tEvent\tSource\r\n12/03/2024\tHome visit by Zoë\tCSC\r\n"
    path.write_bytes(text.encode("utf-16"))
    table = ci.read_file(path)
    assert [row.cells[:3] for row in table.rows] == [("12/03/2024", "Home visit by Zoë", "CSC")]


async def read_on_screen(folder: Any, store: Store, path: Path) -> str:
    rid = store.create_review("Import test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ChronologyImportScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#path", Input).value = str(path)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        return str(screen.query_one("#notes").render())


@pytest.mark.parametrize("case", ["damaged_xml", "field_over_128_kb"])
async def test_the_screen_says_what_is_wrong_instead_of_reading_for_ever(
    folder: Any, store: Store, tmp_path: Path, case: str
) -> None:
    path, expected = bad_files(tmp_path)[case]
    shown = await read_on_screen(folder, store, path)
    assert "Reading" not in shown and expected in shown, shown


async def test_an_unexpected_failure_while_reading_is_shown(
    folder: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(path: Path) -> ci.RawTable:
        raise RuntimeError("the [b]parser[/b] fell over")

    monkeypatch.setattr(ci, "read_file", fails)
    shown = await read_on_screen(folder, store, tmp_path / "any.csv")
    assert "Reading" not in shown
    assert "any.csv could not be read: the [b]parser[/b] fell over" in shown, shown
