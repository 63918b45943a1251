"""search_in's counts and first results, now picked from each table's matches joined into a few
strings by SQLite (issue 14: a common word's 11,000 documents no longer become Python rows),
checked against the plain definition over every matching document as the index holds it: one
result per field, its first matching part standing for it, a place's first results in (row id,
part, document id) order across its tables. Words that match in later parts of long notes only,
in several parts, in several tables of one place, in another review only, and in none."""

from __future__ import annotations

import pytest

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui import search
from reviewer_tui.reviews import Store
from tests.test_search_first import plain_definition


def _plainly(store: Store, review_id: int, query: str, per_group: int):
    """Every matching document of the review, one row each, and the definition applied to them
    one at a time."""
    match = search.fts_query(search.parse_query(query))
    conn = store.folder.connect()
    try:
        found = conn.execute(
            "SELECT d.id, d.tbl, d.row_id, d.field, d.part FROM search_index "
            "JOIN search_doc d ON d.id = search_index.rowid "
            "WHERE search_index MATCH ? AND d.review_id = ?",
            (match, review_id),
        ).fetchall()
    finally:
        conn.close()
    totals, chosen = plain_definition(found, per_group)
    return {g: (totals[g], sorted(chosen[g])) for g in totals}


def _searched(store: Store, review_id: int, query: str, per_group: int):
    conn = store.folder.connect()
    try:
        results = search.search_in(conn, review_id, query, per_group)
    finally:
        conn.close()
    assert not results.problem
    return {g.key: (g.total, sorted(h.doc_id for h in g.hits)) for g in results.groups}


@pytest.fixture
def reviews(store: Store) -> tuple[int, int]:
    rid = store.create_review("Child G", "internal case review", "concern")
    other = store.create_review("Child H", "internal case review", "concern")
    person = iv.add_person(store, rid, "Jo Bloggs")
    # Long notes: "grandfather" in many parts (the first among them), "lantern" only in parts
    # after the first, "ferry" in exactly one late part; "kestrel" in a short field too.
    lines = [f"{n:05d} the plan was agreed and reviewed" for n in range(2500)]
    for n in range(0, 2500, 90):
        lines[n] += " grandfather"
    for n in range(700, 2500, 300):
        lines[n] += " lantern"
    lines[2200] += " ferry kestrel"
    for number in range(4):
        interview = iv.add_interview(store, rid, person.id)
        iv.save_notes(store, interview.id, "\n".join(lines[number * 100 :]))
    assert len("\n".join(lines)) > 20 * search.PART
    # The chronology's place: entries and agency codes, more than a place shows.
    for n in range(40):
        store.add_row(
            m.ChronologyEntry,
            rid,
            key=f"c-{n}",
            when=f"2024-01-{n % 28 + 1:02d}",
            event=f"visit {n}" + (" grandfather present" if n % 3 else ""),
            outcome="kestrel seen" if n % 4 == 0 else "",
        )
    store.add_row(m.AgencyCode, rid, code="GRD", name="Grandfather services")
    store.add_row(m.Finding, rid, key="f-1", statement="The grandfather was not asked")
    # Another review with the same words: never counted in the first.
    store.add_row(m.Finding, other, key="f-1", statement="grandfather lantern ferry kestrel")
    return rid, other


@pytest.mark.parametrize(
    "query", ["grandfather", "lantern", "ferry", "kestrel", "zzqqnothing", '"plan was agreed"']
)
def test_counts_and_first_results_are_the_definitions(
    store: Store, reviews: tuple[int, int], query: str
) -> None:
    rid, other = reviews
    for review_id in (rid, other):
        for per_group in (1, 3, 25):
            assert _searched(store, review_id, query, per_group) == _plainly(
                store, review_id, query, per_group
            ), (query, review_id, per_group)


def test_the_words_match_where_the_fixture_says(store: Store, reviews: tuple[int, int]) -> None:
    """The cases above are the ones meant: later parts only, several tables of one place."""
    rid, _ = reviews
    found = _searched(store, rid, "lantern", 25)
    assert found["interviews"][0] == 4
    hits = search.search(store.folder, rid, "lantern").groups[0].hits
    assert all(hit.part > 0 for hit in hits)  # no interview has it in its first part
    grouped = search.search(store.folder, rid, "grandfather")
    chronology = next(g for g in grouped.groups if g.key == "chronology")
    assert {h.table for h in chronology.hits} == {"chronology_entry", "agency_code"}
    assert chronology.total > len(chronology.hits)
    assert _searched(store, rid, "zzqqnothing", 25) == {}
