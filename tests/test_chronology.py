"""The chronology core: dates as people write them, the one sort order, filters, undo, the agency
code register and CSV export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import bundle, dates, deletion, domain
from reviewer_tui import chronology as ch
from reviewer_tui import models as m
from reviewer_tui.errors import DateProblem, InputError
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

TODAY = dt.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("text", "when", "precision"),
    [
        ("03/05/24", "2024-05-03", None),
        ("3/5/2024", "2024-05-03", None),
        ("03.05.2024", "2024-05-03", None),
        ("3 May 2024", "2024-05-03", None),
        ("3rd May 2024", "2024-05-03", None),
        ("3 Sept 2024", "2024-09-03", None),
        ("May 3, 2024", "2024-05-03", None),
        ("2024-05-03", "2024-05-03", None),
        ("2024-05-03T14:30", "2024-05-03T14:30", None),
        ("03/05/2024 14:30", "2024-05-03T14:30", None),
        ("3 May 2024 2.30pm", "2024-05-03T14:30", None),
        ("12/03/24 1430hrs", "2024-03-12T14:30", None),
        ("Feb 2025", "2025-02-01", "month"),
        ("2025-02", "2025-02-01", "month"),
        ("c. 15 Feb 2025", "2025-02-15", "approximate"),
        ("circa 15/02/2025 21:00", "2025-02-15T21:00", "approximate"),
        ("29/02/2024", "2024-02-29", None),
        ("01/01/99", "1999-01-01", None),  # more than a year ahead of today: last century
    ],
)
def test_dates_people_type_are_understood(text: str, when: str, precision: str | None) -> None:
    assert dates.parse(text, TODAY) == dates.When(when, precision)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31/02/2024", "impossible"),
        ("29/02/2023", "impossible"),
        ("05/23/2024", "ambiguous"),
        ("03/05", "ambiguous"),
        ("3 May", "ambiguous"),
        ("13/13/2024", "no month 13"),
        ("2024-13-01", "no month 13"),
        ("1/2/3", "not a year"),
        ("3 Mai 2024", "not a month"),
        ("yesterday", "not a date we can read"),
        ("", "no date given"),
        ("3 May 2024 25:00", "not a time"),
        ("May 2024 10:00", "no day"),
    ],
)
def test_ambiguous_or_impossible_dates_are_reported_not_guessed(text: str, says: str) -> None:
    with pytest.raises(DateProblem, match=says):
        dates.parse(text, TODAY)


def test_display_and_edit_text_round_trip() -> None:
    cases = [
        ("2025-02-01", "month", "Feb 2025"),
        ("2025-02-15", "approximate", "c. 15 Feb 2025"),
        ("2024-10-24T23:40", None, "24 Oct 2024 23:40"),
        ("2024-10-24", None, "24 Oct 2024"),
        ("2024-10-24T23:40", "approximate", "c. 24 Oct 2024 23:40"),
    ]
    for when, precision, shown in cases:
        assert ch.display_when(when, precision) == shown
        again = dates.parse(dates.edit_text(when, precision), TODAY)
        assert ch.effective_precision(again.when, again.precision) == ch.effective_precision(
            when, precision
        )
        assert again.when == when


def test_sort_key_follows_the_bundle_readme() -> None:
    # (date, sequence or 0, time or start of day, position)
    rows = [
        ("2024-01-02T09:00", None, 1),
        ("2024-01-02", None, 2),
        ("2024-01-02", 1, 3),
        ("2024-01-02T08:00", 1, 4),
        ("2024-01-01T23:59", None, 5),
        ("2024-01-02", None, 0),
    ]
    ordered = sorted(rows, key=lambda r: ch.sort_key(*r))
    assert [r[2] for r in ordered] == [5, 0, 2, 1, 3, 4]


def test_check_when_refuses_what_the_schema_refuses() -> None:
    dates.check_stored("2024-02-29", None)
    dates.check_stored("2024-02-29T10:00:30", "exact")
    for when, precision in (
        ("2025-02-29", None),
        ("2024-01-01T24:00", None),
        ("2024-1-1", None),
        ("2024-01-01", "exact"),
        ("2024-01-01T10:00", "month"),
        ("2024-01-01", "weekly"),
    ):
        with pytest.raises(InputError):
            dates.check_stored(when, precision)


def test_view_filters_combine(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    entries = ch.entries(store, rid)
    view = ch.ChronologyView(entries)
    assert [v.id for v in view.all] == [e.id for e in ch.sorted_entries(entries)]
    csc = view.filtered(ch.ChronologyFilter(source="CSC"))
    assert csc and all(v.source == "CSC" for v in csc)
    both = view.filtered(ch.ChronologyFilter(source="CSC", issue="Decision", significant_only=True))
    assert {v.entry.key for v in both} == {
        e.key for e in entries if e.source == "CSC" and "Decision" in e.issues and e.significant
    }
    assert view.filtered(ch.ChronologyFilter(known="unrecorded")) == []
    words = view.filtered(ch.ChronologyFilter(text="TYLER missing"))
    assert words and all("tyler" in v.haystack and "missing" in v.haystack for v in words)


def test_delete_and_restore_in_the_core(store: Store) -> None:
    rid = store.create_review("t", "internal case review", "concern")
    entry = ch.add_entry(store, rid, "2024-01-01", None, event="x", issues=["A", "A", "B"])
    assert entry.issues == ["A", "B"]
    deleted = deletion.delete(store, m.ChronologyEntry, entry.id)
    assert store.rows(m.ChronologyEntry, rid) == []
    deletion.undo(store, deleted)
    assert store.get(m.ChronologyEntry, entry.id).model_dump() == entry.model_dump()
    with pytest.raises(InputError):
        deletion.delete(store, m.ChronologyEntry, 99999)


def test_significance_answers_are_the_six_keys(store: Store) -> None:
    rid = store.create_review("t", "internal case review", "concern")
    entry = ch.add_entry(store, rid, "2024-01-01", None, event="x")
    with pytest.raises(InputError, match="Not a significance question"):
        ch.update_entry(store, entry.id, significance=["made_up"])
    assert len(domain.SIGNIFICANCE_QUESTIONS) == 6
    schema = bundle.schema()["$defs"]["chronology_entry"]["properties"]["significance"]
    assert list(domain.SIGNIFICANCE_KEYS) == schema["items"]["enum"]


def test_agency_register_is_seeded_editable_and_flags_unknown_sources(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    codes = [a.code for a in ch.ensure_agency_codes(store, rid)]
    assert not set(codes) & (set(domain.SUGGESTED_AGENCY_CODES) - {"POL"})  # suggestions only
    assert {"CSC", "EH", "POL", "SCH", "CAMHS", "HOU"} <= set(codes)
    assert codes.count("POL") == 1
    assert ch.unknown_sources(store, rid, codes) == {}

    # An organisation's code comes back when removed.
    hou = next(a for a in ch.agency_codes(store, rid) if a.code == "HOU")
    deletion.delete(store, m.AgencyCode, hou.id)
    codes = [a.code for a in ch.ensure_agency_codes(store, rid)]
    assert "HOU" in codes

    ch.add_entry(store, rid, "2024-01-01", None, event="x", source="GPX")
    assert ch.unknown_sources(store, rid, codes) == {"GPX": 1}
    ch.add_agency_code(store, rid, "GPX", "GP practice")
    with pytest.raises(InputError, match="already"):
        ch.add_agency_code(store, rid, "GPX")
    assert ch.free_code(store, rid) == "NEW"
    codes = [a.code for a in ch.agency_codes(store, rid)]
    assert ch.unknown_sources(store, rid, codes) == {}


def test_csv_export_is_in_date_order_and_keeps_text(store: Store, tmp_path: Path) -> None:
    rid = bundle.import_file(store, SAMPLE)
    ch.add_entry(
        store,
        rid,
        "2024-01-01",
        None,
        event='Line one\nline "two", {{ x }} 😊',
        source="POL",
        issues=["Decision", "Liaison"],
    )
    target = tmp_path / "out" / "chronology.csv"
    assert ch.export_csv(store, rid, target) == 20
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads accented names right
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == ch.CSV_HEADER
    assert rows[1][1] == 'Line one\nline "two", {{ x }} 😊' and rows[1][5] == "Decision; Liaison"
    assert rows[2][0] == "Sep 2024" and rows[2][7] == "month"
    whens = [r[6] for r in rows[1:]]
    assert any(r[0] == "c. 15 Feb 2025" for r in rows)
    entries = ch.sorted_entries(ch.entries(store, rid))
    assert whens == [e.when for e in entries]
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_default_export_name_holds_no_name() -> None:
    assert ch.default_export_name(7, TODAY) == "review-7-chronology-2025-09-01.csv"


def test_every_chronology_field_travels_in_the_bundle(store: Store, tmp_path: Path) -> None:
    rid = store.create_review("t", "internal case review", "concern")
    entry = ch.add_entry(
        store,
        rid,
        "2024-03-14",
        "approximate",
        sequence=2,
        event="Event ✓",
        source="POL",
        participation="PC 1",
        outcome="Advice",
        issues=["Decision"],
        known_at_the_time=False,
    )
    ch.update_entry(
        store,
        entry.id,
        significant=True,
        risk="r",
        response="s",
        partnership="p",
        learning="l",
        significance=["statutory_event", "learning_point"],
    )
    out = tmp_path / "b.json"
    exported = bundle.export_file(store, rid, out)["chronology"][0]
    assert exported == {
        "id": entry.key,
        "when": "2024-03-14",
        "date_precision": "approximate",
        "sequence": 2,
        "event": "Event ✓",
        "source": "POL",
        "participation": "PC 1",
        "outcome": "Advice",
        "issues": ["Decision"],
        "significant": True,
        "risk": "r",
        "response": "s",
        "partnership": "p",
        "learning": "l",
        "significance": ["statutory_event", "learning_point"],
        "known_at_the_time": False,
    }
    again = bundle.import_file(store, out)
    copy = ch.entries(store, again)[0]
    original = store.get(m.ChronologyEntry, entry.id)
    skip = {"id", "review_id", "position"}
    assert {k: v for k, v in copy.model_dump().items() if k not in skip} == {
        k: v for k, v in original.model_dump().items() if k not in skip
    }


# --- an entry added from the quick-entry form, and the form's draft --------------------------
def test_an_added_entry_and_the_forms_draft_after_it_are_stored_together(store: Store) -> None:
    rid = store.create_review("Draft test", "internal case review", "concern")
    ch.save_draft(store, rid, {"when": "12/03/2025", "source": "POL", "event": "Home visit"})
    entry = ch.add_entry(
        store, rid, "2025-03-12", event="Home visit", source="POL", draft_after={"source": "POL"}
    )
    assert [e.id for e in store.rows(m.ChronologyEntry, rid)] == [entry.id]
    assert ch.draft(store, rid) == {"source": "POL"}
    ch.add_entry(store, rid, "2025-03-13", event="Call", draft_after={"when": "", "later": False})
    assert ch.draft(store, rid) == {}


@pytest.mark.parametrize("failing", ["the entry", "the draft"])
def test_when_either_half_fails_neither_the_entry_nor_the_draft_changes(
    store: Store, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """One transaction: a crash or a full disk between the two used to leave the added entry's
    text as the draft, restored when the form next opened, so Enter added the entry twice."""
    rid = store.create_review("Draft test", "internal case review", "concern")
    typed = {"when": "12/03/2025", "source": "POL", "event": "Home visit"}
    ch.save_draft(store, rid, typed)
    if failing == "the draft":
        real = ch._put_draft

        def disk_full(session: Any, review_id: int, values: dict[str, Any]) -> None:
            real(session, review_id, values)
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(ch, "_put_draft", disk_full)
        with pytest.raises(OSError):
            ch.add_entry(store, rid, "2025-03-12", event="Home visit", draft_after={})
    else:
        with pytest.raises(InputError):  # refused by the validators as the entry is written
            ch.add_entry(store, rid, "2025-03-12", event="Visit", sequence="x", draft_after={})
    assert store.rows(m.ChronologyEntry, rid) == []
    assert ch.draft(store, rid) == typed
