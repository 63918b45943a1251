"""search everywhere, again: the texts added since the index was made are indexed too

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Migration 0005 froze the list of texts the search index holds. The texts added after it were
missing from search: the executive summary (report_details.summary_*, 0007), what recipients of
a returned draft wrote and the reviewer's reasons (draft_item, 0004), the delay log's reasons
(delay_entry, 0008) and the reasons a quality-check item was accepted (quality_acceptance, 0008).
This adds them with 0005's own trigger builder: report_details' triggers are made again with the
new columns, the three tables get theirs, and the rows already stored are fed in once.

The full list at head is SOURCES here; reviewer_tui/search.py keeps the live copy and
tests/test_search.py checks the two agree.
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = importlib.import_module("reviewer_tui.migrations.versions.0005_search_index")

ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "report_details": (
        "summary_reason",
        "summary_scope",
        "summary_findings",
        "summary_recommendations",
    ),
}
ADDED_TABLES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "draft_item",
        "id",
        "(SELECT d.review_id FROM draft_recipient r JOIN report_draft d "
        "ON d.id = r.report_draft_id WHERE r.id = {row}.draft_recipient_id)",
        ("author", "section", "anchor", "removed", "added", "reason"),
    ),
    ("delay_entry", "id", "{row}.review_id", ("label", "reason")),
    ("quality_acceptance", "id", "{row}.review_id", ("item", "reason")),
)
SOURCES = (
    tuple(
        (table, id_column, review, columns + ADDED_COLUMNS.get(table, ()))
        for table, id_column, review, columns in INDEX.SOURCES
    )
    + ADDED_TABLES
)
CHANGED = {*ADDED_COLUMNS, *(table for table, _, _, _ in ADDED_TABLES)}


def _made(sources: Sequence[tuple[str, str, str, tuple[str, ...]]]) -> list[tuple[str, str]]:
    """The triggers of the changed tables only (not the feeds, which stay as 0005 made them)."""
    return [
        (name, sql) for name, sql in INDEX._triggers([s for s in sources if s[0] in CHANGED])[2:]
    ]


def upgrade() -> None:
    bind = op.get_bind()
    for name, _ in _made(INDEX.SOURCES):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table, id_column, review, columns in SOURCES:
        if table not in CHANGED:
            continue
        fed = ADDED_COLUMNS.get(table, columns)  # what 0005 already indexed stays as it is
        bind.exec_driver_sql(
            f"INSERT INTO search_feed SELECT {review.format(row=table)}, '{table}', "
            f"{table}.{id_column}, {INDEX._fields(fed, table)} FROM {table}"
        )
    for _, sql in _made(SOURCES):
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    bind = op.get_bind()
    for name, _ in _made(SOURCES):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table, _, _, _ in ADDED_TABLES:
        bind.exec_driver_sql(
            "DELETE FROM search_index WHERE rowid IN "
            f"(SELECT id FROM search_doc WHERE tbl = '{table}')"
        )
        bind.exec_driver_sql(f"DELETE FROM search_doc WHERE tbl = '{table}'")
    for table, columns in ADDED_COLUMNS.items():
        names = ", ".join(f"'{c}'" for c in columns)
        bind.exec_driver_sql(
            "DELETE FROM search_index WHERE rowid IN (SELECT id FROM search_doc "
            f"WHERE tbl = '{table}' AND field IN ({names}))"
        )
        bind.exec_driver_sql(f"DELETE FROM search_doc WHERE tbl = '{table}' AND field IN ({names})")
    for _, sql in _made(INDEX.SOURCES):
        bind.exec_driver_sql(sql)
