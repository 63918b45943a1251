"""The chronology's one reading order in SQL: by day, then the entry's place among those of its
day (`sequence`), then the time, then the order entered. `when` is "date" or "dateTtime": the
day is the part before the first T, the time the part after it.

Written exactly as migration 0012's index ix_chronology_entry_order has the expressions, so
SQLite reads the order, and an entry's day, from that index instead of every entry. Kept apart
from reviewer_tui.chronology so the review list's read (on the way to the first frame) can use
it without loading the chronology.
"""

from __future__ import annotations


def day_sql(table: str = "") -> str:
    """An entry's day; `table` qualifies the column (in a join of the table with itself)."""
    when = f'{table}."when"' if table else '"when"'
    return (
        f"CASE WHEN instr({when}, 'T') > 0 THEN substr({when}, 1, instr({when}, 'T') - 1) "
        f"ELSE {when} END"
    )


DATE_SQL = day_sql()
TIME_SQL = (
    """CASE WHEN instr("when", 'T') > 0 THEN substr("when", instr("when", 'T') + 1) ELSE '' END"""
)
ORDER_SQL = f"{DATE_SQL}, coalesce(sequence, 0), {TIME_SQL}, position, id"
ORDER_DESC_SQL = (
    f"{DATE_SQL} DESC, coalesce(sequence, 0) DESC, {TIME_SQL} DESC, position DESC, id DESC"
)
