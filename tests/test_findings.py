"""Findings rest on evidence recorded at the time (seed 003 section 4): the flags, the links,
the learning points for the training team, and the bundle sections of stages 6-8, 11 and 12."""

from __future__ import annotations

import json

import pytest

from reviewer_tui import bundle, findings
from reviewer_tui import models as m
from reviewer_tui.errors import InputError
from reviewer_tui.reviews import next_key
from tests.conftest import SAMPLE

SECTIONS = (
    "meeting",
    "analysis",
    "learning",
    "findings",
    "recommendations",
    "escalations",
    "family_involvement_record",
    "limiting_factors_reviews",
    "closing_steps",
)


def _entry(store, rid, key, known):
    return store.add_row(
        m.ChronologyEntry, rid, key=key, when="2025-01-02", event="Visit", known_at_the_time=known
    ).id


def test_a_finding_without_evidence_is_flagged_until_an_entry_is_linked(store):
    rid = store.create_review("R", "internal case review", "concern")
    entry = _entry(store, rid, "ch-1", True)
    fid = findings.add_finding(store, rid, "The plan was reviewed on time.", "good practice")
    assert findings.finding(store, fid).flags == (findings.NO_EVIDENCE,)
    findings.link(store, fid, "chronology", entry)
    view = findings.finding(store, fid)
    assert view.flags == ()
    assert [e.id for e in view.evidence] == [entry]
    findings.unlink(store, fid, "chronology", entry)
    assert findings.finding(store, fid).flags == (findings.NO_EVIDENCE,)


def test_a_finding_resting_only_on_entries_learned_later_is_flagged(store):
    rid = store.create_review("R", "internal case review", "concern")
    later = _entry(store, rid, "ch-later", False)
    later2 = _entry(store, rid, "ch-later-2", False)
    at_time = _entry(store, rid, "ch-then", True)
    unknown = _entry(store, rid, "ch-unknown", None)  # not marked: taken as known at the time
    fid = findings.add_finding(store, rid, "Risk was missed.", "area for development")
    findings.set_evidence(store, fid, [("chronology", later), ("chronology", later2)])
    view = findings.finding(store, fid)
    assert view.flags == (findings.LEARNED_LATER,)
    assert all(e.learned_later for e in view.evidence)
    findings.link(store, fid, "chronology", at_time)
    assert findings.finding(store, fid).flags == ()
    findings.set_evidence(store, fid, [("chronology", unknown)])
    assert findings.finding(store, fid).flags == ()


def test_records_count_as_written_evidence_and_interviews_alone_are_flagged(store):
    rid = store.create_review("R", "internal case review", "concern")
    later = _entry(store, rid, "ch-later", False)
    record = store.add_row(m.RecordExamined, rid, key="doc-1", title="Case file").id
    person = store.add_row(m.Person, rid, key="p-1", full_name="A Worker").id
    interview = store.add_row(m.Interview, rid, key="iv-1", person_id=person).id
    fid = findings.add_finding(store, rid, "x")
    findings.set_evidence(store, fid, [("chronology", later), ("interview", interview)])
    assert findings.finding(store, fid).flags == (findings.LEARNED_LATER,)
    findings.set_evidence(store, fid, [("interview", interview)])
    assert findings.finding(store, fid).flags == (findings.ONLY_ACCOUNTS,)
    findings.link(store, fid, "record", record)
    assert findings.finding(store, fid).flags == ()


def test_evidence_from_another_review_is_refused(store):
    rid = store.create_review("R", "internal case review", "concern")
    other = store.create_review("S", "internal case review", "concern")
    foreign = _entry(store, other, "ch-1", True)
    fid = findings.add_finding(store, rid, "x")
    with pytest.raises(InputError):
        findings.link(store, fid, "chronology", foreign)
    assert findings.finding(store, fid).evidence == ()


def test_new_finding_keys_are_fresh_and_carry_no_names(store):
    rid = bundle.import_file(store, SAMPLE)
    fid = findings.add_finding(store, rid)
    assert store.get(m.Finding, fid).key == "f-4"
    assert next_key(["f-1", "f-3", "x"], "f") == "f-4"
    assert next_key([], "rec") == "rec-1"


def test_the_sample_findings_show_their_evidence_unflagged(store):
    rid = bundle.import_file(store, SAMPLE)
    views = findings.findings(store, rid)
    assert [f.key for f in views] == ["f-1", "f-2", "f-3"]
    assert all(not f.flagged for f in views)
    f2 = views[1]
    assert [e.kind for e in f2.evidence] == ["chronology", "chronology", "record"]
    candidates = findings.candidates(store, rid)
    learned_later = [e for e in candidates["chronology"] if e.learned_later]
    assert len(learned_later) == 1 and "[learned later]" in learned_later[0].label
    whens = [e.label[:10] for e in candidates["chronology"]]
    assert whens == sorted(whens)


