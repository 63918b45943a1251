"""the search index's feed reads each text once, not once for each of its parts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

Issue 14: search_feed_insert (0005) cuts a long text (interview notes) into parts of 4,000
characters. Its last statement joined each part to the fields it was cut from, and SQLite ran
that join part first: each part read the whole row's JSON again to find its text. On 2 MB of
notes that was 4.8 s for one insert; storing the large review's bundle spent 9.8 of its 22.3
seconds of CPU in its interviews' inserts (2.5 s now). The fields are now read once each, as
the outer loop, and the parts looked up for each field: 0.9 s for 2 MB, the rest being
SQLite's substr walking to each part's start. The index holds the same parts as before.
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = importlib.import_module("reviewer_tui.migrations.versions.0005_search_index")

# 0005's last statement, which read the fields again for each part (d) found ...
PER_PART = (
    f"SELECT d.id, substr(t, d.part * {INDEX.PART} + 1, {INDEX.PART + INDEX.OVERLAP}) "
    f"FROM search_doc d JOIN (SELECT j.key AS f, {INDEX._TEXT} AS t "
    "FROM json_each(NEW.fields) j) ON f = d.field "
    "WHERE d.tbl = NEW.tbl AND d.row_id = NEW.row_id; END"
)
# ... and the same rows with each field read once: LIMIT -1 keeps the planner from merging the
# fields' subquery into the join, and CROSS JOIN keeps it the outer loop.
PER_FIELD = (
    f"SELECT d.id, substr(t, d.part * {INDEX.PART} + 1, {INDEX.PART + INDEX.OVERLAP}) "
    f"FROM (SELECT j.key AS f, {INDEX._TEXT} AS t FROM json_each(NEW.fields) j LIMIT -1) "
    "CROSS JOIN search_doc d "
    "WHERE d.tbl = NEW.tbl AND d.row_id = NEW.row_id AND d.field = f; END"
)
# 0005's trigger, with its last statement read per field (made from 0005's own text, so the
# trigger a database holds is replaced whatever its spacing).
if not INDEX.FEED_TRIGGER.endswith(PER_PART):
    raise RuntimeError("Migration 0005's search_feed_insert is not the one 0015 rewrites.")
FEED_TRIGGER = INDEX.FEED_TRIGGER.removesuffix(PER_PART) + PER_FIELD


def _make(trigger: str) -> None:
    bind = op.get_bind()
    bind.exec_driver_sql("DROP TRIGGER IF EXISTS search_feed_insert")
    bind.exec_driver_sql(trigger)


def upgrade() -> None:
    _make(FEED_TRIGGER)


def downgrade() -> None:
    _make(INDEX.FEED_TRIGGER)
