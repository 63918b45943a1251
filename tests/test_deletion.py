"""One deletion policy (issue 11, item 4), through the core: every kind of content the reviewer
writes is deleted with everything that cascades from it, and undo puts back every column of every
affected row, in every table, with the same ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from reviewer_tui import bundle, deletion
from reviewer_tui import models as m
from reviewer_tui.actions import add_escalation, add_progress_note
from reviewer_tui.chronology import add_agency_code
from reviewer_tui.errors import InputError
from reviewer_tui.reviews import Store
from reviewer_tui.search import is_search_table
from tests.conftest import SAMPLE


def everything(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sqlite_sequence included: no id counter moves), every column.
    Not the search index, which is derived from the rest (tests/test_search.py checks it)."""
    with store.session() as s:
        tables = [
            t
            for (t,) in s.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            )
            if not is_search_table(t)
        ]
        return {
            t: [tuple(r) for r in s.execute(text(f'SELECT rowid, * FROM "{t}" ORDER BY rowid'))]
            for t in tables
        }


def sample(store: Store) -> int:
    """The sample review, with the kinds of row it lacks added so each can be deleted."""
    rid = bundle.import_file(store, SAMPLE)
    add_escalation(store, rid, "safeguarding concern", "2025-01-01 09:30", "Raised with the LADO")
    add_agency_code(store, rid, "NUR", "School nursing")
    rec = store.rows(m.Recommendation, rid)[0]
    add_progress_note(store, rec.id, dt.date(2025, 3, 1), "Training booked")
    interview = store.rows(m.Interview, rid)[0]
    with store.session() as s:
        s.add(
            m.InterviewVersion(
                interview_id=interview.id,
                position=1,
                source="laptop 2",
                data={"notes": "their copy"},
            )
        )
        s.commit()
    return rid


# model, and how many rows in all the sample's deletion of its first row takes with it (at least)
KINDS: list[tuple[type[Any], int]] = [
    (m.Finding, 2),
    (m.Recommendation, 3),
    (m.RecommendationProgress, 1),
    (m.Escalation, 1),
    (m.FamilyContact, 2),
    (m.FamilyMember, 2),
    (m.RecordExamined, 1),
    (m.ChronologyEntry, 1),
    (m.Interview, 2),
    (m.Person, 3),
    (m.Organisation, 1),
    (m.ParallelProcess, 1),
    (m.OtherArea, 1),
    (m.ScopeChange, 1),
    (m.AgencyCode, 1),
    (m.MeetingOtherAttendee, 1),
    (m.DraftRecipient, 1),
    (m.PreviousEmployment, 1),
]


def first_row(store: Store, model: type[Any], rid: int) -> Any:
    from sqlmodel import select

    with store.session() as s:
        if hasattr(model, "review_id"):
            return s.exec(select(model).where(model.review_id == rid).order_by(model.id)).first()
        return s.exec(select(model).order_by(model.id)).first()


@pytest.mark.parametrize(("model", "at_least"), KINDS, ids=[k.__name__ for k, _ in KINDS])
def test_delete_then_undo_restores_every_column_of_every_row(
    store: Store, model: type[Any], at_least: int
) -> None:
    rid = sample(store)
    row = first_row(store, model, rid)
    assert row is not None, f"the sample has no {model.__name__}"
    before = everything(store)

    token = deletion.delete(store, model, row.id)

    after_delete = everything(store)
    table = model.__tablename__
    assert row.id not in {r[0] for r in after_delete[table]}
    gone = sum(len(before[t]) - len(after_delete[t]) for t in before)
    assert gone == len(token.rows) >= at_least
    assert token.row["id"] == row.id

    deletion.undo(store, token)
    assert everything(store) == before


def test_undo_leaves_out_a_link_whose_other_end_went_since(store: Store) -> None:
    rid = sample(store)
    link = first_row(store, m.FindingChronology, rid)
    token = deletion.delete(store, m.ChronologyEntry, link.chronology_entry_id)
    deletion.delete(store, m.Finding, link.finding_id)
    deletion.undo(store, token)
    restored = everything(store)
    assert link.chronology_entry_id in {r[0] for r in restored["chronology_entry"]}
    assert link.id not in {r[0] for r in restored["finding_chronology"]}


def test_undo_after_the_review_went_says_so_and_stores_nothing(store: Store) -> None:
    rid = sample(store)
    title = store.review(rid).title
    token = deletion.delete(store, m.Finding, first_row(store, m.Finding, rid).id)
    store.delete_review(rid, title)
    before = everything(store)
    with pytest.raises(InputError, match="cannot be put back"):
        deletion.undo(store, token)
    assert everything(store) == before


def test_deleting_what_is_already_gone_says_so(store: Store) -> None:
    rid = sample(store)
    finding = first_row(store, m.Finding, rid)
    deletion.delete(store, m.Finding, finding.id)
    with pytest.raises(InputError, match="already been deleted"):
        deletion.delete(store, m.Finding, finding.id)
