"""The chronology read a page at a time (issue 14): EntryPages shows exactly what the in-memory
ChronologyView shows (order, every filter, searches short and long), reads its pages from the
order index without sorting, and the trigram index the search uses follows every change."""

from __future__ import annotations

import random
import sqlite3
from typing import Any

import pytest

from reviewer_tui import chronology as ch
from reviewer_tui import deletion
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from tests.test_chronology_scale import fill

FILTERS = [
    ch.ChronologyFilter(),
    ch.ChronologyFilter(source="POL"),
    ch.ChronologyFilter(issue="Liaison"),
    ch.ChronologyFilter(significant_only=True),
    ch.ChronologyFilter(known="later"),
    ch.ChronologyFilter(known="unrecorded", source="CSC"),
    ch.ChronologyFilter(text="h"),  # one letter: looked for in each text
    ch.ChronologyFilter(text="ho"),
    ch.ChronologyFilter(text="home vis"),  # a word and a part of one: the trigram index
    ch.ChronologyFilter(text="ISIT"),  # inside a word, any case
    ch.ChronologyFilter(text="zoë"),  # folded beyond ASCII, accents kept
    ch.ChronologyFilter(text="ë"),
    ch.ChronologyFilter(text="AMÉLIE café", source="SCH"),
    ch.ChronologyFilter(text="liaison"),  # an issue's text
    ch.ChronologyFilter(text="Weiß"),  # Python folds ß to "ss", SQLite's index does not
    ch.ChronologyFilter(text="straße İSTANBUL"),
    ch.ChronologyFilter(text="%"),  # LIKE's own characters are text
    ch.ChronologyFilter(text='"x'),
    ch.ChronologyFilter(text="nothing-matches-this"),
]


