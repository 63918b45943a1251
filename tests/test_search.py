"""Search everywhere (issue 15 item 1): the core and the index the database keeps in step.

Every (table, column) the index covers gets a word of its own, stored through the Store (the
path the screens use), and each word is found there and only there. Then what a reviewer relies
on: accents, apostrophes, phrases, any typed query, and an index that follows import, edits,
undo, a deleted review and a restored backup, looked at in the FTS tables themselves.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

from reviewer_tui import bundle, deletion, history, migrate, notes_index, search
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE, import_sample_at_an_older_revision

MIGRATION = importlib.import_module("reviewer_tui.migrations.versions.0005_search_index")
# The list of texts as the newest migration that changed it left it.
AT_HEAD = importlib.import_module("reviewer_tui.migrations.versions.0011_search_new_texts")
MODELS: dict[str, Any] = {
    str(cls.__tablename__): cls
    for cls in vars(m).values()
    if isinstance(cls, type) and issubclass(cls, SQLModel) and hasattr(cls, "__table__")
}
# A row for each table the sample review may lack (required columns only).
NEW_ROWS: dict[str, dict[str, Any]] = {
    "organisation": {"name": "Org"},
    "parallel_process": {"kind": "coroner"},
    "other_area": {"area": "Area"},
    "scope_change": {},
    "agency_code": {"code": "ZZZ"},
    "record_examined": {"key": "r-99", "title": "Record"},
    "family_member": {"key": "fm-99", "name": "Member"},
    "chronology_entry": {"key": "c-99", "when": "2024-01-02"},
    "person": {"key": "p-99", "full_name": "Person"},
    "meeting_other_attendee": {"name": "Visitor"},
    "finding": {"key": "f-99"},
    "recommendation": {"key": "rec-99"},
    "escalation": {"raised_on": "2024-01-02", "kind": "safeguarding concern"},
    "family_contact": {"date": dt.date(2024, 1, 2), "level": 1},
    "limiting_factors_review": {"date": dt.date(2024, 1, 2)},
    "report_draft": {"version": "0.1"},
    "delay_entry": {"deadline": "publication", "label": "Publication"},
    "quality_acceptance": {"identity": "q-99", "item": "An item"},
}


def search_for(store: Store, review_id: int, query: str) -> set[tuple[str, int, str]]:
    results = search.search(store.folder, review_id, query)
    assert not results.problem, results.problem
    return {(h.table, h.row_id, h.field) for g in results.groups for h in g.hits}


def a_row_of_every_table(store: Store, review_id: int) -> dict[str, int]:
    """The id of one row of each indexed table in the review, made where the sample has none."""
    ids: dict[str, int] = {}
    with store.session() as s:
        conn = s.connection()
        for table, id_column, _ in search.SOURCES:
            row = conn.exec_driver_sql(
                f'SELECT t."{id_column}" FROM "{table}" t WHERE {_review_of(table)} = ? LIMIT 1',
                (review_id,),
            ).first()
            if row is not None:
                ids[table] = row[0]
    for table, values in NEW_ROWS.items():
        if table not in ids:
            ids[table] = store.add_row(MODELS[table], review_id, **values).id
    person = ids["person"]
    children = {
        "previous_employment": m.PreviousEmployment(person_id=person, employer="Employer"),
        "recommendation_progress": m.RecommendationProgress(
            recommendation_id=ids["recommendation"], date=dt.date(2024, 1, 3)
        ),
        "draft_recipient": m.DraftRecipient(report_draft_id=ids["report_draft"], name="Reader"),
        "meeting_contribution": m.MeetingContribution(review_id=review_id, person_id=person),
        "interview": m.Interview(review_id=review_id, key="iv-99", person_id=person),
    }
    for table, row in children.items():
        if table not in ids:
            with store.session() as s:
                s.add(row)
                s.commit()
                ids[table] = int(row.id)
    if "draft_item" not in ids:  # a comment on a returned draft, one level further down
        with store.session() as s:
            item = m.DraftItem(draft_recipient_id=ids["draft_recipient"], kind="comment")
            s.add(item)
            s.commit()
            ids["draft_item"] = int(item.id)
    return ids


def _review_of(table: str) -> str:
    owners = {
        "previous_employment": "(SELECT review_id FROM person WHERE id = t.person_id)",
        "recommendation_progress": "(SELECT review_id FROM recommendation "
        "WHERE id = t.recommendation_id)",
        "draft_recipient": "(SELECT review_id FROM report_draft WHERE id = t.report_draft_id)",
        "draft_item": "(SELECT d.review_id FROM draft_recipient r JOIN report_draft d "
        "ON d.id = r.report_draft_id WHERE r.id = t.draft_recipient_id)",
        "review": "t.id",
    }
    return owners.get(table, "t.review_id")


def every_field() -> list[tuple[str, str, bool]]:
    return [
        (table, column.removesuffix("[]"), column.endswith("[]"))
        for table, _, columns in search.SOURCES
        for column in columns
    ]


def word_for(index: int) -> str:
    return "zq" + "".join("abcdefghij"[int(d)] for d in str(index)) + "xw"


# --- the index covers what the migration made ------------------------------------------------
def test_the_core_and_the_migration_name_the_same_columns() -> None:
    frozen = [(table, id_column, columns) for table, id_column, _, columns in AT_HEAD.SOURCES]
    assert frozen == list(search.SOURCES)
    assert (MIGRATION.PART, MIGRATION.OVERLAP) == (search.PART, search.OVERLAP)
    assert {t for t, _, _ in search.SOURCES} == set(search.GROUP_OF)
    assert MIGRATION.LISTS == sorted({c for _, c, is_list in every_field() if is_list})


def test_every_text_of_every_place_is_found_there_and_only_there(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    rows = a_row_of_every_table(store, rid)
    refused = []
    for index, (table, column, is_list) in enumerate(every_field()):
        word = word_for(index)
        value: Any = [f"Item with {word} inside"] if is_list else f"Text with {word} inside"
        try:
            with history.changing(reason="the search test writes every field"):  # signed ones too
                store.update(MODELS[table], rows[table], **{column: value})
        except Exception as exc:  # noqa: BLE001 - a vocabulary column: reported below
            refused.append(f"{table}.{column}: {exc}")
    assert refused == []
    for index, (table, column, _) in enumerate(every_field()):
        found = search_for(store, rid, word_for(index))
        assert found == {(table, rows[table], column)}, (table, column)
    groups = {g.key for g in search.search(store.folder, rid, "inside").groups}
    assert groups == {key for key, _, _ in search.GROUPS}


def test_an_edit_replaces_what_the_index_holds(store: Store) -> None:
    rid = store.create_review("Child A", "internal case review", "concern")
    entry = store.add_row(m.ChronologyEntry, rid, key="c-1", when="2024-01-02", event="Old words")
    assert search_for(store, rid, "old") == {("chronology_entry", entry.id, "event")}
    store.update(m.ChronologyEntry, entry.id, event="New words")
    assert search_for(store, rid, "old") == set()
    assert search_for(store, rid, "new") == {("chronology_entry", entry.id, "event")}
    store.update(m.ChronologyEntry, entry.id, event="")
    assert search_for(store, rid, "new") == set()
    assert _docs(store.folder, rid) == [("review", "title")]


# --- what matches ----------------------------------------------------------------------------
@pytest.fixture
def review(store: Store) -> int:
    rid = store.create_review("Child S", "internal case review", "concern")
    for n, event in enumerate(
        (
            "Siobhán visited the home",  # precomposed accent
            "Siobha\u0301n phoned school",  # the accent as a combining character
            "Met O’Brien at the clinic",
            "Letter to Oʼbrien",
            "Agreed a home visit",
            "The visit home was cancelled",
            "Bracket [red]x[/red] and [/] text",
        )
    ):
        store.add_row(m.ChronologyEntry, rid, key=f"c-{n}", when=f"2024-01-0{n + 1}", event=event)
    return rid


def events(store: Store, review_id: int, query: str) -> list[str]:
    results = search.search(store.folder, review_id, query)
    entries = {e.id: e.event for e in store.rows(m.ChronologyEntry, review_id)}
    return sorted(entries[h.row_id] for g in results.groups for h in g.hits)


def test_accents_and_case_do_not_matter(store: Store, review: int) -> None:
    both = ["Siobha\u0301n phoned school", "Siobhán visited the home"]
    for query in ("Siobhan", "SIOBHAN", "siobhán", "Siobha\u0301n"):
        assert events(store, review, query) == both, query


def test_straight_and_curly_apostrophes_match(store: Store, review: int) -> None:
    both = ["Letter to Oʼbrien", "Met O’Brien at the clinic"]
    for query in ("O'Brien", "O’Brien", "oʼbrien", '"o\'brien"'):
        assert events(store, review, query) == both, query


def test_a_phrase_in_quotes_keeps_its_words_together_in_order(store: Store, review: int) -> None:
    assert events(store, review, '"home visit"') == ["Agreed a home visit"]
    assert events(store, review, "“home visit”") == ["Agreed a home visit"]
    assert events(store, review, "home visit") == [
        "Agreed a home visit",
        "The visit home was cancelled",
    ]


def test_matches_are_marked_in_a_snippet_of_the_stored_text(store: Store, review: int) -> None:
    hit = search.search(store.folder, review, "siobhan").groups[0].hits[0]
    assert hit.snippet in ("Siobhán visited the home", "Siobha\u0301n phoned school")
    marked = [hit.snippet[a:b] for a, b in hit.marks]
    assert marked in (["Siobhán"], ["Siobha\u0301n"])
    hit = search.search(store.folder, review, "red").groups[0].hits[0]
    assert hit.snippet == "Bracket [red]x[/red] and [/] text"
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["red", "red"]


ODD = [
    '"',
    '"unbalanced phrase',
    'two "quotes" and "one',
    "*",
    "visit*",
    "-home",
    "home -visit",
    "NEAR(home visit)",
    "home NEAR visit",
    "AND OR NOT",
    "(",
    ")",
    "[red]",
    "event:home",
    "{event}: home",
    "^home",
    "\x00",
    '""',
    '" "',
    "+",
    "'",
    "’",
    "\\",
    "home\x00visit",
]


def test_odd_characters_in_a_query_are_words_never_errors(store: Store, review: int) -> None:
    for query in ODD:
        results = search.search(store.folder, review, query)
        assert results.problem in ("", search.NO_TERMS), query


def test_an_open_quote_leaves_the_rest_as_words(store: Store, review: int) -> None:
    assert events(store, review, '"visit home') == [
        "Agreed a home visit",
        "The visit home was cancelled",
    ]
    assert events(store, review, "-home visit*") == events(store, review, "home visit")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=30))
def test_any_query_never_raises(store: Store, query: str) -> None:
    results = search.search(store.folder, 1, query)
    assert results.problem in ("", search.NO_TERMS)


# --- the place of a match -------------------------------------------------------------------
def test_locate_finds_the_line_and_column_in_long_notes(store: Store) -> None:
    rid = store.create_review("Child N", "internal case review", "concern")
    person = iv.add_person(store, rid, "Jo Bloggs")
    interview = iv.add_interview(store, rid, person.id)
    lines = [f"{n:05d} the plan was agreed and reviewed" for n in range(3000)]
    lines[2500] = "02500 she said the grandfather drove her"
    lines[10] = "00010 a strategy"  # a phrase across two lines is still a phrase
    lines[11] = "discussion began"
    iv.save_notes(store, interview.id, "\n".join(lines))
    assert len("\n".join(lines)) > 20 * search.PART  # indexed in many parts
    hit = search.search(store.folder, rid, "grandfather").groups[0].hits[0]
    assert (hit.table, hit.row_id, hit.field) == ("interview", interview.id, "notes")
    where = search.locate(store.folder, hit)
    assert where is not None
    assert (where.line, where.column, where.length) == (2500, 19, len("grandfather"))
    phrase = search.search(store.folder, rid, '"strategy discussion"').groups[0].hits[0]
    where = search.locate(store.folder, phrase)
    assert where is not None and (where.line, where.column) == (10, 8)
    # a word at every part boundary is found whole
    text = "x" * (search.PART - 3) + " boundaryword " + "y" * 10
    iv.save_notes(store, interview.id, text)
    hits = search.search(store.folder, rid, "boundaryword").groups[0].hits
    assert len(hits) == 1  # one result for the field, though two parts hold the word
    where = search.locate(store.folder, hits[0])
    assert where is not None and where.offset == search.PART - 2


def _parts(folder: DataFolder, interview_id: int) -> list[str]:
    conn = folder.connect()
    try:
        return [
            text
            for (text,) in conn.execute(
                "SELECT i.text FROM search_doc d JOIN search_index i ON i.rowid = d.id "
                "WHERE d.tbl = 'interview' AND d.row_id = ? AND d.field = 'notes' ORDER BY d.part",
                (interview_id,),
            )
        ]
    finally:
        conn.close()


def test_notes_typed_anywhere_keep_every_part_of_the_index_right(store: Store) -> None:
    """The notes re-index only the parts that changed: whatever the edit, the parts are the
    text's parts."""
    rid = store.create_review("Child N", "internal case review", "concern")
    interview = iv.add_interview(store, rid, iv.add_person(store, rid, "Jo").id)
    text = "".join(f"line {n} of the notes\n" for n in range(2000))
    for edit in (
        lambda t: t,
        lambda t: t + "appended at the end",
        lambda t: "typed at the start " + t,
        lambda t: t[:20000] + "in the middle" + t[20000:],
        lambda t: t[: len(t) // 3],  # most of it deleted
        lambda t: "",
        lambda t: "short again",
    ):
        text = edit(text)
        iv.save_notes(store, interview.id, text)
        # Parts end at white space (reviewer_tui.notes_index), so a key changes one or two.
        expected = [part for _, part in notes_index.parts(text)]
        assert _parts(store.folder, interview.id) == expected
    assert search_for(store, rid, "short") == {("interview", interview.id, "notes")}
    assert search_for(store, rid, "middle") == set()
    # Any other writer of the notes goes through migration 0005's trigger, as before.
    store.update(m.Interview, interview.id, notes="a zebra crossing")
    assert search_for(store, rid, "zebra") == {("interview", interview.id, "notes")}
    assert search_for(store, rid, "short") == set()
    conn = store.folder.connect()
    try:  # save_notes' mark never outlives its transaction
        assert conn.execute(f"SELECT count(*) FROM {notes_index.FRESH}").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_row_written_whole_is_indexed_in_parts_at_fixed_places(store: Store) -> None:
    """A new row (a bundle import, an added interview) reaches the index through migration
    0005's feed, as 0015 made it read each text once: long notes in parts of PART characters,
    each running OVERLAP into the next, beside the row's other texts and lists."""
    rid = store.create_review("Child N", "internal case review", "concern")
    notes = "".join(f"{n:05d} the visit on the ward, £4 ‘paid’ [/]\n" for n in range(400))
    assert len(notes) > 3 * search.PART
    interview = iv.add_interview(
        store,
        rid,
        iv.add_person(store, rid, "Jo").id,
        notes=notes,
        location="Ward 5",
        contentious_points=["first point", "zweiter Punkt"],
    )
    starts = range(0, len(notes), search.PART)
    assert _parts(store.folder, interview.id) == [
        notes[start : start + search.PART + search.OVERLAP] for start in starts
    ]
    assert search_for(store, rid, "00399") == {("interview", interview.id, "notes")}
    assert search_for(store, rid, "zweiter") == {("interview", interview.id, "contentious_points")}
    assert search_for(store, rid, "ward") == {
        ("interview", interview.id, "notes"),
        ("interview", interview.id, "location"),
    }


# --- the index follows every change ----------------------------------------------------------
def _docs(folder: DataFolder, review_id: int) -> list[tuple[str, str]]:
    conn = folder.connect()
    try:
        return sorted(
            conn.execute(
                "SELECT tbl, field FROM search_doc WHERE review_id = ?", (review_id,)
            ).fetchall()
        )
    finally:
        conn.close()


def _index_holds(folder: DataFolder, word: str) -> list[str]:
    """Where in the FTS tables themselves `word` is: the documents' text, the terms of the index
    (fts5vocab) and the raw bytes of every segment (its end only: a segment stores a term after
    the prefix it shares with the term before)."""
    conn = folder.connect()
    try:
        places = []
        if conn.execute(
            "SELECT count(*) FROM search_index_content WHERE instr(lower(c0), ?)", (word,)
        ).fetchone()[0]:
            places.append("content")
        conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, search_index, row)")
        if conn.execute("SELECT count(*) FROM temp.terms WHERE term = ?", (word,)).fetchone()[0]:
            places.append("terms")
        if conn.execute(
            "SELECT count(*) FROM search_index_data WHERE instr(block, ?)", (word[-8:].encode(),)
        ).fetchone()[0]:
            places.append("segments")
        return places
    finally:
        conn.close()


