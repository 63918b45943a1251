"""Stage 3, records examined: the core and the screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, TextArea

from reviewer_tui import bundle, deletion
from reviewer_tui import models as m
from reviewer_tui import records as rec
from reviewer_tui.errors import InputError
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from reviewer_tui.screens.records import RecordsScreen
from tests.conftest import SAMPLE, make_app, record_frames


def test_records_core(store: Store) -> None:
    rid = store.create_review("t", "internal case review", "concern")
    with pytest.raises(InputError, match="title"):
        rec.add_record(store, rid, "  ")
    first = rec.add_record(
        store,
        rid,
        "Child's electronic case record",
        kind="case record",
        holder="Children's Services",
        available=True,
    )
    second = rec.add_record(store, rid, "School safeguarding file", kind="manual file")
    rec.update_record(store, second.id, available=False, reason_unavailable="Destroyed in a flood")
    rec.add_record(store, rid, "LSCB procedures", kind="board procedure")
    with pytest.raises(InputError):
        rec.update_record(store, first.id, title="")
    basis = rec.basis(store, rid)
    assert basis.examined == ("Child's electronic case record",)
    assert basis.unavailable == (("School safeguarding file", "Destroyed in a flood"),)
    assert basis.not_yet_marked == ("LSCB procedures",)
    assert rec.summary_line(basis) == (
        "1 examined, 1 not available, 1 not yet marked available or not."
    )
    assert first.key != second.key and first.key.startswith("rec-")


def test_kind_options_keep_words_from_a_bundle(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    values = [v for _, v in rec.kind_options(rec.records(store, rid))]
    assert values[:5] == list(rec.RECORD_KINDS)
    assert "electronic case record" in values and len(values) == len(set(values))


async def test_one_record_is_counted_as_one_record(store: Store, folder: Any) -> None:
    rid = store.create_review("Records", "internal case review", "concern")
    rec.add_record(store, rid, "GP notes")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = RecordsScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        assert str(screen.query_one("#records-summary").render()).startswith("1 record: ")


async def test_records_screen_lists_adds_and_edits_as_you_type(store: Store, folder: Any) -> None:
    rid = bundle.import_file(store, SAMPLE)
    before = rec.records(store, rid)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = RecordsScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        table = screen.query_one("#records", DataTable)
        assert table.row_count == len(before)
        assert str(table.get_cell_at((0, 0))) == before[0].title[:40] or str(
            table.get_cell_at((0, 0))
        ).startswith(before[0].title[:20])
        assert "not available" in str(screen.query_one("#records-summary").render())

        await pilot.press("ctrl+n")
        await pilot.pause()
        assert table.row_count == len(before) + 1
        form = screen.query_one("#record-form")
        title = field_widget(form, "title", Input)
        assert screen.focused is title and title.value == "Untitled record"
        title.value = "Health visiting records"
        await pilot.pause()
        field_widget(form, "kind", Select).value = "case record"
        field_widget(form, "available", Select).value = False
        await pilot.pause()
        reason = field_widget(form, "reason_unavailable", TextArea)
        reason.focus()
        reason.insert("Held by another trust; requested 1 Aug, not received.")
        await pilot.pause()
        date_read = field_widget(form, "date_read", Input)
        date_read.focus()
        date_read.value = "31/02/2025"  # impossible: not saved, said so
        await pilot.pause()
        assert "NOT SAVED" in str(screen.query_one("SaveIndicator").render())
        date_read.value = "14/08/2025"
        await pilot.pause()
        assert "Saved" in str(screen.query_one("SaveIndicator").render())
        # The list shows the edits at once.
        last = table.row_count - 1
        assert [str(c) for c in table.get_row_at(last)] == [
            "Health visiting records",
            "case record",
            "",
            "14 Aug 2025",
            "NO",
        ]
        assert "2 not available" in str(screen.query_one("#records-summary").render())
        # Emptying a title is refused and the record keeps its old one.
        title.value = ""
        await pilot.pause()
        assert "NOT SAVED" in str(screen.query_one("SaveIndicator").render())

        # Delete the first record, then undo, then delete it again.
        table.focus()
        table.move_cursor(row=0)
        await pilot.pause()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert table.row_count == len(before)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert table.row_count == len(before) + 1
        table.move_cursor(row=0)
        await pilot.pause()
        await pilot.press("ctrl+d")
        await pilot.pause()

    rows = rec.records(store, rid)
    assert len(rows) == len(before)
    new = rows[-1]
    assert (new.title, new.kind, new.available) == ("Health visiting records", "case record", False)
    assert new.reason_unavailable == "Held by another trust; requested 1 Aug, not received."
    assert new.date_read is not None and new.date_read.isoformat() == "2025-08-14"
    assert before[0].key not in {r.key for r in store.rows(m.RecordExamined, rid)}
    # The bundle carries the whole record, date read included (schema version 2).
    exported = bundle.export_bundle(store, rid)["records_examined"][-1]
    assert exported["title"] == "Health visiting records" and exported["available"] is False
    assert exported["date_read"] == "2025-08-14"


def test_delete_and_restore_a_record_keeps_finding_links(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    exported = bundle.export_bundle(store, rid)
    cited = {(f["id"], r) for f in exported.get("findings", []) for r in f.get("record_ids", [])}
    if not cited:
        pytest.skip("the sample cites no records")
    finding_key, record_key = sorted(cited)[0]
    record = next(r for r in rec.records(store, rid) if r.key == record_key)
    snapshot = deletion.delete(store, m.RecordExamined, record.id)
    after_delete = bundle.export_bundle(store, rid)
    assert record_key not in next(
        f for f in after_delete["findings"] if f["id"] == finding_key
    ).get("record_ids", [])
    deletion.undo(store, snapshot)
    assert bundle.export_bundle(store, rid)["findings"] == exported["findings"]


async def test_the_records_open_in_one_frame_with_the_first_records_fields(
    store: Store, folder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fields of the record highlighted as the list opens (the first) are built with the
    screen: built after its first frame, they laid the screen out and drew it three times more.
    With no record, what to do is there from the first frame too."""
    from tests.test_layout80 import screen_text

    rid = store.create_review("Child R", "serious case review", "concern")
    empty = store.create_review("Child S", "serious case review", "concern")
    rec.add_record(store, rid, "Health visitor's records [/]")
    rec.add_record(store, rid, "School file")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(6):
            await pilot.pause()
        frames = record_frames(monkeypatch)
        for review, shown in ((rid, "Health visitor's records [/]"), (empty, "Add the first")):
            frames.clear()
            await app.push_screen(RecordsScreen(review))
            for _ in range(8):
                await pilot.pause()
            assert frames == ["full"]
            assert screen_text(app).count(shown) == (2 if review == rid else 1)  # list, field
            app.pop_screen()
            await pilot.pause()
        await app.push_screen(RecordsScreen(rid))
        await pilot.pause()
        await pilot.press("down")  # the next record's fields, as before
        for _ in range(8):
            await pilot.pause()
        assert field_widget(app.screen, "title").value == "School file"
