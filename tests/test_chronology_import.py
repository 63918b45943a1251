"""Importing an agency's chronology from the seed 003 Word proforma and from CSV, through the
preview: every problem shown, the agency code chosen, duplicates caught, only accepted rows added."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import pytest
from textual.widgets import DataTable, Input, Select

from reviewer_tui import chronology as ch
from reviewer_tui import chronology_import as ci
from reviewer_tui import dates
from reviewer_tui import models as m
from reviewer_tui.errors import ImportFileError, InputError
from reviewer_tui.reviews import Store
from reviewer_tui.screens.chronology_import import ChronologyImportScreen
from tests.conftest import FIXED_TODAY, make_app

HEADER = ("Date & Time", "Event", "Source", "Participation", "Outcome", "Issues")


def word_chronology(path: Path, rows: list[tuple[str, ...]]) -> Path:
    """A Word document like the seed 003 proforma: a heading, then the six-column table."""
    document = docx.Document()
    document.add_paragraph("The Family: Multi-Agency Practice Review Recording System")
    document.add_paragraph("Initials used: AB = Anne Bell (Health Visitor)")
    table = document.add_table(rows=1 + len(rows), cols=6)
    for cell, text in zip(table.rows[0].cells, HEADER, strict=False):
        cell.text = text
    for row, values in zip(table.rows[1:], rows, strict=False):
        for cell, text in zip(row.cells, values, strict=False):
            cell.text = text
    document.save(str(path))
    return path


def review_with_existing_entry(store: Store) -> int:
    rid = store.create_review("Import test", "internal case review", "concern")
    ch.add_entry(
        store,
        rid,
        "2024-03-12T10:30",
        None,
        event="Strategy discussion held by telephone.",
        source="POL",
    )
    return rid


ROWS = [
    (
        "12/03/24",
        "Health visitor home visit; baby weighed.",
        "",
        "AB; mother",
        "Weight static",
        "Assessment, Liaison",
    ),  # row 2: good
    ("31/02/2024", "Clinic letter sent.", "CDDFT", "", "", "Communication"),  # row 3: bad date
    ("3 May 2024", "GP notified of missed appointments.", "GPX", "", "", ""),  # row 4: unknown code
    (
        "12/03/2024 10:30",
        "Strategy discussion held by telephone",
        "POL",
        "",
        "",
        "Decision",
    ),  # row 5: duplicate
    ("14/05/2024", "", "CDDFT", "", "", ""),  # row 6: missing event
    (
        "2024-06-01",
        "Case closed to health visiting.\nTransfer to school nurse.",
        "CDDFT",
        "",
        "",
        "Decision",
    ),  # row 7: good
    ("dd/mm/yy", "", "", "", "", "Decision"),  # proforma blank row
    (
        "c. 20 June 2024",
        "Mother said she had moved in with her sister.",
        "cddft",
        "",
        "",
        "",
    ),  # row 9
]


async def test_word_chronology_through_the_preview(
    store: Store, folder: Any, tmp_path: Path
) -> None:
    rid = review_with_existing_entry(store)
    # the register is the review's own organisations: the trust the chronology comes from
    store.add_row(m.Organisation, rid, name="County Durham and Darlington NHS Trust", code="CDDFT")
    store.add_row(m.Organisation, rid, name="Police", code="POL")
    path = word_chronology(tmp_path / "health chronology.docx", ROWS)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ChronologyImportScreen(rid)
        added: list[int] = []
        await app.push_screen(screen, added.append)
        await pilot.pause()
        path_input = screen.query_one("#path", Input)
        path_input.focus()
        path_input.value = str(path)
        screen.query_one("#agency", Select).value = "CDDFT"
        await pilot.press("enter")  # read the file
        await app.workers.wait_for_complete()
        await pilot.pause()

        problems = {r.number: r.all_problems for r in screen.rows}
        assert list(problems) == [2, 3, 4, 5, 6, 7, 9]  # the blank proforma row is skipped
        assert problems[2] == [] and problems[7] == [] and problems[9] == []
        assert (
            len(problems[3]) == 1
            and "unreadable date" in problems[3][0]
            and "impossible" in problems[3][0]
        )
        assert len(problems[4]) == 1 and "unknown source code 'GPX'" in problems[4][0]
        assert len(problems[5]) == 1 and "likely duplicate" in problems[5][0]
        assert problems[6] == ["missing event"]
        # Every problem is on screen: in the table and in the list under it.
        table = screen.query_one("#preview", DataTable)
        assert table.row_count == 7
        listed = str(screen.query_one("#problems").render())
        for number in (3, 4, 5, 6):
            assert f"Row {number}:" in listed
            assert str(table.get_cell(str(number), "problems")) == "; ".join(problems[number])
        assert "1 empty proforma rows were skipped" in str(screen.query_one("#notes").render())
        assert [r.number for r in screen.rows if r.accepted] == [2, 7, 9]

        # The reviewer accepts the unknown-code row after all (it goes in under CDDFT), tries to
        # accept the bad date (refused), and leaves the duplicate out.
        table.focus()
        table.move_cursor(row=2)  # row 4 of the file
        await pilot.press("space")
        table.move_cursor(row=1)  # row 3: bad date
        await pilot.press("space")
        await pilot.pause()
        assert [r.number for r in screen.rows if r.accepted] == [2, 4, 7, 9]
        assert "Add 4 accepted rows" in str(screen.query_one("#commit").label)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert added == [4]

    stored = store.rows(m.ChronologyEntry, rid)
    imported = stored[1:]
    assert [(e.when, e.date_precision, e.source, e.event) for e in imported] == [
        ("2024-03-12", None, "CDDFT", "Health visitor home visit; baby weighed."),
        ("2024-05-03", None, "CDDFT", "GP notified of missed appointments."),
        ("2024-06-01", None, "CDDFT", "Case closed to health visiting.\nTransfer to school nurse."),
        ("2024-06-20", "approximate", "CDDFT", "Mother said she had moved in with her sister."),
    ]
    assert imported[0].participation == "AB; mother" and imported[0].outcome == "Weight static"
    assert imported[0].issues == ["Assessment", "Liaison"]
    assert len({e.key for e in stored}) == len(stored)
    assert [e.position for e in stored] == sorted(e.position for e in stored)


def test_csv_import_reads_headers_in_any_order(store: Store, tmp_path: Path) -> None:
    rid = review_with_existing_entry(store)
    path = tmp_path / "police.csv"
    path.write_text(
        "Source,Date,Event,Outcome,Issues,Participation\r\n"
        'POL,07/11/24 21:55,"Child reported missing, found at 23:10",Returned home,'
        '"Decision; Liaison",PC 123\r\n'
        "POL,05/23/2024,Officer visited,,,\r\n"
        ',1 Apr 2024,"Quoted ""text"" kept",,,\r\n',
        encoding="utf-8",
    )
    table = ci.read_file(path)
    codes = {a.code: a.name for a in ch.ensure_agency_codes(store, rid)}
    rows = ci.build_preview(table, "POL", codes, ch.entries(store, rid), FIXED_TODAY)
    assert rows[0].when == dates.When("2024-11-07T21:55", None)
    assert rows[0].values()["issues"] == ["Decision", "Liaison"]
    assert rows[0].cells[3] == "PC 123" and rows[0].cells[4] == "Returned home"
    assert "ambiguous" in rows[1].problems[0] and not rows[1].accepted
    assert rows[2].source == "POL" and rows[2].event == 'Quoted "text" kept'
    assert ci.commit(store, rid, "POL", rows) == 2
    assert len(store.rows(m.ChronologyEntry, rid)) == 3


def test_csv_in_windows_encoding_without_header(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes("01/02/2024,Caf\xe9 meeting with m\xe8re,CYPS,,,\r\n".encode("cp1252"))
    table = ci.read_file(path)
    assert table.rows[0].cells[1] == "Café meeting with mère"
    assert any("Windows-1252" in note for note in table.notes)
    assert any("No header row" in note for note in table.notes)


def test_commit_is_all_or_nothing_and_adds_a_new_agency_code(store: Store, tmp_path: Path) -> None:
    rid = review_with_existing_entry(store)
    path = word_chronology(
        tmp_path / "c.docx",
        [("01/01/2024", "Good", "", "", "", ""), ("bad", "Bad date", "", "", "", "")],
    )
    rows = ci.build_preview(ci.read_file(path), "HV", {}, [], FIXED_TODAY)
    rows[1].accepted = True  # a row that cannot be stored: the whole import is refused
    with pytest.raises(InputError, match="Row 3"):
        ci.commit(store, rid, "HV", rows)
    assert len(store.rows(m.ChronologyEntry, rid)) == 1
    rows[1].accepted = False
    assert ci.commit(store, rid, "HV", rows, agency_name="Health Visiting") == 1
    codes = {a.code: a.name for a in ch.agency_codes(store, rid)}
    assert codes["HV"] == "Health Visiting"


def test_files_that_are_not_chronologies_get_a_plain_answer(tmp_path: Path) -> None:
    not_word = tmp_path / "x.docx"
    not_word.write_bytes(b"not a zip")
    with pytest.raises(ImportFileError, match="not a Word document"):
        ci.read_file(not_word)
    empty = docx.Document()
    empty.add_paragraph("no table here")
    empty.save(str(tmp_path / "empty.docx"))
    with pytest.raises(ImportFileError, match="holds no table"):
        ci.read_file(tmp_path / "empty.docx")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileError, match="save it as .docx"):
        ci.read_file(tmp_path / "old.doc")
    with pytest.raises(ImportFileError, match="no file"):
        ci.read_file(tmp_path / "missing.csv")


def test_duplicates_within_the_same_file_are_shown(tmp_path: Path) -> None:
    path = word_chronology(
        tmp_path / "d.docx",
        [
            ("01/01/2024", "Home visit.", "", "", "", ""),
            ("1 Jan 2024", "Home visit", "", "", "", ""),
        ],
    )
    rows = ci.build_preview(ci.read_file(path), "CYPS", {"CYPS": ""}, [], dt.date(2025, 1, 1))
    assert rows[0].accepted and not rows[1].accepted
    assert rows[1].duplicate_of == "row 2 of this file"


def test_a_shortened_copy_of_an_existing_event_is_a_likely_duplicate(store: Store) -> None:
    rid = store.create_review("t", "internal case review", "concern")
    ch.add_entry(
        store,
        rid,
        "2024-11-07T21:55",
        None,
        source="POL",
        event="Tyler went missing for the second time. Police found him at 01:10 at a "
        "friend's flat and took him home.",
    )
    table = ci.RawTable(
        (
            ci.RawRow(2, ("07/11/2024", "Tyler went missing for the second time.", "", "", "", "")),
            ci.RawRow(3, ("07/11/2024", "School nurse saw Tyler about headaches.", "", "", "", "")),
        )
    )
    rows = ci.build_preview(table, "SCH", {"SCH": ""}, ch.entries(store, rid), FIXED_TODAY)
    assert rows[0].duplicate_of.startswith("the entry of 7 Nov 2024 21:55 (POL)")
    assert rows[1].duplicate_of == "" and rows[1].accepted
