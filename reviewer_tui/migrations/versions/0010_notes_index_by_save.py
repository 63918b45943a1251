"""the notes save keeps their search index itself

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Issue 14: the trigger that re-indexed the interview notes on every save was quadratic in their
length (seconds per key at 2 MB). interviews.save_notes now re-indexes only the parts a key
changed (reviewer_tui.notes_index) and, inside its transaction, puts the row's id in
search_index_notes_fresh (never committed: it is deleted after its UPDATE); the trigger skips a
row marked there. Every other writer of the notes still goes through the trigger.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGER = "search_interview_notes_update"
PLAIN = "WHEN OLD.notes IS NOT NEW.notes BEGIN"
SKIPPING = (
    "WHEN OLD.notes IS NOT NEW.notes AND NOT EXISTS "
    "(SELECT 1 FROM search_index_notes_fresh WHERE row_id = NEW.id) BEGIN"
)


def _swap(old: str, new: str) -> None:
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (TRIGGER,)
    ).scalar()
    if sql is None or old not in sql:
        raise RuntimeError(f"The trigger {TRIGGER} is not the one migration 0005 made.")
    bind.exec_driver_sql(f"DROP TRIGGER {TRIGGER}")
    bind.exec_driver_sql(sql.replace(old, new))


def upgrade() -> None:
    op.get_bind().exec_driver_sql(
        "CREATE TABLE search_index_notes_fresh (row_id INTEGER NOT NULL PRIMARY KEY)"
    )
    _swap(PLAIN, SKIPPING)


def downgrade() -> None:
    _swap(SKIPPING, PLAIN)
    op.get_bind().exec_driver_sql("DROP TABLE search_index_notes_fresh")