def test_learning_points_marked_for_the_training_team(store):
    rid = store.create_review("R", "internal case review", "concern")
    findings.save_learning_points(
        store, rid, ["Good A", "Good B"], ["Develop C"], [False, True, True]
    )
    learning = store.get(m.Learning, rid)
    assert learning.good_practice == ["Good A", "Good B"]
    assert learning.shared_with_training == ["Good B", "Develop C"]
    assert findings.training_marks(learning) == ([False, True], [True])
    assert findings.points_for_training(store, rid) == ["Good B", "Develop C"]
    # The marks go with the review in a bundle (schema version 2).
    exported = bundle.export_bundle(store, rid)
    assert exported["learning"]["shared_with_training"] == ["Good B", "Develop C"]


def test_the_sample_bundle_imports_and_exports_these_sections_unchanged(store):
    original = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rid = bundle.import_file(store, SAMPLE)
    exported = json.loads(bundle.dumps(bundle.export_bundle(store, rid)))
    for section in SECTIONS:
        # An empty list and a missing one mean the same (bundle README, importer rule 5).
        assert (exported.get(section) or None) == (original.get(section) or None), section
    assert original["findings"] and original["recommendations"] and original["meeting"]


def test_the_workspace_counts_flagged_findings_by_the_same_rule(store, folder) -> None:
    from reviewer_tui import progress, read_model

    rid = bundle.import_file(store, SAMPLE)
    later = next(e.id for e in store.rows(m.ChronologyEntry, rid) if e.key == "ch-missing-1")
    findings.add_finding(store, rid, "nothing linked")
    hindsight = findings.add_finding(store, rid, "hindsight only")
    findings.link(store, hindsight, "chronology", later)
    conn = folder.connect()
    try:
        assert findings.flagged_count(conn, rid) == 2
        statuses = {
            s.key: s.summary
            for s in progress.stage_statuses(
                conn, rid, read_model.review_attention(conn, rid, None)
            )
        }
        assert statuses["analysis"] == "5 findings, 2 flagged (evidence)"
    finally:
        conn.close()
    views = findings.findings(store, rid)
    assert sum(v.flagged for v in views) == 2


def test_the_chronology_is_offered_in_date_order_and_labelled_only_as_read(store):
    """SQLite sorts the candidates as the reviewer reads the chronology (date, the place in the
    day, time, order entered); an entry's label is made when it is read, not for all 10,000."""
    rid = store.create_review("R", "internal case review", "concern")
    added = [
        ("2025-03-01T09:00", None, True, "Third: later day"),
        ("2025-01-02T14:00", None, False, "Second: same day, later time"),
        ("2025-01-02", 1, None, "First: same day, placed first"),
        ("2025-01-02T08:30", None, True, "Second too: earlier time"),
        ("2024-12-31", None, True, "  Zeroth:\n  the  year before  "),
    ]
    for n, (when, sequence, known, event) in enumerate(added):
        store.add_row(
            m.ChronologyEntry,
            rid,
            key=f"ch-{n}",
            when=when,
            sequence=sequence,
            event=event,
            source="GP" if n % 2 else "",
            known_at_the_time=known,
        )
    entries = store.rows(m.ChronologyEntry, rid)

    def old_key(e):  # the order the candidates always had, sorted in Python
        date, _, time = e.when.partition("T")
        return (date, e.sequence or 0, time, e.position)

    chronology = findings.candidates(store, rid)["chronology"]
    assert isinstance(chronology, findings.ChronologyEvidence)
    assert not chronology._made  # nothing labelled yet
    expected = sorted(entries, key=old_key)
    assert chronology.ids() == [e.id for e in expected]
    assert chronology[1].label == findings.chronology_label(expected[1])
    assert list(chronology._made) == [1]  # only the one read
    assert [e.label for e in chronology] == [findings.chronology_label(e) for e in expected]
    assert [e.learned_later for e in chronology] == [e.known_at_the_time is False for e in expected]
    assert chronology[-1] == chronology[len(expected) - 1]
    assert chronology[4].label == "2025-03-01 09:00 Third: later day"
    assert chronology[0].label == "2024-12-31 Zeroth: the year before"


def test_one_finding_is_read_as_the_list_shows_it(store):
    rid = bundle.import_file(store, SAMPLE)
    findings.add_finding(store, rid, "A fourth, with no evidence.")
    views = findings.findings(store, rid)
    assert [findings.finding(store, v.id) for v in views] == views
