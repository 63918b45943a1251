"""Stage 3, records examined: the core and the screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, Input, Select, TextArea

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui import records as rec
from reviewer_tui.reviews import InputError, Store
from reviewer_tui.screens.records import RecordsScreen
from tests.conftest import SAMPLE, make_app


def test_records_core(store: Store) -> None:
    rid = store.create_review("t", "internal case review", "concern")
    with pytest.raises(InputError, match="title"):
        rec.add_record(store, rid, "  ")
    first = rec.add_record(store, rid, "Child's electronic case record", kind="case record",
                           holder="Children's Services", available=True)
    second = rec.add_record(store, rid, "School safeguarding file", kind="manual file")
    rec.update_record(store, second.id, available=False, reason_unavailable="Destroyed in a flood")
    rec.add_record(store, rid, "LSCB procedures", kind="board procedure")
    with pytest.raises(InputError):
        rec.update_record(store, first.id, title="")
    basis = rec.basis(store, rid)
    assert basis.examined == ("Child's electronic case record",)
    assert basis.unavailable == (("School safeguarding file", "Destroyed in a flood"),)
    assert basis.not_yet_marked == ("LSCB procedures",)
    assert rec.summary_line(basis) == ("1 examined, 1 not available, 1 not yet marked available "
                                       "or not.")
    assert first.key != second.key and first.key.startswith("rec-")


def test_kind_options_keep_words_from_a_bundle(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    values = [v for _, v in rec.kind_options(rec.records(store, rid))]
    assert values[:5] == list(rec.RECORD_KINDS)
    assert "electronic case record" in values and len(values) == len(set(values))


async def test_records_screen_adds_and_edits_as_you_type(store: Store, folder: Any) -> None:
    rid = bundle.import_file(store, SAMPLE)
    count = len(rec.records(store, rid))
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = RecordsScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        assert len(screen.query(".row")) == count
        await pilot.press("ctrl+n")
        await pilot.pause()
        box = screen.query(".row").last()
        title = box.query_one("#f-title", Input)
        title.focus()
        title.value = "Health visiting records"
        await pilot.pause()
        box.query_one("#f-kind", Select).value = "case record"
        box.query_one("#f-available", Select).value = False
        await pilot.pause()
        reason = box.query_one("#f-reason_unavailable", TextArea)
        reason.focus()
        reason.insert("Held by another trust; requested 1 Aug, not received.")
        await pilot.pause()
        date_read = box.query_one("#f-date_read", Input)
        date_read.focus()
        date_read.value = "31/02/2025"  # impossible: not saved, said so
        await pilot.pause()
        assert "NOT SAVED" in str(screen.query_one("SaveIndicator").render())
        date_read.value = "14/08/2025"
        await pilot.pause()
        assert "Saved" in str(screen.query_one("SaveIndicator").render())
        assert "not available" in str(screen.query_one("#records-summary").render())
        # Emptying a title is refused and the record keeps its old one.
        title.value = ""
        await pilot.pause()
        assert "NOT SAVED" in str(screen.query_one("SaveIndicator").render())
        # Delete another record.
        screen.query(".row").first().query_one(".delete-row", Button).press()
        await pilot.pause()

    rows = rec.records(store, rid)
    assert len(rows) == count
    new = rows[-1]
    assert (new.title, new.kind, new.available) == ("Health visiting records", "case record", False)
    assert new.reason_unavailable == "Held by another trust; requested 1 Aug, not received."
    assert new.date_read is not None and new.date_read.isoformat() == "2025-08-14"
    assert "doc-1" not in {r.key for r in store.rows(m.RecordExamined, rid)}
    # The bundle carries what it has keys for; date read and notes stay in the app.
    exported = bundle.export_bundle(store, rid)["records_examined"][-1]
    assert exported["title"] == "Health visiting records" and exported["available"] is False
    assert "date_read" not in exported