@pytest.fixture
def review(store: Store) -> int:
    rid = store.create_review("Pages", "internal case review", "concern")
    fill(store, rid, 1_200, seed=11)
    rng = random.Random(3)
    conn = store.folder.connect()
    try:  # sequences, the three answers to "known", one odd text: every part of the order
        conn.execute("BEGIN IMMEDIATE")
        for (entry_id,) in conn.execute(
            "SELECT id FROM chronology_entry WHERE review_id = ?", (rid,)
        ).fetchall():
            conn.execute(
                "UPDATE chronology_entry SET sequence = ?, known_at_the_time = ?, position = ? "
                "WHERE id = ?",
                (
                    rng.choice([None, 0, 1, 2]),
                    rng.choice([None, 0, 1]),
                    rng.randrange(5),
                    entry_id,
                ),
            )
        conn.execute(
            "UPDATE chronology_entry SET outcome = '100% agreed' WHERE id = "
            "(SELECT min(id) FROM chronology_entry WHERE review_id = ?)",
            (rid,),
        )
        conn.execute(
            "UPDATE chronology_entry SET outcome = 'Frau Weiß, Straße 5, İstanbul' WHERE id = "
            "(SELECT max(id) FROM chronology_entry WHERE review_id = ?)",
            (rid,),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return rid


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_pages_show_what_the_view_in_memory_shows(store: Store, review: int, flt: Any) -> None:
    expected = [v.id for v in ch.ChronologyView(ch.load_entries(store, review)).filtered(flt)]
    pages = ch.EntryPages(store, review, flt)
    assert len(pages) == len(expected)
    assert [v.id for v in pages] == expected
    if expected:  # any entry by its index, from the start or from the end
        for index in {0, len(expected) // 2, len(expected) - 1}:
            assert ch.EntryPages(store, review, flt)[index].id == expected[index]
            assert pages.position_of(expected[index]) == index
            fresh = ch.EntryPages(store, review, flt)  # found before it is counted (a filter
            assert fresh.position_of(expected[index]) == index  # counts in the same pass)
            assert len(fresh) == len(expected)
        assert ch.EntryPages(store, review, flt)[-1].id == expected[-1]
    hidden = set(v.id for v in ch.EntryPages(store, review)) - set(expected)
    if hidden:
        assert pages.position_of(min(hidden)) is None
        assert ch.EntryPages(store, review, flt).position_of(min(hidden)) is None


def test_a_page_is_read_from_the_order_index_without_sorting(store: Store, review: int) -> None:
    where, params, _ = ch.filter_sql(review, ch.ChronologyFilter(source="POL", text="home"))
    conn = sqlite3.connect(store.folder.db_path)
    try:
        plan = " / ".join(
            row[3]
            for row in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT {ch.COLUMNS_SQL} FROM chronology_entry AS e "
                f"WHERE {where} ORDER BY {ch.ORDER_SQL} LIMIT 100",
                params,
            )
        )
    finally:
        conn.close()
    assert "ix_chronology_entry_order" in plan and "TEMP B-TREE" not in plan, plan


def test_the_counts_and_lists_shown_on_opening_are_read_from_one_index(
    store: Store, review: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What opening the chronology reads over every entry (each source's entries and
    significant ones, the issues used, the kinds of date, the dates to check) is answered from
    ix_chronology_entry_summary alone, never from the entries' rows and their texts."""
    import datetime as dt

    statements: list[tuple[str, list[Any]]] = []
    real = ch._select

    def recording(store: Store, sql: str, params: Any = (), fold: bool = False) -> list[Any]:
        statements.append((sql, list(params)))
        return real(store, sql, params, fold)

    monkeypatch.setattr(ch, "_select", recording)
    stored = ch.StoredChronology(store, review)
    stored.sources(), stored.issues(), stored.significant_count()
    problems = ch.date_problems(store, review, dt.date(2025, 9, 1))
    stored.when_width(problems.marked_in(store, review))
    assert len(statements) == 4, statements
    conn = sqlite3.connect(store.folder.db_path)
    try:
        for sql, params in statements:
            plan = " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "COVERING INDEX ix_chronology_entry_summary" in plan, (sql, plan)
    finally:
        conn.close()


def test_a_search_runs_the_trigram_index_once_for_its_count_page_and_place(
    store: Store, review: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search key counts the entries found, reads the page shown and finds the current
    entry's place: the trigram search runs once for the three, and they find what it found."""
    statements: list[str] = []
    real = ch._select

    def recording(store: Store, sql: str, params: Any = (), fold: bool = False) -> list[Any]:
        statements.append(sql)
        return real(store, sql, params, fold)

    flt = ch.ChronologyFilter(text="home vis")
    expected = [v.id for v in ch.ChronologyView(ch.entries(store, review)).filtered(flt)]
    assert expected
    monkeypatch.setattr(ch, "_select", recording)
    pages = ch.EntryPages(store, review, flt)
    assert len(pages) == len(expected)
    assert [v.id for v in pages[:5]] == expected[:5]
    assert pages.position_of(expected[-1]) == len(expected) - 1
    assert sum("MATCH" in sql for sql in statements) == 1, statements


def _found(store: Store, rid: int, text: str) -> list[int]:
    return [v.id for v in ch.EntryPages(store, rid, ch.ChronologyFilter(text=text))]


def test_the_search_index_follows_every_change(store: Store) -> None:
    rid = store.create_review("Index", "internal case review", "concern")
    entry = ch.add_entry(store, rid, "2024-03-01", event="Strategy meeting", issues=["Liaison"])
    assert _found(store, rid, "ategy") == [entry.id] and _found(store, rid, "liais") == [entry.id]
    ch.update_entry(store, entry.id, event="Home visit by Zoë", issues=["Recording"])
    assert _found(store, rid, "ategy") == [] and _found(store, rid, "liais") == []
    assert _found(store, rid, "ZOË") == [entry.id] and _found(store, rid, "record") == [entry.id]
    token = deletion.delete(store, m.ChronologyEntry, entry.id)
    assert _found(store, rid, "visit") == []
    deletion.undo(store, token)
    assert _found(store, rid, "visit") == [entry.id]
    store.delete_review(rid, "Index")
    conn = sqlite3.connect(store.folder.db_path)
    try:
        left = conn.execute(
            "SELECT count(*) FROM search_index_chronology WHERE rowid = ?", (entry.id,)
        ).fetchone()[0]
    finally:
        conn.close()
    assert left == 0


def test_the_counts_and_lists_come_from_sql_and_follow_an_added_entry(
    store: Store, review: int
) -> None:
    stored = ch.StoredChronology(store, review)
    view = ch.ChronologyView(ch.load_entries(store, review))
    assert len(stored) == len(view) == 1_200
    assert stored.sources() == view.sources() and stored.issues() == view.issues()
    assert stored.source_counts() == view.source_counts()
    assert stored.significant_count() == view.significant_count()
    entry = ch.add_entry(
        store, review, "2023-02-03", event="New", source="NEW", issues=["Zeal"], significant=True
    )
    stored.added(entry)
    view.upsert(entry)
    assert len(stored) == 1_201
    assert (stored.sources(), stored.issues(), stored.significant_count()) == (
        view.sources(),
        view.issues(),
        view.significant_count(),
    )
    assert ch.unknown_sources(store, review, ["CSC", "POL", "SCH", "HV"]) == {
        code: n for code, n in view.source_counts().items() if code in ("GP", "NEW")
    }
