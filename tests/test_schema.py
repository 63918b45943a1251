"""The schema keeps a review's rows inside that review, links once each, and dates not yet set
as NULL (issue "One way to do each thing" item 7), and migration 0003 carries a database made
by revision 0002 over to it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import actions, bundle, findings, migrate, progress
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import InputError, Store, list_reviews
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE

LINK_PAIRS = {
    "finding_chronology": ("finding_id", "chronology_entry_id"),
    "finding_interview": ("finding_id", "interview_id"),
    "finding_record": ("finding_id", "record_examined_id"),
    "recommendation_evidence": ("recommendation_id", "chronology_entry_id"),
    "recommendation_finding": ("recommendation_id", "finding_id"),
    "family_contact_member": ("family_contact_id", "family_member_id"),
}
NOT_SET_TEXT_DATES = {"interview": "scheduled_for", "meeting": "held_on",
                      "escalation": "advised_commissioner_on"}


def raw(folder_or_dir: DataFolder | Path) -> sqlite3.Connection:
    """A plain connection as the app opens it (foreign keys on)."""
    if isinstance(folder_or_dir, DataFolder):
        return folder_or_dir.connect()
    conn = sqlite3.connect(folder_or_dir / "reviews.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def unique_constraints(conn: sqlite3.Connection) -> dict[str, tuple[str, list[str]]]:
    """Every UNIQUE constraint written in a CREATE TABLE: name -> (table, columns)."""
    found = {}
    for table, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        for name, cols in re.findall(r'CONSTRAINT (\w+) UNIQUE \(([^)]*)\)', sql or ""):
            found[name] = (table, [c.strip().strip('"') for c in cols.split(",")])
    return found


def two_reviews(store: Store) -> tuple[int, int]:
    return bundle.import_file(store, SAMPLE), bundle.import_file(store, SAMPLE)


def first_id(conn: sqlite3.Connection, table: str, review_id: int) -> int:
    return conn.execute(f"SELECT min(id) FROM {table} WHERE review_id = ?", (review_id,)).fetchone()[0]


# --- constraint names and unique pairs -------------------------------------------------------
def test_every_unique_constraint_is_named_after_all_its_columns(folder: DataFolder) -> None:
    conn = raw(folder)
    try:
        found = unique_constraints(conn)
    finally:
        conn.close()
    assert found
    assert {name: f"uq_{table}_{'_'.join(cols)}" for name, (table, cols) in found.items()
            if name != f"uq_{table}_{'_'.join(cols)}"} == {}


def test_link_tables_hold_each_pair_once(folder: DataFolder, store: Store) -> None:
    a, _ = two_reviews(store)
    conn = raw(folder)
    try:
        for table, (owner, target) in LINK_PAIRS.items():
            o, t, pos = conn.execute(f"SELECT {owner}, {target}, position FROM {table} LIMIT 1").fetchone()
            with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
                conn.execute(f"INSERT INTO {table} ({owner}, {target}, position) VALUES (?, ?, ?)",
                             (o, t, pos + 10))
    finally:
        conn.close()


# --- nothing points into another review ------------------------------------------------------
def cross_review_writes(conn: sqlite3.Connection, a: int, b: int) -> list[tuple[str, tuple[Any, ...]]]:
    """One write per relation that would point from review a into review b."""
    def of(table: str, review: int) -> int:
        return first_id(conn, table, review)

    return [
        ("INSERT INTO finding_chronology (finding_id, chronology_entry_id, position) VALUES (?, ?, 99)",
         (of("finding", a), of("chronology_entry", b))),
        ("INSERT INTO finding_interview (finding_id, interview_id, position) VALUES (?, ?, 99)",
         (of("finding", a), of("interview", b))),
        ("INSERT INTO finding_record (finding_id, record_examined_id, position) VALUES (?, ?, 99)",
         (of("finding", a), of("record_examined", b))),
        ("INSERT INTO recommendation_evidence (recommendation_id, chronology_entry_id, position) "
         "VALUES (?, ?, 99)", (of("recommendation", a), of("chronology_entry", b))),
        ("INSERT INTO recommendation_finding (recommendation_id, finding_id, position) "
         "VALUES (?, ?, 99)", (of("recommendation", a), of("finding", b))),
        ("INSERT INTO family_contact_member (family_contact_id, family_member_id, position) "
         "VALUES (?, ?, 99)", (of("family_contact", a), of("family_member", b))),
        ("UPDATE interview SET person_id = ? WHERE id = ?", (of("person", b), of("interview", a))),
        ("UPDATE meeting_attendee SET person_id = ? WHERE id = ?",
         (of("person", b), of("meeting_attendee", a))),
        ("UPDATE meeting_contribution SET person_id = ? WHERE id = ?",
         (of("person", b), of("meeting_contribution", a))),
        ("UPDATE finding_chronology SET chronology_entry_id = ? WHERE finding_id = ?",
         (of("chronology_entry", b), of("finding", a))),
        ("UPDATE person SET review_id = ? WHERE id = ?", (b, of("person", a))),
    ]


def test_the_schema_refuses_every_link_into_another_review(folder: DataFolder, store: Store) -> None:
    a, b = two_reviews(store)
    conn = raw(folder)
    try:
        before = "\n".join(conn.iterdump())
        for sql, args in cross_review_writes(conn, a, b):
            with pytest.raises(sqlite3.IntegrityError, match="another review"):
                conn.execute(sql, args)
        assert "\n".join(conn.iterdump()) == before
    finally:
        conn.close()


def test_the_store_refuses_an_interviewee_from_another_review_with_a_clear_message(
        store: Store) -> None:
    a = store.create_review("Child A", "internal case review", "concern")
    b = store.create_review("Child B", "internal case review", "concern")
    theirs = iv.add_person(store, b, "Worker in review B")
    ours = iv.add_person(store, a, "Worker in review A")
    with pytest.raises(InputError, match="That person is not part of this review"):
        iv.add_interview(store, a, theirs.id, notes="Said the mother was drinking")
    assert store.rows(m.Interview, a) == []

    interview = iv.add_interview(store, a, ours.id)
    with pytest.raises(InputError, match="That person is not part of this review"):
        store.update(m.Interview, interview.id, person_id=theirs.id)
    assert store.get(m.Interview, interview.id).person_id == ours.id


def test_every_link_writer_refuses_rows_of_another_review(store: Store) -> None:
    a, b = two_reviews(store)
    theirs_entry = store.rows(m.ChronologyEntry, b)[0].id
    theirs_finding = store.rows(m.Finding, b)[0].id
    theirs_member = store.rows(m.FamilyMember, b)[0].id
    finding = store.rows(m.Finding, a)[0].id
    rec = store.rows(m.Recommendation, a)[0].id
    contact = store.rows(m.FamilyContact, a)[0].id
    before = bundle.export_bundle(store, a, exported_at=None)
    for write in (lambda: findings.link(store, finding, "chronology", theirs_entry),
                  lambda: actions.set_recommendation_links(store, rec, finding_ids=[theirs_finding]),
                  lambda: actions.set_contact_members(store, contact, [theirs_member]),
                  lambda: store.add_row(m.MeetingAttendee, a,
                                        person_id=store.rows(m.Person, b)[0].id)):
        with pytest.raises(InputError, match="not part of this review"):
            write()
    after = bundle.export_bundle(store, a, exported_at=None)
    assert {k: v for k, v in after.items() if k != "exported_at"} == \
        {k: v for k, v in before.items() if k != "exported_at"}


# --- dates not yet set are NULL, as in the DATE columns -------------------------------------
def test_dates_not_yet_set_are_stored_as_null_and_still_read_as_not_set(
        folder: DataFolder, store: Store) -> None:
    rid = store.create_review("Child A", "internal case review", "concern")
    person = iv.add_person(store, rid, "Worker")
    interview = iv.add_interview(store, rid, person.id)
    esc = actions.add_escalation(store, rid, "safeguarding concern", "2025-03-01", "Told police")
    store.update(m.Meeting, rid, held_on="")
    store.update(m.Interview, interview.id, scheduled_for="")
    actions.update_escalation(store, esc, "advised_commissioner_on", "")
    conn = raw(folder)
    try:
        stored = {table: conn.execute(f"SELECT {column} FROM {table}").fetchall()
                  for table, column in NOT_SET_TEXT_DATES.items()}
        assert stored == {table: [(None,)] for table in NOT_SET_TEXT_DATES}
        # What the reviewer sees: the escalation is still not advised, the interview unscheduled.
        assert [r.unadvised_escalations for r in list_reviews(conn)] == [1]
        assert progress.unsigned_records(conn, rid) == ["Worker, not scheduled: not yet held"]
    finally:
        conn.close()
    actions.update_escalation(store, esc, "advised_commissioner_on", "2025-03-02")
    conn = raw(folder)
    try:
        assert [r.unadvised_escalations for r in list_reviews(conn)] == [0]
    finally:
        conn.close()
