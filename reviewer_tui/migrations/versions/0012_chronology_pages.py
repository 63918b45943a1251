"""the chronology reads a page at a time: an index in its sort order and a substring index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Issue 14: the chronology screen opened by reading every entry of the review (1.3 s with 10,000)
and filtered and searched them in Python. It now reads a count and the page on screen, and
filters in SQL (reviewer_tui.chronology.EntryPages). Two things make that cheap:
- ix_chronology_entry_order: the review's entries in the chronology's one sort order (bundle
  README: date, sequence or 0, time or start of day, position, id), the expressions exactly as
  chronology_order.ORDER_SQL writes them, so a page is read from the index and not sorted.
- search_index_chronology: an FTS5 trigram table, one row per entry (rowid = the entry's id), of
  the texts the chronology's search looks in, so a word of three characters or more is found
  anywhere inside a word ("isit" finds "visit") without reading every entry. Kept in step by
  the triggers made here, on every write path (screens, CLI, bundle import, undo, the cascade
  from a deleted review); when a review is deleted the index is merged whole ('optimize'), as
  migration 0005 does for search_index. Its name starts "search_index_", so it is one of the
  index's own tables (reviewer_tui.search.is_search_table).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATE = """CASE WHEN instr("when", 'T') > 0 THEN substr("when", 1, instr("when", 'T') - 1) ELSE "when" END"""
TIME = (
    """CASE WHEN instr("when", 'T') > 0 THEN substr("when", instr("when", 'T') + 1) ELSE '' END"""
)
ORDER = f"{DATE}, coalesce(sequence, 0), {TIME}, position, id"
TEXTS: tuple[str, ...] = (
    "event",
    "source",
    "participation",
    "outcome",
    "issues",
    "risk",
    "response",
    "partnership",
    "learning",
)


def haystack(row: str) -> str:
    """The entry's searched texts as one, in chronology.EntryView.haystack's order (the issues
    as words separated by spaces)."""
    parts = [
        f"coalesce((SELECT group_concat(value, ' ') FROM json_each({row}.issues)), '')"
        if name == "issues"
        else f"coalesce({row}.{name}, '')"
        for name in TEXTS
    ]
    return " || char(10) || ".join(parts)


TRIGGERS = (
    (
        "chronology_search_insert",
        "CREATE TRIGGER chronology_search_insert AFTER INSERT ON chronology_entry FOR EACH ROW "
        "BEGIN INSERT INTO search_index_chronology (rowid, text) "
        f"VALUES (NEW.id, {haystack('NEW')}); END",
    ),
    (
        "chronology_search_update",
        f"CREATE TRIGGER chronology_search_update AFTER UPDATE OF id, {', '.join(TEXTS)} "
        "ON chronology_entry FOR EACH ROW BEGIN "
        "DELETE FROM search_index_chronology WHERE rowid = OLD.id; "
        "INSERT INTO search_index_chronology (rowid, text) "
        f"VALUES (NEW.id, {haystack('NEW')}); END",
    ),
    (
        "chronology_search_delete",
        "CREATE TRIGGER chronology_search_delete AFTER DELETE ON chronology_entry FOR EACH ROW "
        "BEGIN DELETE FROM search_index_chronology WHERE rowid = OLD.id; END",
    ),
    (
        "chronology_search_review_delete",
        "CREATE TRIGGER chronology_search_review_delete AFTER DELETE ON review FOR EACH ROW "
        "BEGIN DELETE FROM search_index_chronology WHERE rowid IN "
        "(SELECT id FROM chronology_entry WHERE review_id = OLD.id); "
        "INSERT INTO search_index_chronology (search_index_chronology) VALUES ('optimize'); END",
    ),
)


def upgrade() -> None:
    bind = op.get_bind()
    bind.exec_driver_sql(
        f"CREATE INDEX ix_chronology_entry_order ON chronology_entry (review_id, {ORDER})"
    )
    bind.exec_driver_sql(
        "CREATE VIRTUAL TABLE search_index_chronology USING fts5(text, tokenize = 'trigram')"
    )
    bind.exec_driver_sql(
        "INSERT INTO search_index_chronology (rowid, text) "
        f"SELECT id, {haystack('chronology_entry')} FROM chronology_entry"
    )
    for _, sql in TRIGGERS:
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    bind = op.get_bind()
    for name, _ in TRIGGERS:
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    bind.exec_driver_sql("DROP TABLE IF EXISTS search_index_chronology")
    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_chronology_entry_order")
