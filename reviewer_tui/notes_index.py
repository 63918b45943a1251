"""The search index of the interview notes, kept by the save itself (issue 14).

Migration 0005's trigger re-indexes the notes in parts at fixed offsets (PART characters from the
start): a key typed in the middle of 2 MB shifts every later part, so half the notes were
re-indexed on every key, and reading each part's text back with substr() from the start of the
notes made each save quadratic in their length (seconds per key). interviews.save_notes instead
calls `index_notes` in its own transaction, before its UPDATE, and marks the row in
search_index_notes_fresh so that the trigger (migration 0010) leaves it alone; every other writer
of the notes (the ORM, an import, a restore) still goes through the trigger.

Parts end at the first white space at least PART characters after they begin (a word is never
cut; a part with no white space ends at 2 x PART), and each runs OVERLAP characters into the next
as before, so a phrase up to OVERLAP long is whole in one part. A key changes one part, or two
(the one before reads into it); the parts after it keep their text, so they stay as they are.
Each part's `part` is where it starts // PART, so search.locate looks in the right place first.
"""

from __future__ import annotations

import re
from typing import Any

PART = 4000  # as search.PART and migration 0005
OVERLAP = 200
FRESH = "search_index_notes_fresh"
_SPACE = re.compile(r"\s")


def parts(text: str) -> list[tuple[int, str]]:
    """(start, indexed text) of each part of `text`."""
    out: list[tuple[int, str]] = []
    start, size = 0, len(text)
    while start < size:
        end = start + PART
        if end >= size:
            end = size
        else:
            space = _SPACE.search(text, end, min(size, start + 2 * PART))
            end = space.end() if space else min(size, start + 2 * PART)
        out.append((start, text[start : end + OVERLAP]))
        start = end
    return out


def index_notes(conn: Any, interview_id: int, text: str) -> None:
    """Bring the index of one interview's notes up to `text`, touching only the parts whose text
    changed, and mark the row so the notes trigger does not do it again. For save_notes, inside its
    transaction, before its UPDATE (which calls `done` after)."""
    row = conn.exec_driver_sql(
        "SELECT review_id FROM interview WHERE id = ?", (interview_id,)
    ).first()
    if row is None:
        return
    review_id = row[0]
    have: dict[str, list[tuple[int, int]]] = {}
    for doc_id, part, indexed in conn.exec_driver_sql(
        "SELECT d.id, d.part, i.text FROM search_doc d JOIN search_index i ON i.rowid = d.id "
        "WHERE d.tbl = 'interview' AND d.row_id = ? AND d.field = 'notes'",
        (interview_id,),
    ):
        have.setdefault(indexed, []).append((doc_id, part))
    moved: list[tuple[int, int]] = []
    added: list[tuple[int, str]] = []
    for start, piece in parts(text):
        kept = have.get(piece)
        if kept:
            doc_id, part = kept.pop()
            if part != start // PART:
                moved.append((start // PART, doc_id))
        else:
            added.append((start // PART, piece))
    gone = [(doc_id,) for left in have.values() for doc_id, _ in left]
    if gone:
        conn.exec_driver_sql("DELETE FROM search_index WHERE rowid = ?", gone)
        conn.exec_driver_sql("DELETE FROM search_doc WHERE id = ?", gone)
    if moved:
        conn.exec_driver_sql("UPDATE search_doc SET part = ? WHERE id = ?", moved)
    for part, piece in added:
        doc_id = conn.exec_driver_sql(
            "INSERT INTO search_doc (review_id, tbl, row_id, field, part) "
            "VALUES (?, 'interview', ?, 'notes', ?)",
            (review_id, interview_id, part),
        ).lastrowid
        conn.exec_driver_sql(
            "INSERT INTO search_index (rowid, text) VALUES (?, ?)", (doc_id, piece)
        )
    conn.exec_driver_sql(f"INSERT OR IGNORE INTO {FRESH} (row_id) VALUES (?)", (interview_id,))


def done(conn: Any, interview_id: int) -> None:
    """After save_notes' UPDATE: the mark is never committed."""
    conn.exec_driver_sql(f"DELETE FROM {FRESH} WHERE row_id = ?", (interview_id,))