def test_a_deleted_review_leaves_nothing_in_the_index(store: Store) -> None:
    gone = bundle.import_file(store, SAMPLE)
    kept = bundle.import_file(store, SAMPLE)
    store.update(m.Review, gone, brief="Only here: quizzicalword.")
    entry = store.rows(m.ChronologyEntry, gone)[0]
    store.update(m.ChronologyEntry, entry.id, event="Only here too: quizzicalword.")
    assert _index_holds(store.folder, "quizzicalword") == ["content", "terms", "segments"]
    assert search_for(store, gone, "quizzicalword")
    sample_docs = _docs(store.folder, kept)
    store.delete_review(gone, store.review(gone).title)
    assert _index_holds(store.folder, "quizzicalword") == []
    assert _docs(store.folder, gone) == []
    assert search_for(store, gone, "Tyler") == set()
    assert search_for(store, kept, "quizzicalword") == set()
    assert _docs(store.folder, kept) == sample_docs  # the other review is untouched
    assert search_for(store, kept, "Tyler")


def test_undo_of_a_delete_puts_the_text_back_in_the_index(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    finding = store.rows(m.Finding, rid)[0]
    store.update(m.Finding, finding.id, statement="A finding about marmalade.")
    recommendation = store.rows(m.Recommendation, rid)[0]
    token = deletion.delete(store, m.Finding, finding.id)
    assert search_for(store, rid, "marmalade") == set()
    deletion.undo(store, token)
    assert search_for(store, rid, "marmalade") == {("finding", finding.id, "statement")}
    token = deletion.delete(store, m.Recommendation, recommendation.id)
    assert not any(t == "recommendation" for t, _, _ in search_for(store, rid, recommendation.key))
    deletion.undo(store, token)
    assert ("recommendation", recommendation.id, "action") in search_for(
        store, rid, recommendation.action.split()[0]
    )


def test_restoring_a_backup_brings_back_its_own_index(store: Store, tmp_path: Path) -> None:
    rid = bundle.import_file(store, SAMPLE)
    store.update(m.Review, rid, brief="Before the backup: porcupine.")
    backup = store.folder.backup(tmp_path / "copy.db")
    store.update(m.Review, rid, brief="After the backup: hedgehog.")
    later = store.create_review("Made later", "internal case review", "concern")
    assert search_for(store, rid, "hedgehog")
    store.folder.restore(backup)
    assert search_for(store, rid, "porcupine") == {("review", rid, "brief")}
    assert search_for(store, rid, "hedgehog") == set()
    assert search_for(store, later, "later") == set()
    assert _index_holds(store.folder, "hedgehog") == []


def test_the_migration_indexes_the_reviews_already_there(data_dir: Path) -> None:
    folder = DataFolder(data_dir)
    folder.open()
    try:
        migrate.upgrade(folder, head=MIGRATION.down_revision)
        rid = import_sample_at_an_older_revision(folder, data_dir.parent / "at-head")
        conn = folder.connect()
        person_id, full_name = conn.execute(
            "SELECT id, full_name FROM person WHERE review_id = ? ORDER BY id", (rid,)
        ).fetchone()
        (interview_id,) = conn.execute(
            "SELECT id FROM interview WHERE review_id = ? ORDER BY id", (rid,)
        ).fetchone()
        conn.execute(
            "UPDATE interview SET notes = ? WHERE id = ?", ("Siobhán’s notes", interview_id)
        )
        conn.close()
        migrate.upgrade(folder)
        store = Store(folder)
        assert search_for(store, rid, "siobhan's") == {("interview", interview_id, "notes")}
        assert ("person", person_id, "full_name") in search_for(store, rid, full_name)
        conn = folder.connect()
        try:
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            doc = conn.execute("SELECT count(*) FROM search_doc").fetchone()[0]
            fts = conn.execute("SELECT count(*) FROM search_index").fetchone()[0]
            assert doc == fts > 100
        finally:
            conn.close()
    finally:
        folder.close()


def triggers_by_table(folder: DataFolder) -> dict[str, list[tuple[str, str]]]:
    conn = folder.connect()
    try:
        found: dict[str, list[tuple[str, str]]] = {}
        for table, name, sql in conn.execute(
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ):
            found.setdefault(table, []).append((name, " ".join(sql.split())))
        return found
    finally:
        conn.close()


def test_every_migration_after_the_index_keeps_its_triggers(data_dir: Path, tmp_path: Path) -> None:
    """A migration after 0005 that rebuilds a table (batch_alter_table does, for anything but
    an added column) drops that table's triggers unless it makes them again: a database migrated
    from 0003 with a review in it keeps every trigger 0005 made and has the same triggers on
    every table as a new one, and an edit after the migration is found at once."""
    fresh = DataFolder(tmp_path / "fresh")
    fresh.open()
    try:
        migrate.upgrade(fresh)
        wanted = triggers_by_table(fresh)
    finally:
        fresh.close()
    assert {"review", "interview", "person"} <= set(wanted)

    folder = DataFolder(data_dir)
    folder.open()
    try:
        migrate.upgrade(folder, head="0003")
        rid = import_sample_at_an_older_revision(folder, tmp_path / "at-head")
        migrate.upgrade(folder, head=MIGRATION.revision)
        made_by_the_index = triggers_by_table(folder)
        migrate.upgrade(folder)
        at_head = triggers_by_table(folder)
        assert at_head == wanted
        # The fresh database went through the same migrations, so check against 0005 as well.
        # (by name: 0010 makes the notes trigger skip a row the save itself re-indexed, and 0011
        # makes report_details' triggers again with more columns)
        lost = {
            table: sorted({n for n, _ in made} - {n for n, _ in at_head.get(table, [])})
            for table, made in made_by_the_index.items()
        }
        assert {table: names for table, names in lost.items() if names} == {}
        store = Store(folder)
        interview = store.rows(m.Interview, rid)[0]
        iv.save_notes(store, interview.id, "Notes about the quinquennial review", "a test")
        assert search_for(store, rid, "quinquennial") == {("interview", interview.id, "notes")}
    finally:
        folder.close()


def test_an_import_is_searchable_at_once(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    found = search.search(store.folder, rid, "Tyler")
    assert found.total > 20
    assert {"chronology", "interviews", "people"} <= {g.key for g in found.groups}


def test_searching_reads_only_the_index_not_other_reviews(store: Store) -> None:
    one = store.create_review("Alpha review", "internal case review", "concern")
    two = store.create_review("Beta review", "internal case review", "concern")
    assert search_for(store, one, "beta") == set()
    assert search_for(store, two, "beta") == {("review", two, "title")}
