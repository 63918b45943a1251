"""The change history and signed records (issue 15 items 2 and 3), in the core."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest

from reviewer_tui import bundle, history
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.errors import Locked
from reviewer_tui.read_model import reading, review_attention
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE


class Clock:
    """domain.utc_now as history sees it, moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        monkeypatch.setattr(history.domain, "utc_now", lambda: self.now)

    def tick(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def _entries(store: Store, review_id: int) -> list[history.Change]:
    return history.history_of(store, review_id)


def _finding(store: Store) -> tuple[int, int]:
    rid = store.create_review("Child H", "internal case review", "concern")
    for n in range(3):
        store.add_row(m.Finding, rid, key=f"f-{n + 1}", statement=f"Finding number {n + 1}")
    return rid, store.rows(m.Finding, rid)[2].id


def test_keystroke_saves_within_the_pause_are_one_entry_and_a_pause_starts_another(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    rid, fid = _finding(store)
    typed = ""
    for ch in "Supervision was":  # one save per key, a second apart
        typed += ch
        store.update(m.Finding, fid, notes=typed)
        clock.tick(1)
    entries = _entries(store, rid)
    assert len(entries) == 1
    assert entries[0].words == "Finding 3, Notes: changed from blank to “Supervision was”"
    clock.tick(61)  # a pause longer than a minute: a new entry
    store.update(m.Finding, fid, notes="Supervision was monthly")
    entries = _entries(store, rid)
    assert [e.words for e in entries] == [
        "Finding 3, Notes: changed from “Supervision was” to “Supervision was monthly”",
        "Finding 3, Notes: changed from blank to “Supervision was”",
    ]
    # another field is its own entry even within the pause
    store.update(m.Finding, fid, statement="Plans drifted")
    assert _entries(store, rid)[0].words == (
        "Finding 3, Finding: changed from “Finding number 3” to “Plans drifted”"
    )


def test_steady_typing_still_leaves_a_value_every_ten_minutes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    rid, fid = _finding(store)
    for n in range(12):  # 11 minutes of saves, one every 55 seconds: never a long pause
        store.update(m.Finding, fid, notes="x" * (n + 1))
        clock.tick(55)
    assert len(_entries(store, rid)) == 2


def test_a_restore_puts_back_the_earlier_value_and_is_recorded(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    rid, fid = _finding(store)
    store.update(m.Finding, fid, statement="Second wording [red]x[/red]")
    clock.tick(120)
    store.update(m.Recommendation, store.add_row(m.Recommendation, rid, key="r-1").id, due=None)
    store.update(m.Scope, rid, period_from=dt.date(2024, 1, 5))
    clock.tick(120)
    store.update(m.Scope, rid, period_from=dt.date(2024, 2, 1))
    change = next(e for e in _entries(store, rid) if e.column == "statement")
    assert history.restore(store, change.id) == "Finding number 3"
    assert store.get(m.Finding, fid).statement == "Finding number 3"
    newest = _entries(store, rid)[0]
    assert newest.kind == "restore"
    assert newest.words == (
        "Finding 3, Finding: restored to “Finding number 3” (was “Second wording [red]x[/red]”)"
    )
    dated = next(e for e in _entries(store, rid) if e.old == "2024-01-05")
    assert dated.words == "Terms of reference, Period from: changed from 5 Jan 2024 to 1 Feb 2024"
    history.restore(store, dated.id)
    assert store.get(m.Scope, rid).period_from == dt.date(2024, 1, 5)  # a date again


def test_notes_saved_per_key_are_recorded_in_one_entry(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    rid = store.create_review("Child N", "internal case review", "concern")
    interview = iv.add_interview(store, rid, iv.add_person(store, rid, "Amélie Durand").id)
    before = "Present: [the reviewer]"
    iv.save_notes(store, interview.id, before)
    Clock(monkeypatch).tick(3600)
    for n in range(1, 6):
        iv.save_notes(store, interview.id, before + "!" * n)
    notes = [e for e in _entries(store, rid) if e.column == "notes"]
    assert notes[0].old == before and notes[0].new == before + "!!!!!"
    assert notes[0].words == (
        "Interview record with Amélie Durand, Notes: changed from “Present: [the reviewer]” "
        "to “Present: [the reviewer]!!!!!”"
    )


def test_a_history_entry_is_written_in_the_same_transaction_as_the_change(store: Store) -> None:
    rid = store.create_review("Child N", "internal case review", "concern")
    interview = iv.add_interview(store, rid, iv.add_person(store, rid, "Ann Example").id)
    with pytest.raises(Exception, match="NOT NULL"):  # the row's UPDATE fails after the hook
        store.update(m.Interview, interview.id, notes="kept?", person_id=None)
    assert store.get(m.Interview, interview.id).notes == ""
    assert _entries(store, rid) == []


# --- signed means signed ------------------------------------------------------------------------
def _signed_interview(store: Store) -> tuple[int, int]:
    rid = bundle.import_file(store, SAMPLE)
    interview = store.rows(m.Interview, rid)[0]
    store.update(
        m.Interview,
        interview.id,
        signed_by_interviewee=True,
        signed_by_interviewer=True,
        agreed_on=dt.date(2025, 9, 1),
    )
    return rid, interview.id


def test_a_signed_record_asks_for_a_reason_and_then_reads_changed_after_signing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    rid, iid = _signed_interview(store)
    before = store.get(m.Interview, iid).notes
    with pytest.raises(Locked) as refused:
        iv.save_notes(store, iid, before + " typed")
    assert "signed by both" in str(refused.value)
    with pytest.raises(Locked):
        store.update(m.Interview, iid, interviewee_comments="Silently?")
    assert store.get(m.Interview, iid).notes == before  # nothing stored
    with reading(store.folder) as conn:
        assert not any(u.id == iid for u in review_attention(conn, rid, None).unsigned)

    iv.save_notes(store, iid, before + " t", reason="Interviewee's correction [of 2 Oct]")
    clock.tick(1)
    iv.save_notes(store, iid, before + " typed")  # no longer locked: no reason asked
    entry = _entries(store, rid)[0]
    assert entry.reason == "Interviewee's correction [of 2 Oct]" and entry.new == before + " typed"
    with reading(store.folder) as conn:
        (record,) = [u for u in review_attention(conn, rid, None).unsigned if u.id == iid]
    assert record.state == "changed after signing" and record.changed == "changed after signing"

    # signed again: a signature recorded after the change locks it again
    clock.tick(5)
    store.update(m.Interview, iid, interviewer_signed_on=dt.date(2025, 10, 3))
    with reading(store.folder) as conn:
        assert not any(u.id == iid for u in review_attention(conn, rid, None).unsigned)
    with pytest.raises(Locked):
        store.update(m.Interview, iid, notes="again")


def test_an_agreed_record_and_a_final_report_are_locked_in_their_own_terms(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    rid = store.create_review("Child F", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Example")
    interview = iv.add_interview(store, rid, person.id)
    store.update(m.Interview, interview.id, agreed_on=dt.date(2025, 9, 1))
    with pytest.raises(Locked) as refused:
        store.update(m.Interview, interview.id, notes="x")
    assert refused.value.question == "This interview record is agreed. Why change it?"
    with history.changing(reason="typo"):
        store.update(m.Interview, interview.id, notes="x")
    with reading(store.folder) as conn:
        (record,) = review_attention(conn, rid, None).unsigned
    assert record.state == "changed after it was agreed"

    draft = store.add_row(m.ReportDraft, rid, version="Final", document="management-review")
    with pytest.raises(Locked) as refused:
        store.update(m.ReportDraft, draft.id, notes="after the fact")
    assert refused.value.question == "This final report is final. Why change it?"
    with history.changing(reason="Commissioner asked"):
        store.update(m.ReportDraft, draft.id, notes="after the fact")
    with reading(store.folder) as conn:
        (changed,) = review_attention(conn, rid, None).changed
    assert changed.line == "Final report (draft register): changed after it was made final"


def test_a_chronology_entry_locks_once_its_agency_confirmed_its_chronology(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    rid = store.create_review("Child C", "internal case review", "concern")
    code = store.add_row(m.AgencyCode, rid, code="SW", name="Social work")
    entry = store.add_row(m.ChronologyEntry, rid, key="c-1", when="2024-05-03", source="SW")
    store.update(m.ChronologyEntry, entry.id, event="Home visit")  # not confirmed: free
    store.update(m.AgencyCode, code.id, chronology_confirmed_on=dt.date(2025, 1, 10))
    with pytest.raises(Locked) as refused:
        store.update(m.ChronologyEntry, entry.id, event="Home visit, child seen")
    assert refused.value.question == (
        "This chronology entry is confirmed by its agency (SW). Why change it?"
    )
    with history.changing(reason="SW's own correction"):
        store.update(m.ChronologyEntry, entry.id, event="Home visit, child seen")
    with reading(store.folder) as conn:
        (changed,) = review_attention(conn, rid, None).changed
    assert (
        changed.line
        == "Chronology entry 3 May 2024 (SW): changed after SW confirmed its chronology"
    )
    clock.tick(3)
    store.update(m.AgencyCode, code.id, chronology_confirmed_on=dt.date(2025, 2, 1))
    with reading(store.folder) as conn:
        assert review_attention(conn, rid, None).changed == ()


def test_deleting_a_review_deletes_its_history(store: Store) -> None:
    rid, fid = _finding(store)
    store.update(m.Finding, fid, statement="A name that must go")
    store.delete_review(rid, "Child H")
    with reading(store.folder) as conn:
        assert conn.execute("SELECT count(*) FROM change_entry").fetchone()[0] == 0


# --- the bundle ---------------------------------------------------------------------------------
def test_the_history_goes_round_the_bundle_and_old_bundles_still_import(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    rid, iid = _signed_interview(store)
    with history.changing(reason="Correction [agreed]"):
        store.update(m.Interview, iid, interviewee_comments="Later comment")
    store.update(m.Scope, rid, period_from=dt.date(2024, 1, 5))
    target = tmp_path / "out.json"
    bundle.export_file(store, rid, target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["change_history"]
    copy = bundle.import_file(store, target)
    before = [
        (e.item, e.field, e.old, e.new, e.when, e.kind, e.reason) for e in _entries(store, rid)
    ]
    after = [
        (e.item, e.field, e.old, e.new, e.when, e.kind, e.reason) for e in _entries(store, copy)
    ]
    assert after == before
    with reading(store.folder) as conn:
        (record,) = [
            u
            for u in review_attention(conn, copy, None).unsigned
            if u.state == "changed after signing"
        ]
    old = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert "change_history" not in old
    assert bundle.import_file(store, SAMPLE)


def test_a_keystroke_save_with_history_is_not_measurably_slower(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figure for the report: median CPU per save of a 20 KB text, with and without the
    history (the save itself runs on the notes screen's writer thread, off the keys)."""
    rid = store.create_review("Child T", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Example")
    interview = iv.add_interview(store, rid, person.id)
    text = "word " * 4000

    def median(run: int) -> float:
        times = []
        for n in range(run):
            start = time.process_time()  # CPU: the disk's fsync is shared with other work
            iv.save_notes(store, interview.id, text + str(n))
            times.append(time.process_time() - start)
        return sorted(times)[len(times) // 2]

    with_history = median(60)
    with monkeypatch.context() as patch:  # the baseline: the history records nothing
        patch.setattr(history, "record_notes", lambda *args, **kwargs: None)
        without = median(60)
    print(
        f"keystroke save of 20 KB: {with_history * 1000:.2f} ms with history, {without * 1000:.2f} ms without"
    )
    assert with_history < without * 1.5 + 0.002


def test_a_bundle_history_naming_what_the_review_lacks_is_refused_and_stores_nothing(
    store: Store,
) -> None:
    from reviewer_tui.errors import BundleError

    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["schema_version"] = 2
    stamp = "2025-09-01T10:00:00+00:00"
    for bad, problem in (
        ({"table": "finding", "item": "f-99", "field": "notes"}, "there is no finding 'f-99'"),
        ({"table": "finding", "item": "f-1", "field": "colour"}, "'finding.colour' is not"),
        ({"table": "change_entry", "field": "reason"}, "'change_entry.reason' is not"),
    ):
        data["change_history"] = [{**bad, "old": "[x]", "new": "y", "changed_at": stamp}]
        with pytest.raises(BundleError, match=re.escape(problem)):
            bundle.import_bundle(store, data)
    assert [r for r in iv_reviews(store)] == []


def iv_reviews(store: Store) -> list[int]:
    with reading(store.folder) as conn:
        return [r for (r,) in conn.execute("SELECT id FROM review")]
